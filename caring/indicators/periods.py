"""The periods an indicator's values are for, and whether an indicator is overdue for data.

Pure: no Django. Four frequencies:

- ``monthly``: a calendar month. Key ``2018-04``, label "April 2018".
- ``quarterly``: a quarter of the financial year. Q1 April-June, Q2 July-September,
  Q3 October-December, Q4 January-March of the next year. Key ``2018/19 Q3``, label
  "Q3 2018/19 (October to December 2018)".
- ``annual``: a financial year, 1 April to 31 March. Key and label ``2018/19``.
- ``biennial``: a survey run every two years, named by its financial year (the Survey of Adult
  Carers ran in 2016/17, 2018/19 and 2021/22). Periods are financial years, key and label
  ``2018/19``, and need not be two years apart: the next expected one is two years after the
  last one with a value.

:func:`parse_period` reads what officers type (see its docstring) and raises
:class:`PeriodError`, with a message written for them, when the text can't be read or is a
period of another frequency. Years run from 1990 to 2100, as in :mod:`caring.plans.dates`;
two-digit years 00-69 mean 2000-2069 and 70-99 mean 1970-1999.

Freshness (:func:`data_due`): a period's data is expected within a grace period after it ends
(:data:`GRACE_DAYS`: monthly 30 days, quarterly 45, annual 120, biennial 180). An indicator is
overdue when the latest period whose grace period is over has no value: for a biennial
indicator, the survey year two years (or four, six...) after the last one with a value.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from caring.plans.dates import MAX_YEAR, MIN_YEAR, MONTH_NAMES, DateKind, parse_council_date

__all__ = [
    "ANNUAL", "BIENNIAL", "FREQUENCIES", "GRACE_DAYS", "MONTHLY", "QUARTERLY", "Freshness",
    "Period", "PeriodError", "data_due", "due_by", "latest_complete", "next_period",
    "parse_period", "period_containing", "previous_period",
]  # fmt: skip

MONTHLY, QUARTERLY, ANNUAL, BIENNIAL = "monthly", "quarterly", "annual", "biennial"
FREQUENCIES = (MONTHLY, QUARTERLY, ANNUAL, BIENNIAL)
GRACE_DAYS = {MONTHLY: 30, QUARTERLY: 45, ANNUAL: 120, BIENNIAL: 180}
_SAYS = {
    MONTHLY: "monthly",
    QUARTERLY: "quarterly",
    ANNUAL: "annual",
    BIENNIAL: "collected every two years",
}
_WANTED = {
    MONTHLY: "a month such as {}",
    QUARTERLY: "a quarter such as {}",
    ANNUAL: "a financial year such as {}",
    BIENNIAL: "the survey's financial year, such as {}",
}
_KIND_WORDS = {
    "month": "a month",
    "quarter": "a quarter",
    "financial_year": "a financial year",
    "year": "a calendar year",
}
_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTHS |= {name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTHS["sept"] = 9
_MAX_SHOWN = 60


class PeriodError(ValueError):
    """The text is not a period of the wanted frequency; ``str(exc)`` is for the officer."""


@dataclass(frozen=True)
class Period:
    frequency: str
    key: str  # canonical: "2018-04", "2018/19 Q3", "2018/19"
    label: str  # as councillors read it: "April 2018", "Q3 2018/19 (October to December 2018)"
    start: date
    end: date

    @property
    def short_label(self) -> str:
        """The label without the months of a quarter: "Q3 2018/19"."""
        return self.label.split(" (", 1)[0]

    def _order(self) -> tuple:
        return (self.start, self.end, self.frequency, self.key)

    def __lt__(self, other: Period) -> bool:
        return self._order() < other._order() if isinstance(other, Period) else NotImplemented

    def __le__(self, other: Period) -> bool:
        return self._order() <= other._order() if isinstance(other, Period) else NotImplemented

    def __gt__(self, other: Period) -> bool:
        return self._order() > other._order() if isinstance(other, Period) else NotImplemented

    def __ge__(self, other: Period) -> bool:
        return self._order() >= other._order() if isinstance(other, Period) else NotImplemented


@dataclass(frozen=True)
class Freshness:
    overdue: bool
    expected: Period  # the latest period whose data should be in by today
    explanation: str  # plain words for the indicator's page


# --- building periods --------------------------------------------------------------------------


def _check_frequency(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"Unknown frequency {frequency!r}: use one of {', '.join(FREQUENCIES)}.")


def _fy(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int) -> Period:
    return Period(
        MONTHLY,
        f"{year:04d}-{month:02d}",
        f"{MONTH_NAMES[month - 1]} {year}",
        date(year, month, 1),
        _month_end(year, month),
    )


def _quarter(start_year: int, quarter: int) -> Period:
    month = 4 + 3 * (quarter - 1)
    year = start_year + (month > 12)
    month = (month - 1) % 12 + 1
    start, end = date(year, month, 1), _month_end(year, month + 2)
    months = f"{MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]} {end.year}"
    name = _fy(start_year)
    return Period(QUARTERLY, f"{name} Q{quarter}", f"Q{quarter} {name} ({months})", start, end)


def _year(frequency: str, start_year: int) -> Period:
    name = _fy(start_year)
    return Period(frequency, name, name, date(start_year, 4, 1), date(start_year + 1, 3, 31))


def _fy_start(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def period_containing(day: date, frequency: str) -> Period:
    """The period of ``frequency`` that ``day`` falls in (for biennial: its financial year)."""
    _check_frequency(frequency)
    if isinstance(day, datetime):
        day = day.date()
    if frequency == MONTHLY:
        return _month(day.year, day.month)
    if frequency == QUARTERLY:
        return _quarter(_fy_start(day), (day.month - 4) % 12 // 3 + 1)
    return _year(frequency, _fy_start(day))


def _shift(period: Period, steps: int) -> Period:
    if period.frequency == MONTHLY:
        months = period.start.year * 12 + period.start.month - 1 + steps
        return _month(months // 12, months % 12 + 1)
    if period.frequency == QUARTERLY:
        first = period_containing(period.start, QUARTERLY)
        quarters = _fy_start(first.start) * 4 + int(first.key[-1]) - 1 + steps
        return _quarter(quarters // 4, quarters % 4 + 1)
    _check_frequency(period.frequency)
    return _year(period.frequency, _fy_start(period.start) + steps)


def next_period(period: Period) -> Period:
    """The period after ``period``; for a biennial indicator, the financial year two years on."""
    return _shift(period, 2 if period.frequency == BIENNIAL else 1)


def previous_period(period: Period) -> Period:
    """The period before ``period``; for a biennial indicator, two financial years back."""
    return _shift(period, -2 if period.frequency == BIENNIAL else -1)


def latest_complete(frequency: str, today: date) -> Period:
    """The latest period that ended before ``today`` (biennial: the latest financial year)."""
    current = period_containing(today, frequency)
    return _shift(current, -1)


# --- freshness ---------------------------------------------------------------------------------


def _grace(frequency: str, grace_days: int | None) -> int:
    return GRACE_DAYS[frequency] if grace_days is None else int(grace_days)


def due_by(period: Period, grace_days: int | None = None) -> date:
    """The last day by which ``period``'s data is expected: its end plus the grace period."""
    return period.end + timedelta(days=_grace(period.frequency, grace_days))


