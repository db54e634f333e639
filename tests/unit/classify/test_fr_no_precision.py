"""Precision of the French, Norwegian, Danish, English and German lexicons: merged-block words that are not
evaluative in reviews, critic vocabulary, and negators inside set phrases that negate nothing."""

from pathlib import Path

import pytest

from reviewpulse.classify import Polarity, ReviewText, classify, lexicon

LEXICONS = Path(lexicon.__file__).parent / "lexicons"


def _sections(code: str, word: str) -> set[str]:
    lex = lexicon.load(code)
    assert lex is not None
    return {e.section for e in lex.lookup(word)}


def _polarity(text: str, lang: str) -> Polarity:
    return classify(ReviewText(text=text, language_hint=lang)).sentiment.polarity


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("fr", "absurde"),  # Pattern listed these as positive
        ("fr", "exorbitant"),
        ("fr", "illogique"),
        ("fr", "scolaire"),  # "une écriture scolaire"
        ("fr", "précipitée"),  # "une fin précipitée"
    ],
)
def test_pattern_words_whose_sense_in_reviews_is_negative(code: str, word: str) -> None:
    sections = _sections(code, word)
    assert "negative" in sections
    assert "positive" not in sections


@pytest.mark.parametrize("word", ["haletant", "implacable", "angoissant", "troublant", "exigeant"])
def test_french_thriller_praise_is_not_negative(word: str) -> None:
    assert "negative" not in _sections("fr", word)


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("no", "sikkert"),  # "probably"
        ("no", "trekk"),  # "features"
        ("no", "dyr"),  # "animal"
        ("da", "når"),  # "when" - and the fallback lexicon for Norwegian text
        ("da", "ha"),
        ("da", "imod"),  # "against"
        ("da", "bort"),  # "away"
        ("de", "laut"),  # "according to"
        ("en", "tops"),  # garments in clothing reviews
    ],
)
def test_function_and_plain_words_carry_no_sentiment(code: str, word: str) -> None:
    assert not _sections(code, word) & {"positive", "negative"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Je suis passé à côté de ce roman.", "fr"),
        ("Un roman peu original et peu convaincant.", "fr"),
        ("Ce n'est pas ma tasse de thé.", "fr"),
        ("Une intrigue qui tourne en rond, des personnages sans relief.", "fr"),
        ("Filmen er langdryg og forutsigbar.", "no"),
        ("Forestillingen går på tomgang, og humoren er ufrivillig komisk.", "no"),
        ("Et klisjepreget og sjelløst album.", "no"),
        ("Mindre interessant enn forgjengeren.", "no"),
    ],
)
def test_critic_complaints_are_negative(text: str, lang: str) -> None:
    assert _polarity(text, lang) is Polarity.NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Un thriller qui tient en haleine, sans temps mort.", "fr"),
        ("Sans doute le meilleur roman de l'année.", "fr"),
        ("Non seulement drôle, mais aussi touchant.", "fr"),
        ("Ikke bare morsom, men også rørende.", "no"),
        ("Uten tvil årets beste roman.", "no"),
        ("En oppslukende og velfortalt roman.", "no"),
    ],
)
def test_praise_with_set_phrase_negators_stays_positive(text: str, lang: str) -> None:
    assert _polarity(text, lang) is Polarity.POSITIVE


def test_un_peu_is_still_a_downtoner() -> None:
    result = classify(ReviewText(text="J'ai un peu aimé.", language_hint="fr"))
    assert result.sentiment.polarity is Polarity.POSITIVE
    assert not any(r.startswith("negated:") for r in result.reasons)


@pytest.mark.parametrize("code", ["fr", "en", "da"])
def test_merged_block_licence_notices_are_intact(code: str) -> None:
    head = (LEXICONS / f"{code}.txt").read_text("utf-8")
    if code == "fr":
        assert "fr-sentiment.xml of\n# the Pattern project" in head
        assert "# ==== merged: French adjectives from the Pattern project's fr-sentiment.xml" in head
    else:
        assert "Open Database License\n# (ODbL) 1.0" in head or "Open Database License (ODbL) 1.0" in head
        assert "# ==== merged: AFINN-" in head
    if code == "en":
        first = head.split("\n[positive]\n", 1)[0]
        assert "(before [negators]) is derived from AFINN-en-165 by Finn Årup Nielsen" in first
        assert "\n[neutral]\n" not in first  # the section sits before [negators], not inside the notice
