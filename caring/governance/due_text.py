"""Read the due dates scrutiny committees give their recommendations as text, without guessing.

Pure Python, no Django. :func:`parse_due_text` turns text such as "during the 2018/19 Municipal
Year" or "in 12 months" into a :class:`DueReading`: the date it is due by, worked out from the
date of the meeting that made the recommendation, and a plain-English explanation for
councillors, with dates written like '30 April 2019'.

Matching ignores case, surrounding whitespace, repeated inner spaces and one trailing full stop.
Leading words such as "due", "by", "within", "during", "in", "at", "to" and "no later than" are
allowed before any form, and so is a clause saying what is to be brought back, such as "Report
to be submitted to a meeting of the Committee during ...", as long as exactly one reading of
what follows it can be found. Anything else is not read at all.

Forms read:

- Blank or ``None``: no due date, readable, and an empty explanation.
- A municipal year: "the 2018/19 municipal year", "municipal year 2018-19", "2018/2019
  Municipal Year". The second year must be the first plus one; years 1990 to 2100 only.
- "this municipal year", "the current municipal year" (the one holding the meeting) and
  "next municipal year" (the one after it).
- A period after the meeting: "in 12 months", "within 3 weeks", "in six months' time",
  "in a year", "10 days". The number is 1 to 120 in digits, "one" to "twelve" in words, or
  "a"/"an". Months and years add calendar months; when the meeting's day is past the end of
  the month reached, the month's last day is used (31 January + 1 month = 28 or 29 February).
- "next meeting": readable, but with no date until the meeting is scheduled.
- Anything :mod:`caring.plans.dates` reads, taken as a due date (the last day of a period):
  "31/03/2019", "March 2019", "Q3 2018/19", "2018/19" (a financial year, to 31 March), and
  also "Ongoing" and "TBC", which are readable but have no date.

Municipal years. An English council's municipal year runs from its annual meeting in May to the
next annual meeting. That meeting falls on a different day each May, so this module takes the
municipal year Y/Y+1 to run from 1 May Y to 30 April Y+1 inclusive: "by the end of the 2018/19
municipal year" means by 30 April 2019.

A due date after 2100 is not accepted. A due date before the meeting is still returned, with
:attr:`DueReading.before_meeting` set, so the caller can decide to refuse it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from caring.plans.dates import DateKind, parse_council_date
from caring.plans.rag import format_date

MIN_YEAR = 1990
MAX_YEAR = 2100
MAX_PERIODS = 120
_MAX_CLAUSE_WORDS = 40  # longer text after a clause is a note, not a due date

NEXT_MEETING = "at the body's next meeting (no date until it is scheduled)"
UNREADABLE = "could not be read as a date or period"


@dataclass(frozen=True)
class DueReading:
    text: str  # the original text, stripped
    due: date | None  # the date it is due by; None when it cannot be read or none is given
    explanation: str  # plain British English for councillors; "" when the text is blank
    readable: bool  # False when text was given but could not be read
    at_next_meeting: bool = False  # due at the body's next meeting, which has no date yet
    meeting: date | None = None  # the meeting the due date was read against

    @property
    def before_meeting(self) -> bool:
        """True when the due date falls before the meeting that set it."""
        return self.due is not None and self.meeting is not None and self.due < self.meeting


def municipal_year(day: date) -> tuple[date, date]:
    """First and last day of the municipal year holding ``day``: 1 May to 30 April."""
    start = day.year if day.month >= 5 else day.year - 1
    return date(start, 5, 1), date(start + 1, 4, 30)


def municipal_year_label(day: date) -> str:
    """The municipal year holding ``day``, written like '2018/19'."""
    return _year_label(municipal_year(day)[0].year)


def parse_due_text(text: str | None, *, meeting: date) -> DueReading:
    """Read a due date given as text by a meeting held on ``meeting``. Never raises on text."""
    original = "" if text is None else text.strip()
    if not original:
        return DueReading(original, None, "", True, meeting=meeting)
    try:
        norm = _normalise(original)
        reading = _read(norm, meeting) or _read_after_clause(norm, meeting)
    except (ValueError, OverflowError):  # date arithmetic beyond what Python's dates can hold
        reading = None
    if reading is None or (reading.due is not None and reading.due.year > MAX_YEAR):
        return DueReading(original, None, UNREADABLE, False, meeting=meeting)
    return DueReading(
        original, reading.due, reading.explanation, True, reading.at_next_meeting, meeting
    )


@dataclass(frozen=True)
class _Reading:
    due: date | None
    explanation: str
    at_next_meeting: bool = False


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBER_WORDS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_CONNECTORS = frozenset(
    {"due", "by", "within", "during", "in", "at", "to", "before", "until", "no", "not"}
)

# Patterns run on normalised text: lower case, single spaces, no trailing full stop.
_LEAD = re.compile(
    r"(?:(?:due|by|within|during|in|at|to|before|until|no later than|not later than) )*",
    re.ASCII,
)
_END = r"(?:(?:the )?end of )?(?:the )?"
_FY = r"(?P<y1>\d{4}) ?[/-] ?(?P<y2>\d{4}|\d{2})"
_NAMED_MUNICIPAL_YEARS = (
    re.compile(rf"{_END}{_FY} municipal year", re.ASCII),
    re.compile(rf"{_END}municipal year (?:of )?{_FY}", re.ASCII),
)
_THIS_MUNICIPAL_YEAR = re.compile(
    rf"{_END}(?P<which>this|current|present|next|following) municipal year", re.ASCII
)
_PERIOD = re.compile(
    r"(?P<n>\d+|[a-z]+) (?P<unit>day|week|month|year)s?(?:'s|')?(?: time)?"
    r"(?: (?:of|from|after) (?:the (?:date of )?(?:the |this )?meeting|this meeting))?",
    re.ASCII,
)
_NEXT_MEETING = re.compile(
    r"(?:the )?(?:(?:committee|panel|board)'s )?(?:next|following) (?:available )?"
    r"(?:(?:committee|scrutiny|panel|board) )?meeting(?: of(?: [a-z&',-]+)+)?",
    re.ASCII,
)
# What is to be brought back, and how: "Report to be submitted", "update to come back", ...
_CLAUSE = re.compile(
    r"(?:[a-z&',-]+ ){0,5}?(?:(?:is |are )?to be |should be |will be |must be |be )?"
    r"(?:submit(?:ted)?|report(?:ed)?|present(?:ed)?|brought|bring|return(?:ed)?|come|"
    r"considered|consider|taken)(?: back)?(?= |$)",
    re.ASCII,
)


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    norm = " ".join(text.split()).lower()
    if norm.endswith("."):
        norm = norm[:-1].rstrip()
    return norm


def _read(norm: str, meeting: date) -> _Reading | None:
    rest = norm[_LEAD.match(norm).end() :]
    if _NEXT_MEETING.fullmatch(rest):
        return _Reading(None, NEXT_MEETING, at_next_meeting=True)
    if found := _fullmatch_any(_NAMED_MUNICIPAL_YEARS, rest):
        start = _fy_start(found["y1"], found["y2"])
        if start is None:
            return None
        end = municipal_year(date(start, 5, 1))[1]
        return _Reading(end, f"by the end of the {_year_label(start)} municipal year ({_d(end)})")
    if found := _THIS_MUNICIPAL_YEAR.fullmatch(rest):
        start, end = municipal_year(meeting)
        which = "this"
        if found["which"] in ("next", "following"):
            start, end = municipal_year(end + timedelta(days=1))
            which = "next"
        label = _year_label(start.year)
        return _Reading(end, f"by the end of {which} municipal year, {label} ({_d(end)})")
    if found := _PERIOD.fullmatch(rest):
        return _after_meeting(found["n"], found["unit"], meeting)
    return _council_date(rest)


def _fullmatch_any(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    return next((found for p in patterns if (found := p.fullmatch(text))), None)


def _read_after_clause(norm: str, meeting: date) -> _Reading | None:
    """Read what follows a clause such as 'Report to be submitted to a meeting of X'.

    Each place where a connecting word ('during', 'in', 'by', ...) starts the rest, with no digit
    before it, is tried. The text is read only if every reading found agrees.
    """
    clause = _CLAUSE.match(norm)
    if clause is None:
        return None
    words = norm[clause.end() :].split()
    if len(words) > _MAX_CLAUSE_WORDS:
        return None
    readings = []
    for i, word in enumerate(words):
        if word in _CONNECTORS and not any(c.isdigit() for c in "".join(words[:i])):
            reading = _read(" ".join(words[i:]), meeting)
            if reading is not None:
                readings.append(reading)
    if len({(r.due, r.at_next_meeting) for r in readings}) != 1:
        return None
    return readings[0]


def _after_meeting(number: str, unit: str, meeting: date) -> _Reading | None:
    n = int(number) if number.isdigit() and len(number) <= 4 else _NUMBER_WORDS.get(number)
    if n is None or not 1 <= n <= MAX_PERIODS:
        return None
    if unit == "day":
        due = meeting + timedelta(days=n)
    elif unit == "week":
        due = meeting + timedelta(weeks=n)
    else:
        due = add_months(meeting, n * 12 if unit == "year" else n)
    period = f"{n} {unit}" if n == 1 else f"{n} {unit}s"
    return _Reading(due, f"{period} after the meeting of {_d(meeting)} ({_d(due)})")


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole calendar months, kept within the month reached."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _council_date(rest: str) -> _Reading | None:
    read = parse_council_date(rest)
    due = read.as_due
    match read.kind:
        case DateKind.EXACT:
            return _Reading(due, f"by {_d(due)}")
        case DateKind.MONTH | DateKind.YEAR:
            return _Reading(due, f"by the end of {read.describe()} ({_d(due)})")
        case DateKind.QUARTER:
            start = read.first.year if read.first.month >= 4 else read.first.year - 1
            quarter = (read.first.month - 4) % 12 // 3 + 1
            what = f"quarter {quarter} of the {_year_label(start)} financial year"
            return _Reading(due, f"by the end of {what} ({_d(due)})")
        case DateKind.FINANCIAL_YEAR:
            label = _year_label(read.first.year)
            return _Reading(due, f"by the end of the {label} financial year ({_d(due)})")
        case DateKind.ONGOING:
            return _Reading(None, "ongoing")
        case DateKind.TBC:
            return _Reading(None, "to be confirmed")
        case DateKind.BLANK:  # "n/a", "none", a dash
            return _Reading(None, "no due date given")
    return None


def _fy_start(first: str, second: str) -> int | None:
    start = int(first)
    if start < MIN_YEAR or start + 1 > MAX_YEAR:
        return None
    wanted = start + 1 if len(second) == 4 else (start + 1) % 100
    return start if int(second) == wanted else None


def _year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _d(day: date) -> str:
    return format_date(day)