def _day(value: date) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def _expectation(frequency: str, grace: int) -> str:
    days = "1 day" if grace == 1 else f"{grace} days"
    if frequency == BIENNIAL:
        return f"this indicator is collected every two years, with data expected within {days}"
    return f"{frequency} data is expected within {days}"


def data_due(
    last: Period | None, frequency: str, today: date, grace_days: int | None = None
) -> Freshness:
    """Whether an indicator whose latest approved value is for ``last`` is overdue for data.

    ``grace_days`` overrides :data:`GRACE_DAYS` for the frequency. A period's data is overdue
    from the day after :func:`due_by`. A biennial indicator with a value expects the survey two
    years after it (then two years after that...); without any value, any financial year.
    """
    _check_frequency(frequency)
    if last is not None and last.frequency != frequency:
        raise ValueError(f"The last period is {last.frequency}, not {frequency}.")
    if isinstance(today, datetime):
        today = today.date()
    grace = _grace(frequency, grace_days)
    if frequency == BIENNIAL and last is not None:
        expected = last
        while due_by(following := next_period(expected), grace) < today:
            expected = following
    else:
        expected = period_containing(today - timedelta(days=grace + 1), frequency)
        if due_by(expected, grace) >= today:
            expected = _shift(expected, -1)
    expectation = _expectation(frequency, grace)
    ended = f"{expected.short_label}, which ended on {_day(expected.end)}"
    if last is None:
        return Freshness(
            True,
            expected,
            f"No value has been given yet: the latest period that should have one is {ended}; "
            f"{expectation}.",
        )
    if last < expected:
        return Freshness(
            True,
            expected,
            f"No value for {ended}; {expectation}. The latest value is for {last.short_label}.",
        )
    following = next_period(last)
    return Freshness(
        False,
        expected,
        f"Up to date: the latest value is for {last.short_label}. The value for "
        f"{following.short_label} is expected by {_day(due_by(following, grace))}.",
    )


# --- reading periods ---------------------------------------------------------------------------

