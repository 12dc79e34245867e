"""Tests for caring.governance.due_text: reading scrutiny due dates given as text."""

import ast
import calendar
import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.governance import due_text
from caring.governance.due_text import (
    NEXT_MEETING,
    UNREADABLE,
    DueReading,
    municipal_year,
    municipal_year_label,
    parse_due_text,
)
from caring.plans.dates import parse_council_date

D = date
MEETING = D(2021, 1, 28)  # in the 2020/21 municipal year


def read(text, meeting=MEETING):
    return parse_due_text(text, meeting=meeting)


# Municipal years


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (D(2018, 3, 1), D(2017, 5, 1), D(2018, 4, 30), "2017/18"),
        (D(2018, 4, 30), D(2017, 5, 1), D(2018, 4, 30), "2017/18"),
        (D(2018, 5, 1), D(2018, 5, 1), D(2019, 4, 30), "2018/19"),
        (D(2018, 12, 31), D(2018, 5, 1), D(2019, 4, 30), "2018/19"),
        (D(1999, 6, 1), D(1999, 5, 1), D(2000, 4, 30), "1999/00"),
    ],
)
def test_municipal_year_runs_from_1_may_to_30_april(day, start, end, label):
    assert municipal_year(day) == (start, end)
    assert municipal_year_label(day) == label


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9998, 12, 31)))
def test_every_day_is_inside_its_municipal_year(day):
    start, end = municipal_year(day)
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (5, 1, 4, 30)
    assert end.year == start.year + 1
    assert municipal_year_label(day) == f"{start.year}/{end.year % 100:02d}"


# Blank


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_blank_has_no_due_date_but_is_readable(text):
    reading = read(text)
    assert reading == DueReading("", None, "", True, meeting=MEETING)
    assert not reading.at_next_meeting
    assert not reading.before_meeting


@pytest.mark.parametrize("text", ["n/a", "None", "-"])
def test_not_applicable_is_readable_with_no_due_date(text):
    reading = read(text)
    assert (reading.due, reading.readable, reading.explanation) == (
        None,
        True,
        "no due date given",
    )


# Named municipal years


@pytest.mark.parametrize(
    "text",
    [
        "during the 2018/19 Municipal Year",
        "2018/19 municipal year",
        "municipal year 2018-19",
        "2018/2019 Municipal Year",
        "in the 2018-2019 municipal year",
        "In the 2018 / 19 municipal year.",
        "  DURING   THE 2018/19   MUNICIPAL YEAR  ",
        "by the end of the 2018/19 municipal year",
        "end of municipal year 2018/19",
        "due by the end of the municipal year of 2018-19",
    ],
)
def test_named_municipal_year_is_due_by_30_april(text):
    reading = read(text)
    assert reading.due == D(2019, 4, 30)
    assert reading.readable
    assert reading.explanation == "by the end of the 2018/19 municipal year (30 April 2019)"
    assert reading.text == text.strip()


def test_municipal_year_across_the_century():
    assert read("1999/00 municipal year").due == D(2000, 4, 30)
    assert read("1999/2000 municipal year").due == D(2000, 4, 30)


def test_municipal_year_at_the_limits_of_the_range():
    assert read("1990/91 municipal year").due == D(1991, 4, 30)
    assert read("2099/2100 municipal year").due == D(2100, 4, 30)


@pytest.mark.parametrize(
    "text",
    [
        "2018/20 municipal year",
        "2018/2020 municipal year",
        "2018/18 municipal year",
        "2019/18 municipal year",
        "1989/90 municipal year",
        "2100/01 municipal year",
        "18/19 municipal year",
        "municipal year 2018",
        "the municipal year",
        "municipal year",
    ],
)
def test_impossible_or_incomplete_municipal_years_are_unreadable(text):
    reading = read(text)
    assert (reading.due, reading.readable, reading.explanation) == (None, False, UNREADABLE)


# This and next municipal year


@pytest.mark.parametrize(
    ("meeting", "this_end", "this_label"),
    [
        (D(2021, 1, 28), D(2021, 4, 30), "2020/21"),
        (D(2021, 4, 30), D(2021, 4, 30), "2020/21"),
        (D(2021, 5, 1), D(2022, 4, 30), "2021/22"),
        (D(2021, 11, 15), D(2022, 4, 30), "2021/22"),
    ],
)
def test_this_and_next_municipal_year_follow_the_meeting(meeting, this_end, this_label):
    for text in [
        "this municipal year",
        "the current municipal year",
        "by end of this municipal year",
    ]:
        reading = read(text, meeting)
        assert reading.due == this_end, text
        assert reading.explanation == (
            f"by the end of this municipal year, {this_label} (30 April {this_end.year})"
        )
    after = read("next municipal year", meeting)
    assert after.due == this_end.replace(year=this_end.year + 1)
    assert read("during the next municipal year.", meeting).due == after.due
    assert after.explanation.startswith("by the end of next municipal year, ")


