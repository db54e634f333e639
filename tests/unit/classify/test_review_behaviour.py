"""What the built-in classifier says about reviews in each of its own languages (en sv da no fi de fr es)."""

import pytest

from reviewpulse.classify import Kind, Polarity, ReportReason, ReviewText, Severity, Topic, classify


def polarity(text: str, lang: str | None = None) -> Polarity:
    return classify(ReviewText(text=text, language_hint=lang)).sentiment.polarity


NEG, NEU, POS = Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE

PLAIN = [
    ("en", "The staff were friendly and the food was delicious.", POS),
    ("en", "Terrible service, the worst meal I have had.", NEG),
    ("sv", "Mycket trevlig personal och snabb leverans.", POS),
    ("sv", "Usel service och dålig kvalitet.", NEG),
    ("da", "Rigtig god service og hurtig levering.", POS),
    ("da", "Elendig kundeservice, meget skuffet.", NEG),
    ("no", "Veldig fornøyd, rask levering og hyggelig betjening.", POS),
    ("no", "Elendig service og dårlig kvalitet.", NEG),
    ("fi", "Erittäin ystävällinen henkilökunta ja herkullinen ruoka.", POS),
    ("fi", "Todella huono palvelu ja tyly myyjä.", NEG),
    ("de", "Sehr freundliches Personal, alles hat super geklappt.", POS),
    ("de", "Schrecklicher Service, total enttäuscht.", NEG),
    ("fr", "Personnel très aimable, livraison rapide, je recommande.", POS),
    ("fr", "Service déplorable, produit cassé, très déçu.", NEG),
    ("es", "Personal muy amable y la comida deliciosa.", POS),
    ("es", "Pésimo servicio, muy mal trato.", NEG),
]


@pytest.mark.parametrize(("lang", "text", "expected"), PLAIN)
def test_plain_praise_and_complaints(lang: str, text: str, expected: Polarity) -> None:
    assert polarity(text, lang) is expected
    assert polarity(text) is expected  # also when the language must be detected


NEGATION = [
    ("en", "The food was not good.", NEG),
    ("en", "Not bad at all.", POS),
    ("en", "I don't recommend this shop.", NEG),
    ("sv", "Maten var inte god.", NEG),
    ("sv", "Jag rekommenderar inte detta företag.", NEG),
    ("da", "Maden var ikke god.", NEG),
    ("da", "Jeg anbefaler dem ikke.", NEG),
    ("no", "Maten var ikke god.", NEG),
    ("no", "Filmen er ikke kjedelig.", POS),
    ("fi", "Ruoka ei ollut hyvää.", NEG),
    ("fi", "En suosittele.", NEG),
    ("de", "Das Essen war nicht gut.", NEG),
    ("de", "Ich kann das nicht empfehlen.", NEG),
    ("fr", "Ce n'est pas bon du tout.", NEG),
    ("fr", "Pas mal du tout, franchement.", POS),
    ("es", "La comida no estaba buena.", NEG),
    ("es", "No está mal.", POS),
]


@pytest.mark.parametrize(("lang", "text", "expected"), NEGATION)
def test_negation_flips_the_word_it_governs(lang: str, text: str, expected: Polarity) -> None:
    assert polarity(text, lang) is expected


MIXED = [
    ("en", "Great food but we waited an hour.", Topic.WAITING),
    ("sv", "God mat men vi väntade en timme och personalen var otrevlig.", Topic.STAFF),
    ("da", "God mad, men vi ventede en time og tjeneren var uhøflig.", Topic.STAFF),
    ("no", "God mat, men vi ventet en time og servitøren var frekk.", Topic.STAFF),
    ("fi", "Ruoka oli hyvää mutta odotimme tunnin ja tarjoilija oli tyly.", Topic.STAFF),
    ("de", "Das Essen war gut, aber wir haben eine Stunde gewartet und der Kellner war unfreundlich.", Topic.STAFF),
    ("fr", "La cuisine est bonne mais nous avons attendu une heure et le serveur était désagréable.", Topic.STAFF),
    ("es", "La comida estaba buena pero esperamos una hora y el camarero fue muy maleducado.", Topic.STAFF),
]


@pytest.mark.parametrize(("lang", "text", "topic"), MIXED)
def test_mixed_review_leans_on_the_clause_after_but(lang: str, text: str, topic: Topic) -> None:
    result = classify(ReviewText(text=text, language_hint=lang))
    assert result.sentiment.polarity is NEG
    assert topic in result.topics
    assert "contrast" in result.reasons


