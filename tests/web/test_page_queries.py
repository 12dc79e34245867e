"""Each page makes a number of SQL queries that does not grow with the plan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caring.accounts.models import Organisation
from caring.plans import services
from caring.plans.models import PlanVersion
from caring.plans.services import EvidenceInput

pytestmark = pytest.mark.django_db
SLUG = "caring-together"
PAGES = [
    ("web:dashboard", (SLUG,)),
    ("web:actions", (SLUG,)),
    ("web:actions", (SLUG,), "?flag=stale&sort=due"),
    ("web:action", (SLUG, "YC7")),
    ("web:post-update", (SLUG, "YC7")),
]


def queries(client, page):
    name, args, *query = page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=args) + (query[0] if query else ""))
    assert response.status_code == 200
    return len(captured)


def grow_the_plan(n: int) -> None:
    version = PlanVersion.objects.get(strategy__slug=SLUG, is_current=True)
    theme = version.themes.get(prefix="YC")
    orgs = list(Organisation.objects.all()[:3])
    for i in range(n):
        action = services.action_create(
            version=version,
            ref=f"YC{100 + i}",
            title=f"Extra action {i}",
            theme=theme,
            organisations=orgs,
            lead_role="Extra lead",
            due="Dec 2018",
            outcomes=version.strategy.outcomes.all()[:2],
        )
        services.action_update_post(
            action=action,
            by=None,
            narrative="Progress.",
            status="in_progress",
            rag="green",
            evidence=[EvidenceInput(kind="text", title="Note", text="Done some.")],
        )


def test_pages_make_the_same_number_of_queries_on_a_bigger_plan(demo, client):
    client.login(username="admin", password="a-long-demo-password")
    before = {page: queries(client, page) for page in PAGES}
    grow_the_plan(30)
    after = {page: queries(client, page) for page in PAGES}
    assert after == before
