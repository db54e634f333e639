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
    "å": ("sv", "da", "no"),
    "ä": ("sv", "fi", "de"),
    "ö": ("sv", "fi", "de"),
    "é": ("fr", "es"),
    "æ": ("da", "no"),
    "ø": ("da", "no"),
    "ü": ("de",),
    "ß": ("de",),
    "ñ": ("es",),
    "¿": ("es",),
    "¡": ("es",),
    "ç": ("fr",),
    "œ": ("fr",),
    "è": ("fr",),
    "ê": ("fr",),
    "à": ("fr",),
    "ù": ("fr",),
    "â": ("fr",),
    "î": ("fr",),
    "ô": ("fr",),
    "û": ("fr",),
    "á": ("es",),
    "í": ("es",),
    "ó": ("es", "pl"),
    "ú": ("es",),
    "ą": ("pl",),
    "ę": ("pl",),
    "ł": ("pl",),
    "ś": ("pl",),
    "ź": ("pl",),
    "ż": ("pl",),
    "ć": ("pl",),
    "ń": ("pl",),
    "ā": ("lv",),
    "ē": ("lv",),
    "ī": ("lv",),
    "ū": ("lv",),
    "ķ": ("lv",),
    "ļ": ("lv",),
    "ņ": ("lv",),
    "ģ": ("lv",),
    "č": ("lv",),
    "š": ("lv",),
    "ž": ("lv", "pl"),
    "і": ("uk",),
    "ї": ("uk",),
    "є": ("uk",),
    "ґ": ("uk",),
    "ы": ("ru",),
    "э": ("ru",),
    "ъ": ("ru",),
    "ё": ("ru",),
}
_LETTER_WEIGHT = 1.5
# Word endings typical of one language's morphology: they tell apart short texts with no function words
# ("Schrecklicher Service, total enttäuscht"). Each matching word adds a little evidence.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ing", "tion", "ly", "ed", "ness"),
    "de": ("ung", "keit", "heit", "lich", "licher", "lichen", "isch", "chen", "cht", "tz", "sch"),
    "sv": ("ning", "ningen", "igt", "ade", "arna", "orna", "het", "heten"),
    "da": ("ede", "hed", "heden", "else", "erne", "tion"),
    "no": ("heten", "ene", "inga", "lige", "ikke"),
    "fi": ("ssa", "ssä", "lla", "llä", "sta", "stä", "nen", "inen", "aa", "ää", "ksi", "tti", "ttä"),
    "fr": ("eux", "euse", "aient", "ait", "ée", "és", "ment", "tion", "oir", "eur"),
    "es": ("ción", "mente", "ado", "ada", "ido", "ida", "aba", "ños", "dad"),
    "pl": ("ość", "ie", "ów", "ych", "ego", "ać", "ić", "ski", "cz", "sz"),
    "lv": ("ība", "ām", "ās", "ais", "ējs", "tājs", "šana"),
    "tl": ("ng", "han", "hin"),
}
_BY_ENDING: dict[str, tuple[str, ...]] = {}
for _code, _endings in _ENDINGS.items():
    for _end in _endings:
        _BY_ENDING[_end] = (*_BY_ENDING.get(_end, ()), _code)
_LONGEST_ENDING = max(map(len, _BY_ENDING))
_ENDING_WEIGHT = 0.35
_ENDING_WORDS = 30  # words looked at for endings
_SAMPLE = 3000  # characters looked at: enough for any verdict, bounded for 100 KB inputs

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LETTER = re.compile(r"[^\W\d_]+")
# Other scripts are only counted when Latin and Cyrillic letters are a minority: most reviews never pay.
_OTHER_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06ff]+")),
    ("he", re.compile(r"[\u0590-\u05ff]+")),
    ("el", re.compile(r"[\u0370-\u03ff]+")),
    ("ja", re.compile(r"[\u3040-\u30ff]+")),
    ("zh", re.compile(r"[\u4e00-\u9fff]+")),
    ("ko", re.compile(r"[\uac00-\ud7af]+")),
    ("th", re.compile(r"[\u0e00-\u0e7f]+")),
    ("hi", re.compile(r"[\u0900-\u097f]+")),
    ("ka", re.compile(r"[\u10a0-\u10ff]+")),
    ("hy", re.compile(r"[\u0530-\u058f]+")),
)


def _count(rx: re.Pattern[str], text: str) -> int:
    return sum(map(len, rx.findall(text)))  # runs, not single letters: half the allocations


def _script_counts(sample: str) -> dict[str, int]:
    if sample.isascii():
        return {"latin": 1 if _LATIN.search(sample) else 0}  # only the share matters, and it is all Latin
    counts = {"latin": _count(_LATIN, sample), "cyrillic": _count(_CYRILLIC, sample)}
    letters = _count(_LETTER, sample)
    if counts["latin"] + counts["cyrillic"] < letters / 2:
        for name, rx in _OTHER_SCRIPTS:
            counts[name] = _count(rx, sample)
    return counts


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
    counts = _script_counts(sample)
    script = max(counts, key=lambda k: counts[k])
    letters = sum(counts.values())
    if letters == 0:
        return Language.model_construct(code=None, confidence=0.0, detected=True)
    share = counts[script] / letters
    if script not in ("latin", "cyrillic"):
        # A script we have no lexicon for: the script names the language well enough for routing.
        return Language.model_construct(code=script, confidence=round(0.6 * share, 3), detected=True)
    candidates = LATIN if script == "latin" else CYRILLIC
    if words is None:
        words = sample.lower().split()
    wordset = set(words[:600])
    chars = set() if sample.isascii() else set(sample.lower())
    scores: dict[str, float] = {}
    for code in candidates:
        score = float(len(lexicon.stopwords(code) & wordset))
        scores[code] = score
    best_stop = sorted(scores.values(), reverse=True)
    # Endings only matter when function words leave it open (short or mixed texts).
    if script == "latin" and (best_stop[0] < 4 or best_stop[0] - best_stop[1] < 2):
        for w in words[:_ENDING_WORDS]:
            n = len(w)
            if n > 3:
                for k in range(2, min(n - 1, _LONGEST_ENDING) + 1):
                    for code in _BY_ENDING.get(w[-k:], ()):
                        scores[code] += _ENDING_WEIGHT
    for ch in chars & _LETTER_HINTS.keys():
        for code in _LETTER_HINTS[ch]:
            if code in scores:
                scores[code] += _LETTER_WEIGHT / len(_LETTER_HINTS[ch])
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], candidates.index(kv[0])))
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top <= 0:
        if script == "cyrillic":
            return Language.model_construct(code="ru", confidence=round(0.4 * share, 3), detected=True)
        return Language.model_construct(code=None, confidence=0.0, detected=True)
    # Margin over the runner-up, discounted when the evidence is thin (a two-word review).
    confidence = (top - second) / top * 0.5 + 0.5 * min(1.0, top / 6.0)
    return Language.model_construct(code=best, confidence=round(min(1.0, confidence * share), 3), detected=True)


def resolve(text: str, hint: str | None, words: list[str] | None = None) -> Language:
    code = normalise_hint(hint)
    if code:
        return Language.model_construct(code=code, confidence=1.0, detected=False)
    return detect(text, words)
