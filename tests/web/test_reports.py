"""The progress report pages: who may see and do what, downloads in every format, the lead's
narrative (a concurrent edit refused), issuing (frozen files, byte for byte), what changed
since, bad dates refused clearly (400), the plan as it was on a past day, and the council's
Word template (uploaded, used for the Word report, refused with the reason, removed).

Every HTML page fetched through ``browser_client`` is checked (tests/web/pagecheck.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from caring.accounts.models import User
from caring.carers.models import Carer, CarerSource
from caring.governance import services as governance_services
from caring.governance.models import Meeting
from caring.plans.models import Action, Strategy
from caring.plans.services import action_update_post
from caring.plans.services.versions import strategy_create
from caring.reports import selectors, services
from caring.reports.models import (
    FORMATS,
    IssuedFile,
    IssuedReport,
    ReportNarrative,
    ReportTemplate,
)
from tests.reports.test_template import header_of, word_template, xlsx
from tests.web.conftest import PASSWORD
from tests.web.pagecheck import check_page

pytestmark = pytest.mark.django_db
SLUG = "caring-together"
MEMBERS = {"admin", "lead", "owner", "viewer", "data"}
LEADS = {"admin", "lead"}
MAGIC = {"docx": b"PK", "pptx": b"PK", "xlsx": b"PK", "pdf": b"%PDF"}
ROLES = sorted(MEMBERS) + ["anonymous"]


def strategy() -> Strategy:
    return Strategy.objects.get(slug=SLUG)


def next_meeting() -> Meeting:
    """The demo's scheduled Health Select Commission meeting, six weeks ahead."""
    return Meeting.objects.get(
        strategy=strategy(), body__short_name="HSC", status="scheduled",
        date__gt=timezone.localdate(),
    )  # fmt: skip


def user(name: str) -> User:
    return User.objects.get(username=name)


def issue() -> IssuedReport:
    return services.report_issue(strategy=strategy(), meeting=next_meeting(), by=user("lead"))


def url(name: str, query: dict | None = None, **kwargs) -> str:
    path = reverse(name, kwargs={"slug": SLUG, **kwargs})
    return f"{path}?{urlencode(query)}" if query else path


def text_of(response) -> str:
    return response.soup.get_text(" ", strip=True)


def cancel(meeting: Meeting) -> None:
    governance_services.meeting_edit(
        meeting=meeting, status="cancelled", status_reason="No quorum", by=user("lead")
    )


def an_action_in_progress() -> Action:
    """An action in progress not rated red, the first by ref."""
    return (
        Action.objects.filter(
            version__strategy__slug=SLUG,
            version__is_current=True,
            retired_at__isnull=True,
            status="in_progress",
        )
        .exclude(rag="red")
        .order_by("ref")
        .first()
    )


def rate_red(action: Action) -> None:
    action_update_post(
        action=action,
        by=user("lead"),
        narrative="The partner withdrew.",
        status="in_progress",
        rag="red",
        rag_rationale="The partner withdrew.",
    )


def draft_url(meeting=None, **query) -> str:
    return url("web:report-draft", {"meeting": (meeting or next_meeting()).pk, **query})


# --- who may see and do what ---------------------------------------------------------------------


