"""Read the cells of a council's action plan: text, RAG, status, colours, organisations, outcomes.

Pure: no Django. Nothing here raises on odd input; what cannot be read is reported by the
caller, and the text as written is kept.

Organisations are split on "/", ",", ";", newlines, and also on " and ", "&" and "+" when every
piece then looks like an organisation's name on its own: at most four words, starting with a
capital letter or digit, and not a lone word that usually begins a longer name ("Children",
"Health", "Adult"...). So "ASC and Crossroads" is two organisations, but "Children and Young
People's Services" and "Health & Wellbeing Board" are one; an apostrophe never splits
("Barnardo's"). When in doubt a name is kept whole.
"""

from __future__ import annotations

import colorsys
import csv
import io
import math
import re
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils.datetime import from_excel

ERROR_CODES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
)
MAX_COLUMNS = 200
PLACEHOLDERS = frozenset({"", "-", "n a", "na", "none", "nil", "tbc", "tba", "tbd", "unknown"})


def cell_text(value: object) -> str:
    """A cell's value as text, ends stripped, line breaks kept."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def one_line(value: object) -> str:
    """Text with every run of spaces and line breaks made one space."""
    return " ".join(cell_text(value).split())


def words(text: str) -> str:
    """Lower case, with punctuation as single spaces: for comparing cell text to known words."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def date_value(value: object) -> object:
    """A number in a date column that is an Excel date serial (1990 to 2100) becomes a date."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and math.isfinite(value) and 32874 <= value < 73051:  # 1 Jan 1990 to 1 Jan 2100
        return from_excel(value)
    return value


# --- RAG and status --------------------------------------------------------------------------

_RAG_WORDS = {
    "r": "red", "red": "red", "off track": "red",
    "a": "amber", "amber": "amber", "at risk": "amber", "delayed": "amber",
    "g": "green", "green": "green", "on track": "green",
    "b": "blue", "blue": "blue", "complete": "blue", "completed": "blue", "done": "blue",
}  # fmt: skip
_NO_RAG = frozenset({"", "not started", "not rated", "n a", "na", "none"})
_STATUS_WORDS = {
    "not started": "not_started", "not yet started": "not_started", "planned": "not_started",
    "in progress": "in_progress", "started": "in_progress", "ongoing": "in_progress",
    "on going": "in_progress", "underway": "in_progress", "under way": "in_progress",
    "complete": "complete", "completed": "complete", "done": "complete",
    "achieved": "complete", "finished": "complete",
    "on hold": "on_hold", "paused": "on_hold", "deferred": "on_hold", "suspended": "on_hold",
    "cancelled": "cancelled", "canceled": "cancelled", "withdrawn": "cancelled",
    "no longer required": "cancelled",
}  # fmt: skip
_RAG_AS_STATUS = frozenset({"on track", "at risk", "delayed", "off track"})
_COLOURS = ("red", "amber", "green", "blue")


def read_rag(text: str) -> tuple[str | None, bool]:
    """(rating, understood). "Not started", "Not rated" and blank are understood as no rating."""
    key = words(text)
    if key in _RAG_WORDS:
        return _RAG_WORDS[key], True
    if key in _NO_RAG:
        return None, True
    first, *rest = key.split()
    if first in _COLOURS and not set(rest) & set(_COLOURS):  # "Green - on track"
        return first, True
    return None, False


def read_status(text: str, *, rag_words: bool = True) -> str | None:
    """One of the statuses in caring.plans.rag.STATUSES, or None when not understood.

    In a status column ``rag_words`` lets "On track", "At risk" and so on mean in progress.
    """
    key = words(text)
    if rag_words and key in _RAG_AS_STATUS:
        return "in_progress"
    return _STATUS_WORDS.get(key)


# --- fill colours ----------------------------------------------------------------------------

_REFERENCE_COLOURS = {
    "red": ("FF0000", "C00000", "FF5050", "FFC7CE", "C0504D", "E6B8B7"),
    "amber": ("FFC000", "FFFF00", "FFA500", "FFEB9C", "F79646", "ED7D31", "FFD966", "FFE699"),
    "green": ("00B050", "92D050", "00FF00", "008000", "C6EFCE", "70AD47", "9BBB59", "A9D08E"),
    "blue": ("0070C0", "00B0F0", "0000FF", "4472C4", "4F81BD", "5B9BD5", "9BC2E6", "BDD7EE"),
}
_REFERENCES = [
    (rag, tuple(int(hex_[i : i + 2], 16) for i in (0, 2, 4)))
    for rag, hexes in _REFERENCE_COLOURS.items()
    for hex_ in hexes
]
UNREADABLE = "unreadable"  # a colour given as a theme/system colour we could not resolve
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def rag_from_rgb(rgb: tuple[int, int, int]) -> str | None:
    """The nearest of red, amber, green and blue; None for white, greys and black."""
    _, saturation, value = colorsys.rgb_to_hsv(*(v / 255 for v in rgb))
    if saturation < 0.15 or value < 0.15:
        return None
    return min(_REFERENCES, key=lambda ref: _distance(rgb, ref[1]))[0]


def _distance(one: tuple[int, int, int], other: tuple[int, int, int]) -> int:
    return sum((a - b) ** 2 for a, b in zip(one, other, strict=True))


def _hex_rgb(text: object) -> tuple[int, int, int] | None:
    if not isinstance(text, str) or not re.fullmatch(r"(?:[0-9A-Fa-f]{2})?[0-9A-Fa-f]{6}", text):
        return None
    text = text[-6:]
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def theme_palette(theme_xml: bytes | str | None) -> list[tuple[int, int, int] | None]:
    """The workbook theme's colours in the order cells refer to them (0 = background 1 ...)."""
    if not theme_xml:
        return []
    try:
        from openpyxl.xml.functions import fromstring  # defusedxml when it is installed

        scheme = fromstring(theme_xml).find(f".//{_DRAWING}clrScheme")
    except Exception:
        return []
    if scheme is None:
        return []
    found = {}
    for child in scheme:
        name = child.tag.removeprefix(_DRAWING)
        for colour in child:
            value = colour.get("val") if colour.tag.endswith("srgbClr") else colour.get("lastClr")
            found[name] = _hex_rgb(value)
    order = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
             "accent6", "hlink", "folHlink")  # fmt: skip
    return [found.get(name) for name in order]