def test_intensifiers_and_downtoners_move_the_score() -> None:
    plain = classify(ReviewText(text="The room was good.")).sentiment.score
    strong = classify(ReviewText(text="The room was extremely good.")).sentiment.score
    weak = classify(ReviewText(text="The room was slightly good.")).sentiment.score
    assert weak < plain < strong


def test_shouting_and_exclamations_make_it_angrier() -> None:
    calm = classify(ReviewText(text="the delivery was late and the box was damaged"))
    loud = classify(ReviewText(text="THE DELIVERY WAS LATE AND THE BOX WAS DAMAGED!!!"))
    assert loud.sentiment.score < calm.sentiment.score
    assert loud.kind is Kind.ONE_OFF_ANGRY
    assert "shouting" in loud.reasons


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Thanks 😍👍", POS), ("😡😡 never again", NEG), ("ok :)", POS), ("Delivery came late :(", NEG), ("🤮", NEG)],
)
def test_emoji_and_emoticons_carry_sentiment(text: str, expected: Polarity) -> None:
    assert polarity(text) is expected


SEVERITY = [
    ("en", "The heater caught fire in our room, it is dangerous.", "safety"),
    ("en", "We all got food poisoning after dinner there.", "health"),
    ("en", "I will contact my lawyer and take legal action.", "legal"),
    ("en", "They are scammers, they charged my card without permission.", "fraud"),
    ("en", "The manager was openly racist towards my family.", "discrimination"),
    ("sv", "Jag fick matförgiftning efter besöket.", "health"),
    ("da", "Vi fik madforgiftning efter middagen.", "health"),
    ("no", "Dette er svindel, de trakk penger uten lov.", "fraud"),
    ("fi", "Sain ruokamyrkytyksen ravintolan annoksesta.", "health"),
    ("de", "Das ist Betrug, ich gehe zum Anwalt.", "fraud"),
    ("fr", "Le vendeur était raciste, c'est de la discrimination.", "discrimination"),
    ("es", "Me intoxicación alimentaria después de cenar allí, vergonzoso.", "health"),
]


@pytest.mark.parametrize(("lang", "text", "trigger"), SEVERITY)
def test_critical_triggers(lang: str, text: str, trigger: str) -> None:
    result = classify(ReviewText(text=text, language_hint=lang))
    assert result.severity is Severity.CRITICAL
    assert any(r.startswith(f"severity:{trigger}:") for r in result.reasons)


def test_severity_grades_below_critical() -> None:
    assert classify(ReviewText(text="Lovely place, great coffee.")).severity is Severity.LOW
    assert classify(ReviewText(text="The coffee was a bit cold.")).severity is Severity.MEDIUM
    angry = classify(ReviewText(text="Worst shop ever, rude staff, horrible, disgusting!!!"))
    assert angry.severity is Severity.HIGH


def test_a_payment_card_number_is_leaked_personal_data() -> None:
    result = classify(ReviewText(text="They printed my card 4111 1111 1111 1111 on the receipt, awful."))
    assert result.severity is Severity.CRITICAL
    assert any(r.reason is ReportReason.PERSONAL_DATA and r.evidence == "payment_card" for r in result.reportable)
    assert "4111" not in " ".join(result.reasons)


def reasons_for(text: str, lang: str | None = None) -> dict[ReportReason, list[str]]:
    out: dict[ReportReason, list[str]] = {}
    for r in classify(ReviewText(text=text, language_hint=lang)).reportable:
        out.setdefault(r.reason, []).append(r.evidence)
    return out


def test_personal_data_is_flagged_without_repeating_it() -> None:
    flags = reasons_for("Call their manager Anna on +46 70 123 45 67 or anna.s@example.com, she was rude.")
    assert sorted(flags[ReportReason.PERSONAL_DATA]) == ["email", "phone"]
    result = classify(ReviewText(text="Mail me at bob@example.org"))
    assert all("example" not in r for r in result.reasons)


