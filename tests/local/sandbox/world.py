"""The sandbox platform's world: business units and a feed whose reviews keep arriving and changing.

Deterministic for a seed (texts, ratings, order of events); times follow the clock. Thread-safe.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.local.sandbox.texts import AFTERTHOUGHTS, NAMES, PLACES, REPLIES, TEXTS, UPDATES

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def tp_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Unit:
    """A Trustpilot business unit, or a feed (kind "feed"), of one café."""

    key: str
    id: str
    kind: str  # "trustpilot" or "feed"
    identifying_name: str
    display_name: str
    city: str
    languages: tuple[tuple[str, int], ...]  # (language, weight)


@dataclass
class SandboxReview:
    id: str
    unit: str
    consumer_id: str
    author: str
    author_location: str
    author_reviews: int
    stars: int
    title: str
    text: str
    language: str
    topic: str
    created_at: datetime
    updated_at: datetime | None = None
    reply: dict[str, Any] | None = None  # {"text", "createdAt", "updatedAt"} as datetimes
    verified: bool = True
    likes: int = 0
    reference_id: str = ""
    version: int = 1
    upgraded: bool = False  # the reviewer raised the rating after a reply

    def to_trustpilot(self, unit: Unit, private: bool) -> dict[str, Any]:
        reply = None
        if self.reply is not None:
            reply = {
                "text": self.reply["text"],
                "authorBusinessUserId": "5f0c7e1b2a3d4e5f60718293",
                "createdAt": tp_time(self.reply["createdAt"]),
                "updatedAt": tp_time(self.reply["updatedAt"]) if self.reply.get("updatedAt") else None,
            }
        body: dict[str, Any] = {
            "links": [{"href": f"/v1/reviews/{self.id}", "method": "GET", "rel": "reviews"}],
            "id": self.id,
            "consumer": {
                "id": self.consumer_id,
                "displayName": self.author,
                "displayLocation": self.author_location,
                "numberOfReviews": self.author_reviews,
            },
            "businessUnit": {
                "id": unit.id,
                "identifyingName": unit.identifying_name,
                "displayName": unit.display_name,
            },
            "stars": self.stars,
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "createdAt": tp_time(self.created_at),
            "updatedAt": tp_time(self.updated_at) if self.updated_at else None,
            "experiencedAt": tp_time(self.created_at.replace(hour=0, minute=0, second=0) - timedelta(days=1)),
            "companyReply": reply,
            "isVerified": self.verified,
            "reviewVerificationLevel": "invited" if self.verified else "not-verified",
            "numberOfLikes": self.likes,
            "status": "active",
            "countsTowardsTrustScore": True,
        }
        if private:
            body |= {
                "referenceId": self.reference_id,
                "referralEmail": f"customer+{self.consumer_id[-6:]}@example.org",
                "tags": [{"group": "channel", "value": "web" if self.likes % 2 else "store"}],
                "location": {"id": unit.key, "name": unit.city, "externalId": unit.key, "urlFormattedName": unit.key},
            }
        return body

    def to_feed(self) -> dict[str, Any]:
        """The sandbox's generic feed item: its own names, a 1–10 score, nested reviewer."""
        return {
            "id": self.id,
            "headline": self.title,
            "body": self.text,
            "score": self.stars * 2,
            "posted_at": tp_time(self.created_at),
            "reviewer": {"name": self.author},
            "owner_response": self.reply["text"] if self.reply else None,
            "permalink": f"https://reviews.acme.example/r/{self.id}",
            "lang": self.language,
        }


@dataclass(frozen=True)
class Happening:
    """One thing the sandbox published: a new review, an owner reply, or an edit."""

    kind: str  # "new" | "reply" | "edit"
    unit: str
    review_id: str
    at: datetime
    stars_before: int | None
    stars_after: int
    language: str
    title: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "at": tp_time(self.at)}


DEFAULT_UNITS = (
    Unit("stockholm", "", "trustpilot", "acme-coffee.se", "Acme Coffee & Bakery Stockholm", "Stockholm",
         (("sv", 6), ("en", 3), ("tl", 1), ("fi", 1), ("no", 1))),
    Unit("copenhagen", "", "trustpilot", "acme-coffee.dk", "Acme Coffee & Bakery København", "København",
         (("da", 6), ("en", 3), ("de", 1), ("pl", 1))),
    Unit("riga", "", "feed", "acme-coffee.lv", "Acme Coffee & Bakery Rīga", "Rīga",
         (("lv", 5), ("ru", 4), ("en", 2), ("fr", 1))),
)  # fmt: skip


