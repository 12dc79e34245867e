"""RAG against the target, direction of travel and figures as people read them
(caring.indicators.assess: pure, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caring.indicators.assess import Direction, Rating, direction, fmt, rate

D = Decimal
TEN = D(10)


def rag(value, target, polarity="higher", tolerance=TEN) -> str | None:
    return rate(
        None if value is None else D(value),
        None if target is None else D(target),
        polarity=polarity,
        tolerance=D(tolerance),
    ).rag


# --- rate() ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", "green"),  # beyond the target
        ("100", "green"),  # exactly on it
        ("99.99", "amber"),
        ("90", "amber"),  # short by exactly the tolerance (10% of 100)
        ("89.99", "red"),
        ("0", "red"),
    ],
)
def test_higher_is_better_boundaries(value, expected):
    assert rag(value, "100", "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("80", "green"),  # below the target is good when lower is better
        ("100", "green"),
        ("100.01", "amber"),
        ("110", "amber"),  # over by exactly the tolerance
        ("110.01", "red"),
        ("500", "red"),
    ],
)
def test_lower_is_better_boundaries(value, expected):
    assert rag(value, "100", "lower") == expected


@pytest.mark.parametrize("polarity", ["higher", "lower"])
def test_a_tolerance_of_zero_leaves_no_amber(polarity):
    assert rag("100", "100", polarity, tolerance=0) == "green"
    worse = "99.999" if polarity == "higher" else "100.001"
    assert rag(worse, "100", polarity, tolerance=0) == "red"


def test_the_tolerance_is_a_percentage_of_the_target():
    assert rag("75", "100", tolerance=25) == "amber"
    assert rag("74.9", "100", tolerance=25) == "red"
    assert rag("7", "10", tolerance=30) == "amber"  # 30% of 10 is 3
    assert rag("6.9", "10", tolerance=30) == "red"


def test_a_target_of_zero():
    # Lower is better (e.g. young carers waiting for an assessment): zero is met, anything is red
    assert rag("0", "0", "lower") == "green"
    assert rag("1", "0", "lower") == "red"  # 10% of nothing allows nothing
    # Higher is better: anything at or above zero meets it.
    assert rag("0", "0", "higher") == "green"
    assert rag("3", "0", "higher") == "green"
    assert rag("-0.5", "0", "higher") == "red"


def test_negative_targets_and_values():
    # A change measure where -10 is the goal: the tolerance is of the target's size.
    assert rag("-10", "-10", "higher") == "green"
    assert rag("-5", "-10", "higher") == "green"
    assert rag("-11", "-10", "higher") == "amber"  # short by 1, 10% of |-10| allows 1
    assert rag("-11.5", "-10", "higher") == "red"
    assert rag("-12", "-10", "lower") == "green"
    assert rag("-9", "-10", "lower") == "amber"
    assert rag("-8", "-10", "lower") == "red"


def test_not_rated_without_a_value_or_a_target():
    no_value = rate(None, D(5), polarity="higher", tolerance=TEN)
    assert no_value == Rating(None, "No approved value yet.")
    no_target = rate(D(5), None, polarity="lower", tolerance=TEN)
    assert no_target == Rating(None, "No target is set.")


def test_an_unknown_polarity_is_a_programming_error():
    with pytest.raises(ValueError, match="polarity"):
        rate(D(1), D(2), polarity="sideways", tolerance=TEN)


def test_the_reason_uses_the_pages_figures_and_names_the_shortfall():
    def shown(value):
        return fmt(value, unit="percentage", decimals=1)

    green = rate(D("82.5"), D(80), polarity="higher", tolerance=D("10.00"), shown=shown)
    assert green.reason == "82.5% meets the target of 80.0%."
    amber = rate(D(75), D(80), polarity="higher", tolerance=D("10.00"), shown=shown)
    assert amber.rag == "amber"
    assert amber.reason == (
        "75.0% is short of the target of 80.0% by 5.0%, within the 10% tolerance."
    )
    red = rate(D(60), D(80), polarity="higher", tolerance=D("10.00"), shown=shown)
    assert red.reason == "60.0% is short of the target of 80.0% by 20.0%."
    over = rate(D(130), D(100), polarity="lower", tolerance=D("12.50"), shown=str)
    assert over.rag == "red" and "by 30" in over.reason
    near = rate(D(110), D(100), polarity="lower", tolerance=D("12.50"), shown=str)
    assert near.reason.endswith("within the 12.5% tolerance.")


# --- direction() --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "key"),
    [
        ("12", "10", "higher", "improving"),
        ("8", "10", "higher", "worsening"),
        ("8", "10", "lower", "improving"),
        ("12", "10", "lower", "worsening"),
        ("10", "10", "higher", "same"),
        ("10.0", "10", "lower", "same"),
        ("-2", "-5", "higher", "improving"),
        ("-2", "-5", "lower", "worsening"),
    ],
)
def test_direction_follows_the_polarity(latest, previous, polarity, key):
    assert direction(D(latest), D(previous), polarity=polarity).key == key


def test_direction_needs_two_values():
    unknown = Direction("unknown", "Not enough values yet")
    assert direction(D(3), None, polarity="higher") == unknown
    assert direction(None, D(3), polarity="lower") == unknown
    assert direction(None, None, polarity="higher") == unknown
    assert direction(D(4), D(3), polarity="higher").label == "Improving"
    assert direction(D(3), D(3), polarity="higher").label == "No change"
    assert direction(D(2), D(3), polarity="higher").label == "Worsening"


# --- fmt() --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "shown"),
    [
        ("1234", "count", 0, "1,234"),
        ("1234567", "count", 0, "1,234,567"),
        ("0", "count", 0, "0"),
        ("45.6", "percentage", 1, "45.6%"),
        ("45", "percentage", 0, "45%"),
        ("7.6", "score", 1, "7.6"),
        ("7.6", "score", 2, "7.60"),
        ("12.3", "rate_per_1000", 1, "12.3 per 1,000"),
        ("1500", "rate_per_1000", 0, "1,500 per 1,000"),
        ("-3.25", "score", 2, "-3.25"),
    ],
)
def test_fmt_writes_each_unit_as_people_read_it(value, unit, decimals, shown):
    assert fmt(D(value), unit=unit, decimals=decimals) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [("7.65", 1, "7.7"), ("7.75", 1, "7.8"), ("2.5", 0, "3"), ("45.25", 1, "45.3")],
)
def test_fmt_rounds_halves_up_as_spreadsheets_do(value, decimals, shown):
    assert fmt(D(value), unit="score", decimals=decimals) == shown


@pytest.mark.parametrize("unit", ["count", "percentage", "score", "rate_per_1000"])
def test_fmt_without_a_value(unit):
    assert fmt(None, unit=unit, decimals=1) == "No value"
