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

# Swedish, Danish and Norwegian share most function words, so their stopword profiles often tie; these words
# are each written one way in only one of the three (Norwegian bokmål and nynorsk together) and settle it.
_NORDIC_WORDLISTS: dict[str, str] = {
    "no": (
        "ikkje eg ein eit kva korleis berre frå mykje noko nokon meg deg seg noe noen mye hva etter enn ble blei"
        " blitt vært nå uten litt å veldig dessverre kanskje aldri gjennom mellom hverandre annen annet fortsatt"
        " kjøpe kjøpt gjør takk fikk gikk tok dere opp inn tilbake sånn slik nesten lenge ho dei vere vore likevel"
        " òg sjølv sjøl heile skikkelig kjempe bok boka plata låtene"
    ),
    "da": (
        "af noget nogen nogle meget hvad blive bliver været havde ud op ind mod tilbage"
        " uden lidt altid måske desværre købe købt gøre gør gennem mellem hinanden anden andet vores jer"
        " jeres sådan tak spørgsmål vildt fedt sgu hende fik gik sagde rigtig rigtigt hurtig hurtigt penge uge"
        " ugen dage selvom os mere bedste sød søde nemt modtaget modtog bestilling alligevel"
    ),
    "sv": (
        "inte och är jag att för mycket också någon något några inga hade fick upp vad hur där vara sedan utan"
        " än väl dock redan ännu själv ska vill måste gör gjorde sina tack köpa köpt väldigt jättebra inget till"
        " när bättre sämsta bästa fått tycker"
    ),
}
_NORDIC = {code: frozenset(words.split()) for code, words in _NORDIC_WORDLISTS.items()}
_NORDIC_WEIGHT = 1.0  # per distinct marker word present
_NORDIC_CLOSE = 4.0  # only a lead this small over the other two Nordic languages is looked at again
# Spellings that part the three in content words too: Norwegian kj-/skj-/gj- and -øy-/-ei- (Danish k-/sk-/g-,
# -øj-/-ej-), -sjon (-tion), -het (Danish -hed); Danish and Swedish neuter adjectives in -igt/-ligt
# (Norwegian: -ig/-lig); Danish definite plurals in -erne.
# (code(s), prefixes, infixes, suffixes): str.startswith/endswith with tuples keep this at C speed.
_NORDIC_SPELLINGS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("no",), ("kj", "skj", "gje", "gjø"), ("øy",), ("sjon", "sjonen", "sjoner")),
    (("da",), (), ("øj",), ("hed", "heden", "erne")),
    (("no", "sv"), (), (), ("het", "heten")),
    (("da", "sv"), (), (), ("igt", "tion", "tionen")),
)
_NORDIC_SPELLING_WEIGHT = 0.5
_NORDIC_CLEAR = 3.0  # a lead this large in words and letters needs no spelling tie-break
_NORDIC_LETTERS = {"sv": frozenset("äö"), "da": frozenset("æø"), "no": frozenset("æø")}
_NORDIC_LETTER_WEIGHT = 2.0  # a Norwegian text never has ä/ö, a Swedish one never æ/ø

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LETTER = re.compile(r"[^\W\d_]+")
# Anything but Latin letters (with combining accents), punctuation, symbols and emoji: text without one is all
# Latin script, and one regex search says so instead of three counting passes (accented European reviews).
_BEYOND_LATIN = re.compile(
    "[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u2bff\u3000-\u303f\ufe00-\ufe0f\ufeff\U0001f000-\U0001faff]"
)
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


_ending_cache: dict[str, tuple[str, ...]] = {}
_MAX_ENDING_CACHE = 50_000  # words remembered; bounded so a flood of junk cannot grow memory


def _ending_codes(w: str) -> tuple[str, ...]:
    """The languages whose typical endings a word has (one entry per matching ending), remembered per word."""
    n = len(w)
    out: tuple[str, ...] = ()
    if n > 3:
        for k in range(2, min(n - 1, _LONGEST_ENDING) + 1):
            out += _BY_ENDING.get(w[-k:], ())
    if len(_ending_cache) < _MAX_ENDING_CACHE:
        _ending_cache[w] = out
    return out


def _count(rx: re.Pattern[str], text: str) -> int:
    return sum(map(len, rx.findall(text)))  # runs, not single letters: half the allocations


def _script_counts(sample: str) -> dict[str, int]:
    if sample.isascii() or not _BEYOND_LATIN.search(sample):
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
            codes = _ending_cache.get(w)
            if codes is None:
                codes = _ending_codes(w)
            for code in codes:
                scores[code] += _ENDING_WEIGHT
    for ch in chars & _LETTER_HINTS.keys():
        for code in _LETTER_HINTS[ch]:
            if code in scores:
                scores[code] += _LETTER_WEIGHT / len(_LETTER_HINTS[ch])
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], candidates.index(kv[0])))
    if ranked[0][0] in _NORDIC and ranked[0][1] - max(scores[c] for c in _NORDIC if c != ranked[0][0]) < _NORDIC_CLOSE:
        ranked = _nordic(ranked, wordset, chars)
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top <= 0:
        if script == "cyrillic":
            return Language.model_construct(code="ru", confidence=round(0.4 * share, 3), detected=True)
        return Language.model_construct(code=None, confidence=0.0, detected=True)
    # Margin over the runner-up, discounted when the evidence is thin (a two-word review).
    confidence = (top - second) / top * 0.5 + 0.5 * min(1.0, top / 6.0)
    return Language.model_construct(code=best, confidence=round(min(1.0, confidence * share), 3), detected=True)


def _nordic(ranked: list[tuple[str, float]], wordset: set[str], chars: set[str]) -> list[tuple[str, float]]:
    """Swedish, Danish or Norwegian: words and letters only one of the three writes re-rank those three."""
    scores = dict(ranked)
    order = [code for code, _ in ranked]
    for code, markers in _NORDIC.items():
        scores[code] += _NORDIC_WEIGHT * len(markers & wordset)
        if chars and chars & _NORDIC_LETTERS[code]:
            scores[code] += _NORDIC_LETTER_WEIGHT
    top = sorted((scores[c] for c in _NORDIC), reverse=True)
    if top[0] - top[1] >= _NORDIC_CLEAR:
        return sorted(scores.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
    long_words = [w for w in wordset if len(w) > 3]  # a count: the set's order does not matter
    for codes, prefixes, infixes, suffixes in _NORDIC_SPELLINGS:
        n = 0
        for w in long_words:
            if (prefixes and w.startswith(prefixes)) or w.endswith(suffixes) or any(i in w for i in infixes):
                n += 1
        for code in codes:
            scores[code] += _NORDIC_SPELLING_WEIGHT * n
    return sorted(scores.items(), key=lambda kv: (-kv[1], order.index(kv[0])))


def resolve(text: str, hint: str | None, words: list[str] | None = None) -> Language:
    code = normalise_hint(hint)
    if code:
        return Language.model_construct(code=code, confidence=1.0, detected=False)
    return detect(text, words)
