"""The progress report pages in real Chromium: axe-core on every page type at desktop and phone
widths (with a form's errors), no sideways scrolling but inside a table's scroll region, a
lead writing the narrative and issuing the report, and the council's Word template page (empty,
with a template, with an upload refused)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from caring.accounts.models import User
from caring.plans.models import Strategy
from caring.reports import selectors, services
from caring.reports.models import IssuedReport, ReportTemplate
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_plan_pages import PASSWORD, PLAN, SLUG, sign_in
from tests.reports.test_template import header_of, word_template, xlsx


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def next_meeting():
    strategy = Strategy.objects.get(slug=SLUG)
    return selectors.default_meeting(strategy=strategy, today=timezone.localdate())


def backdate_history(days: int) -> None:
    """Move every recorded change ``days`` into the past, so the plan has a past to show."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            model.objects.update(history_date=F("history_date") - dt.timedelta(days=days))


WIDEST = """(width) => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width
                 && (!e.closest(".app-table-scroll") || getComputedStyle(e).position == "absolute"))
    .slice(-3)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
    .join("; ")"""


def no_sideways_scroll(tab, name):
    """The page is no wider than the window: wide tables scroll inside their own region (an
    absolutely positioned element, such as visually hidden text, escapes that region)."""
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= tab.viewport_size["width"], (
        f"{name} is {wide}px wide: {tab.evaluate(WIDEST, tab.viewport_size['width'])}"
    )


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_every_report_page_type_has_no_wcag_violations(demo, page, mobile_page, screenshot, width):
    tab = page if width == "desktop" else mobile_page
    backdate_history(10)
    meeting = next_meeting()
    issued = services.report_issue(
        strategy=meeting.strategy, meeting=meeting, by=User.objects.get(username="lead")
    )
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    pages = {
        "reports": f"{PLAN}/reports/",
        "report-draft": f"{PLAN}/reports/draft/?meeting={meeting.pk}",
        "report-draft-past": f"{PLAN}/reports/draft/?meeting={meeting.pk}&as_of={past}",
        "report-draft-bad-date": f"{PLAN}/reports/draft/?meeting={meeting.pk}&as_of={future}",
        "report-narrative": f"{PLAN}/reports/narrative/?meeting={meeting.pk}",
        "issued-report": f"{PLAN}/reports/{issued.pk}/",
        "plan-as-at-form": f"{PLAN}/as-at/",
        "plan-as-at": f"{PLAN}/as-at/?date={past}",
        "plan-as-at-bad-date": f"{PLAN}/as-at/?date={future}",
    }
    sign_in(tab, "lead")
    for name, url in pages.items():
        tab.goto(url)
        screenshot(tab, name)
        assert_no_axe_violations(tab)
        no_sideways_scroll(tab, name)
    assert tab.locator("table").count() == 0  # a future day shows no plan
    # A form refused: the error summary and the inline errors.
    tab.goto(pages["report-narrative"])
    tab.get_by_label("Report of").fill("Strategic Commissioning Manager " * 8)
    tab.get_by_role("button", name="Save the narrative").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    assert "200 characters or fewer" in tab.locator(".govuk-error-summary").inner_text()
    screenshot(tab, "report-narrative-errors")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, "report-narrative-errors")


def test_a_lead_writes_the_narrative_then_issues_the_report(demo, page, screenshot):
    meeting = next_meeting()
    sign_in(page, "lead")
    page.goto(f"{PLAN}/reports/")
    page.get_by_role("button", name="Open the draft").click()
    page.wait_for_url(re.compile(r"/reports/draft/\?"))
    main = page.locator("main")
    assert "Equalities information about carers known and supported" in main.inner_text()
    page.get_by_role("link", name="Write the narrative").click()
    page.get_by_label("Report of").fill("Strategic Commissioning Manager")
    page.get_by_label("Executive summary").fill("The plan is broadly on track.")
    page.get_by_label("How this report meets it").fill("The appendix gives carers known by age.")
    page.get_by_role("button", name="Save the narrative").click()
    page.wait_for_url(re.compile(r"/reports/draft/\?meeting="))
    assert "The report's narrative has been saved." in main.inner_text()
    assert "The plan is broadly on track." in main.inner_text()
    assert page.locator(".govuk-warning-text", has_text="Equalities information").count() == 0

    # Issuing asks for the confirmation first.
    page.get_by_role("button", name="Issue this report").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert not IssuedReport.objects.exists()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("I have checked this report")).check()
    page.get_by_role("button", name="Issue this report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"), timeout=60_000)
    assert "Report issued and frozen" in main.inner_text()
    issued = IssuedReport.objects.get()
    assert issued.meeting == meeting and issued.files.count() == 5
    for file in issued.files.all():
        assert file.sha256 in main.inner_text()
    screenshot(page, "issued-report-after-issuing")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"\.pdf$")).click()
    path = download.value.path()
    assert Path(path).read_bytes() == bytes(issued.files.get(format="pdf").content)
    assert download.value.suggested_filename == issued.files.get(format="pdf").filename


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_the_word_template_page_has_no_wcag_violations(
    demo, page, mobile_page, screenshot, width, tmp_path
):
    tab = page if width == "desktop" else mobile_page
    good, bad = tmp_path / "rotherham.docx", tmp_path / "plan.xlsx"
    good.write_bytes(word_template())
    bad.write_bytes(xlsx())
    sign_in(tab, "lead")
    tab.goto(f"{PLAN}/reports/")
    tab.get_by_role("link", name="Upload the council's Word template").click()
    tab.wait_for_url(re.compile(r"/reports/template/$"))
    assert "No template has been uploaded" in tab.locator("main").inner_text()
    screenshot(tab, "report-template-empty")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, "report-template-empty")

    tab.get_by_label("Upload the council's Word template").set_input_files(str(good))
    tab.get_by_role("button", name="Upload the template").click()
    tab.get_by_role("button", name="Remove the template").wait_for(state="visible")
    assert "rotherham.docx is now the council's Word template" in tab.locator("main").inner_text()
    assert "Rotherham Council" in header_of(bytes(ReportTemplate.objects.get().content))
    screenshot(tab, "report-template")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, "report-template")

    tab.get_by_label("Replace the template").set_input_files(str(bad))
    tab.get_by_role("button", name="Upload the template").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    assert "Excel workbook" in tab.locator(".govuk-error-summary").inner_text()
    assert ReportTemplate.objects.get().filename == "rotherham.docx"
    screenshot(tab, "report-template-errors")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, "report-template-errors")

    tab.get_by_role("button", name="Remove the template").click()
    tab.locator(".govuk-notification-banner").wait_for(state="visible")
    assert "The template has been removed" in tab.locator("main").inner_text()
    assert not ReportTemplate.objects.exists()
