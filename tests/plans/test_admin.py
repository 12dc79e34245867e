"""Django's admin is this issue's only interface: every page renders, and shows what matters."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from caring.plans.models import Action, DueDateChange, PlanVersion, Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    assert client.login(username="admin", password="a-long-demo-password")
    return client


def test_action_list_shows_suggested_rag_flags_and_illustrative_label(admin_client_demo):
    response = admin_client_demo.get(reverse("admin:plans_action_changelist") + "?all=")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Illustrative demo wording" in text
    assert "missing-owner" in text
    assert "YC7" in text and "YC8" in text


def test_action_page_shows_slips_and_the_original_due_date(admin_client_demo):
    slipped = DueDateChange.objects.get(action__ref="YC5").action
    response = admin_client_demo.get(reverse("admin:plans_action_change", args=[slipped.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "postponed because of the weather" in text  # the due-date change's reason
    assert "March 2018" in text  # the original timescale, kept
    assert "June 2018" in text  # the current one
    assert ", slipped" in text  # the flag, after the others


@pytest.mark.parametrize(
    ("name", "model"),
    [("strategy", Strategy), ("planversion", PlanVersion), ("action", Action)],
)
def test_every_plan_page_renders(admin_client_demo, name, model):
    obj = model.objects.first()
    assert admin_client_demo.get(reverse(f"admin:plans_{name}_changelist")).status_code == 200
    assert (
        admin_client_demo.get(reverse(f"admin:plans_{name}_change", args=[obj.pk])).status_code
        == 200
    )
    assert (
        admin_client_demo.get(reverse(f"admin:plans_{name}_history", args=[obj.pk])).status_code
        == 200
    )


def test_admin_is_closed_to_people_who_are_not_staff(client):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    assert client.login(username="viewer", password="a-long-demo-password")
    response = client.get(reverse("admin:plans_action_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
