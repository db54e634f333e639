"""How urgently a human must act. Critical is reserved for safety, health, legal threats, fraud,
discrimination and leaked personal data: harms bigger than one unhappy customer."""

from __future__ import annotations

from reviewpulse.classify.lexicon import Hit
from reviewpulse.classify.model import Kind, Polarity, Severity

CRITICAL_SECTIONS = ("safety", "health", "legal", "fraud", "discrimination", "privacy")
_SECTIONS = {f"severity:{name}": name for name in CRITICAL_SECTIONS}
STRONGLY_NEGATIVE = -0.7


def critical_triggers(hits: list[Hit]) -> list[str]:
    """'severity:health:food poisoning' for every critical trigger word or phrase found."""
    out: list[str] = []
    for h in hits:
        name = _SECTIONS.get(h.section)
        if name is not None:
            reason = f"severity:{name}:{h.term}"
            if reason not in out:
                out.append(reason)
    return out


def grade(
    *,
    polarity: Polarity,
    text_score: float,
    kind: Kind | None,
    triggers: list[str],
    leaked: list[str],
    mismatch: bool,
    personal_data: bool,
) -> tuple[Severity, list[str]]:
    reasons: list[str] = []
    if leaked:
        return Severity.CRITICAL, [f"severity:privacy:{leaked[0]}"]
    if triggers:
        # A trigger word in a review that is positive on every count ("the lawyer was great") is noted, not paged.
        if polarity is Polarity.POSITIVE and text_score > 0:
            return Severity.MEDIUM, ["severity:trigger_in_positive"]
        return Severity.CRITICAL, reasons
    if polarity is Polarity.NEGATIVE:
        if text_score <= STRONGLY_NEGATIVE:
            reasons.append("severity:strongly_negative")
        if kind in (Kind.TARGETED_ATTACK, Kind.ONE_OFF_ANGRY):
            reasons.append(f"severity:{kind.value}")
        if personal_data:
            reasons.append("severity:personal_data")
        return (Severity.HIGH if reasons else Severity.MEDIUM), reasons
    if mismatch:
        return Severity.MEDIUM, ["severity:mismatch"]
    return Severity.LOW, reasons
