"""The plan's open-data form: a stable JSON contract documented in ``docs/export-json.md``.

Keys are only ever added, never renamed or removed. Personal data stays out: people appear by
their role (job title), never by name or username.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from caring.plans.models import DueDateChange, Evidence, Strategy, Update
from caring.plans.selectors import action_assess, action_list, natural_key, rag_config
from caring.plans.selectors import version_current as _version_current

SCHEMA_VERSION = 1

# The contract: these keys are documented in docs/export-json.md (a test checks) and are only
# ever added to, never renamed or removed.
TOP_LEVEL_KEYS = ("schema_version", "generated", "strategy", "version", "themes", "actions")
ACTION_KEYS = (
    "ref", "theme", "title", "description", "outcomes", "lead", "organisations", "commenced",
    "commenced_text", "due", "due_text", "original_due", "ongoing", "status", "rag",
    "rag_rationale", "suggested_rag", "suggested_rag_reason", "flags", "times_slipped", "budget",
    "spend", "evidence", "updates", "due_changes",
)  # fmt: skip


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _role(user) -> str:
    return (user.job_title or "") if user is not None else ""


def plan_export(*, strategy: Strategy, today: dt.date | None = None) -> dict:
    """The current version of ``strategy``'s plan as plain data, ready for ``json.dumps``."""
    today = today or timezone.localdate()
    version = _version_current(strategy=strategy)
    config = rag_config()
    actions = (
        action_list(version=version)
        .select_related("lead_person")
        .prefetch_related(
            "outcomes",
            "organisations",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("updates", queryset=Update.objects.select_related("author")),
            Prefetch("due_changes", queryset=DueDateChange.objects.select_related("changed_by")),
        )
    )
    themes = list(version.themes.order_by("number"))
    theme_order = {t.pk: t.number for t in themes}
    ordered = sorted(
        actions, key=lambda a: (theme_order.get(a.theme_id, 10**6), natural_key(a.ref))
    )
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
        "actions": [_action(a, today=today, config=config) for a in ordered],
    }


def _action(action, *, today, config) -> dict:
    assessed = action_assess(action, today=today, config=config)
    return {
        "ref": action.ref,
        "theme": action.theme.name if action.theme else None,
        "title": action.title,
        "description": action.description,
        "outcomes": [str(o.number) for o in sorted(action.outcomes.all(), key=lambda o: o.number)],
        "lead": action.lead_role or (action.lead_person.job_title if action.lead_person else ""),
        "organisations": sorted(o.name for o in action.organisations.all()),
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
                "kind": e.kind,
                "title": e.title,
                "text": e.text,
                "url": e.url,
                "file": e.file.name.rsplit("/", 1)[-1] if e.file else None,
                "added_by": _role(e.added_by),
                "added_at": _moment(e.added_at),
            }
            for e in action.evidence.all()
        ],
        "updates": [
            {
                "date": _day(u.reported_on),
                "author": _role(u.author),
                "narrative": u.narrative,
                "status": u.status,
                "rag": u.rag or None,
            }
            for u in action.updates.all()
        ],
        "due_changes": [
            {
                "old_due": _day(c.old_due),
                "old_text": c.old_text,
                "new_due": _day(c.new_due),
                "new_text": c.new_text,
                "reason": c.reason,
                "changed_by": _role(c.changed_by),
                "changed_at": _moment(c.changed_at),
            }
            for c in action.due_changes.all()
        ],
    }
