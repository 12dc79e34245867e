"""LibreOffice Calc opens an exported workbook and saves it again: nothing is lost or changed.

Debian's headless Calc (``soffice``; ``make test`` installs it) stands in for a partner who
opens the workbook in LibreOffice, or in Excel, and saves it. The re-saved file must read back
the same, row by row, must hold no formula, and must come back onto the plan with no differences.
"""

import datetime as dt
import io
import os
import shutil

import pytest
from openpyxl import load_workbook

from caring.plans.export import plan_export
from caring.plans.models import Action, Strategy
from caring.plans.services.actions import action_edit, action_update_post
from caring.plans.services.evidence import EvidenceInput
from caring.plans.services.imports import workbook_import
from caring.workbooks.reader import read_workbook
from caring.workbooks.writer import write_plan_workbook
from tests.factories import UserFactory
from tests.reports.office import convert
from tests.workbooks.builders import xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI never skips the LibreOffice tests: install libreoffice-calc-nogui")
    pytestmark.append(pytest.mark.skip(reason="no soffice (scripts/ensure-system.sh libreoffice)"))
elif os.environ.get("CARING_SKIP_LIBREOFFICE") and os.environ.get("CI") != "true":
    pytestmark.append(pytest.mark.skip(reason="CARING_SKIP_LIBREOFFICE is set"))

TRICKY = [
    ["Ref", "Action", "Description", "Lead Officer", "Partner", "Date Commenced", "Timescale",
     "RAG", "Progress", "Link to Strategy Outcome", "Budget code"],
    ["Theme 1: Carers Support"],
    ["CS1", "Offer carers' assessments", "Line one\nLine two", "Change Leader",
     "Adult Social Care / Crossroads Care", dt.datetime(2018, 1, 15), "Q2 2018/19", "Amber",
     "+44 1709 number written by a carer", "2, 3", "@budget"],
    ["CS2", "Coffee shop pilot", "", "Commissioning Officer",
     "Children and Young People's Services", "March 2018", "Ongoing", "Red",
     "-minus at the start", "1", "B-17"],
    ["2. Young Carers"],
    ["YC7", "Données sur les jeunes aidants – “quoted” ✓", "", "Service Manager", "Barnardo's",
     "", "TBC", "G", "", "Outcome 4", ""],
    ["YC8", "Lifestyle Survey questions", "", "", "", "", "when the survey runs", "", "", "", ""],
]  # fmt: skip


def resaved(data: bytes, tmp_path) -> bytes:
    """``data`` opened and saved again as .xlsx by LibreOffice Calc."""
    return convert(data, ".xlsx", "xlsx:Calc MS Excel 2007 XML", tmp_path)


@pytest.fixture
def exported():
    report = workbook_import(data=xlsx(TRICKY), filename="plan.xlsx", strategy_slug="ct")
    assert report.imported, [p.message for p in report.problems if p.severity == "error"]
    strategy = Strategy.objects.get(slug="ct")
    lead = UserFactory(username="lead", job_title="Carers Strategy Lead")
    cs1 = Action.objects.get(ref="CS1")
    action_edit(  # text that Excel would run, written by a person in the app
        action=cs1, by=lead, expected_revision=cs1.revision, title="=SUM(A1:A9) is not a formula",
        description=cs1.description, theme=cs1.theme, outcomes=cs1.outcomes.all(),
        lead_role=cs1.lead_role, organisations=cs1.organisations.all(),
        commenced=cs1.commenced_text, ongoing=False, budget=None, spend=None,
    )  # fmt: skip
    cs2 = Action.objects.get(ref="CS2")
    action_update_post(
        action=cs2, by=lead, narrative="=HYPERLINK(\"x\") stays text", status="complete",
        rag="blue", evidence=[EvidenceInput(kind="text", title="Report", text="Evaluation")],
    )  # fmt: skip
    out = io.BytesIO()
    write_plan_workbook(plan_export(strategy=strategy), out, exported_at=dt.datetime(2026, 1, 5))
    return out.getvalue()


def test_calc_resaves_an_export_that_reads_back_the_same(exported, tmp_path):
    again = resaved(exported, tmp_path)
    before = read_workbook(exported, filename="plan.xlsx")
    after = read_workbook(again, filename="plan.xlsx")
    assert not after.refused, after.problems
    assert len(after.actions) == len(before.actions) == 4
    assert after.mapping == before.mapping and after.headers == before.headers
    for old, new in zip(before.actions, after.actions, strict=True):
        assert new == old  # every field: text, dates, RAG, status, outcomes, notes (ID, Revision)
    book = load_workbook(io.BytesIO(again))
    formulas = [c.coordinate for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []  # text like "=SUM(A1:A9)" stayed text through Calc
    titles = {a.ref: a.title for a in after.actions}
    assert titles["CS1"] == "=SUM(A1:A9) is not a formula"


def test_a_resaved_export_comes_back_onto_the_plan_with_no_differences(exported, tmp_path):
    report = workbook_import(
        data=resaved(exported, tmp_path), filename="plan.xlsx", strategy_slug="ct", dry_run=True
    )
    assert report.mode == "update" and not report.refused, report.problems
    assert report.changes == [] and report.added == [] and report.unchanged == 4


def test_a_resaved_export_imports_as_a_new_version_with_the_same_actions(exported, tmp_path):
    report = workbook_import(
        data=resaved(exported, tmp_path), filename="plan.xlsx", strategy_slug="copy"
    )
    assert report.imported and report.actions == 4, report.problems
    fields = ("ref", "title", "description", "lead_role", "due_text", "due", "commenced",
              "status", "rag")  # fmt: skip
    for strategy, copy in zip(
        Action.objects.filter(version__strategy__slug="ct").order_by("ref"),
        Action.objects.filter(version__strategy__slug="copy").order_by("ref"),
        strict=True,
    ):
        assert [getattr(copy, f) for f in fields] == [getattr(strategy, f) for f in fields]
        assert sorted(o.name for o in copy.organisations.all()) == sorted(
            o.name for o in strategy.organisations.all()
        )
