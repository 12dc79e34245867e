"""Reading councils' own delivery-plan workbooks and CSV files (pure: no database).

Every workbook is built here with openpyxl, in the layouts councils really use (see
tests/workbooks/builders.py for how formulas' saved values and error cells are made).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles.colors import Color

from caring.plans.dates import DateKind
from caring.workbooks import cells
from caring.workbooks.headers import ALIASES, normalise
from caring.workbooks.reader import (
    FIELDS,
    INTERNAL_FAULT,
    Problem,
    RawAction,
    ReadResult,
    read_workbook,
)
from tests.workbooks.builders import (
    csv_bytes,
    new_sheet,
    save,
    solid,
    with_cached_values,
    xlsx,
)

HEADER = ["Ref", "Action", "Lead", "Organisation", "Start date", "Target date", "RAG", "Progress"]


def read(data: bytes, filename: str = "plan.xlsx", **kwargs) -> ReadResult:
    result = read_workbook(data, filename=filename, **kwargs)
    assert all(p.severity in ("error", "warning") for p in result.problems)
    assert all(p.message and "Traceback" not in p.message for p in result.problems)
    return result


def by_ref(result: ReadResult) -> dict[str, RawAction]:
    return {a.ref: a for a in result.actions}


def where(result: ReadResult, *, row=None, field=None, severity=None) -> list[Problem]:
    return [
        p
        for p in result.problems
        if (row is None or p.row == row)
        and (field is None or p.field == field)
        and (severity is None or p.severity == severity)
    ]


def only_action(*rows, header=HEADER) -> tuple[RawAction, ReadResult]:
    result = read(xlsx([header, *rows]))
    assert len(result.actions) == 1
    return result.actions[0], result


# --- layout 1: a clean header on row 1 -------------------------------------------------------


# fmt: off
LAYOUT_1 = [
    [*HEADER, "Description", "Evidence", "Outcome", "Theme"],
    [1.1, "Carers' card", "Jane Smith", "Adult Social Care", dt.datetime(2018, 4, 1),
     dt.datetime(2019, 3, 31), "Green", "Launched.\nNow 300 holders.", "A card for carers",
     "Launch report", "1, 3", "Identification"],
    [2, "Young carers' assessments", "Young Carers Lead", "CYPS", "Q1 2018/19", "March 2019",
     "a", "", "", "", 2, "Young carers"],
    ["3a", "Carers' forum", "Tom Brown", None, None, "Ongoing"],
]
# fmt: on


def test_layout_1_clean_header_on_row_one():
    result = read(xlsx(LAYOUT_1))
    assert (result.sheet, result.header_row) == ("Action Plan", 1)
    # fmt: off
    assert result.mapping == {
        "ref": "A", "title": "B", "description": "I", "theme": "L", "lead": "C",
        "organisations": "D", "commenced": "E", "due": "F", "rag": "G", "evidence": "J",
        "progress": "H", "outcomes": "K",
    }
    # fmt: on
    assert result.problems == []
    assert not result.refused
    first, second, third = result.actions
    assert (first.sheet, first.row, first.ref) == ("Action Plan", 2, "1.1")
    assert (first.title, first.lead, first.organisations) == (
        "Carers' card",
        "Jane Smith",
        ["Adult Social Care"],
    )
    assert first.commenced.as_start == dt.date(2018, 4, 1)
    assert first.due.as_due == dt.date(2019, 3, 31)
    assert (first.rag, first.rag_source, first.status) == ("green", "text", None)
    assert first.progress == "Launched.\nNow 300 holders."
    assert (first.description, first.evidence) == ("A card for carers", "Launch report")
    assert (first.outcomes, first.theme, first.notes) == (["1", "3"], "Identification", {})
    assert second.ref == "2"
    assert second.commenced.kind is DateKind.QUARTER
    assert second.commenced.as_start == dt.date(2018, 4, 1)
    assert second.due.as_due == dt.date(2019, 3, 31)
    assert (second.rag, second.outcomes) == ("amber", ["2"])
    assert third.ref == "3a" and third.due.kind is DateKind.ONGOING
    assert (third.rag, third.rag_source, third.organisations, third.outcomes) == (
        None,
        None,
        [],
        [],
    )


def test_file_objects_are_read_as_well_as_bytes():
    result = read_workbook(
        io.BytesIO(xlsx([HEADER, ["1", "Do it", "Jo", "", "", "2019"]])), filename="plan.xlsx"
    )
    assert [a.ref for a in result.actions] == ["1"]


# --- layout 2: title rows, blank rows, merged theme rows, hidden and merged columns -----------


def test_layout_2_title_rows_section_rows_hidden_and_merged_cells():
    sheet = new_sheet(
        [
            ["Anytown Council"],
            ["Carers Strategy 2018-2021: Delivery Plan"],
            [],
            ["Last updated March 2019", None, None, None, "Version 3"],
            [],
            ["Ref", "Action", "Lead Officer", "Lead organisation", "Timescale", "RAG", "Budget"],
            ["Theme 1: Carers are identified early"],
            ["1.1", "GP carer registers", "Carers Lead", "CCG", "March 2019", "G", "£2k"],
            ["1.2", "Pharmacy leaflets", None, "CCG", "June 2019", "A", None],
            ["2. Young Carers"],
            ["2.1", "Schools award", "YC Lead", "CYPS", "2019/20", "R", None],
            ["CARERS' HEALTH"],
            ["3.1", "Health checks", "Public Health Lead", "NHS", "Dec-19", "G", None],
            [],
            ["3.2", "Flu jabs", "Public Health Lead", "NHS", "Q3 2019/20", "B", None],
        ]
    )
    sheet.merge_cells("A1:G1")
    sheet.merge_cells("A7:G7")
    sheet.merge_cells("A10:G10")
    sheet.merge_cells("C8:C9")  # one lead for two actions
    sheet.column_dimensions["C"].hidden = True
    sheet.column_dimensions["G"].hidden = True
    result = read(save(sheet))
    assert result.header_row == 6
    actions = by_ref(result)
    assert list(actions) == ["1.1", "1.2", "2.1", "3.1", "3.2"]
    assert actions["1.1"].theme == actions["1.2"].theme == "Theme 1: Carers are identified early"
    assert actions["2.1"].theme == "2. Young Carers"
    assert actions["3.1"].theme == actions["3.2"].theme == "CARERS' HEALTH"
    assert actions["1.1"].lead == actions["1.2"].lead == "Carers Lead"  # hidden and merged down
    assert actions["1.1"].notes == {"Budget": "£2k"}  # a hidden column, still read
    assert actions["1.2"].notes == {}
    assert actions["3.2"].due.as_due == dt.date(2019, 12, 31)
    assert result.mapping["lead"] == "C"
    assert [p.message for p in result.problems] == [
        "These columns were not recognised, so what they hold is kept as notes on each "
        "action: 'Budget' (column G)."
    ]


def test_section_rows_without_merging_are_found_by_their_text():
    result = read(
        csv_bytes(
            [
                ["Ref", "Action", "Lead", "Due"],
                ["Theme 2: Young Carers", "", "", ""],
                ["YC1", "Schools award", "YC Lead", "2019"],
                ["", "Priority 3 - Carers' health", "", ""],
                ["PH1", "Health checks", "PH Lead", "2019"],
                ["Employment", "", "", ""],  # lone text in the ref column
                ["E1", "Carer-friendly employers", "HR", "2020"],
            ]
        ),
        "plan.csv",
    )
    assert [(a.ref, a.theme) for a in result.actions] == [
        ("YC1", "Theme 2: Young Carers"),
        ("PH1", "Priority 3 - Carers' health"),
        ("E1", "Employment"),
    ]
    assert result.problems == []


def test_a_lone_ref_or_lone_title_is_an_action_with_a_problem_not_a_theme():
    result = read(xlsx([["Ref", "Action", "Lead"], ["1.4"], [None, "Review the offer"]]))
    assert [(a.ref, a.title, a.theme) for a in result.actions] == [
        ("1.4", "", None),
        ("", "Review the offer", None),
    ]
    assert [
        (p.row, p.column, p.field, p.severity)
        for p in result.problems
        if p.field in ("ref", "title")
    ] == [
        (2, "B", "title", "error"),
        (3, "A", "ref", "error"),
    ]


def test_a_two_row_header_is_read_as_one():
    sheet = new_sheet(
        [
            ["Ref", "Action", "Dates", None, "RAG"],
            [None, None, "Start", "Due", None],
            ["1", "Carers' card", "April 2018", "March 2019", "G"],
        ]
    )
    for cells_ in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        sheet.merge_cells(cells_)
    result = read(save(sheet))
    assert result.header_row == 1
    assert result.mapping == {"ref": "A", "title": "B", "commenced": "C", "due": "D", "rag": "E"}
    (action,) = result.actions
    assert action.commenced.as_start == dt.date(2018, 4, 1)
    assert action.due.as_due == dt.date(2019, 3, 31)


# --- layout 3: RAG given only as the cell's colour --------------------------------------------


FILLS = [
    ("FF0000", "red"),  # Excel's standard red
    ("C00000", "red"),  # dark red
    ("FFC7CE", "red"),  # the "Bad" cell style
    ("FFC000", "amber"),  # standard orange
    ("FFFF00", "amber"),  # yellow, often used for amber
    ("FFEB9C", "amber"),  # the "Neutral" cell style
    ("00B050", "green"),
    ("92D050", "green"),
    ("C6EFCE", "green"),  # the "Good" cell style
    ("0070C0", "blue"),
    ("00B0F0", "blue"),
    ("FFFFFF", None),  # white, grey and black are not ratings
    ("D9D9D9", None),
    ("000000", None),
]


def test_layout_3_rag_only_as_fill_colour():
    sheet = new_sheet([["No.", "Action", "Owner", "Deadline", "RAG Status"]])
    for n, (colour, _) in enumerate(FILLS, 1):
        sheet.append([n, f"Action {n}", "Jo", "2019", None])
        sheet.cell(row=n + 1, column=5).fill = solid(colour)
    sheet.append([99, "Not coloured", "Jo", "2019", None])
    result = read(save(sheet))
    got = [(a.rag, a.rag_source) for a in result.actions]
    assert got == [(rag, "fill" if rag else None) for _, rag in FILLS] + [(None, None)]
    assert result.problems == []


def test_text_wins_over_fill_and_unreadable_text_falls_back_to_fill():
    sheet = new_sheet(
        [
            ["Ref", "Action", "Lead", "Due", "RAG"],
            ["1", "Text and fill", "Jo", "2019", "Green"],
            ["2", "Not started and a fill", "Jo", "2019", "Not started"],
            ["3", "A status word and a fill", "Jo", "2019", "In progress"],
        ]
    )
    for row in (2, 3, 4):
        sheet.cell(row=row, column=5).fill = solid("FF0000")
    result = read(save(sheet))
    got = [(a.rag, a.rag_source, a.status) for a in result.actions]
    assert got == [
        ("green", "text", None),
        (None, None, "not_started"),
        ("red", "fill", "in_progress"),
    ]


def test_theme_and_indexed_colours_are_resolved_and_system_colours_warned_about():
    sheet = new_sheet([["Ref", "Action", "Lead", "Due", "RAG"]])
    colours = [
        Color(theme=5),  # accent 2 of the default Office theme, C0504D
        Color(theme=6, tint=-0.25),  # accent 3, darker: green
        Color(theme=9, tint=0.4),  # accent 6, lighter: orange
        Color(theme=4),  # accent 1, 4F81BD
        Color(indexed=2),  # the old palette's red
        Color(indexed=3),  # bright green
        Color(indexed=64),  # the system foreground colour: unknown
    ]
    for n, colour in enumerate(colours, 1):
        sheet.append([n, f"Action {n}", "Jo", "2019", None])
        sheet.cell(row=n + 1, column=5).fill = solid(colour)
    result = read(save(sheet))
    assert [a.rag for a in result.actions] == [
        "red",
        "green",
        "amber",
        "blue",
        "red",
        "green",
        None,
    ]
    (warning,) = result.problems
    assert (warning.row, warning.column, warning.field, warning.severity) == (
        8,
        "E",
        "rag",
        "warning",
    )
    assert "colour" in warning.message and "could not be read" in warning.message


@pytest.mark.parametrize(("colour", "rag"), FILLS)
def test_rag_from_rgb_picks_the_nearest_rating(colour, rag):
    rgb = tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
    assert cells.rag_from_rgb(rgb) == rag


def test_colours_that_name_no_colour_are_unreadable_not_a_crash():
    assert cells.colour_rgb(Color(theme=30), []) == cells.UNREADABLE
    assert cells.colour_rgb(Color(auto=True), []) == cells.UNREADABLE
    assert cells.colour_rgb(object(), []) == cells.UNREADABLE
    assert cells.theme_palette(b"<not xml") == []


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
        "The sheet has 5 rows; the most we read is 3. Split the plan into smaller files."
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


# --- never raises ---------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_HEADER_WORDS = st.sampled_from(
    [n for names in ALIASES.values() for n in names] + ["Status", "Key", "Total", "Theme 1: x"]
)
_VALUES = st.one_of(
    st.none(),
    _TEXT,
    _HEADER_WORDS,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(sorted(cells.ERROR_CODES - {"#SPILL!", "#CALC!"}) + ["R", "1-3", "ASC and X"]),
)
_GRIDS = st.lists(st.lists(_VALUES, max_size=7), max_size=10)


def _check(result: ReadResult) -> None:
    assert INTERNAL_FAULT not in [p.message for p in result.problems]
    for problem in result.problems:
        assert problem.severity in ("error", "warning")
        assert problem.field is None or problem.field in FIELDS
        assert problem.column is None or problem.column.isalpha()
    for action in result.actions:
        assert action.status in (
            None,
            "not_started",
            "in_progress",
            "complete",
            "on_hold",
            "cancelled",
        )
        assert action.rag in (None, "red", "amber", "green", "blue")
        assert all(isinstance(v, str) for v in action.notes.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=_GRIDS, header=st.lists(_HEADER_WORDS, min_size=1, max_size=6), fill=st.booleans())
def test_random_grids_never_raise(grid, header, fill):
    sheet = new_sheet([header, *grid])
    if fill:
        for row in sheet.iter_rows(min_row=2):
            for cell in row[:3]:
                cell.fill = solid("00B050")
    sheet.merge_cells("A2:B2") if len(grid) > 1 else None
    _check(read_workbook(save(sheet), filename="random.xlsx"))


@settings(max_examples=60, deadline=None)
@given(grid=st.lists(st.lists(st.one_of(_TEXT, _HEADER_WORDS), max_size=6), max_size=10))
def test_random_csv_never_raises(grid):
    _check(read_workbook(csv_bytes(grid), filename="random.csv"))


@settings(max_examples=100, deadline=None)
@given(texts=st.dictionaries(st.integers(1, 12), st.one_of(_TEXT, _HEADER_WORDS), max_size=8))
def test_header_detection_never_crashes(texts):
    from caring.workbooks.headers import header_score, resolve_columns

    header_score(texts)
    columns = resolve_columns(texts, {}, letter=lambda n: chr(64 + n))
    assert len(set(columns.fields.values())) == len(columns.fields)
    assert not set(columns.fields.values()) & set(columns.notes)
    assert set(columns.fields.values()) | set(columns.notes) == set(texts)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_raise(data):
    _check(read_workbook(data, filename="x.xlsx"))
    _check(read_workbook(data, filename="x.csv"))


def test_normalise_header_text():
    assert normalise("  Lead\nOfficer. ") == "lead officer"
    assert normalise("Action #") == "action no"
