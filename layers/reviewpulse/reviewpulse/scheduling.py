"""Fan-out: every due source becomes one queue message, so a slow or failing source delays no other."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from reviewpulse.store import ReviewStore

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

logger = Logger(child=True)
_SQS_BATCH = 10
MAX_DELAY_S = 900  # SQS's longest DelaySeconds


@dataclass(frozen=True)
class FetchRequest:
    """The queue message: which source to fetch and why."""

    source_id: str
    reason: str = "schedule"  # schedule | continue (backfill ran out of time) | retry (rate limited)

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

    def send(self, requests: list[FetchRequest], delay_s: float = 0) -> None:
        delay = int(min(MAX_DELAY_S, max(0, delay_s)))
        for start in range(0, len(requests), _SQS_BATCH):
            chunk = requests[start : start + _SQS_BATCH]
            entries = [{"Id": str(i), "MessageBody": r.to_json(), "DelaySeconds": delay} for i, r in enumerate(chunk)]
            result = self._sqs.send_message_batch(QueueUrl=self.url, Entries=entries)  # type: ignore[arg-type]
            if failed := result.get("Failed"):
                ids = [chunk[int(f["Id"])].source_id for f in failed]
                raise RuntimeError(f"queue refused fetch requests for {ids}: {failed[0].get('Message')}")


def enqueue_due_sources(store: ReviewStore, queue: FetchQueue, now: datetime) -> list[str]:
    """Claim each due, active source (so two overlapping schedules don't both send it) and queue it."""
    claimed = [s.source_id for s in store.list_sources() if s.is_due(now) and store.claim_due_source(s, now)]
    if claimed:
        try:
            queue.send([FetchRequest(source_id) for source_id in claimed])
        except Exception:
            # Un-claim so the next schedule tick tries again instead of waiting a whole interval.
            for source_id in claimed:
                store.update_source(source_id, next_due_at=now)
            raise
    logger.info("fetches queued", extra={"queued": len(claimed)})
    return claimed
