"""What a review talks about: multi-label, from the lexicons' [topic:<Topic value>] sections."""

from __future__ import annotations

from reviewpulse.classify.lexicon import Hit
from reviewpulse.classify.model import Topic

_BY_SECTION = {f"topic:{t.value}": t for t in Topic}


def find_topics(hits: list[Hit]) -> tuple[list[Topic], list[str]]:
    """Topics in the enum's order (stable output), and one reason per topic naming the first word that fired."""
    first: dict[Topic, str] = {}
    for h in hits:
        topic = _BY_SECTION.get(h.section)
        if topic is not None and topic not in first:
            first[topic] = h.term
    ordered = [t for t in Topic if t in first]
    return ordered, [f"topic:{t.value}:{first[t]}" for t in ordered]
