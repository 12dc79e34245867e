"""Read an ONS census table of unpaid care (any geography) into plain records.

Pure: no Django, no database. Never raises for anything in the file: every problem is a
:class:`~caring.workbooks.records.Problem` naming the row and column (severity "error" refuses
the import, "warning" does not). Rows are numbered as a spreadsheet shows them (the header is
usually row 1) and columns by their letters.

Census figures are published ONS statistics about areas, not personal data.

- The file must be CSV text (as :func:`caring.indicators.benchmark_reader.csv_records` reads it:
  UTF-8 or Windows-1252, at most 20 MB; workbooks, PDFs and other binary files are refused).
- Two layouts are read. WIDE: a row per area, a column per band, with or without a total (the
  ONS bulk files and the Rotherham 2021 file). LONG: a row per area and category, with columns
  for the area's code and name, the category and the value (ONS "create a custom dataset"
  downloads, Nomis API files, local data offices' tidy files). Headers and categories are
  recognised by their words, ignoring case, underscores and punctuation:
  "provides_9_hours_or_less_unpaid_care_a_week", "9 hours or less" and "Provides 9 hours or less
  unpaid care a week" are the same band.
- Tables: Census 2021 hours (TS039: "none", "9_or_less", "10_to_19", "20_to_34", "35_to_49",
  "50_or_more"; or its aggregates "none", "19_or_less", "20_to_49", "50_or_more"), Census 2011
  hours ("none", "1_to_19", "20_to_49", "50_or_more") and carers by age band (2011: "aged_0_to_24",
  "aged_25_to_49", "aged_50_to_64", "aged_65_and_over", from headers such as the source's
  misspelt ``careds_aged_25_to_49``). The year is told by the bands; a ``year`` that contradicts
  them is an error. "Does not apply" (residents under 5, who are not asked) and percentage
  columns are left out, with a warning.
- Area codes are nine-character ONS codes: E02/W02 MSOA, E01/W01 LSOA, E05/W05 ward, E06-E10 and
  W06 authority; regions, countries and output areas (E00, E11-E13, E92, W92, K02-K04...) are
  "other". Any other code is an error.
- ``residents`` (the base population) is the total when given; without a total, the sum of all
  hours bands when "provides no unpaid care" is one of them; otherwise None. In an age table
  (carers only) a total is the total of carers and ``residents`` is None. ``carers`` is the sum
  of the care-giving bands. Where the total and every band are given they must add up.
- Counts are whole numbers, 0 or more ("1,234" is read). Each area appears once (in the long
  layout, each area once per category) and has a name.
- ``areas`` holds only areas read without any problem; import only when ``ok``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from caring.indicators.benchmark_reader import NotCsv, column_letter, csv_records
from caring.workbooks.records import Problem

__all__ = [
    "BANDS_2011", "BANDS_2021", "BANDS_2021_AGGREGATED", "INTERNAL_FAULT", "YEARS", "CensusArea",
    "CensusRead", "Problem", "band_key", "band_label", "geography_of", "read_census",
]  # fmt: skip
logger = logging.getLogger(__name__)

YEARS = (2011, 2021)
HEADER_SEARCH_ROWS = 15
MAX_COUNT = 10**9
MAX_NAME = 200
INTERNAL_FAULT = (
    "The file could not be read because of a fault in Caring Together, not in your file. "
    "Please tell the support team."
)
BANDS_2021 = ("none", "9_or_less", "10_to_19", "20_to_34", "35_to_49", "50_or_more")
BANDS_2021_AGGREGATED = ("none", "19_or_less", "20_to_49", "50_or_more")
BANDS_2011 = ("none", "1_to_19", "20_to_49", "50_or_more")
# (bands, year, what they are called in messages), in the order a year is guessed
_FAMILIES = (
    (BANDS_2021, 2021, "Census 2021 hours bands"),
    (BANDS_2011, 2011, "Census 2011 hours bands"),
    (BANDS_2021_AGGREGATED, 2021, "Census 2021 aggregated hours bands"),
)
_LABELS = {
    "none": "provides no unpaid care",
    "9_or_less": "9 hours or less a week",
    "10_to_19": "10 to 19 hours a week",
    "20_to_34": "20 to 34 hours a week",
    "35_to_49": "35 to 49 hours a week",
    "50_or_more": "50 or more hours a week",
    "19_or_less": "19 hours or less a week",
    "20_to_49": "20 to 49 hours a week",
    "1_to_19": "1 to 19 hours a week",
    "total": "total",
}
TOTAL, LEFT_OUT = "total", "left out"

# Area code prefix -> geography; other nine-character codes are refused.
_GEOGRAPHIES = {
    **dict.fromkeys(("E02", "W02"), "msoa"),
    **dict.fromkeys(("E01", "W01"), "lsoa"),
    **dict.fromkeys(("E05", "W05"), "ward"),
    **dict.fromkeys(("E06", "E07", "E08", "E09", "E10", "W06"), "authority"),
    **dict.fromkeys(
        ("E00", "W00", "E11", "E12", "E13", "E38", "E40", "E47", "E54", "E92", "W92", "K02",
         "K03", "K04"),
        "other",
    ),
}  # fmt: skip
_CODE = re.compile(r"^[EWKSN]\d{8}$")
_COUNT = re.compile(r"^\+?(\d{1,3}(,\d{3})+|\d+)(\.0+)?$")
_DECIMAL = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")

_TOTAL = re.compile(
    r"\btotal\b|\ball (usual )?residents\b|\ball categories\b|\ball (persons|people)\b"
)
_LEFT_OUT = re.compile(r"\bdoes not apply\b|\bpercent(age)?\b|\bper ?cent\b|\bproportion\b")
_AGE = re.compile(
    r"\bage[ds]? (?:(\d+) to (\d+)|(\d+) (?:and|or) (?:over|more|older|above)|(\d+) plus|"
    r"under (\d+))\b"
)
_HOURS = (
    (re.compile(r"\b9 (hours? )?or (less|fewer)\b|\bless than 10\b|\bup to 9\b"), "9_or_less"),
    (re.compile(r"\b19 (hours? )?or (less|fewer)\b|\bless than 20\b|\bup to 19\b"), "19_or_less"),
    (re.compile(r"\b10 to 19\b"), "10_to_19"),
    (re.compile(r"\b20 to 34\b"), "20_to_34"),
    (re.compile(r"\b35 to 49\b"), "35_to_49"),
    (re.compile(r"\b1 to 19\b"), "1_to_19"),
    (re.compile(r"\b20 to 49\b"), "20_to_49"),
    (re.compile(r"\b50 (hours? )?(or|and) (more|over)\b|\b50 plus\b|\bmore than 49\b"),
     "50_or_more"),
)  # fmt: skip
_NONE = re.compile(
    r"\bno (unpaid )?care\b|\bprovides? no\b|^none$|\bno hours\b|\bnot (a )?carers?\b|"
    r"\bnot providing\b|\bnon carers?\b"
)
# Words that make a column about the category, not the area.
_CATEGORY_WORDS = {"care", "carer", "carers", "careds", "unpaid", "category", "categories",
                   "measure", "measures", "age", "aged", "band", "bands", "hours",
                   "provision"}  # fmt: skip
_VALUE_HEADERS = {"observation", "observations", "obs value", "value", "values", "count",
                  "counts", "number", "persons", "people", "frequency"}  # fmt: skip
_NAME_HEADERS = {"geography", "geography name", "area", "area name", "name", "place",
                 "place name", "location"}  # fmt: skip


@dataclass(frozen=True)
class CensusArea:
    row: int  # the area's (first) row in the file, as a spreadsheet shows it
    code: str  # ONS code, "E02001578"
    name: str  # "Rotherham 001"
    geography: str  # "msoa" | "lsoa" | "ward" | "authority" | "other"
    residents: int | None  # the base population (usual residents aged 5 and over), if known
    carers: int  # people providing any unpaid care
    bands: dict[str, int]  # canonical band key -> count, in the table's order


@dataclass
class CensusRead:
    areas: list[CensusArea]
    problems: list[Problem]
    year: int | None = None
    layout: str = ""  # "wide" | "long"
    table: str = ""  # "hours" | "age"

    @property
    def ok(self) -> bool:
        """No blocking problems (warnings allowed), and something to import."""
        return bool(self.areas) and not any(p.severity == "error" for p in self.problems)


def words(text: str) -> str:
    """A header or category as lower-case words: "Provides_9-hours" -> "provides 9 hours"."""
    text = (text or "").replace("\ufeff", "").casefold()
    text = re.sub(r"(\d)\s*[-\u2013\u2014]\s*(\d)", r"\1 to \2", text)
    text = re.sub(r"(\d)\s*\+", r"\1 plus", text)
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", text).replace("%", " percent ").split())


def band_key(text: str) -> str | None:
    """The canonical band for a header or category: "none", "9_or_less"..., "aged_0_to_24",
    "total", "left out" (does not apply, percentages), or None when it is not a band."""
    said = words(text)
    if not said:
        return None
    if _LEFT_OUT.search(said):
        return LEFT_OUT
    if _TOTAL.search(said):
        return TOTAL
    age = _AGE.search(said)
    if age:
        start, end, over, plus, under = age.groups()
        if start is not None:
            return f"aged_{int(start)}_to_{int(end)}"
        if under is not None:
            return f"aged_under_{int(under)}"
        return f"aged_{int(over or plus)}_and_over"
    for pattern, key in _HOURS:
        if pattern.search(said):
            return key
    if _NONE.search(said):
        return "none"
    return None


def band_label(key: str) -> str:
    """A band in words, for messages: "9_or_less" -> "9 hours or less a week"."""
    if key in _LABELS:
        return _LABELS[key]
    return key.replace("_", " ")


def geography_of(code: str) -> str | None:
    """ "msoa", "lsoa", "ward", "authority" or "other" for an ONS code; None if unknown."""
    if not _CODE.match(code or ""):
        return None
    return _GEOGRAPHIES.get(code[:3])


def read_census(data: bytes, filename: str, year: int | None = None) -> CensusRead:
    """Read the areas in a census CSV upload. Never raises for anything in the file."""
    try:
        return _read(data, filename, year)
    except Exception:
        logger.exception("Reading census file %r failed", filename)
        return _failed(INTERNAL_FAULT)


# --- the file and its header ----------------------------------------------------------------------


def _failed(message: str, row: int | None = None, column: str | None = None) -> CensusRead:
    return CensusRead([], [Problem("", row, column, None, message, "error")])


def _display_name(filename: str) -> str:
    base = re.split(r"[/\\]", filename or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:120]
    return f'"{base}"' if base else "The file"


def _one_line(text: str, longest: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= longest else text[: longest - 1] + "\u2026"


def _is_code_header(said: str) -> bool:
    parts = said.split()
    if len(parts) == 1 and re.fullmatch(r"[a-z]+\d{2}cd[a-z]?", parts[0]):
        return True
    if not parts or _CATEGORY_WORDS & set(parts):
        return False
    return parts[-1] in {"code", "cd", "gsscode", "geogcode", "areacode"} or said in {
        "mnemonic",
        "ons code",
        "gss code",
    }


def _is_name_header(said: str, code_header: str) -> int | None:
    """How surely a header names the area (lower is surer), or None."""
    parts = said.split()
    if len(parts) == 1 and re.fullmatch(r"[a-z]+\d{2}nm[a-z]?", parts[0]):
        return 0
    if not parts or _CATEGORY_WORDS & set(parts):
        return None
    if parts[-1] in {"name", "nm"}:
        return 1
    if said in _NAME_HEADERS:
        return 2
    base = code_header.rsplit(" ", 1)[0] if " " in code_header else ""
    if base and said == base:
        return 2  # ONS custom datasets: "Middle layer Super Output Areas Code" and "... Areas"
    return None


@dataclass
class _Header:
    row: int
    cells: list[str]
    code: int
    name: int | None = None
    bands: dict[int, str] = field(default_factory=dict)  # column -> band key (wide)
    value: int | None = None  # (long)
    measures: int | None = None  # (long) Nomis MEASURES / MEASURES_NAME


def _header(index: int, record: list[str]) -> _Header | None:
    said = [words(cell) for cell in record]
    code = next((i for i, text in enumerate(said) if _is_code_header(text)), None)
    if code is None:
        return None
    found = _Header(index + 1, record, code)
    ranked = [(rank, i) for i, text in enumerate(said)
              if i != code and (rank := _is_name_header(text, said[code])) is not None]  # fmt: skip
    found.name = min(ranked)[1] if ranked else None
    for i, text in enumerate(said):
        if i in (code, found.name):
            continue
        key = band_key(record[i])
        if key is not None:
            found.bands[i] = key
        elif text in _VALUE_HEADERS and found.value is None:
            found.value = i
        elif text in {"measures name", "measure name"} or (
            text in {"measures", "measure"} and found.measures is None
        ):
            found.measures = i
    if found.bands or found.value is not None:
        return found
    return None


def _read(data: bytes, filename: str, year: int | None) -> CensusRead:
    if year is not None and year not in YEARS:
        return _failed(f"The year must be 2011 or 2021, not {year}: they are the censuses we read.")
    try:
        records = csv_records(data, filename)
    except NotCsv as refused:
        return _failed(str(refused))
    header = None
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        header = _header(index, record)
        if header is not None:
            break
    if header is None:
        return _failed(
            f"No header row was found in the first {HEADER_SEARCH_ROWS} rows of "
            f"{_display_name(filename)}. We look for a row naming the area code (such as "
            "msoa21cd or Geography code) and either a column per band (such as Provides no "
            "unpaid care, Provides 9 hours or less unpaid care a week...) or a category and a "
            "value column."
        )
    if header.name is None:
        return _failed(
            f"The header row (row {header.row}) has no column for the area's name (such as "
            "msoa21nm, Geography or Area name). Add it and upload the file again.",
            header.row,
        )
    if any(key not in (TOTAL, LEFT_OUT) for key in header.bands.values()):
        return _Wide(records, header, year).read()
    if header.value is not None:
        return _Long(records, header, year).read()
    return _failed(
        f"The header row (row {header.row}) has a total but no bands of unpaid care (such as "
        "Provides no unpaid care, Provides 9 hours or less unpaid care a week...), so carers "
        "can't be counted.",
        header.row,
    )


# --- what both layouts share ----------------------------------------------------------------------


class _Table:
    layout = ""

    def __init__(self, records: list[list[str]], header: _Header, year: int | None):
        self.records, self.header, self.given_year = records, header, year
        self.problems: list[Problem] = []
        self.areas: list[CensusArea] = []
        self.year: int | None = None
        self.table = ""
        self.order: tuple[str, ...] = ()

    def problem(self, message: str, row: int | None, column: int | None, name: str | None,
                *, error: bool = True) -> None:  # fmt: skip
        letter = column_letter(column + 1) if column is not None else None
        self.problems.append(
            Problem("", row, letter, name, message, "error" if error else "warning")
        )

    def cell(self, record: list[str], column: int | None) -> str:
        if column is None or column >= len(record):
            return ""
        return " ".join(record[column].split())

    def result(self) -> CensusRead:
        self.problems.sort(key=lambda p: p.row or 0)
        failed = any(p.severity == "error" for p in self.problems)
        return CensusRead(
            [] if failed else self.areas, self.problems, self.year, self.layout, self.table
        )

    def bands(self, places: dict[str, tuple[int | None, int | None, str]]) -> bool:
        """Decide the table and year from the bands given (band -> (row, column, as written));
        False (with problems) when they don't make a table we read."""
        keys = [key for key in places if key not in (TOTAL, LEFT_OUT)]

        def where(key: str) -> str:
            row, column, text = places[key]
            at = f"column {column_letter(column + 1)}" if column is not None else f"row {row}"
            return f"'{_one_line(text)}' ({at})"

        def refuse(message: str, key: str | None = None) -> bool:
            row, column, _ = places[key] if key else (self.header.row, None, "")
            self.problem(message, row, column, key)
            return False

        if not keys:
            return refuse("There are no bands of unpaid care, so carers can't be counted.")
        ages = [key for key in keys if key.startswith("aged_")]
        if ages:
            hours = [key for key in keys if not key.startswith("aged_")]
            if hours:
                return refuse(
                    f"The table mixes carers by age ({where(ages[0])}) with hours of care "
                    f"({where(hours[0])}). Give one table per file.",
                    hours[0],
                )
            if self.given_year not in (None, 2011):
                return refuse(
                    f"The year given ({self.given_year}) does not match the bands: "
                    f"{where(ages[0])} is a Census 2011 age band of carers.",
                    ages[0],
                )
            self.table, self.year = "age", 2011
            self.order = tuple(sorted(keys, key=_age_order))
            return True
        fits = [family for family in _FAMILIES if set(keys) <= set(family[0])]
        if not fits:
            shared = ("none", "20_to_49", "50_or_more")
            one = next(key for key in keys if key not in shared)
            family = next(f for f in _FAMILIES if one in f[0])
            other = next(key for key in keys if key not in family[0])
            return refuse(
                f"The bands do not belong to one table: {where(one)} is one of the "
                f"{family[2]}, but {where(other)} is not. Give one table per file.",
                other,
            )
        if self.given_year is not None:
            matching = [family for family in fits if family[1] == self.given_year]
            if not matching:
                telling = next(key for key in keys if key not in ("none", "20_to_49", "50_or_more"))
                return refuse(
                    f"The year given ({self.given_year}) does not match the bands: "
                    f"{where(telling)} is one of the {fits[0][2]}.",
                    telling,
                )
            fits = matching
        elif len({family[1] for family in fits}) > 1:
            return refuse(
                "The bands given (" + ", ".join(where(key) for key in keys) + ") are used by "
                "both the 2011 and the 2021 census: give the year (--year 2011 or --year 2021)."
            )
        family, self.year, called = fits[0]
        missing = [key for key in family if key != "none" and key not in keys]
        if missing:
            return refuse(
                f"There is no figure for {', '.join(band_label(k) for k in missing)} (one of "
                f"the {called}), so carers can't be counted. Give every band of the table."
            )
        self.table, self.order = "hours", tuple(key for key in family if key in keys)
        return True

    def area(self, row: int, code: str, name: str, figures: dict[str, int],
             total_place: tuple[int, int | None], who: str) -> CensusArea | None:  # fmt: skip
        """The area, or None after a problem when its figures don't add up."""
        bands = {key: figures[key] for key in self.order}
        total = figures.get(TOTAL)
        carers = sum(count for key, count in bands.items() if key != "none")
        residents: int | None = None
        everything = sum(bands.values())
        at_row, at_column = total_place
        if self.table == "age" or "none" in bands:
            if total is not None and everything != total:
                what = "carers in the age bands" if self.table == "age" else "bands"
                self.problem(
                    f"{who}: the {what} add up to {everything:,} but the total is {total:,}. "
                    "Check the figures (a band may be missing or mistyped).",
                    at_row,
                    at_column,
                    TOTAL,
                )
                return None
            if self.table == "hours":
                residents = everything if total is None else total
        elif total is not None:
            if carers > total:
                self.problem(
                    f"{who}: the carers in the bands add up to {carers:,}, more than the total "
                    f"of {total:,} residents. Check the figures.",
                    at_row,
                    at_column,
                    TOTAL,
                )
                return None
            residents = total
        return CensusArea(row, code, name, geography_of(code) or "other", residents, carers, bands)

    def check_code(self, row: int, code: str, column: int) -> str | None:
        """The code's geography, or None after a problem."""
        if not code:
            self.problem("No area code is given.", row, column, "code")
            return None
        geography = geography_of(code)
        if geography is None:
            self.problem(
                f"'{_one_line(code, 20)}' is not an ONS area code we know. Give the nine-character "
                "code, such as E02001578 (an MSOA), E01007342 (an LSOA), E05001034 (a ward) or "
                "E08000018 (Rotherham); E06, E07, E08, E09 or E10 for a council.",
                row,
                column,
                "code",
            )
        return geography

    def check_name(self, row: int, name: str, code: str) -> bool:
        if not name:
            self.problem(f"No area name is given for {code or 'this area'}.", row,
                         self.header.name, "name")  # fmt: skip
            return False
        if len(name) > MAX_NAME:
            self.problem(f"The area name is {len(name)} characters long; it can be at most "
                         f"{MAX_NAME}.", row, self.header.name, "name")  # fmt: skip
            return False
        return True

    def count(self, row: int, text: str, column: int | None, key: str, who: str) -> int | None:
        """A whole number of people, or None after a problem."""
        label = band_label(key)
        if not text:
            self.problem(f"{who}: no figure is given for {label}.", row, column, key)
            return None
        cleaned = text.replace(" ", "")
        if not _COUNT.match(cleaned):
            if cleaned.startswith("-") and _DECIMAL.match(cleaned[1:] or "x"):
                why = "a count of people can't be negative"
            elif _DECIMAL.match(cleaned) and cleaned not in ("", "."):
                why = "a count of people is a whole number"
            else:
                why = "it is not a number"
            self.problem(
                f"{who}: the figure for {label} is '{_one_line(text, 20)}', but {why}.",
                row,
                column,
                key,
            )
            return None
        digits = cleaned.split(".")[0].replace(",", "").lstrip("+").lstrip("0") or "0"
        if len(digits) > 12 or int(digits) >= MAX_COUNT:
            self.problem(f"{who}: the figure for {label} ('{_one_line(text, 20)}') is too "
                         "large for a count of people.", row, column, key)  # fmt: skip
            return None
        number = int(digits)
        return number