def pages(issued: IssuedReport):
    m = next_meeting().pk
    return [
        ("web:reports", {}, None, "get", MEMBERS),
        ("web:report-draft", {}, {"meeting": m}, "get", MEMBERS),
        ("web:report-draft", {}, None, "get", MEMBERS),
        ("web:report-download", {}, {"meeting": m, "format": "xlsx"}, "get", MEMBERS),
        ("web:issued-report", {"pk": issued.pk}, None, "get", MEMBERS),
        ("web:issued-file", {"pk": issued.pk, "format": "pdf"}, None, "get", MEMBERS),
        ("web:plan-as-at", {}, None, "get", MEMBERS),
        ("web:plan-as-at", {}, {"date": timezone.localdate().isoformat()}, "get", MEMBERS),
        ("web:report-narrative", {}, {"meeting": m}, "get", LEADS),
        ("web:report-narrative", {}, {"meeting": m}, "post", LEADS),
        ("web:report-issue", {}, None, "post", LEADS),
        ("web:report-template", {}, None, "get", LEADS),
        ("web:report-template", {}, None, "post", LEADS),
        ("web:report-template-file", {}, None, "get", LEADS),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_report_page_renders_for_those_allowed_and_is_refused_to_others(
    demo, browser_client, role
):
    issued = issue()
    template = word_template()
    services.template_save(strategy=strategy(), data=template, filename="t.docx", by=user("lead"))
    if role != "anonymous":
        browser_client.sign_in(role)
    for name, kwargs, query, method, allowed in pages(issued):
        where = f"{role} {method} {name} {query or ''}"
        fetch = getattr(browser_client, method)
        response = fetch(url(name, query, **kwargs), {} if method == "post" else None)
        if role == "anonymous":
            assert response.status_code == 302 and "/sign-in/" in response["Location"], where
        elif role in allowed:
            # A blank form is refused (400, checked by pagecheck) but passed the permission check.
            assert response.status_code in (200, 400), where
        else:
            assert response.status_code == 403, where
    assert IssuedReport.objects.count() == 1  # the blank POSTs issued nothing
    assert not ReportNarrative.objects.exists()
    assert services.template_for(strategy()) == template


def test_the_reports_page_chooses_a_meeting_and_lists_issued_reports(demo, browser_client):
    response = browser_client.sign_in("viewer").get(url("web:reports"))
    soup = response.soup
    form = soup.select_one("form[method=get]")
    assert form["action"] == reverse("web:report-draft", kwargs={"slug": SLUG})
    selected = soup.select_one("select#meeting option[selected]")
    assert selected["value"] == str(next_meeting().pk)
    assert soup.select_one("input#as_of") is not None
    # With a meeting scheduled, the 'not yet scheduled' choice is not offered.
    assert "not yet scheduled" not in soup.select_one("select#meeting").get_text()
    assert next_meeting().title in text_of(response)

    issued = issue()
    response = browser_client.get(url("web:reports"))
    soup = response.soup
    links = {a["href"] for a in soup.select("a")}
    assert url("web:issued-report", pk=issued.pk) in links
    for fmt in FORMATS:
        assert url("web:issued-file", pk=issued.pk, format=fmt) in links
    assert url("web:plan-as-at") in links
    # Its report issued, the next report is for the meeting after, not yet scheduled.
    assert soup.select_one("select#meeting option[selected]")["value"] == "next"
    nav = [a.get_text(strip=True) for a in soup.select(".govuk-service-navigation__link")]
    assert nav.index("Reports") == nav.index("Recommendations") + 1


def test_the_next_meeting_not_yet_scheduled_is_offered_when_none_is(demo, browser_client):
    meeting = next_meeting()
    cancel(meeting)
    response = browser_client.sign_in("lead").get(url("web:reports"))
    selected = response.soup.select_one("select#meeting option[selected]")
    assert selected["value"] == "next"
    assert "The next meeting (not yet scheduled)" in selected.get_text()
    draft = browser_client.get(url("web:report-draft", {"meeting": "next"}))
    assert draft.status_code == 200
    assert "not yet scheduled" in text_of(draft)
    assert "Issue this report" not in text_of(draft)  # a report is issued for a meeting


def test_the_draft_warns_of_unmet_requirements_and_offers_every_format(demo, browser_client):
    Carer.objects.filter(
        strategy__slug="caring-together"
    ).delete()  # no carers' records: no Equalities section
    CarerSource.objects.filter(strategy__slug="caring-together").delete()
    response = browser_client.sign_in("viewer").get(draft_url())
    assert response.status_code == 200
    soup = response.soup
    warnings = [w.get_text(" ", strip=True) for w in soup.select(".govuk-warning-text")]
    assert any("Equalities information about carers known and supported" in w for w in warnings)
    assert "Illustrative" in text_of(response)
    hrefs = [a["href"] for a in soup.select("#report-downloads + ul a")]
    assert len(hrefs) == len(FORMATS)
    for fmt, href in zip(FORMATS, hrefs, strict=True):
        assert href.startswith(reverse("web:report-download", kwargs={"slug": SLUG}))
        assert f"format={fmt}" in href and f"meeting={next_meeting().pk}" in href
    # The pack sits under the page's single h1, its sections as h2.
    assert soup.select_one(".app-report h2") is not None
    # A viewer reads; the lead's links are not offered.
    assert "Write the narrative" not in text_of(response)
    assert soup.select_one(f"form[action='{url('web:report-issue')}']") is None


def test_a_lead_is_offered_the_narrative_and_issuing(demo, browser_client):
    response = browser_client.sign_in("lead").get(draft_url())
    text = text_of(response)
    assert "Write the narrative" in text
    form = response.soup.select_one(f"form[action='{url('web:report-issue')}']")
    assert form["method"] == "post"
    assert form.select_one("input[name=meeting]")["value"] == str(next_meeting().pk)
    assert "freezes" in form.get_text()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_downloads_as_an_attachment(demo, client, fmt):
    client.login(username="viewer", password=PASSWORD)
    meeting = next_meeting()
    response = client.get(url("web:report-download", {"meeting": meeting.pk, "format": fmt}))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt][2]
    name = f"{SLUG}-progress-report-{meeting.date.isoformat()}.{FORMATS[fmt][1]}"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    content = response.content
    assert content
    if fmt in MAGIC:
        assert content.startswith(MAGIC[fmt])
    else:
        assert content.lstrip()[:15].lower() == b"<!doctype html>"


