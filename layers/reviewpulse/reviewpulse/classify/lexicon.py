"""Per-language word lists: parse `lexicons/<lang>.txt` once, on first use, into fast lookups.

The file format is shared with other contributors (see the header of any lexicon): `[section]` headers,
`term [weight]` lines, `*` for a stem, spaces for a phrase. Nothing here knows what a section means;
the sentiment, topic and severity modules give the sections their meaning.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

# Every shipped lexicon has these sections (topic and severity names match Topic and the critical triggers).
REQUIRED_SECTIONS: frozenset[str] = frozenset(
    {
        "positive", "negative", "negators", "intensifiers", "downtoners", "contrast",
        "hearsay", "profanity", "hate", "attack", "constructive", "stopwords",
        *(f"topic:{t}" for t in (
            "staff_service", "waiting_time", "price_value", "product_quality",
            "delivery", "billing_refunds", "cleanliness", "website_app",
        )),
        *(f"severity:{s}" for s in ("safety", "health", "legal", "fraud", "discrimination")),
    }
)  # fmt: skip

# Default weights when an entry gives none; the section decides the sign.
DEFAULT_WEIGHTS: dict[str, float] = {
    "positive": 1.5,
    "negative": 1.5,
    "intensifiers": 1.5,
    "downtoners": 0.5,
}
MIN_STEM = 3  # a shorter stem would match half the vocabulary
# Inflectional endings a word may carry beyond the form a lexicon lists (Norwegian/Danish "kjedelige",
# "svakere", "flotteste" -> "kjedelig", "svak", "flott"): a token no entry knows is looked up once more without
# one, longest first. Only sentiment words, and only where the base keeps 4+ letters. Other languages' lexicons
# list their inflected forms or use stems (tried for sv/de/fr/es on the dev split: no gain).
INFLECTIONS: dict[str, tuple[str, ...]] = {
    "no": ("este", "ere", "est", "ene", "et", "en", "e", "t", "a"),
    "da": ("este", "ere", "est", "ene", "erne", "et", "en", "e", "t"),
}
# Languages that write compounds as one word ("kundeservicekatastrofe"): a token no entry knows may be read by
# the known sentiment word (5+ letters) it ends in, the head of the compound. Off for now: on the dev split it
# gained nothing for da/no/sv/de over inflections alone (their lexicons list the heads reviewers use) and cost
# 3% throughput. Add a code here to turn it on for a language.
COMPOUNDING: frozenset[str] = frozenset()
MIN_BASE = 4
MIN_HEAD = 5
MIN_COMPOUND = 8
_SENTIMENT = frozenset({"positive", "negative"})
MAX_CACHE = 50_000  # token lookups remembered per language; bounded so a flood of junk cannot grow memory


@dataclass(frozen=True, slots=True)
class Entry:
    section: str
    weight: float
    term: str


@dataclass(slots=True)
class Phrase:
    words: tuple[str, ...]  # all words after the first
    last_is_stem: bool
    entries: list[Entry]


@dataclass(slots=True)
class Lexicon:
    language: str
    exact: dict[str, list[Entry]] = field(default_factory=dict)
    stems: dict[str, list[Entry]] = field(default_factory=dict)
    phrases: dict[str, list[Phrase]] = field(default_factory=dict)  # keyed by first word
    stopwords: frozenset[str] = frozenset()
    sections: frozenset[str] = frozenset()
    _cache: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    _stem_lengths: tuple[int, ...] = ()
    _seconds: dict[str, frozenset[str]] = field(default_factory=dict)  # exact second words per first word
    _stem_seconds: frozenset[str] = frozenset()  # first words of two-word phrases ending in a stem
    _inflections: tuple[str, ...] = ()
    _compounding: bool = False
    _sentiment_words: frozenset[str] = frozenset()  # single words with a positive or negative entry
    _inflected: dict[str, str] = field(default_factory=dict)  # inflected form -> its listed sentiment word

    def lookup(self, token: str) -> tuple[Entry, ...]:
        """Everything a single token means: exact entries first, then the longest stem per section."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        found = list(self.exact.get(token, ()))
        seen = {e.section for e in found}
        n = len(token)
        for length in self._stem_lengths:  # longest first
            if length > n:
                continue
            for entry in self.stems.get(token[:length], ()):
                if entry.section not in seen:
                    found.append(entry)
                    seen.add(entry.section)
        if not found and (self._inflected or self._compounding):
            found = self._morphology(token)
        result = tuple(found)
        if len(self._cache) < MAX_CACHE:
            self._cache[token] = result
        return result

    def _morphology(self, token: str) -> list[Entry]:
        """Sentiment entries for an unknown token: its base without an inflectional ending, else the longest
        known sentiment word it ends in (the head of a compound)."""
        base = self._inflected.get(token)
        if base is not None:
            return self._sentiment_of(base)
        if self._compounding and len(token) >= MIN_COMPOUND:
            known, inflected = self._sentiment_words, self._inflected
            for k in range(3, len(token) - MIN_HEAD + 1):
                head = token[k:]
                if head in known:
                    return self._sentiment_of(head)
                base = inflected.get(head)
                if base is not None:
                    return self._sentiment_of(base)
        return []

    def _sentiment_of(self, word: str) -> list[Entry]:
        return [e for e in self.exact.get(word, ()) if e.section in _SENTIMENT]

    def match_phrase(self, tokens: list[str], i: int) -> tuple[int, list[Entry]] | None:
        """The longest phrase starting at tokens[i], as (number of tokens, entries)."""
        first = tokens[i]
        candidates = self.phrases.get(first)
        if not candidates or i + 1 >= len(tokens):
            return None
        # Most phrase-initial words ("not", "de", "i") are followed by no phrase at all: one set test says so.
        if tokens[i + 1] not in self._seconds.get(first, ()) and first not in self._stem_seconds:
            return None
        for phrase in candidates:  # sorted longest first
            n = len(phrase.words)
            if i + n >= len(tokens):
                continue
            ok = True
            for k, word in enumerate(phrase.words):
                tok = tokens[i + 1 + k]
                last = k == n - 1
                if not (tok == word or (last and phrase.last_is_stem and tok.startswith(word))):
                    ok = False
                    break
            if ok:
                return n + 1, phrase.entries
        return None


