"""The measures, and their lower bounds: one hand-written SQL statement each, same answer.

Each measure has ``selector`` (what the application does, timed), ``lower`` (one SQL statement
through ``connection.cursor()``, timed the same way) and ``same`` (turns both answers into plain
data that must be equal, not timed). Imported by ``bench/run.py`` after ``django.setup()``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from caring.accounts.models import User
from caring.plans import selectors
from caring.plans.choices import Rag
from caring.plans.export import plan_export
from caring.plans.models import (
    Action,
    DueDateChange,
    Evidence,
    PlanVersion,
    Strategy,
    Theme,
    Update,
)
from caring.plans.rag import FLAG_NAMES

OPEN_SQL = "a.status NOT IN ('complete', 'cancelled')"


@dataclass(frozen=True)
class Plan:
    strategy: Strategy
    version: PlanVersion
    today: dt.date


@dataclass(frozen=True)
class Measure:
    name: str
    selector: Callable[[Plan], Any]
    lower: Callable[[Plan], Any]
    same: Callable[[Any, Any], tuple[Any, Any]]  # (selector answer, lower answer) as plain data
    rows: Callable[[Any, Plan], str]  # describes the size of the selector's answer


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    models = {
        "action": Action,
        "theme": Theme,
        "update": Update,
        "evidence": Evidence,
        "change": DueDateChange,
        "user": User,
    }
    return {key: q(model._meta.db_table) for key, model in models.items()}


def _fetch(sql: str, params) -> tuple[list[tuple], list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall(), [col[0] for col in cursor.description]


def _day(value) -> str | None:
    """Dates as ISO text, whether the driver gave a date or a string."""
    return value.isoformat() if isinstance(value, dt.date) else value


# --- export: the plan's live actions with their updates joined -------------------------------
EXPORT_SQL = """
SELECT a.ref, a.title, a.description, a.lead_role, a.commenced, a.commenced_text, a.due,
       a.due_text, a.original_due, a.ongoing, a.status, a.rag, a.rag_rationale, a.budget,
       a.spend, u.reported_on, u.narrative, u.status, u.rag
FROM {action} a LEFT JOIN {update} u ON u.action_id = a.id
WHERE a.version_id = %s AND a.retired_at IS NULL
ORDER BY a.id, u.reported_on, u.id
"""


def export_selector(plan: Plan) -> dict:
    data = plan_export(strategy=plan.strategy, today=plan.today)
    json.dumps(data)
    return data


def export_lower(plan: Plan) -> list[tuple]:
    """Reading the bulk of what the export shows; no JSON (see bench/README.md)."""
    rows, _ = _fetch(EXPORT_SQL.format(**_tables()), [plan.version.pk])
    return rows


def export_same(data: dict, rows: list[tuple]) -> tuple[dict, dict]:
    mine: dict[str, tuple] = {}
    for row in rows:
        ref, title, status, rag, due = row[0], row[1], row[10], row[11] or None, _day(row[6])
        head, updates = mine.setdefault(ref, ((title, status, rag, due), []))
        if row[15] is not None:
            updates.append((_day(row[15]), row[16], row[17], row[18] or None))
    theirs = {
        a["ref"]: (
            (a["title"], a["status"], a["rag"], a["due"]),
            [(u["date"], u["narrative"], u["status"], u["rag"]) for u in a["updates"]],
        )
        for a in data["actions"]
    }
    return theirs, mine


def export_rows(data: dict, plan: Plan) -> str:
    updates = sum(len(a["updates"]) for a in data["actions"])
    return f"{len(data['actions'])} actions, {updates:,} updates"


# --- rag_by_theme: the owner's RAG counted by theme ------------------------------------------
RAG_SQL = """
SELECT t.number, t.name, a.rag, COUNT(a.id)
FROM {theme} t
LEFT JOIN {action} a ON a.theme_id = t.id AND a.version_id = t.version_id
                      AND a.retired_at IS NULL
WHERE t.version_id = %(v)s
GROUP BY t.number, t.name, a.rag
UNION ALL
SELECT NULL, 'No theme', a.rag, COUNT(a.id)
FROM {action} a
WHERE a.version_id = %(v)s AND a.theme_id IS NULL AND a.retired_at IS NULL
GROUP BY a.rag
"""


def rag_lower(plan: Plan) -> list[tuple]:
    rows, _ = _fetch(RAG_SQL.format(**_tables()), {"v": plan.version.pk})
    themes: dict[tuple, dict[str, int]] = {}
    for number, name, rag, n in rows:
        counts = themes.setdefault((number, name), dict.fromkeys(Rag.values, 0))
        if rag is not None:  # a theme with no live actions has one row with no rating
            counts[rag] = n
    order = sorted(themes, key=lambda key: (key[0] is None, key[0] or 0))
    return [(number, name, themes[(number, name)]) for number, name in order]


def rag_same(rows, mine) -> tuple[list, list]:
    return [(r.number, r.name, r.counts) for r in rows], mine


# --- overdue: the overdue rows with their theme and the lead person's role -----------------
OVERDUE_SQL = f"""
SELECT a.id, a.ref, a.title, t.number, t.name, a.due, a.due_text, a.status, a.rag,
       a.lead_role, u.job_title
