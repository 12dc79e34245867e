"""The reader on councils' layouts 1 to 3."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl.styles.colors import Color

from caring.plans.dates import DateKind
from caring.workbooks import cells
from caring.workbooks.reader import (
    read_workbook,
)
from tests.workbooks.builders import (
    csv_bytes,
    new_sheet,
    save,
    solid,
    xlsx,
)
from tests.workbooks.reading import HEADER, by_ref, read

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
