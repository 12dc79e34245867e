"""Read the timescales councils type into action-plan spreadsheets, without guessing.

Every value becomes a ``CouncilDate`` that keeps the original text beside what was read.
Matching ignores case, surrounding whitespace, repeated inner spaces and one trailing
full stop. A leading "by" is allowed before any date; "end"/"end of" only before a period.

- Day first always: ``31/03/2018``, ``31.3.18``, ``31-03-2018``; also ISO ``2018-03-31`` and
  ``31st March 2018``. Day and month are never swapped to make a date fit.
- Two-digit years: 00-69 mean 2000-2069, 70-99 mean 1970-1999.
- ``Dec 2018`` / ``Dec-18`` is a month; ``Jan 18`` is January 2018, not 18 January.
- Financial years run 1 April to 31 March: ``2018/19``. Quarters count from April:
  Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March of the next year.
  The second year must be the first plus one.
- ``2019`` alone is the calendar year.
- Only years 1990 to 2100 are accepted (a financial year must also end by 2100).
- Anything else is UNPARSED, with no dates: seasons, missing years, "onwards", and so on.

A period used as a due date means its last day; used as a start date, its first day.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

MIN_YEAR = 1990
MAX_YEAR = 2100

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTH_NUMBERS |= {name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTH_NUMBERS["sept"] = 9


class DateKind(StrEnum):
    EXACT = "exact"
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"
    YEAR = "year"
    ONGOING = "ongoing"
    TBC = "tbc"
    BLANK = "blank"
    UNPARSED = "unparsed"


DATED_KINDS = frozenset(
    {DateKind.EXACT, DateKind.MONTH, DateKind.QUARTER, DateKind.FINANCIAL_YEAR, DateKind.YEAR}
)


@dataclass(frozen=True)
class CouncilDate:
    text: str
    kind: DateKind
    first: date | None = None
    last: date | None = None

    @property
    def as_due(self) -> date | None:
        return self.last

    @property
    def as_start(self) -> date | None:
        return self.first

    @property
    def is_unparsed(self) -> bool:
        return self.kind is DateKind.UNPARSED

    @property
    def is_dated(self) -> bool:
        return self.kind in DATED_KINDS

    def describe(self) -> str:
        first, last = self.first, self.last
        match self.kind:
            case DateKind.EXACT:
                return f"{first.day} {MONTH_NAMES[first.month - 1]} {first.year}"
            case DateKind.MONTH:
                return f"{MONTH_NAMES[first.month - 1]} {first.year}"
            case DateKind.QUARTER:
                start_year = first.year if first.month >= 4 else first.year - 1
                quarter = (first.month - 4) % 12 // 3 + 1
                months = f"{MONTH_NAMES[first.month - 1]} to {MONTH_NAMES[last.month - 1]}"
                return f"Q{quarter} {_fy_label(start_year)} ({months} {last.year})"
            case DateKind.FINANCIAL_YEAR:
                return f"Financial year {_fy_label(first.year)}"
            case DateKind.YEAR:
                return str(first.year)
            case DateKind.ONGOING:
                return "Ongoing"
            case DateKind.TBC:
                return "To be confirmed"
            case DateKind.BLANK:
                return "Not given"
        return f"Could not be read: '{self.text}'"


def parse_council_date(value: object) -> CouncilDate:
    """Read one spreadsheet value. Never raises: what cannot be read is UNPARSED."""
    try:
        text = _original_text(value)
    except Exception:  # e.g. a broken __str__ or an int too long to print
        return CouncilDate(f"<unreadable {type(value).__name__}>", DateKind.UNPARSED)
    try:
        kind, first, last = _read(text)
    except Exception:  # defensive: a bug here must not break an import
        kind, first, last = DateKind.UNPARSED, None, None
    return CouncilDate(text, kind, first, last)


def parse_due(value: object) -> date | None:
    return parse_council_date(value).as_due


def parse_start(value: object) -> date | None:
    return parse_council_date(value).as_start


def _original_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Spreadsheet libraries give numbers as floats: an empty cell may be NaN, a year 2019.0.
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 10**6:
            return str(int(value))
    return (value if isinstance(value, str) else str(value)).strip()


def _fy_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


# Patterns run on normalised text: lower case, single spaces, no trailing full stop.
_BLANKS = frozenset({"", "-", "\u2013", "\u2014", "n/a", "none"})
_ONGOING = re.compile(r"on[ -]?going\b", re.ASCII)
_TBC = re.compile(r"tb[cad]|to be (?:confirmed|agreed|decided|determined|arranged)", re.ASCII)
_PREFIX = re.compile(r"(?:by )?(?P<end>(?:the )?end(?: of)? )?", re.ASCII)
_YEAR_DIGITS = r"(?P<y>\d{4}|\d{2})"
_FY = r"(?P<y1>\d{4}|\d{2}) ?[/-] ?(?P<y2>\d{4}|\d{2})"
_QUARTER = r"q(?:uarter)? ?(?P<q>\d{1,2})"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # time part of a datetime as text
_PATTERNS = {
    name: re.compile(pattern, re.ASCII)
    for name, pattern in {
        "numeric": rf"(?P<d>\d{{1,2}}) ?(?P<sep>[/.-]) ?(?P<m>\d{{1,2}}) ?(?P=sep) ?{_YEAR_DIGITS}",
        "iso": rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}",
        "day_month_year": (
            rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?: of)?[ -](?P<mon>[a-z]+)\.?,?[ -]{_YEAR_DIGITS}"
        ),
        "month_year": rf"(?P<mon>[a-z]+)\.?,?[ -]?{_YEAR_DIGITS}",
        "quarter": rf"{_QUARTER},? (?:of )?(?:fy ?)?{_FY}",
        "fy_quarter": rf"(?:fy ?)?{_FY},? {_QUARTER}",
        "financial_year": r"(?:fy ?|financial year )?(?P<y1>\d{4}) ?[/-] ?(?P<y2>\d{4}|\d{2})",
        "year": r"(?P<y>\d{4})",
    }.items()
}

_Reading = tuple[DateKind, date | None, date | None]
_UNPARSED: _Reading = (DateKind.UNPARSED, None, None)


def _read(text: str) -> _Reading:
    norm = " ".join(text.split()).lower()
    if norm.endswith("."):
        norm = norm[:-1].rstrip()
    if norm in _BLANKS:
        return (DateKind.BLANK, None, None)
    if _ONGOING.match(norm):
        return (DateKind.ONGOING, None, None)
    if _TBC.fullmatch(norm):
        return (DateKind.TBC, None, None)
    prefix = _PREFIX.match(norm)
    rest = norm[prefix.end() :]
    for name, pattern in _PATTERNS.items():
        found = pattern.fullmatch(rest)
        if found:
            reading = _dated(name, found.groupdict())
            if reading is None or (prefix["end"] and reading[0] is DateKind.EXACT):
                return _UNPARSED
            return reading
    return _UNPARSED


def _dated(name: str, parts: dict[str, str]) -> _Reading | None:
    """Turn the groups of the named pattern into a reading, or None if they make no date."""
    if name in ("numeric", "iso", "day_month_year"):
        month = _MONTH_NUMBERS.get(parts["mon"]) if "mon" in parts else int(parts["m"])
        day = _day(_year(parts["y"]), month, int(parts["d"]))
        return None if day is None else (DateKind.EXACT, day, day)
    if name == "month_year":
        year, month = _year(parts["y"]), _MONTH_NUMBERS.get(parts["mon"])
        if year is None or month is None:
            return None
        return (DateKind.MONTH, date(year, month, 1), _month_end(year, month))
    start_year = _fy_start(parts.get("y1"), parts.get("y2"))
    if name in ("quarter", "fy_quarter"):
        quarter = int(parts["q"])
        if start_year is None or not 1 <= quarter <= 4:
            return None
        month = 4 + 3 * (quarter - 1)
        year = start_year + (month > 12)
        month = (month - 1) % 12 + 1
        return (DateKind.QUARTER, date(year, month, 1), _month_end(year, month + 2))
    if name == "financial_year":
        if start_year is None:
            return None
        return (DateKind.FINANCIAL_YEAR, date(start_year, 4, 1), date(start_year + 1, 3, 31))
    year = _year(parts["y"])
    return None if year is None else (DateKind.YEAR, date(year, 1, 1), date(year, 12, 31))


def _year(digits: str) -> int | None:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 70 else 1900
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _fy_start(first: str | None, second: str | None) -> int | None:
    if first is None or second is None:
        return None
    start = _year(first)
    if start is None or start + 1 > MAX_YEAR:
        return None
    wanted = start + 1 if len(second) == 4 else (start + 1) % 100
    return start if int(second) == wanted else None


def _day(year: int | None, month: int | None, day: int) -> date | None:
    if year is None or month is None or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
