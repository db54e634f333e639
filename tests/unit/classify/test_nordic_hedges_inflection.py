"""Telling Norwegian from Danish and Swedish, middling verdicts, and Norwegian/Danish inflected forms."""

import pytest

from reviewpulse.classify import Polarity, ReviewText, classify, lexicon


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Jeg har ikke noe mer å si, filmen var kjedelig og altfor lang.", "no"),
        ("Eg likte ikkje boka, ho var berre kjedeleg.", "no"),
        ("Jeg har ikke noget at sige, filmen var kedelig og alt for lang.", "da"),
        ("Pakken kom hurtigt, men jeg fik aldrig svar fra kundeservice.", "da"),
        ("Jag har inte mycket att säga, filmen var tråkig och alldeles för lång.", "sv"),
    ],
)
def test_scandinavian_languages_are_told_apart(text: str, code: str) -> None:
    assert classify(ReviewText(text=text)).language.code == code


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("It's ok, nothing special.", "en"),
        ("Helt ok.", "da"),
        ("Boka er ganske bra, men noe ujevn.", "no"),
        ("Sympa sans plus.", "fr"),
    ],
)
def test_a_middling_verdict_is_neutral(text: str, lang: str) -> None:
    result = classify(ReviewText(text=text, language_hint=lang))
    assert result.sentiment.polarity is Polarity.NEUTRAL
    assert any(r.startswith("hedge:") for r in result.reasons)


def test_a_negated_hedge_is_not_a_middling_verdict() -> None:
    result = classify(ReviewText(text="This is not ok, the worst order I ever placed."))
    assert result.sentiment.polarity is Polarity.NEGATIVE
    assert not any(r.startswith("hedge:") for r in result.reasons)


def test_a_clear_verdict_outweighs_a_hedge() -> None:
    text = "Absolutely wonderful, the best purchase I have made this year, I love it, just fine sizing."
    assert classify(ReviewText(text=text)).sentiment.polarity is Polarity.POSITIVE


@pytest.mark.parametrize(
    ("code", "word", "section", "base"),
    [
        ("no", "kjedeligste", "negative", "kjedelig"),
        ("no", "flotteste", "positive", "flott"),
        ("no", "dårligste", "negative", "dårlig"),
    ],
)
def test_inflected_forms_find_their_base(code: str, word: str, section: str, base: str) -> None:
    lex = lexicon.load(code)
    assert lex is not None
    assert word not in lex.exact
    assert [(e.section, e.term) for e in lex.lookup(word)] == [(section, base)]


def test_inflection_never_strips_a_word_below_four_letters() -> None:
    lex = lexicon.parse("no", "# x\n[positive]\ngod\n")
    assert lex.lookup("gode") == ()  # "god" + "e": a base of three letters is too short to trust


@pytest.mark.parametrize(
    "text",
    ["Je n'ai pas du tout aimé ce livre.", "Franchement, ce n'est pas génial.", "Ce n'est pas terrible."],
)
def test_french_ne_does_not_undo_a_phrase_that_carries_its_own_pas(text: str) -> None:
    result = classify(ReviewText(text=text, language_hint="fr"))
    assert result.sentiment.polarity is Polarity.NEGATIVE
    assert not any(r.startswith("negated:") for r in result.reasons)


def test_french_ne_que_is_still_not_a_negation() -> None:
    assert classify(ReviewText(text="Je n'ai que des éloges.", language_hint="fr")).sentiment.polarity is not (
        Polarity.NEGATIVE
    )