def test_order_numbers_and_dates_are_not_phone_numbers() -> None:
    assert ReportReason.PERSONAL_DATA not in reasons_for("Order 123456789 placed 2024-05-01 arrived late.")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "My friend told me the food is awful."),
        ("sv", "Jag har hört att de är oseriösa."),
        ("de", "Ich habe gehört, dass der Laden schlecht ist."),
        ("fr", "Un ami m'a dit que c'est nul."),
        ("es", "Un amigo me dijo que es horrible."),
        ("fi", "Kuulemma palvelu on huonoa."),
        ("da", "Jeg har hørt at de snyder."),
        ("no", "Jeg har hørt at de er elendige."),
    ],
)
def test_hearsay_is_not_own_experience(lang: str, text: str) -> None:
    assert ReportReason.NOT_OWN_EXPERIENCE in reasons_for(text, lang)
    assert classify(ReviewText(text=text, language_hint=lang)).kind is Kind.TARGETED_ATTACK


def test_links_and_copy_paste_are_spam() -> None:
    assert reasons_for("Better prices at www.other-shop.com")[ReportReason.SPAM] == ["link"]
    assert "repetition" in reasons_for("buy " * 20)[ReportReason.SPAM]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "This is shit service."),
        ("sv", "Jävla skitföretag."),
        ("de", "Scheiß Laden."),
        ("fr", "Service de merde."),
        ("es", "Un servicio de mierda."),
        ("fi", "Vittu mikä palvelu."),
        ("da", "Sikke noget lort."),
        ("no", "Faen så dårlig."),
    ],
)
def test_profanity_is_reportable(lang: str, text: str) -> None:
    assert ReportReason.HATE_OR_PROFANITY in reasons_for(text, lang)


def test_constructive_feedback_is_its_own_kind() -> None:
    result = classify(ReviewText(text="The checkout is confusing. It would be nice to have a guest option."))
    assert result.sentiment.polarity is NEG
    assert result.kind is Kind.CONSTRUCTIVE


def test_boycott_calls_look_like_a_targeted_attack() -> None:
    result = classify(ReviewText(text="Fake company! Everyone avoid them, boycott this scam."))
    assert result.kind is Kind.TARGETED_ATTACK


def test_kind_is_only_given_for_negative_reviews() -> None:
    assert classify(ReviewText(text="Wonderful, thank you!")).kind is None


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("The parcel never arrived and the courier was rude.", {Topic.DELIVERY, Topic.STAFF}),
        ("Way overpriced and they charged my card twice, still no refund.", {Topic.PRICE, Topic.BILLING}),
        ("Dirty toilets and it smelled.", {Topic.CLEANLINESS}),
        ("The app keeps crashing at login.", {Topic.WEBSITE}),
        ("The fabric is cheap and the stitching came apart.", {Topic.QUALITY}),
    ],
)
def test_topics_are_multi_label(text: str, topics: set[Topic]) -> None:
    assert topics <= set(classify(ReviewText(text=text)).topics)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The service was really good and the staff were friendly.", "en"),
        ("Personalen var trevlig och maten var god, jag kommer tillbaka.", "sv"),
        ("Personalet var søde og maden var god, jeg kommer igen.", "da"),
        ("Personalet var hyggelige og maten var god, jeg kommer tilbake.", "no"),
        ("Henkilökunta oli ystävällistä ja ruoka oli hyvää, tulen uudestaan.", "fi"),
        ("Das Personal war sehr nett und das Essen war lecker.", "de"),
        ("Le personnel était très gentil et le repas était délicieux.", "fr"),
        ("El personal fue muy amable y la comida estaba deliciosa.", "es"),
    ],
)
def test_language_is_detected(text: str, code: str) -> None:
    language = classify(ReviewText(text=text)).language
    assert language.code == code
    assert language.detected
    assert language.confidence > 0.3


def test_a_language_hint_is_taken_as_given() -> None:
    language = classify(ReviewText(text="ok", language_hint="sv-SE")).language
    assert (language.code, language.detected, language.confidence) == ("sv", False, 1.0)


def test_title_counts_as_part_of_the_review() -> None:
    assert classify(ReviewText(title="Awful", text="Ordered twice.")).sentiment.polarity is NEG


def test_an_edit_that_turns_sour_says_so() -> None:
    before = ReviewText(text="Great shop, friendly staff.")
    after = ReviewText(text="Update: they never refunded me, terrible.", previous=before)
    assert "edit:more_negative" in classify(after).reasons


def test_reasons_explain_what_fired() -> None:
    reasons = classify(ReviewText(text="The waiter was rude")).reasons
    assert "neg:rude" in reasons
    assert any(r.startswith("topic:staff_service:") for r in reasons)


def test_same_input_same_output() -> None:
    review = ReviewText(text="Bra mat men långsam service 😕", language_hint=None)
    assert classify(review) == classify(review)
