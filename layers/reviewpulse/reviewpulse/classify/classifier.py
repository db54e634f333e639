"""The built-in classifier: tokens -> language -> lexicon hits -> sentiment, kind, topics, severity,
reportable flags. Pure and deterministic: no I/O beyond reading the packaged lexicons once."""

from __future__ import annotations

from reviewpulse.classify import language as lang
from reviewpulse.classify import lexicon
from reviewpulse.classify.kinds import negative_kind
from reviewpulse.classify.model import Classification, Language, Polarity, ReviewText, Sentiment
from reviewpulse.classify.reportable import find_reportable
from reviewpulse.classify.sentiment import TextSentiment, rating_band, score_text
from reviewpulse.classify.severity import critical_triggers, grade
from reviewpulse.classify.tokens import Tokens, tokenize
from reviewpulse.classify.topics import find_topics

MISMATCH_SCORE = 0.45  # how far the text must lean against the rating's band to call it a mismatch
MAX_REASONS = 32
# Lexicons that answer for words the review's own lexicon lacks: English inside Taglish; Danish and
# Norwegian bokmål share most of their written vocabulary, and short texts are easily told apart wrongly.
FALLBACKS: dict[str, tuple[str, ...]] = {"tl": ("en",), "da": ("no",), "no": ("da",), "sv": ("no",)}
FALLBACK = "en"  # Latin-script text in no language we can tell: English is the likeliest lingua franca


def _lexicons(code: str | None) -> list[lexicon.Lexicon]:
    primary = lexicon.load(code) if code else None
    if primary is None or code is None:
        fallback = lexicon.load(FALLBACK)
        return [fallback] if fallback else []
    out = [primary]
    for extra in FALLBACKS.get(code, ()):
        lex = lexicon.load(extra)
        if lex is not None:
            out.append(lex)
    return out


def analyse_text(text: str, hint: str | None) -> tuple[Language, Tokens, list[lexicon.Hit], TextSentiment]:
    tokens = tokenize(text)
    language = lang.resolve(text, hint, tokens.words)
    hits = lexicon.scan(tokens.words, _lexicons(language.code))
    return language, tokens, hits, score_text(tokens, hits, language.code)


def classify(review: ReviewText) -> Classification:
    text = review.full_text
    language, tokens, hits, text_sentiment = analyse_text(text, review.language_hint)
    reasons: list[str] = []
    if language.code:
        reasons.append(f"lang:{language.code}:{'detected' if language.detected else 'hint'}")
    reasons.extend(text_sentiment.reasons)

    polarity = text_sentiment.polarity
    mismatch = False
    if review.rating is not None:
        band = rating_band(review.rating)
        reasons.append(f"rating:{band.value}")
        score = text_sentiment.score
        mismatch = (band is Polarity.POSITIVE and score <= -MISMATCH_SCORE) or (
            band is Polarity.NEGATIVE and score >= MISMATCH_SCORE
        )
        if mismatch:
            reasons.append(f"mismatch:rating_{band.value}_text_{text_sentiment.polarity.value}")
        polarity = band  # the customer's own rating decides; the text refines severity and kind

    kind = None
    if polarity is Polarity.NEGATIVE or (mismatch and text_sentiment.polarity is Polarity.NEGATIVE):
        kind, why = negative_kind(tokens, hits, text_sentiment.score)
        reasons.extend(why)

    topics, why_topics = find_topics(hits)
    reasons.extend(why_topics)
    findings = find_reportable(text, tokens.words, hits)
    reasons.extend(findings.reasons)
    triggers = critical_triggers(hits)
    reasons.extend(triggers)
    severity, why_severity = grade(
        polarity=polarity,
        text_score=text_sentiment.score,
        kind=kind,
        triggers=triggers,
        leaked=findings.sensitive,
        mismatch=mismatch,
        personal_data=any(r.reason.value == "personal_data" for r in findings.items),
    )
    reasons.extend(why_severity)

    if review.previous is not None:
        reasons.extend(_edit_reasons(review, text_sentiment))

    return Classification.model_construct(  # values are built here, already valid: skip re-validation
        language=language,
        sentiment=Sentiment.model_construct(polarity=polarity, score=round(text_sentiment.score, 4), mismatch=mismatch),
        kind=kind,
        topics=topics,
        severity=severity,
        reportable=findings.items,
        reasons=list(dict.fromkeys(reasons))[:MAX_REASONS],
    )


def _edit_reasons(review: ReviewText, now: TextSentiment) -> list[str]:
    """How an edit moved the review: an edit that turns sour deserves the same attention as a new one."""
    prev = review.previous
    assert prev is not None
    _, _, _, before = analyse_text(prev.full_text, prev.language_hint or review.language_hint)
    out = ["edit"]
    if prev.rating is not None and review.rating is not None:
        old_band, new_band = rating_band(prev.rating), rating_band(review.rating)
        if old_band is not new_band:
            out.append(f"edit:rating:{old_band.value}->{new_band.value}")
    delta = now.score - before.score
    if delta <= -0.3:
        out.append("edit:more_negative")
    elif delta >= 0.3:
        out.append("edit:more_positive")
    return out
