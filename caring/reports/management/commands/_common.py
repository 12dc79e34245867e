"""What the report commands share: finding the strategy, the meeting, the user and dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from caring.accounts.models import User
from caring.plans.models import Strategy
from caring.plans.rag import format_date
from caring.reports import selectors

TEMPLATE_LIMIT = 10 * 1024 * 1024


def strategy_of(slug: str) -> Strategy:
    found = Strategy.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"There is no strategy {slug!r}.", returncode=2)
    return found


def day_of(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} {text!r} is not a date: give it as YYYY-MM-DD, e.g. 2027-01-14.",
            returncode=2,
        ) from None


def meeting_of(strategy: Strategy, text: str | None):
    day = day_of(text, "--meeting")
    if day is None:
        return None
    found = selectors.meetings_on(strategy=strategy, day=day)
    if not found:
        known = [format_date(m.date) for m in selectors.report_meetings(strategy=strategy)[:8]]
        listed = f" Its meetings include: {'; '.join(known)}." if known else ""
        raise CommandError(
            f"There is no meeting about {strategy.title} on {format_date(day)}.{listed}",
            returncode=1,
        )
    return found[0]


def user_of(username: str | None):
    if not username:
        return None
    found = User.objects.filter(username=username).first()
    if found is None:
        raise CommandError(f"There is no user {username!r}.", returncode=2)
    return found


def template_of(path_text: str | None) -> bytes | None:
    if not path_text:
        return None
    path = Path(path_text)
    if not path.is_file():
        raise CommandError(f"No template at {path_text}.", returncode=2)
    if path.stat().st_size > TEMPLATE_LIMIT:
        raise CommandError(f"The template {path.name} is larger than 10 MB.", returncode=1)
    return path.read_bytes()


def refused(error: ValidationError) -> CommandError:
    messages = (
        [m for ms in error.message_dict.values() for m in ms]
        if hasattr(error, "error_dict")
        else error.messages
    )
    return CommandError(" ".join(messages), returncode=1)
