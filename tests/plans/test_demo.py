"""The illustrative demo: what `caring demo` loads, that it runs again, and who can sign in."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from caring.accounts.models import Membership, User
from caring.plans import selectors
from caring.plans.export import plan_export
from caring.plans.models import Action, Strategy

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-for-tests"
ROLES = {
    "admin": ("administrator", "Rotherham Council Adult Social Care"),
    "lead": ("strategy_lead", "Rotherham Council Adult Social Care"),
    "owner": ("action_owner", "Barnardo's"),
    "viewer": ("viewer", "Rotherham Council Health Select Commission"),
    "data": ("data_officer", "Rotherham Council Adult Social Care"),
}


def demo(**kwargs) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **kwargs)
    return out.getvalue()


def current_actions():
    strategy = Strategy.objects.get(slug="caring-together")
    return selectors.version_current(strategy=strategy).actions.all()


@pytest.fixture
def loaded(db):
    return demo(password=PASSWORD)


def test_demo_loads_the_caring_together_plan(loaded):
    assert "Loaded: Caring Together (21 actions, 6 meetings), illustrative." in loaded
    strategy = Strategy.objects.get(slug="caring-together")
    assert strategy.is_illustrative
    version = selectors.version_current(strategy=strategy)
    assert [t.prefix for t in version.themes.order_by("number")] == [
        "CS",
        "YC",
        "UC",
        "PP",
        "TO",
        "QA",
    ]
    assert version.actions.count() == 21
    assert {"YC7", "YC8"} <= set(version.actions.values_list("ref", flat=True))
    assert strategy.outcomes.count() == 5


def test_demo_has_actions_needing_attention(loaded):
    strategy = Strategy.objects.get(slug="caring-together")
    counts = selectors.flag_counts(version=selectors.version_current(strategy=strategy))
    assert counts["missing-owner"] >= 1
    assert counts["missing-timescale"] >= 1
    flagged = {
        a.action.ref: a.flag_names
        for a in selectors.actions_assessed(version=strategy.versions.get())
    }
    assert "missing-owner" in flagged["YC4"] and "missing-timescale" in flagged["YC4"]
    assert "unparsed-date" in flagged["UC2"]
    assert "slipped" in flagged["YC5"]


def test_demo_history_is_recorded_through_the_services(loaded):
    yc5 = current_actions().get(ref="YC5")
    assert (yc5.original_due_text, yc5.due_text) == ("March 2018", "June 2018")
    assert yc5.due_changes.get().changed_by.username == "owner"
    cs3 = current_actions().get(ref="CS3")
    assert cs3.status == "complete" and cs3.evidence.count() == 1
    assert cs3.updates.get().author.username == "lead"
    assert current_actions().get(ref="YC1").history.latest().history_user.username == "owner"


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_demo_user_can_sign_in_with_the_password_and_has_their_role(loaded, username):
    person = authenticate(username=username, password=PASSWORD)
    assert person is not None and person.username == username
    assert authenticate(username=username, password="not the password") is None
    role, organisation = ROLES[username]
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.organisation.name) == (role, organisation)
    assert person.is_superuser == (username == "admin")


def test_running_the_demo_twice_creates_no_duplicates(loaded, row_counts):
    before = row_counts()
    history_before = Action.history.count()
    output = demo(password=PASSWORD)
    assert "Already loaded" in output
    assert row_counts() == before
    assert Action.history.count() == history_before
    assert authenticate(username="owner", password=PASSWORD) is not None


def test_running_again_with_a_new_password_changes_it(loaded):
    demo(password="another-demo-password")
    assert authenticate(username="viewer", password="another-demo-password") is not None
    assert authenticate(username="viewer", password=PASSWORD) is None


def test_reset_reloads_the_plan(loaded, row_counts):
    before = row_counts()
    old = Strategy.objects.get(slug="caring-together")
    current_actions().get(ref="YC7").delete()
    current_actions().filter(ref="YC8").update(title="Changed by hand")
    output = demo(password=PASSWORD, reset=True)
    assert "Loaded: Caring Together (21 actions, 6 meetings)" in output
    assert row_counts() == before
    strategy = Strategy.objects.get(slug="caring-together")
    assert strategy.pk != old.pk
    assert current_actions().get(ref="YC8").title.startswith("Ask about young carers")
    assert current_actions().filter(ref="YC7").exists()


def test_without_a_password_one_is_generated_and_printed(db):
    output = demo()
    found = re.search(r"Password for all demo users: (\S+)", output)
    assert found, output
    password = found.group(1)
    assert len(password) >= 12
    for username in ROLES:
        assert authenticate(username=username, password=password) is not None


def test_a_given_password_is_not_printed(db):
    output = demo(password=PASSWORD)
    assert PASSWORD not in output


def test_the_demo_names_no_real_people(loaded):
    strategy = Strategy.objects.get(slug="caring-together")
    text = json.dumps(plan_export(strategy=strategy), ensure_ascii=False)
    titles = " ".join(User.objects.values_list("job_title", flat=True))
    for name in ("Hinchliffe", "Hill", "Hynes"):
        assert name not in text, name
        assert name not in titles, name
    assert "Young Carers Service Manager, Barnardo's" in titles