def parse(language: str, text: str) -> Lexicon:
    lex = Lexicon(language=language)
    section = ""
    sections: set[str] = set()
    stop: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            sections.add(section)
            continue
        if not section:
            continue
        term, weight = _split_entry(line, section)
        if not term:
            continue
        if section == "stopwords":
            stop.add(term)
            continue
        _add(lex, Entry(section, weight, term.rstrip("*")), term)
    for plist in lex.phrases.values():
        plist.sort(key=lambda p: -len(p.words))
    lex.stopwords = frozenset(stop)
    lex.sections = frozenset(sections)
    lex._stem_lengths = tuple(sorted({len(s) for s in lex.stems}, reverse=True))
    lex._inflections = INFLECTIONS.get(language, ())
    lex._compounding = language in COMPOUNDING
    lex._sentiment_words = frozenset(w for w, es in lex.exact.items() if any(e.section in _SENTIMENT for e in es))
    # Every inflected form of every listed sentiment word, built once: a lookup is then one dict read. Shorter
    # endings first, so where two bases spell the same form the longer ending (shorter base) wins.
    for end in sorted(lex._inflections, key=len):
        for word in lex._sentiment_words:
            if len(word) >= MIN_BASE:
                form = word + end
                if form not in lex.exact:
                    lex._inflected[form] = word
    for first, plist in lex.phrases.items():
        lex._seconds[first] = frozenset(p.words[0] for p in plist if not (len(p.words) == 1 and p.last_is_stem))
    lex._stem_seconds = frozenset(
        first for first, plist in lex.phrases.items() if any(len(p.words) == 1 and p.last_is_stem for p in plist)
    )
    return lex


