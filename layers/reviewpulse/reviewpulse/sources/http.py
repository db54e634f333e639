"""HTTP for platform adapters: one session each, bounded retries, and waits that fit the Lambda's budget.

urllib3 retries connection errors and 5xx with a short backoff. It never sleeps through a Retry-After:
a platform may ask for minutes, and a 15-minute Lambda must not spend them asleep. We read Retry-After
ourselves, wait only when the wait fits the budget (and a cap), and otherwise raise `PlatformRateLimited`
so the ingester keeps its cursor and tries again on a later run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from aws_lambda_powertools import Logger
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

import reviewpulse
from reviewpulse.sources.base import Budget
from reviewpulse.sources.errors import (
    MalformedResponse,
    PlatformRateLimited,
    PlatformUnavailable,
    SourceAuthError,
    SourceError,
)

logger = Logger(child=True)

USER_AGENT = f"reviewpulse/{getattr(reviewpulse, '__version__', '0.1.0')}"

_EPOCH_MS_THRESHOLD = 10**12  # a Retry-After this large is a UNIX time in milliseconds (Apple does this)
_EPOCH_S_THRESHOLD = 10**9  # ...and this large a UNIX time in seconds: nobody asks to wait 31 years
_EXCERPT_CHARS = 200
_MIN_TIMEOUT_S = 0.5  # below this a request cannot succeed anyway; the adapter checks the budget first


class CredentialsRejected(SourceAuthError):
    """The platform answered 401 or 403; `status` lets an adapter re-mint a token on 401."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RequestRejected(SourceError):
    """The platform refused the request itself (4xx other than 401/403/429), e.g. a bad id or parameter."""

    def __init__(self, message: str, status: int, body_excerpt: str) -> None:
        super().__init__(message)
        self.status = status
        self.body_excerpt = body_excerpt


@dataclass(frozen=True)
class TextResponse:
    """A text body plus the validators a conditional GET needs next time; `text` is None on 304."""

    text: str | None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.text is None


