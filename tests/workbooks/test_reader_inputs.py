"""The reader on CSV files, problems, the user's columns, and our own workbooks sent back."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from caring.plans.dates import DateKind
from caring.workbooks.reader import (
    INTERNAL_FAULT,
)
from tests.workbooks.builders import (
    csv_bytes,
    new_sheet,
    save,
    xlsx,
)
from tests.workbooks.reading import HEADER, only_action, read, where

# --- CSV files ---------------------------------------------------------------------------------


CSV_ROWS = [
    ["Carers Strategy delivery plan"],
    [],
    ["Ref", "Action", "Lead Officer", "Partners", "Target date", "RAG", "Cost"],
    ["Theme 1: Identification"],
    ["1.1", "Carers\u2019 card", "Jo", "CYPS / Barnardo\u2019s", "31/03/2019", "G", "£500"],
    ["1.2", "Leaflets", "", "", "Spring 2019", "Amber", ""],
    ["1.3", "Bad cell", "Jo", "ASC", "#REF!", "R", ""],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t")],
)
def test_csv_files_with_the_same_rules(encoding, delimiter):
    result = read(csv_bytes(CSV_ROWS, encoding=encoding, delimiter=delimiter), "Plan.CSV")
    assert (result.sheet, result.header_row) == ("Plan.CSV", 3)
    assert result.mapping == {
        "ref": "A", "title": "B", "lead": "C", "organisations": "D", "due": "E", "rag": "F",
    }  # fmt: skip
    first, second, third = result.actions
    assert (first.ref, first.title, first.theme) == (
        "1.1",
        "Carers\u2019 card",
        "Theme 1: Identification",
    )
    assert first.organisations == ["CYPS", "Barnardo\u2019s"]
    assert (first.due.as_due, first.rag, first.notes) == (
        dt.date(2019, 3, 31),
        "green",
        {"Cost": "£500"},
    )
    assert second.due.is_unparsed and second.rag == "amber"
    assert (third.ref, third.due.kind, third.rag) == ("1.3", DateKind.BLANK, "red")
    assert [(p.row, p.column, p.field, p.severity) for p in result.problems] == [
        (3, None, None, "warning"),  # Cost is kept as a note
        (6, "C", "lead", "warning"),
        (6, "E", "due", "warning"),
        (7, "E", "due", "error"),
    ]


# --- problems ----------------------------------------------------------------------------------


def test_no_header_anywhere_is_one_error_naming_the_headers_wanted():
    book = new_sheet([["Carers Strategy"], ["Some notes", "More notes"]], title="Intro").parent
    new_sheet([["Key"], ["RAG", "Meaning"]], title="Key", book=book)
    result = read(save(book))
    (problem,) = result.problems
    assert (problem.sheet, problem.row, problem.column, problem.severity) == (
        "",
        None,
        None,
        "error",
    )
    assert "Ref, Action, Lead, Timescale" in problem.message
    assert "'Intro', 'Key'" in problem.message
    assert (result.refused, result.header_row, result.actions) == (True, 0, [])


def test_a_sheet_with_no_action_column_is_read_when_no_other_sheet_has_one():
    book = new_sheet([["No.", "Recommendation", "Lead"], [1, "Do better", "Jo"]]).parent
    new_sheet([["Notes"], ["Nothing here"]], title="Notes", book=book)
    result = read(save(book))
    assert (result.sheet, [a.ref for a in result.actions]) == ("Action Plan", ["1"])
    assert result.refused  # no Action column: no action has a title
    assert "There is no Action column" in result.problems[0].message


def test_a_header_needs_a_ref_or_action_column_and_one_more():
    assert read(xlsx([["Lead", "Timescale", "RAG"], ["Jo", "2019", "G"]])).header_row == 0
    assert read(xlsx([["Action"], ["Do it"]])).header_row == 0
    assert read(xlsx([["Action", "RAG"], ["Do it", "G"]])).header_row == 1


def test_a_header_below_row_30_is_not_looked_for():
    rows = [[f"Introduction line {n}"] for n in range(30)] + [HEADER, ["1", "a", "Jo"]]
    assert read(xlsx(rows)).refused
    assert read(xlsx(rows[1:])).header_row == 30


def test_too_many_rows_is_one_error():
    rows = [HEADER] + [[str(n), f"Action {n}", "Jo", "", "", "2019"] for n in range(1, 6)]
    result = read(xlsx(rows), max_rows=3)
    errors = where(result, severity="error")
    assert [p.message for p in errors] == [
        "The sheet 'Action Plan' has 5 rows; the most we read is 3. Split the plan into smaller "
        "files."
    ]
    assert len(result.actions) == 3


def test_duplicate_refs_are_one_error_naming_both_rows():
    rows = [["1.1", "a"], ["2", "b"], [" 1.1 ", "c"]]
    result = read(xlsx([HEADER] + [[*row, "Jo", "", "", "2019"] for row in rows]))
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.field, problem.severity) == (
        4,
        "A",
        "ref",
        "error",
    )
    assert "rows 2 and 4" in problem.message and "'1.1'" in problem.message


def test_missing_owner_timescale_and_unreadable_dates():
    result = read(
        xlsx(
            [
                HEADER,
                ["1", "No owner", None, None, "", "2019"],
                ["2", "TBC owner", "TBC", "", "", "2019"],
                ["3", "No timescale", "Jo"],
                ["4", "Odd dates", "Jo", "", "when we can", "Spring 2019"],
            ]
        )
    )
    got = [(p.row, p.column, p.field, p.severity) for p in result.problems]
    assert got == [
        (2, "C", "lead", "warning"),
        (3, "C", "lead", "warning"),
        (4, "F", "due", "warning"),
        (5, "E", "commenced", "warning"),
        (5, "F", "due", "warning"),
    ]
    assert where(result, row=5, field="due")[0].message == (
        "The timescale 'Spring 2019' could not be read as a date; kept as written."
    )
    odd = result.actions[3]
    assert (odd.due.text, odd.due.is_unparsed, odd.commenced.text) == (
        "Spring 2019",
        True,
        "when we can",
    )
    assert not result.refused


def test_excel_date_serials_in_a_date_column_are_dates():
    action, _ = only_action(["1", "a", "Jo", "", 43191, 43555.0])
    assert (action.commenced.as_start, action.due.as_due) == (
        dt.date(2018, 4, 1),
        dt.date(2019, 3, 31),
    )


def test_sheet_level_warnings_for_missing_columns():
    result = read(xlsx([["Ref", "Action", "Notes"], ["1", "a", "x"]]))
    messages = [p.message for p in result.problems]
    assert any("no timescale column" in m for m in messages)
    assert any("no Lead or Organisation column" in m for m in messages)
    assert result.actions[0].notes == {"Notes": "x"}
    assert not result.refused


def test_unrecognised_and_unheaded_columns_are_kept_as_notes():
    result = read(
        xlsx(
            [
                ["Ref", "Action", "Lead", "Due", "Budget", None, "Budget"],
                ["1", "a", "Jo", "2019", "£1", "see me", "£2"],
            ]
        )
    )
    assert result.actions[0].notes == {"Budget": "£1", "Column F": "see me", "Budget (G)": "£2"}
    (warning,) = result.problems
    assert warning.message == (
        "These columns were not recognised, so what they hold is kept as notes on each action: "
        "'Budget' (column E), with no heading (column F), 'Budget (G)' (column G)."
    )


def test_garbage_is_an_error_not_an_exception():
    for data, name in [(b"not a workbook", "plan.xlsx"), (b"", "plan.xlsx"), (b"", "plan.csv")]:
        result = read(data, name)
        assert result.refused and len(result.problems) == 1
        assert result.problems[0].message != INTERNAL_FAULT


# --- the user's choice of columns ---------------------------------------------------------------


def test_mapping_by_header_text_and_column_letter():
    header = ["Item", "What we will do", "Who", "By when?", "Comments", "Update"]
    data = xlsx([header, ["7", "Carers' card", "Jo", "2019", "c", "u"]])
    assert read(data).refused  # "Item" is no ref heading we know
    result = read(data, mapping={"ref": "item", "title": "B", "lead": "Who", "progress": "F"})
    assert result.mapping == {"ref": "A", "title": "B", "lead": "C", "due": "D", "progress": "F"}
    action = result.actions[0]
    assert (action.ref, action.title, action.lead, action.progress) == (
        "7",
        "Carers' card",
        "Jo",
        "u",
    )
    assert action.notes == {"Comments": "c"}


def test_mapping_can_turn_a_column_off_and_reports_bad_choices():
    data = xlsx([HEADER, ["1", "a", "Jo", "", "", "2019", "G"]])
    result = read(data, mapping={"rag": ""})
    assert "rag" not in result.mapping and result.actions[0].notes == {"RAG": "G"}
    bad = read(data, mapping={"ref": "Reference number"})
    assert (
        bad.refused and "'Reference number' chosen for ref was not found" in bad.problems[0].message
    )
    unknown = read(data, mapping={"budget": "A"})
    assert unknown.refused and "'budget'" in unknown.problems[0].message


# --- a workbook Caring Together wrote, sent back ----------------------------------------------


def test_the_exported_workbook_reads_back():
    from caring.workbooks.writer import write_plan_workbook

    action = {
        "id": 41, "revision": 3, "ref": "YC5", "theme": "Young carers", "title": "Schools award",
        "description": "Award for schools", "lead": "Young Carers Lead",
        "organisations": ["CYPS", "Barnardo's"], "outcomes": ["1", "3"],
        "commenced": "2018-04-01", "due_text": "June 2018", "ongoing": False, "due": "2018-06-30",
        "original_due": "2018-03-31", "times_slipped": 1, "status": "in_progress", "rag": "amber",
        "suggested_rag": "red", "evidence": [], "updates": [], "flags": ["slipped"],
        "due_changes": [],
    }  # fmt: skip
    data = {
        "strategy": {"title": "Carers Strategy"},
        "version": {"name": "2018"},
        "actions": [action],
    }
    out = io.BytesIO()
    write_plan_workbook(data, out, exported_at=dt.datetime(2026, 11, 22, 10, 30))
    result = read(out.getvalue())
    assert result.sheet == "Action Plan"
    (got,) = result.actions
    assert (got.ref, got.title, got.theme, got.lead) == (
        "YC5",
        "Schools award",
        "Young carers",
        "Young Carers Lead",
    )
    assert (got.organisations, got.outcomes) == (["CYPS", "Barnardo's"], ["1", "3"])
    assert (got.commenced.as_start, got.due.as_due) == (dt.date(2018, 4, 1), dt.date(2018, 6, 30))
    assert (got.status, got.rag) == ("in_progress", "amber")
    assert got.notes["ID"] == "41" and got.notes["Revision"] == "3"
    assert not result.refused
