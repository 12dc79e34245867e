"""Load the illustrative Rotherham demo: organisations, users, and the "Caring Together" plan.

Idempotent: organisations and users are matched by name; a plan already loaded is left as it is
unless ``reset`` is given, when it is deleted and loaded afresh.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from caring.accounts.models import User
from caring.accounts.services import membership_set, organisation_ensure, user_ensure
from caring.plans import demo_data as data
from caring.plans.models import Action, DueDateChange, Evidence, Strategy
from caring.plans.services import (
    EvidenceInput,
    action_create,
    action_due_change,
    action_update_post,
    outcome_create,
    plan_version_create,
    strategy_create,
    theme_create,
)


@dataclass(frozen=True)
class DemoResult:
    strategy: Strategy
    loaded: bool  # False when the plan was already there
    password: str
    usernames: list[str]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _moment(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_day(text), dt.time(12, 0)))


@transaction.atomic
def demo_load(*, password: str | None = None, reset: bool = False) -> DemoResult:
    password = password or secrets.token_urlsafe(12)
    organisations = {
        key: organisation_ensure(name=name, kind=kind, short_name=short, ods_code=ods)
        for key, (name, kind, short, ods) in data.ORGANISATIONS.items()
    }
    users: dict[str, User] = {}
    for username, (title, org_key, role, superuser) in data.USERS.items():
        users[username] = user_ensure(
            username=username, job_title=title, password=password, is_superuser=superuser
        )
        membership_set(user=users[username], organisation=organisations[org_key], role=role)

    existing = Strategy.objects.filter(slug=data.STRATEGY["slug"]).first()
    if existing and not reset:
        return DemoResult(existing, False, password, list(users))
    if existing:
        _delete_strategy(existing)
    strategy = _load_plan(organisations, users)
    return DemoResult(strategy, True, password, list(users))


def _delete_strategy(strategy: Strategy) -> None:
    actions = Action.objects.filter(version__strategy=strategy)
    # Actions protect their themes, and versions their predecessors: delete bottom-up.
    Evidence.objects.filter(action__in=actions).delete()
    DueDateChange.objects.filter(action__in=actions).delete()
    actions.delete()
    for version in strategy.versions.order_by("-created", "-id"):
        version.delete()
    strategy.delete()


def _evidence(spec) -> EvidenceInput:
    kind, title, content = spec
    if kind == "link":
        return EvidenceInput(kind="link", title=title, url=content)
    return EvidenceInput(kind="text", title=title, text=content)


def _load_plan(organisations, users) -> Strategy:
    spec = data.STRATEGY
    strategy = strategy_create(
        title=spec["title"],
        slug=spec["slug"],
        period_start=_day(spec["period_start"]),
        period_end=_day(spec["period_end"]),
        description=data.ILLUSTRATIVE_NOTE,
        is_illustrative=True,
    )
    outcomes = {
        number: outcome_create(strategy=strategy, number=number, title=title)
        for number, title in data.OUTCOMES
    }
    version = plan_version_create(
        strategy=strategy,
        name=data.VERSION["name"],
        created=_day(data.VERSION["created"]),
        reason=data.VERSION["reason"],
        by=users["lead"],
    )
    themes = {
        prefix: theme_create(version=version, number=number, name=name, prefix=prefix)
        for number, name, prefix in data.THEMES
    }
    for item in data.ACTIONS:
        action = action_create(
            version=version,
            ref=item["ref"],
            title=item["title"],
            theme=themes[item["theme"]],
            outcomes=[outcomes[n] for n in item["outcomes"]],
            lead_role=item["lead"],
            organisations=[organisations[k] for k in item["orgs"]],
            commenced=item["commenced"],
            due=item["due"],
            status=item["status"],
            rag=item["rag"],
            rag_rationale=item.get("rationale", ""),
            by=users["lead"],
        )
        Action.objects.filter(pk=action.pk).update(created_at=_moment(data.VERSION["created"]))
        action.refresh_from_db()
        for day, username, new_due, reason in item.get("due_changes", []):
            change = action_due_change(
                action=action, new_due=new_due, reason=reason, by=users[username]
            )
            DueDateChange.objects.filter(pk=change.pk).update(changed_at=_moment(day))
        for day, username, narrative, status, rag, evidence in item.get("updates", []):
            action_update_post(
                action=action,
                by=users[username],
                reported_on=_day(day),
                narrative=narrative,
                status=status,
                rag=rag,
                evidence=[_evidence(evidence)] if evidence else [],
            )
            Evidence.objects.filter(action=action, added_at__date=timezone.localdate()).update(
                added_at=_moment(day)
            )
    return strategy
