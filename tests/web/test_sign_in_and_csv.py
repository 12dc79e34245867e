"""Signing in (with a limit on failures), signing out, and the CSV download."""

import csv
import io

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SLUG = "caring-together"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(browser_client, username, password):
    return browser_client.post(reverse("web:sign-in"), {"username": username, "password": password})


def test_signing_in_and_out(demo, browser_client):
    response = sign_in(browser_client, "viewer", PASSWORD)
    assert response.status_code == 302
    assert browser_client.get(reverse("web:home")).status_code == 302  # one strategy: dashboard
    out = browser_client.client.post(reverse("web:sign-out"))
    assert out.status_code == 302
    assert browser_client.get(reverse("web:dashboard", args=[SLUG])).status_code == 302


def test_a_wrong_password_gets_a_clear_message(demo, browser_client):
    response = sign_in(browser_client, "viewer", "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.soup.get_text(" ")
    assert response.soup.title.get_text().startswith("Error: ")


@override_settings(CARING_SIGN_IN_ATTEMPTS=3)
def test_repeated_failures_lock_the_username_even_with_the_right_password(demo, browser_client):
    for _ in range(3):
        sign_in(browser_client, "viewer", "wrong-password")
    response = sign_in(browser_client, "viewer", PASSWORD)
    assert response.status_code == 200
    assert "too many failed attempts" in response.soup.get_text(" ")
    assert "_auth_user_id" not in browser_client.client.session
    # Another username from the same address is not locked out.
    assert sign_in(browser_client, "lead", PASSWORD).status_code == 302


def test_the_csv_has_the_filtered_actions_and_defuses_formulas(demo, browser_client):
    from caring.plans.models import Action

    Action.objects.filter(ref="YC2").update(title="=HYPERLINK('http://x','click')")
    browser_client.sign_in("viewer")
    url = reverse("web:actions", args=[SLUG]) + "?flag=missing-timescale&format=csv"
    response = browser_client.client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["ref", "theme", "title"]
    refs = sorted(row[0] for row in rows[1:])
    assert refs == ["TO2", "YC2", "YC4"]
    yc2 = next(row for row in rows if row[0] == "YC2")
    assert yc2[2].startswith("'=")  # not a live formula in a spreadsheet
    assert "missing-timescale" in yc2[-1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=2", 8),
        ("status=complete", 3),
        ("rag=none", 8),
        ("q=young+carers", None),
        ("flag=missing-owner", 3),
    ],
)
def test_filters_narrow_the_list(demo, browser_client, query, expected):
    browser_client.sign_in("viewer")
    page = browser_client.get(reverse("web:actions", args=[SLUG]) + "?" + query)
    count = int(page.soup.select_one("#result-count").get_text().split()[0])
    if expected is None:
        assert 0 < count < 21
    else:
        assert count == expected
