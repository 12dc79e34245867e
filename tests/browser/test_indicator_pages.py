"""The Quality Assurance Framework's pages in real Chromium: axe-core on every page type at desktop
and phone widths (forms with their errors, an upload's problems and the exact-figures view
included), no sideways scrolling outside the table regions, and a data officer approving a value
with the mouse."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from caring.indicators.models import Value
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_plan_pages import PASSWORD, PLAN, SLUG, sign_in

INDICATORS = f"{PLAN}/indicators"


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def no_sideways_scroll(tab, name):
    """The page itself never scrolls sideways; wide tables scroll inside their own region."""
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= tab.viewport_size["width"], f"{name} is {wide}px wide"


def check(tab, screenshot, name):
    screenshot(tab, f"indicators-{name}")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, name)


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_every_indicator_page_type_has_no_wcag_violations(
    demo, page, mobile_page, screenshot, tmp_path, width
):
    tab = page if width == "desktop" else mobile_page
    approved = Value.objects.get(indicator__code="QA3", period_key="2019/20 Q1")
    pages = {
        "list": f"{INDICATORS}/",
        "indicator": f"{INDICATORS}/QA1/",
        "indicator-exact": f"{INDICATORS}/QA1/?disclosure=none",
        "indicator-benchmark": f"{INDICATORS}/QA5/?group=region&year=2018/19",
        "indicator-one-value": f"{INDICATORS}/QA7/",
        "practices": f"{INDICATORS}/practices/",
        "training": f"{INDICATORS}/training/",
        "services": f"{INDICATORS}/services/",
        "value-start": f"{INDICATORS}/values/add/",
        "value-add": f"{INDICATORS}/QA2/values/add/",
        "upload": f"{INDICATORS}/upload/",
        "register-add": f"{INDICATORS}/practices/add/",
        "training-add": f"{INDICATORS}/training/add/",
        "withdraw": f"{INDICATORS}/QA3/withdraw/?value={approved.pk}",
        "dashboard": f"{PLAN}/",
    }
    sign_in(tab, "data")  # a data officer who owns the indicators: sees every control
    for name, url in pages.items():
        tab.goto(url)
        check(tab, screenshot, name)

    # A value refused: the error summary and the inline errors.
    tab.goto(pages["value-add"])
    tab.get_by_label("Period").fill("Q1 2019/20")
    tab.get_by_label("Value", exact=True).fill("120")
    tab.get_by_role("button", name="Save as a draft").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    summary = tab.locator(".govuk-error-summary").inner_text()
    assert "is a quarter, but this indicator is annual" in summary
    check(tab, screenshot, "value-add-errors")

    # An upload refused: its problems by row and column.
    upload = tmp_path / "values.csv"
    upload.write_text(
        "Indicator code,Period,Value\nQA1,Q1 2020/21,35\nQA2,2020/21,130\nQA99,2020/21,4\n"
    )
    tab.goto(pages["upload"])
    tab.get_by_label("Upload a file of values").set_input_files(str(upload))
    tab.get_by_role("button", name="Upload and import").click()
    tab.locator("#problems").wait_for(state="visible")
    assert "no indicator QA99" in tab.locator("main").inner_text()
    check(tab, screenshot, "upload-problems")

    # A training session refused: every required field named.
    tab.goto(pages["training-add"])
    tab.get_by_role("button", name="Add the session").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    check(tab, screenshot, "training-add-errors")


def test_a_data_officer_approves_a_draft_and_a_member_then_sees_it(demo, page):
    sign_in(page, "data")
    page.goto(f"{INDICATORS}/QA3/")
    main = page.locator("main")
    assert "1 draft awaiting approval" in main.inner_text()
    page.get_by_role("button", name="Approve the value for Q2 2019/20").click()
    page.wait_for_url(re.compile(r"/indicators/QA3/$"))
    assert "is approved and published" in page.locator("main").inner_text()
    chart = page.locator("svg#trend-chart")
    assert "Q2 2019/20: 2,251" in chart.get_attribute("aria-label")
    assert Value.objects.get(indicator__code="QA3", period_key="2019/20 Q2").status == "approved"
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "viewer")
    page.goto(f"{INDICATORS}/")
    row = page.locator("#row-QA3").inner_text()
    assert "2,251" in row and "Q2 2019/20" in row
    assert SLUG in page.url
