"""The database's flag counts agree with the pure rules in rag.py, action by action."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.test import override_settings
from django.utils import timezone

from caring.plans import selectors
from caring.plans.choices import ActionStatus
from caring.plans.models import Action, DueDateChange, Evidence
from caring.plans.rag import RAG_ORDER
from caring.plans.rag_sql import annotate_for_flags

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 1, 15)


def random_plan(version, theme, user, rng: random.Random, n: int = 60) -> None:
    """Actions spread over every branch of the rules, with dates near the boundaries."""

    def near(days: int) -> dt.date:
        return TODAY + dt.timedelta(days=rng.randint(-days, days))

    for i in range(n):
        due_kind = rng.choice(["exact", "month", "blank", "tbc", "ongoing", "unparsed"])
        due = near(60) if due_kind in ("exact", "month") else None
        commenced = rng.choice([None, near(60)])
        if commenced and due and due < commenced:
            commenced, due = due, commenced
        created = timezone.make_aware(dt.datetime.combine(near(200), dt.time(23, 30)))
        action = Action.objects.create(
            version=version,
            theme=theme,
            ref=f"R{i}",
            title="Random action",
            status=rng.choice(ActionStatus.values),
            rag=rng.choice(["", "red", "amber", "green", "blue"]),
            due=due,
            due_kind=due_kind,
            due_text="some text" if due_kind == "unparsed" else "",
            ongoing=due_kind == "ongoing" or rng.random() < 0.1,
            commenced=commenced,
            commenced_kind=rng.choice(["exact", "blank", "unparsed"]),
            lead_person=user if rng.random() < 0.2 else None,
            lead_role=rng.choice(["", "   ", "Carers Lead"]),
            last_update_on=rng.choice([None, near(120)]),
            created_at=created,
        )
        for _ in range(rng.choice([0, 0, 1, 2])):
            Evidence.objects.create(action=action, kind="text", title="Note", text="Done.")
        for _ in range(rng.choice([0, 0, 1, 2])):
            old = rng.choice([None, near(90)])
            new = rng.choice([None, near(90)])
            DueDateChange.objects.create(action=action, old_due=old, new_due=new, reason="Moved.")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("window,stale", [(30, 90), (0, 1), (60, 30)])
def test_sql_and_python_rules_agree(version, theme, user, seed, window, stale):
    with override_settings(CARING_AMBER_WINDOW_DAYS=window, CARING_STALE_AFTER_DAYS=stale):
        random_plan(version, theme, user, random.Random(seed))
        assessed = selectors.actions_assessed(version=version, today=TODAY)
        config = selectors.rag_config()
        ranks = dict(
            annotate_for_flags(
                selectors.action_list(version=version), today=TODAY, config=config
            ).values_list("pk", "suggested_rank")
        )
        for item in assessed:
            expected = RAG_ORDER.get(item.suggestion.rag)
            assert ranks[item.action.pk] == expected, (item.action.ref, item.suggestion)
        python = Counter(name for item in assessed for name in item.flag_names)
        sql = selectors.flag_counts(version=version, today=TODAY)
        assert sql == {name: python.get(name, 0) for name in sql}
        assert sum(sql.values()) > 0
        if (window, stale) == (30, 90):
            assert all(sql.values()), f"every flag should occur in a random plan: {sql}"
