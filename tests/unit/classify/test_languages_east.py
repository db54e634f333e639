"""Russian, Ukrainian, Polish, Latvian and Tagalog: the lexicon files are well-formed, and the classifier
reads negation, mixed reviews, critical triggers and hearsay in each language."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from itertools import combinations

import pytest

from reviewpulse.classify import Polarity, ReportReason, ReviewText, Severity, classify
from reviewpulse.classify import lexicon as lexicon_module

LANGUAGES = ("ru", "uk", "pl", "lv", "tl")
CYRILLIC = frozenset({"ru", "uk"})
SECTIONS = lexicon_module.REQUIRED_SECTIONS
REQUIRED = SECTIONS
# Optional: middling verdicts ("так себе", "pwede na", "nu tā") that keep a review neutral unless it leans clearly.
OPTIONAL = frozenset({"hedges"})
_SECTION = re.compile(r"^\[([a-z_:]+)\]$")
_APOSTROPHES = "'’-"


def raw_text(code: str) -> str:
    return resources.files("reviewpulse.classify").joinpath("lexicons", f"{code}.txt").read_text("utf-8")


def entries(code: str) -> dict[str, list[tuple[str, float | None]]]:
    """Section -> [(term, weight or None)], read by the format's rules, independently of the engine's loader."""
    out: dict[str, list[tuple[str, float | None]]] = {}
    section = None
    for line in raw_text(code).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head = _SECTION.match(line)
        if head:
            section = head.group(1)
            out.setdefault(section, [])
            continue
        assert section is not None, f"{code}: entry before any section: {line!r}"
        parts = line.split()
        weight: float | None = None
        if len(parts) > 1:
            try:
                weight = float(parts[-1])
                parts = parts[:-1]
            except ValueError:
                pass
        out[section].append((" ".join(parts), weight))
    return out


def script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "cyrillic" if name.startswith("CYRILLIC") else "latin" if name.startswith("LATIN") else "other"


# --- the files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_lexicon_header_names_language_and_licence(code: str) -> None:
    lines = raw_text(code).splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 3
    header = "\n".join(line for line in lines[:8] if line.startswith("#"))
    assert "Written for reviewpulse, MIT licence" in header


@pytest.mark.parametrize("code", LANGUAGES)
def test_lexicon_has_every_section_and_no_unknown_one(code: str) -> None:
    found = set(entries(code))
    assert found <= SECTIONS | OPTIONAL, found - SECTIONS - OPTIONAL
    assert found >= REQUIRED, REQUIRED - found


@pytest.mark.parametrize("code", LANGUAGES)
def test_lexicon_entries_follow_the_format(code: str) -> None:
    problems: list[str] = []
    for section, items in entries(code).items():
        seen: set[str] = set()
        for term, weight in items:
            if term != term.lower():
                problems.append(f"{section}: not lower-case: {term}")
            if term in seen:
                problems.append(f"{section}: duplicate: {term}")
            seen.add(term)
            words = term.split(" ")
            if any("*" in w for w in words[:-1]) or words[-1].count("*") > 1 or words[-1].startswith("*"):
                problems.append(f"{section}: '*' only ends the last word: {term}")
            if words[-1].endswith("*") and len(words) == 1 and len(words[0]) - 1 < lexicon_module.MIN_STEM:
                problems.append(f"{section}: stem shorter than {lexicon_module.MIN_STEM}: {term}")
            bare = term.rstrip("*")
            for ch in _APOSTROPHES:
                bare = bare.replace(ch, " ")
            if not all(w.isalpha() for w in bare.split()):
                problems.append(f"{section}: a word the tokenizer can never produce: {term}")
            scripts = {script_of(ch) for ch in bare if ch.isalpha()} - {"other"}  # ʼ (U+02BC) is a letter
            expected = "cyrillic" if code in CYRILLIC else "latin"
            if scripts - {expected} and not (code in CYRILLIC and section in ("profanity", "hate")):
                problems.append(f"{section}: mixed script: {term}")
            if section in ("positive", "negative") and weight is not None and not 0.5 <= weight <= 4:
                problems.append(f"{section}: strength outside 0.5-4: {term} {weight}")
            if section == "intensifiers" and weight is not None and weight <= 1:
                problems.append(f"{section}: an intensifier multiplies by more than 1: {term} {weight}")
            if section == "downtoners" and weight is not None and weight >= 1:
                problems.append(f"{section}: a downtoner multiplies by less than 1: {term} {weight}")
            if section not in ("positive", "negative", "intensifiers", "downtoners") and weight is not None:
                problems.append(f"{section}: weight has no meaning here: {term}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_lexicon_is_substantial(code: str) -> None:
    sections = entries(code)
    assert len(sections["positive"]) >= 150
    assert len(sections["negative"]) >= 200
    assert 60 <= len(sections["stopwords"]) <= 150
    for name in SECTIONS - {"stopwords"}:
        assert sections[name], f"{code}: [{name}] is empty"


@pytest.mark.parametrize("code", LANGUAGES)
def test_engine_loader_reads_every_entry(code: str) -> None:
    lexicon_module.load.cache_clear()
    lexicon_module.stopwords.cache_clear()
    lex = lexicon_module.load(code)
    assert lex is not None
    assert lex.sections >= REQUIRED
    loaded = sum(len(v) for v in lex.exact.values()) + sum(len(v) for v in lex.stems.values())
    loaded += sum(len(p.entries) for plist in lex.phrases.values() for p in plist)
    written = sum(len(items) for name, items in entries(code).items() if name != "stopwords")
    assert loaded == written  # nothing dropped by the loader's normalisation
    assert lexicon_module.stopwords(code) == lex.stopwords


@pytest.mark.parametrize(("a", "b"), [("ru", "uk"), *combinations(("pl", "lv", "tl"), 2)])
def test_stopwords_tell_neighbours_apart(a: str, b: str) -> None:
    shared = lexicon_module.stopwords(a) & lexicon_module.stopwords(b)
    assert not shared, shared


# --- behaviour ---------------------------------------------------------------------------------------------


def polarity(text: str, code: str | None) -> Polarity:
    return classify(ReviewText(text=text, language_hint=code)).sentiment.polarity


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("ru", "Очень хочу сказать, как мне понравился этот ресторан, всё было хорошо."),
        ("uk", "Дуже хочу сказати, що мені все сподобалося, персонал привітний і їжа смачна."),
        ("pl", "Bardzo miła pani doktor, wszystko dokładnie wyjaśniła, jestem zadowolona i polecam."),
        ("lv", "Šodien bija ļoti garšīgas pusdienas, man tiešām patika un es to iesaku."),
        ("tl", "Sobrang ganda ng item, mabilis dumating at maayos ang packaging. Salamat po seller!"),
    ],
)
def test_language_is_detected_without_a_hint(code: str, text: str) -> None:
    result = classify(ReviewText(text=text))
    assert result.language.code == code
    assert result.sentiment.polarity is Polarity.POSITIVE


NEGATION = [
    ("ru", "Еда была не вкусная.", Polarity.NEGATIVE),
    ("ru", "Никому не рекомендую это место.", Polarity.NEGATIVE),
    ("ru", "Совсем неплохо и недорого.", Polarity.POSITIVE),
    ("uk", "Їжа була не смачна.", Polarity.NEGATIVE),
    ("uk", "Нікому не раджу цей сервіс.", Polarity.NEGATIVE),
    ("uk", "Цілком непогано і недорого.", Polarity.POSITIVE),
    ("pl", "Lekarz nie był miły.", Polarity.NEGATIVE),
    ("pl", "Nigdy nie polecę tego gabinetu.", Polarity.NEGATIVE),
    ("pl", "Niezły lekarz i niedrogo.", Polarity.POSITIVE),
    ("lv", "Zupa nav garšīga.", Polarity.NEGATIVE),
    ("lv", "Man nepatīk šī kafija.", Polarity.NEGATIVE),
    ("lv", "Nav slikti!", Polarity.POSITIVE),
    ("tl", "Hindi maganda ang quality.", Polarity.NEGATIVE),
    ("tl", "Di ko nagustuhan ang tela.", Polarity.NEGATIVE),
    ("tl", "Walang sira at sulit.", Polarity.POSITIVE),
]


@pytest.mark.parametrize(("code", "text", "expected"), NEGATION)
def test_negation_is_read(code: str, text: str, expected: Polarity) -> None:
    assert polarity(text, code) is expected


MIXED = [
    ("ru", "Еда вкусная, но обслуживание ужасное и официант нахамил.", Polarity.NEGATIVE),
    ("ru", "Ждали долго, но еда отличная, всё понравилось.", Polarity.POSITIVE),
    ("uk", "Страви смачні, але офіціант нахамив і довго чекали.", Polarity.NEGATIVE),
    ("uk", "Чекали довго, але все дуже смачно, рекомендую.", Polarity.POSITIVE),
    ("pl", "Pani doktor miła, ale niekompetentna i zbagatelizowała objawy.", Polarity.NEGATIVE),
    ("pl", "Długo czekałam, ale lekarz świetny i bardzo dokładny.", Polarity.POSITIVE),
    ("lv", "Zupa bija garšīga, bet apkalpošana briesmīga.", Polarity.NEGATIVE),
    ("lv", "Dārgi, bet ļoti garšīgi, iesaku!", Polarity.POSITIVE),
    ("tl", "Maganda ang item pero sobrang tagal dumating at may sira.", Polarity.NEGATIVE),
    ("tl", "Medyo matagal dumating pero sobrang ganda at sulit!", Polarity.POSITIVE),
]


@pytest.mark.parametrize(("code", "text", "expected"), MIXED)
def test_mixed_review_leans_to_the_clause_after_the_contrast(code: str, text: str, expected: Polarity) -> None:
    assert polarity(text, code) is expected


SEVERE = [
    ("ru", "После ужина у всей семьи пищевое отравление, вызывали скорую.", "health"),
    ("ru", "Списали деньги дважды, это мошенники.", "fraud"),
    ("uk", "Після вечері харчове отруєння, викликали швидку.", "health"),
    ("uk", "Подам до суду на цю компанію.", "legal"),
    ("pl", "Po zabiegu zakażenie szpitalne, trafiłam do szpitala.", "health"),
    ("pl", "To są oszuści, pobrali dwa razy bez mojej zgody.", "fraud"),
    ("lv", "Pēc vakariņām saindējos un nonācu slimnīcā.", "health"),
    ("lv", "Tie ir krāpnieki, nozaga naudu.", "fraud"),
    ("tl", "Nakuryente ako nung ginamit ko, delikado ito.", "safety"),
    ("tl", "Scammer ang seller, kakasuhan ko kayo.", "fraud"),
]


@pytest.mark.parametrize(("code", "text", "kind"), SEVERE)
def test_critical_trigger_raises_severity(code: str, text: str, kind: str) -> None:
    result = classify(ReviewText(text=text, language_hint=code))
    assert result.severity is Severity.CRITICAL
    assert any(r.startswith(f"severity:{kind}:") for r in result.reasons), result.reasons


HEARSAY = [
    ("ru", "Сам не был, но друг рассказал, что там ужасно."),
    ("uk", "Кажуть що там погано, сам не був."),
    ("pl", "Podobno ten lekarz jest beznadziejny, znajomi mówili."),
    ("lv", "Draugs teica, ka tur esot pretīgi."),
    ("tl", "Sabi ng kaibigan ko pangit daw dito."),
]


@pytest.mark.parametrize(("code", "text"), HEARSAY)
def test_hearsay_is_reportable_as_not_own_experience(code: str, text: str) -> None:
    result = classify(ReviewText(text=text, language_hint=code))
    assert any(r.reason is ReportReason.NOT_OWN_EXPERIENCE for r in result.reportable), result.reasons


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("ru", "Хорошая машина, расход небольшой, сервис отличный."),
        ("pl", "Polecam tego lekarza, bardzo dokladny i mily."),  # typed without diacritics
        ("lv", "loti garsigi, paldies!"),  # typed without diacritics
    ],
)
def test_plain_praise_is_positive(code: str, text: str) -> None:
    assert polarity(text, code) is Polarity.POSITIVE


def test_fused_price_negation_is_praise_not_complaint() -> None:
    assert polarity("Недорого и вкусно.", "ru") is Polarity.POSITIVE
    assert polarity("Дорого и невкусно.", "ru") is Polarity.NEGATIVE


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("pl", "Pani alergolog bardzo miła, polecam."),  # allergist: a specialty, not an allergic reaction
        ("pl", "Byłem u ortopedy po wypadku na nartach, świetny lekarz."),  # the reason for the visit
        ("pl", "Pobranie krwi bezbolesne, pielęgniarka miła."),  # "pobrać" is also to take blood
        ("ru", "Хороший травматолог, помог после перелома."),
        ("ru", "Взрывной вкус, отличный ресторан."),
        ("uk", "Смачний гарнір і відразу принесли."),  # гарнір is not гарний, відразу is "at once"
        ("lv", "Rupjmaize ar pistācijām, ļoti garšīgi."),  # rye bread is not rudeness
        ("tl", "Ang ganda ng pantalon, sakto sa size."),  # pantalon is not pantal (rash)
    ],
)
def test_look_alike_words_do_not_raise_alarms(code: str, text: str) -> None:
    result = classify(ReviewText(text=text, language_hint=code))
    assert result.sentiment.polarity is Polarity.POSITIVE
    assert result.severity is Severity.LOW, result.reasons


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        # Fixed expressions whose negation praises, and "without" that negates nothing.
        ("ru", "Не пожалеете, всё очень вкусно.", Polarity.POSITIVE),
        ("ru", "Кофе без сахара, десерт отличный.", Polarity.POSITIVE),
        ("uk", "Не пошкодуєте, все дуже смачно.", Polarity.POSITIVE),
        ("uk", "Кава без цукру, десерт чудовий.", Polarity.POSITIVE),
        ("pl", "Nawet nie bolało, polecam.", Polarity.POSITIVE),
        ("pl", "Nie mam nic do zarzucenia, lekarz z powołania.", Polarity.POSITIVE),
        ("lv", "Nav ne vainas, garšīgi.", Polarity.POSITIVE),
        ("tl", "Wala akong masabi, sulit!", Polarity.POSITIVE),
        # Complaints told as what the doctor did not do, or in strong words.
        ("pl", "Wizyta po łebkach, lekarz nawet mnie nie zbadał.", Polarity.NEGATIVE),
        ("lv", "Pica bija drausmīga, pārsālīta.", Polarity.NEGATIVE),
    ],
)
def test_negation_idioms_and_complaints(code: str, text: str, expected: Polarity) -> None:
    assert polarity(text, code) is expected


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("ru", "Кухня так себе, ничего особенного."),
        ("uk", "Кухня так собі, нічого особливого."),
        ("tl", "Ok lang, pwede na sa presyo."),
    ],
)
def test_a_middling_verdict_is_neutral(code: str, text: str) -> None:
    assert polarity(text, code) is Polarity.NEUTRAL
