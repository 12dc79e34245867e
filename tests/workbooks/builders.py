"""Build councils' hand-made workbooks (and CSV files) in tests, with openpyxl.

openpyxl cannot calculate formulas, so a workbook it saves has formulas with no saved value
(a reader using data_only sees None). :func:`with_cached_values` writes the values Excel would
have saved into the file's XML, so the reader's use of cached values can be tested for real.
Formula errors are written as the error text ("#REF!"), which openpyxl stores as an error cell
(data type "e"), as Excel does for a formula whose cached value is an error.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color


def new_sheet(rows: Iterable[Iterable[object]] = (), *, title: str = "Action Plan", book=None):
    """A sheet (in a new workbook unless ``book`` is given) holding ``rows`` from row 1."""
    if book is None:
        book = Workbook()
        sheet = book.active
        sheet.title = title
    else:
        sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(list(row))
    return sheet


def save(book_or_sheet) -> bytes:
    book = getattr(book_or_sheet, "parent", book_or_sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx(rows: Iterable[Iterable[object]], *, title: str = "Action Plan") -> bytes:
    return save(new_sheet(rows, title=title))


def solid(colour: str | Color) -> PatternFill:
    """A solid fill: ``colour`` is hex RGB ("FF0000") or an openpyxl Color (theme, indexed)."""
    return PatternFill(fill_type="solid", fgColor=colour)


def csv_bytes(rows: Iterable[Iterable[object]], *, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def with_cached_values(data: bytes, values: dict[str, object], *, sheet: int = 1) -> bytes:
    """Give formula cells (by reference, e.g. "B5") the value Excel would have saved."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    part = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == part:
                text = content.decode("utf-8")
                for ref, value in values.items():
                    kind = ' t="str"' if isinstance(value, str) else ""
                    # openpyxl writes an empty <v/>, or <v></v> when lxml is installed
                    pattern = rf'(<c r="{ref}"[^>]*?)>(<f>.*?</f>)<v\s*(?:/>|></v>)'
                    text, count = re.subn(pattern, rf"\1{kind}>\2<v>{escape(str(value))}</v>", text)
                    assert count == 1, f"no formula cell {ref} to give a value"
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()
