"""Strategies, outcomes, plan versions and themes, and refreshing the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.plans.models import (
    Action,
    DueDateChange,
    Evidence,
    Outcome,
    PlanVersion,
    Strategy,
    Theme,
)
from caring.plans.services.actions import action_retire


@transaction.atomic
def strategy_create(
    *,
    title: str,
    slug: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    description: str = "",
    is_illustrative: bool = False,
) -> Strategy:
    strategy = Strategy(
        title=title.strip(),
        slug=slug.strip(),
        period_start=period_start,
        period_end=period_end,
        description=description,
        is_illustrative=is_illustrative,
    )
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": "The strategy's end is before its start."})
    strategy.full_clean()
    strategy.save()
    return strategy


@transaction.atomic
def outcome_create(
    *, strategy: Strategy, number: int, title: str, description: str = ""
) -> Outcome:
    if strategy.outcomes.filter(number=number).exists():
        raise ValidationError({"number": f"Outcome {number} already exists in {strategy}."})
    outcome = Outcome(
        strategy=strategy, number=number, title=title.strip(), description=description
    )
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def plan_version_create(
    *, strategy: Strategy, name: str, created: dt.date | None = None, reason: str = "", by=None
) -> PlanVersion:
    """The first version of a strategy's plan (later ones come from ``plan_version_refresh``)."""
    if strategy.versions.filter(name=name.strip()).exists():
        raise ValidationError({"name": f"{strategy} already has a version called {name!r}."})
    strategy.versions.filter(is_current=True).update(is_current=False)
    version = PlanVersion(
        strategy=strategy,
        name=name.strip(),
        created=created or timezone.localdate(),
        reason=reason,
        created_by=by,
        is_current=True,
    )
    version.full_clean(validate_constraints=False)
    version.save()
    return version


@transaction.atomic
def theme_create(*, version: PlanVersion, number: int, name: str, prefix: str) -> Theme:
    prefix = prefix.strip().upper()
    if version.themes.filter(number=number).exists():
        raise ValidationError({"number": f"Theme {number} already exists in {version.name}."})
    if version.themes.filter(prefix=prefix).exists():
        raise ValidationError({"prefix": f"Another theme already uses the prefix {prefix}."})
    theme = Theme(version=version, number=number, name=name.strip(), prefix=prefix)
    theme.full_clean()
    theme.save()
    return theme


# --- actions ----------------------------------------------------------------------------------


@transaction.atomic
def plan_version_refresh(
    *,
    version: PlanVersion,
    name: str,
    reason: str,
    retire: Mapping[str, str] | None = None,
    created: dt.date | None = None,
    by=None,
) -> PlanVersion:
    """Make a new version of the plan from ``version``.

    Themes are copied; every action still live is carried forward (with its dates, slips,
    evidence and status) except those in ``retire``, a mapping of ref to the reason for retiring
    it. Add new actions to the returned version with ``action_create``.
    """
    retire = dict(retire or {})
    errors: dict[str, str] = {}
    # Ask the database (and lock the row): the caller's copy may be stale.
    if not PlanVersion.objects.select_for_update().filter(pk=version.pk, is_current=True).exists():
        errors["version"] = f"{version.name} is not the current version of the plan."
    if not (reason or "").strip():
        errors["reason"] = "Say why the plan is being refreshed."
    if version.strategy.versions.filter(name=(name or "").strip()).exists():
        errors["name"] = f"{version.strategy} already has a version called {name!r}."
    live = {a.ref: a for a in version.actions.filter(retired_at__isnull=True)}
    unknown = sorted(set(retire) - set(live))
    if unknown:
        errors["retire"] = f"No live action with ref {', '.join(unknown)} in {version.name}."
    missing_reason = sorted(ref for ref, why in retire.items() if not (why or "").strip())
    if missing_reason and not unknown:
        errors["retire"] = f"Give a reason for retiring {', '.join(missing_reason)}."
    if errors:
        raise ValidationError(errors)

    new = plan_version_create(
        strategy=version.strategy, name=name, created=created, reason=reason, by=by
    )
    new.previous = version
    new.save(update_fields=["previous"])
    themes = {
        old.pk: Theme.objects.create(
            version=new, number=old.number, name=old.name, prefix=old.prefix
        )
        for old in version.themes.all()
    }
    for ref, action in live.items():
        if ref in retire:
            action_retire(action=action, reason=retire[ref], by=by)
        else:
            _carry_forward(action, new, themes)
    return new


def _copy(instance, **changes):
    """An unsaved copy of ``instance`` with ``changes`` (foreign keys given by ``*_id``)."""
    data = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    data.update(changes)
    return type(instance)(**data)


def _carry_forward(old: Action, version: PlanVersion, themes: Mapping[int, Theme]) -> Action:
    """Copy a live action into the new version with its whole record: updates, evidence and
    due-date changes, so its page, slips and export read the same as before the refresh."""
    new = _copy(
        old,
        version_id=version.pk,
        theme_id=themes[old.theme_id].pk if old.theme_id else None,
        carried_from_id=old.pk,
        revision=1,
    )
    new.save()
    new.outcomes.set(old.outcomes.all())
    new.organisations.set(old.organisations.all())
    updates = {}
    for update in old.updates.all():
        updates[update.pk] = _copy(update, action_id=new.pk)
        updates[update.pk].save()
    DueDateChange.objects.bulk_create(
        _copy(c, action_id=new.pk, update_id=updates[c.update_id].pk if c.update_id else None)
        for c in old.due_changes.all()
    )
    Evidence.objects.bulk_create(
        _copy(e, action_id=new.pk, update_id=updates[e.update_id].pk if e.update_id else None)
        for e in old.evidence.all()
    )
    return new


# --- editing themes and outcomes ----------------------------------------------------------------


@transaction.atomic
def theme_edit(*, theme: Theme, name: str, prefix: str, by=None) -> Theme:
    """Rename a theme of the current version of the plan, or change its ref prefix.

    Existing actions keep their refs: a new prefix applies to the refs given from now on.
    """
    theme.refresh_from_db(from_queryset=Theme.objects.select_for_update())
    name = (name or "").strip()
    prefix = (prefix or "").strip().upper()
    errors: dict[str, str] = {}
    if not theme.version.is_current:
        errors["theme"] = (
            f"Theme {theme} belongs to an earlier version of the plan, which can't be changed."
        )
    if not name:
        errors["name"] = "Enter the theme's name, for example Young Carers."
    if not prefix:
        errors["prefix"] = "Enter the letters that begin the theme's action refs, for example YC."
    elif theme.version.themes.filter(prefix=prefix).exclude(pk=theme.pk).exists():
        errors["prefix"] = f"Another theme already uses the prefix {prefix}."
    if errors:
        raise ValidationError(errors)
    theme.name = name
    theme.prefix = prefix
    theme.full_clean(validate_constraints=False)
    if by is not None:
        theme._history_user = by
    theme.save()
    return theme


@transaction.atomic
def outcome_edit(*, outcome: Outcome, title: str, description: str, by=None) -> Outcome:
    """Change the wording of one of a strategy's outcomes (its number stays)."""
    outcome.refresh_from_db(from_queryset=Outcome.objects.select_for_update())
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter what carers will experience."})
    outcome.title = title
    outcome.description = description or ""
    outcome.full_clean(validate_constraints=False)
    if by is not None:
        outcome._history_user = by
    outcome.save()
    return outcome
