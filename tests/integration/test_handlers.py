"""The ingestion handlers, called with the sample events in events/ against moto."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest
import responses

from reviewpulse.models import Schedule, Source, utcnow
from reviewpulse.store import ReviewStore
from tests.conftest import REPO, FakeLambdaContext, load_event, load_function


@pytest.fixture
def queue_url(aws: None) -> str:
    return boto3.client("sqs").create_queue(QueueName="fetch-requests")["QueueUrl"]


def queued(queue_url: str) -> list[dict[str, Any]]:
    messages = boto3.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_the_schedule_queues_each_due_active_source_once(
    store: ReviewStore, table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for source_id, paused in (("acme-feed", False), ("acme-paused", True)):
        store.put_source(
            Source(
                source_id=source_id,
                business_id="acme",
                location_id="oslo",
                platform="feed",
                paused=paused,
                schedule=Schedule(every_minutes=30),
            ),
            entity=f"https://feeds.example/{source_id}.json",
        )
    app = load_function("schedule_fetches", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)

    first = app.lambda_handler(load_event("schedule_fetches"), FakeLambdaContext())
    second = app.lambda_handler(load_event("schedule_fetches"), FakeLambdaContext())

    assert first == {"queued": ["acme-feed"]}
    assert second == {"queued": []}  # claimed for the next 30 minutes
    assert queued(queue_url) == [{"source_id": "acme-feed", "reason": "schedule"}]


def test_a_malformed_fetch_request_fails_alone_and_a_removed_source_is_skipped(
    table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = load_function("fetch_source", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)
    event = load_event("fetch_source")

    result = app.lambda_handler(event, FakeLambdaContext())

    bad = [r["messageId"] for r in event["Records"] if r["body"] == "not json"]
    assert result == {"batchItemFailures": [{"itemIdentifier": bad[0]}]}


BU = "5f1c2d3e4a5b6c7d8e9f0a1b"
API = "https://api.trustpilot.example"


def one_fetch_request() -> dict[str, Any]:
    """The sample event's first record alone: a well-formed request for `acme-trustpilot`."""
    event = load_event("fetch_source")
    event["Records"] = event["Records"][:1]
    return event


def fixture_page(n: int) -> dict[str, Any]:
    return dict(json.loads((REPO / "tests" / "fixtures" / "trustpilot" / f"reviews_page{n}.json").read_text()))


@pytest.fixture
def trustpilot_source(store: ReviewStore) -> Source:
    boto3.client("secretsmanager").create_secret(
        Name="reviewpulse/trustpilot", SecretString=json.dumps({"api_key": "k-123"})
    )
    source = Source(
        source_id="acme-trustpilot",
        business_id="acme",
        location_id="stockholm",
        platform="trustpilot",
        config={"business_unit_id": BU, "api_base": API, "per_page": 3},
        credentials="secretsmanager:reviewpulse/trustpilot",
    )
    store.put_source(source, entity=BU)
    return source


def serve_pages(api: responses.RequestsMock, pages: dict[int, dict[str, Any]], status: int = 200) -> None:
    def reply(request: Any) -> tuple[int, dict[str, str], str]:
        if request.headers.get("apikey") != "k-123":
            return 401, {}, json.dumps({"message": "Unauthorized"})
        page = int(request.params.get("page", "1"))
        return status, {"Content-Type": "application/json"}, json.dumps(pages.get(page, {"reviews": []}))

    api.add_callback(responses.GET, f"{API}/v1/business-units/{BU}/reviews", callback=reply)


def test_a_fetch_request_stores_every_page_of_a_trustpilot_source_once(
    trustpilot_source: Source, store: ReviewStore, table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = load_function("fetch_source", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)
    event = one_fetch_request()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        serve_pages(api, {1: fixture_page(1), 2: fixture_page(2), 3: fixture_page(3)})
        assert app.lambda_handler(event, FakeLambdaContext()) == {"batchItemFailures": []}
        assert app.lambda_handler(event, FakeLambdaContext()) == {"batchItemFailures": []}

    stored = list(store.reviews_of("acme-trustpilot"))
    assert len(stored) == 7
    assert {r["version"] for r in stored} == {1}
    assert all("referralEmail" not in r and "consumer_email" not in r for r in stored)
    source = store.get_source("acme-trustpilot")
    assert source.cursor["mode"] == "incremental"
    assert source.last_error is None and source.last_success_at is not None


def test_wrong_credentials_are_recorded_on_the_source_and_nothing_is_retried(
    trustpilot_source: Source, store: ReviewStore, table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("secretsmanager").put_secret_value(
        SecretId="reviewpulse/trustpilot", SecretString=json.dumps({"api_key": "wrong"})
    )
    app = load_function("fetch_source", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)
    event = one_fetch_request()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        serve_pages(api, {1: fixture_page(1)})
        assert app.lambda_handler(event, FakeLambdaContext()) == {"batchItemFailures": []}

    source = store.get_source("acme-trustpilot")
    assert source.last_error and "401" in source.last_error
    assert source.cursor == {}
    assert list(store.reviews_of("acme-trustpilot")) == []
    assert queued(queue_url) == []


def test_a_rate_limit_beyond_the_budget_moves_the_next_fetch_past_retry_after(
    trustpilot_source: Source, store: ReviewStore, table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = load_function("fetch_source", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)
    event = one_fetch_request()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        api.add(responses.GET, f"{API}/v1/business-units/{BU}/reviews", status=429, headers={"Retry-After": "600"})
        assert app.lambda_handler(event, FakeLambdaContext()) == {"batchItemFailures": []}

    source = store.get_source("acme-trustpilot")
    assert source.last_error and "429" in source.last_error
    assert source.next_due_at and source.next_due_at > utcnow() + timedelta(seconds=590)
    assert source.lease_id is None  # released for the next worker
    assert queued(queue_url) == []  # no retry chain of our own: the schedule comes back when it is due


def test_a_source_another_worker_is_fetching_is_left_alone(
    trustpilot_source: Source, store: ReviewStore, table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.acquire_lease("acme-trustpilot", "other-worker", until=utcnow() + timedelta(minutes=5), now=utcnow())
    app = load_function("fetch_source", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)
    event = one_fetch_request()
    with responses.RequestsMock() as api:  # any HTTP call would fail the test: none is expected
        assert app.lambda_handler(event, FakeLambdaContext()) == {"batchItemFailures": []}
        assert len(api.calls) == 0
    assert store.get_source("acme-trustpilot").lease_id == "other-worker"


def test_a_fetch_out_of_time_queues_its_continuation(
    trustpilot_source: Source, store: ReviewStore, table_name: str, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = load_function("fetch_source", monkeypatch, TABLE_NAME=table_name, FETCH_QUEUE_URL=queue_url)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        serve_pages(api, {1: fixture_page(1)})
        # 5 s left is less than the margin kept for storing results: no page may be started.
        assert app.lambda_handler(one_fetch_request(), FakeLambdaContext(timeout_s=5)) == {"batchItemFailures": []}
    assert queued(queue_url) == [{"source_id": "acme-trustpilot", "reason": "continue"}]
    assert store.get_source("acme-trustpilot").lease_id is None
