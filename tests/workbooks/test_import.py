"""Importing a council's workbook: all or nothing, every problem reported, exit codes."""

import datetime as dt
import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from caring.plans.models import Action, Evidence, PlanVersion, Strategy, Theme, Update
from caring.plans.services.imports import theme_parts, workbook_import
from tests.workbooks.builders import xlsx

pytestmark = pytest.mark.django_db

COUNCIL_STYLE = [
    ["Caring Together Revised Action Plan January 2018"],
    [],
    ["Ref", "Action", "Lead Officer", "Partner", "Date Commenced", "Timescale", "RAG",
     "Evidence", "Progress", "Link to Strategy Outcome", "Budget code"],
    ["Theme 1: Carers Support"],
    ["CS1", "Offer carers' assessments", "Change Leader", "ASC", dt.datetime(2018, 1, 15),
     "Q2 2018/19", "Amber", "", "Backlog being worked through", "2, 3", "B-17"],
    ["CS2", "Coffee shop pilot", "", "Crossroads Care", "March 2018", "Sept 2018", "Complete",
     "Evaluation report", "", "1", ""],
    ["2. Young Carers"],
    ["YC7", "Capture data on young carers", "Service Manager", "CYPS / Barnardo's", "",
     "TBC", "G", "", "", "Outcome 4", ""],
    ["YC8", "Lifestyle Survey questions", "", "", "", "when the survey runs", "", "", "", "", ""],
]  # fmt: skip


def test_theme_text_as_councils_write_it():
    assert theme_parts("Theme 2: Young Carers", 9) == (2, "Young Carers")
    assert theme_parts("2. Young Carers", 9) == (2, "Young Carers")
    assert theme_parts("YOUNG CARERS", 3) == (3, "Young Carers")


def test_a_council_style_workbook_imports_with_every_problem_reported():
    report = workbook_import(data=xlsx(COUNCIL_STYLE), filename="plan.xlsx", strategy_slug="ct")
    assert report.imported and not report.refused
    assert (report.actions, report.themes) == (4, 2)
    version = PlanVersion.objects.get(strategy__slug="ct", is_current=True)
    themes = {t.number: (t.name, t.prefix) for t in Theme.objects.filter(version=version)}
    assert themes == {1: ("Carers Support", "CS"), 2: ("Young Carers", "YC")}
    cs1 = Action.objects.get(version=version, ref="CS1")
    assert cs1.commenced == dt.date(2018, 1, 15) and cs1.due == dt.date(2018, 9, 30)
    assert (cs1.status, cs1.rag) == ("in_progress", "amber")
    assert Update.objects.get(action=cs1).narrative == "Backlog being worked through"
    assert sorted(o.number for o in cs1.outcomes.all()) == [2, 3]
    assert cs1.extra == {"Budget code": "B-17"}  # unrecognised columns kept
    cs2 = Action.objects.get(version=version, ref="CS2")
    assert (cs2.status, cs2.rag) == ("complete", "blue")
    assert Evidence.objects.get(action=cs2).text == "Evaluation report"
    yc7 = Action.objects.get(version=version, ref="YC7")
    assert sorted(o.name for o in yc7.organisations.all()) == ["Barnardo's", "CYPS"]
    assert yc7.due is None and yc7.due_kind == "tbc"
    yc8 = Action.objects.get(version=version, ref="YC8")
    assert yc8.due_kind == "unparsed" and yc8.due_text == "when the survey runs"
    messages = " ".join(p.message for p in report.problems)
    assert "could not be read as a date" in messages
    rows = {p.row for p in report.problems if p.row}
    assert 9 in rows  # YC8's problems name its row


def test_a_duplicate_ref_refuses_the_whole_import():
    rows = [*COUNCIL_STYLE, ["CS1", "Again", "Lead", "ASC", "", "Dec 2018", "", "", "", "", ""]]
    before = Action.objects.count()
    report = workbook_import(data=xlsx(rows), filename="plan.xlsx", strategy_slug="ct")
    assert report.refused and not report.imported
    assert any("CS1" in p.message for p in report.problems if p.severity == "error")
    assert Action.objects.count() == before
    assert not Strategy.objects.filter(slug="ct").exists()


def test_a_refusal_from_a_service_rolls_everything_back():
    rows = [*COUNCIL_STYLE]
    rows[4] = ["CS1", "Dates the wrong way round", "Lead", "ASC", "Dec 2018", "Jan 2018",
               "", "", "", "", ""]  # fmt: skip
    report = workbook_import(data=xlsx(rows), filename="plan.xlsx", strategy_slug="ct")
    assert report.refused
    problem = next(p for p in report.problems if p.severity == "error")
    assert problem.row == 5 and "before the date commenced" in problem.message
    assert Action.objects.count() == 0 and not PlanVersion.objects.exists()


def test_a_dry_run_changes_nothing():
    report = workbook_import(
        data=xlsx(COUNCIL_STYLE), filename="plan.xlsx", strategy_slug="ct", dry_run=True
    )
    assert report.actions == 4 and not report.imported and not report.refused
    assert Action.objects.count() == 0


def test_not_a_spreadsheet_is_refused_clearly():
    report = workbook_import(data=b"%PDF-1.4 minutes", filename="plan.xlsx", strategy_slug="ct")
    assert report.refused and "not a spreadsheet" in report.problems[0].message


def test_an_exported_workbook_imports_as_a_new_version(tmp_path):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    target = tmp_path / "plan.xlsx"
    call_command("export_workbook", strategy="caring-together", output=str(target))
    report = workbook_import(
        data=target.read_bytes(), filename="plan.xlsx", strategy_slug="copy-of-plan"
    )
    assert report.imported, [p.message for p in report.problems if p.severity == "error"]
    assert report.actions == 21 and report.themes == 6


def caring(*args, cwd):
    import os

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "caring.settings.test",
           "DATABASE_URL": f"sqlite:///{cwd / 'db.sqlite3'}"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "caring", *args], capture_output=True, text=True, env=env,
        cwd=cwd, timeout=120,
    )  # fmt: skip


def test_the_command_exit_codes(tmp_path):
    assert caring("migrate", "-v0", cwd=tmp_path).returncode == 0
    good = tmp_path / "plan.xlsx"
    good.write_bytes(xlsx(COUNCIL_STYLE))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all")
    imported = caring("import-workbook", str(good), "--strategy", "ct", cwd=tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "Imported 4 actions in 2 themes" in imported.stdout
    refused = caring("import_workbook", str(bad), "--strategy", "ct", cwd=tmp_path)
    assert refused.returncode == 1 and "not a spreadsheet" in refused.stdout
    missing = caring(
        "import-workbook", str(tmp_path / "nope.xlsx"), "--strategy", "x", cwd=tmp_path
    )
    assert missing.returncode == 2
    usage = caring("import-workbook", str(good), cwd=tmp_path)  # no --strategy
    assert usage.returncode == 2
