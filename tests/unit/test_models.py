"""The normalized review model: what counts as a change, and times in one format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from reviewpulse.models import Rating, Reply, Review, Source, iso

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def make(**changes: object) -> Review:
    return Review(platform="trustpilot", review_id="r1", text="Fine", created_at=T0).model_copy(update=changes)


def test_what_a_reader_sees_changes_the_hash() -> None:
    base = make()
    assert make(text="Fine, but slow").content_hash() != base.content_hash()
    assert make(rating=Rating(value=2)).content_hash() != base.content_hash()
    assert make(reply=Reply(text="Thanks!")).content_hash() != base.content_hash()


def test_the_platforms_updated_at_alone_is_not_a_change() -> None:
    assert make(updated_at=T0 + timedelta(days=2)).content_hash() == make().content_hash()


def test_times_are_stored_in_utc_with_a_z() -> None:
    oslo = timezone(timedelta(hours=1))
    review = Review(platform="feed", review_id="a", created_at=datetime(2026, 11, 1, 10, 0, tzinfo=oslo))
    assert iso(review.created_at) == "2026-11-01T09:00:00Z"
    assert review.model_dump(mode="json")["created_at"] == "2026-11-01T09:00:00Z"


def test_a_review_needs_an_id_and_a_zoned_time() -> None:
    with pytest.raises(ValidationError):
        Review(platform="feed", review_id="", created_at=T0)
    with pytest.raises(ValidationError):
        Review(platform="feed", review_id="a", created_at=datetime(2026, 11, 1))


def test_a_paused_source_is_never_due_and_a_new_one_is() -> None:
    source = Source(source_id="s1", business_id="b", location_id="l", platform="feed")
    assert source.is_due(T0)
    assert not source.model_copy(update={"paused": True}).is_due(T0)
    assert not source.model_copy(update={"next_due_at": T0 + timedelta(minutes=1)}).is_due(T0)
