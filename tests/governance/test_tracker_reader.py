"""Reading a scrutiny recommendations tracker (.xlsx or CSV) into rows and problems."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caring.governance import tracker_reader
from caring.governance.tracker_reader import (
    ALIASES,
    FIELDS,
    INTERNAL_FAULT,
    RESPONSES,
    STATUSES,
    TrackerRead,
    TrackerRow,
    read_response,
    read_tracker,
    read_tracker_status,
)
from caring.workbooks.records import Problem
from tests.test_layers import imported_modules

HEADER = [
    "Reference",
    "Origin committee",
    "Date agreed",
    "Recommendation",
    "Executive date",
    "Lead officer",
    "Action taken",
    "Status",
]
FULL_HEADER = [*HEADER, "Response", "Due", "RAG"]
# Column letters of FULL_HEADER: A ref, B committee, C agreed, D text, E executive date,
# F lead, G action taken, H status, I response, J due, K RAG.


def xlsx(rows, *, title: str = "Tracker", before: list[tuple[str, list]] = ()) -> bytes:
    """A workbook whose sheets ``before`` come first, then ``title`` holding ``rows``."""
    book = Workbook()
    book.remove(book.active)
    for name, other in [*before, (title, rows)]:
        sheet = book.create_sheet(name)
        for row in other:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


def row(ref: str = "CSC/17/01", **changes) -> list:
    """One good tracker row in FULL_HEADER order, with ``changes`` by field name."""
    values = {
        "reference": ref,
        "committee": "Children's Services Scrutiny Committee",
        "agreed": "30/11/2017",
        "text": "That the council publishes a carers' assessment leaflet.",
        "executive_date": "15/01/2018",
        "lead": "Head of Adult Social Care",
        "action_taken": "Leaflet drafted with the carers' forum.",
        "status": "In progress",
        "response": "Accepted",
        "due_text": "in 12 months",
        "rag": "Amber",
    }
    values.update(changes)
    return [values[name] for name in FIELDS]


def read_rows(*rows, header=FULL_HEADER, max_rows: int = 5000) -> TrackerRead:
    return read_tracker(xlsx([header, *rows]), filename="tracker.xlsx", max_rows=max_rows)


def errors(read: TrackerRead) -> list[Problem]:
    return [p for p in read.problems if p.severity == "error"]


def the_error(read: TrackerRead) -> Problem:
    found = errors(read)
    assert len(found) == 1, [p.message for p in read.problems]
    assert not read.ok
    return found[0]


# --- the happy path -----------------------------------------------------------------------------


def test_reads_a_full_tracker_with_excel_dates_and_text_dates():
    read = read_rows(
        row(
            "CSC/17/01",
            agreed=dt.datetime(2017, 11, 30),
            executive_date=dt.date(2018, 1, 15),
            text="  That the council publishes\na leaflet.  ",
            status="Completed",
            response="Partly accepted",
            due_text=dt.datetime(2018, 11, 30),
            rag="G",
        ),
        row("CSC/17/02", agreed="30 November 2017", executive_date="2018-01-15"),
        row("  CSC/17/03 ", agreed="30/11/2017", executive_date=None, response=None, rag=None),
    )

    assert read.ok and read.problems == []
    assert read.sheet == "Tracker" and read.header_row == 1
    assert read.columns == dict(zip(FIELDS, "ABCDEFGHIJK", strict=True))
    first, second, third = read.rows
    assert first == TrackerRow(
        row=2,
        reference="CSC/17/01",
        committee="Children's Services Scrutiny Committee",
        agreed=dt.date(2017, 11, 30),
        text="That the council publishes\na leaflet.",
        executive_date=dt.date(2018, 1, 15),
        lead="Head of Adult Social Care",
        action_taken="Leaflet drafted with the carers' forum.",
        status="complete",
        status_text="Completed",
        response="partly_accepted",
        due_text="2018-11-30",
        rag="green",
    )
    assert (second.row, second.agreed, second.executive_date) == (
        3,
        dt.date(2017, 11, 30),
        dt.date(2018, 1, 15),
    )
    assert (second.status, second.status_text, second.response, second.due_text, second.rag) == (
        "in_progress",
        "In progress",
        "accepted",
        "in 12 months",
        "amber",
    )
    assert (third.reference, third.executive_date, third.response, third.rag) == (
        "CSC/17/03",
        None,
        "",
        None,
    )


def test_reads_a_csv_with_only_the_eight_usual_columns():
    data = csv_bytes(
        [
            HEADER,
            row("R1", action_taken='=HYPERLINK("http://x")', status="")[:8],
            row("R2", agreed="2017-11-30", status="Not started")[:8],
        ]
    )

    read = read_tracker(data, filename="uploads/tracker.csv")

    assert read.ok and read.problems == []
    assert read.sheet == "tracker.csv"
    assert [r.reference for r in read.rows] == ["R1", "R2"]
    first, second = read.rows
    assert first.action_taken == '=HYPERLINK("http://x")'  # text in a CSV, not a formula
    assert (first.status, first.status_text) == ("", "")
    assert (first.response, first.due_text, first.rag) == ("", "", None)
    assert second.agreed == dt.date(2017, 11, 30) and second.status == "not_started"
    assert set(read.columns) == {
        "reference", "committee", "agreed", "text", "executive_date", "lead", "action_taken",
        "status",
    }  # fmt: skip


def test_header_found_below_title_rows_and_blank_rows_skipped():
    data = xlsx(
        [
            ["Overview and Scrutiny: recommendations tracker"],
            ["Updated 1 March 2018"],
            [],
            FULL_HEADER,
            row("A1"),
            [],
            [None, None, None, None],
            row("A2"),
        ]
    )

    read = read_tracker(data, filename="tracker.xlsx")

    assert read.ok, [p.message for p in read.problems]
    assert read.header_row == 4
    assert [(r.row, r.reference) for r in read.rows] == [(5, "A1"), (8, "A2")]


def test_header_on_a_later_sheet_is_found():
    data = xlsx(
        [HEADER, row("B1")[:8]],
        title="Recommendations",
        before=[("Cover", [["How to use this tracker"], ["Fill in one row per recommendation"]])],
    )

    read = read_tracker(data, filename="tracker.xlsx")

    assert read.ok and read.sheet == "Recommendations"
    assert [r.reference for r in read.rows] == ["B1"]


@pytest.mark.parametrize(
    "header",
    [
        ["Ref.", "Committee", "Meeting date", "Recommendations", "Cabinet date",
         "Responsible officer", "Progress", "Status", "Accepted?", "Timescale", "RAG"],
        ["Rec No", "Origin", "Date", "Recommendation", "Executive response date", "Lead",
         "Update", "STATUS", "Executive response", "Due", "rag"],
        ["Ref", "Origin Committee", "Date\nagreed", "Recommendation", "Executive Date",
         "Lead officer(s)", "Action taken", "Status", "Response", "Due", "RAG"],
    ],
)  # fmt: skip
def test_alternative_header_names(header):
    read = read_rows(row("X1", response="Yes", rag="Red"), header=header)

    assert read.ok, [p.message for p in read.problems]
    assert read.columns == dict(zip(FIELDS, "ABCDEFGHIJK", strict=True))
    (only,) = read.rows
    assert only.reference == "X1" and only.agreed == dt.date(2017, 11, 30)
    assert only.executive_date == dt.date(2018, 1, 15)
    assert (only.lead, only.response, only.rag) == ("Head of Adult Social Care", "accepted", "red")


def test_more_specific_header_wins_when_two_columns_name_one_field():
    header = ["Ref", "Progress", "Committee", "Date", "Recommendation", "Action taken"]
    read = read_tracker(
        xlsx([header, ["R1", "old note", "Scrutiny", "30/11/2017", "Do it", "Done it"]]),
        filename="t.xlsx",
    )

    assert read.ok
    assert read.columns["action_taken"] == "F"
    assert read.rows[0].action_taken == "Done it"


def test_value_merged_down_counts_for_each_row():
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    for values in [FULL_HEADER, row("M1"), row("M2", committee=None, agreed=None)]:
        sheet.append(values)
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    out = io.BytesIO()
    book.save(out)

    read = read_tracker(out.getvalue(), filename="t.xlsx")

    assert read.ok, [p.message for p in read.problems]
    assert [(r.committee, r.agreed) for r in read.rows] == [
        ("Children's Services Scrutiny Committee", dt.date(2017, 11, 30))
    ] * 2


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2017, 11, 30),
        dt.datetime(2017, 11, 30, 18, 30),
        dt.date(2017, 11, 30),
        43069,  # an Excel date serial typed as a plain number
        "30/11/2017",
        "30/11/17",
        "30.11.2017",
        "30 November 2017",
        "30th Nov 2017",
        "2017-11-30",
    ],
)
def test_date_agreed_accepts_days_in_the_usual_forms(value):
    read = read_rows(row(agreed=value))

    assert read.ok, [p.message for p in read.problems]
    assert read.rows[0].agreed == dt.date(2017, 11, 30)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("Implemented", "complete"),
        ("In progress", "in_progress"),
        ("ongoing", "in_progress"),
        ("Partially implemented", "in_progress"),
        ("Not started", "not_started"),
        ("Open", "not_started"),
        ("On hold", "on_hold"),
        ("Cancelled", "cancelled"),
        ("Withdrawn", "cancelled"),
        ("Rejected", "cancelled"),
        ("", ""),
    ],
)
def test_status_words(text, status):
    assert read_tracker_status(text) == status
    read = read_rows(row(status=text))
    assert read.ok and read.rows[0].status == status and read.rows[0].status_text == text


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("Accepted", "accepted"),
        ("Agreed", "accepted"),
        ("Yes", "accepted"),
        ("Partially accepted", "partly_accepted"),
        ("Partly accepted", "partly_accepted"),
        ("Accepted in part", "partly_accepted"),
        ("Partially", "partly_accepted"),
        ("Not accepted", "not_accepted"),
        ("Rejected", "not_accepted"),
        ("No", "not_accepted"),
        ("", ""),
        ("Awaiting response", ""),
    ],
)
def test_response_words(text, response):
    assert read_response(text) == response
    read = read_rows(row(response=text))
    assert read.ok and read.rows[0].response == response


# --- blocking problems, each at its row and column ----------------------------------------------


def test_blank_reference():
    read = read_rows(row("R1"), row("   "))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "A", "reference")
    assert problem.place == "sheet 'Tracker', row 3, column A"
    assert "no reference" in problem.message


def test_duplicate_reference_names_the_row_it_first_appeared_on():
    read = read_rows(row("R1"), row("R2"), row("r1 "))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (4, "A", "reference")
    assert "'r1'" in problem.message and "row 2" in problem.message
    assert [r.reference for r in read.rows] == ["R1", "R2", "r1"]  # kept, but not ok


def test_a_reference_longer_than_the_limit_is_refused_with_its_length():
    long = "X" * 61
    read = read_rows(row("R1"), row(long), row("Y" * 60))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "A", "reference")
    assert "61 characters" in problem.message and "at most 60" in problem.message


def test_blank_recommendation_text():
    read = read_rows(row("R1", text="  "))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "D", "text")
    assert "'R1' has no text" in problem.message


def test_blank_date_agreed():
    read = read_rows(row("R1"), row("R2", agreed=None))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "C", "agreed")
    assert "No date agreed" in problem.message
    assert read.rows[1].agreed is None


@pytest.mark.parametrize(
    "value", ["31/02/2018", "11/30/2017", "November 2017", "2017/18", "TBC", "next week", "1900"]
)
def test_date_agreed_that_is_not_a_day(value):
    read = read_rows(row(agreed=value))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "C", "agreed")
    assert f"'{value}' is not a date" in problem.message


def test_date_agreed_as_an_excel_date_before_1990_is_refused():
    read = read_rows(row(agreed=dt.date(1950, 1, 1)))

    problem = the_error(read)
    assert (problem.row, problem.column) == (2, "C")


@pytest.mark.parametrize("value", ["Q4 2017/18", "31/13/2018", "soon"])
def test_executive_date_that_is_not_a_day(value):
    read = read_rows(row(executive_date=value))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "E", "executive_date")
    assert f"executive date '{value}' is not a date" in problem.message
    assert read.rows[0].executive_date is None


def test_executive_date_before_date_agreed():
    read = read_rows(row(agreed="30/11/2017", executive_date=dt.datetime(2017, 11, 29)))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "E", "executive_date")
    assert "29 November 2017" in problem.message and "30 November 2017" in problem.message


def test_executive_date_on_the_day_agreed_is_fine():
    read = read_rows(row(agreed="30/11/2017", executive_date="30/11/2017"))
    assert read.ok and read.rows[0].executive_date == dt.date(2017, 11, 30)


@pytest.mark.parametrize("value", ["Nearly there", "On track", "Green"])
def test_status_that_cannot_be_read(value):
    read = read_rows(row(status=value))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "H", "status")
    assert f"status '{value}'" in problem.message
    assert (read.rows[0].status, read.rows[0].status_text) == ("", value)


@pytest.mark.parametrize("value", ["Maybe", "Noted", "Accepted with thanks"])
def test_response_that_cannot_be_read(value):
    read = read_rows(row("R1"), row("R2", response=value))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "I", "response")
    assert f"response '{value}'" in problem.message


def test_more_than_max_rows_is_one_problem():
    read = read_rows(row("R1"), row("R2"), row("R3"), row("R4"), max_rows=2)

    problem = the_error(read)
    assert "more than 2 recommendations" in problem.message
    assert [r.reference for r in read.rows] == ["R1", "R2"]


def test_excel_error_in_a_column_we_read():
    read = read_rows(row("R1", lead="#REF!"))

    problem = the_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "F", "lead")
    assert "#REF!" in problem.message
    assert read.rows[0].lead == ""


@pytest.mark.parametrize("missing", [["Origin committee"], ["Reference", "Date agreed"]])
def test_missing_required_columns_is_one_problem_naming_them(missing):
    header = [name for name in HEADER if name not in missing]
    data = xlsx([["Tracker 2017/18"], header, ["R1"] * len(header)])

    read = read_tracker(data, filename="tracker.xlsx")

    problem = the_error(read)
    assert problem.row == 2 and read.header_row == 2
    assert "header row (row 2)" in problem.message
    assert all(name in problem.message for name in missing)
    assert read.rows == []


def test_no_header_row_is_one_problem():
    data = xlsx([["Just some notes"], ["About carers", 3, 4]], title="Notes")

    read = read_tracker(data, filename="notes.xlsx")

    problem = the_error(read)
    assert problem.message.startswith("No header row was found in the first 20 rows")
    assert "'Notes'" in problem.message
    assert (read.rows, read.sheet, read.header_row) == ([], "", 0)


def test_header_below_row_20_is_not_looked_for():
    data = xlsx([[f"note {n}"] for n in range(20)] + [FULL_HEADER, row()])

    read = read_tracker(data, filename="tracker.xlsx")

    assert "No header row was found" in the_error(read).message


def test_header_with_no_rows_below_it():
    read = read_rows()

    problem = the_error(read)
    assert problem.row == 1 and "no recommendations below the header row" in problem.message


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"%PDF-1.4 tracker", "tracker.pdf", "is a PDF"),
        (b"hello, this is not a workbook", "tracker.xlsx", "is not a spreadsheet"),
        (b"", "tracker.csv", "is empty"),
        (b"PK\x03\x04 broken zip", "tracker.xlsx", "damaged"),
        (b"\x00\x01\x02", "tracker.csv", "not a text file"),
    ],
)
def test_refused_files_are_one_problem_and_no_rows(data, filename, words):
    read = read_tracker(data, filename=filename)

    problem = the_error(read)
    assert words in problem.message
    assert (problem.row, problem.column, read.rows, read.sheet) == (None, None, [], "")


# --- warnings do not block ----------------------------------------------------------------------


def test_unreadable_rag_and_blank_committee_are_warnings():
    read = read_rows(row("R1", rag="Purple", committee=""))

    assert read.ok
    assert [(p.column, p.field, p.severity) for p in read.problems] == [
        ("B", "committee", "warning"),
        ("K", "rag", "warning"),
    ]
    assert read.rows[0].rag is None and read.rows[0].committee == ""


def test_the_module_is_pure():
    imported = imported_modules(Path(tracker_reader.__file__))
    assert not {name for name in imported if name.startswith("django")}
    assert not {name for name in imported if name.endswith((".models", ".services"))}


# --- never raises -------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_WORDS = st.sampled_from(
    [name for names in ALIASES.values() for name in names]
    + FULL_HEADER
    + ["Complete", "Rejected", "Partly", "30/11/2017", "2018-01-01", "29/02/2019", "#REF!", "R1"]
)
_VALUES = st.one_of(
    st.none(),
    _TEXT,
    _WORDS,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
)
_GRIDS = st.lists(st.lists(_VALUES, max_size=12), max_size=8)


def _check(read: TrackerRead) -> None:
    """Never an internal fault; always rows or a blocking reason; values from the fixed lists."""
    assert INTERNAL_FAULT not in [p.message for p in read.problems]
    assert read.rows or errors(read)
    assert read.ok == (not errors(read))
    for problem in read.problems:
        assert problem.severity in ("error", "warning") and problem.message
        assert problem.field is None or problem.field in FIELDS
        assert problem.column is None or problem.column.isalpha()
    for found in read.rows:
        assert found.row > read.header_row
        assert found.status in (*STATUSES, "")
        assert found.response in (*RESPONSES, "")
        assert found.rag in (None, "red", "amber", "green", "blue")
        assert found.agreed is None or isinstance(found.agreed, dt.date)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    _check(read_tracker(data, filename="tracker.xlsx"))
    _check(read_tracker(data, filename="tracker.csv"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=_GRIDS, header=st.lists(_WORDS, min_size=1, max_size=11), good=st.booleans())
def test_random_cells_never_raise(grid, header, good):
    rows = [FULL_HEADER if good else header, *grid]
    _check(read_tracker(xlsx(rows), filename="tracker.xlsx", max_rows=5))
    text_rows = [[v if isinstance(v, str) else "" for v in values] for values in rows]
    _check(read_tracker(csv_bytes(text_rows), filename="tracker.csv", max_rows=5))
