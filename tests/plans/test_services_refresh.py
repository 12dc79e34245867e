"""Refreshing a plan: a new current version with live actions carried forward, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caring.plans import selectors, services
from caring.plans.export import plan_export
from caring.plans.models import Action, DueDateChange, Evidence, PlanVersion, Theme, Update
from caring.plans.services import EvidenceInput
from tests.factories import (
    OrganisationFactory,
    OutcomeFactory,
    ThemeFactory,
    pdf_file,
    text_evidence,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(version, theme, make_action, strategy, user, today):
    """Version 1: themes CS (1) and YC (2); YC1 has history, YC2 is to go, CS1 is long retired."""
    carers = ThemeFactory(version=version, number=1, name="Carers Support", prefix="CS")
    outcomes = [OutcomeFactory(strategy=strategy, number=n) for n in (1, 4)]
    organisations = OrganisationFactory.create_batch(2)
    yc1 = make_action(
        ref="YC1",
        outcomes=outcomes,
        organisations=organisations,
        commenced="Apr 2018",
        due="Q3 2018/19",
        rag="amber",
        budget="1500.00",
        by=user,
    )
    services.action_due_change(action=yc1, new_due="Q4 2018/19", reason="Data sharing.", by=user)
    services.action_update_post(
        action=yc1,
        by=user,
        narrative="Sampling agreed.",
        status="in_progress",
        rag="amber",
        reported_on=today - dt.timedelta(days=7),
        evidence=[
            text_evidence(),
            EvidenceInput(kind="file", title="Sampling plan", file=pdf_file("sampling.pdf")),
        ],
    )
    yc2 = make_action(ref="YC2", due="Dec 2018")
    cs1 = make_action(ref="CS1", theme=carers, due="Sept 2018")
    services.action_retire(action=cs1, reason="Done by another team.")
    loose = make_action(ref="X1", theme=None, due="Ongoing")
    return {"yc1": yc1, "yc2": yc2, "cs1": cs1, "loose": loose, "carers": carers}


def refresh(version, **kwargs):
    kwargs.setdefault("name", "Revised Action Plan 2019")
    kwargs.setdefault("reason", "Annual refresh with partners.")
    return services.plan_version_refresh(version=version, **kwargs)


def test_refresh_makes_a_new_current_version(plan, version, strategy, user):
    new = refresh(
        version, retire={"YC2": "Merged into YC1."}, by=user, created=dt.date(2019, 1, 31)
    )
    version.refresh_from_db()
    new.refresh_from_db()
    assert new.is_current and not version.is_current
    assert new.previous == version
    assert (new.name, new.created, new.created_by) == (
        "Revised Action Plan 2019",
        dt.date(2019, 1, 31),
        user,
    )
    assert new.reason == "Annual refresh with partners."
    assert selectors.version_current(strategy=strategy) == new
    assert PlanVersion.objects.filter(strategy=strategy, is_current=True).count() == 1


def test_refresh_copies_the_themes(plan, version, theme):
    new = refresh(version)
    copied = [(t.number, t.name, t.prefix) for t in new.themes.order_by("number")]
    assert copied == [(1, "Carers Support", "CS"), (2, "Young Carers", "YC")]
    assert not set(new.themes.values_list("pk", flat=True)) & {theme.pk, plan["carers"].pk}
    assert version.themes.count() == 2


def test_refresh_carries_live_actions_forward_and_retires_the_listed_ones(plan, version):
    new = refresh(version, retire={"YC2": "Merged into YC1."})
    assert set(new.actions.values_list("ref", flat=True)) == {"YC1", "X1"}
    yc2 = Action.objects.get(pk=plan["yc2"].pk)
    assert yc2.version == version and yc2.is_retired
    assert yc2.retired_reason == "Merged into YC1."
    old = Action.objects.get(pk=plan["yc1"].pk)
    assert not old.is_retired and old.version == version


def test_a_carried_action_keeps_its_facts(plan, version, user, today):
    old = Action.objects.get(pk=plan["yc1"].pk)
    new = refresh(version)
    carried = new.actions.get(ref="YC1")
    assert carried.carried_from == old
    assert carried.theme.version == new and carried.theme.prefix == "YC"
    kept = [
        "title", "lead_role", "commenced", "commenced_text", "due", "due_text", "due_kind",
        "original_due", "original_due_text", "ongoing", "status", "rag", "budget", "last_update_on",
    ]  # fmt: skip
    assert {f: getattr(carried, f) for f in kept} == {f: getattr(old, f) for f in kept}
    assert carried.original_due == dt.date(2018, 12, 31)
    assert carried.due == dt.date(2019, 3, 31)
    assert carried.last_update_on == today - dt.timedelta(days=7)
    assert set(carried.outcomes.all()) == set(old.outcomes.all()) and carried.outcomes.count() == 2
    assert set(carried.organisations.all()) == set(old.organisations.all())
    assert carried.organisations.count() == 2


def test_a_carried_action_keeps_its_due_changes_and_evidence(plan, version, user):
    new = refresh(version)
    carried = new.actions.get(ref="YC1")
    change = carried.due_changes.get()
    assert (change.old_due, change.new_due) == (dt.date(2018, 12, 31), dt.date(2019, 3, 31))
    assert (change.reason, change.changed_by) == ("Data sharing.", user)
    assert DueDateChange.objects.filter(action=plan["yc1"]).count() == 1
    row = selectors.action_list(version=new).get(pk=carried.pk)
    assert (row.times_slipped, row.evidence_count) == (1, 2)
    note = carried.evidence.get(kind="text")
    assert note.title == "Minutes of the Delivery Group" and note.text
    file = carried.evidence.get(kind="file")
    original = Evidence.objects.get(action=plan["yc1"], kind="file")
    assert (file.file.name, file.file_size) == (original.file.name, original.file_size)
    assert Evidence.objects.filter(action=plan["yc1"]).count() == 2


def test_an_action_without_a_theme_is_carried_without_one(plan, version):
    carried = refresh(version).actions.get(ref="X1")
    assert carried.theme is None and carried.ongoing


def test_new_actions_can_be_added_to_the_refreshed_version(plan, version, make_action, refuses):
    new = refresh(version)
    yc = new.themes.get(prefix="YC")
    added = make_action(version=new, theme=yc, ref="YC9")
    assert added.version == new
    with refuses("ref"):
        make_action(version=new, theme=yc, ref="YC1")


# --- refusals: nothing saved -------------------------------------------------------------------


def assert_still_current(version, plan):
    assert PlanVersion.objects.get(pk=version.pk).is_current
    assert not Action.objects.get(pk=plan["yc2"].pk).is_retired


def test_refresh_refuses_an_unknown_ref(plan, version, refuses):
    with refuses("retire") as info:
        refresh(version, retire={"YC2": "Merged.", "ZZ9": "Typo."})
    assert "ZZ9" in info.value.message_dict["retire"][0]
    assert_still_current(version, plan)


def test_refresh_refuses_to_retire_an_action_already_retired(plan, version, refuses):
    with refuses("retire"):
        refresh(version, retire={"CS1": "Again."})


@pytest.mark.parametrize("why", ["", "   ", None])
def test_refresh_refuses_a_retirement_without_reason(plan, version, refuses, why):
    with refuses("retire") as info:
        refresh(version, retire={"YC2": why})
    assert "YC2" in info.value.message_dict["retire"][0]
    assert_still_current(version, plan)


@pytest.mark.parametrize("reason", ["", "  "])
def test_refresh_needs_a_reason(plan, version, refuses, reason):
    with refuses("reason"):
        refresh(version, reason=reason)
    assert_still_current(version, plan)


def test_refresh_refuses_a_duplicate_name(plan, version, refuses):
    with refuses("name"):
        refresh(version, name=version.name, retire={"YC2": "Merged."})
    assert_still_current(version, plan)


def test_refresh_refuses_a_blank_name(plan, version, refuses):
    with refuses("name"):
        refresh(version, name="  ", retire={"YC2": "Merged."})
    assert_still_current(version, plan)


def test_refresh_refuses_a_version_that_is_not_current(plan, version, refuses):
    refresh(version, name="Second")
    with refuses("version"):
        refresh(PlanVersion.objects.get(pk=version.pk), name="Third")


def test_refresh_refuses_a_version_already_refreshed_even_from_a_stale_copy(plan, version, refuses):
    """The object the caller holds still says it is current: the database must decide."""
    refresh(version, name="Second")
    assert version.is_current  # stale in memory
    with refuses("version"):
        refresh(version, name="Third", retire={"YC2": "Merged."})
    assert PlanVersion.objects.filter(is_current=True).get().name == "Second"


def test_refresh_names_every_problem_at_once(plan, version):
    with pytest.raises(ValidationError) as info:
        refresh(version, name=version.name, reason="", retire={"ZZ9": "x"})
    assert {"name", "reason", "retire"} <= set(info.value.message_dict)


def test_refresh_is_all_or_nothing_when_a_write_fails(plan, version, monkeypatch, row_counts):
    from caring.plans.services import versions

    real = versions._carry_forward
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(versions, "_carry_forward", fail_on_second)
    before = row_counts()
    with pytest.raises(RuntimeError):
        refresh(version, retire={"YC2": "Merged into YC1."})
    assert len(calls) == 2
    assert row_counts() == before
    assert_still_current(version, plan)
    assert Theme.objects.filter(version__is_current=False).count() == 0


def test_a_carried_action_keeps_its_updates_with_their_evidence(plan, version, user):
    new = refresh(version)
    carried = new.actions.get(ref="YC1")
    update = carried.updates.get()
    assert (update.narrative, update.author, update.status) == (
        "Sampling agreed.",
        user,
        "in_progress",
    )
    assert Update.objects.filter(action=plan["yc1"]).count() == 1  # the old record is kept too
    assert set(carried.evidence.values_list("update_id", flat=True)) == {update.pk}
    exported = plan_export(strategy=version.strategy)
    yc1 = next(a for a in exported["actions"] if a["ref"] == "YC1")
    assert [u["narrative"] for u in yc1["updates"]] == ["Sampling agreed."]


def test_actions_of_a_superseded_version_can_no_longer_be_updated(plan, version, user, refuses):
    refresh(version)
    old = Action.objects.get(pk=plan["yc1"].pk)
    with refuses("action"):
        services.action_update_post(
            action=old, by=user, narrative="Late news.", status="in_progress"
        )
