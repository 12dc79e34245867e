"""Read a file of indicator values (an .xlsx workbook or a CSV file) into plain records.

Pure: no Django, no database. Never raises for anything in the file: every problem is a
:class:`~caring.workbooks.records.Problem` naming the sheet, row and column (severity "error"
refuses the import, "warning" does not). It reads as :mod:`caring.governance.tracker_reader`
does, with the workbook reader's safety checks and cells.

- The upload is first checked by :func:`caring.workbooks.safety.check_workbook`; a refusal is
  the one problem.
- The header row is the row, in the first 20 rows of a sheet, naming the most of our columns
  (at least two). The sheet read is the first whose header row has every required column, else
  the first with a header row at all. Required: an indicator code and a period column, and a
  Value column or both Numerator and Denominator. Header text is compared after
  :func:`caring.workbooks.headers.normalise`, and also without any bracketed part ("Value (%)").
  When two columns name one field the more specific name wins ("Indicator code" over "Code"
  over "Indicator"), then the one further left.
- Every row below the header is a value, except rows with nothing in any column we read. A row
  with an indicator and period but no value, numerator or denominator is left out with a
  warning (a template with some values still to fill in). Indicator codes, periods, sources,
  dates extracted and notes merged down several rows count for each of them.
- Numbers keep every digit as written (``Decimal``): "12%" is 12, "1,234" is 1234, "£1,500" is
  1500; an Excel number formatted as a percentage is the percentage shown (0.45 shown as 45%
  is 45). Words ("n/a", "tbc", "*") are errors naming the cell. Numerators and denominators are
  counts: they can't be negative, and a denominator can't be zero.
- The date extracted must be a day: an Excel date, "31/03/2019", "31 March 2019", "2019-03-31".
- Each indicator has one value per period and source: a repeat is an error naming the row where
  it first appeared. Periods are compared as read by :func:`caring.indicators.periods.
  parse_period` for every frequency ("Q3 2018/19" and "2018/19 Q3" are the same period).
- The reader can't know each indicator's frequency or unit: the period stays as text for the
  importer to read with ``parse_period``, and a percentage over 100 is for it to catch.
- ``rows`` holds every value read, even those with problems: import only when ``ok``.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from caring.indicators.periods import FREQUENCIES, PeriodError, parse_period
from caring.plans.dates import DateKind, parse_council_date
from caring.workbooks import cells as c
from caring.workbooks.headers import normalise
from caring.workbooks.records import Problem
from caring.workbooks.uploads import UploadRefused, upload_grids

__all__ = [
    "ALIASES", "FIELDS", "HEADER_SEARCH_ROWS", "INTERNAL_FAULT", "LABELS", "Problem",
    "ValueRow", "ValuesRead", "read_number", "read_values",
]  # fmt: skip
logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20
INTERNAL_FAULT = (
    "The file of values could not be read because of a fault in Caring Together, not in your "
    "file. Please tell the support team."
)

# Field (a ValueRow attribute) -> the column's name in messages.
LABELS = {
    "code": "Indicator code",
    "period_text": "Period",
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "source": "Source",
    "extracted": "Date extracted",
    "note": "Note",
}
FIELDS = tuple(LABELS)
NUMBERS = ("value", "numerator", "denominator")

# Field -> header names (normalised), most specific first.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("indicator code", "indicator ref", "indicator reference", "indicator id",
             "indicator no", "code", "indicator"),
    "period_text": ("period", "reporting period", "time period", "period covered", "quarter",
                    "month", "financial year", "survey year", "year"),
    "value": ("value", "actual value", "result"),
    "numerator": ("numerator",),
    "denominator": ("denominator",),
    "source": ("data source", "source"),
    "extracted": ("date extracted", "extracted", "extract date", "date of extract",
                  "extraction date", "date data extracted"),
    "note": ("data quality note", "data quality notes", "data quality", "note", "notes",
             "comment", "comments"),
}  # fmt: skip
_KNOWN = {name: (key, rank) for key, names in ALIASES.items() for rank, name in enumerate(names)}
_MERGED_DOWN = frozenset({"code", "period_text", "source", "extracted", "note"})
_NUMBER = re.compile(
    r"(?P<sign>[+-])?£?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?:e(?P<exp>[+-]?\d{1,3}))?(?P<percent> ?%)?",
    re.ASCII | re.IGNORECASE,
)


@dataclass(frozen=True)
class ValueRow:
    row: int  # spreadsheet row number (1-based, as Excel shows)
    code: str  # indicator code as written
    period_text: str  # as written (an Excel date as "2018-04-01"): read it with parse_period
    value: Decimal | None  # None when only a numerator and denominator are given
    numerator: Decimal | None
    denominator: Decimal | None
    source: str
    extracted: date | None
    note: str


@dataclass
class ValuesRead:
    rows: list[ValueRow]
    problems: list[Problem]
    sheet: str  # "" when no sheet was read
    header_row: int = 0  # 0 when no header row was found
    columns: dict[str, str] = field(default_factory=dict)  # field -> column letter

    @property
    def ok(self) -> bool:
        """No blocking problems (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


def read_number(value: object) -> Decimal | None:
    """A cell's number, exactly as written; None when blank. Raises ValueError for the rest.

    "12%" is 12, "1,234.5" is 1234.5, "£1,500" is 1500, "1.2E+03" is 1200. Booleans, dates,
    words, "12,5" and infinities are not numbers.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a true/false value")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise ValueError(f"a {type(value).__name__}")
    text = value.strip().replace("\u2212", "-")
    if not text:
        return None
    found = _NUMBER.fullmatch(text)
    if not found:
        raise ValueError("not a number")
    digits = found["digits"].replace(",", "")
    exponent = f"e{found['exp']}" if found["exp"] else ""
    try:
        number = Decimal(f"{found['sign'] or ''}{digits}{exponent}")
    except InvalidOperation as exc:  # defensive: the pattern only lets numbers through
        raise ValueError("not a number") from exc
    return number


def read_values(data: bytes, filename: str, max_rows: int = 20000) -> ValuesRead:
    """Read the indicator values in an upload. Never raises for anything in the file."""
    try:
        return _read(data, filename, max_rows)
    except Exception:
        logger.exception("Reading indicator values %r failed", filename)
        return _failed(INTERNAL_FAULT)


def _failed(message: str, sheet: str = "", row: int | None = None) -> ValuesRead:
    problem = Problem(sheet, row, None, None, message, "error")
    return ValuesRead([], [problem], sheet, row or 0)


def _read(data: bytes, filename: str, max_rows: int) -> ValuesRead:
    try:
        grids = upload_grids(data, filename)
    except UploadRefused as refused:
        return _failed(str(refused))
    found = [(grid, header) for grid in grids if (header := _find_header(grid))]
    if not found:
        names = ", ".join(f"'{grid.name}'" for grid in grids) or "none"
        return _failed(
            f"No header row was found in the first {HEADER_SEARCH_ROWS} rows of any sheet "
            f"(sheets looked at: {names}). We look for a row naming columns such as Indicator "
            "code, Period, Value, Numerator, Denominator and Source."
        )
    complete = [f for f in found if not _missing(f[1][1])]
    grid, (header_row, columns) = (complete or found)[0]
    return _ValuesSheet(grid, header_row, columns, max(int(max_rows), 0)).read()


def _missing(columns: dict[str, int]) -> list[str]:
    """The required columns a header lacks, by their names in messages."""
    missing = [LABELS[name] for name in ("code", "period_text") if name not in columns]
    if "value" not in columns and not {"numerator", "denominator"} <= set(columns):
        missing.append(LABELS["value"])
    return missing


def _match(text: str) -> tuple[str, int] | None:
    """(field, rank) for a header cell's text, or None."""
    for name in (normalise(text), normalise(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text))):
        if name in _KNOWN:
            return _KNOWN[name]
    return None


