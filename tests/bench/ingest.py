"""Ingest throughput on the local stack, and what re-reading unchanged reviews costs in DynamoDB writes.

The fetch worker runs in-process on the local stack (moto server from template.yaml) against the
sandbox platform over real HTTP, exactly as `make run` wires it; only the trigger is ours, so the time
measured is the worker's: paging, validation, change detection and writes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import boto3

from reviewpulse.store import ReviewStore
from tests.local.sandbox import API_KEY, API_SECRET, Sandbox, World
from tests.local.seed import TRUSTPILOT_SECRET, default_sources, save_source, store_secret
from tests.local.stack import LocalStack

WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


@dataclass
class IngestFigures:
    reviews: int
    seconds: float
    review_writes_first_pass: int
    unchanged_reviews: int
    review_writes_second_pass: int
    other_writes_second_pass: int  # the source's own bookkeeping (last success), per run not per review
    invocations: int


class ReviewWriteCounter:
    """Counts the DynamoDB write calls any client in this process makes: to review items (sk REV#…) and others."""

    def __init__(self) -> None:
        self.count = 0
        self.other = 0
        boto3.setup_default_session()
        session = boto3.DEFAULT_SESSION
        assert session is not None
        session.events.register("before-parameter-build.dynamodb.*", self._seen)

    def _seen(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name in WRITE_OPERATIONS:
            if "REV#" in json.dumps(params.get("Item") or params.get("Key") or {}):
                self.count += 1
            else:
                self.other += 1


def _fetch_until_done(stack: LocalStack, source_id: str) -> int:
    """Invoke the worker as SQS would until the source has no pages left; returns the invocation count."""
    function = stack.runtime.function("FetchSourceFunction")
    invocations = 0
    while True:
        invocations += 1
        event = {"Records": [_sqs_record(source_id, invocations)]}
        result = function.invoke(event, trigger="bench")
        if result.error or (result.result or {}).get("batchItemFailures"):
            raise RuntimeError(f"fetch failed: {result.error or result.result}")
        queue = stack.client("sqs")
        url = stack.deployment.ref("FetchQueue")
        pending = queue.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        for message in pending:
            queue.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if not pending:  # no continuation queued: the backfill is complete
            return invocations


def _sqs_record(source_id: str, n: int) -> dict[str, Any]:
    return {
        "messageId": f"bench-{n}",
        "receiptHandle": f"bench-{n}",
        "body": json.dumps({"source_id": source_id, "reason": "schedule"}),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:FetchQueue",
        "awsRegion": "eu-west-1",
    }


def measure(history: int = 2000) -> IngestFigures:
    counter = ReviewWriteCounter()
    with Sandbox(World(seed=11, history=history), port=0, tick_seconds=None) as sandbox:
        stack = LocalStack(api_port=None).deploy()
        try:
            table = stack.deployment.ref("ReviewsTable")
            store_secret(stack.endpoint, TRUSTPILOT_SECRET, {"api_key": API_KEY, "api_secret": API_SECRET})
            source = next(s for s in default_sources(sandbox) if s.source_id == "trustpilot-public")
            save_source(stack.endpoint, table, source)

            started = time.perf_counter()
            invocations = _fetch_until_done(stack, source.source_id)
            seconds = time.perf_counter() - started
            first_pass = counter.count

            store = ReviewStore(stack.client("dynamodb"), table)
            stored = sum(1 for _ in store.reviews_of(source.source_id))
            store.update_source(source.source_id, cursor={})  # forget the cursor: re-read every review
            before, other_before = counter.count, counter.other
            _fetch_until_done(stack, source.source_id)
            return IngestFigures(
                reviews=stored,
                seconds=seconds,
                review_writes_first_pass=first_pass,
                unchanged_reviews=stored,
                review_writes_second_pass=counter.count - before,
                other_writes_second_pass=counter.other - other_before,
                invocations=invocations,
            )
        finally:
            stack.stop()
