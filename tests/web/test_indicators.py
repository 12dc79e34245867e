"""The Quality Assurance Framework's pages: who may see and do what, drafts shown only to those
who enter and approve values, approval (and a stale approval refused), forms and uploads that
refuse bad input clearly (400, the field named, nothing saved), small numbers suppressed for all
but data officers, and the benchmark. Every HTML page fetched is checked (pagecheck)."""

from __future__ import annotations

import ast
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from caring.carers.models import AccessAction, AccessLog
from caring.indicators import selectors
from caring.indicators.models import (
    CarersRegister,
    DataSource,
    Indicator,
    Practice,
    TrainingSession,
    Value,
)
from caring.plans.models import Strategy
from caring.plans.selectors import natural_key
from caring.web import indicator_charts
from caring.web.indicator_charts import TrendPoint, trend_chart, value_axis
from tests.web.pagecheck import check_page

pytestmark = pytest.mark.django_db
SLUG = "caring-together"
MEMBERS = {"admin", "lead", "owner", "viewer", "data"}
ENTERERS = {"admin", "lead", "data"}  # leads and data officers
APPROVERS = {"admin", "lead", "data"}  # leads and the indicators' owner ("data")


def value(code: str, period: str) -> Value:
    return Value.objects.get(
        indicator__strategy__slug=SLUG, indicator__code=code, period_key=period
    )


def text(response) -> str:
    return " ".join(response.soup.get_text(" ").split())


def pages():
    """(name, kwargs, method, allowed roles), resolved against the demo's records."""
    s = {"slug": SLUG}
    approved = value("QA1", "2019/20 Q1").pk
    return [
        ("web:indicators", s, "get", MEMBERS, ""),
        ("web:indicator", {**s, "code": "QA1"}, "get", MEMBERS, ""),
        ("web:indicator", {**s, "code": "QA5"}, "get", MEMBERS, "?group=region"),
        ("web:indicator", {**s, "code": "QA7"}, "get", MEMBERS, ""),
        ("web:practices", s, "get", MEMBERS, ""),
        ("web:training", s, "get", MEMBERS, ""),
        ("web:services", s, "get", MEMBERS, ""),
        ("web:indicator-value-start", s, "get", ENTERERS, ""),
        ("web:indicator-value-add", {**s, "code": "QA1"}, "get", ENTERERS, ""),
        ("web:indicator-value-add", {**s, "code": "QA1"}, "post", ENTERERS, ""),
        ("web:indicator-values-upload", s, "get", ENTERERS, ""),
        ("web:indicator-values-upload", s, "post", ENTERERS, ""),
        ("web:practice-register-add", s, "get", ENTERERS, ""),
        ("web:practice-register-add", s, "post", ENTERERS, ""),
        ("web:training-session-add", s, "get", ENTERERS, ""),
        ("web:training-session-add", s, "post", ENTERERS, ""),
        ("web:indicator-value-approve", {**s, "code": "QA1"}, "post", APPROVERS, ""),
        ("web:indicator-value-withdraw", {**s, "code": "QA1"}, "get", APPROVERS,
         f"?value={approved}"),
        ("web:indicator-value-withdraw", {**s, "code": "QA1"}, "post", APPROVERS, ""),
    ]  # fmt: skip


# --- who may see and do what ---------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MEMBERS) + ["anonymous"])
def test_every_page_for_each_role(demo, browser_client, role):
    if role != "anonymous":
        browser_client.sign_in(role)
    for name, kwargs, method, allowed, query in pages():
        url = reverse(name, kwargs=kwargs) + query
        response = getattr(browser_client, method)(url, {} if method == "post" else None)
        where = f"{role} {method} {name}"
        if role == "anonymous":
            assert response.status_code == 302, where
            assert "/sign-in/" in response["Location"], where
        elif role in allowed:
            # Pages are checked by pagecheck; a blank form is refused (400) but got through.
            assert response.status_code in ((200,) if method == "get" else (400,)), where
            assert response.soup is not None, where
        else:
            assert response.status_code == 403, where
    # Blank forms saved nothing.
    assert (
        not Value.objects.filter(status="draft", indicator__code="QA1")
        .exclude(period_key="2019/20 Q2")
        .exists()
    )
    assert value("QA1", "2019/20 Q1").status == "approved"


