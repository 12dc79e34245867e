"""Indicator periods: reading them, stepping through them, and whether data is overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.indicators import periods
from caring.indicators.periods import (
    FREQUENCIES,
    GRACE_DAYS,
    Freshness,
    Period,
    PeriodError,
    data_due,
    due_by,
    latest_complete,
    next_period,
    parse_period,
    period_containing,
    previous_period,
)
from tests.test_layers import imported_modules

D = dt.date

APRIL_2018 = Period("monthly", "2018-04", "April 2018", D(2018, 4, 1), D(2018, 4, 30))
Q3_2018 = Period(
    "quarterly",
    "2018/19 Q3",
    "Q3 2018/19 (October to December 2018)",
    D(2018, 10, 1),
    D(2018, 12, 31),
)
FY_2018 = Period("annual", "2018/19", "2018/19", D(2018, 4, 1), D(2019, 3, 31))
SURVEY_2018 = Period("biennial", "2018/19", "2018/19", D(2018, 4, 1), D(2019, 3, 31))


def test_the_module_is_pure():
    imported = imported_modules(Path(periods.__file__))
    assert not {name for name in imported if name.startswith(("django", "openpyxl"))}
    assert not {name for name in imported if name.endswith((".models", ".services"))}


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2018-04", "04/2018", "4/2018", "2018-4", "2018/04", "Apr 2018", "April 2018", "april 2018",
        "APR-18", "Apr 18", "Apr. 2018", "  April   2018. ", "2018-04-01", "01/04/2018",
        "30/04/2018", "15 April 2018", "2018-04-30 00:00:00", D(2018, 4, 1), D(2018, 4, 30),
        dt.datetime(2018, 4, 17, 9, 30),
    ],
)  # fmt: skip
def test_monthly_forms(text):
    assert parse_period(text, "monthly") == APRIL_2018


def test_monthly_key_that_looks_like_a_financial_year_is_a_month():
    assert parse_period("2011-12", "monthly").label == "December 2011"
    assert parse_period("Sept 2018", "monthly").key == "2018-09"
    assert parse_period("Dec-18", "monthly").key == "2018-12"


@pytest.mark.parametrize(
    "text",
    [
        "Q3 2018/19", "2018/19 Q3", "Q3 2018-19", "Quarter 3 2018/19", "quarter 3 2018/19",
        "Q3 2018/2019", "Q3 18/19", "Q3 FY2018/19", "Q3, 2018/19", "Qtr 3 2018/19",
        "Q3 of 2018/19", "2018-19 Q3", "FY2018/19 Q3", "q3 2018/19",
        "Q3 2018/19 (October to December 2018)", "Q3 2018/19 (Oct-Dec)",
        "Q3 2018/19 (Oct - Dec 2018)", "Q3 2018/19 (october to december)",
        "2018-10-01", "31/12/2018", "15 November 2018", D(2018, 12, 31), dt.datetime(2018, 10, 1),
    ],
)  # fmt: skip
def test_quarterly_forms(text):
    assert parse_period(text, "quarterly") == Q3_2018


@pytest.mark.parametrize(
    "text",
    [
        "2018/19", "2018-19", "2018/2019", "2018-2019", "FY2018/19", "FY 2018/19", "fy2018-19",
        "FY18/19", "18/19", "Financial year 2018/19", "2018 / 19", "2018\u201319",
        "2018-04-01", "31/03/2019", "2019-03-31", D(2019, 3, 31), dt.datetime(2018, 4, 1),
    ],
)  # fmt: skip
def test_annual_and_biennial_forms(text):
    assert parse_period(text, "annual") == FY_2018
    assert parse_period(text, "biennial") == SURVEY_2018


def test_keys_and_labels():
    assert (APRIL_2018.key, APRIL_2018.label, APRIL_2018.short_label) == (
        "2018-04",
        "April 2018",
        "April 2018",
    )
    assert Q3_2018.short_label == "Q3 2018/19"
    q4 = parse_period("Q4 2018/19", "quarterly")
    assert (q4.key, q4.label) == ("2018/19 Q4", "Q4 2018/19 (January to March 2019)")
    assert (q4.start, q4.end) == (D(2019, 1, 1), D(2019, 3, 31))
    q1 = parse_period("Q1 1999/00", "quarterly")
    assert (q1.key, q1.label) == ("1999/00 Q1", "Q1 1999/00 (April to June 1999)")
    assert parse_period("1999/2000", "annual").key == "1999/00"
    assert parse_period("Feb 2020", "monthly").end == D(2020, 2, 29)


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        (
            "Q3 2018/19",
            "annual",
            "Q3 2018/19 is a quarter, but this indicator is annual: give a financial year such "
            "as 2018/19.",
        ),
        (
            "Q4 2018/19",
            "biennial",
            "Q4 2018/19 is a quarter, but this indicator is collected every two years: give the "
            "survey's financial year, such as 2018/19.",
        ),
        (
            "Q3 2018/19",
            "monthly",
            "Q3 2018/19 is a quarter, but this indicator is monthly: give a month such as "
            "October 2018.",
        ),
        (
            "April 2018",
            "quarterly",
            "April 2018 is a month, but this indicator is quarterly: give a quarter such as "
            "Q1 2018/19.",
        ),
        (
            "Jan 2019",
            "annual",
            "Jan 2019 is a month, but this indicator is annual: give a financial year such as "
            "2018/19.",
        ),
        (
            "2018/19",
            "quarterly",
            "2018/19 is a financial year, but this indicator is quarterly: give a quarter such "
            "as Q1 2018/19.",
        ),
        (
            "2018/19",
            "monthly",
            "2018/19 is a financial year, but this indicator is monthly: give a month such as "
            "April 2018.",
        ),
        (
            "2011/12",
            "monthly",
            "2011/12 is a financial year, but this indicator is monthly: give a month such as "
            "April 2011.",
        ),
        (
            "2019",
            "annual",
            "2019 is a calendar year, but this indicator is annual: give a financial year, "
            "2018/19 or 2019/20.",
        ),
        (
            "2019",
            "quarterly",
            "2019 is a calendar year, but this indicator is quarterly: give a quarter such as "
            "Q1 2019/20.",
        ),
    ],
)
def test_a_period_of_another_frequency_is_refused_saying_what_to_give(text, frequency, message):
    with pytest.raises(PeriodError) as raised:
        parse_period(text, frequency)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("", "monthly", "No period is given: give a month such as April 2018."),
        ("   ", "quarterly", "No period is given: give a quarter such as Q3 2018/19."),
        (None, "annual", "No period is given: give a financial year such as 2018/19."),
        (
            "spring 2018",
            "monthly",
            "'spring 2018' is not a period we can read: give a month such as April 2018.",
        ),
        ("Smarch 2018", "monthly", "'Smarch 2018' is not a period we can read"),
        ("by Dec 2018", "monthly", "'by Dec 2018' is not a period we can read"),
        ("13/2018", "monthly", "'13/2018' is not a period we can read"),
        ("31/02/2019", "monthly", "'31/02/2019' is not a period we can read"),
        ("2018/20", "annual", "2018/20 is not a financial year: the second year must be"),
        ("2018-2020", "biennial", "2018-2020 is not a financial year"),
        ("Q3 2018/20", "quarterly", "Q3 2018/20 is not a financial year"),
        ("Q5 2018/19", "quarterly", "Q5 2018/19: there is no quarter 5."),
        ("Q0 2018/19", "quarterly", "there is no quarter 0"),
        ("Q3 2018", "quarterly", "Q3 2018 does not say which financial year"),
        ("2018 Q3", "quarterly", "give it as Q3 2017/18 or Q3 2018/19."),
        ("FY2019", "annual", "FY2019 does not say which financial year: give 2018/19 or 2019/20."),
        (
            "Q3 2018/19 (July to September 2018)",
            "quarterly",
            "the months in brackets are not those of Q3 2018/19 (October to December 2018)",
        ),
        ("Q3 2018/19 (Oct-Dec 2019)", "quarterly", "the months in brackets are not those"),
        ("2018/19 (provisional)", "annual", "is not a period we can read"),
        ("1985/86", "annual", "we only read financial years between 1990 and 2100"),
        ("2100/01", "annual", "we only read financial years between 1990 and 2100"),
        ("April 1989", "monthly", "we only read years from 1990 to 2100"),
        ("x" * 200, "annual", "..."),
    ],
)
def test_unreadable_text_is_refused_with_a_clear_message(text, frequency, message):
    with pytest.raises(PeriodError) as raised:
        parse_period(text, frequency)
    assert message in str(raised.value)
    assert len(str(raised.value)) < 250


def test_numbers_from_a_spreadsheet_are_read_as_text():
    with pytest.raises(PeriodError, match="2019 is a calendar year"):
        parse_period(2019.0, "annual")
    with pytest.raises(PeriodError, match="2019 is a calendar year"):
        parse_period(2019, "annual")


def test_an_unknown_frequency_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown frequency 'weekly'") as raised:
        parse_period("2018/19", "weekly")
    assert not isinstance(raised.value, PeriodError)
    with pytest.raises(ValueError, match="Unknown frequency"):
        period_containing(D(2018, 1, 1), "daily")


# --- boundaries and stepping -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "quarter", "year"),
    [
        (D(2019, 3, 31), "2018/19 Q4", "2018/19"),
        (D(2019, 4, 1), "2019/20 Q1", "2019/20"),
        (D(2018, 6, 30), "2018/19 Q1", "2018/19"),
        (D(2018, 7, 1), "2018/19 Q2", "2018/19"),
        (D(2018, 9, 30), "2018/19 Q2", "2018/19"),
        (D(2018, 10, 1), "2018/19 Q3", "2018/19"),
        (D(2018, 12, 31), "2018/19 Q3", "2018/19"),
        (D(2019, 1, 1), "2018/19 Q4", "2018/19"),
    ],
)
def test_period_containing_boundaries(day, quarter, year):
    assert period_containing(day, "quarterly").key == quarter
    assert period_containing(day, "annual").key == year
    assert period_containing(day, "biennial") == parse_period(year, "biennial")
    assert period_containing(day, "monthly").key == f"{day.year}-{day.month:02d}"


def test_next_and_previous_across_years():
    assert next_period(parse_period("Dec 2018", "monthly")).key == "2019-01"
    assert previous_period(parse_period("Jan 2019", "monthly")).key == "2018-12"
    assert next_period(parse_period("Q3 2018/19", "quarterly")).key == "2018/19 Q4"
    assert next_period(parse_period("Q4 2018/19", "quarterly")).key == "2019/20 Q1"
    assert previous_period(parse_period("Q1 2019/20", "quarterly")).key == "2018/19 Q4"
    assert next_period(FY_2018).key == "2019/20"
    assert next_period(parse_period("1999/00", "annual")).key == "2000/01"
    assert next_period(SURVEY_2018) == parse_period("2020/21", "biennial")
    assert previous_period(SURVEY_2018).key == "2016/17"


def test_latest_complete():
    assert latest_complete("monthly", D(2019, 1, 1)).key == "2018-12"
    assert latest_complete("monthly", D(2019, 1, 31)).key == "2018-12"
    assert latest_complete("quarterly", D(2019, 3, 31)).key == "2018/19 Q3"
    assert latest_complete("quarterly", D(2019, 4, 1)).key == "2018/19 Q4"
    assert latest_complete("annual", D(2019, 3, 31)).key == "2017/18"
    assert latest_complete("annual", D(2019, 4, 1)).key == "2018/19"
    assert latest_complete("biennial", D(2019, 4, 1)) == SURVEY_2018


def test_periods_sort_by_start():
    months = [parse_period(text, "monthly") for text in ("Mar 2019", "Apr 2018", "Dec 2018")]
    assert [p.key for p in sorted(months)] == ["2018-04", "2018-12", "2019-03"]
    assert APRIL_2018 < Q3_2018 < next_period(FY_2018)
    assert Q3_2018 >= Q3_2018 and Q3_2018 <= Q3_2018 and not Q3_2018 > Q3_2018
    assert max([FY_2018, next_period(FY_2018)]).key == "2019/20"
    assert len({FY_2018, parse_period("2018-19", "annual"), SURVEY_2018}) == 2


def test_periods_are_frozen():
    with pytest.raises(AttributeError):
        APRIL_2018.key = "2018-05"


# --- freshness -------------------------------------------------------------------------------


def test_on_time():
    q2 = parse_period("Q2 2026/27", "quarterly")
    result = data_due(q2, "quarterly", D(2026, 11, 20))
    assert result == Freshness(
        False,
        q2,
        "Up to date: the latest value is for Q2 2026/27. The value for Q3 2026/27 is expected "
        "by 14 February 2027.",
    )


def test_within_the_grace_period_the_previous_period_is_the_expected_one():
    q1 = parse_period("Q1 2026/27", "quarterly")
    assert data_due(q1, "quarterly", D(2026, 11, 14)) == data_due(q1, "quarterly", D(2026, 10, 1))
    result = data_due(q1, "quarterly", D(2026, 11, 14))  # 45 days after 30 September
    assert not result.overdue and result.expected == q1


def test_overdue_the_day_after_the_grace_period():
    q1 = parse_period("Q1 2026/27", "quarterly")
    result = data_due(q1, "quarterly", D(2026, 11, 15))
    assert result.overdue
    assert result.expected.key == "2026/27 Q2"
    assert result.explanation == (
        "No value for Q2 2026/27, which ended on 30 September 2026; quarterly data is expected "
        "within 45 days. The latest value is for Q1 2026/27."
    )
    assert due_by(result.expected) == D(2026, 11, 14)


def test_never_had_data():
    result = data_due(None, "monthly", D(2019, 6, 1))
    assert result.overdue and result.expected.key == "2019-04"
    assert result.explanation == (
        "No value has been given yet: the latest period that should have one is April 2019, "
        "which ended on 30 April 2019; monthly data is expected within 30 days."
    )


def test_annual_grace_and_a_custom_grace():
    fy = parse_period("2017/18", "annual")
    assert not data_due(fy, "annual", D(2019, 7, 29)).overdue  # 120 days after 31 March
    late = data_due(fy, "annual", D(2019, 7, 30))
    assert late.overdue and late.expected == FY_2018
    assert "annual data is expected within 120 days" in late.explanation
    assert not data_due(fy, "annual", D(2019, 7, 30), grace_days=180).overdue
    assert data_due(fy, "annual", D(2019, 4, 2), grace_days=0).overdue


def test_a_value_later_than_expected_is_up_to_date():
    result = data_due(parse_period("Q1 2027/28", "quarterly"), "quarterly", D(2027, 5, 1))
    assert not result.overdue
    assert result.expected.key == "2026/27 Q3"
    assert "Q2 2027/28 is expected by 14 November 2027" in result.explanation


def test_biennial_expects_the_survey_two_years_on():
    assert GRACE_DAYS["biennial"] == 180
    on_time = data_due(SURVEY_2018, "biennial", D(2021, 9, 27))  # 180 days after 31 March
    assert not on_time.overdue and on_time.expected == SURVEY_2018
    assert "The value for 2020/21 is expected by 27 September 2021" in on_time.explanation
    late = data_due(SURVEY_2018, "biennial", D(2021, 9, 28))
    assert late.overdue and late.expected.key == "2020/21"
    assert late.explanation.startswith("No value for 2020/21, which ended on 31 March 2021;")
    assert "every two years" in late.explanation
    many_missed = data_due(SURVEY_2018, "biennial", D(2026, 6, 1))
    assert many_missed.overdue and many_missed.expected.key == "2024/25"


def test_biennial_surveys_need_not_be_two_years_apart():
    survey = parse_period("2021-22", "biennial")  # the 2020/21 survey was put off a year
    assert not data_due(survey, "biennial", D(2024, 6, 1)).overdue
    late = data_due(survey, "biennial", D(2024, 9, 28))
    assert late.overdue and late.expected.key == "2023/24"


def test_biennial_never_had_data_expects_the_latest_financial_year():
    result = data_due(None, "biennial", D(2026, 6, 1))
    assert result.overdue and result.expected == parse_period("2024/25", "biennial")


def test_data_due_checks_its_arguments():
    with pytest.raises(ValueError, match="The last period is annual, not biennial"):
        data_due(FY_2018, "biennial", D(2020, 1, 1))
    with pytest.raises(ValueError, match="Unknown frequency"):
        data_due(None, "weekly", D(2020, 1, 1))
    assert data_due(None, "annual", dt.datetime(2020, 1, 1, 12)).expected.key == "2018/19"


# --- round trips -----------------------------------------------------------------------------

_DAYS = st.dates(min_value=D(1990, 4, 1), max_value=D(2099, 3, 31))


@given(day=_DAYS, frequency=st.sampled_from(FREQUENCIES))
def test_label_and_key_read_back_as_the_same_period(day, frequency):
    period = period_containing(day, frequency)
    assert parse_period(period.label, frequency) == period
    assert parse_period(period.key, frequency) == period
    assert parse_period(period.short_label, frequency) == period
    assert parse_period(period.start, frequency) == period
    assert parse_period(period.end.isoformat(), frequency) == period
    assert period.start <= day <= period.end
    assert len(period.key) <= 20


@given(day=_DAYS, frequency=st.sampled_from(FREQUENCIES))
def test_next_and_previous_are_inverse_and_adjacent(day, frequency):
    period = period_containing(day, frequency)
    following = next_period(period)
    assert previous_period(following) == period
    assert following > period
    if frequency == "biennial":
        assert following.start == period.start.replace(year=period.start.year + 2)
    else:
        assert following.start == period.end + dt.timedelta(days=1)
        assert period_containing(following.start, frequency) == following


@given(today=_DAYS, frequency=st.sampled_from(FREQUENCIES), grace=st.integers(0, 800))
def test_freshness_expected_is_the_latest_period_past_its_grace(today, frequency, grace):
    result = data_due(None, frequency, today, grace)
    assert result.overdue
    assert due_by(result.expected, grace) < today
    later = period_containing(result.expected.end + dt.timedelta(days=1), frequency)
    assert due_by(later, grace) >= today
    assert not data_due(result.expected, frequency, today, grace).overdue


_PIECES = st.sampled_from(
    ["Q", "Q3", "Quarter", "FY", "fy", "2018", "18", "19", "/", "-", " ", "(", ")", "Apr", "Oct",
     "to", "Dec", "2019", "2100", "1989", "00", "99", "0", "13", "31/03/2019", ".", "\u2013"]
)  # fmt: skip


@given(
    text=st.one_of(st.text(max_size=30), st.lists(_PIECES, max_size=8).map("".join)),
    frequency=st.sampled_from(FREQUENCIES),
)
def test_any_text_gives_a_period_or_a_period_error(text, frequency):
    try:
        period = parse_period(text, frequency)
    except PeriodError as error:
        assert str(error) and len(str(error)) < 300
    else:
        assert period.frequency == frequency
        assert parse_period(period.key, frequency) == period
