"""Read a national benchmark CSV (the Oflog adult social care layout) into plain records.

Pure: no Django, no database. Never raises for anything in the file: every problem is a
:class:`~caring.workbooks.records.Problem` naming the row and column (severity "error" refuses
the import, "warning" does not). Rows are numbered as a spreadsheet shows them (the header is
usually row 1) and columns by their letters.

- The file must be CSV text (UTF-8, with or without a byte-order mark, or Windows-1252). Empty
  files, Excel workbooks, PDFs, pictures and other binary files are refused with one problem.
- The header row is the first row, within the first 10, naming at least two of our columns.
  Names are compared ignoring case, spaces, underscores and a byte-order mark. Required columns:
  Financial year, Local authority code, Local authority name, Entity_Name (the authority type,
  such as "Unitary Authorities" or "Metropolitan Districts"), Region, Measure and Value; a
  missing one refuses the file, naming it. Other columns (MEDIAN, MADs_from_median, rank_order...)
  are ignored. When a name appears twice, the leftmost column is read.
- If there is a Grouping column, only rows whose Grouping is "LA_Raw" are read: the other
  groupings are aggregates (regions, England, nearest-neighbour groups), not authorities.
  Without a Grouping column every row is read.
- Financial years are read as "2016-17", "2016/17" or "2016-2017" and given as "2016/17".
- Authority codes must be an English county, district, metropolitan district, unitary authority
  or London borough code (``E06``-``E10``), such as ``E08000018`` (Rotherham).
- Values are plain numbers ("7.6", "-0.25"). A blank value, or a mark meaning none was published
  (".", "..", "-", "x", "[x]", "[c]", "*", "n/a"...), is a warning and the row is left out: the
  Oflog file leaves some authorities' values blank.
- Each authority has at most one value per measure and year: a repeat is an error naming the
  row where it first appeared.
- ``rows`` holds only rows read without any problem; import only when ``ok``.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from caring.workbooks.records import Problem

__all__ = [
    "AUTHORITY_CODE", "COLUMNS", "INTERNAL_FAULT", "MAX_BYTES", "REQUIRED", "BenchmarkRead",
    "BenchmarkRow", "NotCsv", "Problem", "column_letter", "csv_records", "financial_year",
    "read_benchmark",
]  # fmt: skip
logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
AUTHORITY_CODE = re.compile(r"^E0[6-9]\d{6}$|^E10\d{6}$")
INTERNAL_FAULT = (
    "The file could not be read because of a fault in Caring Together, not in your file. "
    "Please tell the support team."
)

# Field (a BenchmarkRow attribute) -> the column's name in the Oflog file.
COLUMNS = {
    "year": "Financial year",
    "code": "Local authority code",
    "name": "Local authority name",
    "grouping": "Grouping",
    "authority_type": "Entity_Name",
    "region": "Region",
    "measure": "Measure",
    "value": "Value",
}
REQUIRED = ("year", "code", "name", "authority_type", "region", "measure", "value")
RAW_GROUPING = "la_raw"
# Longest text each field may hold (the benchmark table's limits).
MAX_LENGTHS = {"name": 200, "authority_type": 100, "region": 100, "measure": 200}
NO_VALUE = frozenset(
    {".", "..", "...", "-", "--", "x", "[x]", "c", "[c]", "z", "[z]", "u", "[u]", "*", "**",
     "n/a", "na", "#n/a", "not available", "suppressed"}
)  # fmt: skip
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_YEAR = re.compile(r"^(\d{4})\s*[-/\u2013\u2014]\s*(\d{2}|\d{4})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAGIC_KINDS = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zipped file"),
    (b"PK\x05\x06", "an Excel workbook (.xlsx) or another zipped file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Excel workbook (.xls) or Office file"),
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"GIF8", "a picture"),
)
_SAVE_AS_CSV = (
    'Open it in Excel, use File > Save As and choose "CSV UTF-8 (Comma delimited) (.csv)", '
    "then upload the new file."
)


@dataclass(frozen=True)
class BenchmarkRow:
    row: int  # row number in the file, as a spreadsheet shows it
    year: str  # financial year, "2016/17"
    code: str  # ONS code, "E08000018"
    name: str  # "Rotherham"
    authority_type: str  # "Metropolitan Districts" (the Entity_Name column), or ""
    region: str  # "Yorkshire and The Humber", or ""
    measure: str  # "Outcome, ASC Carer Quality of Life"
    value: Decimal


@dataclass
class BenchmarkRead:
    rows: list[BenchmarkRow]
    problems: list[Problem]
    measures: list[str] = field(default_factory=list)  # in the order they first appear

    @property
    def ok(self) -> bool:
        """No blocking problems (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


class NotCsv(Exception):
    """The upload is not CSV text; ``str(exc)`` is the message for the person who uploaded it."""


def column_letter(number: int) -> str:
    """Spreadsheet letters for a 1-based column number: 1 -> "A", 27 -> "AA"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def csv_records(data: bytes, filename: str) -> list[list[str]]:
    """The records of a comma-separated text file; raise :class:`NotCsv` if it isn't one.

    Record ``i`` (0-based) is the spreadsheet's row ``i + 1``; a blank line is an empty record.
    """
    name = _display_name(filename)
    data = bytes(data or b"")
    if not data.strip():
        raise NotCsv(f"{name} is empty. Check you chose the right file and upload it again.")
    if len(data) > MAX_BYTES:
        raise NotCsv(f"{name} is over the {MAX_BYTES // (1024 * 1024)} MB limit for a CSV file.")
    for magic, kind in _MAGIC_KINDS:
        if data.startswith(magic):
            raise NotCsv(f"{name} is {kind}, not a CSV file. {_SAVE_AS_CSV}")
    text = None
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise NotCsv(f"{name} is not a text file, so it can't be read as CSV. {_SAVE_AS_CSV}")
    text = text.rstrip("\x1a")  # an old end-of-file mark
    if text.lstrip().startswith("<"):
        raise NotCsv(f"{name} is a web page or XML file, not a CSV file. {_SAVE_AS_CSV}")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise NotCsv(
            f"{name} is not a plain text file: line {line} holds a control character "
            f"(code {ord(control.group()):#04x}), so it can't be read as CSV. {_SAVE_AS_CSV}"
        )
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise NotCsv(f"{name} could not be read as CSV ({error}). {_SAVE_AS_CSV}") from None
    first = next((record for record in records if any(cell.strip() for cell in record)), [])
    if len(first) == 1 and (";" in first[0] or "\t" in first[0]):
        raise NotCsv(f"{name} is separated by semicolons or tabs, not commas. {_SAVE_AS_CSV}")
    return records


def financial_year(text: str) -> str | None:
    """ "2016/17" from "2016-17", "2016/17" or "2016-2017"; None when it isn't a financial year."""
    match = _YEAR.match(text.strip())
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    following = start + 1 if len(end) == 4 else (start + 1) % 100
    if int(end) != following or not 1990 <= start <= 2099:
        return None
    return f"{start}/{(start + 1) % 100:02d}"


def read_benchmark(data: bytes, filename: str) -> BenchmarkRead:
    """Read the benchmark rows in a CSV upload. Never raises for anything in the file."""
    try:
        return _read(data, filename)
    except Exception:
        logger.exception("Reading benchmark file %r failed", filename)
        return _failed(INTERNAL_FAULT)


def _failed(message: str, row: int | None = None) -> BenchmarkRead:
    return BenchmarkRead([], [Problem("", row, None, None, message, "error")], [])


def _display_name(filename: str) -> str:
    base = re.split(r"[/\\]", filename or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:120]
    return f'"{base}"' if base else "The file"


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[\s_]+", " ", text.replace("\ufeff", "")).split()).casefold()


_KEYS = {_header_key(label): name for name, label in COLUMNS.items()}


def _find_header(records: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """(header row number, field -> 0-based column) for the header row, or None."""
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(record):
            name = _KEYS.get(_header_key(cell))
            if name and name not in columns:
                columns[name] = position
        if len(columns) >= 2:
            return index + 1, columns
    return None


def _read(data: bytes, filename: str) -> BenchmarkRead:
    try:
        records = csv_records(data, filename)
    except NotCsv as refused:
        return _failed(str(refused))
    found = _find_header(records)
    if found is None:
        wanted = ", ".join(COLUMNS[name] for name in REQUIRED)
        return _failed(
            f"No header row was found in the first {HEADER_SEARCH_ROWS} rows of "
            f"{_display_name(filename)}. We look for a row naming the columns {wanted}."
        )
    header_row, columns = found
    missing = [COLUMNS[name] for name in REQUIRED if name not in columns]
    if missing:
        names = ", ".join(f'"{label}"' for label in missing)
        plural = "columns" if len(missing) > 1 else "column"
        return _failed(
            f"The header row (row {header_row}) has no {names} {plural}. A benchmark file needs "
            f"the columns {', '.join(COLUMNS[name] for name in REQUIRED)}: add or rename the "
            "missing ones and upload the file again.",
            header_row,
        )
    return _BenchmarkFile(records, header_row, columns).read()


class _BenchmarkFile:
    def __init__(self, records: list[list[str]], header_row: int, columns: dict[str, int]):
        self.records, self.header_row, self.columns = records, header_row, columns
        self.problems: list[Problem] = []
        self.rows: list[BenchmarkRow] = []
        self.first_seen: dict[tuple[str, str, str], int] = {}

    def problem(self, message: str, row: int | None, name: str | None, *, error: bool) -> None:
        letter = column_letter(self.columns[name] + 1) if name in self.columns else None
        severity = "error" if error else "warning"
        self.problems.append(Problem("", row, letter, name, message, severity))

    def cell(self, record: list[str], name: str) -> str:
        position = self.columns.get(name)
        if position is None or position >= len(record):
            return ""
        return " ".join(record[position].split())

    def read(self) -> BenchmarkRead:
        read_any = False
        for number, record in enumerate(self.records[self.header_row :], self.header_row + 1):
            if not any(cell.strip() for cell in record):
                continue
            if "grouping" in self.columns and self.cell(record, "grouping").casefold() != (
                RAW_GROUPING
            ):
                continue
            read_any = True
            self._row(number, record)
        if not read_any:
            only = ' with Grouping "LA_Raw"' if "grouping" in self.columns else ""
            self.problem(
                f"There are no rows{only} below the header row (row {self.header_row}).",
                self.header_row,
                None,
                error=True,
            )
        elif not self.rows and not any(p.severity == "error" for p in self.problems):
            self.problem(
                "None of the rows has a value, so there is nothing to import.",
                None,
                None,
                error=True,
            )
        measures = list(dict.fromkeys(row.measure for row in self.rows))
        return BenchmarkRead(self.rows, self.problems, measures)

    def _row(self, number: int, record: list[str]) -> None:
        before = len(self.problems)
        text = {name: self.cell(record, name) for name in COLUMNS}
        year = financial_year(text["year"])
        if year is None:
            given = f"'{text['year']}'" if text["year"] else "blank"
            self.problem(
                f"The financial year is {given}, which could not be read. Give it like 2016-17 "
                "or 2016/17.",
                number,
                "year",
                error=True,
            )
        code = text["code"].upper()
        if not code:
            self.problem("No local authority code is given.", number, "code", error=True)
        elif not AUTHORITY_CODE.match(code):
            self.problem(
                f"'{code}' is an unknown authority code. Give the nine-character ONS code of an "
                "English council: E06, E07, E08, E09 or E10 and six digits, such as E08000018 "
                "(Rotherham).",
                number,
                "code",
                error=True,
            )
        measure = text["measure"]
        if not measure:
            self.problem("No measure is given for this value.", number, "measure", error=True)
        for name, longest in MAX_LENGTHS.items():
            if len(text[name]) > longest:
                self.problem(
                    f"The {COLUMNS[name]} is {len(text[name])} characters long; it can be at "
                    f"most {longest}.",
                    number,
                    name,
                    error=True,
                )
        who = f"{text['name']} ({code})" if text["name"] else code or "this authority"
        if year and code and measure and not self._first(number, year, code, measure, who):
            return
        where = who + (f" in {year}" if year else "") + (f" on '{measure}'" if measure else "")
        value = self._value(number, text["value"], where)
        if value is not None and len(self.problems) == before:
            self.rows.append(
                BenchmarkRow(
                    row=number,
                    year=year or "",
                    code=code,
                    name=text["name"],
                    authority_type=text["authority_type"],
                    region=text["region"],
                    measure=measure,
                    value=value,
                )
            )

    def _first(self, number: int, year: str, code: str, measure: str, who: str) -> bool:
        key = (year, code, measure.casefold())
        if key in self.first_seen:
            self.problem(
                f"{who} already has a value for '{measure}' in {year}, on row "
                f"{self.first_seen[key]}. Each authority can have one value for a measure in a "
                "year: remove one of the rows.",
                number,
                "code",
                error=True,
            )
            return False
        self.first_seen[key] = number
        return True

    def _value(self, number: int, text: str, who: str) -> Decimal | None:
        if not text or text.casefold() in NO_VALUE:
            given = f"'{text}'" if text else "blank"
            self.problem(
                f"The value for {who} is {given} (not published), so this row is left out.",
                number,
                "value",
                error=False,
            )
            return None
        value = None
        if _NUMBER.match(text):
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
        if value is None or not value.is_finite():
            self.problem(
                f"The value '{text}' is not a number. Give a plain number such as 7.6 or 64.5, "
                "or leave it blank when no value was published.",
                number,
                "value",
                error=True,
            )
            return None
        return value
