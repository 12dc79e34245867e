"""Read a scrutiny recommendations tracker (an .xlsx workbook or a CSV file) into plain records.

Pure: no Django, no database. Never raises for anything in the file: every problem is a
:class:`~caring.workbooks.records.Problem` naming the sheet, row and column (severity "error"
refuses the import, "warning" does not). Safety checks, cells and headers are the workbook
reader's own (``caring.workbooks``); only the tracker's columns and words are defined here.

- The upload is first checked by :func:`caring.workbooks.safety.check_workbook`; a refusal is
  the one problem.
- The header row is the row, in the first 20 rows of a sheet, naming the most tracker columns
  (at least two). The sheet read is the first whose header row has every required column
  (Reference, Origin committee, Date agreed, Recommendation), else the first with a header row
  at all. Header text is compared after :func:`caring.workbooks.headers.normalise`, and also
  without any bracketed part ("Lead officer(s)"). When two columns name one field, the more
  specific name wins ("Action taken" over "Progress"), then the one further left.
- Every row below the header is a recommendation, except rows with nothing in any column we
  read (those are skipped). A value merged down several rows counts for each of them, except
  in the Reference and Recommendation columns.
- Dates (date agreed, executive date) must be a day: an Excel date, "30/11/2017",
  "30 November 2017" or "2017-11-30" (day first, never swapped). "Nov 2017" or "TBC" is not.
- Formula cells give the value Excel saved; a CSV cell starting "=" is just text. A cell showing
  an Excel error (#REF!) in a column we read is an error.
- ``rows`` holds every recommendation read, even those with problems: import only when ``ok``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import get_column_letter

from caring.governance.limits import REF_LENGTH
from caring.plans.dates import DateKind, parse_council_date
from caring.workbooks import cells as c
from caring.workbooks.headers import normalise
from caring.workbooks.records import Problem
from caring.workbooks.uploads import UploadRefused, upload_grids

__all__ = [
    "FIELDS", "HEADER_SEARCH_ROWS", "INTERNAL_FAULT", "REQUIRED", "RESPONSES", "STATUSES",
    "Problem", "TrackerRead", "TrackerRow", "read_response", "read_tracker", "read_tracker_status",
]  # fmt: skip
logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20
STATUSES = ("not_started", "in_progress", "complete", "on_hold", "cancelled")
RESPONSES = ("accepted", "partly_accepted", "not_accepted")
INTERNAL_FAULT = (
    "The tracker could not be read because of a fault in Caring Together, not in your file. "
    "Please tell the support team."
)

# Field (a TrackerRow attribute) -> the column's name in messages.
LABELS = {
    "reference": "Reference",
    "committee": "Origin committee",
    "agreed": "Date agreed",
    "text": "Recommendation",
    "executive_date": "Executive date",
    "lead": "Lead officer",
    "action_taken": "Action taken",
    "status": "Status",
    "response": "Response",
    "due_text": "Due",
    "rag": "RAG",
}
FIELDS = tuple(LABELS)
REQUIRED = ("reference", "committee", "agreed", "text")

# Field -> header names (normalised), most specific first.
ALIASES: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "ref", "ref no", "reference no", "rec no", "rec ref",
                  "recommendation no", "recommendation number", "recommendation ref"),
    "committee": ("origin committee", "originating committee", "committee of origin",
                  "committee", "origin"),
    "agreed": ("date agreed", "meeting date", "date of meeting", "agreed", "date"),
    "text": ("recommendation", "recommendations", "recommendation text"),
    "executive_date": ("executive date", "cabinet date", "executive response date",
                       "cabinet response date", "executive meeting date", "date of executive"),
    "lead": ("lead officer", "lead officers", "responsible officer", "lead"),
    "action_taken": ("action taken", "actions taken", "progress", "progress update", "update",
                     "latest update"),
    "status": ("status",),
    "response": ("executive response", "cabinet response", "response", "accepted"),
    "due_text": ("due", "due date", "timescale", "timescales", "target date"),
    "rag": ("rag", "rag status", "rag rating"),
}  # fmt: skip
_KNOWN = {name: (key, rank) for key, names in ALIASES.items() for rank, name in enumerate(names)}

# Tracker words read_status does not know; everything else is read as in an action plan.
_STATUS_EXTRA = {
    "implemented": "complete", "fully implemented": "complete",
    "partially implemented": "in_progress", "partly implemented": "in_progress",
    "open": "not_started",
    "rejected": "cancelled",
    # The words this product's own tracker download uses, so a download can be imported.
    "signed off": "complete", "closed": "complete",
    "complete awaiting sign off": "complete", "complete, awaiting sign-off": "complete",
    "not accepted": "cancelled",
}  # fmt: skip
_RESPONSE_WORDS = {
    "accepted": "accepted", "agreed": "accepted", "yes": "accepted", "y": "accepted",
    "partially accepted": "partly_accepted", "partly accepted": "partly_accepted",
    "accepted in part": "partly_accepted", "partially": "partly_accepted",
    "partly": "partly_accepted", "partially agreed": "partly_accepted",
    "partly agreed": "partly_accepted", "agreed in part": "partly_accepted",
    "not accepted": "not_accepted", "rejected": "not_accepted", "no": "not_accepted",
    "n": "not_accepted", "not agreed": "not_accepted", "declined": "not_accepted",
}  # fmt: skip
_NO_RESPONSE = frozenset({"", "awaited", "awaiting", "awaiting response", "pending", "tbc"})
_MERGED_DOWN = frozenset(FIELDS) - {"reference", "text"}


@dataclass(frozen=True)
class TrackerRow:
    row: int  # spreadsheet row number (1-based, as Excel shows)
    reference: str
    committee: str  # origin committee name as written
    agreed: date | None  # date agreed (the meeting date)
    text: str  # the recommendation
    executive_date: date | None
    lead: str  # lead officer, as a role
    action_taken: str
    status: str  # one of STATUSES, or "" when blank
    status_text: str  # as written
    response: str  # one of RESPONSES, or "" (blank: awaited)
    due_text: str
    rag: str | None  # red/amber/green/blue or None


@dataclass
class TrackerRead:
    rows: list[TrackerRow]
    problems: list[Problem]
    sheet: str  # "" when no sheet was read
    header_row: int = 0  # 0 when no header row was found
    columns: dict[str, str] = field(default_factory=dict)  # field -> column letter

    @property
    def ok(self) -> bool:
        """No blocking problems (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


def read_tracker_status(text: str) -> str | None:
    """A tracker status, "" when blank, or None when it can't be read ("On track" can't)."""
    key = c.words(text)
    if not key:
        return ""
    return _STATUS_EXTRA.get(key) or c.read_status(text, rag_words=False)


def read_response(text: str) -> str | None:
    """One of RESPONSES, "" when blank or awaited, or None when it can't be read."""
    key = c.words(text)
    if key in _NO_RESPONSE:
        return ""
    return _RESPONSE_WORDS.get(key)


def read_tracker(data: bytes, *, filename: str, max_rows: int = 5000) -> TrackerRead:
    """Read the recommendations in a tracker upload. Never raises for anything in the file."""
    try:
        return _read(data, filename, max_rows)
    except Exception:
        logger.exception("Reading tracker %r failed", filename)
        return _failed(INTERNAL_FAULT)


def _failed(message: str, sheet: str = "", row: int | None = None) -> TrackerRead:
    problem = Problem(sheet, row, None, None, message, "error")
    return TrackerRead([], [problem], sheet, row or 0)


def _read(data: bytes, filename: str, max_rows: int) -> TrackerRead:
    try:
        grids = upload_grids(data, filename)
    except UploadRefused as refused:
        return _failed(str(refused))
    found = [(grid, header) for grid in grids if (header := _find_header(grid))]
    if not found:
        names = ", ".join(f"'{grid.name}'" for grid in grids) or "none"
        return _failed(
            f"No header row was found in the first {HEADER_SEARCH_ROWS} rows of any sheet "
            f"(sheets looked at: {names}). We look for a row naming columns such as Reference, "
            "Origin committee, Date agreed, Recommendation and Status."
        )
    complete = [f for f in found if set(REQUIRED) <= set(f[1][1])]
    grid, (header_row, columns) = (complete or found)[0]
    return _TrackerSheet(grid, header_row, columns, max(int(max_rows), 0)).read()


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


class _TrackerSheet:
    def __init__(self, grid: c.Grid, header_row: int, columns: dict[str, int], max_rows: int):
        self.grid, self.sheet, self.header_row = grid, grid.name, header_row
        self.columns, self.max_rows = columns, max_rows
        self.problems: list[Problem] = []
        self.rows: list[TrackerRow] = []
        self.first_seen: dict[str, int] = {}  # reference (casefolded) -> row
        self.tops: dict[int, list[c.Cell]] = {}  # rows holding values merged down

    def problem(self, message: str, row: int | None, name: str | None, *, error: bool) -> None:
        column = self.columns.get(name) if name else None
        letter = get_column_letter(column) if column else None
        severity = "error" if error else "warning"
        self.problems.append(Problem(self.sheet, row, letter, name, message, severity))

    def read(self) -> TrackerRead:
        missing = [LABELS[name] for name in REQUIRED if name not in self.columns]
        if missing:
            listed = ", ".join(missing[:-1]) + " or " + missing[-1] if missing[1:] else missing[0]
            self.problem(
                f"The header row (row {self.header_row}) has no {listed} column. A tracker "
                "needs Reference, Origin committee, Date agreed and Recommendation columns: "
                "add or rename them, then upload the file again.",
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
                    f"The sheet '{self.sheet}' has more than {self.max_rows:,} recommendations, "
                    "the most we read from one file. Split the tracker into smaller files.",
                    None,
                    None,
                    error=True,
                )
                break
            if not missing:
                self._row(number, got)
        if not counted and not missing:
            self.problem(
                f"There are no recommendations below the header row (row {self.header_row}).",
                self.header_row,
                None,
                error=True,
            )
        self.problems.sort(key=lambda p: p.row or 0)
        letters = {name: get_column_letter(col) for name, col in self.columns.items()}
        return TrackerRead(self.rows, self.problems, self.sheet, self.header_row, letters)

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
                    f"The {LABELS[name]} cell shows the Excel error "
                    f"{c.one_line(cell.value) or '(an error)'}. Correct the formula (or type the "
                    "value in) and upload the file again.",
                    number,
                    name,
                    error=True,
                )
        reference = c.one_line(value("reference"))
        self._reference(number, reference, got["reference"].error)
        text = c.cell_text(value("text"))
        if not text and not got["text"].error:
            which = f"Recommendation '{reference}'" if reference else "This recommendation"
            message = f"{which} has no text: fill in the Recommendation column."
            self.problem(message, number, "text", error=True)
        committee = c.one_line(value("committee"))
        if not committee and not got["committee"].error:
            message = "No origin committee is given for this recommendation."
            self.problem(message, number, "committee", error=False)
        agreed = self._date(number, got, "agreed")
        executive = self._date(number, got, "executive_date")
        if agreed and executive and executive < agreed:
            self.problem(
                f"The executive date ({_day(executive)}) is before the date agreed "
                f"({_day(agreed)}): the executive responds after the committee agrees a "
                "recommendation. Check both dates.",
                number,
                "executive_date",
                error=True,
            )
        status_text = c.one_line(value("status"))
        status = read_tracker_status(status_text)
        if status is None:
            self.problem(
                f"The status '{status_text}' could not be read. Use Not started, In progress, "
                "Complete, On hold or Cancelled.",
                number,
                "status",
                error=True,
            )
        response_text = c.one_line(value("response"))
        response = read_response(response_text)
        if response is None:
            self.problem(
                f"The response '{response_text}' could not be read. Use Accepted, Partly "
                "accepted or Not accepted, or leave it blank while the response is awaited.",
                number,
                "response",
                error=True,
            )
        rag_text = c.one_line(value("rag"))
        rag, understood = c.read_rag(rag_text)
        if not understood:
            self.problem(
                f"The RAG rating '{rag_text}' could not be read, so this recommendation has no "
                "RAG rating. Use Red, Amber, Green or Blue.",
                number,
                "rag",
                error=False,
            )
        self.rows.append(
            TrackerRow(
                row=number,
                reference=reference,
                committee=committee,
                agreed=agreed,
                text=text,
                executive_date=executive,
                lead=c.one_line(value("lead")),
                action_taken=c.cell_text(value("action_taken")),
                status=status or "",
                status_text=status_text,
                response=response or "",
                due_text=c.one_line(value("due_text")),
                rag=rag,
            )
        )

    def _reference(self, number: int, reference: str, error: bool) -> None:
        if error:
            return
        if not reference:
            self.problem(
                "This recommendation has no reference. Give every recommendation its own "
                "reference so updates can be matched to it.",
                number,
                "reference",
                error=True,
            )
            return
        if len(reference) > REF_LENGTH:
            self.problem(
                f"The reference '{reference}' is {len(reference)} characters long; a reference "
                f"can be at most {REF_LENGTH}.",
                number,
                "reference",
                error=True,
            )
            return
        key = reference.casefold()
        if key in self.first_seen:
            self.problem(
                f"The reference '{reference}' is already used on row {self.first_seen[key]}. "
                "Each recommendation needs its own reference.",
                number,
                "reference",
                error=True,
            )
        else:
            self.first_seen[key] = number

    def _date(self, number: int, got: dict[str, c.Cell], name: str) -> date | None:
        cell = got.get(name)
        if cell is None or cell.error:
            return None
        read = parse_council_date(c.date_value(cell.value))
        if read.kind is DateKind.EXACT:
            return read.first
        if read.kind is DateKind.BLANK:
            if name == "agreed":
                self.problem(
                    "No date agreed is given. Give the date the committee agreed the "
                    "recommendation, such as 30/11/2017.",
                    number,
                    name,
                    error=True,
                )
            return None
        self.problem(
            f"The {LABELS[name].lower()} '{read.text}' is not a date. Give the day, month and "
            "year, such as 30/11/2017 or 30 November 2017.",
            number,
            name,
            error=True,
        )
        return None


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
