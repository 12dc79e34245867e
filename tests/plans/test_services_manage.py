"""Editing an action's details, a theme or an outcome: what changes, what never does, and what is
refused (naming the field, saving nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caring.plans import selectors, services
from caring.plans.models import Action, Outcome, Theme
from caring.plans.services import ConflictError
from tests.factories import (
    OrganisationFactory,
    OutcomeFactory,
    PlanVersionFactory,
    StrategyFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(make_action, strategy):
    outcome = OutcomeFactory(strategy=strategy, number=1)
    return make_action(
        commenced="Apr 2018",
        due="Q3 2018/19",
        status="in_progress",
        rag="amber",
        rag_rationale="Data sharing still to sign.",
        outcomes=[outcome],
        budget=Decimal("1000.00"),
    )


def fresh(action) -> Action:
    return Action.objects.get(pk=action.pk)


def details(action: Action) -> dict:
    """Everything ``action_edit`` may change, as the database has it now."""
    saved = fresh(action)
    return {
        "title": saved.title,
        "description": saved.description,
        "theme": saved.theme_id,
        "lead_role": saved.lead_role,
        "commenced": (saved.commenced, saved.commenced_text, saved.commenced_kind),
        "ongoing": saved.ongoing,
        "money": (saved.budget, saved.spend),
        "outcomes": sorted(saved.outcomes.values_list("pk", flat=True)),
        "organisations": sorted(saved.organisations.values_list("pk", flat=True)),
        "revision": saved.revision,
    }


def edit(action, by=None, **changes):
    """``action_edit`` with the action's own details, changed by ``changes``."""
    kwargs = {
        "action": action,
        "by": by,
        "expected_revision": action.revision,
        "title": action.title,
        "description": action.description,
        "theme": action.theme,
        "outcomes": list(action.outcomes.all()),
        "lead_role": action.lead_role,
        "lead_person": action.lead_person,
        "organisations": list(action.organisations.all()),
        "commenced": action.commenced_text,
        "ongoing": action.ongoing,
        "budget": action.budget,
        "spend": action.spend,
    }
    kwargs.update(changes)
    return services.action_edit(**kwargs)


# --- action_edit --------------------------------------------------------------------------------


def test_action_edit_saves_every_detail_given(action, version, strategy, user):
    other_theme = ThemeFactory(version=version, number=3, name="Unknown Carers", prefix="UC")
    outcomes = [OutcomeFactory(strategy=strategy, number=n) for n in (2, 5)]
    organisations = OrganisationFactory.create_batch(2)
    lead = UserFactory()
    edit(
        action,
        user,
        title="  Count young carers known to services  ",
        description="Through the Early Help assessment.",
        theme=other_theme,
        outcomes=outcomes,
        lead_role=" Early Help Manager ",
        lead_person=lead,
        organisations=organisations,
        commenced="May 2018",
        ongoing=True,
        budget=Decimal("2500.50"),
        spend=Decimal("120"),
    )
    saved = fresh(action)
    assert saved.title == "Count young carers known to services"
    assert saved.description == "Through the Early Help assessment."
    assert (saved.theme, saved.lead_role, saved.lead_person) == (
        other_theme,
        "Early Help Manager",
        lead,
    )
    assert set(saved.outcomes.all()) == set(outcomes)
    assert set(saved.organisations.all()) == set(organisations)
    assert (saved.commenced, saved.commenced_text, saved.commenced_kind) == (
        dt.date(2018, 5, 1),
        "May 2018",
        "month",
    )
    assert saved.ongoing is True
    assert (saved.budget, saved.spend) == (Decimal("2500.50"), Decimal("120.00"))
    assert saved.revision == action.revision == 2


def test_action_edit_never_changes_the_due_date_status_or_rating(action, user):
    before = fresh(action)
    edit(action, user, title="A new title", commenced="01/06/2018")
    saved = fresh(action)
    kept = ("due", "due_text", "due_kind", "original_due", "original_due_text", "status", "rag",
            "rag_rationale", "last_update_on", "ref", "retired_at")  # fmt: skip
    for field in kept:
        assert getattr(saved, field) == getattr(before, field), field
    assert saved.due_changes.count() == 0 and saved.updates.count() == 0


