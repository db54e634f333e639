"""Reading a business unit's Trustpilot reviews: paging, resuming, mapping, credentials and failures."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses
from responses import matchers

from reviewpulse.models import Rating, Reply, Review, ReviewStatus, Source
from reviewpulse.sources.base import Budget, Page
from reviewpulse.sources.credentials import TokenCache
from reviewpulse.sources.errors import (
    MalformedResponse,
    PlatformRateLimited,
    SourceAuthError,
    SourceConfigError,
)
from reviewpulse.sources.http import PlatformHttp
from reviewpulse.sources.trustpilot import TrustpilotAdapter

BASE = "https://api.trustpilot.com"
BU = "5f1c2d3e4a5b6c7d8e9f0a1b"
PUBLIC_URL = f"{BASE}/v1/business-units/{BU}/reviews"
PRIVATE_URL = f"{BASE}/v1/private/business-units/{BU}/reviews"
TOKEN_URL = f"{BASE}/v1/oauth/oauth-business-users-for-applications/accesstoken"

PUBLIC_SECRET = {"api_key": "pub-key-XYZ123"}
PRIVATE_SECRET = {
    "api_key": "app-key-ABC",
    "api_secret": "app-secret-DEF-do-not-log",
    "grant": "client_credentials",
    "business_user_id": "60aa1b2c3d4e5f6a7b8c9d0e",
}


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The secret the adapter reads; tests swap its content. Secrets Manager itself is tested with moto."""
    value: dict[str, Any] = dict(PUBLIC_SECRET)
    monkeypatch.setattr("reviewpulse.sources.trustpilot.read_secret", lambda ref: dict(value))
    return value


@pytest.fixture
def adapter_for_config(
    make_source: Callable[..., Source], http: PlatformHttp, tokens: TokenCache, secret: dict[str, Any]
) -> Callable[..., TrustpilotAdapter]:
    def build(**config: Any) -> TrustpilotAdapter:
        settings = {"business_unit_id": BU, "per_page": 3} | config
        return TrustpilotAdapter(make_source(**settings), http=http, tokens=tokens)

    return build


def page_params(call: Any) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(call.request.url.split("?", 1)[1]).items()}


def form_of(call: Any) -> dict[str, list[str]]:
    body = call.request.body
    assert isinstance(body, str)
    return parse_qs(body)


def reviews_page(read_json: Callable[[str], Any], name: str, page: int, url: str = PUBLIC_URL) -> dict[str, Any]:
    return {
        "url": url,
        "json": read_json(f"trustpilot/{name}"),
        "match": [matchers.query_param_matcher({"page": str(page)}, strict_match=False)],
    }


def run(adapter: TrustpilotAdapter, cursor: dict[str, Any], budget: Budget) -> list[Page]:
    return list(adapter.fetch(cursor, budget))


# --- paging and resuming ---


