"""Every write to a delivery plan. Each service validates, refuses with a message that names the
field, and saves all or nothing.

Services take keyword arguments only. Dates may be given as ``datetime.date`` or as text the way
councils write them ("Dec 2018", "Q3 2018/19", "Ongoing"); the original text is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caring.plans import evidence_rules
from caring.plans.choices import ActionStatus, DateKindChoice, EvidenceKind, Rag
from caring.plans.dates import CouncilDate, DateKind, parse_council_date
from caring.plans.models import (
    Action,
    DueDateChange,
    Evidence,
    Outcome,
    PlanVersion,
    Strategy,
    Theme,
    Update,
)
from caring.plans.rag import completion_problem


class ConflictError(Exception):
    """Someone else changed the record after it was read; nothing was saved."""


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence to add: a note (``text``), a ``url`` or a ``file``."""

    kind: str
    title: str
    text: str = ""
    url: str = ""
    file: File | None = None


def _fmt(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "none"


def _parse(value: object) -> CouncilDate:
    return parse_council_date(value)


def _date_text(value: object, parsed: CouncilDate) -> str:
    """The text to keep beside a date: what was written, or the ISO date for a real date."""
    return "" if parsed.kind == DateKind.BLANK else parsed.text


def _apply_due(action: Action, value: object) -> CouncilDate:
    parsed = _parse(value)
    action.due = parsed.as_due
    action.due_text = _date_text(value, parsed)
    action.due_kind = DateKindChoice(parsed.kind.value)
    if parsed.kind == DateKind.ONGOING:
        action.ongoing = True
    return parsed


def _apply_commenced(action: Action, value: object) -> CouncilDate:
    parsed = _parse(value)
    action.commenced = parsed.as_start
    action.commenced_text = _date_text(value, parsed)
    action.commenced_kind = DateKindChoice(parsed.kind.value)
    return parsed


def _check_dates_in_order(commenced: dt.date | None, due: dt.date | None, field: str) -> None:
    if commenced and due and due < commenced:
        raise ValidationError(
            {
                field: f"The due date ({_fmt(due)}) is before the date commenced "
                f"({_fmt(commenced)}). Give a due date on or after it."
            }
        )


def _by(instance, by) -> None:
    """Name ``by`` in the history row the next save of ``instance`` records."""
    if by is not None:
        instance._history_user = by


def _bump_revision(action: Action, expected_revision: int | None) -> None:
    """Claim the next revision of ``action``, or refuse if it changed since it was read.

    A conditional UPDATE works the same on SQLite and PostgreSQL: only one of two concurrent
    writers that read the same revision can match it.
    """
    expected = action.revision if expected_revision is None else expected_revision
    claimed = Action.objects.filter(pk=action.pk, revision=expected).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise ConflictError(
            f"Action {action.ref} was changed by someone else after you opened it. "
            "Nothing you entered has been saved: reload the action to see their change, "
            "then make yours again."
        )
    action.revision = expected + 1


# --- strategies, outcomes, versions, themes -------------------------------------------------


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
    if not (title or "").strip():
        errors["title"] = "Enter what the action will do."
    if theme is not None and theme.version_id != version.pk:
        errors["theme"] = f"Theme {theme} belongs to another version of the plan."
    outcomes = list(outcomes)
    foreign = [o for o in outcomes if o.strategy_id != version.strategy_id]
    if foreign:
        errors["outcomes"] = f"Outcome {foreign[0].number} belongs to another strategy."
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


def _evidence_prepare(item: EvidenceInput) -> tuple[Evidence, File | None]:
    """Check one piece of evidence and build it, unsaved; refuse with the field named."""
    title = (item.title or "").strip()
    if not title:
        raise ValidationError({"evidence_title": "Describe the evidence in a few words."})
    record = Evidence(kind=item.kind, title=title)
    if item.kind == EvidenceKind.TEXT:
        if not (item.text or "").strip():
            raise ValidationError(
                {"evidence_text": "Write the evidence, or choose a link or file."}
            )
        record.text = item.text.strip()
        return record, None
    if item.kind == EvidenceKind.LINK:
        record.url = (item.url or "").strip()
        if not record.url:
            raise ValidationError({"evidence_url": "Enter the link to the evidence."})
        try:
            record.clean_fields(exclude=[f.name for f in Evidence._meta.fields if f.name != "url"])
        except ValidationError as exc:
            raise ValidationError(
                {"evidence_url": "Enter a full web address, starting https://"}
            ) from exc
        return record, None
    if item.kind == EvidenceKind.FILE:
        upload = item.file
        if upload is None:
            raise ValidationError({"evidence_file": "Choose a file to upload."})
        name = getattr(upload, "name", "") or ""
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        problem = evidence_rules.file_problem(
            name=name,
            size=upload.size,
            head=head,
            max_bytes=settings.CARING_EVIDENCE_MAX_BYTES,
            allowed=settings.CARING_EVIDENCE_EXTENSIONS,
        )
        if problem:
            raise ValidationError({"evidence_file": problem})
        record.file_size = upload.size
        record.content_type = getattr(upload, "content_type", "") or ""
        return record, upload
    raise ValidationError({"evidence_kind": f"{item.kind!r} is not a kind of evidence."})


def _evidence_prepare_all(items: Iterable[EvidenceInput], errors: dict) -> list[tuple]:
    """Check every piece of evidence before anything is saved; problems go into ``errors``."""
    prepared = []
    for item in items:
        try:
            prepared.append(_evidence_prepare(item))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, messages[0])
    return prepared


def _evidence_save(
    record: Evidence, upload: File | None, *, action: Action, by, update: Update | None
) -> Evidence:
    record.action, record.update, record.added_by = action, update, by
    if upload is not None:
        record.file.save(upload.name.replace("\\", "/").rsplit("/", 1)[-1], upload, save=False)
    _by(record, by)
    record.save()
    return record


@transaction.atomic
def evidence_add(
    *, action: Action, item: EvidenceInput, by=None, update: Update | None = None
) -> Evidence:
    """Add one piece of evidence, refusing an empty note, a bad link or an unacceptable file."""
    if action.is_retired:
        raise ValidationError({"action": f"Action {action.ref} has been retired."})
    record, upload = _evidence_prepare(item)
    return _evidence_save(record, upload, action=action, by=by, update=update)


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


@contextmanager
def _restoring_revision(action: Action):
    """If saving fails after the revision was claimed, the database rolls back: so does this."""
    before = action.revision
    try:
        yield
    except BaseException:
        action.revision = before
        raise


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
