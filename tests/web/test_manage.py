"""The strategy lead's pages: adding, changing and retiring actions, themes and outcomes.

Only strategy leads and administrators may use them; a refusal is shown clearly on the form and
nothing is saved.
"""

import pytest
from django.test import Client
from django.urls import reverse

from caring.accounts.models import Organisation
from caring.plans.models import Action, DueDateChange, Outcome, Theme, Update
from tests.web.test_page_queries import grow_the_plan, queries

pytestmark = pytest.mark.django_db
SLUG = "caring-together"

PAGES = [
    ("web:manage-plan", (SLUG,)),
    ("web:manage-action-add", (SLUG,)),
    ("web:manage-action-edit", (SLUG, "YC7")),
    ("web:manage-action-retire", (SLUG, "YC7")),
    ("web:manage-theme-add", (SLUG,)),
    ("web:manage-theme-edit", (SLUG, 2)),
    ("web:manage-outcome-add", (SLUG,)),
    ("web:manage-outcome-edit", (SLUG, 4)),
]
FORMS = [page for page in PAGES if page[0] != "web:manage-plan"]


def yc7() -> Action:
    return Action.objects.get(ref="YC7", version__strategy__slug=SLUG)


def theme(number: int) -> Theme:
    return Theme.objects.get(version__strategy__slug=SLUG, version__is_current=True, number=number)


def outcome(number: int) -> Outcome:
    return Outcome.objects.get(strategy__slug=SLUG, number=number)


def snapshot() -> dict:
    """What any of these pages could change."""
    action = yc7()
    return {
        "rows": [m.objects.count() for m in (Action, Theme, Outcome, Update, DueDateChange)],
        "yc7": (action.title, action.revision, action.retired_at, action.commenced_text),
        "theme": (theme(2).name, theme(2).prefix),
        "outcome": outcome(4).title,
    }


def add_form(**changes) -> dict:
    data = {
        "ref": "YC9",
        "title": "Run a young carers' awareness week in secondary schools",
        "description": "With the Young Carers Council.",
        "theme": str(theme(2).pk),
        "outcomes": [str(outcome(1).pk), str(outcome(4).pk)],
        "lead_role": "Young Carers Service Manager",
        "organisations": [str(Organisation.objects.get(name="Barnardo's").pk)],
        "commenced": "Apr 2019",
        "due": "Q2 2019/20",
        "status": "not_started",
        "budget": "£2,500.50",
    }
    data.update(changes)
    return data


def edit_form(action: Action, **changes) -> dict:
    data = {
        "title": action.title,
        "description": action.description,
        "theme": str(action.theme_id),
        "outcomes": [str(pk) for pk in action.outcomes.values_list("pk", flat=True)],
        "lead_role": action.lead_role,
        "organisations": [str(pk) for pk in action.organisations.values_list("pk", flat=True)],
        "commenced": action.commenced_text,
        "budget": "",
        "spend": "",
        "revision": action.revision,
    }
    if action.ongoing:
        data["ongoing"] = "yes"
    data.update(changes)
    return data


# What a valid POST to each page would be, so a page that let the wrong person in would change
# something.
def valid_post(page: str) -> dict:
    return {
        "web:manage-action-add": lambda: add_form(),
        "web:manage-action-edit": lambda: edit_form(yc7(), title="Changed by the wrong person"),
        "web:manage-action-retire": lambda: {"reason": "No longer needed."},
        "web:manage-theme-add": lambda: {"number": 7, "name": "Employment", "prefix": "EM"},
        "web:manage-theme-edit": lambda: {"name": "Renamed", "prefix": "YC"},
        "web:manage-outcome-add": lambda: {"number": 6, "title": "Carers can work."},
        "web:manage-outcome-edit": lambda: {"title": "Reworded.", "description": ""},
    }[page]()


def summary(response) -> str:
    box = response.soup.select_one(".govuk-error-summary")
    assert box is not None, "no error summary"
    return box.get_text(" ", strip=True)


@pytest.fixture
def lead(demo, browser_client):
    return browser_client.sign_in("lead")


# --- who may use the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_each_page_renders_for_leads_and_administrators(demo, browser_client, role):
    browser_client.sign_in(role)
    for page, args in PAGES:
        response = browser_client.get(reverse(page, args=args))  # and the page passes the checks
        assert response.status_code == 200, page
        assert response.soup.h1.get_text(strip=True), page