@dataclass
class World:
    seed: int = 7
    history: int = 40  # reviews per unit before the sandbox starts
    history_days: int = 42
    edit_window_days: int = 10  # edits and replies touch reviews this recent (adapters re-read recent pages)
    clock: Clock = utc_now
    units: dict[str, Unit] = field(default_factory=dict)
    reviews: dict[str, list[SandboxReview]] = field(default_factory=dict)
    happenings: list[Happening] = field(default_factory=list)
    listeners: list[Callable[[Happening, SandboxReview], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.RLock()
        if not self.units:
            for unit in DEFAULT_UNITS:
                unit_id = self._hex24()
                self.units[unit.key] = Unit(
                    unit.key, unit_id, unit.kind, unit.identifying_name, unit.display_name, unit.city,
                    unit.languages,
                )  # fmt: skip
        if not self.reviews:
            self._seed_history()

    # --- building blocks ---

    def _hex24(self) -> str:
        return f"{self.rng.getrandbits(96):024x}"

    def _language(self, unit: Unit) -> str:
        languages, weights = zip(*unit.languages, strict=True)
        return self.rng.choices(languages, weights=weights)[0]

    def _new_review(self, unit: Unit, at: datetime, *, stars: int | None = None, topic: str | None = None,
                    language: str | None = None, negative: bool | None = None) -> SandboxReview:  # fmt: skip
        language = language or self._language(unit)
        entries = TEXTS[language]
        if negative is None:
            negative = self.rng.random() < 0.4
        pool = [e for e in entries if (e[0] <= 2) == negative] or entries
        if stars is not None:
            pool = [e for e in entries if e[0] == stars] or pool
        if topic is not None:
            pool = [e for e in entries if e[1] == topic] or pool
        entry_stars, entry_topic, title, text = self.rng.choice(pool)
        return SandboxReview(
            id=self._hex24(),
            unit=unit.key,
            consumer_id=self._hex24(),
            author=self.rng.choice(NAMES[language]),
            author_location=self.rng.choice(PLACES[language]),
            author_reviews=self.rng.randint(1, 40),
            stars=stars if stars is not None else entry_stars,
            title=title,
            text=text,
            language=language,
            topic=entry_topic,
            created_at=at,
            verified=self.rng.random() < 0.7,
            likes=self.rng.randint(0, 5),
            reference_id=f"ORDER-{self.rng.randint(10000, 99999)}",
        )

    def _reply_text(self, review: SandboxReview) -> str:
        options = REPLIES.get(review.language) or REPLIES["en"]
        text = options[0] if review.stars <= 3 or len(options) == 1 else options[1]
        return text.format(name=review.author.split(" ")[0])

    def _seed_history(self) -> None:
        now = self.clock()
        for unit in self.units.values():
            moments = sorted(
                now - timedelta(seconds=self.rng.randint(3600, self.history_days * 86400)) for _ in range(self.history)
            )
            reviews = [self._new_review(unit, at) for at in moments]
            for review in reviews:
                if self.rng.random() < 0.45:  # the owner answered some of them, an hour to two days later
                    replied = min(now, review.created_at + timedelta(minutes=self.rng.randint(60, 2880)))
                    review.reply = {"text": self._reply_text(review), "createdAt": replied, "updatedAt": None}
            self.reviews[unit.key] = reviews

    # --- what tests and the ticker call ---

    def all_reviews(self, unit: str | None = None) -> list[SandboxReview]:
        with self.lock:
            keys = [unit] if unit else list(self.reviews)
            return [review for key in keys for review in self.reviews[key]]

    def find(self, review_id: str) -> SandboxReview:
        with self.lock:
            for review in self.all_reviews():
                if review.id == review_id:
                    return review
        raise KeyError(review_id)

    def publish(self, unit: str | None = None, **choice: Any) -> SandboxReview:
        """A new review, now. `choice`: stars, topic, language, negative."""
        with self.lock:
            target = self.units[unit] if unit else self.rng.choice(list(self.units.values()))
            review = self._new_review(target, self._now(), **choice)
            self.reviews[target.key].append(review)
            self._record("new", review, None)
            return review

    def reply(self, review_id: str | None = None) -> SandboxReview | None:
        """The owner answers a recent review without a reply (the lowest-rated first)."""
        with self.lock:
            if review_id is not None:
                review = self.find(review_id)
            else:
                candidates = [r for r in self._recent() if r.reply is None]
                if not candidates:
                    return None
                lowest = min(r.stars for r in candidates)
                review = self.rng.choice([r for r in candidates if r.stars == lowest])
            now = self._now()
            review.reply = {"text": self._reply_text(review), "createdAt": now, "updatedAt": None}
            self._record("reply", review, review.stars)
            return review

    def edit(self, review_id: str | None = None) -> SandboxReview | None:
        """A reviewer edits: after an owner reply a 1–2★ becomes 4★ with an update; else a small afterthought."""
        with self.lock:
            if review_id is not None:
                review = self.find(review_id)
                if review.stars <= 2 and not review.upgraded and review.reply is None:
                    self.reply(review.id)
            else:
                recent = self._recent()
                upgradable = [r for r in recent if r.stars <= 2 and r.reply is not None and not r.upgraded]
                others = [r for r in recent if r.stars >= 3 and r.version == 1]
                if upgradable:
                    review = self.rng.choice(upgradable)
                elif others:
                    review = self.rng.choice(others)
                else:
                    return None
            before = review.stars
            if review.stars <= 2 and not review.upgraded:
                update = self.rng.choice(UPDATES.get(review.language) or UPDATES["en"])
                review.stars, review.upgraded = 4, True
                review.text = f"{review.text}\n\n{update}"
            else:
                review.text = f"{review.text}\n\n{AFTERTHOUGHTS.get(review.language, AFTERTHOUGHTS['en'])}"
            review.updated_at = self._now()
            review.version += 1
            self._record("edit", review, before)
            return review

    def tick(self) -> Happening | None:
        """One step of the world: mostly new reviews (negative ones too), sometimes replies and edits."""
        with self.lock:
            roll = self.rng.random()
            if roll < 0.6:
                self.publish()
            elif roll < 0.8:
                if self.reply() is None:
                    self.publish()
            elif self.edit() is None:
                self.publish()
            return self.happenings[-1]

    def published(self, kind: str | None = None) -> list[Happening]:
        with self.lock:
            return [h for h in self.happenings if kind is None or h.kind == kind]

    # --- internals ---

    def _now(self) -> datetime:
        """Strictly increasing seconds, so `createdAt` orders new reviews even within one second."""
        now = self.clock()
        latest = max((r.created_at for r in self.all_reviews()), default=now)
        return max(now, latest + timedelta(seconds=1)) if latest >= now else now

    def _recent(self) -> list[SandboxReview]:
        since = self.clock() - timedelta(days=self.edit_window_days)
        return [r for r in self.all_reviews() if r.created_at >= since]

    def _record(self, kind: str, review: SandboxReview, before: int | None) -> None:
        happening = Happening(kind, review.unit, review.id, self.clock(), before, review.stars, review.language,
                              review.title)  # fmt: skip
        self.happenings.append(happening)
        for listener in list(self.listeners):
            listener(happening, review)

    # --- persistence (for `--keep`) ---

    def dump(self) -> dict[str, Any]:
        with self.lock:
            return {
                "seed": self.seed,
                "units": [asdict(unit) for unit in self.units.values()],
                "reviews": {key: [_dump_review(r) for r in reviews] for key, reviews in self.reviews.items()},
                "rng": _jsonable_state(self.rng.getstate()),
            }

    @classmethod
    def load(cls, data: dict[str, Any], clock: Clock = utc_now) -> World:
        units = {
            u["key"]: Unit(**{**u, "languages": tuple(tuple(pair) for pair in u["languages"])}) for u in data["units"]
        }
        reviews = {key: [_load_review(r) for r in items] for key, items in data["reviews"].items()}
        world = cls(seed=data["seed"], clock=clock, units=units, reviews=reviews)
        world.rng.setstate(_tuple_state(data["rng"]))
        return world


def _dump_review(review: SandboxReview) -> dict[str, Any]:
    data = asdict(review)
    data["created_at"] = review.created_at.isoformat()
    data["updated_at"] = review.updated_at.isoformat() if review.updated_at else None
    if review.reply:
        data["reply"] = {
            "text": review.reply["text"],
            "createdAt": review.reply["createdAt"].isoformat(),
            "updatedAt": review.reply["updatedAt"].isoformat() if review.reply.get("updatedAt") else None,
        }
    return data


def _load_review(data: dict[str, Any]) -> SandboxReview:
    data = dict(data)
    data["created_at"] = datetime.fromisoformat(data["created_at"])
    data["updated_at"] = datetime.fromisoformat(data["updated_at"]) if data.get("updated_at") else None
    if data.get("reply"):
        reply = data["reply"]
        data["reply"] = {
            "text": reply["text"],
            "createdAt": datetime.fromisoformat(reply["createdAt"]),
            "updatedAt": datetime.fromisoformat(reply["updatedAt"]) if reply.get("updatedAt") else None,
        }
    return SandboxReview(**data)


def _jsonable_state(state: Any) -> Any:
    return [_jsonable_state(item) for item in state] if isinstance(state, tuple) else state


def _tuple_state(state: Any) -> Any:
    return tuple(_tuple_state(item) for item in state) if isinstance(state, list) else state