# Periods after the meeting


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("in 12 months", D(2022, 1, 28)),
        ("within 12 months", D(2022, 1, 28)),
        ("12 months", D(2022, 1, 28)),
        ("in twelve months", D(2022, 1, 28)),
        ("In Twelve Months.", D(2022, 1, 28)),
        ("in 6 months' time", D(2021, 7, 28)),
        ("in 6 months\u2019 time", D(2021, 7, 28)),
        ("in six months time", D(2021, 7, 28)),
        ("in a year", D(2022, 1, 28)),
        ("in a year's time", D(2022, 1, 28)),
        ("in one year", D(2022, 1, 28)),
        ("in two years", D(2023, 1, 28)),
        ("in a month", D(2021, 2, 28)),
        ("in an year", D(2022, 1, 28)),
        ("in 6 weeks", D(2021, 3, 11)),
        ("within 3 weeks", D(2021, 2, 18)),
        ("in 10 days", D(2021, 2, 7)),
        ("in 1 day", D(2021, 1, 29)),
        ("in 120 months", D(2031, 1, 28)),
        ("within 12 months of the meeting", D(2022, 1, 28)),
        ("12 months from the date of the meeting", D(2022, 1, 28)),
        ("due within 3 months after this meeting", D(2021, 4, 28)),
    ],
)
def test_periods_count_from_the_meeting(text, due):
    reading = read(text)
    assert reading.due == due
    assert reading.readable
    assert not reading.before_meeting


def test_period_explanations():
    assert read("in 12 months").explanation == (
        "12 months after the meeting of 28 January 2021 (28 January 2022)"
    )
    assert read("in a year").explanation == (
        "1 year after the meeting of 28 January 2021 (28 January 2022)"
    )
    assert read("within 3 weeks").explanation == (
        "3 weeks after the meeting of 28 January 2021 (18 February 2021)"
    )
    assert read("in 1 day").explanation == (
        "1 day after the meeting of 28 January 2021 (29 January 2021)"
    )


@pytest.mark.parametrize(
    ("meeting", "text", "due"),
    [
        (D(2020, 1, 31), "in 1 month", D(2020, 2, 29)),
        (D(2021, 1, 31), "in one month", D(2021, 2, 28)),
        (D(2020, 8, 31), "in a month", D(2020, 9, 30)),
        (D(2020, 3, 31), "in 11 months", D(2021, 2, 28)),
        (D(2020, 2, 29), "in a year", D(2021, 2, 28)),
        (D(2020, 2, 29), "in 4 years", D(2024, 2, 29)),
        (D(2020, 12, 15), "in 2 months", D(2021, 2, 15)),
    ],
)
def test_months_are_clamped_to_the_last_day_of_the_month(meeting, text, due):
    assert read(text, meeting).due == due


def test_a_period_ending_after_2100_is_unreadable():
    assert read("in 120 years").readable is False
    assert read("in 12 months", D(2100, 6, 1)).readable is False
    assert read("in 6 months", D(2100, 6, 1)).due == D(2100, 12, 1)


# Next meeting


@pytest.mark.parametrize(
    "text",
    [
        "next meeting",
        "the next meeting",
        "At the next meeting.",
        "to the following meeting",
        "next meeting of the Adult Social Care Scrutiny Committee",
        "the committee's next meeting",
        "next committee meeting",
    ],
)
def test_next_meeting_is_readable_but_has_no_date(text):
    reading = read(text)
    assert (reading.due, reading.readable, reading.at_next_meeting) == (None, True, True)
    assert reading.explanation == NEXT_MEETING
    assert NEXT_MEETING == "at the body's next meeting (no date until it is scheduled)"
    assert not reading.before_meeting


# Council dates, delegated to caring.plans.dates


