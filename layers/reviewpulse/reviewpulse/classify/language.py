"""Which language a review is in: the writing system first, then function-word profiles taken from the
lexicons' [stopwords] sections, with distinctive letters as tie-breakers. Cheap, offline, deterministic."""

from __future__ import annotations

import re

from reviewpulse.classify import lexicon
from reviewpulse.classify.model import Language

# Languages we ship lexicons for; detection only ever answers one of these or a script-only guess.
LATIN = ("en", "sv", "da", "no", "fi", "de", "fr", "es", "pl", "lv", "tl")
CYRILLIC = ("ru", "uk")
SUPPORTED = LATIN + CYRILLIC
ALIASES = {"nb": "no", "nn": "no", "fil": "tl", "tgl": "tl", "ua": "uk"}  # codes platforms send for ours

# Letters that belong to few of our languages: each distinct one present adds this much evidence.
_LETTER_HINTS: dict[str, tuple[str, ...]] = {
    "å": ("sv", "da", "no"), "ä": ("sv", "fi", "de"), "ö": ("sv", "fi", "de"), "æ": ("da", "no"),
    "ø": ("da", "no"), "ü": ("de",), "ß": ("de",), "ñ": ("es",), "¿": ("es",), "¡": ("es",),
    "ç": ("fr",), "œ": ("fr",), "è": ("fr",), "ê": ("fr",), "à": ("fr",), "ù": ("fr",), "â": ("fr",),
    "î": ("fr",), "ô": ("fr",), "û": ("fr",), "á": ("es",), "í": ("es",), "ó": ("es", "pl"), "ú": ("es",),
    "ą": ("pl",), "ę": ("pl",), "ł": ("pl",), "ś": ("pl",), "ź": ("pl",), "ż": ("pl",), "ć": ("pl",),
    "ń": ("pl",), "ā": ("lv",), "ē": ("lv",), "ī": ("lv",), "ū": ("lv",), "ķ": ("lv",), "ļ": ("lv",),
    "ņ": ("lv",), "ģ": ("lv",), "č": ("lv",), "š": ("lv",), "ž": ("lv", "pl"),
    "і": ("uk",), "ї": ("uk",), "є": ("uk",), "ґ": ("uk",), "ы": ("ru",), "э": ("ru",), "ъ": ("ru",),
    "ё": ("ru",),
}
_LETTER_WEIGHT = 1.5
_SAMPLE = 3000  # characters looked at: enough for any verdict, bounded for 100 KB inputs

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("ka", re.compile(r"[\u10a0-\u10ff]")),
    ("hy", re.compile(r"[\u0530-\u058f]")),
)


def normalise_hint(hint: str | None) -> str | None:
    """'sv-SE', 'NB', 'fil' -> 'sv', 'no', 'tl'; None for empty hints."""
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    if not code:
        return None
    return ALIASES.get(code, code)


def detect(text: str, words: list[str] | None = None) -> Language:
    sample = text[:_SAMPLE]
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPTS}
    script = max(counts, key=lambda k: counts[k])
    letters = sum(counts.values())
    if letters == 0:
        return Language(code=None, confidence=0.0, detected=True)
    share = counts[script] / letters
    if script not in ("latin", "cyrillic"):
        # A script we have no lexicon for: the script names the language well enough for routing.
        return Language(code=script, confidence=round(0.6 * share, 3), detected=True)
    candidates = LATIN if script == "latin" else CYRILLIC
    if words is None:
        words = sample.lower().split()
    wordset = set(words[:600])
    chars = set(sample.lower())
    scores: dict[str, float] = {}
    for code in candidates:
        score = float(len(lexicon.stopwords(code) & wordset))
        scores[code] = score
    for ch in chars & _LETTER_HINTS.keys():
        for code in _LETTER_HINTS[ch]:
            if code in scores:
                scores[code] += _LETTER_WEIGHT / len(_LETTER_HINTS[ch])
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], candidates.index(kv[0])))
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top <= 0:
        if script == "cyrillic":
            return Language(code="ru", confidence=round(0.4 * share, 3), detected=True)
        return Language(code=None, confidence=0.0, detected=True)
    # Margin over the runner-up, discounted when the evidence is thin (a two-word review).
    confidence = (top - second) / top * 0.5 + 0.5 * min(1.0, top / 6.0)
    return Language(code=best, confidence=round(min(1.0, confidence * share), 3), detected=True)


def resolve(text: str, hint: str | None, words: list[str] | None = None) -> Language:
    code = normalise_hint(hint)
    if code:
        return Language(code=code, confidence=1.0, detected=False)
    return detect(text, words)
