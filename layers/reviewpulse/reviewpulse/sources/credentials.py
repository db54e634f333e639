"""Platform credentials: secrets via Powertools (cached 5 min), minted tokens cached per container."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from reviewpulse.sources.errors import SourceAuthError, SourceConfigError

SECRET_MAX_AGE_S = 300

_NOT_FOUND_CODES = ("ResourceNotFoundException", "ParameterNotFound")
_DENIED_CODES = ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException")


def read_secret(ref: str) -> dict[str, Any]:
    """Resolve `secretsmanager:<name>` or `ssm:<name>` to its JSON object.

    Error messages name the secret, never its value.
    """
    # Imported here: Powertools' parameters pull in boto3 (~150 ms); a public feed never needs it.
    from aws_lambda_powertools.utilities.parameters import get_parameter, get_secret
    from aws_lambda_powertools.utilities.parameters.exceptions import (
        GetParameterError,
        TransformParameterError,
    )

    store, _, name = ref.partition(":")
    if not name or store not in ("secretsmanager", "ssm"):
        raise SourceConfigError("credentials must be 'secretsmanager:<name>' or 'ssm:<name>'")
    try:
        if store == "secretsmanager":
            value = get_secret(name, transform="json", max_age=SECRET_MAX_AGE_S)
        else:
            value = get_parameter(name, decrypt=True, transform="json", max_age=SECRET_MAX_AGE_S)
    except TransformParameterError as exc:
        raise SourceConfigError(f"secret {name!r} in {store} is not a JSON object") from exc
    except GetParameterError as exc:
        # Powertools flattens the boto error into its message; the code is all we need (and all we show)
        detail = str(exc)
        if any(code in detail for code in _NOT_FOUND_CODES):
            raise SourceAuthError(f"secret {name!r} not found in {store}") from exc
        if any(code in detail for code in _DENIED_CODES):
            raise SourceAuthError(f"not allowed to read secret {name!r} from {store}") from exc
        raise SourceAuthError(f"could not read secret {name!r} from {store}") from exc
    if not isinstance(value, dict):
        raise SourceConfigError(f"secret {name!r} in {store} is not a JSON object")
    return value


class TokenCache:
    """Access tokens minted from a secret, kept until shortly before they expire.

    Platforms ask for this (Trustpilot: "reuse your OAuth token instead of fetching one per call"), and
    it saves a round trip on every warm invocation. Keys name a credential, never contain one.
    """

    def __init__(self, clock: Callable[[], float] = time.time, refresh_margin_s: float = 120.0) -> None:
        self._clock = clock
        self._margin = refresh_margin_s
        self._tokens: dict[str, tuple[str, float]] = {}  # key → (token, refresh after this moment)
        self._lock = threading.Lock()  # an ingester may read several sources in threads

    def get(self, key: str, mint: Callable[[], tuple[str, float]]) -> str:
        """The cached token for `key`, or a new one from `mint()` → (token, seconds until it expires)."""
        with self._lock:
            cached = self._tokens.get(key)
            if cached is not None and self._clock() < cached[1]:
                return cached[0]
            token, expires_in = mint()
            # refresh a little early, but never so early that a short-lived token is re-minted per call
            margin = min(self._margin, expires_in / 10)
            self._tokens[key] = (token, self._clock() + expires_in - margin)
            return token

    def drop(self, key: str) -> None:
        """Forget a token the platform refused (revoked, or expired earlier than it said)."""
        with self._lock:
            self._tokens.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


TOKENS = TokenCache()  # module level: lives as long as the Lambda container
