"""The flag rules of ``caring.plans.rag`` as database expressions, to count flags in SQL.

``rag.py`` is the definition: it explains each rule and decides for one action. Dashboards
need only *how many* actions carry each flag, over a whole plan, and counting in the database
is many times faster than loading every action. This module mirrors the rules as Django
expressions; ``tests/plans/test_rag_sql.py`` checks on randomised plans that both give the same
counts, so a change to one without the other fails.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Trim, TruncDate

from caring.plans import compiled
from caring.plans.choices import ActionStatus, DateKindChoice
from caring.plans.rag import FLAG_NAMES, RAG_ORDER, RagConfig

S = ActionStatus
OPEN = ~Q(status__in=[S.COMPLETE, S.CANCELLED])
LAST_ACTIVITY = Coalesce("last_update_on", TruncDate("created_at"))


def suggested_rank(*, today: dt.date, config: RagConfig) -> Case:
    """``suggest_rag``'s rating as a rank (red 0 … blue 3; NULL for none), rules in order.

    Needs ``evidence_count`` and ``last_activity`` annotated on the rows.
    """
    soon = today + dt.timedelta(days=config.amber_window_days)
    stale_before = today - dt.timedelta(days=config.stale_after_days)
    rank = RAG_ORDER
    return Case(
        When(status=S.CANCELLED, then=Value(None)),
        When(status=S.COMPLETE, evidence_count__gt=0, then=Value(rank["blue"])),
        When(status=S.COMPLETE, then=Value(rank["amber"])),
        When(due__lt=today, then=Value(rank["red"])),
        When(status=S.ON_HOLD, then=Value(rank["amber"])),
        When(due__isnull=True, ongoing=False, then=Value(None)),
        When(status=S.NOT_STARTED, commenced__lt=today, then=Value(rank["amber"])),
        When(status=S.NOT_STARTED, due__gte=today, due__lte=soon, then=Value(rank["amber"])),
        When(last_activity__lt=stale_before, then=Value(rank["amber"])),
        default=Value(rank["green"]),
        output_field=IntegerField(),
    )


OWN_RANK = Case(
    *[When(rag=rag, then=Value(n)) for rag, n in RAG_ORDER.items()],
    default=Value(None),
    output_field=IntegerField(),
)


def flag_conditions(*, today: dt.date, config: RagConfig) -> dict[str, Q]:
    """For each flag, the condition a row meets (needs ``annotate_for_flags`` first)."""
    stale_before = today - dt.timedelta(days=config.stale_after_days)
    unparsed = DateKindChoice.UNPARSED
    conditions = {
        "missing-owner": OPEN & Q(lead_person__isnull=True, lead_role_trimmed=""),
        "missing-timescale": OPEN & Q(due__isnull=True, ongoing=False) & ~Q(due_kind=unparsed),
        "overdue": OPEN & Q(due__lt=today),
        "stale": OPEN & Q(last_activity__lt=stale_before),
        "rag-disagrees": OPEN & Q(own_rank__gt=F("suggested_rank")),
        "slipped": ~Q(status=S.CANCELLED) & Q(times_slipped__gte=1),
        "unparsed-date": ~Q(status=S.CANCELLED)
        & (Q(due_kind=unparsed) | Q(commenced_kind=unparsed)),
    }
    assert tuple(conditions) == FLAG_NAMES
    return conditions


def annotate_for_flags(actions, *, today: dt.date, config: RagConfig):
    """Add what the flag conditions read: last activity, both ranks (counts already there)."""
    return actions.annotate(
        last_activity=LAST_ACTIVITY,
        suggested_rank=suggested_rank(today=today, config=config),
        own_rank=OWN_RANK,
        lead_role_trimmed=Trim("lead_role"),
    )


def flag_count_aggregates(*, today: dt.date, config: RagConfig) -> dict[str, Count]:
    return {
        name: Count("pk", filter=condition)
        for name, condition in flag_conditions(today=today, config=config).items()
    }


# --- counting flags fast: compiled once per rule settings (see compiled.py) -----------------


def _flag_count_query(alias: str, window: int, stale: int):
    from caring.plans.models import Action
    from caring.plans.selectors import with_counts

    config = RagConfig(amber_window_days=window, stale_after_days=stale)
    rows = Action.objects.using(alias).filter(
        version_id=compiled.STAND_IN_VERSION, retired_at__isnull=True
    )
    rows = annotate_for_flags(
        with_counts(rows.order_by()), today=compiled.STAND_IN_DAY, config=config
    )
    aggregates = flag_count_aggregates(today=compiled.STAND_IN_DAY, config=config)
    return rows.values("version_id").annotate(
        **{name.replace("-", "_"): aggregate for name, aggregate in aggregates.items()}
    )


def flag_counts_sql(
    *, version_id: int, today: dt.date, config: RagConfig, alias: str = "default"
) -> dict[str, int]:
    """How many live actions of the plan carry each flag, counted by the database."""
    window, stale = config.amber_window_days, config.stale_after_days
    swaps = {compiled.STAND_IN_VERSION: version_id}
    swaps |= compiled.day_swaps(alias, today, (0, window, -stale))
    rows = compiled.run(_flag_count_query, alias=alias, key=(window, stale), swaps=swaps, expect=3)
    counts = rows[0][1:] if rows else (0,) * len(FLAG_NAMES)
    return dict(zip(FLAG_NAMES, (int(n or 0) for n in counts), strict=True))
