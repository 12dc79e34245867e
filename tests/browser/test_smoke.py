"""Smoke tests in a real browser: the admin sign-in page by mouse and by keyboard, at desktop and
phone widths, checked with axe; and the axe helper itself, on pages it must pass and fail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error, expect

from caring.accounts.models import User
from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-only-password"


@pytest.fixture
def superuser(transactional_db, django_user_model):
    assert django_user_model is User
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password=PASSWORD
    )


def focused(page) -> str:
    """What has keyboard focus, readably: ``#id_username``, ``a "Skip to main content"``."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return 'body';
            if (el.id) return '#' + el.id;
            const name = (el.getAttribute('aria-label') || el.value || el.textContent || '').trim();
            return el.tagName.toLowerCase() + ' "' + name.replace(/\\s+/g, ' ') + '"';
        }"""
    )


def test_login_page_at_desktop_and_mobile_widths(page, mobile_page, screenshot):
    for each in (page, mobile_page):
        each.goto("/admin/login/")
        expect(each).to_have_title(re.compile("Log in"))
        expect(each.get_by_label("Username")).to_be_visible()
        expect(each.get_by_label("Password")).to_be_visible()
        expect(each.get_by_role("button", name="Log in")).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert each.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(each, "admin-login")
        assert_no_axe_violations(each)


def test_superuser_signs_in_through_the_form(page, superuser, screenshot):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(page.get_by_role("link", name="Caring Together administration")).to_be_visible()
    screenshot(page, "admin-index")
    assert_no_axe_violations(page)


def test_wrong_password_is_refused(page, superuser):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator(".errornote")).to_contain_text("correct username and password")


def test_keyboard_alone_signs_in(page, superuser):
    page.goto("/admin/login/")
    assert focused(page) == "#id_username", "the username field should have focus on arrival"

    # From the top of the document, Tab reaches username, password and the button, in that order.
    page.evaluate(
        """() => {
            document.activeElement.blur();
            document.body.tabIndex = -1;
            document.body.focus();
            document.body.removeAttribute('tabindex');
        }"""
    )
    visited = []
    while len(visited) < 15 and (not visited or visited[-1] != "#id_username"):
        page.keyboard.press("Tab")
        visited.append(focused(page))
    assert visited[-1] == "#id_username", f"Tab never reached the username field: {visited}"
    page.keyboard.type("admin")

    page.keyboard.press("Tab")
    assert focused(page) == "#id_password"
    page.keyboard.type(PASSWORD)

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Log in")).to_be_focused()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


ACCESSIBLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign up for news</title></head>
<body><main>
  <h1>Sign up for news</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="The council's logo">
  <form>
    <label for="email">Email address</label>
    <input id="email" name="email" type="email" autocomplete="email">
    <button type="submit">Sign up</button>
  </form>
</main></body></html>"""

INACCESSIBLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign up for news</title></head>
<body><main>
  <h1>Sign up for news</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <form>
    <input id="email" name="email" type="email">
    <button type="submit">Sign up</button>
  </form>
</main></body></html>"""


def test_axe_helper_passes_an_accessible_page(page):
    page.set_content(ACCESSIBLE)
    assert_no_axe_violations(page)


def test_axe_helper_fails_an_image_without_alt_and_an_input_without_label(page):
    page.set_content(INACCESSIBLE)
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    message = str(failure.value)
    assert "2 WCAG A/AA violation(s)" in message, message
    assert "- image-alt [critical]: Images must have alternative text" in message, message
    assert "- label [critical]: Form elements must have labels" in message, message
    assert "1 element(s): img" in message, message
    assert "1 element(s): #email" in message, message
    assert "https://dequeuniversity.com/rules/axe/" in message, message


def test_axe_helper_works_under_a_strict_content_security_policy(page):
    # Our own pages send a CSP allowing only same-origin and nonced scripts; axe must still run.
    strict = (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
        "script-src 'self' 'nonce-abc'; style-src 'self'; img-src 'self' data:\">"
    )
    page.set_content(
        INACCESSIBLE.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + strict)
    )
    with pytest.raises(Error, match="Content Security Policy"):
        page.add_script_tag(content="window.inlineRan = true")  # the policy is really enforced
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)