@pytest.mark.parametrize("role", ["owner", "viewer", "data"])
def test_everyone_else_is_refused_and_nothing_changes(demo, browser_client, role):
    client = browser_client.sign_in(role).client
    before = snapshot()
    for page, args in PAGES:
        url = reverse(page, args=args)
        assert client.get(url).status_code == 403, page
        data = valid_post(page) if page != "web:manage-plan" else {}
        assert client.post(url, data).status_code == 403, page
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(demo, client):
    before = snapshot()
    for page, args in PAGES:
        url = reverse(page, args=args)
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302 and "/sign-in/" in response["Location"], page
    assert snapshot() == before


def test_the_manage_page_links_to_every_form(lead):
    page = lead.get(reverse("web:manage-plan", args=[SLUG]))
    links = {a["href"] for a in page.soup.select("a[href]")}
    for name, args in FORMS:
        assert reverse(name, args=args) in links, name


def test_a_forged_form_without_the_csrf_token_is_refused(demo):
    client = Client(enforce_csrf_checks=True)
    client.login(username="lead", password="a-long-demo-password")
    before = snapshot()
    response = client.post(reverse("web:manage-action-add", args=[SLUG]), add_form())
    assert response.status_code == 403
    assert snapshot() == before


# --- adding an action ---------------------------------------------------------------------------


def test_a_lead_adds_an_action_and_it_appears_in_the_list(lead):
    response = lead.post(reverse("web:manage-action-add", args=[SLUG]), add_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("web:action", args=[SLUG, "YC9"])
    page = lead.get(response["Location"])
    assert "Action YC9 has been added." in page.soup.get_text(" ")
    action = Action.objects.get(ref="YC9")
    assert action.theme == theme(2) and action.status == "not_started"
    assert sorted(action.outcomes.values_list("number", flat=True)) == [1, 4]
    assert [o.name for o in action.organisations.all()] == ["Barnardo's"]
    assert (action.commenced_text, action.due_text, action.due_kind) == (
        "Apr 2019",
        "Q2 2019/20",
        "quarter",
    )
    assert str(action.budget) == "2500.50"
    assert action.history.earliest("history_date").history_user.username == "lead"
    listing = lead.get(reverse("web:actions", args=[SLUG]))
    refs = [a.get_text(strip=True) for a in listing.soup.select("tbody th a")]
    assert "YC9" in refs
    assert "Run a young carers' awareness week" in listing.soup.get_text(" ")


def test_a_duplicate_ref_is_refused_naming_it_and_nothing_is_saved(lead):
    before = snapshot()
    response = lead.post(reverse("web:manage-action-add", args=[SLUG]), add_form(ref="YC7"))
    assert response.status_code == 400
    assert "An action with ref YC7 already exists" in summary(response)
    assert response.soup.select_one(".govuk-error-summary a")["href"] == "#ref"
    assert "An action with ref YC7 already exists" in response.soup.select_one("#ref-error").text
    assert response.soup.title.get_text().startswith("Error: ")
    # What was typed is kept.
    assert response.soup.select_one("#title").get_text() == add_form()["title"]
    assert snapshot() == before


def test_an_unreadable_commencement_date_is_kept_flagged_and_explained(lead):
    url = reverse("web:manage-action-add", args=[SLUG])
    response = lead.post(url, add_form(commenced="31/02/2019"))
    assert response.status_code == 302
    action = Action.objects.get(ref="YC9")
    assert (action.commenced, action.commenced_text, action.commenced_kind) == (
        None,
        "31/02/2019",
        "unparsed",
    )
    page = lead.get(response["Location"])
    text = " ".join(page.soup.get_text(" ").split())
    assert "The date commenced “31/02/2019” could not be read as a date" in text
    assert "flagged “Date not readable”" in text
    # The action page lists it under "Needs attention".
    assert "Date not readable" in text and "start date was given but could not be read" in text


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"ref": ""}, "Enter the action's ref", "ref"),
        ({"title": "  "}, "Enter what the action will do", "title"),
        ({"theme": ""}, "Choose the theme", "theme"),
        ({"budget": "lots"}, "Enter the budget in pounds", "budget"),
        ({"commenced": "Jan 2020", "due": "Dec 2019"}, "is before the date commenced", "due"),
        ({"status": "complete"}, "evidence", "status"),
        ({"outcomes": ["999999"]}, "Choose from the outcomes listed", "outcomes"),
    ],
)
def test_bad_input_on_the_add_page_is_refused_clearly(lead, changes, message, field):
    before = snapshot()
    response = lead.post(reverse("web:manage-action-add", args=[SLUG]), add_form(**changes))
    assert response.status_code == 400
    assert message in summary(response)
    assert f'href="#{field}"' in str(response.soup.select_one(".govuk-error-summary"))
    assert snapshot() == before


