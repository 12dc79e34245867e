"""The scrutiny pages in real Chromium: axe-core on every new page type at desktop and phone
widths (with a form's errors), and a lead recording a committee's sign-off by keyboard and mouse."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from caring.governance.models import InformationRequest, Meeting, Resolution
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_plan_pages import PASSWORD, PLAN, SLUG, sign_in


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def ids():
    march = Meeting.objects.get(strategy__slug=SLUG, body__short_name="HSC", date="2018-03-01")
    gp = Resolution.objects.get(strategy__slug=SLUG, ref="HSC 2017-11-30/2")
    young = InformationRequest.objects.get(strategy__slug=SLUG, question__startswith="More about")
    return march.pk, gp.pk, young.pk


def no_sideways_scroll(tab, name):
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= tab.viewport_size["width"], f"{name} is {wide}px wide"


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_every_scrutiny_page_type_has_no_wcag_violations(
    demo, page, mobile_page, screenshot, width
):
    tab = page if width == "desktop" else mobile_page
    march, gp, young = ids()
    pages = {
        "meetings": f"{PLAN}/meetings/",
        "meeting": f"{PLAN}/meetings/{march}/",
        "body": f"{PLAN}/bodies/carers-strategy-delivery-group/",
        "tracker": f"{PLAN}/recommendations/",
        "tracker-filtered": f"{PLAN}/recommendations/?flag=overdue&year=2017/18",
        "recommendation": f"{PLAN}/recommendations/{gp}/",
        "information-requests": f"{PLAN}/information-requests/",
        "meeting-add": f"{PLAN}/meetings/add/",
        "meeting-edit": f"{PLAN}/meetings/{march}/edit/",
        "resolution-add": f"{PLAN}/meetings/{march}/resolutions/add/",
        "question-add": f"{PLAN}/meetings/{march}/questions/add/",
        "recommendation-update": f"{PLAN}/recommendations/{gp}/update/",
        "recommendation-response": f"{PLAN}/recommendations/{gp}/response/",
        "recommendation-sign-off": f"{PLAN}/recommendations/{gp}/sign-off/",
        "recommendation-actions": f"{PLAN}/recommendations/{gp}/actions/",
        "request-answer": f"{PLAN}/information-requests/{young}/answer/",
        "tracker-import": f"{PLAN}/recommendations/import/",
    }
    sign_in(tab, "lead")
    for name, url in pages.items():
        tab.goto(url)
        screenshot(tab, name)
        assert_no_axe_violations(tab)
        no_sideways_scroll(tab, name)
    # A form refused: the error summary and the inline errors.
    tab.goto(pages["meeting-add"])
    tab.get_by_label("Body").select_option(label="Health Select Commission")
    tab.get_by_label("Meeting date").fill("31/02/2018")
    tab.get_by_role("button", name="Add meeting").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    assert "is not a real date" in tab.locator(".govuk-error-summary").inner_text()
    screenshot(tab, "meeting-add-errors")
    assert_no_axe_violations(tab)


def test_a_lead_records_a_response_then_the_member_sees_it_on_the_tracker(demo, page):
    workbook = Resolution.objects.get(strategy__slug=SLUG, ref="HSC 2018-03-01/3")
    sign_in(page, "lead")
    page.goto(f"{PLAN}/recommendations/{workbook.pk}/")
    assert "No executive response" in page.locator("main").inner_text()
    page.get_by_role("button", name="Record the response").click()
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Date of the response").fill("16/04/2018")
    page.get_by_label("The response", exact=True).fill("Accepted: the workbook has the columns.")
    page.get_by_role("button", name="Save response").click()
    page.wait_for_url(re.compile(rf"/recommendations/{workbook.pk}/$"))
    main = page.locator("main").inner_text()
    assert "The response to HSC 2018-03-01/3 has been saved." in page.content()
    assert "Accepted on 16 April 2018" in main
    page.goto(f"{PLAN}/recommendations/?flag=awaiting-response")
    assert "Nothing matches these filters." in page.locator("main").inner_text()
