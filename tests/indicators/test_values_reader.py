"""Reading a file of indicator values (.xlsx or CSV) into rows and problems."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caring.indicators import values_reader
from caring.indicators.values_reader import (
    ALIASES,
    FIELDS,
    INTERNAL_FAULT,
    ValueRow,
    ValuesRead,
    read_number,
    read_values,
)
from caring.workbooks.records import Problem
from tests.test_layers import imported_modules

HEADER = [
    "Indicator code",
    "Period",
    "Value",
    "Numerator",
    "Denominator",
    "Source",
    "Date extracted",
    "Note",
]
# Column letters: A code, B period, C value, D numerator, E denominator, F source,
# G extracted, H note.


def xlsx(rows, *, title: str = "Values", before: list[tuple[str, list]] = (), formats=None):
    """A workbook whose sheets ``before`` come first, then ``title`` holding ``rows``."""
    book = Workbook()
    book.remove(book.active)
    for name, other in [*before, (title, rows)]:
        sheet = book.create_sheet(name)
        for values in other:
            sheet.append(list(values))
    for ref, number_format in (formats or {}).items():
        book[title][ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for values in rows:
        writer.writerow(["" if v is None else v for v in values])
    return out.getvalue().encode(encoding)


def row(code: str = "CT01", **changes) -> list:
    """One good row in HEADER order, with ``changes`` by field name."""
    values = {
        "code": code,
        "period_text": "Q3 2018/19",
        "value": "45.5",
        "numerator": "455",
        "denominator": "1000",
        "source": "SALT return",
        "extracted": "15/01/2019",
        "note": "",
    }
    values.update(changes)
    return [values[name] for name in FIELDS]


def read_rows(*rows, header=HEADER, max_rows: int = 20000) -> ValuesRead:
    return read_values(xlsx([header, *rows]), "values.xlsx", max_rows=max_rows)


def errors(read: ValuesRead) -> list[Problem]:
    return [p for p in read.problems if p.severity == "error"]


def the_problem(read: ValuesRead, severity: str = "error") -> Problem:
    assert len(read.problems) == 1, [p.message for p in read.problems]
    assert read.problems[0].severity == severity
    assert read.ok == (severity != "error")
    return read.problems[0]


def test_the_module_is_pure():
    imported = imported_modules(Path(values_reader.__file__))
    assert not {name for name in imported if name.startswith("django")}
    assert not {name for name in imported if name.endswith((".models", ".services"))}


# --- the happy path ----------------------------------------------------------------------------


def test_reads_an_xlsx_with_excel_dates_and_exact_numbers():
    read = read_rows(
        row(value=45.5, numerator=455, denominator=1000, extracted=dt.datetime(2019, 1, 15)),
        row("CT02", period_text=dt.datetime(2018, 4, 1), value="12.50", numerator=None,
            denominator=None, source=None, extracted=None, note="  Provisional\nfigure  "),
        row("CT03", period_text="2018/19", value=0.1, extracted=43480),
    )  # fmt: skip

    assert read.ok and read.problems == []
    assert (read.sheet, read.header_row) == ("Values", 1)
    assert read.columns == dict(zip(FIELDS, "ABCDEFGH", strict=True))
    first, second, third = read.rows
    assert first == ValueRow(
        row=2,
        code="CT01",
        period_text="Q3 2018/19",
        value=Decimal("45.5"),
        numerator=Decimal("455"),
        denominator=Decimal("1000"),
        source="SALT return",
        extracted=dt.date(2019, 1, 15),
        note="",
    )
    assert (second.period_text, second.value, second.source, second.extracted) == (
        "2018-04-01",
        Decimal("12.50"),
        "",
        None,
    )
    assert str(second.value) == "12.50"  # kept as written
    assert second.note == "Provisional\nfigure"
    assert second.numerator is None and second.denominator is None
    assert third.value == Decimal("0.1") and str(third.value) == "0.1"  # not 0.1000000000000000055
    assert third.extracted == dt.date(2019, 1, 15)  # an Excel date serial in a number cell


def test_reads_a_csv_with_synonyms():
    data = csv_bytes(
        [
            ["Code", "Quarter", "Value", "Data source", "Extracted", "Comment"],
            ["CT01", "Q3 2018/19", "12%", "SALT", "2019-01-15", "Checked"],
            ["CT02", "Q3 2018/19", "1,234", "", "15 January 2019", ""],
        ]
    )

    read = read_values(data, "uploads/values.csv")

    assert read.ok and read.problems == []
    assert read.sheet == "values.csv"
    assert read.columns == {
        "code": "A", "period_text": "B", "value": "C", "source": "D", "extracted": "E", "note": "F",
    }  # fmt: skip
    first, second = read.rows
    assert (first.value, first.source, first.extracted, first.note) == (
        Decimal("12"),
        "SALT",
        dt.date(2019, 1, 15),
        "Checked",
    )
    assert second.value == Decimal("1234") and second.extracted == dt.date(2019, 1, 15)


def test_reads_a_windows_csv_with_semicolons():
    text = "Indicator;Month;Value\r\nCT01;Apr 2018;£1500\r\n"
    read = read_values(text.encode("cp1252"), "values.csv")
    assert read.ok, [p.message for p in read.problems]
    assert [(r.code, r.period_text, r.value) for r in read.rows] == [
        ("CT01", "Apr 2018", Decimal("1500"))
    ]


def test_header_found_below_title_rows_and_blank_rows_skipped():
    data = xlsx(
        [
            ["Carers Strategy indicators: values for 2018/19"],
            ["Prepared by the performance team", None, "Updated 1 March 2019"],
            [],
            HEADER,
            row("CT01"),
            [],
            [None, None, None],
            row("CT02"),
        ]
    )

    read = read_values(data, "values.xlsx")

    assert read.ok, [p.message for p in read.problems]
    assert read.header_row == 4
    assert [(r.row, r.code) for r in read.rows] == [(5, "CT01"), (8, "CT02")]


def test_the_first_sheet_with_a_full_header_is_read():
    data = xlsx(
        [HEADER, row("CT09")],
        title="Data",
        before=[("Notes", [["How to fill this in"], ["Code", "Comment"]])],
    )
    read = read_values(data, "values.xlsx")
    assert read.ok and read.sheet == "Data"
    assert [r.code for r in read.rows] == ["CT09"]


@pytest.mark.parametrize(
    ("field", "name"),
    [(field, name) for field, names in ALIASES.items() for name in names],
)
def test_every_synonym_names_its_column(field, name):
    header = list(HEADER)
    header[FIELDS.index(field)] = name.upper() if len(name) > 4 else name.title()
    read = read_rows(row(), header=header)
    assert read.ok, [p.message for p in read.problems]
    assert read.columns[field] == "ABCDEFGH"[FIELDS.index(field)]


def test_the_more_specific_header_wins_and_brackets_are_ignored():
    header = ["Indicator", "Indicator code", "Year", "Value (%)", "Data source", "Source"]
    read = read_rows(
        ["Carers assessed", "CT01", "2018/19", "45%", "SALT", "ignored"], header=header
    )
    assert read.ok, [p.message for p in read.problems]
    assert read.columns == {
        "code": "B", "period_text": "C", "value": "D", "source": "E",
    }  # fmt: skip
    assert (read.rows[0].code, read.rows[0].value, read.rows[0].source) == (
        "CT01",
        Decimal("45"),
        "SALT",
    )


def test_numerator_and_denominator_without_a_value_column():
    header = ["Code", "Period", "Numerator", "Denominator"]
    read = read_rows(["CT01", "2018/19", 455, 1000], header=header)
    assert read.ok, [p.message for p in read.problems]
    found = read.rows[0]
    assert (found.value, found.numerator, found.denominator) == (
        None,
        Decimal("455"),
        Decimal("1000"),
    )


def test_a_percentage_formatted_excel_number_is_the_percentage_shown():
    data = xlsx([HEADER, row(value=0.455), row("CT02", value=12)], formats={"C2": "0.0%"})
    read = read_values(data, "values.xlsx")
    assert read.ok
    assert [r.value for r in read.rows] == [Decimal("45.5"), Decimal("12")]
    assert str(read.rows[0].value) == "45.5"


def test_merged_code_cells_count_for_each_row():
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row("CT01", period_text="Q1 2018/19"))
    sheet.append(row(None, period_text="Q2 2018/19"))
    sheet.append(row(None, period_text="Q3 2018/19"))
    sheet.merge_cells("A2:A4")
    out = io.BytesIO()
    book.save(out)
    read = read_values(out.getvalue(), "values.xlsx")
    assert read.ok, [p.message for p in read.problems]
    assert [(r.code, r.period_text) for r in read.rows] == [
        ("CT01", "Q1 2018/19"),
        ("CT01", "Q2 2018/19"),
        ("CT01", "Q3 2018/19"),
    ]


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12%", "12"), ("12 %", "12"), (" 45.5% ", "45.5"), ("1,234", "1234"),
        ("1,234,567.89", "1234567.89"), ("£1,500", "1500"), ("-3.5", "-3.5"),
        ("\u22123.5", "-3.5"), ("+7", "7"), (".5", "0.5"), ("7.", "7"), ("0.10", "0.10"),
        ("1.2E+03", "1200"), ("1e-2", "0.01"), (12, "12"), (0.1, "0.1"), (2.5e-07, "2.5E-7"),
        (10**20, "100000000000000000000"), ("", None), ("   ", None), (None, None),
    ],
)  # fmt: skip
def test_read_number_keeps_the_number_exact(cell, expected):
    read = read_number(cell)
    assert read == (None if expected is None else Decimal(expected))
    if expected is not None and not (isinstance(cell, str) and "e" in cell.lower()):
        assert str(read) == expected  # every digit as written, none added


@pytest.mark.parametrize(
    "cell",
    ["n/a", "N/A", "tbc", "*", "-", "12 people", "12,5", "1,23", "1.2.3", "12%%", "£", "%",
     "nan", "inf", "Infinity", "1e99999", True, float("nan"), float("inf"), dt.date(2019, 1, 1),
     dt.datetime(2019, 1, 1)],
)  # fmt: skip
def test_read_number_refuses_what_is_not_a_number(cell):
    with pytest.raises(ValueError):
        read_number(cell)


# --- problems, each at its row and column --------------------------------------------------------


def test_missing_code_and_period():
    read = read_rows(row(None), row("CT02", period_text="  "))
    first, second = errors(read)
    assert (first.row, first.column, first.field) == (2, "A", "code")
    assert first.message.startswith("No indicator code is given")
    assert (second.row, second.column, second.field) == (3, "B", "period_text")
    assert second.message.startswith("No period is given")
    assert first.place == "sheet 'Values', row 2, column A"
    assert len(read.rows) == 2  # read, with problems


def test_a_value_that_is_not_a_number_names_the_cell():
    problem = the_problem(read_rows(row(), row("CT02", value="n/a")))
    assert (problem.row, problem.column, problem.field) == (3, "C", "value")
    assert problem.message.startswith("The value 'n/a' in cell C3 is not a number.")


def test_numerator_and_denominator_that_are_not_numbers():
    read = read_rows(row(numerator="lots", denominator="about 1000"))
    first, second = errors(read)
    assert (first.column, first.field) == ("D", "numerator")
    assert "The numerator 'lots' in cell D2 is not a number" in first.message
    assert (second.column, second.field) == ("E", "denominator")
    assert "The denominator 'about 1000' in cell E2 is not a number" in second.message


def test_a_denominator_of_zero():
    problem = the_problem(read_rows(row(denominator=0)))
    assert (problem.row, problem.column) == (2, "E")
    assert "a denominator of zero" in problem.message and "cell E2" in problem.message


def test_negative_counts():
    read = read_rows(row(numerator=-4, denominator="-1,000", value="-0.4"))
    first, second = errors(read)
    assert (first.column, second.column) == ("D", "E")
    assert "The numerator in cell D2 is -4: a numerator is a count" in first.message
    assert "The denominator in cell E2 is -1,000" in second.message
    assert read.rows[0].value == Decimal("-0.4")  # a value may be negative (a change)


def test_an_unreadable_date_extracted():
    read = read_rows(row(extracted="32/01/2019"), row("CT02", extracted="Jan 2019"))
    first, second = errors(read)
    assert (first.row, first.column, first.field) == (2, "G", "extracted")
    assert "The date extracted '32/01/2019' in cell G2 is not a date" in first.message
    assert (second.row, second.column) == (3, "G")
    assert read.rows[0].extracted is None


def test_a_duplicate_names_the_first_row():
    read = read_rows(
        row("CT01"),
        row("CT02"),
        row("ct01", period_text="2018/19 Q3", source=" salt  RETURN"),  # the same, written so
        row("CT01", source="Carers' survey"),  # another source: fine
        row("CT01", period_text="Q4 2018/19"),  # another period: fine
    )
    problem = the_problem(read)
    assert (problem.row, problem.column, problem.field) == (4, "B", "period_text")
    assert problem.message == (
        "Indicator ct01 already has a value for 2018/19 Q3 from the source 'salt RETURN' on "
        "row 2. Give each indicator one value for each period and source."
    )
    assert len(read.rows) == 5


def test_duplicates_compare_unreadable_periods_as_text():
    read = read_rows(row(period_text="Spring 2019"), row(period_text="spring  2019"))
    assert "already has a value for spring 2019 from the source 'SALT return' on row 2" in (
        the_problem(read).message
    )


def test_an_excel_error_cell():
    problem = the_problem(read_rows(row(value="#DIV/0!")))
    assert (problem.row, problem.column, problem.field) == (2, "C", "value")
    assert "Cell C2 (Value) shows the Excel error #DIV/0!" in problem.message


def test_a_numerator_without_a_denominator_or_value():
    problem = the_problem(read_rows(row(value=None, denominator=None)))
    assert (problem.row, problem.column) == (2, "E")
    assert problem.message.startswith("There is a numerator but no denominator and no value.")


def test_a_row_without_any_value_is_left_out_with_a_warning():
    read = read_rows(row(), row("CT02", value=None, numerator=None, denominator=None))
    problem = the_problem(read, "warning")
    assert (problem.row, problem.column) == (3, "C")
    assert problem.message == "No value is given for CT02 Q3 2018/19, so this row is left out."
    assert [r.code for r in read.rows] == ["CT01"]


def test_a_file_with_no_values_is_refused():
    blank = row(value=None, numerator=None, denominator=None)
    read = read_rows(blank)
    assert not read.ok and read.rows == []
    assert "There are no values below the header row (row 1)." in [p.message for p in read.problems]
    problem = the_problem(read_rows())
    assert problem.message == "There are no values below the header row (row 1)."


def test_a_header_without_the_required_columns():
    problem = the_problem(read_rows(["x", "y"], header=["Indicator", "Source", "Note"]))
    assert problem.row == 1 and problem.column is None
    assert problem.message.startswith("The header row (row 1) has no Period or Value column.")


def test_no_header_row():
    problem = the_problem(read_values(xlsx([["Carers"], ["a", "b"]]), "values.xlsx"))
    assert problem.message.startswith("No header row was found in the first 20 rows")
    assert "'Values'" in problem.message


def test_too_many_rows():
    read = read_rows(*[row(f"CT{n:02d}") for n in range(6)], max_rows=5)
    problem = the_problem(read)
    assert problem.row is None
    assert "more than 5 rows of values" in problem.message
    assert len(read.rows) == 5


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"", "values.csv", "is empty"),
        (b"%PDF-1.4 ...", "values.pdf", "is a PDF, not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n....", "values.xlsx", "is a picture"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "values.xls", "old-style .xls"),
        (b"Code,Period,Value\nCT01,2018/19,4\n", "values.docx", "is not a spreadsheet"),
        (b"<html><body>values</body></html>", "values.csv", "a web page"),
        (b"PK\x03\x04 not really a zip", "values.xlsx", "damaged"),
    ],
)
def test_not_a_spreadsheet(data, filename, words):
    problem = the_problem(read_values(data, filename))
    assert words in problem.message
    assert problem.row is None and problem.sheet == ""


def test_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    problem = the_problem(read_values(out.getvalue(), "values.xlsx"))
    assert "not a spreadsheet" in problem.message


def test_an_internal_fault_is_one_problem(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(values_reader, "_find_header", broken)
    problem = the_problem(read_values(csv_bytes([HEADER, row()]), "values.csv"))
    assert problem.message == INTERNAL_FAULT


# --- never raises ------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_WORDS = st.sampled_from(
    [name for names in ALIASES.values() for name in names]
    + HEADER
    + ["CT01", "Q3 2018/19", "2018/19", "Apr 2018", "12%", "1,234", "n/a", "0", "-1", "#REF!"]
    + ["31/03/2019", "32/01/2019", "£5", "1e5", "(provisional)", "Q3 2018/19 (Oct-Dec)"]
)
_VALUES = st.one_of(
    st.none(),
    _TEXT,
    _WORDS,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
)
_GRIDS = st.lists(st.lists(_VALUES, max_size=9), max_size=8)


def _check(read: ValuesRead) -> None:
    """Never an internal fault; always rows or a blocking reason; every problem well formed."""
    assert INTERNAL_FAULT not in [p.message for p in read.problems]
    assert read.rows or errors(read)
    assert read.ok == (not errors(read))
    for problem in read.problems:
        assert problem.severity in ("error", "warning") and problem.message
        assert problem.field is None or problem.field in FIELDS
        assert problem.column is None or problem.column.isalpha()
    for found in read.rows:
        assert found.row > read.header_row
        for number in (found.value, found.numerator, found.denominator):
            assert number is None or (isinstance(number, Decimal) and number.is_finite())
        assert found.extracted is None or isinstance(found.extracted, dt.date)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    for filename in ("values.xlsx", "values.csv", "values"):
        read = read_values(data, filename)
        _check(read)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=_GRIDS, header=st.lists(_WORDS, min_size=1, max_size=9), good=st.booleans())
def test_random_cells_never_raise(grid, header, good):
    rows = [HEADER if good else header, *grid]
    _check(read_values(xlsx(rows), "values.xlsx", max_rows=5))
    text_rows = [[v if isinstance(v, str) else "" for v in values] for values in rows]
    _check(read_values(csv_bytes(text_rows), "values.csv", max_rows=5))
