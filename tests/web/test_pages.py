"""The pages render for the demo, to the structure every page must have."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SLUG = "caring-together"


def test_anonymous_visitors_are_sent_to_sign_in(demo, browser_client):
    response = browser_client.get(reverse("web:dashboard", args=[SLUG]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign-in"))
    page = browser_client.get(reverse("web:sign-in"))
    assert page.status_code == 200
    assert page.soup.h1.get_text(strip=True) == "Sign in"


@pytest.mark.parametrize("user", ["lead", "owner", "viewer", "data", "admin"])
def test_every_member_sees_the_dashboard_list_and_an_action(demo, browser_client, user):
    browser_client.sign_in(user)
    dashboard = browser_client.get(reverse("web:dashboard", args=[SLUG]))
    assert dashboard.status_code == 200
    text = dashboard.soup.get_text(" ")
    assert "Illustrative demo data" in text
    assert "Data last updated" in text
    assert "Young Carers" in text
    actions = browser_client.get(reverse("web:actions", args=[SLUG]))
    assert actions.status_code == 200
    assert "21 actions found" in actions.soup.get_text(" ")
    action = browser_client.get(reverse("web:action", args=[SLUG, "YC5"]))
    assert action.status_code == 200
    assert "postponed because of the weather" in action.soup.get_text(" ")


def test_my_actions_puts_an_owners_actions_needing_an_update_first(demo, browser_client):
    browser_client.sign_in("owner")
    page = browser_client.get(reverse("web:my-actions", args=[SLUG]))
    assert page.status_code == 200
    refs = [li.find("a").get_text().split()[0] for li in page.soup.select(".app-my-actions li")]
    # The Barnardo's owner's organisation leads YC1, YC5, YC7 and QA1.
    assert sorted(refs) == ["QA1", "YC1", "YC5", "YC7"]


def test_my_actions_says_so_when_a_person_owns_nothing(demo, browser_client):
    browser_client.sign_in("viewer")
    page = browser_client.get(reverse("web:my-actions", args=[SLUG]))
    assert "You are not an action owner" in page.soup.get_text(" ")


def test_signing_out_is_a_form_not_a_link(demo, browser_client):
    browser_client.sign_in("viewer")
    page = browser_client.get(reverse("web:dashboard", args=[SLUG]))
    form = page.soup.select_one("form.app-sign-out")
    assert form is not None and form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("web:dashboard", [SLUG]),
        ("web:actions", [SLUG]),
        ("web:action", [SLUG, "YC7"]),
        ("web:post-update", [SLUG, "YC7"]),
        ("web:my-actions", [SLUG]),
    ],
)
def test_every_plan_page_says_when_the_data_was_last_updated(demo, browser_client, name, args):
    browser_client.sign_in("lead")
    page = browser_client.get(reverse(name, args=args))
    assert page.soup.select_one("#data-updated") is not None
    assert page.soup.select_one("#illustrative-notice") is not None


@pytest.mark.parametrize(("user", "sees"), [("lead", True), ("admin", True), ("owner", False)])
def test_only_leads_see_the_links_to_manage_the_plan(demo, browser_client, user, sees):
    browser_client.sign_in(user)
    page = browser_client.get(reverse("web:action", args=[SLUG, "YC7"]))
    text = page.soup.get_text(" ")
    assert ("Change details" in text) is sees
    assert ("Retire action" in text) is sees
    assert ("Manage plan" in text) is sees


def test_the_dashboard_table_has_the_figures_of_the_chart(demo, browser_client):
    browser_client.sign_in("viewer")
    page = browser_client.get(reverse("web:dashboard", args=[SLUG]))
    rows = {
        tr.find("th").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in page.soup.select(".app-table-scroll tbody tr")
    }
    # Red, amber, green, blue, not rated, total
    assert rows["2. Young Carers"] == ["0", "2", "1", "0", "5", "8"]
    assert rows["All themes"][-1] == "21"
    assert "2. Young Carers: 2 amber, 1 green, 5 not rated" in page.soup.find("desc").get_text()