_PAIR = r"(?P<a>\d{1,4}) ?(?P<sep>[/-]) ?(?P<b>\d{1,4})"
_FY_PREFIX = r"(?P<fy>fy ?|financial year )?"
_Q = r"(?:q|qtr|quarter) ?(?P<q>\d{1,2})"
_PATTERNS = {
    name: re.compile(pattern, re.ASCII)
    for name, pattern in {
        "pair": rf"{_FY_PREFIX}{_PAIR}",
        "quarter": rf"{_Q},? (?:of )?{_FY_PREFIX}{_PAIR}",
        "fy_quarter": rf"{_FY_PREFIX}{_PAIR},? {_Q}",
        "quarter_year": rf"{_Q},? (?:of )?(?P<y>\d{{4}})",
        "year_quarter": r"(?P<y>\d{4}),? (?:q|qtr|quarter) ?(?P<q>\d{1,2})",
        "year": r"(?P<fy>fy ?|financial year )?(?P<y>\d{4})",
        "month_name": r"(?P<mon>[a-z]+)\.?,?[ /-]?(?P<y>\d{4}|\d{2})",
    }.items()
}
_BRACKETED = re.compile(r"(?P<base>[^()]*?) ?\((?P<inner>[^()]*)\)", re.ASCII)


def parse_period(text: str | date, frequency: str) -> Period:
    """Read a period of ``frequency`` from what an officer typed, or raise PeriodError.

    - monthly: "2018-04", "04/2018", "Apr 2018", "April 2018", "Apr-18".
    - quarterly: "Q3 2018/19", "2018/19 Q3", "Q3 2018-19", "Quarter 3 2018/19", "Q3 18/19" and
      the label "Q3 2018/19 (October to December 2018)" (months in brackets must match).
    - annual and biennial: "2018/19", "2018-19", "2018/2019", "2018-2019", "FY2018/19",
      "FY 18/19", "Financial year 2018/19".
    - A day (a date or datetime, such as an Excel date, or text such as "31/03/2019" or
      "2019-03-31") gives the period containing it, for every frequency.

    "2011-12" is December 2011 for a monthly indicator and 2011/12 for the others.
    """
    _check_frequency(frequency)
    if isinstance(text, date):
        return period_containing(text, frequency)
    if isinstance(text, float) and text.is_integer():  # a spreadsheet's 2019.0
        text = int(text)
    shown = " ".join(str(text if text is not None else "").split()).rstrip(".").strip()
    if len(shown) > _MAX_SHOWN:
        shown = shown[: _MAX_SHOWN - 3] + "..."
    if not shown:
        raise PeriodError(f"No period is given: give {_example(frequency)}.")
    norm = shown.lower().replace("\u2013", "-").replace("\u2014", "-")
    kind, period = _read(norm, shown, frequency)
    if kind == "day":
        return period_containing(period.start, frequency)
    if kind == "financial_year" and frequency in (ANNUAL, BIENNIAL):
        return _year(frequency, period.start.year)
    if period.frequency == frequency:
        return period
    example = _example(frequency, period_containing(period.start, frequency))
    raise PeriodError(
        f"{shown} is {_KIND_WORDS[kind]}, but this indicator is {_SAYS[frequency]}: give {example}."
    )


def _example(frequency: str, period: Period | None = None) -> str:
    if period is None:
        period = {
            MONTHLY: _month(2018, 4),
            QUARTERLY: _quarter(2018, 3),
            ANNUAL: _year(ANNUAL, 2018),
            BIENNIAL: _year(BIENNIAL, 2018),
        }[frequency]
    return _WANTED[frequency].format(period.short_label)


def _unreadable(shown: str, frequency: str) -> PeriodError:
    return PeriodError(f"'{shown}' is not a period we can read: give {_example(frequency)}.")


def _read(norm: str, shown: str, frequency: str) -> tuple[str, Period]:
    """(kind, period) with kind "month", "quarter", "financial_year", "year" or "day".

    A financial year is given as an annual period; a calendar year as the financial year
    starting in it; a day as a one-day stand-in whose ``start`` is the day.
    """
    bracketed = _BRACKETED.fullmatch(norm)
    if bracketed:
        kind, period = _read_plain(bracketed["base"], shown, frequency)
        if kind != "quarter":
            raise _unreadable(shown, frequency)
        if not _months_match(bracketed["inner"], period):
            raise PeriodError(
                f"{shown}: the months in brackets are not those of {period.label}. "
                f"Give the quarter as {period.short_label}."
            )
        return kind, period
    return _read_plain(norm, shown, frequency)


def _read_plain(norm: str, shown: str, frequency: str) -> tuple[str, Period]:
    for name, pattern in _PATTERNS.items():
        found = pattern.fullmatch(norm)
        if found:
            return _reading(name, found.groupdict(), shown, frequency)
    if not norm.startswith(("by ", "end ", "the end")):
        day = parse_council_date(norm)
        if day.kind is DateKind.EXACT:
            return "day", Period("day", "", "", day.first, day.first)
    raise _unreadable(shown, frequency)


