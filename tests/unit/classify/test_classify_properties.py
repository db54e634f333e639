"""Whatever a platform sends, the classifier answers, quickly, and the same way every time."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewpulse.classify import Classification, RatingScale, ReviewText, classify

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: Classification) -> None:
    assert -1.0 <= result.sentiment.score <= 1.0
    assert 0.0 <= result.language.confidence <= 1.0
    assert len(result.reasons) <= 32
    # Built without re-validation for speed: prove the answer would pass validation anyway.
    assert Classification.model_validate_json(result.model_dump_json()) == result


@SETTINGS
@given(text=ANY_TEXT, title=st.none() | ANY_TEXT, hint=st.none() | st.text(max_size=12))
def test_any_unicode_input_gets_an_answer(text: str, title: str | None, hint: str | None) -> None:
    check(classify(ReviewText(text=text, title=title, language_hint=hint)))


@SETTINGS
@given(
    text=ANY_TEXT,
    value=st.floats(min_value=-5, max_value=105, allow_nan=False),
    worst=st.sampled_from([0, 1]),
    best=st.sampled_from([1, 5, 10, 100]),
)
def test_any_rating_gets_an_answer(text: str, value: float, worst: int, best: int) -> None:
    check(classify(ReviewText(text=text, rating=RatingScale(value=value, worst=worst, best=best))))


@SETTINGS
@given(text=st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=300))
def test_control_and_format_characters_are_harmless(text: str) -> None:
    check(classify(ReviewText(text=text)))


@SETTINGS
@given(
    words=st.lists(
        st.sampled_from(["שירות", "גרוע", "ممتاز", "خدمة", "سيئة", "\u200f", "\u202e", "good", "bad", "!!"]),
        max_size=60,
    )
)
def test_right_to_left_scripts_are_harmless(words: list[str]) -> None:
    check(classify(ReviewText(text=" ".join(words))))


@SETTINGS
@given(text=ANY_TEXT)
def test_deterministic(text: str) -> None:
    review = ReviewText(text=text)
    assert classify(review) == classify(review)


def test_empty_text_is_neutral_and_low() -> None:
    result = classify(ReviewText(text=""))
    assert result.sentiment.polarity.value == "neutral"
    assert result.severity.value == "low"
    assert result.language.code is None


def test_a_hundred_kilobytes_take_bounded_time() -> None:
    text = ("The food was awful and the waiter was rude, call +46 70 123 45 67! 😡 " * 1500)[:100_000]
    classify(ReviewText(text="warm up"))
    start = time.perf_counter()
    result = classify(ReviewText(text=text, title=text))
    assert time.perf_counter() - start < 0.5
    assert result.sentiment.polarity.value == "negative"


def test_pathological_punctuation_takes_bounded_time() -> None:
    for text in ("!" * 100_000, ":" * 100_000, "1 " * 50_000, "@" * 100_000, "a@" * 50_000, "(" * 100_000):
        start = time.perf_counter()
        check(classify(ReviewText(text=text)))
        assert time.perf_counter() - start < 0.5, text[:5]