@pytest.mark.parametrize(
    ("text", "due", "explanation"),
    [
        ("31/03/2019", D(2019, 3, 31), "by 31 March 2019"),
        ("by 31/03/2019", D(2019, 3, 31), "by 31 March 2019"),
        ("due 31st March 2019", D(2019, 3, 31), "by 31 March 2019"),
        ("March 2019", D(2019, 3, 31), "by the end of March 2019 (31 March 2019)"),
        ("by end of Feb 2020", D(2020, 2, 29), "by the end of February 2020 (29 February 2020)"),
        (
            "Q3 2018/19",
            D(2018, 12, 31),
            "by the end of quarter 3 of the 2018/19 financial year (31 December 2018)",
        ),
        (
            "Q4 2018/19",
            D(2019, 3, 31),
            "by the end of quarter 4 of the 2018/19 financial year (31 March 2019)",
        ),
        (
            "2018/19",
            D(2019, 3, 31),
            "by the end of the 2018/19 financial year (31 March 2019)",
        ),
        (
            "during 2018/19",
            D(2019, 3, 31),
            "by the end of the 2018/19 financial year (31 March 2019)",
        ),
        ("2019", D(2019, 12, 31), "by the end of 2019 (31 December 2019)"),
        ("by the end of 2019", D(2019, 12, 31), "by the end of 2019 (31 December 2019)"),
    ],
)
def test_council_dates_are_read_as_due_dates(text, due, explanation):
    reading = read(text)
    assert (reading.due, reading.explanation, reading.readable) == (due, explanation, True)


@pytest.mark.parametrize("text", ["31/03/2019", "March 2019", "Q3 2018/19", "2018/19", "Dec-18"])
def test_council_dates_keep_the_date_parsers_meaning(text):
    assert read(text).due == parse_council_date(text).as_due


def test_financial_year_ends_a_month_before_the_municipal_year():
    assert read("2018/19").due == D(2019, 3, 31)
    assert read("2018/19 municipal year").due == D(2019, 4, 30)


@pytest.mark.parametrize(
    ("text", "explanation"),
    [("Ongoing", "ongoing"), ("on-going.", "ongoing"), ("TBC", "to be confirmed")],
)
def test_ongoing_and_to_be_confirmed_are_readable_with_no_date(text, explanation):
    reading = read(text)
    assert (reading.due, reading.readable, reading.explanation) == (None, True, explanation)
    assert not reading.at_next_meeting


# A leading clause


@pytest.mark.parametrize(
    ("text", "due"),
    [
        (
            "Report to be submitted to a meeting of the Committee during the 2018/19 "
            "Municipal Year",
            D(2019, 4, 30),
        ),
        (
            "Update to be submitted to a meeting of the Children in Care Committee "
            "during the 2018/19 Municipal Year.",
            D(2019, 4, 30),
        ),
        ("to be submitted during the 2018/19 municipal year", D(2019, 4, 30)),
        ("Report back to the committee in 6 months", D(2021, 7, 28)),
        ("A progress report to be brought back within 12 months", D(2022, 1, 28)),
        ("report to be presented by the end of March 2021", D(2021, 3, 31)),
    ],
)
def test_a_leading_clause_is_allowed_before_the_due_date(text, due):
    reading = read(text)
    assert (reading.due, reading.readable) == (due, True)


def test_a_leading_clause_before_next_meeting():
    reading = read("To be submitted to the next meeting")
    assert (reading.at_next_meeting, reading.readable, reading.due) == (True, True, None)


@pytest.mark.parametrize(
    "text",
    [
        "report to committee in March 2019 in 12 months",  # two dates: which one?
        "whenever possible in 12 months",  # no clause saying what is brought back
        "report to be submitted to a meeting",
        "report to be submitted soon",
    ],
)
def test_a_clause_is_never_guessed_past(text):
    reading = read(text)
    assert (reading.due, reading.readable, reading.explanation) == (None, False, UNREADABLE)


# Unreadable


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "2018/20 municipal year",
        "in 0 months",
        "in 500 months",
        "in 121 months",
        "in thirteen months",
        "in some months",
        "in 1.5 months",
        "in -3 months",
        "months",
        "by",
        "in",
        "spring 2019",
        "31/02/2019",
        "as soon as possible",
        "in 99999999999999999999999999999999 days",
        "in " + "9" * 5000 + " days",
    ],
)
def test_unreadable_text_has_no_date_and_says_so(text):
    reading = read(text)
    assert reading.due is None
    assert reading.readable is False
    assert reading.explanation == "could not be read as a date or period"
    assert reading.text == text.strip()
    assert not reading.at_next_meeting


# Before the meeting