def _split_entry(line: str, section: str) -> tuple[str, float]:
    parts = line.split()
    weight = DEFAULT_WEIGHTS.get(section, 1.0)
    if len(parts) > 1:
        try:
            weight = float(parts[-1])
            parts = parts[:-1]
        except ValueError:
            pass  # a phrase without a weight
    return _normalise_term(" ".join(parts).lower()), weight


def _normalise_term(term: str) -> str:
    """Spell a term the way the tokenizer splits text: "don't" -> "do not", "i've" -> "i ve",
    "self-service" -> "self service". Terms with digits or symbols can never match a word token: dropped."""
    stem = term.endswith("*")
    term = term.rstrip("*")
    term = term.replace("n't", " not").replace("n’t", " not")
    for ch in "'’-":
        term = term.replace(ch, " ")
    words = term.split()
    if not words or not all(w.isalpha() for w in words):
        return ""
    return " ".join(words) + ("*" if stem else "")


def _add(lex: Lexicon, entry: Entry, term: str) -> None:
    words = term.split(" ")
    if len(words) > 1:
        last_is_stem = words[-1].endswith("*")
        rest = tuple(w.rstrip("*") for w in words[1:])
        first = words[0].rstrip("*")
        plist = lex.phrases.setdefault(first, [])
        for phrase in plist:
            if phrase.words == rest and phrase.last_is_stem == last_is_stem:
                _put(phrase.entries, entry)
                return
        plist.append(Phrase(rest, last_is_stem, [entry]))
    elif term.endswith("*") and len(term) - 1 >= MIN_STEM:
        _put(lex.stems.setdefault(term[:-1], []), entry)
    else:
        _put(lex.exact.setdefault(term.rstrip("*"), []), entry)


def _put(entries: list[Entry], entry: Entry) -> None:
    """One entry per section and term: a term listed twice in a section (a later, merged block repeating a
    hand-written word) is counted once, with the later weight, never twice."""
    for k, old in enumerate(entries):
        if old.section == entry.section:
            entries[k] = entry
            return
    entries.append(entry)


def _read(language: str) -> str | None:
    if not language.isascii() or not language.isalpha() or len(language) > 8:
        return None  # never turn a caller's hint into a path
    try:
        return resources.files(__package__).joinpath("lexicons", f"{language}.txt").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None


@functools.cache
def load(language: str) -> Lexicon | None:
    """The lexicon for an ISO 639-1 code, parsed on first use; None when we ship none."""
    text = _read(language)
    return None if text is None else parse(language, text)


@functools.cache
def stopwords(language: str) -> frozenset[str]:
    """Only the [stopwords] section: language detection needs it for every language, the rest it does not."""
    text = _read(language)
    if text is None:
        return frozenset()
    out: set[str] = set()
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            if inside:
                break
            inside = line == "[stopwords]"
        elif inside and line and not line.startswith("#"):
            out.add(line.split()[0].lower())
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # index of the first word in the token list
    end: int  # one past the last word
    section: str
    weight: float
    term: str


def scan(words: list[str], lexicons: list[Lexicon]) -> list[Hit]:
    """Every lexicon entry found in the words, left to right. The first lexicon is the review's language;
    later ones (English inside Taglish) only answer for words the first does not know."""
    hits: list[Hit] = []
    if not lexicons:
        return hits
    primary = lexicons[0]
    n = len(words)
    i = 0
    while i < n:
        tok = words[i]
        if len(tok) < 2 and not tok.isalpha():  # clause markers
            i += 1
            continue
        phrase = None
        for lex in lexicons:
            if tok in lex.phrases:
                phrase = lex.match_phrase(words, i)
                if phrase:
                    break
        if phrase:
            length, entries = phrase
            for e in entries:
                hits.append(Hit(i, i + length, e.section, e.weight, e.term))
            i += length
            continue
        found = primary._cache.get(tok)  # the cache read inline: most tokens were seen before
        if found is None:
            found = primary.lookup(tok)
        if not found:
            for lex in lexicons[1:]:
                found = lex._cache.get(tok)
                if found is None:
                    found = lex.lookup(tok)
                if found:
                    break
        for e in found:
            hits.append(Hit(i, i + 1, e.section, e.weight, e.term))
        i += 1
    return hits
