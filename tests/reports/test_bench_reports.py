"""The report pack benchmark (``bench/reports.py``) measures what it says, so it can't rot."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from pptx import Presentation

from bench import reports


def cells_of_docx(data: bytes) -> list[str]:
    return [c.text for t in Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells]


def test_the_plan_has_the_size_the_issue_asks_for():
    data, previous = reports.export_with_history(200, 24)
    assert len(data["actions"]) == 200
    assert {len(a["updates"]) for a in data["actions"]} == {24}
    dates = sorted(dt.date.fromisoformat(u["date"]) for a in data["actions"] for u in a["updates"])
    assert (dates[-1] - dates[0]).days >= 690  # two years of monthly updates
    report = reports.the_report(data, previous)
    assert report.changes.completed and report.changes.slipped  # the comparison has work to do


def test_the_bare_word_document_holds_every_cell_of_the_packs_tables():
    data, previous = reports.export_with_history(30, 3)
    report = reports.the_report(data, previous)
    blocks = reports.document(report)
    out = io.BytesIO()
    reports.render_docx(report, out)
    pack = cells_of_docx(out.getvalue())
    bare = cells_of_docx(reports.bare_docx(blocks))
    expected = [v for t in reports.tables_of(blocks) for row in (t.columns, *t.rows) for v in row]
    assert bare == expected
    assert set(expected) <= set(pack)  # the pack may add a cover table, never lose a cell


def test_the_bare_slides_and_page_hold_the_tables_the_pack_shows():
    data, previous = reports.export_with_history(30, 3)
    report = reports.the_report(data, previous)
    tables = [t for t in reports.tables_of(reports.document(report))
              if t.caption in reports.SLIDE_TABLES]  # fmt: skip
    assert {t.caption for t in tables} >= {"Actions by RAG rating", "The recommendations tracker"}
    deck = Presentation(io.BytesIO(reports.bare_pptx(tables)))
    assert [s.shapes.title.text for s in deck.slides] == [t.caption for t in tables]
    page = reports.bare_html(reports.document(report))
    assert all(a["ref"] in page for a in data["actions"])


def test_a_run_prints_a_row_per_format_and_names_any_miss():
    lines, failed = reports.run(20, 2, 1)
    table = "\n".join(lines)
    for name in ("Word (.docx)", "Slides (.pptx)", "HTML", "PDF", "Excel (.xlsx)"):
        assert f"| {name} |" in table
    assert "| **all five formats** |" in table
    assert all(f.startswith("report pack, all formats") for f in failed)
