"""The plan's pages in real Chromium: the owner's update flow, by mouse and by keyboard alone,
and axe-core on every page type at desktop and phone widths."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.axe import assert_no_axe_violations

PASSWORD = "a-long-demo-password"
SLUG = "caring-together"
PLAN = f"/strategies/{SLUG}"


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def sign_in(page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/strategies/"))


def test_an_owner_posts_an_update_with_evidence_and_a_new_due_date(
    demo, page, tmp_path, screenshot
):
    sign_in(page, "owner")
    page.goto(f"{PLAN}/actions/YC7/")
    page.get_by_role("button", name="Post an update").click()
    page.get_by_label("Amber").check()
    page.get_by_label("What has happened since the last update").fill(
        "Sampling began with twelve known young carers."
    )
    page.get_by_label("File", exact=True).check()
    page.get_by_label("Describe the evidence").fill("Sampling plan")
    plan = tmp_path / "sampling-plan.pdf"
    plan.write_bytes(b"%PDF-1.4 sampling plan")
    page.get_by_label("Upload a file, if it is a file").set_input_files(str(plan))
    page.get_by_label("New due date").fill("Q4 2018/19")
    page.get_by_label("Why the date is changing").fill("Data sharing agreement signed late.")
    page.get_by_role("button", name="Save update").click()

    page.wait_for_url(re.compile(r"/actions/YC7/$"))
    body = page.locator("main")
    assert "Your update on YC7 has been saved." in page.content()
    assert "Sampling began with twelve known young carers." in body.inner_text()
    history = page.locator("table", has_text="Every change of due date")
    assert "Data sharing agreement signed late." in history.inner_text()
    assert "Q4 2018/19" in history.inner_text()
    assert page.get_by_role("link", name=re.compile(r"Download sampling-plan.*\.pdf")).count() == 1
    screenshot(page, "action-after-update")
    assert_no_axe_violations(page)

    page.goto(f"{PLAN}/")
    recent = page.locator("h2:text('Recently updated') + ul")
    assert "YC7" in recent.inner_text().split("\n")[0]


def test_the_same_flow_by_keyboard_alone(demo, page):
    sign_in(page, "owner")
    page.goto(f"{PLAN}/actions/YC7/")
    focus_by_tab(page, "Post an update")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/update/$"))
    focus_by_tab(page, "What has happened since the last update")
    page.keyboard.type("Keyboard-only update.")
    focus_by_tab(page, "Save update")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/actions/YC7/$"))
    assert "Keyboard-only update." in page.locator("main").inner_text()


def focus_by_tab(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element is labelled or named ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return "";
                const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
                return (label || el.innerText || el.value || "").trim();
            }"""
        )
        if focused.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


PAGE_TYPES = {
    "dashboard": f"{PLAN}/",
    "actions": f"{PLAN}/actions/",
    "actions-filtered": f"{PLAN}/actions/?flag=overdue&sort=due",
    "action": f"{PLAN}/actions/YC5/",
    "post-update": f"{PLAN}/actions/YC7/update/",
    "my-actions": f"{PLAN}/mine/",
}


LEAD_PAGE_TYPES = {
    "manage-plan": f"{PLAN}/manage/",
    "manage-action-add": f"{PLAN}/manage/actions/add/",
    "manage-action-edit": f"{PLAN}/manage/actions/YC7/edit/",
    "manage-action-retire": f"{PLAN}/manage/actions/YC7/retire/",
    "manage-theme-edit": f"{PLAN}/manage/themes/2/edit/",
    "manage-outcome-add": f"{PLAN}/manage/outcomes/add/",
}


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_every_page_type_has_no_wcag_violations(demo, page, mobile_page, screenshot, width):
    tab = page if width == "desktop" else mobile_page
    tab.goto("/sign-in/")
    screenshot(tab, "sign-in")
    assert_no_axe_violations(tab)
    sign_in(tab, "owner")
    for name, url in PAGE_TYPES.items():
        tab.goto(url)
        screenshot(tab, name)
        assert_no_axe_violations(tab)
        # Compare with the viewport asked for: a phone widens its layout to fit wide content.
        wide = tab.evaluate("document.documentElement.scrollWidth")
        allowed = tab.viewport_size["width"]
        assert wide <= allowed, f"{name} is {wide}px wide in a {allowed}px viewport"
    # The lead's pages.
    tab.context.clear_cookies()
    sign_in(tab, "lead")
    for name, url in LEAD_PAGE_TYPES.items():
        tab.goto(url)
        screenshot(tab, name)
        assert_no_axe_violations(tab)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        assert wide <= tab.viewport_size["width"], f"{name} is {wide}px wide"
    tab.goto(f"{PLAN}/manage/actions/add/")
    tab.get_by_role("button", name=re.compile("Add")).first.click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    screenshot(tab, "manage-action-add-errors")
    assert_no_axe_violations(tab)
    # A form with errors: the error summary and inline errors must be accessible too.
    tab.goto(f"{PLAN}/actions/YC7/update/")
    tab.get_by_role("button", name="Save update").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    screenshot(tab, "post-update-errors")
    assert_no_axe_violations(tab)
