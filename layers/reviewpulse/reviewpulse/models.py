"""The normalized shapes every platform adapter fills and every function reads."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from reviewpulse.classify.model import RatingScale

Rating = RatingScale  # one rating shape for adapters and classifier alike


def utcnow() -> datetime:
    return datetime.now(UTC)


def _as_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value else value


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a Z, the same text pydantic writes, so stored times compare as strings."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class ReviewStatus(StrEnum):
    PUBLISHED = "published"
    DELETED = "deleted"  # the platform no longer shows it (removed by the writer or the platform)


class Reply(BaseModel):
    """The business owner's public answer, as the platform shows it."""

    model_config = ConfigDict(frozen=True)

    text: str
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class Review(BaseModel):
    """One review on one platform, normalized. Personal data is limited to the public display name."""

    model_config = ConfigDict(frozen=True)

    platform: str
    review_id: str = Field(min_length=1, max_length=512)  # in the sort key: ≤ 1 KB once UTF-8 encoded
    rating: Rating | None = None
    title: str | None = None
    text: str = ""
    language: str | None = None
    author_name: str | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime | None = None
    reply: Reply | None = None
    url: str | None = None
    status: ReviewStatus = ReviewStatus.PUBLISHED

    @field_validator("review_id", mode="after")
    @classmethod
    def _fits_the_key(cls, value: str) -> str:
        if len(value.encode()) > 1000:
            raise ValueError("review id longer than 1000 bytes")
        return value

    _utc = field_validator("created_at", "updated_at", mode="after")(lambda value: _as_utc(value))

    def content_hash(self) -> str:
        """A fingerprint of everything a reader can see: equal hashes mean nothing worth a write changed."""
        visible = self.model_dump(mode="json", exclude={"updated_at"})
        return hashlib.sha256(json.dumps(visible, sort_keys=True).encode()).hexdigest()[:32]


class Schedule(BaseModel):
    every_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)


class Source(BaseModel):
    """Where reviews come from: one platform entity (a Trustpilot business unit, a feed URL) of one location."""

    source_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    business_id: str = Field(min_length=1, max_length=64)
    location_id: str = Field(min_length=1, max_length=64)
    platform: str
    config: dict[str, Any] = Field(default_factory=dict)  # platform settings: ids, URLs, field mapping
    credentials: str | None = None  # "secretsmanager:<name>" or "ssm:<name>"; never the secret itself
    paused: bool = False
    schedule: Schedule = Field(default_factory=Schedule)
    cursor: dict[str, Any] = Field(default_factory=dict)
    next_due_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    last_success_at: AwareDatetime | None = None
    last_error: str | None = None
    last_error_at: AwareDatetime | None = None
    lease_id: str | None = None  # set while one worker fetches it: no two workers page one source at once
    lease_until: AwareDatetime | None = None
    created_at: AwareDatetime = Field(default_factory=utcnow)

    _utc = field_validator(
        "next_due_at", "last_run_at", "last_success_at", "last_error_at", "lease_until", "created_at", mode="after"
    )(lambda value: _as_utc(value))

    def is_due(self, now: datetime) -> bool:
        return not self.paused and (self.next_due_at is None or self.next_due_at <= now)


class WriteOutcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