def test_a_first_run_backfills_every_page_oldest_first_then_switches_to_incremental(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    for number in (1, 2, 3):
        api.get(**reviews_page(read_json, f"reviews_page{number}.json", number))

    pages = run(adapter_for_config(), {}, budget)

    assert [len(p.reviews) for p in pages] == [3, 3, 1]
    assert [p.cursor for p in pages] == [
        {"mode": "backfill", "page": 2, "since": None, "max_created": "2025-03-05T07:45:00Z"},
        {"mode": "backfill", "page": 3, "since": None, "max_created": "2025-03-10T03:00:00Z"},
        {"mode": "incremental", "page": 1, "since": "2025-03-12T20:45:30Z", "max_created": None},
    ]
    params = [page_params(call) for call in api.calls]
    assert [p["page"] for p in params] == ["1", "2", "3"]
    assert all(p["orderBy"] == "createdat.asc" and p["perPage"] == "3" for p in params)
    assert all("startDateTime" not in p for p in params)
    assert api.calls[0].request.headers["apikey"] == PUBLIC_SECRET["api_key"]


def test_an_incremental_run_rereads_the_rescan_window_and_moves_since_forward(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_incremental.json", 1))
    cursor = {"mode": "incremental", "page": 1, "since": "2025-03-12T20:45:30Z", "max_created": None}

    pages = run(adapter_for_config(rescan_days=14), cursor, budget)

    assert page_params(api.calls[0])["startDateTime"] == "2025-02-26T20:45:30"
    assert pages[-1].cursor == {
        "mode": "incremental",
        "page": 1,
        "since": "2025-03-15T11:11:11Z",
        "max_created": None,
    }
    edited = next(r for r in pages[0].reviews if r.review_id == "65a1f0c2e3b4a5d6c7e8f907")
    assert edited.text.startswith("Charged twice, but support refunded me")
    assert edited.reply is not None and edited.reply.text == "Glad we could sort it out, Mark."


def test_an_incremental_run_with_nothing_new_keeps_since(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_empty.json", 1))
    cursor = {"mode": "incremental", "page": 1, "since": "2025-03-12T20:45:30Z", "max_created": None}

    pages = run(adapter_for_config(), cursor, budget)

    assert pages == [Page(reviews=[], cursor=cursor)]


def test_a_business_with_no_reviews_yet_finishes_its_backfill_at_once(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_empty.json", 1))

    pages = run(adapter_for_config(), {}, budget)

    assert pages[-1].cursor == {"mode": "incremental", "page": 1, "since": None, "max_created": None}


def test_an_interrupted_backfill_resumes_at_the_page_after_the_last_stored_one(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    for number in (2, 3):
        api.get(**reviews_page(read_json, f"reviews_page{number}.json", number))
    cursor = {"mode": "backfill", "page": 2, "since": None, "max_created": "2025-03-05T07:45:00Z"}

    pages = run(adapter_for_config(), cursor, budget)

    assert [page_params(c)["page"] for c in api.calls] == ["2", "3"]
    assert pages[-1].cursor["since"] == "2025-03-12T20:45:30Z"


def test_no_more_pages_are_requested_once_the_budget_is_spent(
    api: responses.RequestsMock, adapter_for_config, read_json, clock, budget_of
) -> None:
    for number in (1, 2, 3):
        api.get(**reviews_page(read_json, f"reviews_page{number}.json", number))
    pages = adapter_for_config().fetch({}, budget_of(30))

    first = next(pages)
    clock.now += 31  # storing the first page used up the run
    rest = list(pages)

    assert first.cursor["page"] == 2
    assert rest == []
    assert len(api.calls) == 1


def test_the_deep_page_cap_ends_the_pass_and_the_next_pass_starts_from_the_newest_seen(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_page1.json", 1))
    api.get(
        PUBLIC_URL,
        status=400,
        json=read_json("trustpilot/error_pagination_limit.json"),
        match=[matchers.query_param_matcher({"page": "2"}, strict_match=False)],
    )

    pages = run(adapter_for_config(), {}, budget)

    assert [len(p.reviews) for p in pages] == [3, 0]
    assert pages[-1].cursor == {
        "mode": "incremental",
        "page": 1,
        "since": "2025-03-05T07:45:00Z",
        "max_created": None,
    }


def test_a_rate_limit_mid_backfill_keeps_the_cursor_after_the_last_yielded_page(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_page1.json", 1))
    api.get(
        PUBLIC_URL,
        status=429,
        headers={"Retry-After": "900"},
        match=[matchers.query_param_matcher({"page": "2"}, strict_match=False)],
    )
    pages = adapter_for_config().fetch({}, budget)

    first = next(pages)
    with pytest.raises(PlatformRateLimited) as raised:
        next(pages)

    assert first.cursor["page"] == 2  # what the ingester saved: page 2 is read again next run
    assert raised.value.retry_after_s == 900


# --- mapping ---


def test_a_review_keeps_what_readers_see_and_drops_the_customers_email(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_page1.json", 1))
    api.get(**reviews_page(read_json, "reviews_page2.json", 2))
    api.get(**reviews_page(read_json, "reviews_page3.json", 3))

    reviews = [r for p in run(adapter_for_config(), {}, budget) for r in p.reviews]

    first = reviews[0]
    assert first == Review(
        platform="trustpilot",
        review_id="65a1f0c2e3b4a5d6c7e8f901",
        rating=Rating(value=4, worst=1, best=5),
        title="Fast delivery",
        text="Arrived in two days, packaging could be better.",
        language="en",
        author_name="Anna K.",
        created_at=datetime(2025, 3, 2, 9, 14, 55, tzinfo=UTC),
        updated_at=datetime(2025, 3, 2, 9, 20, 1, tzinfo=UTC),
        reply=Reply(
            text="Thanks Anna! We'll pass it on to the warehouse.",
            created_at=datetime(2025, 3, 3, 8, 0, tzinfo=UTC),
        ),
        url="https://www.trustpilot.com/reviews/65a1f0c2e3b4a5d6c7e8f901",
        status=ReviewStatus.PUBLISHED,
    )
    stored = json.dumps([r.model_dump(mode="json") for r in reviews], ensure_ascii=False)
    assert "@example.org" not in stored
    assert "ORDER-" not in stored
    assert {r.language for r in reviews} == {"en", "de", "da", "fr", "ru", "ja"}
    assert reviews[5].author_name == "佐藤 花子"


def test_a_review_without_optional_fields_is_still_read(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "review_minimal.json", 1))

    (page,) = run(adapter_for_config(), {}, budget)

    (review,) = page.reviews
    assert review.title is None and review.text == "" and review.author_name is None
    assert review.reply is None and review.updated_at is None and review.language is None
    assert review.status is ReviewStatus.PUBLISHED
    assert review.created_at == datetime(2025, 4, 1, 13, 37, tzinfo=UTC)  # the docs' zone-less form is UTC


def test_an_invalid_review_is_skipped_and_counted_and_logged_by_id_only(
    api: responses.RequestsMock,
    adapter_for_config,
    read_json,
    budget: Budget,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api.get(**reviews_page(read_json, "reviews_one_invalid.json", 1))

    (page,) = run(adapter_for_config(per_page=100), {}, budget)

    assert [r.review_id for r in page.reviews] == ["65a1f0c2e3b4a5d6c7e8f911"]
    assert page.skipped == 2
    skips = [vars(r) for r in caplog.records if r.getMessage() == "skipped an invalid trustpilot review"]
    assert [s["review_id"] for s in skips] == ["65a1f0c2e3b4a5d6c7e8f912", "65a1f0c2e3b4a5d6c7e8f913"]
    assert [s["invalid_fields"] for s in skips] == ["stars", "createdAt"]
    assert "stars out of range" not in caplog.text + str(skips)  # review text never reaches the logs


def test_reviews_the_platform_hides_or_removes_are_marked_deleted(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(**reviews_page(read_json, "reviews_statuses.json", 1))

    (page,) = run(adapter_for_config(per_page=100), {}, budget)

    assert [r.status for r in page.reviews] == [
        ReviewStatus.DELETED,
        ReviewStatus.DELETED,
        ReviewStatus.PUBLISHED,
    ]


@pytest.mark.parametrize("body", [{"items": []}, {"reviews": {"id": "x"}}])
def test_a_page_that_is_not_a_list_of_reviews_is_malformed(
    api: responses.RequestsMock, adapter_for_config, budget: Budget, body: dict[str, Any]
) -> None:
    api.get(PUBLIC_URL, json=body)

    with pytest.raises(MalformedResponse, match="'reviews' list"):
        run(adapter_for_config(), {}, budget)


def test_a_truncated_page_is_malformed_and_yields_nothing(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    whole = json.dumps(read_json("trustpilot/reviews_page1.json"))
    api.get(PUBLIC_URL, body=whole[: len(whole) // 2], content_type="application/json")
    pages = adapter_for_config().fetch({}, budget)

    with pytest.raises(MalformedResponse):
        next(pages)


# --- public API key ---


def test_a_wrong_api_key_is_reported_as_such_without_the_key(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(PUBLIC_URL, status=401, json=read_json("trustpilot/error_unauthorized.json"))

    with pytest.raises(SourceAuthError, match="rejected the API key") as raised:
        run(adapter_for_config(), {}, budget)
    assert PUBLIC_SECRET["api_key"] not in str(raised.value)


def test_an_api_key_without_access_to_the_business_unit_is_a_permission_error(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    api.get(PUBLIC_URL, status=403, json=read_json("trustpilot/error_forbidden.json"))

    with pytest.raises(SourceAuthError, match="403"):
        run(adapter_for_config(), {}, budget)


# --- private API, OAuth ---


@pytest.fixture
def private_secret(secret: dict[str, Any]) -> dict[str, Any]:
    secret.clear()
    secret.update(PRIVATE_SECRET)
    return secret


def token_response(token: str, expires_in: str | int = "359999") -> dict[str, Any]:
    return {"url": TOKEN_URL, "json": {"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}}


def bearer(token: str) -> list[Any]:
    return [matchers.header_matcher({"Authorization": f"Bearer {token}"})]


def test_one_access_token_serves_every_page_of_a_run(
    api: responses.RequestsMock, adapter_for_config, read_json, private_secret, budget: Budget
) -> None:
    api.post(**token_response("tok-1"))
    for number in (1, 2, 3):
        api.get(**reviews_page(read_json, f"reviews_page{number}.json", number, url=PRIVATE_URL))

    pages = run(adapter_for_config(api="private"), {}, budget)

    assert len(pages) == 3
    token_calls = [c for c in api.calls if c.request.method == "POST"]
    assert len(token_calls) == 1
    expected = base64.b64encode(b"app-key-ABC:app-secret-DEF-do-not-log").decode()
    assert token_calls[0].request.headers["Authorization"] == f"Basic {expected}"
    assert form_of(token_calls[0]) == {"grant_type": ["client_credentials"]}
    reads = [c for c in api.calls if c.request.method == "GET"]
    assert all(c.request.headers["Authorization"] == "Bearer tok-1" for c in reads)
    assert all(c.request.headers["x-business-user-id"] == PRIVATE_SECRET["business_user_id"] for c in reads)


def test_a_warm_container_reuses_the_token_until_shortly_before_it_expires(
    api: responses.RequestsMock, adapter_for_config, read_json, private_secret, clock, budget: Budget
) -> None:
    api.post(**token_response("tok-1", expires_in=3600))
    api.post(**token_response("tok-2", expires_in=3600))
    api.get(**reviews_page(read_json, "reviews_empty.json", 1, url=PRIVATE_URL))

    run(adapter_for_config(api="private"), {}, budget)
    clock.now += 1800
    run(adapter_for_config(api="private"), {}, budget)  # a later invocation, same container
    assert len([c for c in api.calls if c.request.method == "POST"]) == 1

    clock.now += 1800  # past expiry
    run(adapter_for_config(api="private"), {}, budget)

    assert len([c for c in api.calls if c.request.method == "POST"]) == 2
    assert api.calls[-1].request.headers["Authorization"] == "Bearer tok-2"


def test_a_revoked_cached_token_is_replaced_once_and_the_read_retried(
    api: responses.RequestsMock, adapter_for_config, read_json, private_secret, budget: Budget
) -> None:
    api.post(**token_response("tok-old"))
    api.post(**token_response("tok-new"))
    api.get(PRIVATE_URL, status=401, match=bearer("tok-old"))
    api.get(PRIVATE_URL, json=read_json("trustpilot/reviews_page3.json"), match=bearer("tok-new"))

    pages = run(adapter_for_config(api="private"), {}, budget)

    assert [r.review_id for r in pages[0].reviews] == ["65a1f0c2e3b4a5d6c7e8f907"]
    assert len([c for c in api.calls if c.request.method == "POST"]) == 2


def test_a_fresh_token_that_is_also_refused_is_an_auth_error(
    api: responses.RequestsMock, adapter_for_config, private_secret, budget: Budget
) -> None:
    api.post(**token_response("tok-1"))
    api.get(PRIVATE_URL, status=401)

    with pytest.raises(SourceAuthError, match="freshly minted"):
        run(adapter_for_config(api="private"), {}, budget)
    assert len([c for c in api.calls if c.request.method == "GET"]) == 2  # retried exactly once


def test_a_refused_token_request_names_what_to_check_and_not_the_secret(
    api: responses.RequestsMock, adapter_for_config, private_secret, budget: Budget
) -> None:
    api.post(TOKEN_URL, status=401, json={"fault": {"faultstring": "Invalid ApiKey"}})

    with pytest.raises(SourceAuthError, match="api_key/api_secret") as raised:
        run(adapter_for_config(api="private"), {}, budget)
    assert PRIVATE_SECRET["api_secret"] not in str(raised.value)
    assert not any(c.request.method == "GET" for c in api.calls)


def test_the_password_grant_sends_the_business_users_login(
    api: responses.RequestsMock, adapter_for_config, read_json, private_secret, budget: Budget
) -> None:
    private_secret.update(grant="password", username="owner@example.com", password="pw-123")
    api.post(**token_response("tok-1"))
    api.get(**reviews_page(read_json, "reviews_empty.json", 1, url=PRIVATE_URL))

    run(adapter_for_config(api="private"), {}, budget)

    form = form_of(api.calls[0])
    assert form == {"grant_type": ["password"], "username": ["owner@example.com"], "password": ["pw-123"]}


# --- configuration and secrets ---


def test_a_source_without_business_unit_is_a_config_error(make_source, http, tokens) -> None:
    with pytest.raises(SourceConfigError, match="business_unit_id"):
        TrustpilotAdapter(make_source(api="public"), http=http, tokens=tokens)


def test_a_local_sandbox_can_stand_in_for_trustpilot(
    api: responses.RequestsMock, adapter_for_config, read_json, budget: Budget
) -> None:
    sandbox = f"http://127.0.0.1:8765/v1/business-units/{BU}/reviews"
    api.get(**reviews_page(read_json, "reviews_page3.json", 1, url=sandbox))

    pages = run(adapter_for_config(api_base="http://127.0.0.1:8765/"), {}, budget)

    assert len(pages[0].reviews) == 1


def test_a_missing_secret_is_an_auth_error_naming_the_secret(
    aws: None, make_source, http, tokens, budget: Budget
) -> None:
    adapter = TrustpilotAdapter(
        make_source(business_unit_id=BU, credentials="secretsmanager:reviewpulse/missing"), http=http, tokens=tokens
    )

    with pytest.raises(SourceAuthError, match=r"reviewpulse/missing.*not found"):
        run(adapter, {}, budget)


def test_the_adapter_reads_its_key_from_secrets_manager(
    aws: None, api: responses.RequestsMock, make_source, http, tokens, read_json, budget: Budget
) -> None:
    import boto3

    boto3.client("secretsmanager").create_secret(Name="reviewpulse/tp", SecretString=json.dumps(PUBLIC_SECRET))
    api.get(**reviews_page(read_json, "reviews_empty.json", 1))
    adapter = TrustpilotAdapter(make_source(business_unit_id=BU), http=http, tokens=tokens)

    run(adapter, {}, budget)

    assert api.calls[0].request.headers["apikey"] == PUBLIC_SECRET["api_key"]
