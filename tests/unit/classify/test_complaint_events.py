"""Complaints told as plain facts, with no evaluative word ("still waiting for my refund", "charged twice"):
the [negative] block "complaint events" at the end of every lexicon, and a praise-then-"but" clause that states
a problem without naming it (sentiment.CONTRAST_COMPLAINT)."""

import pytest

from reviewpulse.classify import Polarity, ReviewText, classify, lexicon
from reviewpulse.classify.classifier import analyse_text


def polarity(text: str, lang: str) -> Polarity:
    return classify(ReviewText(text=text, language_hint=lang)).sentiment.polarity


FACTS = [
    ("en", "Placed the order a month ago and I am still waiting for my refund."),
    ("en", "They charged me twice and nobody answered the phone."),
    ("en", "The app keeps crashing whenever I open the basket."),
    ("en", "Our soup was cold and the bread was stale."),
    ("sv", "Tåget ställdes in och ingen svarade på mina mejl."),
    ("sv", "Paketet kom aldrig och jag väntar på återbetalning."),
    ("da", "Pakken kom aldrig, og de svarede ikke på min mail."),
    ("no", "Bestillingen kom aldri og ingen svarte på telefonen."),
    ("fi", "Paketti ei koskaan tullut ja asiakaspalvelu ei vastaa."),
    ("de", "Die Bestellung ist nie angekommen und ich warte immer noch."),
    ("de", "Mir wurde doppelt abgebucht und keine Antwort vom Support."),
    ("fr", "Colis jamais reçu et toujours en attente du remboursement."),
    ("fr", "Débité deux fois, personne ne répond au téléphone."),
    ("es", "El pedido nunca llegó y sigo esperando el reembolso."),
    ("es", "Me cobraron dos veces y nadie contesta."),
    ("pl", "Paczka nie dotarła, nadal czekam na zwrot pieniędzy."),
    ("ru", "Заказ так и не пришёл, до сих пор жду возврата."),
    ("ru", "Приложение вылетает при каждом запуске."),
    ("uk", "Замовлення досі не прийшло, гроші не повернули."),
    ("lv", "Pasūtījums joprojām nav pienācis, neviens neatbild."),
    ("tl", "Hanggang ngayon wala pa rin ang order ko at walang sumasagot."),
]


@pytest.mark.parametrize(("lang", "text"), FACTS)
def test_complaint_told_as_fact_is_negative(lang: str, text: str) -> None:
    assert polarity(text, lang) is Polarity.NEGATIVE


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "Холодное пиво и вкусные закуски, отличный бар."),  # cold is no complaint by itself
        ("lv", "Rupjmaize bija svaiga un garšīga."),  # "rupjmaize" (rye bread) is not "rupjš" (rude)
        ("es", "Volvimos por la tarde y todo estaba perfecto."),  # "tarde" (afternoon) is not "late"
        ("en", "Lovely staff, fast delivery, no complaints at all."),
    ],
)
def test_look_alikes_stay_positive(lang: str, text: str) -> None:
    assert polarity(text, lang) is Polarity.POSITIVE


def test_praise_then_but_and_an_unnamed_problem_leans_negative() -> None:
    _, _, _, plain = analyse_text("The pizza was fine.", "en")
    _, _, _, but = analyse_text("The pizza was fine, but we sat there for over an hour.", "en")
    assert "contrast:complaint" in but.reasons
    assert but.score < plain.score


def test_complaint_block_lists_no_term_twice_and_is_negative_only() -> None:
    for code in ("en", "sv", "da", "no", "fi", "de", "fr", "es", "ru", "uk", "pl", "lv", "tl"):
        text = lexicon._read(code)
        assert text is not None
        block = text.split("# --- complaint events", 1)[1]
        sections = [line for line in block.splitlines() if line.startswith("[")]
        assert sections == ["[negative]"], code
        terms = [line.rsplit(" ", 1)[0] for line in block.splitlines() if line and not line.startswith(("#", "["))]
        assert len(terms) == len(set(terms)), code
