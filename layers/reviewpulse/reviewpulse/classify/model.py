"""What the classifier is asked and what it answers: the contract every backend honours."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Polarity(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Kind(StrEnum):
    """The kinds of negative review named in DESIGN.md; each calls for a different answer."""

    SUBJECTIVE = "subjective_assessment"
    ONE_OFF_ANGRY = "one_off_angry"
    TARGETED_ATTACK = "possible_targeted_attack"
    CONSTRUCTIVE = "constructive_feedback"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Topic(StrEnum):
    STAFF = "staff_service"
    WAITING = "waiting_time"
    PRICE = "price_value"
    QUALITY = "product_quality"
    DELIVERY = "delivery"
    BILLING = "billing_refunds"
    CLEANLINESS = "cleanliness"
    WEBSITE = "website_app"


class ReportReason(StrEnum):
    """Why a review may break platform rules and can be reported."""

    PERSONAL_DATA = "personal_data"
    NOT_OWN_EXPERIENCE = "not_own_experience"
    SPAM = "spam_or_links"
    HATE_OR_PROFANITY = "hate_or_profanity"


class RatingScale(BaseModel):
    """A rating with the scale it was given on: 1-5 stars, 0-10, or a 0/1 recommendation."""

    model_config = ConfigDict(frozen=True)

    value: float
    worst: float = 1
    best: float = 5

    @property
    def position(self) -> float:
        """Where the rating sits between worst (0.0) and best (1.0)."""
        span = self.best - self.worst
        return 0.5 if span <= 0 else min(1.0, max(0.0, (self.value - self.worst) / span))


class ReviewText(BaseModel):
    """The classifier's input: only what it needs, no platform or store details."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    title: str | None = None
    rating: RatingScale | None = None
    language_hint: str | None = None
    platform: str | None = None
    previous: ReviewText | None = None

    @property
    def full_text(self) -> str:
        """Title and body as one text; the full stop keeps the title's words out of the body's first clause."""
        if self.title and self.text:
            return f"{self.title}. {self.text}"
        return self.title or self.text or ""


class Language(BaseModel):
    code: str | None  # ISO 639-1; None when nothing could be told
    confidence: float = Field(ge=0.0, le=1.0)
    detected: bool  # False when the hint was taken as given


class Sentiment(BaseModel):
    polarity: Polarity
    score: float = Field(ge=-1.0, le=1.0)  # the text's own lean, -1 (negative) … 1 (positive)
    mismatch: bool = False  # text and rating disagree (5 stars with an angry text, 1 star with praise)


class Reportable(BaseModel):
    reason: ReportReason
    evidence: str  # what fired (a rule name or a matched word), never the personal data itself


class Classification(BaseModel):
    language: Language
    sentiment: Sentiment
    kind: Kind | None = None  # only for negative reviews
    topics: list[Topic] = Field(default_factory=list)
    severity: Severity
    reportable: list[Reportable] = Field(default_factory=list)
    reasons: list[str] = Field(
        default_factory=list
    )  # machine-readable: "neg:terrible", "severity:health:food poisoning"
    backend: str = "builtin"
