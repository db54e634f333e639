"""The ingestion handlers, called with the sample events in events/ against moto."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from reviewpulse.models import Schedule, Source
from reviewpulse.store import ReviewStore

from tests.conftest import FakeLambdaContext, load_event, load_function


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
            )
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
