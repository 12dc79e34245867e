"""The lead's "Import a workbook" pages: upload, check, then confirm or cancel; nothing before."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caring.accounts.models import User
from caring.plans.models import Action, PlanVersion, Update, WorkbookUpload
from caring.plans.services.actions import action_update_post
from tests.workbooks.builders import xlsx

pytestmark = pytest.mark.django_db
SLUG = "caring-together"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNCIL = [
    ["Caring Together Revised Action Plan 2019"],
    ["Ref", "Action", "Lead Officer", "Partner", "When by", "RAG"],
    ["Theme 1: Carers Support"],
    ["CS1", "Offer carers' assessments", "Change Leader", "ASC", "Q2 2019/20", "Amber"],
    ["CS2", "Coffee shop pilot", "", "Crossroads Care", "Sept 2019", "Green"],
]  # fmt: skip


def upload(client, data: bytes, name: str = "plan.xlsx"):
    return client.post(
        reverse("web:import-workbook", args=(SLUG,)),
        {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def exported(client) -> bytes:
    return client.client.get(reverse("web:download-workbook", args=(SLUG,))).content


def edited(data: bytes, ref: str, header: str, value) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["Action Plan"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, columns["Ref"]).value == ref:
            sheet.cell(row, columns[header]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def current() -> PlanVersion:
    return PlanVersion.objects.get(strategy__slug=SLUG, is_current=True)


def test_the_lead_finds_the_page_from_managing_the_plan(demo, browser_client):
    page = browser_client.sign_in("lead").get(reverse("web:manage-plan", args=(SLUG,)))
    link = page.soup.find("a", string=lambda s: s and "Import a workbook" in s)
    assert link["href"] == reverse("web:import-workbook", args=(SLUG,))
    form = browser_client.get(link["href"])
    assert form.status_code == 200 and form.soup.find("input", {"type": "file", "id": "workbook"})


def test_a_council_workbook_is_previewed_then_becomes_a_new_version(demo, browser_client):
    browser_client.sign_in("lead")
    before = current()
    response = upload(browser_client, xlsx(COUNCIL))
    assert response.status_code == 302
    preview = browser_client.get(response["Location"])
    assert preview.status_code == 200
    text = preview.soup.get_text(" ", strip=True)
    assert "make a new version of the plan" in text and "with 2 actions in 1 theme" in text
    timescale = preview.soup.find("th", string="Timescale").find_next_sibling("td")
    assert timescale.get_text(strip=True) == "Not found"  # "When by" is not a header we know
    assert current() == before  # nothing yet
    # The lead says the timescale is in column E ("When by").
    again = browser_client.post(response["Location"], {"action": "columns", "column-due": "E"})
    assert again.status_code == 302
    preview = browser_client.get(response["Location"])
    assert "Column E: When by" in preview.soup.get_text(" ", strip=True)
    done = browser_client.post(
        response["Location"], {"action": "confirm", "version_name": "Plan refreshed 2019"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("web:actions", args=(SLUG,))
    version = current()
    assert version != before and version.name == "Plan refreshed 2019"
    assert Action.objects.get(version=version, ref="CS1").due_text == "Q2 2019/20"
    note = browser_client.get(done["Location"]).soup.get_text(" ", strip=True)
    assert "was imported as a new version of the plan" in note
    assert WorkbookUpload.objects.get().content in (b"", memoryview(b""))  # the file is gone


def test_a_returned_workbook_shows_each_change_and_a_conflict_to_decide(demo, browser_client):
    browser_client.sign_in("lead")
    data = edited(edited(exported(browser_client), "YC7", "RAG", "Red"), "CS2", "Action",
                  "Keep a direct contact route for carers, day and night")  # fmt: skip
    yc7 = Action.objects.get(version=current(), ref="YC7")
    lead = User.objects.get(username="lead")
    action_update_post(action=yc7, by=lead, narrative="Changed meanwhile", status="in_progress",
                       rag="amber" if yc7.rag != "amber" else "green")  # fmt: skip
    location = upload(browser_client, data, "returned.xlsx")["Location"]
    preview = browser_client.get(location)
    text = preview.soup.get_text(" ", strip=True)
    assert "change 2 actions" in text
    radio = f"resolve-{yc7.pk}-rag"
    assert preview.soup.find("input", {"name": radio, "value": "workbook"})
    assert "Conflict" in text and "When downloaded" in text
    refused = browser_client.post(location, {"action": "confirm"})
    assert refused.status_code == 400
    assert "Choose which value to keep for YC7: RAG" in refused.soup.get_text(" ", strip=True)
    assert Action.objects.get(pk=yc7.pk).rag != "red"
    done = browser_client.post(location, {"action": "confirm", radio: "workbook"})
    assert done.status_code == 302, done.soup.get_text(" ", strip=True)[:2000]
    assert Action.objects.get(pk=yc7.pk).rag == "red"
    cs2 = Action.objects.get(version=current(), ref="CS2")
    assert cs2.title == "Keep a direct contact route for carers, day and night"
    assert Update.objects.filter(action=cs2).order_by("id").last().author == lead


def test_a_change_in_the_app_after_the_preview_stops_the_import(demo, browser_client):
    browser_client.sign_in("lead")
    data = edited(exported(browser_client), "CS2", "Action", "A new title")
    location = upload(browser_client, data, "returned.xlsx")["Location"]
    browser_client.get(location)  # the preview records the revisions it saw
    cs2 = Action.objects.get(version=current(), ref="CS2")
    action_update_post(action=cs2, by=None, narrative="Meanwhile", status=cs2.status, rag="red")
    refused = browser_client.post(location, {"action": "confirm"})
    assert refused.status_code == 400
    assert "changed in the app after the workbook was checked" in refused.soup.get_text(" ")
    assert Action.objects.get(pk=cs2.pk).title != "A new title"
    done = browser_client.post(location, {"action": "confirm"})  # the new preview is current
    assert done.status_code == 302 and Action.objects.get(pk=cs2.pk).title == "A new title"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 minutes", "minutes.xlsx", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "plan.xls", ".xlsx"),
        (b"", "empty.xlsx", "empty"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason_and_nothing_kept(
    demo, browser_client, data, name, message
):
    response = upload(browser_client.sign_in("lead"), data, name)
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert message in summary
    assert not WorkbookUpload.objects.exists()


def test_no_file_and_a_file_too_large(demo, browser_client, settings):
    browser_client.sign_in("lead")
    response = browser_client.post(reverse("web:import-workbook", args=(SLUG,)), {})
    assert response.status_code == 400 and "Choose the workbook" in response.soup.get_text()
    big = xlsx(COUNCIL) + b"\0" * (21 * 1024 * 1024)
    response = upload(browser_client, big)
    assert response.status_code == 400 and "the largest workbook we take is 20 MB" in (
        response.soup.get_text(" ")
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Minutes of the meeting"], ["Nothing like a plan here"]], "No table of actions"),
        ([COUNCIL[1], COUNCIL[3], COUNCIL[3]], "used on more than one row"),
    ],
)
def test_a_workbook_with_errors_is_previewed_but_cannot_be_imported(
    demo, browser_client, rows, message
):
    before = current()
    location = upload(browser_client.sign_in("lead"), xlsx(rows))["Location"]
    preview = browser_client.get(location)
    assert message in preview.soup.get_text(" ")
    assert preview.soup.find("button", {"value": "confirm"}) is None
    forced = browser_client.post(location, {"action": "confirm"})
    assert forced.status_code == 400 and current() == before


def test_cancelling_deletes_the_upload(demo, browser_client):
    location = upload(browser_client.sign_in("lead"), xlsx(COUNCIL))["Location"]
    response = browser_client.post(location, {"action": "cancel"})
    assert response.status_code == 302
    kept = WorkbookUpload.objects.get()
    assert kept.outcome == "cancelled" and bytes(kept.content) == b""
    assert browser_client.client.get(location).status_code == 404  # decided: gone


def test_another_persons_upload_is_not_found_and_forged_forms_change_nothing(demo, client):
    lead = Client()
    lead.login(username="lead", password="a-long-demo-password")
    location = lead.post(
        reverse("web:import-workbook", args=(SLUG,)),
        {"workbook": SimpleUploadedFile("plan.xlsx", xlsx(COUNCIL), content_type=XLSX)},
    )["Location"]
    admin = Client()
    admin.login(username="admin", password="a-long-demo-password")
    assert admin.get(location).status_code == 404
    assert admin.post(location, {"action": "confirm"}).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.login(username="lead", password="a-long-demo-password")
    before = current()
    assert strict.post(location, {"action": "confirm"}).status_code == 403  # no CSRF token
    assert current() == before
    owner = Client()
    owner.login(username="owner", password="a-long-demo-password")
    assert owner.get(location).status_code == 403
