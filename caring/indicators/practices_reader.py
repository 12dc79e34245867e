"""Read the NHS ODS GP practice file (epraccur) into plain records.

Pure: no Django, no database. Never raises for anything in the file: every problem is a
:class:`~caring.workbooks.records.Problem` naming the row and column (severity "error" refuses
the import, "warning" does not).

The file is CSV with no header row and 27 fields a row. Fields by position (1-based, as in the
ODS specification; the column letter in a spreadsheet in brackets):

    1 (A) organisation code          2 (B) name               3 (C) national grouping
    4 (D) high level health geography                         5-9 (E-I) address lines 1-5
    10 (J) postcode                  11 (K) open date         12 (L) close date
    13 (M) status code: A active, C closed, D dormant, P proposed
    14 (N) organisation sub-type code                         15 (O) commissioner
    16 (P) join provider/purchaser date                       17 (Q) left provider/purchaser date
    18 (R) contact telephone number  19-21 (S-U) null         22 (V) amended record indicator
    23 (W) null                      24 (X) provider/purchaser 25 (Y) null
    26 (Z) prescribing setting (4 = GP practice)              27 (AA) null

The commissioner is field 15 (the sub-ICB location, e.g. 03L for NHS Rotherham). Field 24, the
provider/purchaser, is the commissioner for GP practices, but for other prescribing settings it
can be an NHS trust (RFR, RXE in Rotherham's rows), so it is kept separately.

- Dates are YYYYMMDD ("19740401"); a blank close date means still open.
- Organisation codes must be a letter and five digits ("C87002"); each appears once.
- A file in which no row has 27 fields is refused with one problem.
- A first row that looks like a header ("Organisation Code", "Code", ...) is skipped with a
  warning: the file as NHS ODS publishes it has none. Blank lines are skipped.
- ``rows`` holds only rows read without any problem; import only when ``ok``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from caring.indicators.benchmark_reader import (
    INTERNAL_FAULT,
    NotCsv,
    column_letter,
    csv_records,
)
from caring.workbooks.records import Problem

__all__ = [
    "FIELDS", "INTERNAL_FAULT", "PRACTICE_CODE", "STATUSES", "WIDTH", "PracticeRow",
    "PracticesRead", "Problem", "read_practices",
]  # fmt: skip
logger = logging.getLogger(__name__)

WIDTH = 27
PRACTICE_CODE = re.compile(r"^[A-Z]\d{5}$")
STATUSES = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}
GP_PRACTICE_SETTING = 4
# Field (a PracticeRow attribute) -> its 1-based position in the row.
FIELDS = {
    "code": 1,
    "name": 2,
    "postcode": 10,
    "opened": 11,
    "closed": 12,
    "status": 13,
    "commissioner": 15,
    "provider_purchaser": 24,
    "prescribing_setting": 26,
}
LABELS = {
    "code": "organisation code",
    "name": "name",
    "postcode": "postcode",
    "opened": "open date",
    "closed": "close date",
    "status": "status code",
    "commissioner": "commissioner",
    "provider_purchaser": "provider/purchaser",
    "prescribing_setting": "prescribing setting",
}
# Longest text each field may hold (the practice table's limits).
MAX_LENGTHS = {"name": 200, "postcode": 10, "commissioner": 10}
_HEADER_WORDS = ("organisation", "organization", "code", "practice")


@dataclass(frozen=True)
class PracticeRow:
    row: int  # row number in the file, as a spreadsheet shows it
    code: str  # "C87002"
    name: str
    postcode: str
    opened: date | None
    closed: date | None  # None while open
    status: str  # "A", "C", "D" or "P"
    prescribing_setting: int | None  # 4 = GP practice
    commissioner: str  # field 15, "03L"
    provider_purchaser: str = ""  # field 24: the commissioner, or a trust for other settings

    @property
    def is_active_gp_practice(self) -> bool:
        return self.status == "A" and self.prescribing_setting == GP_PRACTICE_SETTING


@dataclass
class PracticesRead:
    rows: list[PracticeRow]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """No blocking problems (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


def read_practices(data: bytes, filename: str) -> PracticesRead:
    """Read the practices in an epraccur upload. Never raises for anything in the file."""
    try:
        return _read(data, filename)
    except Exception:
        logger.exception("Reading GP practice file %r failed", filename)
        return _failed(INTERNAL_FAULT)


def _failed(message: str) -> PracticesRead:
    return PracticesRead([], [Problem("", None, None, None, message, "error")])


def _read(data: bytes, filename: str) -> PracticesRead:
    try:
        records = csv_records(data, filename)
    except NotCsv as refused:
        return _failed(str(refused))
    return _PracticeFile(records).read()


def _looks_like_header(record: list[str]) -> bool:
    first = record[0].strip().casefold() if record else ""
    return not PRACTICE_CODE.match(first.upper()) and any(w in first for w in _HEADER_WORDS)


class _PracticeFile:
    def __init__(self, records: list[list[str]]):
        self.records = records
        self.problems: list[Problem] = []
        self.rows: list[PracticeRow] = []
        self.first_seen: dict[str, int] = {}

    def problem(self, message: str, row: int | None, name: str | None, *, error: bool) -> None:
        letter = column_letter(FIELDS[name]) if name else None
        severity = "error" if error else "warning"
        self.problems.append(Problem("", row, letter, name, message, severity))

    def read(self) -> PracticesRead:
        numbered = [
            (number, record)
            for number, record in enumerate(self.records, 1)
            if any(cell.strip() for cell in record)
        ]
        if numbered and _looks_like_header(numbered[0][1]):
            number, record = numbered.pop(0)
            self.problem(
                f"Row {number} looks like a header row (it starts '{record[0].strip()[:60]}'), "
                "so it was skipped. The GP practice file from NHS ODS (epraccur) has no header "
                "row: check the columns are in the order NHS ODS gives them.",
                number,
                None,
                error=False,
            )
        if numbered and all(len(record) != WIDTH for _, record in numbered):
            number, record = numbered[0]
            self.problem(
                f"This is not the GP practice file (epraccur): none of its rows has the {WIDTH} "
                f"columns NHS ODS gives (row {number} has {len(record)}). Upload epraccur.csv "
                "as NHS ODS publishes it, unchanged.",
                None,
                None,
                error=True,
            )
            return PracticesRead([], self.problems)
        for number, record in numbered:
            self._row(number, record)
        if not numbered:
            self.problem("There are no practices in the file.", None, None, error=True)
        return PracticesRead(self.rows, self.problems)

    def _row(self, number: int, record: list[str]) -> None:
        if len(record) != WIDTH:
            self.problem(
                f"Row {number} has {len(record)} columns, but a row of the GP practice file "
                f"(epraccur) has {WIDTH}. Use the file as NHS ODS publishes it, unchanged.",
                number,
                None,
                error=True,
            )
            return
        before = len(self.problems)
        text = {name: " ".join(record[at - 1].split()) for name, at in FIELDS.items()}
        code = text["code"].upper()
        if not PRACTICE_CODE.match(code):
            given = f"'{text['code']}'" if text["code"] else "blank"
            self.problem(
                f"The organisation code is {given}; an ODS practice code is a letter and five "
                "digits, such as C87002.",
                number,
                "code",
                error=True,
            )
        elif code in self.first_seen:
            self.problem(
                f"The practice {code} is already on row {self.first_seen[code]}. Each practice "
                "can appear once.",
                number,
                "code",
                error=True,
            )
        else:
            self.first_seen[code] = number
        if not text["name"]:
            self.problem("The practice has no name.", number, "name", error=True)
        for name, longest in MAX_LENGTHS.items():
            if len(text[name]) > longest:
                self.problem(
                    f"The {LABELS[name]} is {len(text[name])} characters long; it can be at "
                    f"most {longest}.",
                    number,
                    name,
                    error=True,
                )
        opened = self._date(number, text, "opened")
        closed = self._date(number, text, "closed")
        if opened and closed and closed < opened:
            self.problem(
                f"The close date ({closed:%d/%m/%Y}) is before the open date ({opened:%d/%m/%Y}).",
                number,
                "closed",
                error=True,
            )
        status = text["status"].upper()
        if status not in STATUSES:
            given = f"'{text['status']}'" if text["status"] else "blank"
            self.problem(
                f"The status code is {given}; it should be A (active), C (closed), D (dormant) "
                "or P (proposed).",
                number,
                "status",
                error=True,
            )
        setting = None
        if text["prescribing_setting"]:
            if re.fullmatch(r"\d{1,3}", text["prescribing_setting"]):
                setting = int(text["prescribing_setting"])
            else:
                self.problem(
                    f"The prescribing setting '{text['prescribing_setting']}' is not a number "
                    "(4 means a GP practice).",
                    number,
                    "prescribing_setting",
                    error=True,
                )
        if len(self.problems) == before:
            self.rows.append(
                PracticeRow(
                    row=number,
                    code=code,
                    name=text["name"],
                    postcode=text["postcode"],
                    opened=opened,
                    closed=closed,
                    status=status,
                    prescribing_setting=setting,
                    commissioner=text["commissioner"],
                    provider_purchaser=text["provider_purchaser"],
                )
            )

    def _date(self, number: int, text: dict[str, str], name: str) -> date | None:
        given = text[name]
        if not given:
            return None
        if re.fullmatch(r"\d{8}", given):
            try:
                return date(int(given[:4]), int(given[4:6]), int(given[6:]))
            except ValueError:
                pass
        self.problem(
            f"The {LABELS[name]} '{given}' could not be read: NHS ODS gives dates as YYYYMMDD, "
            "such as 19740401 for 1 April 1974.",
            number,
            name,
            error=True,
        )
        return None