def _find_header(grid: c.Grid) -> tuple[int, dict[str, int]] | None:
    """(header row, field -> column number) for the best header row in the sheet, or None."""
    best: tuple[int, dict[str, int]] | None = None
    for number, cells in grid.rows(1):
        if number > HEADER_SEARCH_ROWS:
            break
        chosen: dict[str, tuple[int, int]] = {}  # field -> (rank, column)
        for column, cell in enumerate(cells, 1):
            match = None if cell.error else _match(c.one_line(cell.value))
            if match and (match[0] not in chosen or match[1] < chosen[match[0]][0]):
                chosen[match[0]] = (match[1], column)
        if len(chosen) >= 2 and (best is None or len(chosen) > len(best[1])):
            best = (number, {name: column for name, (_, column) in chosen.items()})
    return best


def _same_period(text: str) -> tuple:
    """What a period's text means, to compare two rows: its key for each frequency."""
    keys = []
    for frequency in FREQUENCIES:
        try:
            keys.append(parse_period(text, frequency).key)
        except PeriodError:
            keys.append(None)
    return tuple(keys) if any(keys) else (" ".join(text.lower().split()),)


class _ValuesSheet:
    def __init__(self, grid: c.Grid, header_row: int, columns: dict[str, int], max_rows: int):
        self.grid, self.sheet, self.header_row = grid, grid.name, header_row
        self.columns, self.max_rows = columns, max_rows
        self.problems: list[Problem] = []
        self.rows: list[ValueRow] = []
        self.first_seen: dict[tuple, int] = {}  # (code, period, source) -> row
        self.tops: dict[int, list[c.Cell]] = {}  # rows holding values merged down

    def problem(self, message: str, row: int | None, name: str | None, *, error: bool) -> None:
        column = self.columns.get(name) if name else None
        letter = get_column_letter(column) if column else None
        severity = "error" if error else "warning"
        self.problems.append(Problem(self.sheet, row, letter, name, message, severity))

    def cell_name(self, row: int, name: str) -> str:
        return f"{get_column_letter(self.columns[name])}{row}"

    def read(self) -> ValuesRead:
        missing = _missing(self.columns)
        if missing:
            listed = ", ".join(missing[:-1]) + " or " + missing[-1] if missing[1:] else missing[0]
            self.problem(
                f"The header row (row {self.header_row}) has no {listed} column. A file of "
                "indicator values needs Indicator code, Period and Value columns (or Numerator "
                "and Denominator instead of Value): add or rename them, then upload the file "
                "again.",
                self.header_row,
                None,
                error=True,
            )
        counted = 0
        for number, cells in self.grid.rows(self.header_row + 1):
            got = {name: self._cell(number, cells, name) for name in self.columns}
            if not any(cell.error or c.cell_text(cell.value) for cell in got.values()):
                continue
            counted += 1
            if counted > self.max_rows:
                self.problem(
                    f"The sheet '{self.sheet}' has more than {self.max_rows:,} rows of values, "
                    "the most we read from one file. Split it into smaller files.",
                    None,
                    None,
                    error=True,
                )
                break
            if not missing:
                self._row(number, got)
        if not self.rows and not missing and counted <= self.max_rows:
            self.problem(
                f"There are no values below the header row (row {self.header_row}).",
                self.header_row,
                None,
                error=True,
            )
        self.problems.sort(key=lambda p: p.row or 0)
        letters = {name: get_column_letter(col) for name, col in self.columns.items()}
        return ValuesRead(self.rows, self.problems, self.sheet, self.header_row, letters)

    def _cell(self, number: int, cells: list[c.Cell], name: str) -> c.Cell:
        column = self.columns[name]
        cell = cells[column - 1] if column <= len(cells) else c.Cell(None)
        top = self.grid.down.get((number, column))
        if cell.value is None and not cell.error and top is not None and name in _MERGED_DOWN:
            if top not in self.tops:
                self.tops[top] = next(self.grid.rows(top), (top, []))[1]
            above = self.tops[top]
            cell = above[column - 1] if column <= len(above) else cell
        return cell

    def _row(self, number: int, got: dict[str, c.Cell]) -> None:
        def value(name: str) -> object:
            cell = got.get(name, c.Cell(None))
            return None if cell.error else cell.value

        for name, cell in got.items():
            if cell.error:
                self.problem(
                    f"Cell {self.cell_name(number, name)} ({LABELS[name]}) shows the Excel error "
                    f"{c.one_line(cell.value) or '(an error)'}. Correct the formula (or type the "
                    "value in) and upload the file again.",
                    number,
                    name,
                    error=True,
                )
        code = c.one_line(value("code"))
        period_text = c.one_line(value("period_text"))
        given = [name for name in NUMBERS if name in got and c.cell_text(got[name].value)]
        if not given and not any(got[name].error for name in NUMBERS if name in got):
            what = " ".join(part for part in (code, period_text) if part) or "this row"
            self.problem(
                f"No value is given for {what}, so this row is left out.",
                number,
                "value" if "value" in got else "numerator",
                error=False,
            )
            return
        if not code and not got["code"].error:
            self.problem(
                "No indicator code is given: fill in the Indicator code column so the value "
                "can be matched to its indicator.",
                number,
                "code",
                error=True,
            )
        if not period_text and not got["period_text"].error:
            self.problem(
                "No period is given: fill in the Period column (a month such as April 2018, a "
                "quarter such as Q3 2018/19 or a financial year such as 2018/19).",
                number,
                "period_text",
                error=True,
            )
        numbers = {name: self._number(number, got, name) for name in NUMBERS}
        self._fraction(number, got)
        source = c.one_line(value("source"))
        self._duplicate(number, code, period_text, source, got)
        self.rows.append(
            ValueRow(
                row=number,
                code=code,
                period_text=period_text,
                value=numbers["value"],
                numerator=numbers["numerator"],
                denominator=numbers["denominator"],
                source=source,
                extracted=self._date(number, got),
                note=c.cell_text(value("note")),
            )
        )

    def _number(self, number: int, got: dict[str, c.Cell], name: str) -> Decimal | None:
        cell = got.get(name)
        if cell is None or cell.error:
            return None
        try:
            read = read_number(cell.value)
            if read is not None and _percent_format(cell):
                read = read.scaleb(2)  # Excel keeps 45% as 0.45
        except ValueError:
            shown = c.one_line(cell.value)[:40]
            self.problem(
                f"The {LABELS[name].lower()} '{shown}' in cell {self.cell_name(number, name)} is "
                "not a number. Give the number alone (such as 12.5, 1,234 or 45%), or leave the "
                "row out until there is a value.",
                number,
                name,
                error=True,
            )
            return None
        if read is not None and name != "value" and read < 0:
            self.problem(
                f"The {LABELS[name].lower()} in cell {self.cell_name(number, name)} is "
                f"{_shown(read)}: a {LABELS[name].lower()} is a count, so it can't be negative.",
                number,
                name,
                error=True,
            )
        if read is not None and name == "denominator" and read == 0:
            self.problem(
                f"The denominator in cell {self.cell_name(number, name)} is 0: a denominator of "
                "zero gives no rate or percentage. Check the figures, or leave the row out.",
                number,
                name,
                error=True,
            )
        return read

    def _fraction(self, number: int, got: dict[str, c.Cell]) -> None:
        """Without a value, both the numerator and the denominator are needed."""
        filled = {n for n in NUMBERS if n in got and (got[n].error or c.cell_text(got[n].value))}
        if "value" in filled or {"numerator", "denominator"} <= filled:
            return
        given = "numerator" if "numerator" in filled else "denominator"
        other = "denominator" if given == "numerator" else "numerator"
        self.problem(
            f"There is a {given} but no {other} and no value. Give the value, or both the "
            "numerator and the denominator.",
            number,
            other if other in self.columns else "value" if "value" in self.columns else given,
            error=True,
        )

    def _duplicate(
        self, number: int, code: str, period_text: str, source: str, got: dict[str, c.Cell]
    ) -> None:
        if not code or not period_text:
            return
        key = (code.casefold(), _same_period(period_text), " ".join(source.casefold().split()))
        first = self.first_seen.setdefault(key, number)
        if first != number:
            origin = f" from the source '{source}'" if source else ""
            self.problem(
                f"Indicator {code} already has a value for {period_text}{origin} on row "
                f"{first}. Give each indicator one value for each period and source.",
                number,
                "period_text",
                error=True,
            )

    def _date(self, number: int, got: dict[str, c.Cell]) -> date | None:
        cell = got.get("extracted")
        if cell is None or cell.error:
            return None
        read = parse_council_date(c.date_value(cell.value))
        if read.kind is DateKind.EXACT:
            return read.first
        if read.kind is DateKind.BLANK:
            return None
        self.problem(
            f"The date extracted '{read.text[:40]}' in cell {self.cell_name(number, 'extracted')} "
            "is not a date. Give the day, month and year, such as 31/03/2019 or 31 March 2019.",
            number,
            "extracted",
            error=True,
        )
        return None


def _percent_format(cell: c.Cell) -> bool:
    """Whether an Excel number is shown as a percentage (its format has % outside quotes)."""
    if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
        return False
    number_format = getattr(cell.source, "number_format", None)
    return isinstance(number_format, str) and "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def _shown(number: Decimal) -> str:
    return f"{number:,f}"
