"""Fan-out: every due source becomes one queue message, so a slow or failing source delays no other."""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from reviewpulse.models import iso
from reviewpulse.store import LeaseLost, ReviewStore

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

logger = Logger(child=True)
_SQS_BATCH = 10


@dataclass(frozen=True)
class FetchRequest:
    """The queue message: which source to fetch and why."""

    source_id: str
    reason: str = "schedule"  # schedule | continue (a backfill ran out of time)

    def to_json(self) -> str:
        return json.dumps({"source_id": self.source_id, "reason": self.reason})

    @classmethod
    def from_json(cls, body: str) -> FetchRequest:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("source_id"), str):
            raise ValueError("fetch request needs a string source_id")
        return cls(source_id=data["source_id"], reason=str(data.get("reason", "schedule")))


class FetchQueue:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self.url = queue_url

    def send(self, requests: list[FetchRequest]) -> list[FetchRequest]:
        """Queue the requests; returns those SQS refused (the rest are queued)."""
        refused: list[FetchRequest] = []
        for start in range(0, len(requests), _SQS_BATCH):
            chunk = requests[start : start + _SQS_BATCH]
            entries = [{"Id": str(i), "MessageBody": r.to_json()} for i, r in enumerate(chunk)]
            result = self._sqs.send_message_batch(QueueUrl=self.url, Entries=entries)  # type: ignore[arg-type]
            refused.extend(chunk[int(f["Id"])] for f in result.get("Failed", []))
        return refused


class FetchesNotQueued(RuntimeError):
    """SQS refused some fetch requests; they stay due and the next tick tries again."""


def enqueue_due_sources(store: ReviewStore, queue: FetchQueue, now: datetime) -> list[str]:
    """Claim each due, active source (so overlapping schedules never both send it) and queue it."""
    claims = {}
    for source in store.list_sources():
        if source.is_due(now) and (claimed_until := store.claim_due_source(source, now)):
            claims[source.source_id] = claimed_until
    refused = queue.send([FetchRequest(source_id) for source_id in claims])
    for request in refused:
        # Un-claim only what was not sent, and only if no later claim happened since.
        with suppress(LeaseLost):
            store.update_source(
                request.source_id, expect={"next_due_at": iso(claims[request.source_id])}, next_due_at=now
            )
    queued = [s for s in claims if s not in {r.source_id for r in refused}]
    logger.info("fetches queued", extra={"queued": len(queued), "refused": len(refused)})
    if refused:
        raise FetchesNotQueued(f"SQS refused fetch requests for {[r.source_id for r in refused]}")
    return queued
