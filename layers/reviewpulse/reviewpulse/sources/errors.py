"""What can go wrong when talking to a review platform, named so the caller can act on it."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be read this time; the error is recorded on the source and the next run tries again."""


class SourceConfigError(SourceError):
    """The source's settings are incomplete or wrong (missing business unit id, bad mapping)."""


class SourceAuthError(SourceError):
    """The platform refused our credentials (401/403) or the secret is missing."""


class PlatformRateLimited(SourceError):
    """The platform asked us to slow down for longer than the time we have left."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PlatformUnavailable(SourceError):
    """5xx, timeouts, connection failures that survived our retries."""


class MalformedResponse(SourceError):
    """The platform answered, but not in the shape its API promises (bad JSON, missing fields)."""
