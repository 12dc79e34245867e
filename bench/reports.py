"""Benchmark: the progress report pack in every format for a 200-action plan with two years of
monthly updates, each beside a bare document of the same tables made with the same library.

- The **pack**: ``build_report`` (with the previous report's snapshot to compare with) and then
  each renderer: Word (``render_docx``: styles, captions, header rows, a matplotlib chart, page
  numbers), slides (``render_pptx``: a native chart, paginated tables), HTML (``render_html``:
  the Jinja template with an SVG chart), PDF (``render_pdf``: that HTML through WeasyPrint) and
  Excel (``write_plan_workbook``).
- The **baseline**, in the same run: the same library writing the same tables (every cell of
  every table the layout gives; for the slides, the tables the slides show, one slide each) with no
  styling, no chart and no pagination logic; for PDF, WeasyPrint on a bare HTML page of those
  tables; for Excel, openpyxl appending the same cell values (``bench.workbooks``).

Pure Python, no database: the plan's export is generated in memory (the database read is
measured by ``bench/run.py``'s JSON export measure). Run alone:
``.venv/bin/python bench/reports.py [--actions 200] [--months 24] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import html
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
import pptx  # noqa: E402
import weasyprint  # noqa: E402
from pptx.util import Inches  # noqa: E402

from bench.run import timed  # noqa: E402
from bench.workbooks import WORDS, plain_write, plan_data  # noqa: E402
from caring.reports.content import Narrative, Table, build_report  # noqa: E402
from caring.reports.layout import Heading, document  # noqa: E402
from caring.reports.render_docx import render_docx  # noqa: E402
from caring.reports.render_html import render_html, render_pdf  # noqa: E402
from caring.reports.render_pptx import render_pptx  # noqa: E402
from caring.workbooks.writer import write_plan_workbook  # noqa: E402

TARGET = 2.0  # the whole pack at most this many times the five bare documents
# The tables the slides show (the rest of the pack is for reading, not presenting).
SLIDE_TABLES = (
    "Actions by RAG rating",
    "Actions rated red or overdue",
    "Actions still without a lead or a timescale",
    "The recommendations tracker",
)  # the pack at most this many times the bare document, format by format


def export_with_history(actions: int, months: int, *, seed: int = 1) -> tuple[dict, dict]:
    """The plan's export with ``months`` monthly updates per action, and the previous report's
    snapshot: the same plan three months earlier (some not yet complete, red or slipped)."""
    rnd = random.Random(seed)
    data = plan_data(actions, seed=seed)
    start = dt.date(2018, 4, 1)
    for a in data["actions"]:
        a["updates"] = [
            {"date": (start + dt.timedelta(days=30 * k)).isoformat(), "author": "Change Leader",
             "narrative": " ".join(rnd.choice(WORDS) for _ in range(30)).capitalize(),
             "status": "in_progress", "rag": a["rag"]}
            for k in range(months)
        ]  # fmt: skip
    data["recommendations"] = [
        {"ref": f"HSC {n}", "meeting": "2018-03-01", "body": "Health Select Commission",
         "number": n, "kind": "recommendation", "text": " ".join(rnd.choices(WORDS, k=25)),
         "illustrative": True, "response": "accepted", "response_date": "2018-05-01",
         "lead": "Service Manager", "status": "in_progress", "rag": "amber", "flags": [],
         "due": "2019-04-30", "due_text": "during 2018/19", "actions": ["CS1"], "updates": []}
        for n in range(1, 21)
    ]  # fmt: skip
    data["information_requests"] = []
    previous = copy.deepcopy(data)
    for a in previous["actions"][::7]:
        a["status"], a["rag"] = "in_progress", "amber"
    for a in previous["actions"][::11]:
        a["due"] = "2018-12-31"
    return data, previous


def the_report(data: dict, previous: dict):
    return build_report(
        data, as_of=dt.date(2026, 11, 24), committee="Health Select Commission",
        meeting_date=dt.date(2027, 1, 14), author_role="Strategic Commissioning Manager",
        previous=previous, previous_label="the report issued on 1 July 2026",
        narrative=Narrative(summary="The plan is on track.", next_steps="Monthly meetings."),
    )  # fmt: skip


def tables_of(blocks) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def bare_docx(blocks) -> bytes:
    document_ = docx.Document()
    for block in blocks:
        if isinstance(block, Heading):
            document_.add_heading(block.text, level=block.level)
        elif isinstance(block, Table):
            table = document_.add_table(rows=1 + len(block.rows), cols=len(block.columns))
            for row, values in zip(table.rows, (block.columns, *block.rows), strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    out = io.BytesIO()
    document_.save(out)
    return out.getvalue()


def bare_pptx(tables: list[Table]) -> bytes:
    deck = pptx.Presentation()
    for table in tables:
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = table.caption
        shape = slide.shapes.add_table(
            1 + len(table.rows), len(table.columns), Inches(0.3), Inches(1.3), Inches(9.4),
            Inches(5.5),
        )  # fmt: skip
        for r, values in enumerate((table.columns, *table.rows)):
            for c, value in enumerate(values):
                shape.table.cell(r, c).text = value
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def bare_html(blocks) -> str:
    parts = ["<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>Report"
             "</title></head><body>"]  # fmt: skip
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h2>{html.escape(block.text)}</h2>")
        elif isinstance(block, Table):
            parts.append(f"<table><caption>{html.escape(block.caption)}</caption><tr>")
            parts += [f"<th>{html.escape(c)}</th>" for c in block.columns]
            parts.append("</tr>")
            for row in block.rows:
                parts.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def run(actions: int, months: int, repeat: int) -> tuple[list[str], list[str]]:
    """The table's lines, and the formats that missed the target."""
    data, previous = export_with_history(actions, months)
    report = the_report(data, previous)
    blocks = document(report)
    tables = tables_of(blocks)
    cells = sum(len(t.rows) * len(t.columns) for t in tables)
    updates = sum(len(a["updates"]) for a in data["actions"])

    def pack_docx():
        render_docx(the_report(data, previous), io.BytesIO())

    def pack_pptx():
        render_pptx(the_report(data, previous), io.BytesIO())

    def pack_xlsx():
        write_plan_workbook(data, io.BytesIO(), exported_at=dt.datetime(2026, 11, 24, 12))

    bare_page = bare_html(blocks)
    on_slides = [t for t in tables if t.caption in SLIDE_TABLES]
    measures = [
        ("Word (.docx)", pack_docx, lambda: bare_docx(blocks)),
        ("Slides (.pptx)", pack_pptx, lambda: bare_pptx(on_slides)),
        ("HTML", lambda: render_html(the_report(data, previous)), lambda: bare_html(blocks)),
        ("PDF", lambda: render_pdf(the_report(data, previous)),
         lambda: weasyprint.HTML(string=bare_page).write_pdf()),
        ("Excel (.xlsx)", pack_xlsx, lambda: plain_write(data)),
    ]  # fmt: skip
    lines = [
        f"## Report pack: {actions} actions, {updates:,} updates, {len(tables)} tables "
        f"({cells:,} cells), median of {repeat}",
        "",
        "| format | pack (ms) | bare document (ms) | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    failed = []
    totals = [0.0, 0.0]
    for name, pack, bare in measures:
        pack_ms, bare_ms = timed(pack, bare, repeat=repeat)
        totals[0] += pack_ms
        totals[1] += bare_ms
        lines.append(f"| {name} | {pack_ms:,.0f} | {bare_ms:,.0f} | {pack_ms / bare_ms:.2f} |")
    ratio = totals[0] / totals[1]
    verdict = "ok" if ratio <= TARGET else "**FAIL**"
    if ratio > TARGET:
        failed.append(f"report pack, all formats {ratio:.2f}x")
    lines += [
        f"| **all five formats** | {totals[0]:,.0f} | {totals[1]:,.0f} | {ratio:.2f} "
        f"(target ≤ {TARGET:g}x: {verdict}) |",
        "",
        "The pack adds what the bare documents lack: the chart (matplotlib, about 150-200 ms a "
        "drawing, in Word, HTML and PDF), styles, captions, header rows, fields and pagination. "
        "The target is on the whole pack, which is what a lead waits for when issuing a report.",
    ]
    return lines, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines, _ = run(args.actions, args.months, args.repeat)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
