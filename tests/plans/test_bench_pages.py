"""The benchmark of the pages (``bench/pages.py``): honest selectors, and the targets applied."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from bench import run
from caring.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def generate() -> None:
    call_command("generate_synthetic", councils=1, actions=40, months=3, stdout=io.StringIO())


def test_each_page_is_measured_beside_the_selectors_behind_it():
    from bench import pages

    generate()
    rows = pages.measure(slug="synthetic-001", requests=2)  # checks the pages show the answers
    assert [row["name"] for row in rows] == [
        "dashboard",
        "actions",
        "actions?flag=stale&sort=due",
    ]
    for row in rows:
        assert row["queries"] > row["selector_queries"] > 0, row
        assert row["p95_ms"] >= row["median_ms"] > 0 and row["selectors_ms"] > 0, row
    viewer = User.objects.get(username=pages.VIEWER)
    assert list(Membership.objects.filter(user=viewer).values_list("role", flat=True)) == [
        Role.VIEWER
    ]
    pages.measure(slug="synthetic-001", requests=1)  # the viewer is made once, then reused
    assert User.objects.filter(username=pages.VIEWER).count() == 1


def test_a_page_not_showing_the_selectors_answer_stops_the_run():
    from bench import pages

    html = '<p id="result-count">3 actions found.</p><th scope="row"><a href="x">YC1</a></th>'
    pages.list_check(html, pages.ListAnswer(3, ["YC1"]))
    with pytest.raises(AssertionError):
        pages.list_check(html, pages.ListAnswer(4, ["YC1"]))
    with pytest.raises(AssertionError):
        pages.list_check(html, pages.ListAnswer(3, ["YC2"]))


@pytest.mark.parametrize(
    ("database", "median", "p95", "selectors", "problems"),
    [
        ("sqlite", 20.0, 30.0, 12.0, []),
        ("sqlite", 20.0, 250.0, 12.0, ["p95 too slow"]),
        ("sqlite", 30.0, 40.0, 12.0, ["page > 2x its selectors"]),
        ("postgresql", 20.0, 250.0, 12.0, []),  # the p95 target is for SQLite only
        ("postgresql", 30.0, 40.0, 12.0, ["page > 2x its selectors"]),
    ],
)
def test_page_targets(database, median, p95, selectors, problems):
    row = {"median_ms": median, "p95_ms": p95, "selectors_ms": selectors}
    targets, missed = run.page_verdict(row, database)
    assert missed == problems
    assert ("p95 < 200 ms" in targets) == (database == "sqlite")


def test_the_test_client_host_is_allowed():
    assert run.allowed_hosts(None) == "127.0.0.1,localhost,testserver"
    assert run.allowed_hosts("example.org, testserver") == "example.org,testserver"
