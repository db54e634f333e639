"""How platform calls behave under rate limits, outages, bad credentials and broken bodies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import responses

from reviewpulse.sources.base import Budget
from reviewpulse.sources.errors import (
    MalformedResponse,
    PlatformRateLimited,
    PlatformUnavailable,
    SourceAuthError,
    SourceError,
)
from reviewpulse.sources.http import USER_AGENT, PlatformHttp, parse_retry_after

URL = "https://api.example.test/v1/things"
NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


# --- Retry-After parsing ---


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        (http_date(NOW + timedelta(seconds=45)), 45.0),
        (str(int((NOW + timedelta(seconds=20)).timestamp() * 1000)), 20.0),  # Apple: epoch milliseconds
        (str(int((NOW + timedelta(seconds=90)).timestamp())), 90.0),  # epoch seconds
        (http_date(NOW - timedelta(minutes=5)), 0.0),  # already passed: go now
    ],
)
def test_retry_after_is_read_as_seconds_http_date_or_epoch(header: str, seconds: float) -> None:
    assert parse_retry_after(header, now=lambda: NOW) == pytest.approx(seconds, abs=0.01)


@pytest.mark.parametrize("header", [None, "", "soon", "-3", "nan"])
def test_unreadable_retry_after_means_no_advice(header: str | None) -> None:
    assert parse_retry_after(header, now=lambda: NOW) is None


# --- rate limits ---


@pytest.mark.parametrize(
    "retry_after",
    [
        lambda: "3",
        lambda: http_date(datetime.now(UTC) + timedelta(seconds=4)),
        lambda: str(int((datetime.now(UTC) + timedelta(seconds=4)).timestamp() * 1000)),
    ],
    ids=["seconds", "http-date", "epoch-ms"],
)
def test_a_rate_limit_that_fits_the_budget_is_waited_out_then_the_call_succeeds(
    api: responses.RequestsMock, http: PlatformHttp, clock, budget_of, retry_after: Callable[[], str]
) -> None:
    api.get(URL, status=429, headers={"Retry-After": retry_after()})
    api.get(URL, json={"ok": True})

    body = http.get_json(URL, budget=budget_of(60))

    assert body == {"ok": True}
    assert len(clock.sleeps) == 1
    assert 0 < clock.sleeps[0] <= 5


def test_a_rate_limit_longer_than_the_budget_is_handed_back_with_its_wait(
    api: responses.RequestsMock, http: PlatformHttp, clock, budget_of
) -> None:
    api.get(URL, status=429, headers={"Retry-After": "120"})

    with pytest.raises(PlatformRateLimited) as raised:
        http.get_json(URL, budget=budget_of(60))

    assert raised.value.retry_after_s == 120
    assert clock.sleeps == []  # never sleeps through a wait it cannot afford


def test_a_rate_limit_within_the_budget_but_over_the_cap_is_not_slept_through(
    api: responses.RequestsMock, http: PlatformHttp, clock, budget_of
) -> None:
    api.get(URL, status=429, headers={"Retry-After": "45"})  # budget 600 s, cap 30 s

    with pytest.raises(PlatformRateLimited):
        http.get_json(URL, budget=budget_of(600))
    assert clock.sleeps == []


def test_a_503_with_retry_after_is_treated_as_a_rate_limit(
    api: responses.RequestsMock, http: PlatformHttp, clock, budget_of
) -> None:
    api.get(URL, status=503, headers={"Retry-After": "2"})
    api.get(URL, json={"ok": True})

    assert http.get_json(URL, budget=budget_of(60)) == {"ok": True}
    assert clock.sleeps == [2]


def test_a_429_without_retry_after_backs_off_and_finally_gives_up(
    api: responses.RequestsMock, http: PlatformHttp, clock, budget_of
) -> None:
    api.get(URL, status=429)

    with pytest.raises(PlatformRateLimited):
        http.get_json(URL, budget=budget_of(60))
    assert clock.sleeps == [1, 2, 4]


# --- outages ---


def test_server_errors_are_retried_and_a_recovery_is_transparent(
    api: responses.RequestsMock, http: PlatformHttp, budget: Budget
) -> None:
    api.get(URL, status=502)
    api.get(URL, status=500)
    api.get(URL, json={"ok": True})

    assert http.get_json(URL, budget=budget) == {"ok": True}
    assert len(api.calls) == 3


def test_a_platform_that_keeps_failing_is_reported_unavailable_after_retries(
    api: responses.RequestsMock, http: PlatformHttp, budget: Budget
) -> None:
    api.get(URL, status=503)

    with pytest.raises(PlatformUnavailable, match="503"):
        http.get_json(URL, budget=budget)
    assert len(api.calls) == 4  # the first try and three retries


def test_connection_failures_and_timeouts_mean_the_platform_is_unavailable(
    api: responses.RequestsMock, http: PlatformHttp, budget: Budget
) -> None:
    api.get(URL, body=requests.ConnectionError("connection refused"))
    api.get(URL + "/slow", body=requests.ReadTimeout("read timed out"))

    with pytest.raises(PlatformUnavailable, match="could not be reached"):
        http.get_json(URL, budget=budget)
    with pytest.raises(PlatformUnavailable, match="did not answer"):
        http.get_json(URL + "/slow", budget=budget)


def test_a_request_never_waits_longer_than_the_time_left(api: responses.RequestsMock, budget_of) -> None:
    http = PlatformHttp("trustpilot", timeout_s=20)
    api.get(URL, json={"ok": True})

    http.get_json(URL, budget=budget_of(5))

    sent_with: dict[str, object] = api.calls[0].request.req_kwargs  # type: ignore[attr-defined]
    assert sent_with["timeout"] == pytest.approx(5)


# --- refusals ---


def test_a_401_says_the_key_or_token_is_bad(api: responses.RequestsMock, http: PlatformHttp, budget) -> None:
    api.get(URL, status=401, json={"message": "Unauthorized"})

    with pytest.raises(SourceAuthError, match=r"401.*API key is wrong or the access token expired"):
        http.get_json(URL, headers={"apikey": "k-secret-123"}, budget=budget)


def test_a_403_says_permission_is_missing(api: responses.RequestsMock, http: PlatformHttp, budget) -> None:
    api.get(URL, status=403, json={"message": "Forbidden"})

    with pytest.raises(SourceAuthError, match=r"403.*lack permission"):
        http.get_json(URL, budget=budget)


def test_other_client_errors_name_the_status_and_quote_the_platform(
    api: responses.RequestsMock, http: PlatformHttp, budget: Budget
) -> None:
    api.get(URL, status=404, json={"message": "Business unit not found"})

    with pytest.raises(SourceError, match=r"404.*Business unit not found") as raised:
        http.get_json(URL, budget=budget)
    assert not isinstance(raised.value, SourceAuthError)


def test_a_long_error_body_is_shortened_in_the_message(
    api: responses.RequestsMock, http: PlatformHttp, budget: Budget
) -> None:
    api.get(URL, status=400, body="x" * 5000)

    with pytest.raises(SourceError) as raised:
        http.get_json(URL, budget=budget)
    assert len(str(raised.value)) < 300


# --- bodies ---


def test_a_body_that_is_not_json_is_malformed(api: responses.RequestsMock, http: PlatformHttp, budget) -> None:
    api.get(URL, body="<html>Maintenance</html>", content_type="text/html")

    with pytest.raises(MalformedResponse, match="not JSON"):
        http.get_json(URL, budget=budget)


def test_a_truncated_json_body_is_malformed(api: responses.RequestsMock, http: PlatformHttp, budget) -> None:
    api.get(
        URL, body='{"reviews": [{"id": "65a1f0c2e3b4a5d6c7e8f901", "stars": 4, "te', content_type="application/json"
    )

    with pytest.raises(MalformedResponse):
        http.get_json(URL, budget=budget)


def test_json_that_is_not_an_object_is_malformed(api: responses.RequestsMock, http: PlatformHttp, budget) -> None:
    api.get(URL, json=["not", "an", "object"])

    with pytest.raises(MalformedResponse, match="expected an object"):
        http.get_json(URL, budget=budget)


def test_every_call_says_who_we_are(api: responses.RequestsMock, http: PlatformHttp, budget: Budget) -> None:
    api.get(URL, json={})

    http.get_json(URL, budget=budget)

    assert api.calls[0].request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("reviewpulse/")


def test_a_form_post_is_not_repeated_after_a_server_error(
    api: responses.RequestsMock, http: PlatformHttp, budget: Budget
) -> None:
    api.post(URL, status=500)

    with pytest.raises(PlatformUnavailable):
        http.post_form(URL, data={"grant_type": "client_credentials"}, budget=budget)
    assert len(api.calls) == 1  # POST may have had an effect: never resent after it reached the server


def test_an_unchanged_feed_answers_not_modified(api: responses.RequestsMock, http: PlatformHttp, budget) -> None:
    api.get(URL, status=304, headers={"ETag": '"v7"'})

    result = http.get_text(URL, headers={"If-None-Match": '"v7"'}, budget=budget)

    assert result.not_modified
    assert result.etag == '"v7"'