def test_an_unknown_format_or_meeting_is_not_found(demo, client):
    client.login(username="viewer", password=PASSWORD)
    m = next_meeting().pk
    assert (
        client.get(url("web:report-download", {"meeting": m, "format": "exe"})).status_code == 404
    )
    assert client.get(url("web:report-draft", {"meeting": 987654})).status_code == 404
    assert client.get(url("web:report-draft", {"meeting": "abc"})).status_code == 404
    other = strategy_create(title="Another strategy", slug="another")
    body = next_meeting().body
    theirs = governance_services.meeting_create(strategy=other, body=body, date="2030-01-10")
    assert client.get(url("web:report-draft", {"meeting": theirs.pk})).status_code == 404
    assert client.get(url("web:report-narrative", {"meeting": theirs.pk})).status_code == 403
    client.login(username="lead", password=PASSWORD)
    assert client.get(url("web:report-narrative", {"meeting": theirs.pk})).status_code == 404
    assert client.get(url("web:issued-report", pk=987654)).status_code == 404
    assert client.get(url("web:issued-file", pk=987654, format="pdf")).status_code == 404


# --- bad dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("not-a-date", "must be written as day/month/year"),
        ("2019-02-30", "must be a real date"),
        ("31/02/2019", "must be a real date"),
        ("future", "is in the future"),
        ("2001-01-01", "The plan did not exist on 1 January 2001"),
    ],
)
def test_a_bad_position_date_is_refused_with_a_clear_message(demo, browser_client, as_of, message):
    if as_of == "future":
        as_of = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    browser_client.sign_in("viewer")
    response = browser_client.client.get(draft_url(as_of=as_of))
    assert response.status_code == 400
    soup = check_page(response.content.decode())
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert message in summary
    assert message in soup.select_one("#as_of-error").get_text(" ", strip=True)
    assert soup.title.get_text().startswith("Error: ")
    download = browser_client.client.get(
        url("web:report-download", {"meeting": next_meeting().pk, "as_of": as_of, "format": "pdf"})
    )
    assert download.status_code == 400 and message in download.content.decode()


def test_a_cancelled_meeting_is_refused_naming_why(demo, browser_client):
    meeting = next_meeting()
    cancel(meeting)
    browser_client.sign_in("viewer")
    response = browser_client.client.get(draft_url(meeting))
    assert response.status_code == 400
    assert "cancelled" in response.content.decode()


# --- the narrative -------------------------------------------------------------------------------

NARRATIVE = {
    "author_role": "Strategic Commissioning Manager",
    "summary": "The plan is broadly on track.\n\nYoung carers' data is the main gap.",
    "recommendations": "That the Commission notes the report.\nThat it asks for a further update.",
    "background": "The strategy was agreed in 2016.",
    "key_issues": "Recruitment of carers' champions.",
    "next_steps": "The delivery group meets monthly.",
}


def narrative_form(browser_client, meeting):
    response = browser_client.get(url("web:report-narrative", {"meeting": meeting.pk}))
    assert response.status_code == 200
    return response


