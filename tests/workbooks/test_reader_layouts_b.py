"""The reader on councils' layouts 4 to 6."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from caring.plans.dates import DateKind
from caring.workbooks import cells
from tests.workbooks.builders import (
    new_sheet,
    save,
    with_cached_values,
    xlsx,
)
from tests.workbooks.reading import HEADER, only_action, read, where

# --- layout 4: other header names, line breaks and spaces in them -----------------------------


def test_layout_4_header_variants_with_line_breaks_and_spaces():
    header = [
        "No.", "Task", "Detail", "Action\nOwner", "Lead\nAgency", "Date\nCommenced", "Deadline",
        "RAG\nrating", "  Progress   status ", "Evidence", "Progress\nupdate",
        "Link to Strategy\nOutcome", "Work-\nstream",
    ]  # fmt: skip
    row = ["A1", "Carers' card", "More detail", "Jo Bloggs", "Carers Centre", "01/04/2018",
           "31.3.19", "amber", "In progress", "Report", "Going well", "Outcomes 1 and 3",
           "Identification"]  # fmt: skip
    action, result = only_action(row, header=header)
    assert result.mapping == {
        "ref": "A", "title": "B", "description": "C", "theme": "M", "lead": "D",
        "organisations": "E", "commenced": "F", "due": "G", "rag": "H", "status": "I",
        "evidence": "J", "progress": "K", "outcomes": "L",
    }  # fmt: skip
    assert result.problems == []
    assert (action.ref, action.title, action.description) == ("A1", "Carers' card", "More detail")
    assert (action.lead, action.organisations) == ("Jo Bloggs", ["Carers Centre"])
    assert action.commenced.as_start == dt.date(2018, 4, 1)
    assert action.due.as_due == dt.date(2019, 3, 31)
    assert (action.rag, action.status, action.outcomes) == ("amber", "in_progress", ["1", "3"])
    assert (action.evidence, action.progress, action.theme) == (
        "Report",
        "Going well",
        "Identification",
    )


SPEC_HEADERS = {
    "ref": ["Ref", "Ref.", "No.", "No", "Action No", "Action Ref", "ID", "REF"],
    "title": ["Action", "Task", "Action/Task", "Actions"],
    "description": ["Description", "Detail"],
    "lead": ["Lead", "Lead Officer", "Action Owner", "Owner", "Responsible Officer",
             "Lead officer(s)"],
    "organisations": ["Organisation", "Lead organisation", "Partner", "Partners", "Lead Agency"],
    "commenced": ["Date Commenced", "Start", "Start date", "Commenced"],
    "due": ["Timescale", "Target date", "Deadline", "Due", "Due date", "Completion date",
            "Due date (dd/mm/yyyy)"],
    "rag": ["RAG", "RAG Status", "RAG rating", "Status"],
    "status": ["Progress status"],
    "evidence": ["Evidence"],
    "progress": ["Progress", "Update", "Comments", "Progress update"],
    "outcomes": ["Outcome", "Outcomes", "Link to Strategy Outcome", "Strategy outcome"],
    "theme": ["Theme", "Priority", "Workstream"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("field", "header"), [(f, h) for f, names in SPEC_HEADERS.items() for h in names]
)
def test_every_header_name_councils_use_is_recognised(field, header):
    other = "Lead" if field in ("ref", "title") else "Ref"
    result = read(xlsx([["Plan"], [header, other, "Action" if field != "title" else "Ref."]]))
    assert result.header_row == 2
    assert result.mapping[field] == "A"


def test_both_rag_and_status_columns_means_status_is_the_status():
    result = read(xlsx([["Ref", "Action", "Status", "RAG"], ["1", "x", "On hold", "R"]]))
    assert (result.mapping["status"], result.mapping["rag"]) == ("C", "D")
    assert (result.actions[0].status, result.actions[0].rag) == ("on_hold", "red")


def test_a_status_column_alone_holds_the_rag_and_any_status_words():
    result = read(
        xlsx(
            [
                ["Ref", "Action", "Status"],
                ["1", "a", "Complete"],
                ["2", "b", "In progress"],
                ["3", "c", "Green"],
                ["4", "d", "Not started"],
                ["5", "e", "On hold"],
            ]
        )
    )
    assert result.mapping["rag"] == "C" and "status" not in result.mapping
    got = [(a.rag, a.status) for a in result.actions]
    assert got == [
        ("blue", "complete"),
        (None, "in_progress"),
        ("green", None),
        (None, "not_started"),
        (None, "on_hold"),
    ]
    assert not any(p.field == "rag" for p in result.problems)


def test_ref_beats_id_when_both_are_there_and_the_id_is_kept_as_a_note():
    result = read(xlsx([["ID", "Ref", "Action", "Lead", "Due"], [17, "1.1", "x", "Jo", "2019"]]))
    assert result.mapping["ref"] == "B"
    assert result.actions[0].notes == {"ID": "17"}


# --- layout 5: theme column, Status and RAG, organisations and outcomes written many ways -----


# fmt: off
LAYOUT_5 = [
    ["Priority", "Action Ref", "Actions", "Partners", "Progress status", "RAG", "Outcomes"],
    ["Young carers", "1", "a", "CYPS / Barnardo's", "In progress", "R", "1, 3"],
    [None, "2", "b", "ASC and Crossroads", "Complete", "Blue", "Outcome 2"],
    ["Health", "3", "c", "Children and Young People's Services", "On hold", "At risk", "2 & 4"],
    [None, "4", "d", "NHS; CCG\nCarers Centre", "Not started", "Not started", "Outcomes 1 and 3"],
    ["Employment", "5", "d", "Health & Wellbeing Board", "Cancelled", "Off track", "1-3"],
    ["Employment", "6", "d", "Public Health + ASC", "Done", "Completed", "Outcome 2: carers"],
    ["Employment", "7", "d", "n/a", "Whenever", "Purple", "All of them"],
]
# fmt: on


def test_layout_5_theme_column_status_and_rag_organisations_and_outcomes():
    sheet = new_sheet(LAYOUT_5)
    sheet.merge_cells("A2:A3")  # the theme cell covers two actions
    sheet.merge_cells("A4:A5")
    result = read(save(sheet))
    assert (result.mapping["theme"], result.mapping["status"], result.mapping["rag"]) == (
        "A",
        "E",
        "F",
    )
    got = [(a.theme, a.organisations, a.status, a.rag, a.outcomes) for a in result.actions]
    assert got == [
        ("Young carers", ["CYPS", "Barnardo's"], "in_progress", "red", ["1", "3"]),
        ("Young carers", ["ASC", "Crossroads"], "complete", "blue", ["2"]),
        ("Health", ["Children and Young People's Services"], "on_hold", "amber", ["2", "4"]),
        ("Health", ["NHS", "CCG", "Carers Centre"], "not_started", None, ["1", "3"]),
        ("Employment", ["Health & Wellbeing Board"], "cancelled", "red", ["1", "2", "3"]),
        ("Employment", ["Public Health", "ASC"], "complete", "blue", ["2"]),
        ("Employment", [], None, None, []),
    ]
    sixth, seventh = result.actions[5:]
    assert sixth.notes == {"Outcomes": "Outcome 2: carers"}  # read, with words we did not use
    assert seventh.notes == {
        "Progress status": "Whenever",
        "RAG": "Purple",
        "Outcomes": "All of them",
    }
    row_8 = [(p.column, p.field, p.severity) for p in where(result, row=8)]
    assert row_8 == [
        ("D", "lead", "warning"),  # "n/a" names no owner (and there is no lead column)
        ("E", "status", "warning"),
        ("F", "rag", "warning"),
        ("G", "outcomes", "warning"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("CYPS / Barnardo's", ["CYPS", "Barnardo's"]),
        ("ASC and Crossroads", ["ASC", "Crossroads"]),
        ("Children and Young People's Services", ["Children and Young People's Services"]),
        ("Health & Wellbeing Board", ["Health & Wellbeing Board"]),
        ("Health and Social Care Partnership", ["Health and Social Care Partnership"]),
        ("Adult Social Care and Carers Trust", ["Adult Social Care", "Carers Trust"]),
        ("CCG & Carers Centre", ["CCG", "Carers Centre"]),
        ("NHS, CCG; Age UK", ["NHS", "CCG", "Age UK"]),
        ("ASC\nCCG", ["ASC", "CCG"]),
        ("ASC + Public Health", ["ASC", "Public Health"]),
        ("Barnardo\u2019s and Action for Children", ["Barnardo\u2019s", "Action for Children"]),
        ("work with housing and health colleagues", ["work with housing and health colleagues"]),
        ("ASC / ASC", ["ASC"]),
        ("N/A", []),
        ("-", []),
        ("", []),
    ],
)
def test_organisations_are_split_only_where_they_are_separate(text, names):
    assert cells.split_organisations(text) == names


@pytest.mark.parametrize(
    ("value", "numbers", "understood"),
    [
        ("1, 3", ["1", "3"], True),
        ("Outcome 2", ["2"], True),
        ("2 & 4", ["2", "4"], True),
        ("Outcomes 1 and 3", ["1", "3"], True),
        ("1-3", ["1", "2", "3"], True),
        ("1 \u2013 3", ["1", "2", "3"], True),
        ("Outcomes 2 to 4", ["2", "3", "4"], True),
        ("1;2\n4", ["1", "2", "4"], True),
        (3, ["3"], True),
        (2.0, ["2"], True),
        ("1.2, 1.3", ["1.2", "1.3"], True),
        ("Outcome 2 - carers are valued", ["2"], False),
        ("5-2", ["5", "2"], False),
        ("all", [], False),
        (None, [], True),
    ],
)
def test_outcome_numbers(value, numbers, understood):
    assert cells.read_outcomes(value) == (numbers, understood)


@pytest.mark.parametrize(
    ("text", "rag"),
    [
        ("R", "red"), ("red", "red"), ("RED", "red"), ("Off track", "red"),
        ("a", "amber"), ("Amber", "amber"), ("At risk", "amber"), ("Delayed", "amber"),
        ("G", "green"), ("Green.", "green"), ("On track", "green"), ("Green - on track", "green"),
        ("B", "blue"), ("Blue", "blue"), ("Complete", "blue"), ("Completed", "blue"),
        ("Done", "blue"), ("Not started", None), ("", None), ("Not rated", None),
    ],
)  # fmt: skip
def test_rag_words(text, rag):
    assert cells.read_rag(text) == (rag, True)


def test_rag_words_that_are_not_ratings():
    assert cells.read_rag("Amber/Green") == (None, False)
    assert cells.read_rag("Purple") == (None, False)


# --- layout 6: a key sheet first, keys, notes and totals below, formulas ----------------------


def layout_6() -> Workbook:
    key = new_sheet([["Key"], ["RAG", "Meaning"], ["Red", "Off track"]], title="Key")
    book = key.parent
    new_sheet(
        [
            ["Recommendations from the review"],
            ["No.", "Recommendation", "Lead", "Timescale"],  # a header, but with no Action column
            [1, "Do better", "Director", "2019"],
        ],
        title="Recommendations",
        book=book,
    )
    new_sheet(
        [
            ["Ref", "Action", "Lead", "Timescale", "RAG", "Budget"],
            ["1", "Carers' card", "Jo", "=DATE(2019,3,31)", '=IF(TRUE,"G","R")', "=2*1000"],
            ["2", "Breaks", "Jo", "#REF!", "A", "#DIV/0!"],
            ["3", "Advice line", "#N/A", "2019", "#VALUE!", None],
            [None, None, None, None, None, "#NAME?"],  # a template row copied down: not reported
            ["Total", None, None, None, None, 2000],
            ["4", "Not an action", "Jo", "2019", "G", None],
            [],
            ["Key:"],
            ["R", "Red: off track"],
        ],
        title="Action Plan",
        book=book,
    )
    return book


def test_layout_6_other_sheets_keys_totals_and_formula_errors():
    data = with_cached_values(save(layout_6()), {"D2": 43555, "E2": "G", "F2": 2000}, sheet=3)
    result = read(data)
    assert (result.sheet, result.header_row) == ("Action Plan", 1)
    assert [a.ref for a in result.actions] == ["1", "2", "3"]
    first = result.actions[0]
    assert first.due.as_due == dt.date(2019, 3, 31)  # a formula's saved date (a date serial)
    assert (first.rag, first.rag_source, first.notes) == ("green", "text", {"Budget": "2000"})
    errors = [(p.row, p.column, p.field) for p in result.problems if p.severity == "error"]
    assert errors == [(3, "D", "due"), (3, "F", None), (4, "C", "lead"), (4, "E", "rag")]
    messages = [p.message for p in result.problems if p.severity == "error"]
    assert messages[0].startswith("Cell D3 shows the formula error #REF!.")
    assert "F3 shows the formula error #DIV/0!" in messages[1]
    assert "#N/A" in messages[2] and "#VALUE!" in messages[3]
    # an error cell is not also reported as missing or unreadable
    assert not [p for p in result.problems if p.row in (3, 4) and p.severity == "warning"]
    assert result.refused


def test_formulas_without_saved_values_read_as_blank():
    result = read(save(layout_6()))  # as openpyxl saves it: no value was ever calculated
    first = result.actions[0]
    assert first.due.kind is DateKind.BLANK and first.rag is None
    assert where(result, row=2, field="due")[0].message == "No timescale is given for this action."


@pytest.mark.parametrize(
    "marker", ["Key", "KEY", "Key to RAG ratings", "Notes:", "Note - dates", "Total", "Totals"]
)
def test_key_notes_and_total_rows_end_the_table(marker):
    result = read(xlsx([HEADER, ["1", "a", "Jo"], [marker, "R = red"], ["2", "b", "Jo"]]))
    assert [a.ref for a in result.actions] == ["1"]


def test_key_priority_headings_do_not_end_the_table():
    result = read(
        xlsx([HEADER, ["Key priority 1: carers' health"], ["1", "a", "Jo", "", "", "2019"]])
    )
    assert [(a.ref, a.theme) for a in result.actions] == [("1", "Key priority 1: carers' health")]


def test_two_blank_rows_end_the_table_and_one_does_not():
    result = read(
        xlsx(
            [
                HEADER,
                ["1", "a", "Jo", "", "", "2019"],
                [],
                ["2", "b", "Jo", "", "", "2019"],
                [],
                [],
                ["Red", "Behind schedule"],
                ["Green", "On track"],
            ]
        )
    )
    assert [a.ref for a in result.actions] == ["1", "2"]
    assert result.problems == []


def test_actions_after_two_blank_rows_are_not_read_but_warned_about():
    result = read(xlsx([HEADER, ["1", "a", "Jo", "", "", "2019"], [], [], ["2", "b", "Jo"]]))
    assert [a.ref for a in result.actions] == ["1"]
    (warning,) = result.problems
    assert (warning.row, warning.severity) == (5, "warning")
    assert "were not read" in warning.message and "blank rows" in warning.message


def test_rows_with_no_ref_and_no_title_are_skipped_silently():
    result = read(
        xlsx(
            [
                HEADER,
                ["1", "a", "Jo", "", "", "2019"],
                [None, None, "Jo", None, None, None, None, "More"],
            ]
        )
    )
    assert [a.ref for a in result.actions] == ["1"]
    assert result.problems == []