def test_action_edit_records_who_made_the_change(action, user):
    edit(action, user, title="A new title")
    record = fresh(action).history.latest("history_date")
    assert record.history_user == user
    assert record.title == "A new title"


def test_action_edit_keeps_an_unreadable_commencement_date_and_flags_it(action, user):
    edit(action, user, commenced="31/02/2019")
    saved = fresh(action)
    assert (saved.commenced, saved.commenced_text, saved.commenced_kind) == (
        None,
        "31/02/2019",
        "unparsed",
    )
    assert "unparsed-date" in selectors.action_assess(saved).flag_names


def test_action_edit_can_clear_the_commencement_date_and_money(action, user):
    edit(action, user, commenced="", budget=None, spend=None)
    saved = fresh(action)
    assert (saved.commenced, saved.commenced_text, saved.commenced_kind) == (None, "", "blank")
    assert (saved.budget, saved.spend) == (None, None)


def test_action_edit_refuses_a_stale_revision_and_saves_nothing(action, user, row_counts):
    opened_at = action.revision
    edit(action, user, title="The first edit")
    before, counts = details(action), row_counts()
    stale = fresh(action)
    with pytest.raises(ConflictError, match="changed by someone else"):
        edit(stale, user, title="The second edit", expected_revision=opened_at)
    assert details(action) == before and row_counts() == counts
    assert stale.revision == opened_at + 1  # the copy's revision is put back


def test_action_edit_refuses_a_stale_copy_without_an_expected_revision(action, user):
    stale = fresh(action)
    edit(action, user, title="The first edit")
    with pytest.raises(ConflictError):
        edit(stale, user, title="The second edit", expected_revision=None)
    assert fresh(action).title == "The first edit"


def test_action_edit_does_not_write_back_a_stale_copys_status(action, user, today):
    """An old copy given with the current revision must not undo a progress update."""
    old_copy = fresh(action)
    services.action_update_post(
        action=fresh(action), by=user, narrative="Put on hold.", status="on_hold", rag="red"
    )
    current = fresh(action).revision
    edit(old_copy, user, title="A new title", expected_revision=current)
    saved = fresh(action)
    assert (saved.title, saved.status, saved.rag, saved.last_update_on) == (
        "A new title",
        "on_hold",
        "red",
        today,
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("title", {"title": "   "}),
        ("budget", {"budget": Decimal("-1")}),
        ("spend", {"spend": Decimal("-0.01")}),
        ("budget", {"budget": "lots"}),
        ("budget", {"budget": Decimal("1e15")}),
        ("commenced", {"commenced": "Jan 2019"}),  # the due date is 31 December 2018
        ("commenced", {"commenced": "x" * 101}),
        ("lead_role", {"lead_role": "x" * 201}),
    ],
)
def test_action_edit_refuses_bad_details(action, user, refuses, field, changes):
    before = details(action)
    with refuses(field):
        edit(action, user, **changes)
    assert details(action) == before
    assert action.revision == before["revision"]


def test_a_commencement_date_after_the_due_date_is_explained(action, user, refuses):
    with refuses("commenced") as info:
        edit(action, user, commenced="Jan 2019")
    message = info.value.message_dict["commenced"][0]
    assert "1 January 2019" in message and "31 December 2018" in message


def test_a_commencement_date_on_the_due_date_is_accepted(action, user):
    edit(action, user, commenced="31/12/2018")
    assert fresh(action).commenced == dt.date(2018, 12, 31)


def test_action_edit_refuses_a_theme_from_another_version(action, user, strategy, refuses):
    other = ThemeFactory(version=PlanVersionFactory(strategy=strategy, is_current=False))
    before = details(action)
    with refuses("theme"):
        edit(action, user, theme=other)
    assert details(action) == before


def test_action_edit_refuses_an_outcome_from_another_strategy(action, user, refuses):
    foreign = OutcomeFactory(strategy=StrategyFactory(), number=9)
    before = details(action)
    with refuses("outcomes") as info:
        edit(action, user, outcomes=[foreign])
    assert "Outcome 9" in info.value.message_dict["outcomes"][0]
    assert details(action) == before


def test_action_edit_refuses_a_retired_action(action, user, refuses):
    services.action_retire(action=action, reason="Merged into YC2.", by=user)
    retired = fresh(action)
    before = details(retired)
    with refuses("action"):
        edit(retired, user, title="A new title")
    assert details(retired) == before