def _tinted(rgb: tuple[int, int, int], tint: float) -> tuple[int, int, int]:
    if not tint:
        return rgb
    hue, light, saturation = colorsys.rgb_to_hls(*(v / 255 for v in rgb))
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return tuple(round(v * 255) for v in colorsys.hls_to_rgb(hue, light, saturation))


def colour_rgb(colour: object, palette: list) -> tuple[int, int, int] | str | None:
    """An openpyxl Color as RGB, or UNREADABLE when it names a colour we cannot look up."""
    kind = getattr(colour, "type", None)
    try:
        if kind == "rgb":
            return _hex_rgb(colour.rgb) or UNREADABLE
        if kind == "indexed":
            index = colour.indexed
            rgb = _hex_rgb(COLOR_INDEX[index]) if 0 <= index < 64 else None
        elif kind == "theme":
            index = colour.theme
            rgb = palette[index] if 0 <= index < len(palette) else None
        else:
            return UNREADABLE
        return _tinted(rgb, float(colour.tint or 0)) if rgb else UNREADABLE
    except (TypeError, ValueError, IndexError, AttributeError):
        return UNREADABLE


# --- organisations and outcomes --------------------------------------------------------------

_HARD_SPLIT = re.compile(r"[/,;\n]+")
_SOFT_SPLIT = re.compile(r"\s+and\s+|\s*[&+]\s*", re.IGNORECASE)
_NAME_STARTS = frozenset((  # lone words that usually begin a longer name
    "adult", "adults", "arts", "care", "carers", "children", "community", "communities",
    "culture", "early", "education", "employment", "environment", "families", "family", "health",
    "housing", "learning", "leisure", "libraries", "mental", "neighbourhoods", "parks", "people",
    "planning", "prevention", "public", "regeneration", "safeguarding", "schools", "skills",
    "social", "sport", "transport", "wellbeing", "young",
))  # fmt: skip


def _looks_like_name(piece: str) -> bool:
    parts = piece.split()
    if not 1 <= len(parts) <= 4 or not (piece[0].isupper() or piece[0].isdigit()):
        return False
    return not (len(parts) == 1 and parts[0].lower() in _NAME_STARTS)


def split_organisations(text: str) -> list[str]:
    """Names of organisations in one cell (see the module's docstring for the rule)."""
    names: list[str] = []
    text = re.sub(r"(?<![\w/])n/a(?![\w/])", " ", text, flags=re.IGNORECASE)
    for piece in _HARD_SPLIT.split(text):
        piece = " ".join(piece.split()).strip(" .")
        pieces = [" ".join(p.split()).strip(" .") for p in _SOFT_SPLIT.split(piece)]
        if len(pieces) > 1 and all(p and _looks_like_name(p) for p in pieces):
            candidates = pieces
        else:
            candidates = [piece]
        for name in candidates:
            if words(name) not in PLACEHOLDERS and name not in names:
                names.append(name)
    return names


_OUTCOME_TOKENS = re.compile(r"\d+(?:\.\d+)*|[a-z]+|[-\u2013\u2014]")
_LIST_WORDS = frozenset({"outcome", "outcomes", "and", "or", "no", "nos", "number", "numbers"})
_RANGE_MARKS = frozenset({"-", "\u2013", "\u2014", "to"})
MAX_RANGE = 30


