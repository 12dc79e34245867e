"""Carers known to services in real Chromium: axe-core on every page type at desktop and phone
widths (the overview and each analysis, published and exact, the upload form with its problems
and its results, deleting a source, the access log and the dashboard's panel), and no sideways
scrolling outside the table regions."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from caring.carers.analyses import TOPICS
from caring.carers.models import AccessLog
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_plan_pages import PASSWORD, PLAN, sign_in

CARERS = f"{PLAN}/carers"
HEADER = ("person_id,nhs_number,date_of_birth,initial,sex,ethnicity,area_code,first_known,"
          "pathway,channel,support,support_date,support_value,training_at_handover")  # fmt: skip


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def no_sideways_scroll(tab, name):
    """The page itself never scrolls sideways; wide tables scroll inside their own region."""
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= tab.viewport_size["width"], f"{name} is {wide}px wide"


def check(tab, screenshot, name):
    screenshot(tab, f"carers-{name}")
    assert_no_axe_violations(tab)
    no_sideways_scroll(tab, name)


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_every_carers_page_type_has_no_wcag_violations(
    demo, page, mobile_page, screenshot, tmp_path, width
):
    tab = page if width == "desktop" else mobile_page
    pages = {
        "overview": f"{CARERS}/",
        "overview-exact": f"{CARERS}/?figures=exact",
        **{f"topic-{key}": f"{CARERS}/{key}/" for key in TOPICS},
        "equalities-exact": f"{CARERS}/equalities/?figures=exact",
        "upload": f"{CARERS}/upload/",
        "delete": f"{CARERS}/sources/crossroads-care/delete/",
        "access-log": f"{CARERS}/access-log/",
        "dashboard": f"{PLAN}/",
    }
    sign_in(tab, "data")  # a data officer: sees every control
    for name, url in pages.items():
        tab.goto(url)
        if name.endswith("-exact"):
            assert "Not for publication: figures are exact" in tab.locator("main").inner_text()
        check(tab, screenshot, name)

    # An upload refused: every problem by row and column in the error summary.
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nQ1,,2090-01-01,S,F,White British,E02001578,2020-05-01,GP,"
                   "Digital,,,,\n")  # fmt: skip
    tab.goto(pages["upload"])
    tab.get_by_label("Carers' records file").set_input_files(str(bad))
    tab.get_by_label("Or the name of a new source").fill("Test source")
    tab.get_by_role("button", name="Upload and import").click()
    tab.locator(".govuk-error-summary").wait_for(state="visible")
    assert "row 2" in tab.locator(".govuk-error-summary").inner_text()
    check(tab, screenshot, "upload-problems")

    # A good upload: what was imported and how carers were matched.
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\nQ1,,1970-01-02,S,F,White British,E02001578,2020-05-01,GP,"
                    "Digital,Tech package,2021-02-01,300,Yes\n")  # fmt: skip
    tab.goto(pages["upload"])
    tab.get_by_label("Carers' records file").set_input_files(str(good))
    tab.get_by_label("Or the name of a new source").fill("Test source")
    tab.get_by_role("button", name="Upload and import").click()
    tab.locator("#matching-misses").wait_for(state="visible")
    check(tab, screenshot, "upload-done")
    assert AccessLog.objects.filter(action="upload", subject="Test source").exists()


def test_a_viewer_sees_the_published_figures_and_no_data_officer_controls(demo, page):
    sign_in(page, "viewer")
    page.goto(f"{CARERS}/?figures=exact")
    main = page.locator("main").inner_text()
    assert "Not for publication" not in main
    assert "Upload carers' records" not in main and "Access log" not in main
    assert page.locator("svg#chart-reach-area").get_attribute("role") == "img"
    assert not AccessLog.objects.filter(action="exact").exists()
