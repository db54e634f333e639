"""Which kind of negative review this is (DESIGN.md): each kind calls for a different answer."""

from __future__ import annotations

from reviewpulse.classify.lexicon import Hit
from reviewpulse.classify.model import Kind
from reviewpulse.classify.tokens import Tokens

ANGRY_SCORE = -0.85


def negative_kind(tokens: Tokens, hits: list[Hit], score: float) -> tuple[Kind, list[str]]:
    sections = {h.section for h in hits}
    if "attack" in sections:
        return Kind.TARGETED_ATTACK, ["kind:attack_words"]
    if "hearsay" in sections:
        # A negative verdict from someone who was not there is the pattern of unfounded mentions.
        return Kind.TARGETED_ATTACK, ["kind:hearsay"]
    angry: list[str] = []
    if tokens.shouting:
        angry.append("kind:shouting")
    if tokens.exclamations >= 3:
        angry.append("kind:exclamations")
    if "profanity" in sections:
        angry.append("kind:profanity")
    if any(v <= -2.5 for _, v in tokens.emoji):
        angry.append("kind:angry_emoji")
    if "constructive" in sections and not angry:
        return Kind.CONSTRUCTIVE, ["kind:suggestion"]
    if angry or score <= ANGRY_SCORE:
        return Kind.ONE_OFF_ANGRY, angry or ["kind:very_negative"]
    return Kind.SUBJECTIVE, ["kind:assessment"]