def test_action_edit_refuses_an_action_of_an_earlier_version(make_action, strategy, user, refuses):
    old = PlanVersionFactory(strategy=strategy, is_current=False, name="Action Plan 2016")
    action = make_action(version=old, ref="OLD1")
    with refuses("action"):
        edit(action, user, title="A new title")


def test_ongoing_cannot_be_unticked_while_the_due_date_is_ongoing(make_action, user, refuses):
    action = make_action(due="Ongoing")
    assert fresh(action).ongoing is True
    with refuses("ongoing"):
        edit(fresh(action), user, ongoing=False)
    assert fresh(action).ongoing is True


def test_several_problems_are_reported_together(action, user, refuses):
    with refuses("title") as info:
        edit(action, user, title="", budget=Decimal("-5"), commenced="2020")
    assert {"title", "budget", "commenced"} <= set(info.value.message_dict)


# --- theme_edit ---------------------------------------------------------------------------------


def test_theme_edit_renames_and_changes_the_prefix(theme, user):
    services.theme_edit(theme=theme, name="  Young Carers and Families ", prefix=" ycf ", by=user)
    saved = Theme.objects.get(pk=theme.pk)
    assert (saved.name, saved.prefix, saved.number) == ("Young Carers and Families", "YCF", 2)
    assert saved.history.latest("history_date").history_user == user


def test_theme_edit_keeps_its_own_prefix(theme):
    services.theme_edit(theme=theme, name="Young Carers (renamed)", prefix="YC")
    assert Theme.objects.get(pk=theme.pk).name == "Young Carers (renamed)"


def test_theme_edit_refuses_a_prefix_another_theme_uses(theme, version, refuses):
    ThemeFactory(version=version, number=3, prefix="UC")
    with refuses("prefix") as info:
        services.theme_edit(theme=theme, name="Young Carers", prefix="uc")
    assert "UC" in info.value.message_dict["prefix"][0]
    assert Theme.objects.get(pk=theme.pk).prefix == "YC"


def test_theme_edit_allows_a_prefix_used_in_another_version(theme, strategy):
    ThemeFactory(version=PlanVersionFactory(strategy=strategy, is_current=False), prefix="UC")
    services.theme_edit(theme=theme, name="Young Carers", prefix="UC")
    assert Theme.objects.get(pk=theme.pk).prefix == "UC"


@pytest.mark.parametrize(
    ("field", "name", "prefix"),
    [("name", " ", "YC"), ("prefix", "Young Carers", "  "), ("prefix", "Young Carers", "X" * 11),
     ("name", "x" * 201, "YC")],
)  # fmt: skip
def test_theme_edit_refuses_blank_or_long_values(theme, refuses, field, name, prefix):
    with refuses(field):
        services.theme_edit(theme=theme, name=name, prefix=prefix)
    saved = Theme.objects.get(pk=theme.pk)
    assert (saved.name, saved.prefix) == ("Young Carers", "YC")


def test_theme_edit_refuses_a_theme_of_an_earlier_version(strategy, refuses):
    old = ThemeFactory(version=PlanVersionFactory(strategy=strategy, is_current=False))
    with refuses("theme"):
        services.theme_edit(theme=old, name="Renamed", prefix="RN")


# --- outcome_edit -------------------------------------------------------------------------------


def test_outcome_edit_changes_the_wording(strategy, user):
    outcome = OutcomeFactory(strategy=strategy, number=4)
    services.outcome_edit(
        outcome=outcome, title="  Young carers can learn and thrive. ", description="Why.", by=user
    )
    saved = Outcome.objects.get(pk=outcome.pk)
    assert (saved.number, saved.title, saved.description) == (
        4,
        "Young carers can learn and thrive.",
        "Why.",
    )
    assert saved.history.latest("history_date").history_user == user


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_outcome_edit_refuses_a_blank_or_long_title(strategy, refuses, title):
    outcome = OutcomeFactory(strategy=strategy, number=4, title="Carers thrive.")
    with refuses("title"):
        services.outcome_edit(outcome=outcome, title=title, description="")
    assert Outcome.objects.get(pk=outcome.pk).title == "Carers thrive."
