"""Read one sheet's action table, below its header row, into records and problems.

Used by ``reader`` (see its docstring for the rules); pure, like it.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from caring.plans.dates import CouncilDate, DateKind, parse_council_date
from caring.workbooks import cells as c
from caring.workbooks.headers import FIELDS, header_field, resolve_columns
from caring.workbooks.records import Problem, RawAction, ReadResult

_LABELS = {"commenced": "start date", "due": "timescale"}
NOTES_WARNING = "These columns were not recognised"
AFTER_GAP_ROWS = 500  # how far below a gap we look for actions left out
MAX_OUTCOME = 999  # outcome numbers are small whole numbers


def texts_of(cells: list[c.Cell]) -> dict[int, str]:
    return {n: c.one_line(cell.value) for n, cell in enumerate(cells, 1) if not cell.error}


def _present(cell: c.Cell) -> bool:
    return cell.error or bool(c.cell_text(cell.value))


class SheetReader:
    def __init__(self, grid: c.Grid, header_row: int, texts, overrides, max_rows: int) -> None:
        self.grid, self.sheet, self.header_row = grid, grid.name, header_row
        self.max_rows = max(int(max_rows), 0)
        self.start = header_row + 1
        if header_row in grid.joined:  # a two-row header: "Dates" over "Start" and "Due"
            below = next(grid.rows(self.start), (0, []))[1]
            for column, text in texts_of(below).items():
                if text and (not texts.get(column) or header_field(texts[column]) is None):
                    texts[column] = text
            self.start += 1
        self.texts = texts
        self.columns = resolve_columns(texts, overrides, letter=get_column_letter)
        self.fields = self.columns.fields
        self.unheaded: set[int] = set()  # columns with no header text but something below it
        self.problems: list[Problem] = []
        self.actions: list[RawAction] = []

    def problem(self, message: str, row: int | None, name: str | None = None, *,
                column: int | None = None, error: bool = False) -> None:  # fmt: skip
        """Record a problem; its column is the field's column unless ``column`` is given."""
        column = column or (self.fields.get(name) if name else None)
        letter = get_column_letter(column) if column else None
        severity = "error" if error else "warning"
        self.problems.append(Problem(self.sheet, row, letter, name, message, severity))

    def read(self) -> ReadResult:
        for message in self.columns.errors:
            self.problem(message, self.header_row, error=True)
        self._missing_columns()
        theme, blanks, seen, counted, stop = None, 0, False, 0, None
        for number, cells in self.grid.rows(self.start):
            present = [(n, cell) for n, cell in enumerate(cells, 1) if _present(cell)]
            if not present:
                blanks += 1
                if seen and blanks >= 2:
                    stop = number
                    break
                continue
            blanks, seen = 0, True
            first = present[0][1]
            if isinstance(first.value, str) and not first.error and c.is_stop_row(first.value):
                break
            if len(present) == 1 and self._heading(number, *present[0]):
                theme = c.one_line(present[0][1].value)
                continue
            counted += 1
            if counted <= self.max_rows:
                self._row(number, cells, theme)
        if counted > self.max_rows:
            self.problem(
                f"The sheet '{self.sheet}' has {counted:,} rows; the most we read is "
                f"{self.max_rows:,}. Split the plan into smaller files.",
                None,
                error=True,
            )
        if stop:
            self._after_gap(stop)
        self._duplicates()
        self._notes_warning()
        self.problems.sort(key=lambda p: (p.row or 0, len(p.column or ""), p.column or ""))
        mapping = {
            name: get_column_letter(self.fields[name]) for name in FIELDS if name in self.fields
        }
        headers = {get_column_letter(n): text for n, text in sorted(self.texts.items()) if text}
        return ReadResult(
            self.sheet, self.header_row, mapping, self.actions, self.problems, headers
        )

    def _heading(self, number: int, column: int, cell: c.Cell) -> bool:
        if not isinstance(cell.value, str) or cell.error:
            return False
        leading = column in (1, self.fields.get("ref"), self.fields.get("theme"))
        wide = (number, column) in self.grid.wide
        return c.is_section_text(cell.value, wide=wide, leading=leading)

    def _missing_columns(self) -> None:
        row = self.header_row
        if "ref" not in self.fields:
            self.problem(
                "There is no Ref column, and each action needs a ref so updates can be matched "
                "to it. Add a Ref column (or choose which column holds the refs).",
                row,
                error=True,
            )
        if "title" not in self.fields:
            self.problem(
                "There is no Action column, so no action has a title. Add an Action column (or "
                "choose which column holds the actions).",
                row,
                error=True,
            )
        if "due" not in self.fields:
            self.problem(
                "There is no timescale column (such as Timescale, Target date or Due date), so "
                "no action has a due date.",
                row,
            )
        if "lead" not in self.fields and "organisations" not in self.fields:
            self.problem("There is no Lead or Organisation column, so no action has an owner.", row)

    def _notes_warning(self) -> None:
        named = [(col, f"'{name}'") for col, name in self.columns.notes.items()]
        unnamed = [(col, "with no heading") for col in self.unheaded]
        if named or unnamed:
            listed = ", ".join(
                f"{name} (column {get_column_letter(col)})" for col, name in sorted(named + unnamed)
            )
            self.problem(
                f"{NOTES_WARNING}, so what they hold is kept as notes on each action: {listed}.",
                self.header_row,
            )

    def _value(self, number: int, cells: list[c.Cell], name: str) -> c.Cell:
        column = self.fields.get(name)
        if column is None or column > len(cells):
            return c.Cell(None)
        cell = cells[column - 1]
        if cell.value is None and name not in ("ref", "title"):
            top = self.grid.down.get((number, column))
            if top is not None:
                cell = next(self.grid.rows(top))[1][column - 1]
        return c.Cell(None, True, cell.source) if cell.error else cell

    def _row(self, number: int, cells: list[c.Cell], theme: str | None) -> None:
        got = {name: self._value(number, cells, name) for name in FIELDS}
        ref, title = c.one_line(got["ref"].value), c.one_line(got["title"].value)
        has_ref, has_title = ref or got["ref"].error, title or got["title"].error
        if not has_ref and not has_title:
            return
        by_column = {col: name for name, col in self.fields.items()}
        for column, cell in enumerate(cells, 1):
            if cell.error:
                self.problem(
                    f"Cell {get_column_letter(column)}{number} shows the formula error "
                    f"{c.one_line(cell.value) or 'an error'}. Correct the formula (or type the "
                    "value in) and upload the file again.",
                    number,
                    by_column.get(column),
                    column=column,
                    error=True,
                )
        if not has_ref and "ref" in self.fields:  # a missing column is reported once
            self.problem(
                "This action has no ref. Give every action a ref so updates can be matched to it.",
                number,
                "ref",
                error=True,
            )
        if not has_title and "title" in self.fields:
            message = f"The action with ref '{ref}' has no title: fill in the Action column."
            self.problem(message, number, "title", error=True)
        notes = self._notes(cells)
        dates = {name: self._date(number, got, name) for name in ("commenced", "due")}
        rag, source, status = self._rag_and_status(number, got, notes)
        outcomes = self._outcomes(number, got, notes)
        lead = c.one_line(got["lead"].value)
        organisations = c.split_organisations(c.cell_text(got["organisations"].value))
        if self._owner_missing(got, lead, organisations):
            column = self.fields.get("lead") or self.fields.get("organisations")
            message = "No lead officer or organisation is named for this action."
            self.problem(message, number, "lead", column=column)
        if "due" in self.fields and dates["due"].kind is DateKind.BLANK and not got["due"].error:
            self.problem("No timescale is given for this action.", number, "due")
        self.actions.append(
            RawAction(
                sheet=self.sheet,
                row=number,
                ref=ref,
                title=title,
                description=c.cell_text(got["description"].value),
                theme=c.one_line(got["theme"].value) or theme,
                lead=lead,
                organisations=organisations,
                commenced=dates["commenced"],
                due=dates["due"],
                rag=rag,
                rag_source=source,
                status=status,
                evidence=c.cell_text(got["evidence"].value),
                progress=c.cell_text(got["progress"].value),
                outcomes=outcomes,
                notes=notes,
                organisations_text=c.cell_text(got["organisations"].value),
            )
        )

    def _notes(self, cells: list[c.Cell]) -> dict[str, str]:
        notes = {}
        for column, cell in enumerate(cells, 1):
            if not _present(cell) or column in self.fields.values():
                continue
            name = self.columns.notes.get(column)
            if name is None:
                self.unheaded.add(column)
                name = f"Column {get_column_letter(column)}"
            notes[name] = c.cell_text(cell.value)
        return notes

    def _owner_missing(self, got, lead: str, organisations: list[str]) -> bool:
        if not ({"lead", "organisations"} & set(self.fields)):
            return False  # reported once for the sheet
        if got["lead"].error or got["organisations"].error:
            return False
        return c.words(lead) in c.PLACEHOLDERS and not organisations

    def _date(self, number: int, got, name: str) -> CouncilDate:
        read = parse_council_date(c.date_value(got[name].value))
        if read.is_unparsed:
            label = _LABELS[name]
            message = f"The {label} '{read.text}' could not be read as a date; kept as written."
            self.problem(message, number, name)
        return read

    def _rag_and_status(self, number: int, got, notes: dict[str, str]):
        rag = source = status = None
        text = c.cell_text(got["rag"].value)
        if "rag" in self.fields:
            rag, understood = c.read_rag(text)
            if rag:
                source = "text"
            elif not understood or not text:
                rag, source = self._fill(number, got["rag"])
            as_status = c.read_status(text, rag_words=False)
            if not understood and ("status" in self.fields or as_status is None):
                self._unread(number, "rag", text, notes, "a RAG rating (R, A, G or B)")
        if "status" in self.fields:
            status_text = c.cell_text(got["status"].value)
            status = c.read_status(status_text)
            if status is None and status_text:
                what = "a status (Not started, In progress, Complete, On hold or Cancelled)"
                self._unread(number, "status", status_text, notes, what)
        elif text:
            status = c.read_status(text, rag_words=False)
        return rag, source, status

    def _fill(self, number: int, cell: c.Cell) -> tuple[str | None, str | None]:
        colour = c.solid_colour(cell)
        if colour is None:
            return None, None
        rgb = c.colour_rgb(colour, self.grid.palette)
        if rgb == c.UNREADABLE:
            self.problem(
                "The colour of this RAG cell could not be read, so it has no RAG rating. Type "
                "R, A, G or B in the cell instead.",
                number,
                "rag",
            )
            return None, None
        rag = c.rag_from_rgb(rgb)
        return rag, "fill" if rag else None

    def _unread(self, number: int, name: str, text: str, notes, what: str) -> None:
        notes[self.texts.get(self.fields[name]) or name] = text
        self.problem(f"'{text}' could not be read as {what}; it is kept as a note.", number, name)

    def _outcomes(self, number: int, got, notes: dict[str, str]) -> list[str]:
        text = c.cell_text(got["outcomes"].value)
        if not text:
            return []
        outcomes, understood = c.read_outcomes(got["outcomes"].value)
        odd = [n for n in outcomes if not (n.isdigit() and 0 < int(n) <= MAX_OUTCOME)]
        if odd:  # "2.1" or "40000": not one of the strategy's numbered outcomes
            outcomes = [n for n in outcomes if n not in odd]
            understood = False
            self.problem(
                f"'{odd[0]}' is not an outcome number (outcomes are numbered 1, 2, 3...); the "
                "text is kept as a note.",
                number,
                "outcomes",
            )
        if not understood:
            notes[self.texts.get(self.fields["outcomes"]) or "outcomes"] = text
        if not outcomes and not odd:
            message = f"No outcome number was found in '{text}'; it is kept as a note."
            self.problem(message, number, "outcomes")
        return outcomes

    def _after_gap(self, stop: int) -> None:
        """Warn when something like an action comes soon after the blank rows ending the table."""
        ref_col, title_col = self.fields.get("ref"), self.fields.get("title")
        if not ref_col or not title_col:
            return
        for number, cells in self.grid.rows(stop + 1):
            if number > stop + AFTER_GAP_ROWS:
                return
            width = len(cells)
            ref = c.one_line(cells[ref_col - 1].value) if ref_col <= width else ""
            title = c.one_line(cells[title_col - 1].value) if title_col <= width else ""
            if ref and title and c.REF_LIKE.fullmatch(ref):
                self.problem(
                    f"Row {number} and any rows below it were not read, because two blank rows "
                    f"above it (from row {stop - 1}) end the table. If they are actions, delete "
                    "the blank rows and upload the file again.",
                    number,
                )
                return

    def _duplicates(self) -> None:
        rows: dict[str, list[RawAction]] = {}
        for action in self.actions:
            if action.ref:
                rows.setdefault(action.ref.casefold(), []).append(action)
        for same in rows.values():
            if len(same) > 1:
                numbers = [a.row for a in same]
                listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
                self.problem(
                    f"The ref '{same[0].ref}' is used on more than one row (rows {listed}). "
                    "Each action needs its own ref.",
                    numbers[1],
                    "ref",
                    error=True,
                )