def test_the_navigation_offers_the_indicators_after_reports(demo, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:dashboard", args=[SLUG]))
    items = [a.get_text(strip=True) for a in page.soup.select(".govuk-service-navigation__link")]
    assert items.index("Indicators") == items.index("Reports") + 1


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_each_indicator_with_words_not_colours_alone(demo, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:indicators", args=[SLUG]))
    rows = {
        tr["id"]: " ".join(tr.get_text(" ").split())
        for tr in page.soup.select("#indicators tbody tr")
    }
    assert list(rows) == [f"row-QA{n}" for n in range(1, Indicator.objects.count() + 1)]
    qa1 = rows["row-QA1"]
    assert "Young carers identified by the Early Help Service" in qa1
    assert "31" in qa1 and "Q1 2019/20" in qa1  # the latest approved, not the draft 33
    assert "33" not in qa1
    assert "35" in qa1  # the target
    assert "Improving" in qa1 and "Up from 27" in qa1
    assert "Red" in qa1 and "Overdue for data" in qa1 and "Illustrative" in qa1
    assert "Green" in rows["row-QA5"] and "Illustrative" not in rows["row-QA5"]
    assert "Worsening" in rows["row-QA4"]
    assert "Up to date" in rows["row-QA7"]
    whole = text(page)
    assert "awaiting your approval" not in whole and "Awaiting approval" not in whole
    assert "Record a value" not in whole and "Upload values" not in whole
    for name in ("web:practices", "web:training", "web:services"):
        assert page.soup.find("a", href=reverse(name, args=[SLUG]))


@pytest.mark.parametrize("role", ["lead", "data"])
def test_approvers_see_the_drafts_awaiting_them_and_enterers_the_buttons(
    demo, browser_client, role
):
    page = browser_client.sign_in(role).get(reverse("web:indicators", args=[SLUG]))
    drafts = Value.objects.filter(status="draft").count()
    assert drafts >= 4  # QA1-QA4's latest
    assert f"{drafts} values awaiting your approval" in text(page)
    row = " ".join(page.soup.select_one("#row-QA1").get_text(" ").split())
    assert "1 draft" in row
    buttons = [a.get_text(strip=True) for a in page.soup.select("a.govuk-button")]
    assert buttons == ["Record a value", "Upload values"]


def test_record_a_value_starts_by_choosing_the_indicator(demo, browser_client):
    browser_client.sign_in("data")
    start = reverse("web:indicator-value-start", args=[SLUG])
    response = browser_client.get(start, {"indicator": "QA3"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:indicator-value-add", args=[SLUG, "QA3"])
    refused = browser_client.get(start, {"indicator": ""})
    assert refused.status_code == 400
    soup = check_page(refused.content.decode())
    assert "Choose the indicator." in soup.select_one(".govuk-error-summary").get_text()


# --- one indicator -------------------------------------------------------------------------------


def test_an_indicator_page_has_its_definition_trend_and_values(demo, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:indicator", args=[SLUG, "QA1"]))
    whole = text(page)
    assert (
        page.soup.h1.get_text(strip=True)
        == "QA1: Young carers identified by the Early Help Service"
    )
    expected = (
        "Children and young people recorded as young carers",
        "Count",
        "Quarterly",
        "Higher is better",
        "Performance and Quality Officer, Adult Social Care",
        "Early Help Service",
        "12 for Q4 2017/18",
        "No value for Q2 2026/27",
    )
    for words in expected:
        assert words in whole, words
    assert page.soup.find("a", href=reverse("web:action", args=[SLUG, "YC7"]))
    chart = page.soup.select_one("svg#trend-chart")
    assert chart["role"] == "img"
    label = chart["aria-label"]
    for period, figure in (("Q1 2018/19", "15"), ("Q2 2018/19", "19"), ("Q3 2018/19", "24"),
                           ("Q4 2018/19", "27"), ("Q1 2019/20", "31")):  # fmt: skip
        assert f"{period}: {figure}" in label
    assert "target 35" in label and "Baseline: 12" in label
    assert "33" not in label  # the draft is not published
    assert not page.soup.find_all(style=True), "the CSP forbids inline styles"
    trend = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
             for tr in page.soup.select("#trend-table tbody tr")]  # fmt: skip
    assert trend[-1] == ["Q1 2019/20", "31", "35", "Early Help Service"]
    assert len(trend) == 5


def test_drafts_are_hidden_from_viewers(demo, browser_client):
    url = reverse("web:indicator", args=[SLUG, "QA1"])
    page = browser_client.sign_in("viewer").get(url)
    periods = [th.get_text(strip=True) for th in page.soup.select("#values-table tbody th")]
    assert "Q2 2019/20" not in periods and "Q1 2019/20" in periods
    assert "Draft" not in text(page) and not page.soup.find("button", string="Approve")
    assert not page.soup.select("form[action$='/approve/']")


def test_those_who_enter_or_approve_see_drafts_with_who_entered_and_approved(demo, browser_client):
    page = browser_client.sign_in("data").get(reverse("web:indicator", args=[SLUG, "QA1"]))
    draft = value("QA1", "2019/20 Q2")
    row = " ".join(page.soup.select_one(f"#value-{draft.pk}").get_text(" ").split())
    assert "Q2 2019/20" in row and "33" in row and "Draft" in row and "Not yet" in row
    assert "Performance and Quality Officer, Adult Social Care" in row
    assert "Illustrative figure for the demo." in row
    approved = " ".join(page.soup.select_one(f"#value-{value('QA1', '2019/20 Q1').pk}")
                        .get_text(" ").split())  # fmt: skip
    assert "Approved" in approved and "Withdraw approval" in approved


def approve(client, code, v, revision=None):
    return client.post(
        reverse("web:indicator-value-approve", args=[SLUG, code]),
        {"value": v.pk, "revision": v.revision if revision is None else revision},
    )


@pytest.mark.parametrize("role", ["data", "lead"])
def test_the_owner_or_a_lead_approves_a_draft_and_it_is_published(demo, browser_client, role):
    browser_client.sign_in(role)
    draft = value("QA1", "2019/20 Q2")
    response = approve(browser_client, "QA1", draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.approved_by.username == role
    page = browser_client.get(response["Location"])
    assert "is approved and published" in text(page)
    assert "Q2 2019/20: 33" in page.soup.select_one("svg#trend-chart")["aria-label"]


@pytest.mark.parametrize("role", ["viewer", "owner"])
def test_a_forged_approval_by_others_is_forbidden(demo, browser_client, role):
    browser_client.sign_in(role)
    draft = value("QA1", "2019/20 Q2")
    assert approve(browser_client, "QA1", draft).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.approved_by is None


def test_a_stale_approval_is_refused_with_the_message(demo, browser_client):
    browser_client.sign_in("data")
    draft = value("QA1", "2019/20 Q2")
    response = approve(browser_client, "QA1", draft, revision=draft.revision - 1)
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary").get_text(" ")
    assert "changed by someone else" in summary and "Nothing was saved" in summary
    assert response.soup.title.get_text().startswith("Error: ")
    draft.refresh_from_db()
    assert draft.status == "draft"
    again = approve(browser_client, "QA1", value("QA1", "2019/20 Q1"))
    assert again.status_code == 400 and "already approved" in text(again)


def test_approving_another_indicators_value_is_refused(demo, browser_client):
    browser_client.sign_in("lead")
    other = value("QA3", "2019/20 Q2")
    response = approve(browser_client, "QA1", other)
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == "draft"


def test_withdrawing_an_approval_needs_the_reason_and_makes_a_draft(demo, browser_client):
    browser_client.sign_in("lead")
    target = value("QA3", "2019/20 Q1")
    url = reverse("web:indicator-value-withdraw", args=[SLUG, "QA3"])
    form = browser_client.get(url, {"value": target.pk})
    assert form.status_code == 200 and "Q1 2019/20: 2,204" in text(form)
    refused = browser_client.post(url, {"value": target.pk, "revision": target.revision,
                                        "reason": " "})  # fmt: skip
    assert refused.status_code == 400 and "Say why the approval is withdrawn." in text(refused)
    target.refresh_from_db()
    assert target.status == "approved"
    stale = browser_client.post(url, {"value": target.pk, "revision": target.revision - 1,
                                      "reason": "Double-counted."})  # fmt: skip
    assert stale.status_code == 400 and "changed by someone else" in text(stale)
    done = browser_client.post(url, {"value": target.pk, "revision": target.revision,
                                     "reason": "Double-counted transfers."})  # fmt: skip
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.status == "draft" and "Double-counted transfers." in target.quality_note
    viewer = browser_client.sign_in("viewer").get(reverse("web:indicator", args=[SLUG, "QA3"]))
    assert "Q1 2019/20" not in [th.get_text(strip=True)
                                for th in viewer.soup.select("#values-table tbody th")]  # fmt: skip


def test_a_draft_cannot_be_withdrawn(demo, browser_client):
    browser_client.sign_in("lead")
    draft = value("QA3", "2019/20 Q2")
    url = reverse("web:indicator-value-withdraw", args=[SLUG, "QA3"])
    assert browser_client.get(url, {"value": draft.pk}).status_code == 404
    refused = browser_client.post(url, {"value": draft.pk, "revision": draft.revision,
                                        "reason": "Wrong."})  # fmt: skip
    assert refused.status_code == 400 and "Only an approved value can be withdrawn." in text(
        refused
    )


# --- small numbers -------------------------------------------------------------------------------


def breakdown(page) -> dict[str, str]:
    table = page.soup.select_one("#breakdown-age_band")
    return {
        tr.th.get_text(strip=True): tr.find_all("td")[0].get_text(" ", strip=True).split(" ")[0]
        for tr in table.select("tbody tr")
    }


# The latest approved QA1 value (Q1 2019/20, 31 young carers): Under 8: 3, 8 to 11: 10,
# 12 to 15: 15, 16 to 17: 3.
EXACT = {"Under 8": "3", "8 to 11": "10", "12 to 15": "15", "16 to 17": "3", "Total": "31"}


@pytest.mark.parametrize("role", ["viewer", "lead", "owner", "admin"])
def test_small_numbers_are_suppressed_and_no_one_but_data_officers_can_ask_otherwise(
    demo, browser_client, role
):
    browser_client.sign_in(role)
    url = reverse("web:indicator", args=[SLUG, "QA1"])
    for query in ("", "?disclosure=none"):
        page = browser_client.get(url + query)
        cells = breakdown(page)
        assert cells["Under 8"] == "*" and cells["16 to 17"] == "*"
        assert cells["8 to 11"] == "10" and cells["12 to 15"] == "15"
        assert cells["Total"] == "30"  # rounded to the nearest 5
        table = page.soup.select_one("#breakdown-age_band").get_text(" ")
        assert " 3 " not in f" {table} " and "31" not in table
        assert "NHS England: 1 to 7 hidden, rounded to 5" in text(page)
        assert "shown as * because the count is between 1 and 7" in text(page)
        assert not page.soup.find("a", href=lambda h: h and "disclosure=none" in h)
        assert "Exact figures" not in text(page)
    assert not AccessLog.objects.filter(action=AccessAction.EXACT).exists()


def test_a_data_officer_may_see_the_exact_figures(demo, browser_client):
    browser_client.sign_in("data")
    url = reverse("web:indicator", args=[SLUG, "QA1"])
    published = browser_client.get(url)
    assert breakdown(published)["Under 8"] == "*"
    toggle = published.soup.find("a", string="Show the exact figures (data officers only)")
    assert toggle and "disclosure=none" in toggle["href"]
    assert not AccessLog.objects.filter(action=AccessAction.EXACT).exists()
    exact = browser_client.get(url + "?disclosure=none")
    assert breakdown(exact) == EXACT
    assert "not for publication" in text(exact)
    logged = AccessLog.objects.get(action=AccessAction.EXACT)  # the exact view is in the log
    assert logged.user.username == "data" and logged.subject == "indicator QA1 breakdowns"


def test_a_breakdown_that_would_disclose_someone_given_the_exact_total_is_withheld(
    demo, browser_client
):
    """17 carers as 1 + 8 + 8: with the headline 17 published exactly, even hiding every
    figure leaves the 1 recoverable (the others are at least 8), so the table is not shown."""
    from caring.accounts.models import User
    from caring.indicators import services
    from caring.indicators.models import Indicator

    qa1 = Indicator.objects.get(strategy__slug=SLUG, code="QA1")
    data = User.objects.get(username="data")
    bands = [services.BreakdownInput("age_band", name, n)
             for name, n in (("Under 8", 1), ("8 to 11", 8), ("12 to 15", 8))]  # fmt: skip
    recorded = services.value_record(indicator=qa1, period="2019/20 Q3", source="Early Help "
                                     "Service", value=17, breakdowns=bands, by=data)  # fmt: skip
    services.value_approve(value=recorded, by=data)
    url = reverse("web:indicator", args=[SLUG, "QA1"])
    browser_client.sign_in("viewer")
    page = browser_client.get(url)
    assert page.soup.select_one("#breakdown-age_band") is None
    assert "This breakdown is not published" in text(page)
    browser_client.sign_in("data")
    exact = browser_client.get(url + "?disclosure=none")
    assert breakdown(exact) == {"Under 8": "1", "8 to 11": "8", "12 to 15": "8", "Total": "17"}


# --- benchmark -----------------------------------------------------------------------------------


def position(page) -> str:
    return " ".join(page.soup.select_one("#benchmark-position").get_text(" ").split())


def test_the_benchmark_compares_with_the_chosen_group_and_year(demo, browser_client):
    browser_client.sign_in("viewer")
    url = reverse("web:indicator", args=[SLUG, "QA5"])
    everyone = browser_client.get(url)
    assert "28 of 149" in position(everyone) and "7.5" in position(everyone)
    assert "Median 7.2" in position(everyone)
    region = browser_client.get(url, {"group": "region", "year": "2021/22"})
    assert "3 of 15" in position(region) and "Yorkshire and The Humber" in position(region)
    same_type = browser_client.get(url, {"group": "type"})
    assert "5 of 36" in position(same_type) and "Metropolitan Districts" in position(same_type)
    earlier = browser_client.get(url, {"group": "all", "year": "2018/19"})
    assert "34 of 151" in position(earlier)
    selected = earlier.soup.select_one("#year option[selected]")
    assert selected.get_text(strip=True) == "2018/19"
    history = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
               for tr in everyone.soup.select("#benchmark-history tbody tr")]  # fmt: skip
    assert [row[0] for row in history] == ["2016/17", "2018/19", "2021/22"]
    assert history[-1][3] == "28 of 149"


def test_a_benchmark_that_cannot_be_made_is_explained_not_a_crash(demo, browser_client):
    Strategy.objects.filter(slug=SLUG).update(authority_code="E99999999")
    page = browser_client.sign_in("viewer").get(reverse("web:indicator", args=[SLUG, "QA6"]))
    assert page.status_code == 200
    message = page.soup.select_one("#benchmark-error").get_text(" ")
    assert "E99999999 has no figure" in message
    Strategy.objects.filter(slug=SLUG).update(authority_code="E08000018")
    bogus = browser_client.get(reverse("web:indicator", args=[SLUG, "QA6"]), {"group": "galaxy"})
    assert bogus.status_code == 200
    assert "is not a comparator group" in bogus.soup.select_one("#benchmark-error").get_text()


# --- recording a value ---------------------------------------------------------------------------


def post_value(client, code, **fields):
    data = {"period": "", "value": "", "numerator": "", "denominator": "", "source": "",
            "new_source": "", "extracted_on": "", "note": ""}  # fmt: skip
    data.update(fields)
    return client.post(reverse("web:indicator-value-add", args=[SLUG, code]), data)


def source(name: str) -> str:
    return str(DataSource.objects.get(name=name).pk)


@pytest.mark.parametrize(
    ("code", "fields", "field", "message"),
    [
        ("QA1", {"period": "2020/21", "value": "30"}, "period",
         "2020/21 is a financial year, but this indicator is quarterly"),
        ("QA1", {"period": "Q1 2018/19", "value": "30"}, "period",
         "QA1 already has a value for Q1 2018/19 (April to June 2018) from Early Help Service"),
        ("QA2", {"period": "2019/20", "value": "120"}, "value",
         "The value is a percentage: it must be 0-100, not 120."),
        ("QA2", {"period": "2019/20", "numerator": "5", "denominator": "0"}, "denominator",
         "The denominator is zero"),
        ("QA2", {"period": "2019/20", "value": "lots"}, "value", "must be a number"),
        ("QA1", {"period": "Q1 2020/21", "value": "30", "source": "", "new_source": ""},
         "source", "Choose the data source, or name a new one below."),
        ("QA1", {"period": "Q1 2020/21", "value": "30", "extracted_on": "31/02/2019"},
         "extracted_on", "is not a day we can read"),
        ("QA1", {"period": "Q1 2020/21", "value": "30", "extracted_on": "01/01/2099"},
         "extracted_on", "The date extracted is in the future."),
    ],
)  # fmt: skip
def test_the_value_form_refuses_bad_input_on_the_field_and_saves_nothing(
    demo, browser_client, code, fields, field, message
):
    browser_client.sign_in("data")
    default_source = "Early Help Service" if code == "QA1" else "Lifestyle Survey"
    fields.setdefault("source", source(default_source))
    before = (Value.objects.count(), DataSource.objects.count())
    response = post_value(browser_client, code, **fields)
    assert response.status_code == 400
    group = response.soup.select_one(f"#{field}").find_parent(class_="govuk-form-group")
    assert "govuk-form-group--error" in group["class"]
    assert message in group.get_text(" ")
    assert message in response.soup.select_one(".govuk-error-summary").get_text(" ")
    assert (Value.objects.count(), DataSource.objects.count()) == before


def test_a_value_is_saved_as_a_draft_with_a_new_source(demo, browser_client):
    browser_client.sign_in("data")
    response = post_value(
        browser_client, "QA2", period="2019/20", numerator="512", denominator="6,900",
        new_source="Lifestyle Survey 2019", extracted_on="30/06/2019", note="Year 7 and 10.",
    )  # fmt: skip
    assert response.status_code == 302
    saved = value("QA2", "2019/20")
    assert saved.status == "draft" and saved.value == Decimal("7.420")
    assert saved.source.name == "Lifestyle Survey 2019" and saved.extracted_on == dt.date(
        2019, 6, 30
    )
    assert saved.entered_by.username == "data"
    page = browser_client.get(response["Location"])
    assert "saved as a draft, awaiting approval" in text(page)
    assert "512 of 6,900" in text(page)


def test_the_value_form_hints_at_the_period_by_frequency(demo, browser_client):
    browser_client.sign_in("lead")
    quarterly = browser_client.get(reverse("web:indicator-value-add", args=[SLUG, "QA1"]))
    assert "Q3 2018/19" in quarterly.soup.select_one("#period-hint").get_text()
    annual = browser_client.get(reverse("web:indicator-value-add", args=[SLUG, "QA2"]))
    assert "financial year" in annual.soup.select_one("#period-hint").get_text()


# --- uploading values ----------------------------------------------------------------------------


def csv_file(rows, name="values.csv") -> io.BytesIO:
    lines = ["Indicator code,Period,Value,Numerator,Denominator,Source"] + rows
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = name
    return upload


def upload(client, file):
    return client.post(reverse("web:indicator-values-upload", args=[SLUG]), {"values": file})


def test_an_upload_with_any_problem_imports_nothing_and_lists_them_by_row(demo, browser_client):
    browser_client.sign_in("data")
    before = Value.objects.count()
    response = upload(browser_client, csv_file([
        "QA1,Q1 2020/21,35,,,Early Help Service",
        "QA2,2020/21,130,,,Lifestyle Survey",
        "QA3,2020/21,2300,,,Adult social care system",
        "QA99,Q1 2020/21,4,,,Early Help Service",
    ]))  # fmt: skip
    assert response.status_code == 400
    assert Value.objects.count() == before
    problems = [[c.get_text(" ", strip=True) for c in tr.find_all("td")]
                for tr in response.soup.select("#problems ~ div table tbody tr")]  # fmt: skip
    by_row = {row[0]: row for row in problems}
    assert set(by_row) == {"3", "4", "5"}
    assert by_row["3"][1] == "C" and "percentage" in by_row["3"][2]
    assert (
        by_row["4"][1] == "B"
        and "financial year, but this indicator is quarterly" in by_row["4"][2]
    )
    assert by_row["5"][1] == "A" and "no indicator QA99" in by_row["5"][2]
    assert "Nothing was imported: the file has 3 problems" in text(response)


def test_a_good_upload_imports_every_row_as_a_draft(demo, browser_client):
    browser_client.sign_in("lead")
    response = upload(browser_client, csv_file([
        "QA1,Q1 2020/21,35,,,Early Help Service",
        "QA2,2020/21,,520,6900,Lifestyle Survey",
    ]))  # fmt: skip
    assert response.status_code == 302
    assert value("QA1", "2020/21 Q1").status == "draft"
    assert value("QA2", "2020/21").value == Decimal("7.536")
    page = browser_client.get(response["Location"])
    assert "values.csv: 2 values imported as drafts." in text(page)


def test_an_upload_over_5_mb_or_of_another_kind_is_refused(demo, browser_client):
    browser_client.sign_in("lead")
    big = io.BytesIO(b"Indicator code,Period,Value\n" + b"x" * (5 * 1024 * 1024))
    big.name = "big.csv"
    response = upload(browser_client, big)
    assert response.status_code == 400 and "the largest we take is 5 MB" in text(response)
    odd = io.BytesIO(b"%PDF-1.4 not a spreadsheet")
    odd.name = "values.pdf"
    refused = upload(browser_client, odd)
    assert refused.status_code == 400 and "Nothing was imported" in text(refused)


def test_an_excel_upload_is_read_too(demo, browser_client):
    book = Workbook()
    sheet = book.active
    sheet.append(["Indicator code", "Period", "Value", "Source"])
    sheet.append(["QA3", "Q1 2020/21", 2310, "Adult social care system"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "values.xlsx"
    response = upload(browser_client.sign_in("data"), out)
    assert response.status_code == 302
    assert value("QA3", "2020/21 Q1").value == Decimal("2310")


# --- GP practices, training, services ------------------------------------------------------------


def test_the_practices_page_shows_registers_unsuppressed_and_says_so(demo, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:practices", args=[SLUG]))
    assert "17 of 29 active GP practices (59%)" in text(page)
    assert (
        "without the small-number suppression"
        in page.soup.select_one("#register-sizes-note").get_text()
    )
    rows = page.soup.select("#practices tbody tr")
    assert len(rows) == 29
    assert sum("No report yet" in tr.get_text() for tr in rows) == 7
    assert not page.soup.select("form[action$='/practices/add/']")


def post_register(client, **fields):
    return client.post(reverse("web:practice-register-add", args=[SLUG]), fields)


def test_a_practices_register_report_is_saved_and_counted(demo, browser_client):
    browser_client.sign_in("data")
    page = browser_client.get(reverse("web:practices", args=[SLUG]))
    assert page.soup.select_one("form[action$='/practices/add/'] select#practice")
    unreported = next(
        p for p in Practice.objects.filter(status="A", prescribing_setting=4)
        if not p.registers.exists()
    )  # fmt: skip
    today = timezone.localdate()
    response = post_register(
        browser_client,
        practice=unreported.pk,
        size="1,240",
        reviewed_on=(today - dt.timedelta(days=10)).strftime("%d/%m/%Y"),
    )
    assert response.status_code == 302
    report = unreported.registers.get()
    assert report.size == 1240 and report.recorded_by.username == "data"
    page = browser_client.get(response["Location"])
    assert "18 of 29" in text(page)
    row = " ".join(page.soup.select_one(f"#practice-{unreported.code}").get_text(" ").split())
    assert "1,240" in row and "Yes" in row


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"size": "lots"}, "size", "must be a number"),
        ({"size": "-4"}, "size", "The register size is a whole number of patients."),
        ({"size": "12.5"}, "size", "The register size is a whole number of patients."),
        ({"size": "40", "reviewed_on": "01/01/2099"}, "reviewed_on",
         "The review date is after the day recorded."),
        ({"size": "40", "practice": ""}, "practice", "Choose the GP practice."),
    ],
)  # fmt: skip
def test_the_register_form_refuses_bad_input(demo, browser_client, fields, field, message):
    browser_client.sign_in("lead")
    data = {"practice": Practice.objects.filter(status="A", prescribing_setting=4).first().pk,
            "reviewed_on": ""}  # fmt: skip
    data.update(fields)
    before = CarersRegister.objects.count()
    response = post_register(browser_client, **data)
    assert response.status_code == 400
    assert message in response.soup.select_one(f"#{field}").find_parent(
        class_="govuk-form-group"
    ).get_text(" ")
    assert CarersRegister.objects.count() == before


def test_the_training_page_shows_sessions_and_this_years_figures(demo, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:training", args=[SLUG]))
    rows = page.soup.select("#sessions tbody tr")
    assert len(rows) == 5
    first = " ".join(rows[-1].get_text(" ").split())
    assert "Bite size: recognising young carers" in first and "85%" in first  # 17 of 20
    figures = " ".join(page.soup.select_one("#training-figures").get_text(" ").split())
    assert "Places offered" in figures and "Attendance rate" in figures
    assert "Average feedback score" in figures
    assert not page.soup.select("form[action$='/training/add/']")


def post_session(client, **fields):
    data = {"title": "Bite size: young carers in school", "date": "", "provider": "Barnardo's",
            "places": "18", "attendance": "", "feedback_score": ""}  # fmt: skip
    data.update(fields)
    return client.post(reverse("web:training-session-add", args=[SLUG]), data)


def test_a_training_session_is_added_and_counted(demo, browser_client):
    browser_client.sign_in("data")
    day = timezone.localdate() - dt.timedelta(days=1)
    response = post_session(browser_client, date=day.strftime("%d/%m/%Y"), attendance="15",
                            feedback_score="4.6")  # fmt: skip
    assert response.status_code == 302
    session = TrainingSession.objects.get(title="Bite size: young carers in school")
    assert session.attendance == 15 and session.feedback_score == Decimal("4.60")
    page = browser_client.get(response["Location"])
    assert "has been added" in text(page) and "83%" in text(page)  # 15 of 18


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"date": "31/02/2019"}, "date", "is not a day we can read"),
        ({"date": ""}, "date", "Enter the date of the session."),
        ({"date": "01/05/2019", "places": "0"}, "places", "A session offers at least one place."),
        ({"date": "01/05/2019", "places": "ten"}, "places", "whole number"),
        ({"date": "01/05/2019", "feedback_score": "7"}, "feedback_score",
         "The feedback score is out of 5."),
        ({"date": "01/05/2099", "attendance": "12"}, "attendance",
         "A session in the future has no attendance yet."),
        ({"date": "01/05/2019", "title": ""}, "title", "Enter the session title."),
    ],
)  # fmt: skip
def test_the_training_form_refuses_bad_input(demo, browser_client, fields, field, message):
    browser_client.sign_in("lead")
    before = TrainingSession.objects.count()
    response = post_session(browser_client, **fields)
    assert response.status_code == 400
    assert message in response.soup.select_one(f"#{field}").find_parent(
        class_="govuk-form-group"
    ).get_text(" ")
    assert TrainingSession.objects.count() == before