def _reading(name: str, parts: dict, shown: str, frequency: str) -> tuple[str, Period]:
    if name == "pair":
        return _pair(parts, shown, frequency, quarter=False)
    if name in ("quarter", "fy_quarter"):
        _, year = _pair(parts, shown, frequency, quarter=True)
        quarter = int(parts["q"])
        if not 1 <= quarter <= 4:
            raise PeriodError(
                f"{shown}: there is no quarter {quarter}. Quarters run from Q1 (April to June) "
                "to Q4 (January to March)."
            )
        return "quarter", _quarter(year.start.year, quarter)
    if name in ("quarter_year", "year_quarter"):
        year, quarter = _full_year(parts["y"], shown), int(parts["q"])
        raise PeriodError(
            f"{shown} does not say which financial year: quarters count from April, so give "
            f"it as Q{quarter} {_fy(year - 1)} or Q{quarter} {_fy(year)}."
        )
    if name == "month_name":
        month = _MONTHS.get(parts["mon"])
        if month is None:
            raise _unreadable(shown, frequency)
        return "month", _month(_full_year(parts["y"], shown), month)
    year = _full_year(parts["y"], shown)
    if parts["fy"]:
        raise PeriodError(
            f"{shown} does not say which financial year: give {_fy(year - 1)} or {_fy(year)}."
        )
    if frequency in (ANNUAL, BIENNIAL):
        raise PeriodError(
            f"{shown} is a calendar year, but this indicator is {_SAYS[frequency]}: give a "
            f"financial year, {_fy(year - 1)} or {_fy(year)}."
        )
    return "year", _year(ANNUAL, year)


def _pair(parts: dict, shown: str, frequency: str, *, quarter: bool) -> tuple[str, Period]:
    """A financial year ("2018/19", "2018-2019", "18/19") or a month ("2018-04", "04/2018")."""
    a, b, prefixed = parts["a"], parts["b"], bool(parts["fy"])
    months_allowed = not (prefixed or quarter)
    fy_ok = month_ok = False
    if len(a) == 4:
        if len(b) == 4:
            fy_ok = int(b) == int(a) + 1
        elif len(b) == 2:
            fy_ok = int(b) == (int(a) + 1) % 100
        month_ok = months_allowed and len(b) <= 2 and 1 <= int(b) <= 12
        if fy_ok and month_ok:  # "2011-12": a month only in a monthly indicator's key form
            fy_ok = not (frequency == MONTHLY and parts["sep"] == "-")
            month_ok = not fy_ok
        if fy_ok:
            return "financial_year", _year(ANNUAL, _fy_year(int(a), shown))
        if month_ok:
            return "month", _month(_full_year(a, shown), int(b))
        if len(b) in (2, 4):
            raise PeriodError(
                f"{shown} is not a financial year: the second year must be the year after the "
                "first, as in 2018/19."
            )
    elif len(a) <= 2 and len(b) == 4 and months_allowed and 1 <= int(a) <= 12:
        return "month", _month(_full_year(b, shown), int(a))
    elif len(a) == 2 and len(b) == 2 and int(b) == (int(a) + 1) % 100:
        return "financial_year", _year(ANNUAL, _fy_year(_two_digit(a), shown))
    raise _unreadable(shown, frequency)


def _two_digit(digits: str) -> int:
    year = int(digits)
    return year + (2000 if year < 70 else 1900)


def _full_year(digits: str, shown: str) -> int:
    year = _two_digit(digits) if len(digits) == 2 else int(digits)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"{shown}: we only read years from {MIN_YEAR} to {MAX_YEAR}.")
    return year


def _fy_year(start: int, shown: str) -> int:
    if not MIN_YEAR <= start < MAX_YEAR:
        raise PeriodError(
            f"{shown}: we only read financial years between {MIN_YEAR} and {MAX_YEAR}."
        )
    return start


def _months_match(inner: str, period: Period) -> bool:
    """Whether "(October to December 2018)" or "(Oct-Dec)" names ``period``'s months."""
    months = {period.start.month, period.start.month + 1, period.end.month}
    years = {period.start.year, period.end.year}
    named = []
    for token in re.findall(r"[a-z]+|\d+", inner, re.ASCII):
        if token.isdigit():
            if len(token) not in (2, 4) or _two_digit_or_full(token) not in years:
                return False
        elif token in _MONTHS:
            named.append(_MONTHS[token])
        elif token not in ("to", "and"):
            return False
    return bool(named) and set(named) <= months


def _two_digit_or_full(token: str) -> int:
    return _two_digit(token) if len(token) == 2 else int(token)
