"""Actions: create, post a progress update, move the due date, retire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.plans.choices import ActionStatus, Rag
from caring.plans.dates import CouncilDate, DateKind
from caring.plans.models import (
    Action,
    DueDateChange,
    Outcome,
    PlanVersion,
    Theme,
    Update,
)
from caring.plans.rag import completion_problem
from caring.plans.services.base import (
    _apply_commenced,
    _apply_due,
    _bump_revision,
    _by,
    _check_dates_in_order,
    _fmt,
    _parse,
    _restoring_revision,
)
from caring.plans.services.evidence import (
    EvidenceInput,
    _evidence_prepare_all,
    _evidence_save,
)


def _check_details(*, version_id, strategy_id, title, theme, outcomes, errors: dict) -> None:
    """The checks adding and editing an action share: a title, and a theme and outcomes that
    belong to the action's own plan."""
    if not (title or "").strip():
        errors["title"] = "Enter what the action will do."
    if theme is not None and theme.version_id != version_id:
        errors["theme"] = f"Theme {theme} belongs to another version of the plan."
    foreign = [o for o in outcomes if o.strategy_id != strategy_id]
    if foreign:
        errors["outcomes"] = f"Outcome {foreign[0].number} belongs to another strategy."


@transaction.atomic
def action_create(
    *,
    version: PlanVersion,
    ref: str,
    title: str,
    theme: Theme | None = None,
    description: str = "",
    outcomes: Iterable[Outcome] = (),
    lead_person=None,
    lead_role: str = "",
    organisations: Iterable = (),
    commenced: object = None,
    due: object = None,
    ongoing: bool = False,
    status: str = ActionStatus.NOT_STARTED,
    rag: str = Rag.NOT_RATED,
    rag_rationale: str = "",
    budget: Decimal | None = None,
    spend: Decimal | None = None,
    extra: Mapping | None = None,
    evidence: Iterable[EvidenceInput] = (),
    by=None,
) -> Action:
    ref = (ref or "").strip()
    errors: dict[str, str] = {}
    if not ref:
        errors["ref"] = "Enter the action's ref, for example YC7."
    elif version.actions.filter(ref=ref).exists():
        errors["ref"] = f"An action with ref {ref} already exists in {version.name}."
    outcomes = list(outcomes)
    _check_details(
        version_id=version.pk,
        strategy_id=version.strategy_id,
        title=title,
        theme=theme,
        outcomes=outcomes,
        errors=errors,
    )
    if status not in ActionStatus.values:
        errors["status"] = f"{status!r} is not a status an action can have."
    if rag not in Rag.values:
        errors["rag"] = f"{rag!r} is not a RAG rating."
    evidence = list(evidence)
    problem = completion_problem(status=status, evidence_count=len(evidence))
    if problem:
        errors["status"] = problem
    prepared = _evidence_prepare_all(evidence, errors)
    if errors:
        raise ValidationError(errors)

    action = Action(
        version=version,
        theme=theme,
        ref=ref,
        title=title.strip(),
        description=description,
        lead_person=lead_person,
        lead_role=lead_role.strip(),
        ongoing=ongoing,
        status=status,
        rag=rag,
        rag_rationale=rag_rationale,
        budget=budget,
        spend=spend,
        extra=dict(extra or {}),
    )
    _apply_commenced(action, commenced)
    _apply_due(action, due)
    _check_dates_in_order(action.commenced, action.due, "due")
    action.original_due = action.due
    action.original_due_text = action.due_text
    action.full_clean(exclude=["version", "theme", "lead_person"], validate_constraints=False)
    _by(action, by)
    action.save()
    action.outcomes.set(outcomes)
    action.organisations.set(list(organisations))
    for record, upload in prepared:
        _evidence_save(record, upload, action=action, by=by, update=None)
    return action


