import pytest

from reviewpulse.classify import Polarity, RatingScale, ReviewText, classify, rating_band


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, Polarity.NEGATIVE),
        (2, Polarity.NEGATIVE),
        (3, Polarity.NEUTRAL),
        (4, Polarity.POSITIVE),
        (5, Polarity.POSITIVE),
    ],
)
def test_five_star_bands(value: float, expected: Polarity) -> None:
    assert rating_band(RatingScale(value=value)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, Polarity.NEGATIVE),
        (6, Polarity.NEGATIVE),
        (7, Polarity.NEUTRAL),
        (8, Polarity.NEUTRAL),
        (9, Polarity.POSITIVE),
        (10, Polarity.POSITIVE),
    ],
)
def test_zero_to_ten_uses_nps_bands(value: float, expected: Polarity) -> None:
    assert rating_band(RatingScale(value=value, worst=0, best=10)) is expected


def test_recommendation_is_negative_or_positive() -> None:
    assert rating_band(RatingScale(value=0, worst=0, best=1)) is Polarity.NEGATIVE
    assert rating_band(RatingScale(value=1, worst=0, best=1)) is Polarity.POSITIVE


def test_half_stars_fall_into_the_lower_band() -> None:
    assert rating_band(RatingScale(value=2.5)) is Polarity.NEGATIVE
    assert rating_band(RatingScale(value=3.5)) is Polarity.NEUTRAL


def test_other_scales_are_mapped_onto_five_stars() -> None:
    assert rating_band(RatingScale(value=10, worst=1, best=100)) is Polarity.NEGATIVE
    assert rating_band(RatingScale(value=95, worst=1, best=100)) is Polarity.POSITIVE


@pytest.mark.parametrize("text", ["Absolutely wonderful, the best shop ever!", "Horrible, rude, never again.", ""])
@pytest.mark.parametrize("stars", [1, 2, 3, 4, 5])
def test_a_rating_always_decides_the_polarity(text: str, stars: int) -> None:
    rating = RatingScale(value=stars)
    assert classify(ReviewText(text=text, rating=rating)).sentiment.polarity is rating_band(rating)


def test_five_stars_with_an_angry_text_is_a_mismatch() -> None:
    result = classify(ReviewText(text="Terrible service, rude staff, I am furious!", rating=RatingScale(value=5)))
    assert result.sentiment.polarity is Polarity.POSITIVE
    assert result.sentiment.mismatch
    assert result.sentiment.score < 0


def test_one_star_with_praise_is_a_mismatch() -> None:
    result = classify(
        ReviewText(text="Wonderful staff, excellent food, highly recommend!", rating=RatingScale(value=1))
    )
    assert result.sentiment.polarity is Polarity.NEGATIVE
    assert result.sentiment.mismatch


def test_a_consistent_review_is_no_mismatch() -> None:
    result = classify(ReviewText(text="Excellent, friendly and fast.", rating=RatingScale(value=5)))
    assert not result.sentiment.mismatch
