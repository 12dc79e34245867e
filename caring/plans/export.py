"""The plan's open-data form: a stable JSON contract documented in ``docs/export-json.md``.

Keys are only ever added, never renamed or removed. Personal data stays out: people appear by
their role (job title), never by name or username.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import CharField, F
from django.db.models.functions import Cast
from django.utils import timezone

from caring.plans import compiled
from caring.plans.models import Action, DueDateChange, Evidence, Strategy, Update
from caring.plans.selectors import action_assess, natural_key, rag_config, with_counts
from caring.plans.selectors import version_current as _version_current

SCHEMA_VERSION = 3

# The contract: these keys are documented in docs/export-json.md (a test checks) and are only
# ever added to, never renamed or removed.
TOP_LEVEL_KEYS = (
    "schema_version", "generated", "strategy", "version", "themes", "actions",
    "bodies", "meetings", "recommendations", "information_requests", "report_requirements",
)  # fmt: skip
ACTION_KEYS = (
    "id", "revision", "ref", "theme", "title", "description", "outcomes", "lead",
    "organisations", "commenced", "commenced_text", "due", "due_text", "original_due",
    "ongoing", "status", "rag", "rag_rationale", "suggested_rag", "suggested_rag_reason",
    "flags", "times_slipped", "budget", "spend", "evidence", "updates", "due_changes",
)  # fmt: skip


def _day(value: dt.date | str | None) -> str | None:
    """ISO date text; a raw SQLite read already gives it as text."""
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


ACTION_FIELDS = (
    "id", "theme_id", "ref", "title", "description", "lead_person_id", "lead_role",
    "commenced", "commenced_text", "commenced_kind", "due", "due_text", "due_kind",
    "original_due", "ongoing", "status", "rag", "rag_rationale", "budget", "spend",
    "last_update_on", "created_at", "revision",
)  # fmt: skip


def _grouped(rows) -> dict[int, list[tuple]]:
    """Rows whose first column is an action id, grouped by it (order kept)."""
    groups: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row[1:])
    return groups


def _updates_query(alias: str):
    """Every update of the plan's live actions, oldest first: the export's biggest read.

    The date comes back as ISO text from the database (no date objects to make and format for
    thousands of rows)."""
    return (
        Update.objects.using(alias)
        .filter(action__version_id=compiled.STAND_IN_VERSION, action__retired_at__isnull=True)
        .annotate(day=Cast("reported_on", output_field=CharField()))
        .values_list("action_id", "day", "author__job_title", "narrative", "status", "rag")
    )


def plan_export(*, strategy: Strategy, today: dt.date | None = None) -> dict:
    """The current version of ``strategy``'s plan as plain data, ready for ``json.dumps``.

    A fixed number of queries whatever the plan's size: the actions, then each kind of child
    row for the whole plan at once, read as tuples (no model objects for thousands of rows).
    """
    today = today or timezone.localdate()
    version = _version_current(strategy=strategy)
    config = rag_config()
    # Plain records, not model objects: the rules only read attributes (see action_facts).
    actions = [
        SimpleNamespace(pk=row["id"], **row)
        for row in with_counts(version.actions.filter(retired_at__isnull=True))
        .annotate(lead_person_title=F("lead_person__job_title"))
        .values(*ACTION_FIELDS, "evidence_count", "times_slipped", "lead_person_title")
    ]
    # Children by the actions' ids: PostgreSQL then reads them through the action_id indexes,
    # where joining to the actions would make it scan every plan's rows.
    live = {"action_id__in": [a.pk for a in actions]}
    outcomes = _grouped(
        Action.outcomes.through.objects.filter(**live)
        .order_by("action_id", "outcome__number")
        .values_list("action_id", "outcome__number")
    )
    organisations = _grouped(
        Action.organisations.through.objects.filter(**live)
        .order_by("action_id", "organisation__name")
        .values_list("action_id", "organisation__name")
    )
    alias = version._state.db
    updates = _grouped(
        compiled.run(
            _updates_query, alias=alias, swaps={compiled.STAND_IN_VERSION: version.pk}, expect=1
        )
    )
    evidence = _grouped(
        Evidence.objects.filter(**live).values_list(
            "action_id", "kind", "title", "text", "url", "file", "added_by__job_title", "added_at"
        )
    )
    changes = _grouped(
        DueDateChange.objects.filter(**live).values_list(
            "action_id",
            "old_due",
            "old_text",
            "new_due",
            "new_text",
            "reason",
            "changed_by__job_title",
            "changed_at",
        )
    )
    themes = list(version.themes.order_by("number"))
    theme_order = {t.pk: t.number for t in themes}
    theme_names = {t.pk: t.name for t in themes}
    actions.sort(key=lambda a: (theme_order.get(a.theme_id, 10**6), natural_key(a.ref)))
    children = {"outcomes": outcomes, "organisations": organisations, "updates": updates,
                "evidence": evidence, "due_changes": changes}  # fmt: skip
    from caring.governance.export import governance_export  # scrutiny builds on the plan

    return {
        "schema_version": SCHEMA_VERSION,
        "generated": today.isoformat(),
        "strategy": {
            "slug": strategy.slug,
            "title": strategy.title,
            "illustrative": strategy.is_illustrative,
        },
        "version": {"name": version.name, "created": _day(version.created)},
        "themes": [{"number": t.number, "name": t.name, "prefix": t.prefix} for t in themes],
        "actions": [
            _action(a, children, theme_names.get(a.theme_id), today=today, config=config)
            for a in actions
        ],
        **governance_export(strategy=strategy, today=today),
    }


def _action(action, children: dict, theme: str | None, *, today, config) -> dict:
    assessed = action_assess(action, today=today, config=config)
    key = action.pk
    return {
        "id": action.pk,
        "revision": action.revision,
        "ref": action.ref,
        "theme": theme,
        "title": action.title,
        "description": action.description,
        "outcomes": [str(number) for (number,) in children["outcomes"].get(key, ())],
        "lead": action.lead_role or (action.lead_person_title or ""),
        "organisations": [name for (name,) in children["organisations"].get(key, ())],
        "commenced": _day(action.commenced),
        "commenced_text": action.commenced_text,
        "due": _day(action.due),
        "due_text": action.due_text,
        "original_due": _day(action.original_due),
        "ongoing": action.ongoing,
        "status": action.status,
        "rag": action.rag or None,
        "rag_rationale": action.rag_rationale,
        "suggested_rag": assessed.suggestion.rag,
        "suggested_rag_reason": assessed.suggestion.reason,
        "flags": assessed.flag_names,
        "times_slipped": action.times_slipped,
        "budget": _money(action.budget),
        "spend": _money(action.spend),
        "evidence": [
            {
                "kind": kind,
                "title": title,
                "text": text,
                "url": url,
                "file": file.rsplit("/", 1)[-1] if file else None,
                "added_by": role or "",
                "added_at": _moment(added_at),
            }
            for kind, title, text, url, file, role, added_at in children["evidence"].get(key, ())
        ],
        "updates": [
            {
                "date": reported_on,  # ISO text from the database
                "author": role or "",
                "narrative": narrative,
                "status": status,
                "rag": rag or None,
            }
            for reported_on, role, narrative, status, rag in children["updates"].get(key, ())
        ],
        "due_changes": [
            {
                "old_due": _day(old_due),
                "old_text": old_text,
                "new_due": _day(new_due),
                "new_text": new_text,
                "reason": reason,
                "changed_by": role or "",
                "changed_at": _moment(changed_at),
            }
            for old_due, old_text, new_due, new_text, reason, role, changed_at in children[
                "due_changes"
            ].get(key, ())
        ],
    }
