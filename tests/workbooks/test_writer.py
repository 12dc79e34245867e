"""The exported workbook: the council's layout and more, safe, ready to print and send back."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from caring.plans.export import plan_export
from caring.plans.models import Action, Strategy
from caring.workbooks.writer import PLAN_COLUMNS, write_plan_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(db):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    Action.objects.filter(ref="YC2").update(title='=HYPERLINK("http://x","click")')
    data = plan_export(strategy=Strategy.objects.get(slug="caring-together"))
    out = io.BytesIO()
    write_plan_workbook(data, out, exported_at=dt.datetime(2026, 11, 22, 10, 30))
    out.seek(0)
    return load_workbook(out), data


def rows_of(sheet):
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]


def test_sheets_and_the_action_plan(workbook):
    book, data = workbook
    assert book.sheetnames == ["Read me", "Action Plan", "Updates", "Due-date changes", "Key"]
    plan = book["Action Plan"]
    assert [c.value for c in plan[1]] == [header for header, _, _ in PLAN_COLUMNS]
    rows = rows_of(plan)
    assert len(rows) == 21 == len(data["actions"])
    yc5 = next(r for r in rows if r["Ref"] == "YC5")
    assert yc5["Timescale"] == "June 2018"
    assert yc5["Original due date"].date() == dt.date(2018, 3, 31)
    assert yc5["Times slipped"] == 1
    qa2 = next(r for r in rows if r["Ref"] == "QA2")
    assert (qa2["RAG"], qa2["Status"]) == ("Blue", "Complete")
    assert "Terms of reference agreed" in qa2["Evidence"]
    assert qa2["Latest update date"].date() == dt.date(2018, 5, 24)


def test_ids_and_revisions_are_carried_but_hidden(workbook):
    book, data = workbook
    plan = book["Action Plan"]
    rows = rows_of(plan)
    assert {r["ID"] for r in rows} == {a["id"] for a in data["actions"]}
    assert all(isinstance(r["Revision"], int) for r in rows)
    assert plan.column_dimensions["A"].hidden and plan.column_dimensions["B"].hidden


def test_formula_like_text_is_written_as_text(workbook):
    book, _ = workbook
    cell = next(row[4] for row in book["Action Plan"].iter_rows(2) if row[2].value == "YC2")
    assert cell.value.startswith("=HYPERLINK")
    assert cell.data_type == "s"


def test_ready_to_use_print_and_filter(workbook):
    book, _ = workbook
    plan = book["Action Plan"]
    assert plan.freeze_panes == "A2"
    assert plan.auto_filter.ref.startswith("A1:")
    assert plan.page_setup.orientation == "landscape"
    assert plan.print_title_rows in ("1:1", "$1:$1")
    validations = [dv.formula1 for dv in plan.data_validations.dataValidation]
    assert '"Red,Amber,Green,Blue,Not rated"' in validations
    assert any("In progress" in f for f in validations)
    ranges = [str(r.sqref) for r in plan.conditional_formatting]
    assert len(ranges) == 2  # RAG and suggested RAG, filled by colour


def test_read_me_says_what_it_is_and_how_to_send_it_back(workbook):
    book, _ = workbook
    text = " ".join(str(c.value or "") for c in book["Read me"]["A"])
    assert "Exported from Caring Together on 22/11/2026 at 10:30" in text
    assert "How to send it back" in text
    assert "illustrative" in text


def test_the_command_writes_a_workbook(db, tmp_path):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    target = tmp_path / "plan.xlsx"
    call_command("export_workbook", strategy="caring-together", output=str(target))
    assert len(rows_of(load_workbook(target)["Action Plan"])) == 21


def test_members_download_the_workbook_from_the_actions_page(db, client):
    from django.urls import reverse

    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    url = reverse("web:download-workbook", args=["caring-together"])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.login(username="viewer", password="a-long-demo-password")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="caring-together-')
    book = load_workbook(io.BytesIO(response.content))
    assert len(rows_of(book["Action Plan"])) == 21
