"""What every write shares: date handling, the history user, and refusing stale edits."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from caring.plans.choices import DateKindChoice
from caring.plans.dates import CouncilDate, DateKind, parse_council_date
from caring.plans.models import (
    Action,
)


class ConflictError(Exception):
    """Someone else changed the record after it was read; nothing was saved."""


def _fmt(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "none"


def _parse(value: object) -> CouncilDate:
    return parse_council_date(value)


def _date_text(parsed: CouncilDate) -> str:
    """The text to keep beside a date: what was written, or the ISO date for a real date."""
    return "" if parsed.kind == DateKind.BLANK else parsed.text


def _apply_due(action: Action, value: object) -> CouncilDate:
    parsed = _parse(value)
    action.due = parsed.as_due
    action.due_text = _date_text(parsed)
    action.due_kind = DateKindChoice(parsed.kind.value)
    if parsed.kind == DateKind.ONGOING:
        action.ongoing = True
    return parsed


def _apply_commenced(action: Action, value: object) -> CouncilDate:
    parsed = _parse(value)
    action.commenced = parsed.as_start
    action.commenced_text = _date_text(parsed)
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


@contextmanager
def _restoring_revision(action: Action):
    """If saving fails after the revision was claimed, the database rolls back: so does this."""
    before = action.revision
    try:
        yield
    except BaseException:
        action.revision = before
        raise


def fits(instance) -> None:
    """Refuse, naming the field, any text too long for its column (PostgreSQL would fail)."""
    errors = {}
    for f in instance._meta.concrete_fields:
        value = getattr(instance, f.attname)
        if f.max_length and isinstance(value, str) and len(value) > f.max_length:
            errors[f.name] = (
                f"The {f.verbose_name} can be at most {f.max_length} characters "
                f"(it has {len(value)})."
            )
    if errors:
        raise ValidationError(errors)