def read_outcomes(value: object) -> tuple[list[str], bool]:
    """(outcome numbers, every word understood). "1-3" is 1, 2 and 3; other words stop reading.

    So "Outcome 2 - carers are valued" gives ["2"] with False: the caller keeps the text.
    """
    numbers: list[str] = []
    in_range = False
    for token in _OUTCOME_TOKENS.findall(cell_text(value).lower()):
        if token[0].isdigit():
            if in_range and numbers and numbers[-1].isdigit() and token.isdigit():
                first, last = int(numbers[-1]), int(token)
                if not 0 < last - first <= MAX_RANGE:
                    return _unique(numbers + [token]), False
                numbers.extend(str(n) for n in range(first + 1, last + 1))
            else:
                numbers.append(token)
            in_range = False
        elif token in _RANGE_MARKS:
            in_range = bool(numbers)
        elif token in _LIST_WORDS:
            in_range = False
        else:
            return _unique(numbers), False
    return _unique(numbers), True


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- rows that are not actions ---------------------------------------------------------------

_STOP = re.compile(r"(?:key|notes?|totals?)(?:\s*[:\-\u2013]|\s+to\b|\s*$)|totals?\b", re.I)
_SECTION = re.compile(
    r"(?:theme|priority|workstream|work stream|section|outcome|objective|aim|area)\b"
    r"|\d+(?:\.\d+)*\s*[.:)\-\u2013]?\s+[A-Za-z]",
    re.IGNORECASE,
)
REF_LIKE = re.compile(r"[A-Za-z]{0,5}[ \-]?\d+(?:[.\-/]\d+)*[A-Za-z]?|\d+[A-Za-z]?")


def is_stop_row(text: str) -> bool:
    """A row starting "Key", "Notes" or "Total" ends the table ("Key priority 1" does not)."""
    return bool(_STOP.match(text.strip()))


def is_section_text(text: str, *, wide: bool, leading: bool) -> bool:
    """Whether the only text in a row is a theme heading such as "Theme 2: Young Carers".

    ``wide``: the cell is merged across columns. ``leading``: it is in the first, ref or theme
    column, where a lone piece of text that is not a ref can only be a heading.
    """
    text = one_line(text)
    if not re.search(r"[A-Za-z]", text):
        return False
    if wide:
        return True
    if REF_LIKE.fullmatch(text):
        return False
    return bool(_SECTION.match(text)) or text.isupper() or leading


# --- sheets as grids of cells ----------------------------------------------------------------


class Cell(NamedTuple):
    value: object  # None, str, int, float, bool, datetime, date or time
    error: bool = False  # a formula error such as #REF!
    source: object = None  # the openpyxl cell, for its fill colour


def solid_colour(cell: Cell) -> object:
    """The openpyxl Color of the cell's solid fill, or None (other patterns are ignored)."""
    fill = getattr(cell.source, "fill", None)
    return getattr(fill, "fgColor", None) if getattr(fill, "fill_type", None) == "solid" else None


class Grid:
    """One sheet as rows of :class:`Cell`, with what we need of its merged cells and colours."""

    def __init__(self, name: str, rows, *, merged=(), palette=(), width: int = 0) -> None:
        self.name, self._rows, self.palette, self.width = name, rows, list(palette), width
        self.wide: set[tuple[int, int]] = set()  # top-left cells merged across columns
        self.down: dict[tuple[int, int], int] = {}  # (row, column) -> row of the merged value
        self.joined: set[int] = set()  # rows whose cells are merged with the row below
        for box in merged:
            if box.max_col > box.min_col:
                self.wide.add((box.min_row, box.min_col))
            if box.max_row > box.min_row:
                self.joined.add(box.min_row)
                for row in range(box.min_row + 1, min(box.max_row, box.min_row + 1000) + 1):
                    self.down[(row, box.min_col)] = box.min_row

    def rows(self, start: int = 1) -> Iterator[tuple[int, list[Cell]]]:
        return self._rows(start)


def xlsx_grids(data: bytes) -> list[Grid]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    palette = theme_palette(getattr(book, "loaded_theme", None))
    return [_sheet_grid(sheet, palette) for sheet in book.worksheets]


def _sheet_grid(sheet, palette) -> Grid:
    width = min(sheet.max_column, MAX_COLUMNS)

    def rows(start: int) -> Iterator[tuple[int, list[Cell]]]:
        if start > sheet.max_row:
            return
        for number, row in enumerate(
            sheet.iter_rows(min_row=start, max_row=sheet.max_row, max_col=width), start
        ):
            yield number, [_cell(cell) for cell in row]

    return Grid(sheet.title, rows, merged=sheet.merged_cells.ranges, palette=palette, width=width)


def _cell(cell) -> Cell:
    value = cell.value
    error = cell.data_type == "e" or (isinstance(value, str) and value.strip() in ERROR_CODES)
    return Cell(value, error, cell)


def csv_grid(data: bytes, name: str) -> Grid:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = "," if "," in sample or not (";" in sample or "\t" in sample) else None
    if delimiter is None:
        delimiter = ";" if sample.count(";") >= sample.count("\t") else "\t"
    table = [
        [Cell(v if v.strip() else None, v.strip() in ERROR_CODES) for v in row[:MAX_COLUMNS]]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    width = max((len(row) for row in table), default=0)

    def rows(start: int) -> Iterator[tuple[int, list[Cell]]]:
        for number in range(start, len(table) + 1):
            row = table[number - 1]
            yield number, row + [Cell(None)] * (width - len(row))

    return Grid(name, rows, width=width)
