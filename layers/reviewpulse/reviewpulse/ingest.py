"""Fetch one source: pull pages from its adapter, store what is new or changed, move its cursor.

The cursor is saved only after the page it follows is stored, so a crash or a platform error never
skips data; re-reading a page costs reads, not writes. One worker at a time holds a source (a lease),
so two deliveries of the same request never page a source twice or move its cursor backwards.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger

from reviewpulse.models import Source, WriteOutcome, utcnow
from reviewpulse.scheduling import FetchesNotQueued, FetchQueue, FetchRequest
from reviewpulse.sources import adapter_for
from reviewpulse.sources.base import Budget, ReviewSource
from reviewpulse.sources.errors import PlatformRateLimited, SourceError
from reviewpulse.store import LeaseLost, ReviewStore, SourceNotFound, as_stored

logger = Logger(child=True)
LEASE_SLACK = timedelta(seconds=30)  # beyond the invocation's deadline: clocks differ between workers


@dataclass
class FetchReport:
    """What one fetch did, for the log line, the metrics and the console."""

    source_id: str
    platform: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    pages: int = 0
    more: bool = False  # stopped for lack of time: continue in another invocation
    error: str | None = None
    error_kind: str | None = None

    def as_log(self) -> dict[str, Any]:
        return asdict(self)


def ingest_source(
    source: Source, adapter: ReviewSource, store: ReviewStore, budget: Budget, lease_id: str | None = None
) -> FetchReport:
    report = FetchReport(source_id=source.source_id, platform=source.platform)
    saved = as_stored(source.cursor)
    cursor = saved
    lease = {"lease_id": lease_id} if lease_id else None

    def save_cursor() -> None:
        nonlocal saved
        if cursor != saved:
            store.update_source(source.source_id, expect=lease, cursor=cursor)
            saved = cursor

    started = utcnow()
    try:
        for page in adapter.fetch(dict(saved), budget):
            written_before = report.new + report.changed + report.deleted
            upserted = store.upsert_reviews(source, page.reviews)
            if page.complete_snapshot and adapter.gives.deletions:
                report.deleted += store.mark_missing_deleted(source, {r.review_id for r in page.reviews})
            report.new += upserted.outcomes[WriteOutcome.NEW]
            report.changed += upserted.outcomes[WriteOutcome.CHANGED]
            report.unchanged += upserted.outcomes[WriteOutcome.UNCHANGED]
            report.skipped += page.skipped
            report.pages += 1
            cursor = as_stored(page.cursor)
            # A page that wrote something moves the saved cursor at once; a page of unchanged reviews only
            # in memory: after a crash it is read again, which costs reads, never writes.
            if report.new + report.changed + report.deleted > written_before:
                save_cursor()
            if budget.exhausted():
                break
        save_cursor()
    except SourceError as err:
        with suppress(LeaseLost, SourceNotFound):
            save_cursor()  # the pages before the error are stored
        report.error, report.error_kind = str(err) or type(err).__name__, type(err).__name__
        failure: dict[str, Any] = {"last_run_at": started, "last_error": report.error, "last_error_at": utcnow()}
        if isinstance(err, PlatformRateLimited):  # come back when the platform allows, not at the next tick
            failure["next_due_at"] = utcnow() + timedelta(seconds=err.retry_after_s)
        _record(store, source, failure)
        logger.warning("source failed", extra={"source_id": source.source_id, "error_kind": report.error_kind})
        return report
    except (LeaseLost, SourceNotFound):
        report.error, report.error_kind = "source removed or taken over during the fetch", "SourceGone"
        return report
    except Exception as err:
        # Our own fault (a bug, DynamoDB refusing a write): say so on the source, then let the message fail
        # so SQS retries it and finally dead-letters it (alarmed).
        _record(store, source, {"last_error": f"internal error: {type(err).__name__}", "last_error_at": utcnow()})
        raise
    report.more = budget.exhausted()  # an adapter stops quietly when time runs out: assume pages are left
    _record(
        store, source, {"last_run_at": started, "last_success_at": utcnow(), "last_error": None, "last_error_at": None}
    )
    return report


def _record(store: ReviewStore, source: Source, values: dict[str, Any]) -> None:
    try:
        store.update_source(source.source_id, **values)
    except SourceNotFound:
        logger.info("source removed during the fetch", extra={"source_id": source.source_id})


def fetch_requested_source(
    request: FetchRequest, store: ReviewStore, queue: FetchQueue, remaining_ms: int
) -> FetchReport | None:
    """Handle one queued fetch in the `remaining_ms` the invocation has left.

    None when there is nothing to do (source gone, paused, or busy elsewhere).
    """
    try:
        source = store.get_source(request.source_id)
    except SourceNotFound:
        logger.warning("fetch requested for a removed source", extra={"source_id": request.source_id})
        return None
    if source.paused:
        return None
    budget = Budget.from_remaining_ms(remaining_ms)
    lease_id, now = uuid.uuid4().hex, utcnow()
    # The lease outlives the invocation itself, so no other worker starts while this one still writes.
    if not store.acquire_lease(
        source.source_id, lease_id, until=now + timedelta(milliseconds=remaining_ms) + LEASE_SLACK, now=now
    ):
        logger.info("source is being fetched by another worker", extra={"source_id": source.source_id})
        return None
    try:
        try:
            adapter = adapter_for(source)
        except SourceError as err:
            _record(store, source, {"last_error": str(err), "last_error_at": utcnow()})
            return FetchReport(source.source_id, source.platform, error=str(err), error_kind=type(err).__name__)
        report = ingest_source(source, adapter, store, budget, lease_id)
    finally:
        store.release_lease(source.source_id, lease_id)
    if report.more and queue.send([FetchRequest(source.source_id, reason="continue")]):
        raise FetchesNotQueued(f"SQS refused the continuation of {source.source_id}")  # SQS redelivers this one
    return report
