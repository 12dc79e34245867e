"""Read a council's hand-made delivery-plan workbook (or CSV) into plain records and problems.

Pure: no Django, no database; the import service maps :class:`RawAction` onto the model. Run
:func:`caring.workbooks.safety.check_workbook` on an upload first. Nothing is guessed silently:
every problem is a :class:`Problem` naming the sheet, row and column, in plain words.

- The header row is the row in a sheet's first 30 naming the most known columns (at least a
  ref or action column and one more; see ``headers``). The sheet read is the first whose
  header row has an action column, else the first with a header row at all; other sheets (a
  key, recommendations) are ignored.
- Below the header: a row whose only text is a heading ("Theme 2: Young Carers") sets the theme
  for the rows under it; rows with no ref and no action are skipped; the table ends at two
  blank rows in a row or at a row starting "Key", "Notes" or "Total".
- A cell merged down several rows counts for each of them (except in the ref and action
  columns). Hidden rows and columns are read like any other.
- Columns we do not recognise are kept, as ``notes``; so is the text of a RAG, status or
  outcome cell that could not be fully read.
- Formula cells give the value Excel saved with the file (a formula never calculated, as in a
  file written by a program, reads as blank); an error value (``#REF!``) is an error on rows
  read as actions (template rows copied down with no action in them are not reported).
- A number in a date column between 32874 and 73050 is an Excel date serial (1990 to 2099).
"""

from __future__ import annotations

import csv
import logging
from typing import BinaryIO

from caring.workbooks import cells as c
from caring.workbooks.headers import (
    EXPECTED_HEADERS,
    FIELDS,
    HEADER_SEARCH_ROWS,
    header_field,
    header_score,
    normalise,
)
from caring.workbooks.records import Problem, RawAction, ReadResult
from caring.workbooks.sheet_reader import NOTES_WARNING, SheetReader, texts_of

__all__ = [
    "FIELDS", "INTERNAL_FAULT", "NOTES_WARNING", "Problem", "RawAction", "ReadResult",
    "read_workbook",
]  # fmt: skip
logger = logging.getLogger(__name__)
INTERNAL_FAULT = (
    "The file could not be read because of a fault in Caring Together, not in your file. "
    "Please tell the support team."
)


def read_workbook(
    source: BinaryIO | bytes,
    *,
    filename: str,
    mapping: dict[str, str] | None = None,
    max_rows: int = 20000,
) -> ReadResult:
    """Read the action table from an .xlsx workbook or (``filename`` ending .csv) a CSV file.

    ``mapping`` overrides the columns found: field -> header text or column letter ("" for
    none). Never raises for anything in the file: what is wrong is in ``problems``.
    """
    try:
        return _read(source, filename, dict(mapping or {}), max_rows)
    except Exception:
        logger.exception("Reading workbook %r failed", filename)
        return ReadResult("", 0, {}, [], [Problem("", None, None, None, INTERNAL_FAULT, "error")])


def _failed(message: str, sheet: str = "") -> ReadResult:
    return ReadResult(sheet, 0, {}, [], [Problem(sheet, None, None, None, message, "error")])


def _read(source, filename: str, mapping: dict[str, str], max_rows: int) -> ReadResult:
    unknown = [name for name in mapping if name not in FIELDS]
    if unknown:
        return _failed(
            f"The column choice for '{unknown[0]}' is not for a field we read; "
            f"the fields are: {', '.join(FIELDS)}."
        )
    data = bytes(source) if isinstance(source, bytes | bytearray | memoryview) else source.read()
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data or b"")
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if base.lower().endswith(".csv"):
        try:
            grids = [c.csv_grid(data, base)]
        except csv.Error as exc:
            return _failed(f"The CSV file could not be read ({exc}). Save it again as CSV UTF-8.")
    else:
        try:
            grids = c.xlsx_grids(data)
        except Exception:
            return _failed(
                "The file could not be opened as an Excel workbook (.xlsx). Open it in Excel, "
                'save it as "Excel Workbook (.xlsx)" and upload it again.'
            )
    extra = {normalise(v): k for k, v in mapping.items() if v and normalise(v)}
    found = [(grid, header) for grid in grids if (header := _find_header(grid, extra))]
    if found:  # the first sheet with an action column, else the first with a header row
        grid, (row, texts, _) = next((f for f in found if f[1][2]), found[0])
        return SheetReader(grid, row, texts, mapping, max_rows).read()
    names = ", ".join(f"'{g.name}'" for g in grids)
    return _failed(
        f"No table of actions was found (sheets looked at: {names or 'none'}). We look in the "
        f"first {HEADER_SEARCH_ROWS} rows of each sheet for a header row naming columns such "
        f"as {EXPECTED_HEADERS}."
    )


def _find_header(grid: c.Grid, extra) -> tuple[int, dict[int, str], bool] | None:
    """(header row, its texts, whether it has an action column), or None."""
    best = (0, 0, {})
    for number, cells in grid.rows(1):
        if number > HEADER_SEARCH_ROWS:
            break
        texts = {n: t for n, t in texts_of(cells).items() if t}
        score = header_score(texts, extra)
        if score > best[0]:
            best = (score, number, texts)
    if not best[0]:
        return None
    titled = any((header_field(t, extra) or ("",))[0] == "title" for t in best[2].values())
    return best[1], best[2], titled