def test_the_narrative_saves_and_appears_in_the_draft(demo, browser_client):
    meeting = next_meeting()
    browser_client.sign_in("lead")
    form = narrative_form(browser_client, meeting).soup
    assert form.select_one("input[name=revision]")["value"] == "0"
    requirement = selectors.requirements_for(strategy=strategy(), meeting=meeting)[0]
    box = form.select_one(f"textarea#addressed_{requirement.pk}")
    legend = box.find_parent("fieldset").legend.get_text(" ", strip=True)
    assert "Equalities information" in legend
    assert (
        form.find("label", attrs={"for": f"addressed_{requirement.pk}"}).get_text(strip=True)
        == "How this report meets it"
    )
    how = "Section 3 gives carers known by age and ethnicity."
    data = {**NARRATIVE, "revision": "0", f"addressed_{requirement.pk}": how}
    response = browser_client.post(url("web:report-narrative", {"meeting": meeting.pk}), data)
    assert response.status_code == 302
    assert response["Location"] == draft_url(meeting)
    draft = browser_client.get(response["Location"])
    text = text_of(draft)
    assert "The report's narrative has been saved." in text
    assert "The plan is broadly on track." in text
    assert "That it asks for a further update." in text
    assert "Strategic Commissioning Manager" in text
    assert "Section 3 gives carers known by age and ethnicity." in text
    # The requirement is met now: no warning for it.
    warnings = " ".join(w.get_text() for w in draft.soup.select(".govuk-warning-text"))
    assert "Equalities information" not in warnings
    row = ReportNarrative.objects.get(meeting=meeting)
    assert row.revision == 1 and row.updated_by == user("lead")
    # Opening the form again carries the new revision and the saved text.
    again = narrative_form(browser_client, meeting).soup
    assert again.select_one("input[name=revision]")["value"] == "1"
    assert again.select_one("textarea#summary").get_text().strip().startswith("The plan is")


def test_a_concurrent_edit_is_refused_keeping_the_typed_text(demo, browser_client):
    meeting = next_meeting()
    browser_client.sign_in("lead")
    narrative_form(browser_client, meeting)  # opened at revision 0...
    services.narrative_save(
        strategy=strategy(),
        meeting=meeting,
        by=user("admin"),
        expected_revision=0,
        summary="The administrator's summary.",
    )
    typed = {**NARRATIVE, "summary": "My own careful summary.", "revision": "0"}
    response = browser_client.post(url("web:report-narrative", {"meeting": meeting.pk}), typed)
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "was changed by" in summary and "has not been saved" in summary
    assert response.soup.select_one("textarea#summary").get_text().strip() == (
        "My own careful summary."
    )
    row = ReportNarrative.objects.get(meeting=meeting)
    assert row.summary == "The administrator's summary." and row.revision == 1


def test_a_narrative_too_long_is_refused_naming_the_field(demo, browser_client):
    meeting = next_meeting()
    browser_client.sign_in("lead")
    data = {**NARRATIVE, "author_role": "x" * 201, "revision": "0"}
    response = browser_client.post(url("web:report-narrative", {"meeting": meeting.pk}), data)
    assert response.status_code == 400
    assert "Report of must be 200 characters or fewer." in text_of(response)
    assert not ReportNarrative.objects.exists()


# --- issuing -------------------------------------------------------------------------------------


def test_issuing_freezes_the_report_and_its_files(demo, browser_client):
    meeting = next_meeting()
    browser_client.sign_in("lead")
    confirmed = {"meeting": meeting.pk, "confirm": "yes"}
    response = browser_client.post(url("web:report-issue"), confirmed)
    issued = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("web:issued-report", pk=issued.pk)
    assert issued.files.count() == 5 and issued.meeting == meeting
    page = browser_client.get(response["Location"])
    text = text_of(page)
    assert "Report issued and frozen" in text
    assert issued.issued_by_role and issued.issued_by_role in text  # who issued it, as a role
    for file in issued.files.all():
        assert file.filename in text
        assert file.sha256 in text
    assert "Equalities information about carers known and supported" in text  # as evaluated
    assert page.soup.select_one(".app-report h2") is not None  # the pack, rebuilt
    frozen = {f.format: bytes(f.content) for f in issued.files.all()}
    for fmt, content in frozen.items():
        download = browser_client.client.get(url("web:issued-file", pk=issued.pk, format=fmt))
        assert download.status_code == 200
        assert download.content == content
        assert download["Content-Type"] == FORMATS[fmt][2]
        assert download["Content-Disposition"].startswith("attachment; filename=")
        assert hashlib.sha256(download.content).hexdigest() == issued.files.get(format=fmt).sha256

    # The plan changes: the issued files do not; the next report shows what changed.
    action = an_action_in_progress()
    rate_red(action)
    for fmt, content in frozen.items():
        again = browser_client.client.get(url("web:issued-file", pk=issued.pk, format=fmt))
        assert again.content == content
    later = governance_services.meeting_create(
        strategy=strategy(), body=meeting.body, date=meeting.date + dt.timedelta(weeks=8)
    )
    draft = browser_client.get(draft_url(later))
    text = text_of(draft)
    assert "What changed since the last report" in text
    assert "Actions newly rated red" in text
    table = next(t for t in draft.soup.select("table") if "newly rated red" in t.caption.get_text())
    assert action.ref in table.get_text(" ", strip=True)
    # The issued page still shows the report as it was.
    assert "Actions newly rated red" not in text_of(browser_client.get(response["Location"]))


