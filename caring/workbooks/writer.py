"""Write the plan as an Excel workbook better than the one councils had.

Pure: it takes the plan's export data (``caring.plans.export.plan_export``) and writes with
openpyxl; no Django. Sheets: "Read me", "Action Plan" (the council's layout plus the columns
members asked for), "Updates", "Due-date changes" and "Key". Text that Excel would run as a
formula (starting ``=``, ``+``, ``-`` or ``@``) is written as text.
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

RAG_TEXT = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", None: "Not rated"}
RAG_FILLS = {"Red": "F4D7D7", "Amber": "FFEE80", "Green": "CFE4DC", "Blue": "D2E2F1"}
STATUS_TEXT = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "on_hold": "On hold",
    "cancelled": "Cancelled",
}
# (header, width, value from one action of the export)
PLAN_COLUMNS = [
    ("ID", 8, lambda a: a["id"]),
    ("Revision", 9, lambda a: a["revision"]),
    ("Ref", 8, lambda a: a["ref"]),
    ("Theme", 18, lambda a: a["theme"] or ""),
    ("Action", 45, lambda a: a["title"]),
    ("Description", 40, lambda a: a["description"]),
    ("Lead", 24, lambda a: a["lead"]),
    ("Lead organisation", 28, lambda a: "\n".join(a["organisations"])),  # a name a line
    ("Link to Strategy Outcome", 12, lambda a: ", ".join(a["outcomes"])),
    ("Date commenced", 14, lambda a: _date(a["commenced"])),
    ("Timescale", 16, lambda a: a["due_text"] or ("Ongoing" if a["ongoing"] else "")),
    ("Due date", 13, lambda a: _date(a["due"])),
    ("Original due date", 13, lambda a: _date(a["original_due"])),
    ("Times slipped", 9, lambda a: a["times_slipped"]),
    ("Status", 13, lambda a: STATUS_TEXT[a["status"]]),
    ("RAG", 11, lambda a: RAG_TEXT[a["rag"]]),
    ("Suggested RAG", 11, lambda a: RAG_TEXT[a["suggested_rag"]]),
    ("Evidence", 40, lambda a: "\n".join(_evidence(e) for e in a["evidence"])),
    ("Latest update", 45, lambda a: a["updates"][-1]["narrative"] if a["updates"] else ""),
    ("Latest update date", 13, lambda a: _date(a["updates"][-1]["date"]) if a["updates"] else None),
    ("Flags", 24, lambda a: ", ".join(a["flags"])),
]
HIDDEN = {"ID", "Revision"}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _evidence(item: dict) -> str:
    detail = item["text"] or item["url"] or item["file"] or ""
    return f"{item['title']}: {detail}" if detail else item["title"]


def _put(sheet, row: int, column: int, value) -> None:
    """Write a value; text Excel would treat as a formula is kept as text."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    cell.alignment = WRAP


