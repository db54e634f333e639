"""Ingestion against moto: only new or changed reviews are written, cursors never skip data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import boto3
import pytest

from reviewpulse.ingest import ingest_source
from reviewpulse.models import Rating, Reply, Review, ReviewStatus, Source, WriteOutcome
from reviewpulse.sources.base import Budget, Capabilities, Page, ReviewSource
from reviewpulse.sources.errors import PlatformUnavailable
from reviewpulse.store import ReviewStore, review_key, to_dynamo
from tests.conftest import WriteCounter

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def review(n: int, **changes: Any) -> Review:
    base = Review(
        platform="scripted",
        review_id=f"r{n}",
        rating=Rating(value=1 + n % 5),
        title=f"Review {n}",
        text=f"Text of review {n}",
        language="en",
        author_name=f"Customer {n}",
        created_at=T0 + timedelta(hours=n),
    )
    return base.model_copy(update=changes)


class ScriptedSource(ReviewSource):
    """Plays back pages as a platform would serve them; fails after `fail_after` pages if asked to."""

    platform = "scripted"
    gives: ClassVar[Capabilities] = Capabilities(history=True, replies=True, edits=True, deletions=True)

    def __init__(self, source: Source, pages: list[Page], fail_after: int | None = None, start_over: bool = False):
        super().__init__(source)
        self.pages, self.fail_after, self.start_over = pages, fail_after, start_over

    @property
    def entity(self) -> str:
        return self.source.source_id

    def fetch(self, cursor: dict[str, Any], budget: Budget) -> Iterator[Page]:
        start = 0 if self.start_over else int(cursor.get("page", 0))
        for index, page in enumerate(self.pages[start:], start=start):
            if self.fail_after is not None and index >= self.fail_after:
                raise PlatformUnavailable("platform answered 503 three times")
            yield page


def pages_of(reviews: list[Review], size: int = 2) -> list[Page]:
    return [Page(reviews=reviews[i : i + size], cursor={"page": i // size + 1}) for i in range(0, len(reviews), size)]


@pytest.fixture
def source(store: ReviewStore) -> Source:
    src = Source(source_id="acme-scripted", business_id="acme", location_id="riga", platform="scripted")
    store.put_source(src, entity="scripted-entity")
    return src


def stored(dynamodb: Any, table_name: str, source: Source, review_id: str) -> dict[str, Any]:
    item = dynamodb.get_item(TableName=table_name, Key=to_dynamo(review_key(source.source_id, review_id)))
    return item["Item"]


def test_new_reviews_are_stored_once_with_their_fields(
    store: ReviewStore, source: Source, dynamodb: Any, table_name: str
) -> None:
    report = ingest_source(
        source, ScriptedSource(source, pages_of([review(1), review(2), review(3)])), store, Budget(60)
    )
    assert (report.new, report.changed, report.unchanged, report.pages) == (3, 0, 0, 2)
    item = stored(dynamodb, table_name, source, "r2")
    assert item["entity_type"] == {"S": "review"}
    assert item["version"] == {"N": "1"}
    assert item["rating"]["M"]["value"] == {"N": "3"}
    assert item["business_id"] == {"S": "acme"}


def test_unchanged_reviews_cost_no_writes(store: ReviewStore, source: Source, writes: WriteCounter) -> None:
    reviews = [review(n) for n in range(1, 8)]
    ingest_source(source, ScriptedSource(source, pages_of(reviews)), store, Budget(60))
    again = store.get_source(source.source_id)
    review_writes, all_writes = writes.review_writes, writes.total
    report = ingest_source(again, ScriptedSource(again, pages_of(reviews), start_over=True), store, Budget(60))
    assert report.unchanged == 7 and report.new == report.changed == 0
    assert writes.review_writes == review_writes
    assert writes.total == all_writes + 1  # the source's own "last success" bookkeeping, once per run


def test_an_edit_and_an_owner_reply_make_a_new_version(
    store: ReviewStore, source: Source, dynamodb: Any, table_name: str
) -> None:
    ingest_source(source, ScriptedSource(source, pages_of([review(1)])), store, Budget(60))
    edited = review(
        1, rating=Rating(value=4), reply=Reply(text="Sorry, we fixed it", created_at=T0 + timedelta(days=1))
    )
    again = store.get_source(source.source_id).model_copy(update={"cursor": {}})
    report = ingest_source(again, ScriptedSource(again, pages_of([edited])), store, Budget(60))
    assert report.changed == 1
    item = stored(dynamodb, table_name, source, "r1")
    assert item["version"] == {"N": "2"}
    assert item["reply"]["M"]["text"] == {"S": "Sorry, we fixed it"}


def test_a_changed_updated_at_alone_is_not_a_change(store: ReviewStore, source: Source) -> None:
    ingest_source(source, ScriptedSource(source, pages_of([review(1)])), store, Budget(60))
    bumped = review(1, updated_at=T0 + timedelta(days=3))
    again = store.get_source(source.source_id).model_copy(update={"cursor": {}})
    assert ingest_source(again, ScriptedSource(again, pages_of([bumped])), store, Budget(60)).unchanged == 1


def test_a_platform_error_keeps_the_cursor_at_the_last_stored_page(store: ReviewStore, source: Source) -> None:
    reviews = [review(n) for n in range(1, 7)]
    report = ingest_source(source, ScriptedSource(source, pages_of(reviews), fail_after=2), store, Budget(60))
    assert report.error_kind == "PlatformUnavailable" and report.new == 4
    after = store.get_source(source.source_id)
    assert after.cursor == {"page": 2}
    assert after.last_error == "platform answered 503 three times" and after.last_error_at is not None
    resumed = ingest_source(after, ScriptedSource(after, pages_of(reviews)), store, Budget(60))
    assert (resumed.new, resumed.error) == (2, None)
    healed = store.get_source(source.source_id)
    assert healed.last_error is None and healed.last_success_at is not None


def test_an_exhausted_budget_stops_after_a_stored_page_and_asks_for_more(store: ReviewStore, source: Source) -> None:
    report = ingest_source(source, ScriptedSource(source, pages_of([review(n) for n in range(1, 7)])), store, Budget(0))
    assert report.more and report.pages == 1
    assert store.get_source(source.source_id).cursor == {"page": 1}


def test_an_empty_snapshot_deletes_nothing(store: ReviewStore, source: Source) -> None:
    ingest_source(
        source, ScriptedSource(source, [Page(reviews=[review(1)], complete_snapshot=True)]), store, Budget(60)
    )
    empty = Page(reviews=[], complete_snapshot=True)
    assert ingest_source(source, ScriptedSource(source, [empty]), store, Budget(60)).deleted == 0


def test_a_concurrent_newer_version_is_never_overwritten(
    store: ReviewStore, source: Source, dynamodb: Any, table_name: str
) -> None:
    ingest_source(source, ScriptedSource(source, pages_of([review(1)])), store, Budget(60))
    stale_view = store.stored_versions(source.source_id, ["r1"])
    ingest_source(
        source, ScriptedSource(source, pages_of([review(1, text="newer")]), start_over=True), store, Budget(60)
    )
    # A slower worker that read the store before that write now tries to store its own, older, change.
    store.stored_versions = lambda *_: stale_view  # type: ignore[method-assign]
    report = store.upsert_reviews(source, [review(1, text="older")])
    assert report.outcomes[WriteOutcome.UNCHANGED] == 1
    assert stored(dynamodb, table_name, source, "r1")["text"] == {"S": "newer"}


def test_a_review_missing_from_a_snapshot_is_recorded_as_deleted(
    store: ReviewStore, source: Source, dynamodb: Any, table_name: str
) -> None:
    full = Page(reviews=[review(1), review(2)], complete_snapshot=True)
    ingest_source(source, ScriptedSource(source, [full]), store, Budget(60))
    shrunk = Page(reviews=[review(1)], complete_snapshot=True)
    report = ingest_source(source, ScriptedSource(source, [shrunk]), store, Budget(60))
    assert report.deleted == 1
    assert stored(dynamodb, table_name, source, "r2")["status"] == {"S": ReviewStatus.DELETED.value}


def test_edits_reach_the_stream_with_old_and_new_images(
    store: ReviewStore, source: Source, dynamodb: Any, table_name: str
) -> None:
    ingest_source(source, ScriptedSource(source, pages_of([review(1)])), store, Budget(60))
    ingest_source(
        source,
        ScriptedSource(source, pages_of([review(1, text="Edited: much better now")])),
        store,
        Budget(60),
    )
    streams = boto3.client("dynamodbstreams")
    arn = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    review_events = [r for r in records if r["dynamodb"]["Keys"]["sk"]["S"].startswith("REV#")]
    assert [r["eventName"] for r in review_events] == ["INSERT", "MODIFY"]
    modify = review_events[1]["dynamodb"]
    assert modify["OldImage"]["text"] == {"S": "Text of review 1"}
    assert modify["NewImage"]["text"] == {"S": "Edited: much better now"}
