"""Platform-rule breaches a review may be reported for: personal data, hearsay, spam or links, hate or
profanity. Evidence names the rule or the word that fired, never the personal data itself."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from reviewpulse.classify.lexicon import Hit
from reviewpulse.classify.model import Reportable, ReportReason
from reviewpulse.classify.tokens import MAX_CHARS

_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[a-z]{2,24}", re.IGNORECASE)
# A link: a scheme or "www." (found by plain substring tests), or a domain ending. The domain regex starts
# with a literal "." so the scan is fast; country domains (".no", ".de") only count before a "/" or at the
# end, so "fine.no problem" typed without a space is no link.
_TLD = re.compile(
    r"\.(?:com|net|org|info|biz|io|shop|xyz|online|site|store|link)(?=[/\s.,!?)]|$)"
    r"|\.(?:ru|ua|de|se|dk|no|fi|fr|es|pl|lv|ph|uk|eu|co)(?=/|$)"
)
# Phone-shaped numbers: optional +country, groups separated by spaces, hyphens or brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d{1,4}\)?(?:[ \-]?\(?\d{2,4}\)?){2,5}(?![\w])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CARD = re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{1,7}(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")
_SEVEN_DIGITS = re.compile(r"\d(?:[^\d\n]{0,3}\d){6}")  # cheap gate before the number rules
_REPEAT_MIN_WORDS = 12


@dataclass(slots=True)
class Findings:
    items: list[Reportable] = field(default_factory=list)
    sensitive: list[str] = field(default_factory=list)  # payment cards, IBANs: leaked data, a critical matter
    reasons: list[str] = field(default_factory=list)

    def add(self, reason: ReportReason, evidence: str) -> None:
        if not any(r.reason == reason and r.evidence == evidence for r in self.items):
            self.items.append(Reportable.model_construct(reason=reason, evidence=evidence))
            self.reasons.append(f"report:{reason.value}:{evidence}")


def find_reportable(text: str, words: list[str], hits: list[Hit]) -> Findings:
    text = text[:MAX_CHARS]
    found = Findings()
    if "@" in text and _EMAIL.search(text):
        found.add(ReportReason.PERSONAL_DATA, "email")
    if _SEVEN_DIGITS.search(text):
        _numbers(text, found)
    if _has_link(text):
        found.add(ReportReason.SPAM, "link")
    if len(words) >= _REPEAT_MIN_WORDS and _repetitive(words):
        found.add(ReportReason.SPAM, "repetition")
    for h in hits:
        if h.section == "hearsay":
            found.add(ReportReason.NOT_OWN_EXPERIENCE, h.term)
        elif h.section in ("profanity", "hate"):
            found.add(ReportReason.HATE_OR_PROFANITY, f"{h.section}:{h.term}")
        elif h.section == "spam":
            found.add(ReportReason.SPAM, h.term)
    return found


def _has_link(text: str) -> bool:
    lowered = text.lower()
    if "http://" in lowered or "https://" in lowered or "www." in lowered:
        return True
    for m in _TLD.finditer(text):
        start = m.start()
        if start >= 3 and text[start - 3 : start].replace("-", "a").isalnum():
            return True
    return False


def _numbers(text: str, found: Findings) -> None:
    for m in _CARD.finditer(text):
        digits = "".join(c for c in m.group() if c.isdigit())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            found.add(ReportReason.PERSONAL_DATA, "payment_card")
            found.sensitive.append("payment_card")
            break
    for m in _PHONE.finditer(text):
        raw = m.group()
        n_digits = sum(c.isdigit() for c in raw)
        if not 8 <= n_digits <= 15 or _ISO_DATE.fullmatch(raw.strip()):
            continue
        # Bare digit runs are order numbers more often than phones; a phone has a + or 0 prefix or groups.
        if raw.startswith(("+", "0", "(")) or any(c in raw for c in " -"):
            found.add(ReportReason.PERSONAL_DATA, "phone")
            break
    if _IBAN.search(text):
        found.add(ReportReason.PERSONAL_DATA, "iban")
        found.sensitive.append("iban")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _repetitive(words: list[str]) -> bool:
    """One word making up half a long text is copy-paste spam, not a review."""
    counts = Counter(words)
    counts.pop(".", None)
    counts.pop(",", None)
    total = sum(counts.values())
    return total >= _REPEAT_MIN_WORDS and max(counts.values()) / total >= 0.5
