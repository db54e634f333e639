"""Review classification: `classify(ReviewText) -> Classification`.

Import-light on purpose: the rules and lexicons load on the first call, one language at a time.
"""

from __future__ import annotations

from reviewpulse.classify.model import (
    Classification,
    Kind,
    Language,
    Polarity,
    RatingScale,
    Reportable,
    ReportReason,
    ReviewText,
    Sentiment,
    Severity,
    Topic,
)

__all__ = [
    "Classification",
    "Kind",
    "Language",
    "Polarity",
    "RatingScale",
    "ReportReason",
    "Reportable",
    "ReviewText",
    "Sentiment",
    "Severity",
    "Topic",
    "classify",
    "rating_band",
]


def classify(review: ReviewText) -> Classification:
    """Language, sentiment, kind, topics, severity and reportable flags for one review (the built-in rules)."""
    from reviewpulse.classify.classifier import classify as builtin

    return builtin(review)


def rating_band(rating: RatingScale) -> Polarity:
    """The polarity a rating stands for on its own scale (stars, 0-10 NPS bands, 0/1 recommendation)."""
    from reviewpulse.classify.sentiment import rating_band as band

    return band(rating)