def parse_retry_after(value: str | None, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float | None:
    """Seconds to wait from a Retry-After header: integer/decimal seconds, an HTTP-date or epoch (ms or s).

    Returns None when the header is absent or unreadable, 0 when the moment has already passed.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:  # RFC 7231 dates are GMT; a sloppy server may omit the zone
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, (moment - now()).total_seconds())
    if number != number or number < 0:  # NaN or negative: unreadable, not "wait forever"
        return None
    if number > _EPOCH_MS_THRESHOLD:
        return max(0.0, number / 1000 - now().timestamp())
    if number > _EPOCH_S_THRESHOLD:
        return max(0.0, number - now().timestamp())
    return number


class _ServerErrorRetry(Retry):
    """urllib3 Retry that leaves a 429/503 carrying Retry-After to PlatformHttp, which knows the budget."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if has_retry_after and status_code in (429, 503):
            return False
        return super().is_retry(method, status_code, has_retry_after)


class PlatformHttp:
    """One `requests.Session` per adapter; every call takes the run's `Budget`."""

    def __init__(
        self,
        platform: str,
        *,
        timeout_s: float = 20.0,
        retries: int = 3,
        backoff_factor: float = 0.5,
        max_wait_s: float = 30.0,
        rate_limit_waits: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.platform = platform
        self.timeout_s = timeout_s
        self.max_wait_s = max_wait_s
        self.rate_limit_waits = rate_limit_waits
        self._sleep = sleep
        retry = _ServerErrorRetry(
            total=retries,
            connect=retries,
            read=1,  # a read timeout already cost a full timeout: one more try, not three
            status=retries,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD"}),  # POST only on connect errors (never sent)
            backoff_factor=backoff_factor,
            backoff_max=4.0,
            respect_retry_after_header=False,
            raise_on_status=False,  # give us the last 5xx so we can say which status it was
        )
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)  # the local sandbox platform speaks plain http
        self.session.headers["User-Agent"] = USER_AGENT

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        budget: Budget,
        expect_object: bool = True,
    ) -> Any:
        response = self._send("GET", url, params=params, headers=headers, budget=budget)
        return self._json(response, expect_object=expect_object)

    def get_text(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        budget: Budget,
    ) -> TextResponse:
        response = self._send("GET", url, params=params, headers=headers, budget=budget)
        etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        if response.status_code == 304:
            return TextResponse(text=None, etag=etag, last_modified=last_modified)
        if response.encoding is None or "charset" not in response.headers.get("Content-Type", ""):
            # requests guesses ISO-8859-1 for text/* without a charset; feeds are UTF-8 in practice
            response.encoding = "utf-8"
        return TextResponse(text=response.text, etag=etag, last_modified=last_modified)

    def post_form(
        self,
        url: str,
        *,
        data: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
        budget: Budget,
    ) -> Any:
        response = self._send("POST", url, data=data, headers=headers, budget=budget)
        return self._json(response, expect_object=True)

    def _send(
        self,
        method: str,
        url: str,
        *,
        budget: Budget,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> requests.Response:
        waits = 0
        while True:
            timeout = max(_MIN_TIMEOUT_S, min(self.timeout_s, budget.remaining()))
            try:
                response = self.session.request(method, url, params=params, headers=headers, data=data, timeout=timeout)
            except requests.Timeout as exc:
                raise PlatformUnavailable(f"{self.platform} did not answer within {timeout:.1f}s") from exc
            except requests.RequestException as exc:
                # connection refused/reset, DNS, truncated chunked body, retries exhausted
                raise PlatformUnavailable(f"{self.platform} could not be reached: {type(exc).__name__}") from exc

            wait = self._rate_limit_wait(response, attempt=waits)
            if wait is None:
                self._raise_for_status(response)
                return response
            if waits >= self.rate_limit_waits or wait > min(self.max_wait_s, budget.remaining()):
                raise PlatformRateLimited(
                    f"{self.platform} asked us to wait {wait:.0f}s (HTTP {response.status_code}); "
                    f"more than this run can spend",
                    retry_after_s=wait,
                )
            logger.info(
                "platform rate limited us; waiting",
                platform=self.platform,
                status=response.status_code,
                wait_s=round(wait, 2),
            )
            self._sleep(wait)
            waits += 1

    def _rate_limit_wait(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None when this response is not a rate limit."""
        header = response.headers.get("Retry-After")
        if response.status_code == 429:
            parsed = parse_retry_after(header)
            # No (readable) Retry-After: Trustpilot documents none; back off 1, 2, 4 s like OSS clients
            return parsed if parsed is not None else float(2**attempt)
        if response.status_code == 503 and header is not None:
            return parse_retry_after(header)  # None (unreadable) → falls through to PlatformUnavailable
        return None

    def _raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        if status == 401:
            raise CredentialsRejected(
                f"{self.platform} rejected our credentials (HTTP 401): the API key is wrong "
                f"or the access token expired or was revoked",
                status=status,
            )
        if status == 403:
            raise CredentialsRejected(
                f"{self.platform} denied access (HTTP 403): the credentials are valid but lack "
                f"permission for this resource (plan, role or business unit)",
                status=status,
            )
        if status >= 500:
            retried = " after retries" if response.request.method != "POST" else ""
            raise PlatformUnavailable(f"{self.platform} failed with HTTP {status}{retried}")
        excerpt = _excerpt(response.text)
        raise RequestRejected(
            f"{self.platform} rejected the request with HTTP {status}: {excerpt}",
            status=status,
            body_excerpt=excerpt,
        )

    def _json(self, response: requests.Response, *, expect_object: bool) -> Any:
        try:
            body = response.json()
        except ValueError as exc:  # requests.JSONDecodeError subclasses ValueError; truncated bodies too
            # no body excerpt here: a 200 body holds review text and names we do not log
            raise MalformedResponse(
                f"{self.platform} sent a body that is not JSON "
                f"({len(response.content)} bytes, {response.headers.get('Content-Type', 'no content type')})"
            ) from exc
        if expect_object and not isinstance(body, dict):
            raise MalformedResponse(f"{self.platform} sent JSON {type(body).__name__}, expected an object")
        return body


def _excerpt(text: str) -> str:
    """A short single-line excerpt of an error body, for messages an operator reads."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[:_EXCERPT_CHARS] + "…"