def test_issuing_needs_the_confirmation_and_nothing_is_issued_without_it(demo, browser_client):
    browser_client.sign_in("lead")
    response = browser_client.post(url("web:report-issue"), {"meeting": next_meeting().pk})
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary")
    assert "Confirm that you have checked the report" in summary.get_text()
    assert summary.select_one("a")["href"] == "#confirm"
    assert not IssuedReport.objects.exists()


def test_a_forged_issue_by_a_viewer_is_refused(demo, browser_client):
    browser_client.sign_in("viewer")
    response = browser_client.client.post(
        url("web:report-issue"), {"meeting": next_meeting().pk, "confirm": "yes"}
    )
    assert response.status_code == 403
    assert not IssuedReport.objects.exists() and not IssuedFile.objects.exists()


def test_issuing_is_post_only(demo, browser_client):
    browser_client.sign_in("lead")
    assert browser_client.client.get(url("web:report-issue")).status_code == 405


def test_issuing_for_a_cancelled_meeting_is_refused_on_the_page(demo, browser_client):
    meeting = next_meeting()
    cancel(meeting)
    browser_client.sign_in("lead")
    confirmed = {"meeting": meeting.pk, "confirm": "yes"}
    response = browser_client.post(url("web:report-issue"), confirmed)
    assert response.status_code == 400
    assert "cancelled" in response.soup.select_one(".govuk-error-summary").get_text()
    assert not IssuedReport.objects.exists()


# --- the plan as at a past day -------------------------------------------------------------------


