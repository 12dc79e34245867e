"""Who may see and do what: every view declares a permission, and each role gets exactly its due."""

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document

from caring.accounts.models import User
from caring.plans.models import Strategy
from caring.reports.services import template_save
from caring.web.views.base import PUBLIC, Page

pytestmark = pytest.mark.django_db
SLUG = "caring-together"


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's admin has its own staff check (tested in tests/plans)
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_declares_a_permission():
    seen = 0
    for route, callback in walk(get_resolver().url_patterns):
        view = getattr(callback, "view_class", None)
        assert view is not None and issubclass(view, Page), f"{route} is not a Page view"
        assert view.permission_required, f"{route} declares no permission"
        seen += 1
    assert seen >= 6


def test_only_the_sign_in_and_out_pages_are_public():
    public = {
        route
        for route, callback in walk(get_resolver().url_patterns)
        if callback.view_class.permission_required == PUBLIC
    }
    assert public == {"sign-in/", "sign-out/"}


# (page, method) -> the roles allowed; everyone else is refused.
MEMBERS = {"admin", "lead", "owner", "viewer", "data"}
PAGES = {
    ("web:home", (), "get"): MEMBERS,
    ("web:dashboard", (SLUG,), "get"): MEMBERS,
    ("web:actions", (SLUG,), "get"): MEMBERS,
    ("web:action", (SLUG, "YC7"), "get"): MEMBERS,
    # YC7 is led by Barnardo's and the Early Help Service: the owner (Barnardo's) may update it.
    ("web:post-update", (SLUG, "YC7"), "get"): {"admin", "lead", "owner"},
    ("web:post-update", (SLUG, "YC7"), "post"): {"admin", "lead", "owner"},
    # CS1 is led by Adult Social Care only: not the Barnardo's owner.
    ("web:post-update", (SLUG, "CS1"), "get"): {"admin", "lead"},
    ("web:post-update", (SLUG, "CS1"), "post"): {"admin", "lead"},
    ("web:import-workbook", (SLUG,), "get"): {"admin", "lead"},
    ("web:import-workbook", (SLUG,), "post"): {"admin", "lead"},
    # The progress report pack: members read; leads write the narrative and issue. (Downloads
    # and issued reports need a query or a report: tests/web/test_reports.py covers them.)
    ("web:reports", (SLUG,), "get"): MEMBERS,
    ("web:report-draft", (SLUG,), "get"): MEMBERS,
    ("web:plan-as-at", (SLUG,), "get"): MEMBERS,
    ("web:report-narrative", (SLUG,), "get"): {"admin", "lead"},
    ("web:report-narrative", (SLUG,), "post"): {"admin", "lead"},
    ("web:report-issue", (SLUG,), "post"): {"admin", "lead"},
    # The council's Word template for the pack: leads only (its file once one is uploaded).
    ("web:report-template", (SLUG,), "get"): {"admin", "lead"},
    ("web:report-template", (SLUG,), "post"): {"admin", "lead"},
    ("web:report-template-file", (SLUG,), "get"): {"admin", "lead"},
    # The Quality Assurance Framework: members read approved figures; leads and data officers
    # enter values, registers and sessions; leads and an indicator's owner ("data" owns the
    # demo's) approve its values or withdraw an approval. (tests/web/test_indicators.py has more.)
    ("web:indicators", (SLUG,), "get"): MEMBERS,
    ("web:indicator", (SLUG, "QA1"), "get"): MEMBERS,
    ("web:practices", (SLUG,), "get"): MEMBERS,
    ("web:training", (SLUG,), "get"): MEMBERS,
    ("web:services", (SLUG,), "get"): MEMBERS,
    ("web:indicator-value-start", (SLUG,), "get"): {"admin", "lead", "data"},
    ("web:indicator-value-add", (SLUG, "QA1"), "get"): {"admin", "lead", "data"},
    ("web:indicator-value-add", (SLUG, "QA1"), "post"): {"admin", "lead", "data"},
    ("web:indicator-values-upload", (SLUG,), "get"): {"admin", "lead", "data"},
    ("web:indicator-values-upload", (SLUG,), "post"): {"admin", "lead", "data"},
    ("web:practice-register-add", (SLUG,), "get"): {"admin", "lead", "data"},
    ("web:practice-register-add", (SLUG,), "post"): {"admin", "lead", "data"},
    ("web:training-session-add", (SLUG,), "get"): {"admin", "lead", "data"},
    ("web:training-session-add", (SLUG,), "post"): {"admin", "lead", "data"},
    ("web:indicator-value-approve", (SLUG, "QA1"), "post"): {"admin", "lead", "data"},
    ("web:indicator-value-withdraw", (SLUG, "QA1"), "post"): {"admin", "lead", "data"},
}


def a_word_template():
    out = io.BytesIO()
    Document().save(out)
    template_save(strategy=Strategy.objects.get(slug=SLUG), data=out.getvalue(),
                  filename="template.docx", by=User.objects.get(username="lead"))  # fmt: skip


# What a page needs to exist before it can be fetched.
SETUP = {"web:report-template-file": a_word_template}


@pytest.mark.parametrize("role", sorted(MEMBERS) + ["anonymous"])
@pytest.mark.parametrize(("page", "args", "method"), sorted(PAGES))
def test_role_matrix(demo, browser_client, role, page, args, method):
    if page in SETUP:
        SETUP[page]()
    if role != "anonymous":
        browser_client.sign_in(role)
    url = reverse(page, args=args)
    response = getattr(browser_client.client, method)(url, {} if method == "post" else None)
    allowed = role in PAGES[(page, args, method)]
    if role == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    elif allowed:
        # A blank POST is refused by the form (400) but was let through the permission check.
        assert response.status_code in (200, 302, 400), response.status_code
    else:
        assert response.status_code == 403