def test_an_action_can_be_added_without_a_theme(lead):
    response = lead.post(reverse("web:manage-action-add", args=[SLUG]), add_form(theme="none"))
    assert response.status_code == 302
    assert Action.objects.get(ref="YC9").theme is None


def test_html_in_a_title_is_shown_as_text_never_run(lead):
    script = "<script>alert('x')</script><b>bold</b>"
    response = lead.post(reverse("web:manage-action-add", args=[SLUG]), add_form(title=script))
    assert response.status_code == 302
    for url in (
        response["Location"],
        reverse("web:actions", args=[SLUG]),
        reverse("web:manage-plan", args=[SLUG]),
        reverse("web:manage-action-edit", args=[SLUG, "YC9"]),
        reverse("web:manage-action-retire", args=[SLUG, "YC9"]),
    ):
        html = lead.get(url).content.decode()
        assert "<script>alert('x')</script>" not in html and "<b>bold</b>" not in html, url
        assert "&lt;script&gt;alert(" in html, url


# --- changing an action -------------------------------------------------------------------------


def test_a_lead_changes_an_actions_details_but_not_its_dates_status_or_rating(lead):
    before = yc7()
    url = reverse("web:manage-action-edit", args=[SLUG, "YC7"])
    page = lead.get(url)
    assert page.soup.select_one("input[name=revision]")["value"] == str(before.revision)
    assert page.soup.select_one("#title").get_text() == before.title
    changes = {"title": "Sample young carers known to services", "budget": "1200", "spend": "300"}
    response = lead.post(url, edit_form(before, **changes))
    assert response.status_code == 302
    assert "The details of action YC7 have been saved." in lead.get(response["Location"]).soup.text
    after = yc7()
    assert after.title == "Sample young carers known to services"
    assert (str(after.budget), str(after.spend)) == ("1200.00", "300.00")
    assert after.revision == before.revision + 1
    for field in ("due", "due_text", "status", "rag", "original_due", "commenced"):
        assert getattr(after, field) == getattr(before, field), field


def test_a_stale_edit_is_refused_and_nothing_is_saved(lead):
    action = yc7()
    url = reverse("web:manage-action-edit", args=[SLUG, "YC7"])
    stale = edit_form(action, title="My version of the title")
    assert lead.post(url, edit_form(action, title="The other lead's title")).status_code == 302
    before = snapshot()
    response = lead.post(url, stale)
    assert response.status_code == 400
    assert "changed by someone else" in summary(response)
    assert "Nothing you entered has been saved" in summary(response)
    assert snapshot() == before
    assert yc7().title == "The other lead's title"


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"budget": "-5"}, "The budget can't be negative.", "budget"),
        ({"spend": "-0.01"}, "The spend can't be negative.", "spend"),
        ({"commenced": "Jan 2030"}, "is after the due date", "commenced"),
        ({"title": ""}, "Enter what the action will do", "title"),
        ({"revision": ""}, "This form is out of date", "title"),
    ],
)
def test_bad_input_on_the_edit_page_is_refused_clearly(lead, changes, message, field):
    before = snapshot()
    url = reverse("web:manage-action-edit", args=[SLUG, "YC7"])
    response = lead.post(url, edit_form(yc7(), **changes))
    assert response.status_code == 400
    assert message in summary(response)
    assert f'href="#{field}"' in str(response.soup.select_one(".govuk-error-summary"))
    assert snapshot() == before


# --- retiring an action -------------------------------------------------------------------------


def test_retiring_needs_a_reason_then_the_action_leaves_the_list(lead):
    url = reverse("web:manage-action-retire", args=[SLUG, "YC7"])
    page = lead.get(url)
    assert "Retire action YC7" in page.soup.h1.text
    before = snapshot()
    refused = lead.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert "Give the reason the action is being retired." in summary(refused)
    assert snapshot() == before

    response = lead.post(url, {"reason": "Merged into YC2."})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:actions", args=[SLUG])
    listing = lead.get(response["Location"])
    assert "Action YC7 has been retired." in listing.soup.get_text(" ")
    refs = [a.get_text(strip=True) for a in listing.soup.select("tbody th a")]
    assert "YC7" not in refs and "YC1" in refs
    assert yc7().retired_reason == "Merged into YC2."
    manage = lead.get(reverse("web:manage-plan", args=[SLUG]))
    assert reverse("web:manage-action-edit", args=[SLUG, "YC7"]) not in manage.content.decode()
    # The action's page remains, saying why it was retired; it can't be changed or retired again.
    action_page = lead.get(reverse("web:action", args=[SLUG, "YC7"]))
    assert "Merged into YC2." in action_page.soup.get_text(" ")
    edit_page = lead.get(reverse("web:manage-action-edit", args=[SLUG, "YC7"]))
    assert edit_page.soup.find("form", attrs={"method": "post", "novalidate": True}) is None
    assert "can't be changed" in edit_page.soup.get_text(" ")
    again = lead.post(url, {"reason": "Twice."})
    assert again.status_code == 400 and "already retired" in summary(again)
    assert yc7().retired_reason == "Merged into YC2."