@transaction.atomic
def action_update_post(
    *,
    action: Action,
    by,
    narrative: str,
    status: str,
    rag: str = Rag.NOT_RATED,
    rag_rationale: str = "",
    reported_on: dt.date | None = None,
    evidence: Iterable[EvidenceInput] = (),
    new_due: object = None,
    due_reason: str = "",
    expected_revision: int | None = None,
) -> Update:
    """Post a dated progress report; it becomes the action's current status and rating.

    ``expected_revision`` is the action's revision when the form was opened: if anyone changed
    the action since, ``ConflictError`` is raised and nothing is saved.
    """
    reported_on = reported_on or timezone.localdate()
    evidence = list(evidence)
    errors: dict[str, str] = {}
    if not (narrative or "").strip():
        errors["narrative"] = "Write what has happened since the last update."
    if status not in ActionStatus.values:
        errors["status"] = f"{status!r} is not a status an action can have."
    if rag not in Rag.values:
        errors["rag"] = f"{rag!r} is not a RAG rating."
    if reported_on > timezone.localdate():
        errors["reported_on"] = "The date of an update can't be in the future."
    elif action.last_update_on and reported_on < action.last_update_on:
        errors["reported_on"] = (
            f"There is already an update dated {_fmt(action.last_update_on)}; "
            "a new update can't be dated before it."
        )
    if action.is_retired:
        errors["action"] = f"Action {action.ref} has been retired and can't be updated."
    elif not PlanVersion.objects.filter(pk=action.version_id, is_current=True).exists():
        errors["action"] = (
            f"Action {action.ref} belongs to an earlier version of the plan; "
            "update it in the current version."
        )
    problem = completion_problem(
        status=status, evidence_count=action.evidence.count() + len(evidence)
    )
    if problem and "status" not in errors:
        errors["status"] = problem
    parsed_due = None
    if new_due not in (None, ""):
        parsed_due = _new_due_check(action, new_due, due_reason, errors)
    prepared = _evidence_prepare_all(evidence, errors)
    if errors:
        raise ValidationError(errors)

    with _restoring_revision(action):
        _bump_revision(action, expected_revision)
        update = Update(
            action=action,
            reported_on=reported_on,
            author=by,
            narrative=narrative.strip(),
            status=status,
            rag=rag,
            rag_rationale=rag_rationale,
        )
        _by(update, by)
        update.save()
        for record, upload in prepared:
            _evidence_save(record, upload, action=action, by=by, update=update)
        if parsed_due is not None:
            _record_due_change(
                action=action, value=new_due, reason=due_reason, by=by, update=update
            )
        action.status = status
        action.rag = rag
        action.rag_rationale = rag_rationale
        action.last_update_on = reported_on
        _by(action, by)
        action.save()
    return update


def _new_due_check(action: Action, value: object, reason: str, errors: dict) -> CouncilDate:
    """Check a new due date and its reason, adding any problem to ``errors``."""
    parsed = _parse(value)
    if parsed.is_unparsed or parsed.kind in (DateKind.BLANK, DateKind.TBC):
        errors["new_due"] = (
            f"The new due date {parsed.text!r} could not be read as a date. "
            "Write it like 31/03/2019, March 2019, Q4 2018/19 or Ongoing."
        )
    elif not (reason or "").strip():
        errors["due_reason"] = "Give the reason the due date is changing."
    elif parsed.as_due and action.commenced and parsed.as_due < action.commenced:
        errors["new_due"] = (
            f"The new due date ({_fmt(parsed.as_due)}) is before the date commenced "
            f"({_fmt(action.commenced)})."
        )
    return parsed


def _record_due_change(*, action: Action, value: object, reason: str, by, update=None):
    old_due, old_text = action.due, action.due_text
    parsed = _apply_due(action, value)
    if parsed.kind != DateKind.ONGOING:
        action.ongoing = False
    return DueDateChange.objects.create(
        action=action,
        update=update,
        old_due=old_due,
        old_text=old_text,
        new_due=action.due,
        new_text=action.due_text,
        reason=reason.strip(),
        changed_by=by,
    )


@transaction.atomic
def action_due_change(
    *, action: Action, new_due: object, reason: str, by, expected_revision: int | None = None
) -> DueDateChange:
    """Move an action's due date. The original date and every change are kept."""
    errors: dict[str, str] = {}
    _new_due_check(action, new_due, reason, errors)
    if action.is_retired:
        errors["action"] = f"Action {action.ref} has been retired."
    if errors:
        raise ValidationError(errors)
    with _restoring_revision(action):
        _bump_revision(action, expected_revision)
        change = _record_due_change(action=action, value=new_due, reason=reason, by=by)
        _by(action, by)
        action.save()
    return change


