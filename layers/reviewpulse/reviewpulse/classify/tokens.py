"""Turn raw review text into what the rules look at: lower-case word tokens, clause breaks, emoji,
emoticons, shouting and exclamation marks. One regex pass; no per-term regexes anywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_CHARS = 20_000  # longer texts are cut: a review's judgement is in its first pages, and time stays bounded

BREAK = "."  # the token that stands for a sentence end
COMMA = ","  # a clause break inside a sentence

# Words (letters only, any script, combining marks kept), sentence punctuation, clause punctuation.
_TOKEN = re.compile(r"[^\W\d_]+(?:[\u0300-\u036f\u0483-\u0489]+[^\W\d_]*)*|[.!?;…]+|[,:–—]")
_MARKS: dict[str, str] = {**dict.fromkeys(".!?;…", BREAK), **dict.fromkeys(",:–—", COMMA)}
_ELISION = re.compile(r"n['’]t\b", re.IGNORECASE)  # English "don't" -> "do not": the negator becomes a token of its own

# Emoticons: only where they stand alone, so "https://" or "12:30" never counts.
_EMOTICON = re.compile(r"(?:(?<=\s)|^)([:;=8xX]['-^]?[()\[\]DPp/\\|*3]+|<3+|\(\s*[:;]\s*\)|[)(]+[:;])(?=\s|$|[.!,?])")
_EMOTICON_VALENCE: dict[str, float] = {
    ":)": 1.5,
    ":-)": 1.5,
    "=)": 1.5,
    ":]": 1.5,
    ":d": 2.0,
    ":-d": 2.0,
    "xd": 1.5,
    ";)": 1.0,
    ";-)": 1.0,
    ":p": 0.8,
    ":-p": 0.8,
    "<3": 2.0,
    ":*": 1.5,
    "(:": 1.5,
    ":(": -1.8,
    ":-(": -1.8,
    "=(": -1.8,
    ":[": -1.8,
    ":/": -1.0,
    ":-/": -1.0,
    ":\\": -1.0,
    ":|": -0.5,
    ":((": -2.2,
    ":'(": -2.2,
    "):": -1.8,
    ":(((": -2.5,
    ")))": 1.5,
    "((": -1.8,
    "(((": -2.2,
}

# Emoji valences: hand-assigned for the emoji reviewers actually use (reviewpulse, MIT).
EMOJI_VALENCE: dict[str, float] = {
    "😀": 2.0,
    "😃": 2.0,
    "😄": 2.0,
    "😁": 2.0,
    "😆": 1.8,
    "😊": 2.0,
    "🙂": 1.2,
    "😉": 1.0,
    "😍": 2.8,
    "🥰": 2.8,
    "😘": 2.2,
    "🤩": 2.8,
    "😎": 1.5,
    "👍": 2.0,
    "👌": 1.8,
    "👏": 2.0,
    "🙌": 2.0,
    "💪": 1.5,
    "❤": 2.5,
    "♥": 2.2,
    "💕": 2.5,
    "💖": 2.5,
    "💯": 2.2,
    "⭐": 1.5,
    "🌟": 1.8,
    "✨": 1.2,
    "🔥": 1.5,
    "🎉": 1.8,
    "🥳": 2.0,
    "😋": 2.0,
    "🤗": 1.8,
    "😇": 1.5,
    "🙏": 1.0,
    "✅": 1.0,
    "😂": 1.0,
    "🤣": 1.0,
    "👎": -2.2,
    "😡": -2.8,
    "🤬": -3.0,
    "😠": -2.5,
    "😤": -2.0,
    "😞": -2.0,
    "😔": -1.8,
    "😟": -1.8,
    "😢": -2.0,
    "😭": -2.2,
    "😩": -2.0,
    "😫": -2.0,
    "😒": -1.8,
    "🙄": -1.5,
    "😑": -1.0,
    "😐": -0.5,
    "😕": -1.2,
    "🙁": -1.5,
    "☹": -1.8,
    "😖": -2.0,
    "😣": -1.8,
    "🤮": -3.0,
    "🤢": -2.5,
    "💩": -2.5,
    "😱": -1.8,
    "😨": -1.5,
    "😰": -1.8,
    "😬": -1.0,
    "🤦": -1.8,
    "💔": -2.2,
    "❌": -1.5,
    "⚠": -1.0,
    "🖕": -3.0,
    "😪": -1.0,
    "🥱": -1.2,
    "😴": -0.8,
    "🤡": -2.0,
    "🚫": -1.5,
}
_EMOJI_CHARS = "".join(EMOJI_VALENCE)
_EMOJI = re.compile(f"[{re.escape(_EMOJI_CHARS)}]")
_EMOJI_FLOOR = min(_EMOJI_CHARS)  # no emoji we score sits below this code point (U+2600 block)


@dataclass(slots=True)
class Tokens:
    words: list[str] = field(default_factory=list)  # lower-case words with BREAK/COMMA markers
    caps: set[int] = field(default_factory=set)  # indexes of words written in capitals (3+ letters)
    n_words: int = 0
    exclamations: int = 0  # count of "!" in runs of two or more, plus single ones
    shouting: bool = False  # most of the text in capitals
    emoji: list[tuple[str, float]] = field(default_factory=list)
    emoticons: list[tuple[str, float]] = field(default_factory=list)


def tokenize(text: str) -> Tokens:
    text = text[:MAX_CHARS]
    out = Tokens()
    if "'" in text or "’" in text:
        text = _ELISION.sub(" not", text)
    toks = _TOKEN.findall(text)
    # One marker per punctuation token; words lower-cased. Comprehensions keep this at C speed.
    words = [_MARKS.get(t[0]) or t.lower() for t in toks]
    out.words = words
    out.caps = caps = {i for i, t in enumerate(toks) if len(t) > 2 and t.isupper()}
    upper_letters = len(caps)
    n_words = len(words) - words.count(BREAK) - words.count(COMMA)
    out.n_words = n_words
    out.shouting = n_words >= 3 and upper_letters / n_words >= 0.6
    if not out.shouting and n_words >= 8 and upper_letters >= 3 and upper_letters / n_words >= 0.3:
        out.shouting = True
    bangs = text.count("!")
    out.exclamations = bangs
    if not text.isascii() and max(text) >= _EMOJI_FLOOR:  # accented or Cyrillic text alone skips the regex
        for ch in _EMOJI.findall(text):
            out.emoji.append((ch, EMOJI_VALENCE[ch]))
    if ":" in text or ";" in text or "<3" in text or "=" in text or ")" in text or "(" in text:
        for emo in _EMOTICON.findall(text):
            key = emo.lower().replace(" ", "")
            valence = _EMOTICON_VALENCE.get(key)
            if valence is None:
                valence = _guess_emoticon(key)
            if valence:
                out.emoticons.append((emo, valence))
    return out


def _guess_emoticon(emo: str) -> float:
    """Unlisted variants (":-)))", ":DDD", "))") take the sign of their mouth."""
    if emo.startswith(("))", "((")):
        return 1.5 if emo[0] == ")" else -1.8
    mouth = emo[-1]
    if mouth in ")]d3*p":
        return 1.5
    if mouth in "([":
        return -1.8
    return 0.0