def _age_order(key: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", key)]
    if key.startswith("aged_under_"):
        return (0, numbers[0])
    return (numbers[0], numbers[-1]) if numbers else (0, 0)


def _who(name: str, code: str) -> str:
    if name and code:
        return f"{_one_line(name, 60)} ({_one_line(code, 20)})"
    return _one_line(name or code, 60) or "This area"


# --- a row per area -------------------------------------------------------------------------------


class _Wide(_Table):
    layout = "wide"

    def read(self) -> CensusRead:
        header = self.header
        places: dict[str, tuple[int | None, int | None, str]] = {}
        for column, key in header.bands.items():
            text = header.cells[column]
            if key == LEFT_OUT:
                self.problem(
                    f"The column '{_one_line(text)}' is left out: it is not a count of people "
                    "in a band we read.",
                    header.row,
                    column,
                    None,
                    error=False,
                )
            elif key in places:
                first = places[key][1]
                self.problem(
                    f"The columns {column_letter(first + 1)} and {column_letter(column + 1)} "
                    f"are both {band_label(key)}. Keep one of them.",
                    header.row,
                    column,
                    key,
                )
            else:
                places[key] = (header.row, column, text)
        if any(p.severity == "error" for p in self.problems) or not self.bands(places):
            return self.result()
        columns = {key: place[1] for key, place in places.items()}
        first_seen: dict[str, int] = {}
        read_any = False
        for number, record in enumerate(self.records[header.row :], header.row + 1):
            if not any(cell.strip() for cell in record):
                continue
            code = self.cell(record, header.code).replace(" ", "").upper()
            name = self.cell(record, header.name)
            texts = {key: self.cell(record, column) for key, column in columns.items()}
            if not code and not any(texts.values()):
                self.problem(
                    "This row has no area code and no figures, so it is left out (a note?).",
                    number,
                    None,
                    None,
                    error=False,
                )
                continue
            read_any = True
            self._row(number, record, code, name, texts, columns, first_seen)
        if not read_any:
            self.problem(f"There are no areas below the header row (row {header.row}).",
                         header.row, None, None)  # fmt: skip
        return self.result()

    def _row(self, number, record, code, name, texts, columns, first_seen) -> None:
        before = len(self.problems)
        self.check_code(number, code, self.header.code)
        self.check_name(number, name, code)
        if code and code in first_seen:
            self.problem(
                f"The area {code} is already on row {first_seen[code]}. Give each area once.",
                number,
                self.header.code,
                "code",
            )
        elif code:
            first_seen[code] = number
        who = _who(name, code)
        figures = {}
        for key, text in texts.items():
            figure = self.count(number, text, columns[key], key, who)
            if figure is not None:
                figures[key] = figure
        if len(self.problems) != before:
            return
        area = self.area(number, code, name, figures, (number, columns.get(TOTAL)), who)
        if area is not None:
            self.areas.append(area)


# --- a row per area and category ------------------------------------------------------------------


@dataclass
class _Gathered:
    row: int
    code: str
    name: str
    figures: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # band -> row
    failed: bool = False  # a problem in one of its rows: not imported
    broken: bool = False  # its code or name is wrong: its other rows are not checked


class _Long(_Table):
    layout = "long"

    def read(self) -> CensusRead:
        header = self.header
        category = self._category_column()
        if category is None:
            self.problem(
                f"The header row (row {header.row}) has a value column but no column of "
                "categories of unpaid care (such as 'Provides no unpaid care'), and no column per "
                "band. Add the category column and upload the file again.",
                header.row,
                None,
                None,
            )
            return self.result()
        self.category = category
        areas: dict[str, _Gathered] = {}
        places: dict[str, tuple[int | None, int | None, str]] = {}
        unknown: dict[str, int] = {}
        left_out: dict[str, int] = {}
        read_any = False
        for number, record in enumerate(self.records[header.row :], header.row + 1):
            if not any(cell.strip() for cell in record):
                continue
            if header.measures is not None:
                measure = words(self.cell(record, header.measures))
                if measure in ("20301", "percent", "percentage") or _LEFT_OUT.search(measure):
                    continue
            code = self.cell(record, header.code).replace(" ", "").upper()
            text = self.cell(record, category)
            value = self.cell(record, header.value)
            if not code and not text and not value:
                self.problem("This row has no area code, category or value, so it is left out "
                             "(a note?).", number, None, None, error=False)  # fmt: skip
                continue
            read_any = True
            key = band_key(text)
            if key is None or key == LEFT_OUT:
                (unknown if key is None else left_out).setdefault(text, number)
                continue
            places.setdefault(key, (number, category, text))
            self._row(number, record, code, key, value, areas)
        for text, number in unknown.items():
            self.problem(
                f"The category '{_one_line(text) or '(blank)'}' is not a band of unpaid care we "
                "know, so its rows are left out.",
                number,
                category,
                "category",
                error=False,
            )
        for text, number in left_out.items():
            self.problem(f"The category '{_one_line(text)}' is left out: it is not a count of "
                         "people in a band we read.", number, category, "category",
                         error=False)  # fmt: skip
        if not read_any:
            self.problem(f"There are no areas below the header row (row {header.row}).",
                         header.row, None, None)  # fmt: skip
            return self.result()
        if not self.bands(places):
            return self.result()
        wanted = [key for key in (*self.order, TOTAL) if key in places]
        for gathered in areas.values():
            if gathered.failed:
                continue
            missing = [key for key in wanted if key not in gathered.figures]
            who = _who(gathered.name, gathered.code)
            if missing:
                self.problem(
                    f"{who} has no figure for {', '.join(band_label(k) for k in missing)}, which "
                    "the other areas have. Give every area every category.",
                    gathered.row,
                    category,
                    "category",
                )
                continue
            place = (gathered.rows.get(TOTAL, gathered.row), self.header.value)
            area = self.area(gathered.row, gathered.code, gathered.name, gathered.figures,
                             place, who)  # fmt: skip
            if area is not None:
                self.areas.append(area)
        return self.result()

    def _category_column(self) -> int | None:
        """The column whose cells are most often categories of unpaid care."""
        header = self.header
        taken = {header.code, header.name, header.value, header.measures}
        width = max((len(record) for record in self.records[header.row : header.row + 500]),
                    default=0)  # fmt: skip
        best, best_score = None, 0
        for column in range(max(width, len(header.cells))):
            if column in taken:
                continue
            score = sum(
                1
                for record in self.records[header.row : header.row + 500]
                if band_key(self.cell(record, column)) not in (None, LEFT_OUT)
            )
            if score > best_score:
                best, best_score = column, score
        return best

    def _row(self, number, record, code, key, value, areas: dict[str, _Gathered]) -> None:
        before = len(self.problems)
        name = self.cell(record, self.header.name)
        if code not in areas:
            self.check_code(number, code, self.header.code)
            self.check_name(number, name, code)
            broken = len(self.problems) != before
            areas[code] = _Gathered(number, code, name, failed=broken, broken=broken)
        gathered = areas[code]
        if gathered.broken:
            return
        who = _who(gathered.name, code)
        if name != gathered.name:
            self.problem(
                f"{who} is called '{_one_line(name) or '(blank)'}' here but "
                f"'{_one_line(gathered.name)}' on row {gathered.row}. Give each area one name.",
                number,
                self.header.name,
                "name",
            )
        if key in gathered.rows:
            self.problem(
                f"{who} already has a figure for {band_label(key)} on row {gathered.rows[key]}. "
                "Give each area each category once.",
                number,
                self.category,
                "category",
            )
        figure = self.count(number, value, self.header.value, key, who)
        if len(self.problems) != before or figure is None:
            gathered.failed = True
        if key in gathered.rows or figure is None:
            return
        gathered.rows[key] = number
        gathered.figures[key] = figure
