"""Amazon Comprehend as the sentiment backend: `detect_dominant_language` when no hint is given,
`detect_sentiment` for the languages Comprehend supports. Topics, severity and reportable flags always come
from the built-in rules (Comprehend knows none of them); any other language or any AWS error falls back to
the built-in answer with a `fallback:comprehend:<why>` reason."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from reviewpulse.classify import classify as builtin_classify
from reviewpulse.classify import rating_band
from reviewpulse.classify.backends import fallback, repolarise
from reviewpulse.classify.classifier import MISMATCH_SCORE
from reviewpulse.classify.model import Classification, Language, Polarity, ReviewText, Sentiment

if TYPE_CHECKING:
    from mypy_boto3_comprehend import ComprehendClient

# Languages detect_sentiment accepts (Comprehend's documented list).
SUPPORTED = frozenset({"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh", "zh-TW"})
MAX_BYTES = 5000  # detect_sentiment's limit on UTF-8 text
# A stream batch must finish well inside the Lambda timeout: fail fast and let the built-in rules answer.
CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"})
MIXED_NEUTRAL = 0.2  # a MIXED verdict whose positive and negative scores are this close is neutral
_POLARITY = {"POSITIVE": Polarity.POSITIVE, "NEGATIVE": Polarity.NEGATIVE, "NEUTRAL": Polarity.NEUTRAL}


@functools.cache
def shared_client() -> ComprehendClient:
    """One client per container, made on first use (region from AWS_REGION, as Lambda sets it)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return boto3.client("comprehend", region_name=region, config=CLIENT_CONFIG)


def comprehend_code(hint: str) -> str:
    """A platform's language tag as Comprehend spells it: 'en-GB' -> 'en', 'zh-tw' -> 'zh-TW'."""
    tag = hint.strip().replace("_", "-")
    if tag.lower() in ("zh-tw", "zh-hant"):
        return "zh-TW"
    return tag.split("-")[0].lower()


def truncate_utf8(text: str, limit: int = MAX_BYTES) -> str:
    """At most `limit` bytes of UTF-8, never cutting a character in half."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore")


class ComprehendClassifier:
    name = "comprehend"

    def __init__(self, client: ComprehendClient | None = None) -> None:
        self._client = client  # tests pass a stubbed client; Lambda uses the shared one

    @property
    def client(self) -> ComprehendClient:
        if self._client is None:
            self._client = shared_client()
        return self._client

    def classify(self, review: ReviewText) -> Classification:
        base = builtin_classify(review)
        text = truncate_utf8(review.full_text)
        if not text.strip():
            return base
        try:
            language = self._language(review, text)
            code = language.code or "unknown"
            if code not in SUPPORTED:
                return fallback(base, f"fallback:comprehend:unsupported_language:{code}")
            response = self.client.detect_sentiment(Text=text, LanguageCode=code)  # type: ignore[arg-type]
        except ClientError as exc:
            return fallback(base, f"fallback:comprehend:{exc.response.get('Error', {}).get('Code', 'ClientError')}")
        except BotoCoreError as exc:  # timeouts, connection errors, missing credentials
            return fallback(base, f"fallback:comprehend:{type(exc).__name__}")
        return self._merge(base, review, language, response)

    def _language(self, review: ReviewText, text: str) -> Language:
        if review.language_hint and review.language_hint.strip():
            return Language(code=comprehend_code(review.language_hint), confidence=1.0, detected=False)
        found = self.client.detect_dominant_language(Text=text).get("Languages", [])
        if not found:
            return Language(code=None, confidence=0.0, detected=True)
        top = max(found, key=lambda lang: lang.get("Score", 0.0))
        return Language(code=top.get("LanguageCode"), confidence=round(top.get("Score", 0.0), 4), detected=True)

    def _merge(self, base: Classification, review: ReviewText, language: Language, response: Any) -> Classification:
        label = str(response.get("Sentiment", "NEUTRAL"))
        scores = response.get("SentimentScore", {})
        score = max(-1.0, min(1.0, float(scores.get("Positive", 0.0)) - float(scores.get("Negative", 0.0))))
        text_polarity = _POLARITY.get(label)
        if text_polarity is None:  # MIXED: let the balance of the scores decide, neutral when even
            lean = Polarity.POSITIVE if score > 0 else Polarity.NEGATIVE
            text_polarity = Polarity.NEUTRAL if abs(score) < MIXED_NEUTRAL else lean
        polarity, mismatch = text_polarity, False
        if review.rating is not None:
            band = rating_band(review.rating)  # the customer's own rating decides, as in the built-in engine
            mismatch = (band is Polarity.POSITIVE and score <= -MISMATCH_SCORE) or (
                band is Polarity.NEGATIVE and score >= MISMATCH_SCORE
            )
            polarity = band
        kind, severity = repolarise(base, polarity, mismatch=mismatch)
        return base.model_copy(
            update={
                "language": language,
                "sentiment": Sentiment(polarity=polarity, score=round(score, 4), mismatch=mismatch),
                "kind": kind,
                "severity": severity,
                "reasons": [*base.reasons, f"comprehend:{label.lower()}"],
                "backend": "comprehend",
            }
        )