# --- themes and outcomes ------------------------------------------------------------------------


def test_a_lead_adds_and_changes_a_theme(lead):
    add = reverse("web:manage-theme-add", args=[SLUG])
    assert lead.get(add).soup.select_one("#number")["value"] == "7"
    response = lead.post(add, {"number": "7", "name": "Carers in Work", "prefix": "cw"})
    assert response.status_code == 302
    page = lead.get(response["Location"])
    assert "Theme 7. Carers in Work has been added." in page.soup.get_text(" ")
    assert "7. Carers in Work" in page.soup.select_one("table").get_text(" ")
    edit = reverse("web:manage-theme-edit", args=[SLUG, 7])
    assert lead.post(edit, {"name": "Working Carers", "prefix": "WC"}).status_code == 302
    assert (theme(7).name, theme(7).prefix) == ("Working Carers", "WC")


@pytest.mark.parametrize(
    ("page", "args", "data", "message"),
    [
        ("web:manage-theme-add", (SLUG,), {"number": "2", "name": "Again", "prefix": "AG"},
         "Theme 2 already exists"),
        ("web:manage-theme-add", (SLUG,), {"number": "7", "name": "Again", "prefix": "yc"},
         "Another theme already uses the prefix YC"),
        ("web:manage-theme-edit", (SLUG, 2), {"name": "Young Carers", "prefix": "CS"},
         "Another theme already uses the prefix CS"),
        ("web:manage-theme-edit", (SLUG, 2), {"name": "", "prefix": "YC"},
         "Enter the theme's name"),
        ("web:manage-outcome-add", (SLUG,), {"number": "4", "title": "Again."},
         "Outcome 4 already exists"),
        ("web:manage-outcome-add", (SLUG,), {"number": "0", "title": "Zero."},
         "must be 1 or more"),
        ("web:manage-outcome-edit", (SLUG, 4), {"title": " ", "description": ""},
         "Enter what carers will experience"),
    ],
)  # fmt: skip
def test_bad_themes_and_outcomes_are_refused_clearly(lead, page, args, data, message):
    before = snapshot()
    response = lead.post(reverse(page, args=args), data)
    assert response.status_code == 400
    assert message in summary(response)
    assert snapshot() == before


def test_a_lead_adds_and_changes_an_outcome(lead):
    add = reverse("web:manage-outcome-add", args=[SLUG])
    assert lead.get(add).soup.select_one("#number")["value"] == "6"
    response = lead.post(add, {"number": "6", "title": "Carers can stay in work."})
    assert response.status_code == 302
    assert "6. Carers can stay in work." in lead.get(response["Location"]).soup.get_text(" ")
    edit = reverse("web:manage-outcome-edit", args=[SLUG, 6])
    data = {"title": "Carers can stay in or return to work.", "description": "Employers too."}
    assert lead.post(edit, data).status_code == 302
    assert (outcome(6).title, outcome(6).description) == (
        "Carers can stay in or return to work.",
        "Employers too.",
    )


def test_unknown_themes_outcomes_and_actions_are_not_found(lead):
    for page, args in [
        ("web:manage-theme-edit", (SLUG, 99)),
        ("web:manage-outcome-edit", (SLUG, 99)),
        ("web:manage-action-edit", (SLUG, "ZZ1")),
        ("web:manage-action-retire", (SLUG, "ZZ1")),
        ("web:manage-plan", ("no-such-strategy",)),
    ]:
        assert lead.client.get(reverse(page, args=args)).status_code == 404, page


def test_the_pages_make_the_same_number_of_queries_on_a_bigger_plan(demo, client):
    client.login(username="lead", password="a-long-demo-password")
    before = {page: queries(client, page) for page in PAGES}
    grow_the_plan(30)
    assert {page: queries(client, page) for page in PAGES} == before
