"""How the text leans, and what a rating says: lexicon valences adjusted for negation, intensifiers,
downtoners, contrast ("great food but we waited an hour"), capitals, exclamation marks and emoji."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reviewpulse.classify import lexicon
from reviewpulse.classify.lexicon import Hit
from reviewpulse.classify.model import Polarity, RatingScale
from reviewpulse.classify.tokens import BREAK, COMMA, Tokens

NEGATION_WINDOW = 3  # words before a sentiment word in which a negator still applies
MODIFIER_WINDOW = 2  # words before a sentiment word in which an intensifier or downtoner applies
NEGATED = -0.7  # "not good" is bad, but less bad than "bad"; "not bad" is mildly good
BEFORE_CONTRAST, AFTER_CONTRAST = 0.5, 1.5  # the clause after "but" is what the writer means
CAPS_BOOST = 1.3
BARE_NEGATION = 0.6  # a negation governing no sentiment word ("they never called back") leans negative
MAX_BARE = 2  # a long story told with many negations is not more negative for it
SHOUT_BOOST = 1.25
# "The pizza was fine, but we waited over an hour": praise, then "but" and a clause no sentiment word covers.
# What follows the contrast is the writer's point, and in a review it is a complaint told as a fact.
CONTRAST_COMPLAINT = 0.3  # before NEGATIVE_BIAS; 0.3, 0.6, 1.0 tried on dev and synthetic: 0.3 best on both
MIN_CONTRAST_CLAUSE = 3  # words after the contrast word before the clause counts as a told complaint
# In reviews a complaint outweighs a courtesy ("nice staff" next to "never again"). The operating point, picked
# on the dev split's aggregate figures (1.3-5.0 tried), favours negative recall: this classifier decides what
# gets escalated, and a missed complaint costs more than a 3-star review read as negative. 4.0 with
# LONG_MIXED_BALANCE 0.2: mean negative recall 0.77, negative F1 0.641, macro-F1 0.577; 3.0 with 0.4, the best
# negative F1: recall 0.72, negative F1 0.653, macro-F1 0.607.
NEGATIVE_BIAS = 4.0
ALPHA = 12.0  # squashes the sum into -1..1 (VADER's normalisation)
THRESHOLD = 0.12  # |score| below this is neutral
MIXED_BALANCE = 0.1  # praise and complaint within 10% of each other: a mixed, neutral review
# A long review that weighs pros against cons ("love the colour, but it runs small and the fabric is thin") is
# the typical 3-star review: there the balance may lean further before one side wins. Both values were set on
# the dev split's aggregate figures (30-80 words and 0.1-0.4 tried, together with NEGATIVE_BIAS).
LONG_REVIEW = 50  # words
LONG_MIXED_BALANCE = 0.2
# A middling verdict word ("ok", "nothing special", "sans plus", "helt ok", [hedges] in the lexicons) keeps a
# review neutral unless the rest of it leans clearly one way. Set on the dev split's aggregate figures.
HEDGE_THRESHOLD = 0.35
# Reviews close with their verdict ("Overall I would not buy it again."): in a review of three or more
# sentences, words in the closing sentence count this much more. Set on the dev split's aggregate figures
# (1.0-2.0 tried; weighting the opening sentence too gained nothing).
LAST_SENTENCE = 1.5
# Languages whose verb comes before its negation ("jeg anbefaler ikke", "ich empfehle es nicht").
POST_NEGATION = frozenset({"de", "sv", "da", "no", "nl", "fr"})  # French: "j'aime pas", "je recommande pas"
# Clitics that only mark a negation carried by another word (French "ne ... pas"); alone, as in
# "ne ... que" (only), they negate nothing, so they never count as a bare negation.
CLITIC_NEGATORS = frozenset({"ne", "n"})
RESTRICTIVE = frozenset({"que", "qu"})
_CLAUSE = (BREAK, COMMA)


@dataclass(slots=True)
class TextSentiment:
    score: float = 0.0
    positive: float = 0.0  # sum of positive evidence after modifiers
    negative: float = 0.0  # sum of negative evidence (as a positive number)
    polarity: Polarity = Polarity.NEUTRAL
    reasons: list[str] = field(default_factory=list)


def rating_band(rating: RatingScale) -> Polarity:
    """The polarity a rating stands for, aware of its scale. Stars 1-5: 1-2 negative, 3 neutral, 4-5
    positive. 0-10: NPS bands, 0-6 negative, 7-8 neutral, 9-10 positive. A two-point scale (0/1, Facebook's
    recommendation): worst negative, best positive. Any other scale is mapped onto five stars."""
    worst, best, value = rating.worst, rating.best, rating.value
    if best - worst == 1:
        return Polarity.NEGATIVE if value <= worst else Polarity.POSITIVE
    if worst == 0 and best == 10:
        return Polarity.NEGATIVE if value < 7 else Polarity.NEUTRAL if value < 9 else Polarity.POSITIVE
    stars = value if (worst, best) == (1, 5) else 1 + 4 * rating.position
    return Polarity.NEGATIVE if stars < 3 else Polarity.NEUTRAL if stars < 4 else Polarity.POSITIVE


def score_text(tokens: Tokens, hits: list[Hit], language: str | None) -> TextSentiment:
    words = tokens.words
    roles: dict[int, str] = {}
    contrasts: list[int] = []
    hedged: list[Hit] = []
    for h in hits:
        if h.section in ("negators", "intensifiers", "downtoners"):
            roles[h.start] = h.section
        elif h.section == "contrast":
            contrasts.append(h.start)
        elif h.section == "hedges":
            hedged.append(h)
    mods: dict[int, float] = {h.start: h.weight for h in hits if h.section in ("intensifiers", "downtoners")}
    sentiment_starts = {h.start for h in hits if h.section in ("positive", "negative")}
    post_negation = language in POST_NEGATION
    last_sentence = _closing_sentence(words) if hits else 0
    result = TextSentiment()
    reasons = result.reasons
    pos = neg = 0.0
    for h in hits:
        if h.section == "positive":
            w = h.weight
        elif h.section == "negative":
            w = -h.weight
        elif h.section.startswith("severity:") and h.start not in sentiment_starts:
            # "I got food poisoning" says nothing in sentiment words yet is as negative as a review gets.
            w = -(1.0 if h.section == "severity:legal" else 2.0)
        else:
            continue
        negated = restricted = False
        for j in range(h.start - 1, max(-1, h.start - 1 - NEGATION_WINDOW), -1):
            tok = words[j]
            if tok in _CLAUSE or j in sentiment_starts:
                break
            role = roles.get(j)
            if role == "negators":
                # Not a toggle: French "ne ... pas" is one negation. "ne ... que" means "only", not "not".
                # Nor does "ne" negate a phrase that carries its own "pas" ("ce n'est pas génial").
                if tok in CLITIC_NEGATORS and (restricted or _self_negated(h, words, language)):
                    continue
                negated = True
            elif tok in RESTRICTIVE:
                restricted = True
            elif role is not None and h.start - j <= MODIFIER_WINDOW:
                w *= mods[j]
        if post_negation and not negated:
            for j in range(h.end, min(len(words), h.end + 2)):
                tok = words[j]
                if tok in _CLAUSE or j in sentiment_starts:
                    break
                if roles.get(j) == "negators":
                    nxt = j + 1
                    if nxt >= len(words) or nxt not in sentiment_starts:
                        negated = True
                    break
        if negated:
            w *= NEGATED
            reasons.append(f"negated:{h.term}")
        if h.start in tokens.caps and not tokens.shouting:
            w *= CAPS_BOOST
        w *= _contrast_factor(h.start, contrasts, words)
        if h.start >= last_sentence:
            w *= LAST_SENTENCE
        if w > 0:
            pos += w
            reasons.append(f"pos:{h.term}")
        else:
            neg -= w
            reasons.append(f"neg:{h.term}")
    # A negation that governs no sentiment word still leans negative in reviews ("they never called back",
    # "it does not fit"): complaints are told as what did not happen.
    governed = {
        j for h in hits if h.section in ("positive", "negative") for j in range(h.start - NEGATION_WINDOW, h.end + 2)
    }
    last_bare = -NEGATION_WINDOW - 1
    bare = 0
    for h in hits:
        if h.section == "negators" and h.start not in governed and h.term not in CLITIC_NEGATORS:
            if h.start - last_bare > NEGATION_WINDOW and bare < MAX_BARE:  # "ne ... pas" is one negation
                neg += BARE_NEGATION
                bare += 1
                reasons.append(f"negation:{h.term}")
            last_bare = h.start
    if contrasts and pos > 0 and _untold_complaint(contrasts, words, hits):
        neg += CONTRAST_COMPLAINT
        reasons.append("contrast:complaint")
    marks = [("emoji", valence, f":{ch}") for ch, valence in tokens.emoji]
    marks += [("emoticon", valence, "") for _, valence in tokens.emoticons]
    for kind, valence, detail in marks:
        if valence > 0:
            pos += valence
        else:
            neg -= valence
        reasons.append(f"{kind}:{'pos' if valence > 0 else 'neg'}{detail}")
    if contrasts:
        reasons.append("contrast")
    neg *= NEGATIVE_BIAS
    total = pos - neg
    boost = 1.0
    if tokens.shouting:
        boost *= SHOUT_BOOST
        reasons.append("shouting")
    if tokens.exclamations >= 2:
        boost *= 1 + min(tokens.exclamations, 5) * 0.06
        reasons.append("exclamations")
    total *= boost
    result.positive, result.negative = pos, neg
    result.score = max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA)))
    if result.score <= -THRESHOLD:
        result.polarity = Polarity.NEGATIVE
    elif result.score >= THRESHOLD:
        result.polarity = Polarity.POSITIVE
    if pos >= 1.0 and neg >= 1.0:
        reasons.append("mixed")
        # Praise and complaint in equal measure is the 3-star review: neither side wins.
        balance = LONG_MIXED_BALANCE if tokens.n_words >= LONG_REVIEW else MIXED_BALANCE
        if abs(pos - neg) <= balance * (pos + neg):
            result.polarity = Polarity.NEUTRAL
    hedges = [h.term for h in hedged if not any(roles.get(j) == "negators" for j in range(h.start - 2, h.start))]
    if hedges:
        reasons.extend(f"hedge:{t}" for t in hedges[:3])
        if abs(result.score) < HEDGE_THRESHOLD:
            result.polarity = Polarity.NEUTRAL
    return result


def _closing_sentence(words: list[str]) -> int:
    """Where the closing sentence of a review of three or more sentences starts; past the end otherwise."""
    n = len(words)
    ends = words.count(BREAK) - (n > 0 and words[-1] == BREAK)  # a final full stop starts no sentence
    if ends < 2:
        return n
    i = n - 2
    while words[i] != BREAK:  # only the closing sentence is walked
        i -= 1
    return i + 1


def _self_negated(h: Hit, words: list[str], language: str | None) -> bool:
    """Whether a phrase hit starts with a negation word of its own ("pas génial", "pas du tout aimé")."""
    if h.end - h.start < 2 or language is None:
        return False
    lex = lexicon.load(language)
    return lex is not None and any(e.section == "negators" for e in lex.exact.get(words[h.start], ()))


def _untold_complaint(contrasts: list[int], words: list[str], hits: list[Hit]) -> bool:
    """Whether a contrast word follows praise in its sentence and opens a clause (to the sentence end) of
    MIN_CONTRAST_CLAUSE+ words that holds no sentiment word: "fine, but we waited an hour"."""
    n = len(words)
    for c in contrasts:
        end = c + 1
        while end < n and words[end] != BREAK:
            end += 1
        start = c
        while start > 0 and words[start - 1] != BREAK:
            start -= 1
        if end - c - 1 < MIN_CONTRAST_CLAUSE:
            continue
        after = before = False
        for h in hits:
            if h.section in ("positive", "negative"):
                if c < h.start < end:
                    after = True
                    break
                if start <= h.start < c and h.section == "positive":
                    before = True
        if before and not after:
            return True
    return False


def _contrast_factor(i: int, contrasts: list[int], words: list[str]) -> float:
    """Weight of a word relative to the nearest contrast word in its sentence."""
    for c in contrasts:
        lo, hi = (i, c) if i < c else (c, i)
        if BREAK in words[lo:hi]:
            continue
        return BEFORE_CONTRAST if i < c else AFTER_CONTRAST
    return 1.0
