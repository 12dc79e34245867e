"""An uploaded spreadsheet (.xlsx or CSV) opened as grids of cells, or refused with the reason
in plain words: what every reader of councils' files shares (pure: no Django)."""

from __future__ import annotations

import re

from caring.workbooks import cells as c
from caring.workbooks.safety import WorkbookRefused, check_workbook


class UploadRefused(Exception):
    """The upload is not a spreadsheet we can open; the message says why and what to do."""


def upload_grids(data: bytes, filename: str) -> list:
    """Every sheet of the upload as a grid (a CSV is one sheet named after the file)."""
    data = bytes(data or b"")
    try:
        kind = check_workbook(data, filename=filename)
    except WorkbookRefused as refused:
        raise UploadRefused(str(refused)) from None
    base = re.split(r"[/\\]", filename or "")[-1] or "CSV"
    try:
        return c.xlsx_grids(data) if kind == "xlsx" else [c.csv_grid(data, base)]
    except Exception:
        if kind == "csv":
            raise UploadRefused(
                "The CSV file could not be read. Save it again as CSV UTF-8."
            ) from None
        raise UploadRefused(
            "The file could not be opened as an Excel workbook (.xlsx). Open it in Excel, "
            'save it as "Excel Workbook (.xlsx)" and upload it again.'
        ) from None
