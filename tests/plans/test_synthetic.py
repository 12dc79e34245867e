"""The synthetic benchmark data: ``caring generate-synthetic`` and the bench's lower bounds."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from caring.plans import selectors
from caring.plans.dates import parse_council_date
from caring.plans.export import plan_export
from caring.plans.models import Action, Evidence, Strategy, Update
from caring.plans.rag import FLAG_NAMES
from caring.plans.synthetic import synthetic_size

SIZE = {"councils": 2, "actions": 12, "months": 3}
pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", **{**SIZE, **options}, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        Action.objects.filter(version__strategy__slug__startswith="synthetic-")
        .order_by("version__strategy__slug", "ref")
        .values_list("version__strategy__slug", "ref", "status", "rag", "due_text", "lead_role")
    )


def synthetic_strategies():
    return Strategy.objects.filter(slug__startswith="synthetic-").order_by("slug")


def test_generates_the_asked_for_size():
    output = generate()
    assert "Made 2 strategies, 24 actions and 72 updates" in output
    strategies = list(synthetic_strategies())
    assert [s.slug for s in strategies] == ["synthetic-001", "synthetic-002"]
    assert strategies[0].title == "Synthetic carers strategy 001"
    assert all(s.is_illustrative and "ynthetic" in s.description for s in strategies)
    for strategy in strategies:
        version = selectors.version_current(strategy=strategy)
        assert version.actions.count() == SIZE["actions"]
        assert [t.prefix for t in version.themes.order_by("number")] == [
            "CS",
            "YC",
            "UC",
            "PP",
            "TO",
            "QA",
        ]
        assert strategy.outcomes.count() == 5
        assert strategy.versions.count() == 1
    updates = Update.objects.filter(action__version__strategy__in=strategies)
    assert updates.count() == 2 * 12 * 3
    assert synthetic_size() == {"councils": 2, "actions": 24, "updates": 72, "seed": 1}


def test_actions_are_consistent():
    generate()
    latest = dict(
        Update.objects.values("action")
        .annotate(last=Max("reported_on"))
        .values_list("action", "last")
    )
    today = timezone.localdate()
    for action in Action.objects.all():
        assert action.last_update_on == latest[action.pk]
        assert action.last_update_on <= today
        assert action.updates.count() == SIZE["months"]
        assert action.updates.order_by("-reported_on").first().status == action.status
        due = parse_council_date(action.due_text)
        assert (due.kind.value, due.as_due) == (action.due_kind, action.due)
        commenced = parse_council_date(action.commenced_text)
        assert (commenced.kind.value, commenced.as_start) == (
            action.commenced_kind,
            action.commenced,
        )
        assert action.ongoing == (action.due_kind == "ongoing")
        if action.status == "complete":
            assert action.evidence.exists()
        for change in action.due_changes.all():
            assert change.reason
    assert Evidence.objects.exists()


def test_same_seed_gives_the_same_plans_and_another_seed_does_not():
    generate()
    first = snapshot()
    assert "Made 2 strategies" in generate(replace=True)
    assert snapshot() == first
    generate(replace=True, seed=2)
    assert snapshot() != first
    assert synthetic_size()["seed"] == 2


def test_does_nothing_when_already_there_unless_replace():
    generate()
    ids = list(Action.objects.values_list("pk", flat=True))
    output = generate()
    assert "already exist" in output
    assert list(Action.objects.values_list("pk", flat=True)) == ids
    assert synthetic_strategies().count() == 2
    generate(replace=True)
    assert synthetic_strategies().count() == 2
    assert Update.objects.count() == 2 * 12 * 3
    assert not Action.objects.filter(pk__in=ids).exists()


def test_replace_leaves_other_strategies_alone():
    other = Strategy.objects.create(slug="synthetic-small-001", title="Other")
    mine = Strategy.objects.create(slug="carers", title="Carers")
    generate()
    generate(replace=True, councils=1)
    assert synthetic_strategies().exclude(pk=other.pk).count() == 1
    assert Strategy.objects.filter(pk__in=[other.pk, mine.pk]).count() == 2


def test_selectors_and_export_run_on_it():
    generate()
    today = timezone.localdate()
    for strategy in synthetic_strategies():
        version = selectors.version_current(strategy=strategy)
        live = version.actions.filter(retired_at__isnull=True).count()
        flags = selectors.flag_counts(version=version, today=today)
        assert set(flags) == set(FLAG_NAMES)
        rows = selectors.rag_counts_by_theme(version=version)
        assert sum(row.total for row in rows) == live
        overdue = list(selectors.overdue_actions(version=version, today=today))
        assert all(a.due < today for a in overdue)
        data = json.loads(json.dumps(plan_export(strategy=strategy, today=today)))
        assert len(data["actions"]) == live
        assert sum(len(a["updates"]) for a in data["actions"]) == live * SIZE["months"]


def test_bench_lower_bounds_give_the_selectors_answers():
    """The benchmark's hand-written SQL must answer exactly as the selectors do."""
    from bench.lower_bounds import MEASURES, Plan

    generate(councils=2, actions=40)
    today = timezone.localdate()
    for strategy in synthetic_strategies():
        plan = Plan(strategy, selectors.version_current(strategy=strategy), today)
        for measure in MEASURES:
            theirs, mine = measure.same(measure.selector(plan), measure.lower(plan))
            assert theirs == mine, measure.name