def backdate_history(days: int) -> None:
    """Move every recorded change ``days`` into the past, as if the demo was loaded then."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            model.objects.update(history_date=F("history_date") - dt.timedelta(days=days))


def test_the_plan_as_at_a_day_before_a_change_shows_the_old_value(demo, browser_client):
    backdate_history(10)
    action = an_action_in_progress()
    old_rag = action.rag
    rate_red(action)
    browser_client.sign_in("viewer")
    before = timezone.localdate() - dt.timedelta(days=3)
    response = browser_client.get(url("web:plan-as-at", {"date": before.isoformat()}))
    assert response.status_code == 200
    h1 = response.soup.h1.get_text(strip=True)
    assert h1 == f"The plan as at {before.day} {before:%B %Y}"

    def rag_of(page):
        row = next(
            r for r in page.soup.select("tbody tr") if r.th.get_text(strip=True) == action.ref
        )
        return row.select("td")[3].get_text(strip=True)

    labels = {"red": "Red", "amber": "Amber", "green": "Green", "": "Not rated"}
    assert rag_of(response) == labels[old_rag]
    assert "Recommendations" in text_of(response)
    today = browser_client.get(url("web:plan-as-at", {"date": timezone.localdate().isoformat()}))
    assert rag_of(today) == "Red"
    # Typed as day/month/year, too.
    typed = browser_client.get(url("web:plan-as-at", {"date": f"{before:%d/%m/%Y}"}))
    assert rag_of(typed) == labels[old_rag]
    # The draft as at that day is the plan then.
    draft = browser_client.get(draft_url(as_of=before.isoformat()))
    assert draft.status_code == 200
    assert f"the plan as at {before.day} {before:%B %Y}" in text_of(draft)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("future", "is in the future"),
        ("2001-01-01", "The plan did not exist on 1 January 2001"),
        ("yesterday-ish", "must be written as day/month/year"),
    ],
)
def test_the_plan_as_at_refuses_a_day_it_cannot_show(demo, browser_client, date, message):
    if date == "future":
        date = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    browser_client.sign_in("viewer")
    response = browser_client.client.get(url("web:plan-as-at", {"date": date}))
    assert response.status_code == 400
    soup = check_page(response.content.decode())
    assert message in soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert message in soup.select_one("#date-error").get_text(" ", strip=True)
    assert soup.select_one("table") is None


def test_the_plan_as_at_without_a_date_offers_the_form(demo, browser_client):
    response = browser_client.sign_in("owner").get(url("web:plan-as-at"))
    assert response.status_code == 200
    assert response.soup.select_one("input#date") is not None
    assert response.soup.select_one("table") is None


def test_with_no_meeting_there_is_no_narrative_to_write(demo, browser_client):
    cancel(next_meeting())
    browser_client.sign_in("lead")
    draft = browser_client.get(url("web:report-draft", {"meeting": "next"}))
    assert draft.status_code == 200
    assert "Write the narrative" not in text_of(draft)
    assert "add the meeting" in text_of(draft)
    response = browser_client.get(url("web:report-narrative", {"meeting": "next"}))
    assert response.status_code == 404


# --- the council's Word template -----------------------------------------------------------------

DOCX = FORMATS["docx"][2]


def upload(browser_client, data: bytes, name: str = "rotherham.docx", content_type: str = DOCX):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return browser_client.post(url("web:report-template"), {"template": file})


def draft_docx(client) -> bytes:
    response = client.get(url("web:report-download", {"meeting": next_meeting().pk,
                                                      "format": "docx"}))  # fmt: skip
    assert response.status_code == 200
    return response.content


def test_the_reports_page_offers_leads_the_template_page(demo, browser_client):
    page = browser_client.sign_in("lead").get(url("web:reports"))
    link = page.soup.find("a", href=url("web:report-template"))
    assert link is not None
    assert "styles, header, footer and logo are used for the Word report" in text_of(page)
    browser_client.sign_in("viewer")
    page = browser_client.get(url("web:reports"))
    assert page.soup.find("a", href=url("web:report-template")) is None
    assert "Word template" not in text_of(page)


def test_the_template_page_without_a_template_offers_the_upload(demo, browser_client):
    page = browser_client.sign_in("lead").get(url("web:report-template"))
    assert page.status_code == 200
    assert "No template has been uploaded" in text_of(page)
    assert "styles, header, footer and logo are used for the Word report" in text_of(page)
    form = page.soup.select_one("form[enctype='multipart/form-data']")
    assert form["method"] == "post" and form["action"] == url("web:report-template")
    field = form.select_one("input#template")
    assert (field["type"], field["name"], field["accept"]) == ("file", "template", ".docx")
    assert "govuk-file-upload" in field["class"]
    assert page.soup.find("button", string=lambda t: t and "Remove the template" in t) is None


@pytest.mark.parametrize("role", ["viewer", "owner", "data"])
def test_the_template_page_is_refused_to_all_but_leads(demo, browser_client, role):
    services.template_save(strategy=strategy(), data=word_template(), filename="t.docx",
                           by=user("lead"))  # fmt: skip
    browser_client.sign_in(role)
    assert browser_client.get(url("web:report-template")).status_code == 403
    assert browser_client.get(url("web:report-template-file")).status_code == 403
    # Forged POSTs change nothing.
    forged = upload(browser_client, word_template("Forged Council"), name="forged.docx")
    assert forged.status_code == 403
    remove = browser_client.post(url("web:report-template"), {"action": "remove"})
    assert remove.status_code == 403
    row = ReportTemplate.objects.get()
    assert row.filename == "t.docx"
    assert "Rotherham Council" in header_of(bytes(row.content))


def test_a_lead_uploads_a_template_and_the_word_report_uses_it(demo, browser_client):
    browser_client.sign_in("lead")
    assert "Rotherham Council" not in header_of(draft_docx(browser_client.client))
    data = word_template()
    response = upload(browser_client, data)
    assert response.status_code == 302
    assert response["Location"] == url("web:report-template")
    page = browser_client.get(response["Location"])
    text = text_of(page)
    assert "rotherham.docx is now the council's Word template." in text
    assert f"{len(data):,} bytes" in text
    assert user("lead").job_title in text  # uploaded by, as a role
    link = page.soup.find("a", href=url("web:report-template-file"))
    assert link.get_text(strip=True) == "rotherham.docx"
    assert page.soup.find("button", string=lambda t: t and "Remove the template" in t)
    row = ReportTemplate.objects.get(strategy=strategy())
    assert row.uploaded_by == user("lead") and bytes(row.content) == data

    file = browser_client.client.get(url("web:report-template-file"))
    assert file.status_code == 200 and file.content == data
    assert file["Content-Type"] == DOCX
    assert file["Content-Disposition"] == 'attachment; filename="rotherham.docx"'

    # Every Word report of the strategy uses it: the draft for anyone, and the issued report.
    assert "Rotherham Council" in header_of(draft_docx(browser_client.client))
    other = browser_client.client.get(url("web:report-download", {"meeting": next_meeting().pk,
                                                                  "format": "pdf"}))  # fmt: skip
    assert other.status_code == 200 and other.content.startswith(b"%PDF")
    listed = browser_client.get(url("web:reports"))
    assert "The template in use is rotherham.docx." in text_of(listed)
    confirmed = {"meeting": next_meeting().pk, "confirm": "yes"}
    assert browser_client.post(url("web:report-issue"), confirmed).status_code == 302
    issued = IssuedReport.objects.get()
    assert "Rotherham Council" in header_of(bytes(issued.files.get(format="docx").content))
    browser_client.sign_in("viewer")
    assert "Rotherham Council" in header_of(draft_docx(browser_client.client))


def test_uploading_again_replaces_the_template(demo, browser_client):
    browser_client.sign_in("lead")
    assert upload(browser_client, word_template()).status_code == 302
    page = browser_client.get(url("web:report-template"))
    assert page.soup.find("label", attrs={"for": "template"}).get_text(strip=True) == (
        "Replace the template"
    )
    new = word_template("Sheffield City Council")
    assert upload(browser_client, new, name="sheffield.docx").status_code == 302
    row = ReportTemplate.objects.get()
    assert (row.filename, bytes(row.content)) == ("sheffield.docx", new)
    assert "Sheffield City Council" in header_of(draft_docx(browser_client.client))


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (xlsx(), "plan.xlsx", "The template is an Excel workbook, not a Word document"),
        (random.Random(3).randbytes(5000), "template.docx",
         "The template is not a Word document (.docx)"),
        (b"", "empty.docx", "The template is empty (0 bytes)"),
        (word_template(drop=("List Number",)), "old.docx", "The template lacks the style List"),
        (b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), "huge.docx",
         "The template is 10.0 MB: the largest template accepted is 10 MB."),
    ],
    ids=["xlsx", "random", "empty", "missing-style", "over-10-mb"],
)  # fmt: skip
def test_a_bad_upload_is_refused_with_the_reason_and_nothing_changes(
    demo, browser_client, data, name, says
):
    good = word_template()
    services.template_save(strategy=strategy(), data=good, filename="good.docx", by=user("lead"))
    browser_client.sign_in("lead")
    response = upload(browser_client, data, name=name)
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary")
    assert says in summary.get_text(" ", strip=True)
    assert summary.select_one("a")["href"] == "#template"
    assert says in response.soup.select_one("#template-error").get_text(" ", strip=True)
    assert response.soup.title.get_text().startswith("Error: ")
    row = ReportTemplate.objects.get()
    assert (row.filename, bytes(row.content)) == ("good.docx", good)
    assert "good.docx" in text_of(response)  # the template in use is still shown


def test_an_upload_without_a_file_is_refused(demo, browser_client):
    response = browser_client.sign_in("lead").post(url("web:report-template"), {})
    assert response.status_code == 400
    assert "Choose the council's Word template (.docx) to upload." in text_of(response)
    assert not ReportTemplate.objects.exists()


def test_removing_the_template_puts_the_house_style_back(demo, browser_client):
    browser_client.sign_in("lead")
    assert upload(browser_client, word_template()).status_code == 302
    response = browser_client.post(url("web:report-template"), {"action": "remove"})
    assert response.status_code == 302 and response["Location"] == url("web:report-template")
    page = browser_client.get(response["Location"])
    assert "The template has been removed" in text_of(page)
    assert "No template has been uploaded" in text_of(page)
    assert not ReportTemplate.objects.exists()
    assert "Rotherham Council" not in header_of(draft_docx(browser_client.client))
    assert browser_client.client.get(url("web:report-template-file")).status_code == 404
    # Removing again (a second click) is harmless.
    again = browser_client.post(url("web:report-template"), {"action": "remove"})
    assert again.status_code == 302