FROM {{action}} a
LEFT JOIN {{theme}} t ON t.id = a.theme_id
LEFT JOIN {{user}} u ON u.id = a.lead_person_id
WHERE a.version_id = %s AND a.retired_at IS NULL AND {OPEN_SQL} AND a.due < %s
ORDER BY a.due, a.ref
"""


def overdue_lower(plan: Plan) -> tuple[list[tuple], list[str]]:
    today = connection.ops.adapt_datefield_value(plan.today)
    return _fetch(OVERDUE_SQL.format(**_tables()), [plan.version.pk, today])


def overdue_same(actions: list, lower) -> tuple[list, list]:
    rows, columns = lower
    assert columns[0] == "id", columns[:3]
    return [a.pk for a in actions], [row[0] for row in rows]


# --- flags: how many live actions carry each flag, as caring/plans/rag.py decides ------------
# f: one row of facts per live action; s: adds the suggested and the owner's RAG as ranks
# (red 0 < amber 1 < green 2 < blue 3), following suggest_rag's rules in order.
FLAGS_SQL = f"""
SELECT
  SUM(CASE WHEN is_open = 1 AND has_lead = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_open = 1 AND due IS NULL AND ongoing = 0 AND due_kind <> 'unparsed'
      THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_open = 1 AND due < %(today)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_open = 1 AND last_activity < %(stale)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_open = 1 AND own_rank > suggested_rank THEN 1 ELSE 0 END),
  SUM(CASE WHEN status <> 'cancelled' AND times_slipped >= 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN status <> 'cancelled'
           AND (due_kind = 'unparsed' OR commenced_kind = 'unparsed') THEN 1 ELSE 0 END)
FROM (
  SELECT f.*,
    CASE
      WHEN f.status = 'cancelled' THEN NULL
      WHEN f.status = 'complete' THEN CASE WHEN f.evidence_count > 0 THEN 3 ELSE 1 END
      WHEN f.due IS NOT NULL AND f.due < %(today)s THEN 0
      WHEN f.status = 'on_hold' THEN 1
      WHEN f.due IS NULL AND f.ongoing = 0 THEN NULL
      WHEN f.status = 'not_started' AND f.commenced IS NOT NULL AND f.commenced < %(today)s
        THEN 1
      WHEN f.status = 'not_started' AND f.due >= %(today)s AND f.due <= %(soon)s THEN 1
      WHEN f.last_activity < %(stale)s THEN 1
      ELSE 2
    END AS suggested_rank,
    CASE f.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 WHEN 'blue' THEN 3
    END AS own_rank
  FROM (
    SELECT a.status, a.rag, a.commenced, a.due, a.due_kind, a.commenced_kind,
      CASE WHEN {OPEN_SQL} THEN 1 ELSE 0 END AS is_open,
      CASE WHEN a.ongoing THEN 1 ELSE 0 END AS ongoing,
      CASE WHEN a.lead_person_id IS NOT NULL OR TRIM(a.lead_role) <> '' THEN 1 ELSE 0 END
        AS has_lead,
      COALESCE(a.last_update_on, {{created_day}}) AS last_activity,
      (SELECT COUNT(*) FROM {{evidence}} e WHERE e.action_id = a.id) AS evidence_count,
      (SELECT COUNT(*) FROM {{change}} c WHERE c.action_id = a.id AND c.old_due IS NOT NULL
         AND (c.new_due IS NULL OR c.new_due > c.old_due)) AS times_slipped
    FROM {{action}} a
    WHERE a.version_id = %(v)s AND a.retired_at IS NULL
  ) f
) s
"""


def _created_day() -> str:
    """The local date an action was added, as ``timezone.localdate(created_at)`` gives it."""
    zone = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return f"(a.created_at AT TIME ZONE '{zone}')::date"
    return f"django_datetime_cast_date(a.created_at, '{zone}', 'UTC')"  # Django's SQLite function


def flags_lower(plan: Plan) -> dict[str, int]:
    config = selectors.rag_config()
    day = connection.ops.adapt_datefield_value
    params = {
        "v": plan.version.pk,
        "today": day(plan.today),
        "soon": day(plan.today + dt.timedelta(days=config.amber_window_days)),
        "stale": day(plan.today - dt.timedelta(days=config.stale_after_days)),
    }
    sql = FLAGS_SQL.format(created_day=_created_day(), **_tables())
    rows, _ = _fetch(sql, params)
    return {name: int(n or 0) for name, n in zip(FLAG_NAMES, rows[0], strict=True)}


def _live(plan: Plan) -> int:
    return plan.version.actions.filter(retired_at__isnull=True).count()


MEASURES = (
    Measure("export", export_selector, export_lower, export_same, export_rows),
    Measure(
        "rag_by_theme",
        lambda p: selectors.rag_counts_by_theme(version=p.version),
        rag_lower,
        rag_same,
        lambda rows, plan: f"{sum(r.total for r in rows)} actions, {len(rows)} themes",
    ),
    Measure(
        "overdue",
        lambda p: list(selectors.overdue_actions(version=p.version, today=p.today)),
        overdue_lower,
        overdue_same,
        lambda actions, plan: f"{len(actions)} overdue actions",
    ),
    Measure(
        "flags",
        lambda p: selectors.flag_counts(version=p.version, today=p.today),
        flags_lower,
        lambda counts, mine: (counts, mine),
        lambda counts, plan: f"{_live(plan)} actions, {sum(counts.values())} flags",
    ),
)
