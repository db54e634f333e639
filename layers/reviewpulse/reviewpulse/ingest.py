"""Fetch one source: pull pages from its adapter, store what is new or changed, move its cursor.

The cursor is saved only after the page it follows is stored, so a crash or a platform error never
skips data; re-reading a page costs reads, not writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger

from reviewpulse.models import Source, WriteOutcome, utcnow
from reviewpulse.scheduling import FetchQueue, FetchRequest
from reviewpulse.sources import adapter_for
from reviewpulse.sources.base import Budget, ReviewSource
from reviewpulse.sources.errors import PlatformRateLimited, SourceError
from reviewpulse.store import ReviewStore, SourceNotFound

logger = Logger(child=True)


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
    more: bool = False  # stopped for lack of time with pages left: continue in another invocation
    retry_after_s: float | None = None  # the platform asked us to come back later
    error: str | None = None
    error_kind: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_log(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "extra"}


def ingest_source(source: Source, adapter: ReviewSource, store: ReviewStore, budget: Budget) -> FetchReport:
    report = FetchReport(source_id=source.source_id, platform=source.platform)
    cursor = dict(source.cursor)
    started = utcnow()
    try:
        for page in adapter.fetch(cursor, budget):
            upserted = store.upsert_reviews(source, page.reviews)
            if page.complete_snapshot and adapter.gives.deletions:
                report.deleted += store.mark_missing_deleted(source, {r.review_id for r in page.reviews})
            report.new += upserted.outcomes[WriteOutcome.NEW]
            report.changed += upserted.outcomes[WriteOutcome.CHANGED]
            report.unchanged += upserted.outcomes[WriteOutcome.UNCHANGED]
            report.skipped += page.skipped
            report.pages += 1
            if page.cursor != cursor:
                store.update_source(source.source_id, cursor=page.cursor)
                cursor = page.cursor
            if budget.exhausted():
                report.more = True
                break
    except SourceError as err:
        report.error, report.error_kind = str(err) or type(err).__name__, type(err).__name__
        if isinstance(err, PlatformRateLimited):
            report.retry_after_s = err.retry_after_s
        store.update_source(source.source_id, last_run_at=started, last_error=report.error, last_error_at=utcnow())
        logger.warning("source failed", extra={"source_id": source.source_id, "error_kind": report.error_kind})
        return report
    store.update_source(
        source.source_id, last_run_at=started, last_success_at=utcnow(), last_error=None, last_error_at=None
    )
    return report


def fetch_requested_source(
    request: FetchRequest, store: ReviewStore, queue: FetchQueue, budget: Budget
) -> FetchReport | None:
    """Handle one queued fetch: None when the source is gone or paused (nothing to do, nothing lost)."""
    try:
        source = store.get_source(request.source_id)
    except SourceNotFound:
        logger.warning("fetch requested for a removed source", extra={"source_id": request.source_id})
        return None
    if source.paused:
        return None
    try:
        adapter = adapter_for(source)
    except SourceError as err:
        store.update_source(source.source_id, last_error=str(err), last_error_at=utcnow())
        return FetchReport(source.source_id, source.platform, error=str(err), error_kind=type(err).__name__)
    report = ingest_source(source, adapter, store, budget)
    if report.more:
        queue.send([FetchRequest(source.source_id, reason="continue")])
    elif report.retry_after_s is not None:
        queue.send([FetchRequest(source.source_id, reason="retry")], delay_s=report.retry_after_s)
    return report