def test_the_services_page_lets_members_scrutinise_procurement(demo, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:services", args=[SLUG]))
    rows = {
        tr.th.get_text(" ", strip=True).split(" Illustrative")[0]: " ".join(
            tr.get_text(" ").split()
        )
        for tr in page.soup.select("#services tbody tr")
    }
    young = rows["Young carers' support service"]
    assert "Barnardo's" in young and "1 April 2017" in young and "31 March 2020" in young
    assert "£120,000" in young and "QA1" in young and "QA2" in young and "YC7" in young
    breaks = rows["Carers' breaks and sitting service"]
    assert "No end date" in breaks and "£85,000" in breaks and "QA4" in breaks
    assert page.soup.find("a", href=reverse("web:indicator", args=[SLUG, "QA4"]))
    assert "1 contract running today, worth £85,000 a year" in text(page)


# --- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_lists_indicators_overdue_for_data(demo, browser_client):
    page = browser_client.sign_in("lead").get(reverse("web:dashboard", args=[SLUG]))
    overdue = page.soup.select("#indicators-overdue li")
    codes = [li.a.get_text().split(":")[0] for li in overdue]
    strategy = Strategy.objects.get(slug=SLUG)
    expected = selectors.overdue_for_data(strategy=strategy, today=timezone.localdate())
    assert codes == sorted((r.indicator.code for r in expected), key=natural_key)
    assert codes[:6] == ["QA1", "QA2", "QA3", "QA4", "QA5", "QA6"]
    first = " ".join(overdue[0].get_text(" ").split())
    assert next(r for r in expected if r.indicator.code == "QA1").freshness.explanation in first
    assert overdue[0].a["href"] == reverse("web:indicator", args=[SLUG, "QA1"])
    drafts = Value.objects.filter(status="draft").count()
    assert f"{drafts} values awaiting approval" in text(page)
    viewer = browser_client.sign_in("viewer").get(reverse("web:dashboard", args=[SLUG]))
    assert "awaiting approval" not in text(viewer)
    assert len(viewer.soup.select("#indicators-overdue li")) == len(codes)


# --- the trend chart's geometry (pure) -----------------------------------------------------------


def test_the_chart_module_is_pure():
    tree = ast.parse(Path(indicator_charts.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {
        m for m in imported if m.startswith("django") or m.endswith((".models", ".selectors"))
    }


def test_the_value_axis_starts_at_zero_and_a_percentage_stops_at_100():
    assert value_axis([Decimal(15), Decimal(31)], "count") == (0, 40, 10)
    low, high, _ = value_axis([Decimal("99.5")], "percentage")
    assert (low, high) == (0, 100)
    low, high, step = value_axis([Decimal(-3), Decimal(4)], "score")
    assert low <= -3 and high >= 4 and step > 0


def test_the_chart_places_points_by_date_and_describes_every_figure():
    points = [
        TrendPoint("2016/17", dt.date(2016, 4, 1), Decimal("7.8"), Decimal("7.2")),
        TrendPoint("2018/19", dt.date(2018, 4, 1), Decimal("7.7"), Decimal("7.2")),
        TrendPoint("2021/22", dt.date(2021, 4, 1), Decimal("7.5"), Decimal("7.2")),
    ]
    chart = trend_chart(points, unit="score", decimals=1, title="QA5 Quality of life",
                        baseline=Decimal("7.8"), baseline_label="2016/17")  # fmt: skip
    xs = [p.x for p in chart.points]
    assert xs[0] < xs[1] < xs[2]
    assert (xs[2] - xs[1]) > (xs[1] - xs[0])  # three years apart, not two
    assert all(chart.top <= p.y <= chart.bottom for p in chart.points)
    assert chart.points[0].y < chart.points[2].y  # higher values are higher up
    assert chart.baseline_y == pytest.approx(chart.points[0].y)
    target_ys = {point.split(",")[1] for point in chart.target_line.split()}
    assert target_ys == {f"{chart.targets[0].y:.1f}"}  # one target all along: a flat line
    assert chart.description == (
        "QA5 Quality of life. Approved values, oldest first: 2016/17: 7.8 (target 7.2); "
        "2018/19: 7.7 (target 7.2); 2021/22: 7.5 (target 7.2). Baseline: 7.8 (2016/17)."
    )
    assert chart.y_ticks[0].label == "0" and chart.y_title == "Score" and chart.x_title == "Period"
    assert [t.label for t in chart.x_ticks] == ["2016/17", "2018/19", "2021/22"]


def test_one_point_sits_in_the_middle_and_no_points_no_chart():
    only = TrendPoint("Q3 2026/27", dt.date(2026, 10, 1), Decimal("58.6"), Decimal(75))
    chart = trend_chart([only], unit="percentage", decimals=0, title="QA7")
    assert chart.points[0].x == pytest.approx(chart.middle_x)
    assert chart.line == "" and chart.target_line  # a short target line still shows
    assert "Q3 2026/27: 59% (target 75%)" in chart.description
    assert trend_chart([], unit="count", decimals=0, title="Nothing") is None


def test_the_target_line_steps_when_a_new_target_starts():
    points = [
        TrendPoint("Q4 2018/19", dt.date(2019, 1, 1), Decimal(27), Decimal(20)),
        TrendPoint("Q1 2019/20", dt.date(2019, 4, 1), Decimal(31), Decimal(35)),
    ]
    chart = trend_chart(points, unit="count", decimals=0, title="QA1")
    corners = [tuple(map(float, p.split(","))) for p in chart.target_line.split()]
    first, second = chart.targets
    assert corners == [
        (round(first.x, 1), round(first.y, 1)),
        (round(second.x, 1), round(first.y, 1)),
        (round(second.x, 1), round(second.y, 1)),
    ]


def test_many_points_thin_the_period_labels():
    points = [TrendPoint(f"M{i}", dt.date(2018, 1, 1) + dt.timedelta(days=31 * i), Decimal(i))
              for i in range(24)]  # fmt: skip
    chart = trend_chart(points, unit="count", decimals=0, title="Monthly")
    assert 4 <= len(chart.x_ticks) < 24
    gaps = [b.position - a.position for a, b in zip(chart.x_ticks, chart.x_ticks[1:], strict=False)]
    assert min(gaps) >= 60


def test_indicator_lookup_is_by_strategy(demo, browser_client):
    browser_client.sign_in("viewer")
    assert Indicator.objects.filter(code="QA1").count() == 1
    assert browser_client.get(reverse("web:indicator", args=[SLUG, "QA99"])).status_code == 404
    assert browser_client.get(reverse("web:indicator", args=["nowhere", "QA1"])).status_code == 404
