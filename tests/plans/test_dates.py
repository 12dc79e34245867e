"""Tests for caring.plans.dates: reading council timescales without guessing."""

import calendar
import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.plans.dates import (
    CouncilDate,
    DateKind,
    parse_council_date,
    parse_due,
    parse_start,
)

D = date
EXACT, MONTH, QUARTER = DateKind.EXACT, DateKind.MONTH, DateKind.QUARTER
FY, YEAR = DateKind.FINANCIAL_YEAR, DateKind.YEAR

DATED_CASES = [
    # Day-first numeric
    ("31/03/2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("31.3.18", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("31-03-2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("1/4/18", EXACT, D(2018, 4, 1), D(2018, 4, 1)),
    ("31/3/2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("29/02/2020", EXACT, D(2020, 2, 29), D(2020, 2, 29)),
    ("1/1/00", EXACT, D(2000, 1, 1), D(2000, 1, 1)),
    ("31/12/69", EXACT, D(2069, 12, 31), D(2069, 12, 31)),
    ("1/1/99", EXACT, D(1999, 1, 1), D(1999, 1, 1)),
    ("by 31/03/2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    # ISO
    ("2018-03-31", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("2018-03-31 00:00:00", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    # Day month-name year
    ("31 March 2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("31st March 2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    ("1st Apr 2018", EXACT, D(2018, 4, 1), D(2018, 4, 1)),
    ("2nd Sept 2018", EXACT, D(2018, 9, 2), D(2018, 9, 2)),
    ("3 Dec 18", EXACT, D(2018, 12, 3), D(2018, 12, 3)),
    ("31-Mar-2018", EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    # Month and year
    ("Dec 2018", MONTH, D(2018, 12, 1), D(2018, 12, 31)),
    ("Sept 2018", MONTH, D(2018, 9, 1), D(2018, 9, 30)),
    ("Sep 2018", MONTH, D(2018, 9, 1), D(2018, 9, 30)),
    ("Sep. 2018", MONTH, D(2018, 9, 1), D(2018, 9, 30)),
    ("March 2019", MONTH, D(2019, 3, 1), D(2019, 3, 31)),
    ("Jan 18", MONTH, D(2018, 1, 1), D(2018, 1, 31)),
    ("December 2018", MONTH, D(2018, 12, 1), D(2018, 12, 31)),
    ("Dec-18", MONTH, D(2018, 12, 1), D(2018, 12, 31)),
    ("Dec 18", MONTH, D(2018, 12, 1), D(2018, 12, 31)),
    ("June 2019", MONTH, D(2019, 6, 1), D(2019, 6, 30)),
    ("July 2019", MONTH, D(2019, 7, 1), D(2019, 7, 31)),
    ("Feb 2020", MONTH, D(2020, 2, 1), D(2020, 2, 29)),
    ("Feb 2019", MONTH, D(2019, 2, 1), D(2019, 2, 28)),
    ("end of Sept 2018", MONTH, D(2018, 9, 1), D(2018, 9, 30)),
    ("End Sept 2018", MONTH, D(2018, 9, 1), D(2018, 9, 30)),
    ("by end of March 2019", MONTH, D(2019, 3, 1), D(2019, 3, 31)),
    ("by the end of March 2019", MONTH, D(2019, 3, 1), D(2019, 3, 31)),
    ("by Dec 2018", MONTH, D(2018, 12, 1), D(2018, 12, 31)),
    ("March 2019.", MONTH, D(2019, 3, 1), D(2019, 3, 31)),
    ("  MARCH   2019  ", MONTH, D(2019, 3, 1), D(2019, 3, 31)),
    # Financial-year quarters
    ("Q1 2018/19", QUARTER, D(2018, 4, 1), D(2018, 6, 30)),
    ("Q2 2018/19", QUARTER, D(2018, 7, 1), D(2018, 9, 30)),
    ("Q3 2018/19", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("Q4 2018/19", QUARTER, D(2019, 1, 1), D(2019, 3, 31)),
    ("Q3 18/19", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("Q3 2018-19", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("Q3 2018/2019", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("2018/19 Q3", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("Quarter 3 2018/19", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("q3 2018/19", QUARTER, D(2018, 10, 1), D(2018, 12, 31)),
    ("Q1 2019/20", QUARTER, D(2019, 4, 1), D(2019, 6, 30)),
    ("by end of Q4 2019/20", QUARTER, D(2020, 1, 1), D(2020, 3, 31)),
    # Financial years
    ("2018/19", FY, D(2018, 4, 1), D(2019, 3, 31)),
    ("2018-19", FY, D(2018, 4, 1), D(2019, 3, 31)),
    ("2018/2019", FY, D(2018, 4, 1), D(2019, 3, 31)),
    ("by end of 2018/19", FY, D(2018, 4, 1), D(2019, 3, 31)),
    ("Financial year 2018/19", FY, D(2018, 4, 1), D(2019, 3, 31)),
    ("1999/00", FY, D(1999, 4, 1), D(2000, 3, 31)),
    # Calendar years
    ("2019", YEAR, D(2019, 1, 1), D(2019, 12, 31)),
    ("end of 2019", YEAR, D(2019, 1, 1), D(2019, 12, 31)),
    ("1990", YEAR, D(1990, 1, 1), D(1990, 12, 31)),
    ("2100", YEAR, D(2100, 1, 1), D(2100, 12, 31)),
    # Non-text input
    (2019, YEAR, D(2019, 1, 1), D(2019, 12, 31)),
    (D(2018, 3, 31), EXACT, D(2018, 3, 31), D(2018, 3, 31)),
    (datetime(2018, 3, 31, 14, 30), EXACT, D(2018, 3, 31), D(2018, 3, 31)),
]

UNDATED_CASES = [
    ("Ongoing", DateKind.ONGOING),
    ("On-going", DateKind.ONGOING),
    ("on going", DateKind.ONGOING),
    ("ONGOING", DateKind.ONGOING),
    ("Ongoing - reviewed quarterly", DateKind.ONGOING),
    ("TBC", DateKind.TBC),
    ("TBA", DateKind.TBC),
    ("TBD", DateKind.TBC),
    ("To be confirmed", DateKind.TBC),
    ("to be agreed", DateKind.TBC),
    ("tbc.", DateKind.TBC),
    (None, DateKind.BLANK),
    ("", DateKind.BLANK),
    ("   \t\n ", DateKind.BLANK),
    ("-", DateKind.BLANK),
    ("\u2013", DateKind.BLANK),
    ("N/A", DateKind.BLANK),
    ("n/a", DateKind.BLANK),
    ("None", DateKind.BLANK),
]

UNPARSED_CASES = [
    "whenever",
    "Spring 2019",
    "end of March",
    "31/03",
    "March 2019 onwards",
    "2018/20",
    "Q3 2018/20",
    "Q0 2018/19",
    "Q5 2018/19",
    "31/02/2018",
    "0/1/2018",
    "12/13/2018",
    "32/01/2018",
    "29/02/2019",
    "31 Smarch 2018",
    "Smarch 2018",
    "1989",
    "2101",
    "31/03/1989",
    "31/03/75",
    "2100/01",
    "end of 31 March 2018",
    "18/19",
    "03/2019",
    "Ongoingness",
    "TBC by June",
    "\u0662\u0660\u0661\u0669",  # Arabic-Indic digits for 2019: not read as a year
    2019.5,
    True,
    D(1900, 1, 1),
    datetime(2101, 1, 1),
]


@pytest.mark.parametrize(("value", "kind", "first", "last"), DATED_CASES)
def test_dated_forms(value, kind, first, last):
    result = parse_council_date(value)
    assert (result.kind, result.first, result.last) == (kind, first, last)
    assert result.is_dated and not result.is_unparsed


@pytest.mark.parametrize(("value", "kind"), UNDATED_CASES)
def test_undated_forms(value, kind):
    result = parse_council_date(value)
    assert (result.kind, result.first, result.last) == (kind, None, None)
    assert not result.is_dated and not result.is_unparsed


@pytest.mark.parametrize("value", UNPARSED_CASES)
def test_unparsed_forms_keep_text_and_have_no_dates(value):
    result = parse_council_date(value)
    assert (result.kind, result.first, result.last) == (DateKind.UNPARSED, None, None)
    assert result.is_unparsed and not result.is_dated
    expected = value.isoformat()[:10] if isinstance(value, date) else str(value).strip()
    assert result.text == expected


def test_text_is_kept_stripped_but_otherwise_original():
    assert parse_council_date("  End  Sept 2018. ").text == "End  Sept 2018."
    assert parse_council_date(None).text == ""
    assert parse_council_date(datetime(2018, 3, 31, 9)).text == "2018-03-31"
    assert parse_council_date(2019).text == "2019"


def test_unprintable_value_is_unparsed_not_an_error():
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert parse_council_date(Broken()).kind is DateKind.UNPARSED
    assert parse_council_date(10**5000).kind is DateKind.UNPARSED  # too long for str()


def test_council_date_is_frozen():
    result = parse_council_date("Dec 2018")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.kind = DateKind.EXACT


def test_month_as_due_and_as_start():
    result = parse_council_date("Dec 2018")
    assert result.as_due == D(2018, 12, 31)
    assert result.as_start == D(2018, 12, 1)
    assert parse_due("Dec 2018") == D(2018, 12, 31)
    assert parse_start("Dec 2018") == D(2018, 12, 1)


def test_quarter_as_due_and_as_start():
    result = parse_council_date("Q4 2018/19")
    assert result.as_due == D(2019, 3, 31)
    assert result.as_start == D(2019, 1, 1)
    assert parse_due("Q3 2018/19") == D(2018, 12, 31)
    assert parse_start("Q3 2018/19") == D(2018, 10, 1)


def test_undated_kinds_have_no_due_or_start():
    for value in ("Ongoing", "TBC", "", "whenever"):
        assert parse_due(value) is None
        assert parse_start(value) is None


@pytest.mark.parametrize(
    ("value", "description"),
    [
        ("31/03/2018", "31 March 2018"),
        ("1/4/18", "1 April 2018"),
        ("Dec-18", "December 2018"),
        ("Q3 2018/19", "Q3 2018/19 (October to December 2018)"),
        ("Q4 2018/19", "Q4 2018/19 (January to March 2019)"),
        ("Q1 1999/00", "Q1 1999/00 (April to June 1999)"),
        ("2018/19", "Financial year 2018/19"),
        ("2019", "2019"),
        ("on-going", "Ongoing"),
        ("tba", "To be confirmed"),
        (None, "Not given"),
        ("n/a", "Not given"),
        (" whenever ", "Could not be read: 'whenever'"),
    ],
)
def test_describe(value, description):
    assert parse_council_date(value).describe() == description


def test_describe_of_dated_kinds_parses_back_to_the_same_period():
    for value in ("31/03/2018", "Dec-18", "2018/19", "2019", "Q2 2020/21"):
        result = parse_council_date(value)
        again = parse_council_date(result.describe().split(" (")[0])
        assert (again.kind, again.first, again.last) == (result.kind, result.first, result.last)


def test_spreadsheet_floats_read_as_whole_numbers_and_nan_as_blank():
    assert parse_council_date(2019.0).kind == DateKind.YEAR
    assert parse_council_date(2019.0).text == "2019"
    assert parse_council_date(float("nan")).kind == DateKind.BLANK


# --- Property-based tests ---------------------------------------------------------------------

ANY_VALUE = st.one_of(st.none(), st.integers(), st.floats(), st.dates(), st.datetimes(), st.text())


def assert_consistent(result: CouncilDate) -> None:
    assert isinstance(result, CouncilDate)
    assert isinstance(result.kind, DateKind)
    if result.is_dated:
        assert result.first is not None and result.last is not None
        assert result.first <= result.last
        assert result.as_start == result.first and result.as_due == result.last
    else:
        assert result.first is None and result.last is None
    assert isinstance(result.describe(), str)


@given(st.text())
def test_any_text_never_raises_and_keeps_stripped_text(value):
    result = parse_council_date(value)
    assert_consistent(result)
    assert result.text == value.strip()


@given(ANY_VALUE)
def test_any_value_never_raises(value):
    result = parse_council_date(value)
    assert_consistent(result)
    if value is None:
        assert result.text == ""
    elif isinstance(value, datetime):
        assert result.text == value.date().isoformat()
    elif isinstance(value, date):
        assert result.text == value.isoformat()


@given(st.text(alphabet="0123456789/.- QqendofbyDecMarchstn", max_size=20))
def test_date_like_text_never_raises(value):
    assert_consistent(parse_council_date(value))


IN_RANGE = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
PIVOT_RANGE = st.dates(min_value=D(1990, 1, 1), max_value=D(2069, 12, 31))


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%-d %b %Y"])
@given(day=IN_RANGE)
def test_exact_dates_round_trip(fmt, day):
    result = parse_council_date(day.strftime(fmt))
    assert (result.kind, result.first, result.last) == (EXACT, day, day)


@given(day=PIVOT_RANGE)
def test_two_digit_year_dates_round_trip(day):
    result = parse_council_date(day.strftime("%d.%m.%y"))
    assert (result.kind, result.first, result.last) == (EXACT, day, day)


@pytest.mark.parametrize("fmt", ["%B %Y", "%b %Y", "end of %B %Y"])
@given(year=st.integers(1990, 2100), month=st.integers(1, 12))
def test_months_round_trip(fmt, year, month):
    result = parse_council_date(D(year, month, 1).strftime(fmt))
    last_day = calendar.monthrange(year, month)[1]
    assert (result.kind, result.first, result.last) == (
        MONTH,
        D(year, month, 1),
        D(year, month, last_day),
    )
    assert result.as_due == D(year, month, last_day)


def quarter(year: int, number: int) -> CouncilDate:
    return parse_council_date(f"Q{number} {year}/{(year + 1) % 100:02d}")


@given(year=st.integers(1990, 2099), number=st.integers(1, 4))
def test_quarter_is_three_whole_months_inside_its_financial_year(year, number):
    result = quarter(year, number)
    assert result.kind is QUARTER
    assert D(year, 4, 1) <= result.first <= result.last <= D(year + 1, 3, 31)
    assert result.first.day == 1
    assert result.last == result.last.replace(
        day=calendar.monthrange(result.last.year, result.last.month)[1]
    )
    assert result.first.year == result.last.year
    assert result.last.month - result.first.month == 2


@given(year=st.integers(1990, 2099))
def test_four_quarters_tile_the_financial_year(year):
    quarters = [quarter(year, number) for number in (1, 2, 3, 4)]
    whole_year = parse_council_date(f"{year}/{(year + 1) % 100:02d}")
    assert whole_year.kind is FY
    assert quarters[0].first == whole_year.first == D(year, 4, 1)
    assert quarters[-1].last == whole_year.last == D(year + 1, 3, 31)
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert after.first == before.last + timedelta(days=1)