def _table(sheet, headers: list[tuple[str, int]], rows: list[list]) -> None:
    for column, (header, width) in enumerate(headers, start=1):
        _put(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = BOLD
        sheet.column_dimensions[get_column_letter(column)].width = width
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _put(sheet, r, c, value)
    last = get_column_letter(len(headers))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_plan_workbook(
    data: dict, out: BinaryIO, *, exported_at: dt.datetime, send_back_to: str = ""
) -> None:
    """Write the workbook for ``data`` (the plan's export) to ``out``."""
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    _readme(readme, data, exported_at, send_back_to)
    plan = book.create_sheet("Action Plan")
    actions = data["actions"]
    _table(
        plan,
        [(header, width) for header, width, _ in PLAN_COLUMNS],
        [[value(a) for _, _, value in PLAN_COLUMNS] for a in actions],
    )
    _plan_extras(plan, len(actions))
    _table(
        book.create_sheet("Updates"),
        [("Ref", 8), ("Date", 13), ("By (role)", 30), ("Status", 13), ("RAG", 11), ("Update", 70)],
        [
            [a["ref"], _date(u["date"]), u["author"], STATUS_TEXT[u["status"]],
             RAG_TEXT[u["rag"]], u["narrative"]]
            for a in actions for u in a["updates"]
        ],
    )  # fmt: skip
    _table(
        book.create_sheet("Due-date changes"),
        [("Ref", 8), ("Changed", 20), ("From", 16), ("To", 16), ("Reason", 60), ("By", 30)],
        [
            [a["ref"], (c["changed_at"] or "")[:10], c["old_text"] or c["old_due"] or "",
             c["new_text"] or c["new_due"] or "", c["reason"], c["changed_by"]]
            for a in actions for c in a["due_changes"]
        ],
    )  # fmt: skip
    _key(book.create_sheet("Key"))
    book.save(out)


def _plan_extras(sheet, count: int) -> None:
    letters = {header: get_column_letter(i) for i, (header, _, _) in enumerate(PLAN_COLUMNS, 1)}
    for header in HIDDEN:
        sheet.column_dimensions[letters[header]].hidden = True
    last_row = max(count + 1, 2)
    for header in ("RAG", "Suggested RAG"):
        cells = f"{letters[header]}2:{letters[header]}{last_row}"
        for text, colour in RAG_FILLS.items():
            fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
            sheet.conditional_formatting.add(
                cells, CellIsRule(operator="equal", formula=[f'"{text}"'], fill=fill)
            )
    choices = [
        ("RAG", '"Red,Amber,Green,Blue,Not rated"'),
        ("Status", '"' + ",".join(STATUS_TEXT.values()) + '"'),
    ]
    for header, options in choices:
        rule = DataValidation(type="list", formula1=options, allow_blank=True)
        rule.error = f"Choose one of the {header} values in the list."
        rule.errorTitle = f"Not a {header} value"
        sheet.add_data_validation(rule)
        rule.add(f"{letters[header]}2:{letters[header]}{last_row + 500}")


def _readme(sheet, data: dict, exported_at: dt.datetime, send_back_to: str) -> None:
    strategy, version = data["strategy"], data["version"]
    lines = [
        (f"{strategy['title']}: delivery plan", True),
        (f"Plan version: {version['name']}", False),
        (f"Exported from Caring Together on {exported_at:%d/%m/%Y at %H:%M}.", False),
        ("", False),
        ("What this workbook is", True),
        ("The 'Action Plan' sheet lists every live action with its owner, dates, RAG rating, "
         "evidence and latest update. 'Updates' and 'Due-date changes' keep the history. "
         "'Key' explains the ratings.", False),
        ("", False),
        ("How to send it back", True),
        ("You can change the Action Plan sheet and send the workbook back: "
         + (send_back_to or "upload it in Caring Together (Import a workbook).")
         + " Do not change the hidden ID and Revision columns: they match each row to its action "
         "and show whether it changed in Caring Together since this export. Each change you make "
         "is shown to you before it is saved, and any clash with a newer change is listed.", False),
        ("Put each lead organisation on its own line (Alt+Enter in Excel). To add an action, "
         "add a row and leave its ID empty. Columns after 'Evidence' (suggested RAG, flags, "
         "dates of the latest update) are worked out by Caring Together: changes to them are "
         "not read. Deleting a row does not retire its action.", False),
    ]  # fmt: skip
    if strategy.get("illustrative"):
        lines.append(("", False))
        lines.append(("This plan is illustrative demo data, not the council's own text.", True))
    for row, (text, bold) in enumerate(lines, start=1):
        _put(sheet, row, 1, text)
        sheet.cell(row=row, column=1).font = Font(bold=bold)
    sheet.column_dimensions["A"].width = 110


def _key(sheet) -> None:
    _table(
        sheet,
        [("RAG", 12), ("Meaning", 70)],
        [
            ["Red", "Off track: overdue or failing."],
            ["Amber", "At risk or some slippage."],
            ["Green", "On track."],
            ["Blue", "Complete, with evidence."],
            ["Not rated", "The owner has not rated it yet."],
        ],
    )
