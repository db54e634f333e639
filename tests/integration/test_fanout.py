"""The fan-out against moto: each due source queued once, nothing lost when SQS refuses some."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import boto3
import pytest

from reviewpulse.models import Schedule, Source
from reviewpulse.scheduling import FetchesNotQueued, FetchQueue, enqueue_due_sources
from reviewpulse.store import ReviewStore, to_dynamo

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def add_sources(store: ReviewStore, count: int) -> list[str]:
    ids = [f"src-{n:02d}" for n in range(count)]
    for source_id in ids:
        store.put_source(
            Source(
                source_id=source_id,
                business_id="acme",
                location_id="x",
                platform="feed",
                schedule=Schedule(every_minutes=60),
            ),
            entity=f"https://feeds.example/{source_id}.json",
        )
    return ids


class RefusingSQS:
    """SQS that refuses the entries whose body names one of `refuse` (as a throttled batch would)."""

    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.sent: list[str] = []

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        failed = [e for e in Entries if any(r in e["MessageBody"] for r in self.refuse)]
        self.sent += [e["MessageBody"] for e in Entries if e not in failed]
        return {"Failed": [{"Id": e["Id"], "Code": "ThrottlingException", "SenderFault": False} for e in failed]}


def test_many_due_sources_are_each_queued_once_across_overlapping_ticks(store: ReviewStore) -> None:
    ids = add_sources(store, 23)
    queue_url = boto3.client("sqs").create_queue(QueueName="fetch")["QueueUrl"]
    queue = FetchQueue(boto3.client("sqs"), queue_url)
    first = enqueue_due_sources(store, queue, NOW)
    second = enqueue_due_sources(store, queue, NOW + timedelta(minutes=1))
    assert sorted(first) == ids and second == []
    later = enqueue_due_sources(store, queue, NOW + timedelta(minutes=61))
    assert sorted(later) == ids


def test_sources_sqs_refused_stay_due_and_the_others_are_not_sent_twice(store: ReviewStore) -> None:
    add_sources(store, 12)
    sqs = RefusingSQS(refuse={"src-03", "src-11"})
    with pytest.raises(FetchesNotQueued, match="src-03"):
        enqueue_due_sources(store, FetchQueue(cast(Any, sqs), "queue"), NOW)
    assert len(sqs.sent) == 10
    retry = RefusingSQS(refuse=set())
    assert sorted(enqueue_due_sources(store, FetchQueue(cast(Any, retry), "queue"), NOW + timedelta(minutes=1))) == [
        "src-03",
        "src-11",
    ]


def test_an_invalid_source_item_does_not_stop_the_others(store: ReviewStore, dynamodb: Any, table_name: str) -> None:
    add_sources(store, 2)
    dynamodb.update_item(
        TableName=table_name,
        Key=to_dynamo({"pk": "SOURCE#src-01", "sk": "SOURCE"}),
        UpdateExpression="SET schedule = :s",
        ExpressionAttributeValues={":s": {"M": {"every_minutes": {"N": "0"}}}},
    )
    invalid: list[str] = []
    assert [s.source_id for s in store.list_sources(invalid)] == ["src-00"]
    assert invalid == ["src-01"]
