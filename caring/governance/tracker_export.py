"""The recommendations tracker as rows, for the CSV and Excel downloads.

The columns are the ones councils' own trackers use (Reference, Origin committee, Date agreed,
Recommendation, Executive date, Lead officer, Action taken, Status), so a downloaded tracker can
be imported again, followed by this product's own (response, due, RAG, flags, actions).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HEADER = [
    "Reference", "Origin committee", "Date agreed", "Recommendation", "Executive date",
    "Lead officer", "Action taken", "Status", "Response", "Due", "Due date", "RAG",
    "Needs attention", "Plan actions", "Signed off at",
]  # fmt: skip
WIDTHS = [18, 26, 12, 60, 12, 30, 60, 22, 16, 22, 12, 10, 30, 16, 26]


def tracker_rows(items, *, today: dt.date):
    """The header, then one row per tracked item (``selectors.Item``)."""
    yield HEADER
    for item in items:
        r = item.resolution
        updates = list(r.updates.all())  # prefetched, oldest first
        latest = updates[-1] if updates else None
        yield [
            r.ref,
            r.meeting.body.name,
            r.meeting.date,
            r.text,
            r.response_date,
            r.lead_display,
            latest.narrative if latest else "",
            item.state_label,
            r.get_response_display() if r.kind == "recommendation" else "",
            r.due_text,
            r.due,
            r.rag or "",
            "; ".join(f.label for f in item.flags),
            " ".join(a.ref for a in r.actions.all()),
            str(r.signed_off_at) if r.signed_off_at_id else "",
        ]


def write_tracker_workbook(rows, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Recommendations"
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                value = "'" + value  # never a formula
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            if number == 1:
                cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{title}: recommendations tracker"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
