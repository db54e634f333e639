"""The adapter interface every review platform implements."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reviewpulse.models import Review, Source


class Capabilities(BaseModel):
    """What a platform's API can give us; the ingester and the README lean on these."""

    model_config = ConfigDict(frozen=True)

    history: bool  # can page back through every review ever written
    replies: bool  # shows the owner's replies
    edits: bool  # an edited review keeps its id and shows the new text
    deletions: bool = False  # a page of this feed is the whole current set: absent ids were deleted
    latest_only: int | None = None  # the API shows only this many recent reviews (Places: 5, Yelp: 3)


class Page(BaseModel):
    """One page of reviews and the cursor that resumes *after* it, once it is stored."""

    reviews: list[Review]
    cursor: dict[str, Any] = Field(default_factory=dict)
    skipped: int = 0  # items the platform sent that failed validation (counted, logged, never silent)
    complete_snapshot: bool = False  # with Capabilities.deletions: this page lists every live review


class Budget:
    """Wall-clock time an invocation may still spend on platform calls, leaving a margin to store results."""

    def __init__(self, seconds: float, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._deadline = clock() + seconds

    @classmethod
    def from_remaining_ms(cls, remaining_ms: int, margin_s: float | None = None) -> Budget:
        """The default margin, a quarter of the time left and at least 10 s, covers the retries of an HTTP
        call started just before the deadline and the writes that follow it."""
        seconds = remaining_ms / 1000
        margin = max(10.0, seconds / 4) if margin_s is None else margin_s
        return cls(max(0.0, seconds - margin))

    def remaining(self) -> float:
        return max(0.0, self._deadline - self._clock())

    def exhausted(self) -> bool:
        return self.remaining() <= 0


class ReviewSource(ABC):
    """One platform. Subclasses turn the platform's pages into normalized `Review`s and nothing else."""

    platform: ClassVar[str]
    gives: ClassVar[Capabilities]

    def __init__(self, source: Source) -> None:
        self.source = source

    @property
    @abstractmethod
    def entity(self) -> str:
        """The platform entity this source reads (a business unit, a feed URL). One source per entity: a
        second would store every review twice and alert on it twice."""

    @abstractmethod
    def fetch(self, cursor: dict[str, Any], budget: Budget) -> Iterator[Page]:
        """Yield pages from `cursor` on, oldest unseen data first, until the end or the budget runs out."""