@transaction.atomic
def action_retire(*, action: Action, reason: str, by=None) -> Action:
    if not (reason or "").strip():
        raise ValidationError({"retired_reason": "Give the reason the action is being retired."})
    if action.is_retired:
        raise ValidationError({"action": f"Action {action.ref} is already retired."})
    _bump_revision(action, None)
    action.retired_at = timezone.now()
    action.retired_reason = reason.strip()
    _by(action, by)
    action.save()
    return action


# --- refreshing the plan -----------------------------------------------------------------------


# --- editing an action's details ----------------------------------------------------------------

# The model fields ``action_edit`` may change; anything else is left exactly as it was.
_EDITABLE_FIELDS = {
    "title", "description", "theme", "lead_role", "lead_person", "commenced", "commenced_text",
    "commenced_kind", "ongoing", "budget", "spend",
}  # fmt: skip


def _money(value: object, field: str, label: str, errors: dict[str, str]) -> Decimal | None:
    """An amount of money, or None if not given; a problem is added to ``errors``."""
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError):
        errors[field] = f"Enter the {label} as an amount in pounds, for example 2500 or 2500.50."
        return None
    if not amount.is_finite():
        errors[field] = f"Enter the {label} as an amount in pounds, for example 2500 or 2500.50."
    elif amount < 0:
        errors[field] = f"The {label} can't be negative."
    return amount


@transaction.atomic
def action_edit(
    *,
    action: Action,
    by,
    expected_revision: int | None,
    title: str,
    description: str,
    theme: Theme | None,
    outcomes: Iterable[Outcome],
    lead_role: str,
    lead_person=None,
    organisations: Iterable,
    commenced: object,
    ongoing: bool,
    budget: Decimal | None,
    spend: Decimal | None,
) -> Action:
    """Change an action's details: what it is, who leads it, when it began, its money.

    The due date, status and RAG rating are not changed here: they change only through a
    progress update or ``action_due_change``, which keep their history. ``expected_revision``
    is the action's revision when the form was opened: if anyone changed the action since,
    ``ConflictError`` is raised and nothing is saved.
    """
    outcomes = list(outcomes)
    organisations = list(organisations)
    with _restoring_revision(action):
        # Claim the revision first: the row is then ours until we commit, so everything below
        # is checked against the action as it is now, not as a possibly older copy had it.
        _bump_revision(action, expected_revision)
        action.refresh_from_db()
        errors: dict[str, str] = {}
        if action.is_retired:
            errors["action"] = f"Action {action.ref} has been retired and can't be changed."
        elif not PlanVersion.objects.filter(pk=action.version_id, is_current=True).exists():
            errors["action"] = (
                f"Action {action.ref} belongs to an earlier version of the plan; "
                "change it in the current version."
            )
        _check_details(
            version_id=action.version_id,
            strategy_id=action.version.strategy_id,
            title=title,
            theme=theme,
            outcomes=outcomes,
            errors=errors,
        )
        budget = _money(budget, "budget", "budget", errors)
        spend = _money(spend, "spend", "spend", errors)
        parsed = _parse(commenced)
        start = parsed.as_start
        if start and action.due and start > action.due:
            errors["commenced"] = (
                f"The date commenced ({_fmt(start)}) is after the due date "
                f"({_fmt(action.due)}). Give a date on or before it, or move the due date "
                "with a progress update first."
            )
        if not ongoing and action.due_kind == DateKind.ONGOING.value:
            errors["ongoing"] = (
                "The due date is written as “Ongoing”. To give the action an end date, "
                "change its due date with a progress update."
            )
        if errors:
            raise ValidationError(errors)

        action.title = title.strip()
        action.description = description or ""
        action.theme = theme
        action.lead_role = (lead_role or "").strip()
        action.lead_person = lead_person
        action.ongoing = bool(ongoing)
        action.budget = budget
        action.spend = spend
        _apply_commenced(action, commenced)
        try:
            action.full_clean(
                exclude=[f.name for f in Action._meta.fields if f.name not in _EDITABLE_FIELDS]
                + ["theme", "lead_person"],
                validate_constraints=False,
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    ("commenced" if name == "commenced_text" else name): messages
                    for name, messages in exc.message_dict.items()
                }
            ) from exc
        _by(action, by)
        action.save()
        action.outcomes.set(outcomes)
        action.organisations.set(organisations)
    return action