def test_a_due_date_before_the_meeting_is_returned_and_flagged():
    reading = read("2018/19 municipal year", D(2019, 6, 1))
    assert reading.due == D(2019, 4, 30)
    assert reading.readable
    assert reading.before_meeting


def test_a_due_date_on_or_after_the_meeting_is_not_before_it():
    assert not read("31/01/2021", D(2021, 1, 31)).before_meeting
    assert not read("31/01/2021", D(2021, 1, 30)).before_meeting
    assert read("31/01/2021", D(2021, 2, 1)).before_meeting


def test_reading_is_frozen_and_keeps_the_meeting():
    reading = read("in 12 months")
    assert reading.meeting == MEETING
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.due = None  # type: ignore[misc]


def test_meeting_at_the_end_of_time_is_unreadable_not_an_error():
    assert read("in 10 days", date.max).readable is False
    assert read("this municipal year", D(9999, 6, 1)).readable is False


def test_module_is_pure():
    tree = ast.parse(Path(due_text.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and name.startswith("django")}
    assert imported <= {
        "__future__",
        "calendar",
        "re",
        "dataclasses",
        "datetime",
        "caring.plans.dates",
        "caring.plans.rag",
    }


# Properties

MEETINGS = st.dates(min_value=D(1995, 1, 1), max_value=D(2090, 12, 31))
DUE_WORDS = st.sampled_from(
    [
        "in", "within", "during", "by", "the", "a", "an", "end", "of", "next", "this", "current",
        "meeting", "municipal", "year", "years", "months'", "month", "weeks", "days", "time",
        "12", "0", "2018/19", "2018-2019", "q3", "march", "2019", "31/03/2019", "to", "be",
        "submitted", "report", "committee", "twelve", "ongoing", "tbc", ".", "'s",
    ]
)  # fmt: skip


def _check_invariants(text, reading, meeting):
    assert isinstance(reading, DueReading)
    assert reading.text == ("" if text is None else text.strip())
    assert reading.meeting == meeting
    if not reading.readable:
        assert reading.due is None
        assert reading.explanation == UNREADABLE
        assert not reading.at_next_meeting
    if reading.at_next_meeting:
        assert reading.due is None
    if reading.due is not None:
        assert reading.due.year <= 2100
        assert reading.explanation
    assert (reading.explanation == "") == (reading.text == "")


@given(st.text(), MEETINGS)
def test_any_text_never_raises(text, meeting):
    _check_invariants(text, parse_due_text(text, meeting=meeting), meeting)


@given(st.lists(DUE_WORDS, max_size=10).map(" ".join), st.dates())
def test_due_like_text_never_raises_on_any_meeting_date(text, meeting):
    _check_invariants(text, parse_due_text(text, meeting=meeting), meeting)


@given(MEETINGS, st.integers(1, 120))
def test_in_n_months_is_after_the_meeting_on_a_clamped_day(meeting, n):
    reading = parse_due_text(f"in {n} months", meeting=meeting)
    due = reading.due
    assert reading.readable
    assert meeting < due <= meeting + timedelta(days=n * 31)
    assert (due.year * 12 + due.month) - (meeting.year * 12 + meeting.month) == n
    assert due.day == min(meeting.day, calendar.monthrange(due.year, due.month)[1])
    assert not reading.before_meeting


@given(MEETINGS, st.integers(1, 120))
def test_weeks_and_days_are_exact(meeting, n):
    assert parse_due_text(f"within {n} weeks", meeting=meeting).due == meeting + timedelta(weeks=n)
    assert parse_due_text(f"{n} days", meeting=meeting).due == meeting + timedelta(days=n)


@given(MEETINGS, st.integers(1990, 2099))
def test_named_municipal_year_ends_on_30_april_of_the_second_year(meeting, year):
    short = f"{year}/{(year + 1) % 100:02d}"
    reading = parse_due_text(f"during the {short} Municipal Year", meeting=meeting)
    assert reading.due == D(year + 1, 4, 30)
    assert municipal_year_label(reading.due) == short
    assert parse_due_text(f"municipal year {year}-{year + 1}", meeting=meeting).due == reading.due


@given(MEETINGS)
def test_this_municipal_year_holds_the_meeting_and_next_follows_it(meeting):
    this = parse_due_text("this municipal year", meeting=meeting).due
    after = parse_due_text("next municipal year", meeting=meeting).due
    start, end = municipal_year(meeting)
    assert this == end >= meeting
    assert municipal_year(after)[0] == end + timedelta(days=1)
