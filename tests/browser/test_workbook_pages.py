"""Importing a workbook in real Chromium: a lead downloads the plan, changes it "offline", uploads
it, sees the differences and a conflict, chooses, and confirms; axe on every step, both widths."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from caring.accounts.models import User
from caring.plans.models import Action
from caring.plans.services.actions import action_update_post
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_plan_pages import PASSWORD, PLAN, SLUG, sign_in
from tests.workbooks.builders import xlsx


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def returned_workbook(page, tmp_path):
    """The plan downloaded through the page, with YC7's RAG and CS2's title changed."""
    with page.expect_download() as waiting:
        page.goto(f"{PLAN}/actions/")
        page.get_by_role("link", name="the whole plan as an Excel workbook").click()
    book = load_workbook(io.BytesIO(waiting.value.path().read_bytes()))
    sheet = book["Action Plan"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        ref = sheet.cell(row, columns["Ref"]).value
        if ref == "YC7":
            sheet.cell(row, columns["RAG"]).value = "Red"
        if ref == "CS2":
            sheet.cell(row, columns["Action"]).value = "A direct contact route, day and night"
    path = tmp_path / "returned.xlsx"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def no_sideways_scroll(tab, name):
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= tab.viewport_size["width"], f"{name} is {wide}px wide"


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_a_lead_takes_a_returned_workbook_back_choosing_a_conflict(
    demo, page, mobile_page, screenshot, tmp_path, width
):
    tab = page if width == "desktop" else mobile_page
    sign_in(tab, "lead")
    path = returned_workbook(tab, tmp_path)
    # Meanwhile someone changes YC7's rating in the app.
    yc7 = Action.objects.get(ref="YC7", version__strategy__slug=SLUG, version__is_current=True)
    rag = "green" if yc7.rag != "green" else "amber"
    owner = User.objects.get(username="owner")
    action_update_post(action=yc7, by=owner, narrative="Meanwhile", status="in_progress", rag=rag)

    tab.goto(f"{PLAN}/manage/")
    tab.get_by_role("button", name="Import a workbook").click()
    tab.wait_for_url(re.compile(r"/import/$"))
    screenshot(tab, "import-upload")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, "import-upload")
    tab.get_by_role("button", name="Upload and check").click()  # no file chosen
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    screenshot(tab, "import-upload-errors")
    assert_no_axe_violations(tab)

    tab.get_by_label("Upload a workbook").set_input_files(str(path))
    tab.get_by_role("button", name="Upload and check").click()
    tab.wait_for_url(re.compile(r"/import/\d+/$"))
    main = tab.locator("main")
    assert "change 2 actions" in main.inner_text()
    assert "A direct contact route, day and night" in main.inner_text()
    screenshot(tab, "import-preview-conflict")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, "import-preview-conflict")

    tab.get_by_role("button", name="Import the workbook").click()  # the conflict is undecided
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    assert (
        "Choose which value to keep for YC7: RAG"
        in tab.locator(".govuk-error-summary").inner_text()
    )
    screenshot(tab, "import-preview-unresolved")
    assert_no_axe_violations(tab)

    tab.get_by_label(re.compile("Take the workbook’s: Red")).check()
    tab.get_by_role("button", name="Import the workbook").click()
    tab.wait_for_url(re.compile(r"/actions/$"))
    assert "was imported: 2 actions were changed" in tab.content()
    screenshot(tab, "import-done")
    assert_no_axe_violations(tab)
    yc7.refresh_from_db()
    assert yc7.rag == "red"


def test_a_council_workbook_preview_by_keyboard(demo, page, tmp_path):
    path = tmp_path / "council.xlsx"
    path.write_bytes(xlsx([
        ["Ref", "Action", "Lead Officer", "Timescale", "RAG"],
        ["Theme 1: Carers Support"],
        ["CS1", "Offer carers' assessments", "Change Leader", "Q2 2019/20", "Amber"],
        ["CS1", "A second CS1", "Change Leader", "Q3 2019/20", "Amber"],
    ]))  # fmt: skip
    sign_in(page, "lead")
    page.goto(f"{PLAN}/import/")
    page.get_by_label("Upload a workbook").set_input_files(str(path))
    page.get_by_label("Upload a workbook").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    assert "used on more than one row" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Import the workbook").count() == 0
    assert_no_axe_violations(page)
    page.get_by_text("Choose which columns are read").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Cancel and delete the upload").click()
    page.wait_for_url(re.compile(r"/actions/$"))
    assert "was not imported; it has been deleted" in page.content()
