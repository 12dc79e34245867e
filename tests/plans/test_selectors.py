"""Reads for the dashboard and action list: counts, overdue actions, flags and query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caring.plans import selectors
from caring.plans.export import plan_export
from caring.plans.models import DueDateChange, Evidence, PlanVersion, Update
from caring.plans.rag import FLAG_NAMES
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    OutcomeFactory,
    PlanVersionFactory,
    StrategyFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 1, 15)
ZERO = {"": 0, "red": 0, "amber": 0, "green": 0, "blue": 0}


def retired(**kwargs):
    return ActionFactory(retired_at=timezone.now(), retired_reason="Gone.", **kwargs)


def assess(action, today=TODAY):
    row = selectors.action_list(version=action.version, include_retired=True).get(pk=action.pk)
    return selectors.action_assess(row, today=today)


# --- action_list, version_current, natural_key ---------------------------------------------------


def test_action_list_leaves_out_retired_actions_unless_asked(version):
    live = ActionFactory(version=version)
    gone = retired(version=version)
    ActionFactory(version=PlanVersionFactory(strategy=version.strategy, is_current=False))
    assert list(selectors.action_list(version=version)) == [live]
    assert set(selectors.action_list(version=version, include_retired=True)) == {live, gone}


def test_action_list_annotates_evidence_and_slips(version):
    action = ActionFactory(version=version)
    for n in range(3):
        Evidence.objects.create(action=action, kind="text", title=f"E{n}", text="x")
    slip = {"old_due": dt.date(2018, 12, 31), "new_due": dt.date(2019, 3, 31), "reason": "Later."}
    earlier = {"old_due": dt.date(2019, 3, 31), "new_due": dt.date(2019, 1, 31), "reason": "Sooner"}
    DueDateChange.objects.create(action=action, **slip)
    DueDateChange.objects.create(action=action, **earlier)
    DueDateChange.objects.create(
        action=action, old_due=None, new_due=dt.date(2019, 1, 1), reason="r"
    )
    DueDateChange.objects.create(action=action, old_due=dt.date(2019, 1, 1), reason="Now TBC.")
    row = selectors.action_list(version=version).get()
    assert (row.evidence_count, row.times_slipped) == (3, 2)
    plain = selectors.action_facts(action)  # without the annotations: counted directly
    assert (plain.evidence_count, plain.times_slipped) == (3, 2)


def test_version_current_prefers_the_current_version(strategy, version):
    PlanVersionFactory(strategy=strategy, is_current=False, created=dt.date(2030, 1, 1))
    assert selectors.version_current(strategy=strategy) == version


def test_version_current_falls_back_to_the_latest(strategy):
    PlanVersionFactory(strategy=strategy, is_current=False, created=dt.date(2017, 1, 1))
    latest = PlanVersionFactory(strategy=strategy, is_current=False, created=dt.date(2018, 1, 1))
    assert selectors.version_current(strategy=strategy) == latest


def test_version_current_refuses_a_strategy_without_a_plan(strategy):
    with pytest.raises(PlanVersion.DoesNotExist):
        selectors.version_current(strategy=strategy)


def test_natural_key_sorts_refs_as_people_do():
    refs = ["YC10", "CS1", "YC2", "YC1", "YC1a", "QA2"]
    assert sorted(refs, key=selectors.natural_key) == ["CS1", "QA2", "YC1", "YC1a", "YC2", "YC10"]


# --- rag_counts_by_theme --------------------------------------------------------------------------


def test_rag_counts_by_theme_counts_live_actions_and_adds_a_no_theme_row(version):
    cs = ThemeFactory(version=version, number=1, name="Carers Support", prefix="CS")
    yc = ThemeFactory(version=version, number=2, name="Young Carers", prefix="YC")
    ThemeFactory(version=version, number=3, name="Unknown Carers", prefix="UC")
    for rag in ("red", "red", "green"):
        ActionFactory(version=version, theme=cs, rag=rag)
    for rag in ("amber", ""):
        ActionFactory(version=version, theme=yc, rag=rag)
    ActionFactory(version=version, theme=None, rag="green")
    retired(version=version, theme=cs, rag="amber")
    ActionFactory(
        version=PlanVersionFactory(strategy=version.strategy, is_current=False), rag="red"
    )

    rows = selectors.rag_counts_by_theme(version=version)
    assert [(r.number, r.name) for r in rows] == [
        (1, "Carers Support"),
        (2, "Young Carers"),
        (3, "Unknown Carers"),
        (None, "No theme"),
    ]
    assert rows[0].counts == ZERO | {"red": 2, "green": 1}
    assert rows[1].counts == ZERO | {"amber": 1, "": 1}
    assert rows[2].counts == ZERO and rows[2].total == 0
    assert rows[3].counts == ZERO | {"green": 1}
    assert [r.total for r in rows] == [3, 2, 0, 1]


def test_rag_counts_by_theme_has_no_no_theme_row_when_every_action_has_a_theme(version, theme):
    ActionFactory(version=version, theme=theme, rag="green")
    retired(version=version, theme=None)
    rows = selectors.rag_counts_by_theme(version=version)
    assert [r.name for r in rows] == ["Young Carers"]


# --- overdue_actions --------------------------------------------------------------------------


def test_overdue_actions_are_open_live_and_past_due_most_overdue_first(version):
    def make(ref, due, **kwargs):
        return ActionFactory(version=version, ref=ref, due=due, **kwargs)

    late = make("YC2", TODAY - dt.timedelta(days=1))
    later = make("YC1", TODAY - dt.timedelta(days=1))
    oldest = make("CS1", TODAY - dt.timedelta(days=100), status="on_hold")
    make("CS2", TODAY - dt.timedelta(days=50), status="complete", rag="blue")
    make("CS3", TODAY - dt.timedelta(days=50), status="cancelled")
    make("CS4", TODAY)
    make("CS5", TODAY + dt.timedelta(days=1))
    make("CS6", None)
    retired(version=version, ref="CS7", due=TODAY - dt.timedelta(days=10))
    ActionFactory(
        version=PlanVersionFactory(strategy=version.strategy, is_current=False),
        due=TODAY - dt.timedelta(days=10),
    )
    found = selectors.overdue_actions(version=version, today=TODAY)
    assert [row.pk for row in found] == [oldest.pk, later.pk, late.pk]
    first = found[0]
    assert (first.ref, first.due, first.days_overdue, first.status) == (
        "CS1",
        TODAY - dt.timedelta(days=100),
        100,
        "on_hold",
    )
    assert (first.theme_name, first.theme_number) == (oldest.theme.name, oldest.theme.number)
    earlier = selectors.overdue_actions(version=version, today=TODAY - dt.timedelta(days=1))
    assert [row.pk for row in earlier] == [oldest.pk]


# --- flags ----------------------------------------------------------------------------------------


def test_flag_counts_has_every_flag_name_even_when_zero(version):
    counts = selectors.flag_counts(version=version, today=TODAY)
    assert list(counts) == list(FLAG_NAMES)
    assert set(counts.values()) == {0}


def test_flag_counts_counts_live_actions_only(version):
    fresh = {"last_update_on": TODAY, "due": TODAY + dt.timedelta(days=60)}
    ActionFactory(version=version, lead_role="", **fresh)
    ActionFactory(version=version, lead_role="", **fresh)
    ActionFactory(version=version, due=TODAY - dt.timedelta(days=5), last_update_on=TODAY)
    ActionFactory(version=version, **fresh)
    retired(version=version, lead_role="", **fresh)
    counts = selectors.flag_counts(version=version, today=TODAY)
    assert counts["missing-owner"] == 2
    assert counts["overdue"] == 1
    assert counts["rag-disagrees"] == 1  # rated green but overdue
    assert counts["missing-timescale"] == counts["stale"] == counts["slipped"] == 0
    assert list(counts) == list(FLAG_NAMES)


def test_assess_flags_a_missing_owner(version):
    action = ActionFactory(version=version, lead_role="  ", lead_person=None, due=TODAY)
    assert "missing-owner" in assess(action).flag_names


def test_a_lead_person_without_a_role_is_an_owner(version):
    action = ActionFactory(version=version, lead_role="", lead_person=UserFactory(), due=TODAY)
    assert "missing-owner" not in assess(action).flag_names


def test_assess_flags_a_missing_timescale(version):
    action = ActionFactory(version=version, due=None, ongoing=False, last_update_on=TODAY)
    assessed = assess(action)
    assert "missing-timescale" in assessed.flag_names
    assert assessed.suggestion.rag is None


def test_ongoing_work_has_a_timescale(version):
    action = ActionFactory(version=version, due=None, ongoing=True, last_update_on=TODAY)
    assert "missing-timescale" not in assess(action).flag_names


def test_assess_flags_an_unparsed_date_instead_of_a_missing_timescale(version):
    action = ActionFactory(
        version=version, due=None, due_text="after the summer", due_kind="unparsed"
    )
    names = assess(action).flag_names
    assert "unparsed-date" in names and "missing-timescale" not in names


def test_assess_flags_an_unparsed_start_date(version):
    action = ActionFactory(version=version, commenced_text="spring", commenced_kind="unparsed")
    assert "unparsed-date" in assess(action).flag_names


def test_assess_flags_stale_after_the_update_period(version):
    due = TODAY + dt.timedelta(days=200)
    stale = ActionFactory(version=version, due=due, last_update_on=TODAY - dt.timedelta(days=91))
    recent = ActionFactory(version=version, due=due, last_update_on=TODAY - dt.timedelta(days=90))
    assert "stale" in assess(stale).flag_names
    assert "stale" not in assess(recent).flag_names
    with override_settings(CARING_STALE_AFTER_DAYS=30):
        assert "stale" in assess(recent).flag_names


def test_an_action_never_updated_is_stale_from_when_it_was_added(version):
    added = timezone.make_aware(dt.datetime(2018, 1, 1, 12))
    due = TODAY + dt.timedelta(days=200)
    action = ActionFactory(version=version, due=due, created_at=added, last_update_on=None)
    assert "stale" in assess(action).flag_names
    assert "stale" not in assess(action, today=dt.date(2018, 2, 1)).flag_names


def test_assess_flags_an_optimistic_rating(version):
    action = ActionFactory(
        version=version, rag="green", due=TODAY - dt.timedelta(days=3), last_update_on=TODAY
    )
    assessed = assess(action)
    assert assessed.suggestion.rag == "red"
    assert {"overdue", "rag-disagrees"} <= set(assessed.flag_names)


def test_a_pessimistic_rating_is_not_flagged(version):
    action = ActionFactory(
        version=version, rag="red", due=TODAY + dt.timedelta(days=200), last_update_on=TODAY
    )
    assessed = assess(action)
    assert assessed.suggestion.rag == "green"
    assert assessed.flag_names == []


def test_actions_assessed_covers_live_actions(version):
    live = ActionFactory(version=version, due=TODAY - dt.timedelta(days=1))
    retired(version=version)
    assessed = selectors.actions_assessed(version=version, today=TODAY)
    assert [a.action for a in assessed] == [live]
    assert "overdue" in assessed[0].flag_names


# --- a fixed number of queries, whatever the number of actions ---------------------------------


def populate(version, start, count):
    """``count`` actions, each with outcomes, organisations, updates, evidence and due changes."""
    themes = list(version.themes.all())
    outcomes = list(version.strategy.outcomes.all())
    person = UserFactory(job_title="Young Carers Service Manager")
    for n in range(start, start + count):
        action = ActionFactory(
            version=version,
            theme=themes[n % len(themes)],
            ref=f"YC{n}",
            lead_role="" if n % 2 else "Carers Lead",
            lead_person=person,
            due=TODAY + dt.timedelta(days=n - 10),
            last_update_on=TODAY - dt.timedelta(days=n),
            rag=["red", "amber", "green", ""][n % 4],
            outcomes=outcomes,
            organisations=OrganisationFactory.create_batch(2),
        )
        for k in range(2):
            update = Update.objects.create(
                action=action, author=person, narrative=f"Update {k}", status="in_progress"
            )
            Evidence.objects.create(
                action=action, update=update, kind="text", title=f"E{k}", text="x", added_by=person
            )
            DueDateChange.objects.create(
                action=action,
                old_due=TODAY,
                new_due=TODAY + dt.timedelta(days=k + 1),
                reason="Later.",
                changed_by=person,
            )


READS = {
    "actions_assessed": lambda v: [
        (a.action.theme.name, a.flag_names)
        for a in selectors.actions_assessed(version=v, today=TODAY)
    ],
    "flag_counts": lambda v: selectors.flag_counts(version=v, today=TODAY),
    "rag_counts_by_theme": lambda v: selectors.rag_counts_by_theme(version=v),
    "overdue_actions": lambda v: [
        (a.theme_name, a.lead) for a in selectors.overdue_actions(version=v, today=TODAY)
    ],
    "plan_export": lambda v: json.dumps(plan_export(strategy=v.strategy, today=TODAY)),
}


@pytest.fixture
def busy_version():
    strategy = StrategyFactory()
    version = PlanVersionFactory(strategy=strategy)
    for number, prefix in ((1, "CS"), (2, "YC")):
        ThemeFactory(version=version, number=number, prefix=prefix)
    for number in (1, 2):
        OutcomeFactory(strategy=strategy, number=number)
    return version


@pytest.mark.parametrize("read", sorted(READS))
def test_reads_make_the_same_number_of_queries_for_3_and_30_actions(
    busy_version, read, django_assert_num_queries, django_assert_max_num_queries
):
    populate(busy_version, 1, 3)
    with CaptureQueriesContext(connection) as few:
        small = READS[read](busy_version)
    assert small
    populate(busy_version, 4, 27)
    assert busy_version.actions.count() == 30
    # The export also reads the scrutiny record: at most 16 more (tests/governance/test_export).
    with django_assert_max_num_queries(24 if read == "plan_export" else 8):
        READS[read](busy_version)
    with django_assert_num_queries(len(few.captured_queries)):
        large = READS[read](busy_version)
    assert large != small
