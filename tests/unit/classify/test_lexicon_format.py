from importlib import resources

import pytest

from reviewpulse.classify import lexicon
from reviewpulse.classify.language import SUPPORTED

SAMPLE = """# Testish
# Written for reviewpulse, MIT licence.

[positive]
good	2
great*
highly recommend	3

[negative]
bad
don't recommend	3
food poison*	2.5

[negators]
not

[topic:waiting_time]
queue*

[stopwords]
the
and
"""


def test_sections_weights_stems_and_phrases_are_parsed() -> None:
    lex = lexicon.parse("xx", SAMPLE)
    assert [(e.section, e.weight) for e in lex.lookup("good")] == [("positive", 2.0)]
    assert lex.lookup("greatest")[0].weight == lexicon.DEFAULT_WEIGHTS["positive"]
    assert lex.lookup("queues")[0].section == "topic:waiting_time"
    assert lex.lookup("unknown") == ()
    assert lex.stopwords == frozenset({"the", "and"})


def test_phrases_match_consecutive_tokens_and_a_stem_at_the_end() -> None:
    lex = lexicon.parse("xx", SAMPLE)
    hits = lexicon.scan(["we", "got", "food", "poisoning", "there"], [lex])
    assert [(h.section, h.term) for h in hits] == [("negative", "food poison")]


def test_terms_are_spelled_the_way_the_tokenizer_splits_text() -> None:
    lex = lexicon.parse("xx", SAMPLE)
    hits = lexicon.scan(["i", "do", "not", "recommend"], [lex])
    assert [h.term for h in hits] == ["do not recommend"]


def test_a_missing_lexicon_is_none_not_an_error() -> None:
    assert lexicon.load("zz") is None
    assert lexicon.load("../etc") is None


REQUIRED = lexicon.REQUIRED_SECTIONS
OURS = ("en", "sv", "da", "no", "fi", "de", "fr", "es")


@pytest.mark.parametrize("code", OURS)
def test_each_shipped_lexicon_has_every_section_and_substance(code: str) -> None:
    lex = lexicon.load(code)
    assert lex is not None
    assert lex.sections >= REQUIRED
    entries = [e for es in (*lex.exact.values(), *lex.stems.values()) for e in es]
    entries += [e for ps in lex.phrases.values() for p in ps for e in p.entries]
    assert sum(e.section == "positive" for e in entries) >= 100
    assert sum(e.section == "negative" for e in entries) >= 150
    assert 60 <= len(lex.stopwords) <= 150 or code == "en"


@pytest.mark.parametrize("code", SUPPORTED)
def test_every_lexicon_file_that_exists_parses(code: str) -> None:
    path = resources.files("reviewpulse.classify").joinpath("lexicons", f"{code}.txt")
    if not path.is_file():
        pytest.skip(f"{code}.txt not written yet")
    text = path.read_text("utf-8")
    assert text.startswith("#")
    assert "MIT" in text.splitlines()[1] or "MIT" in text[:400]
    assert lexicon.load(code) is not None
