"""Suggested red-amber-green (RAG) ratings and warning flags for delivery plan actions.

Pure Python, no Django: the view and model layers turn an action into :class:`ActionFacts`
and call :func:`suggest_rag` and :func:`action_flags`. Every reason and explanation is written
for councillors, in plain British English, with dates written like '31 March 2019'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATUSES = ("not_started", "in_progress", "complete", "on_hold", "cancelled")
RAGS = ("red", "amber", "green", "blue")  # None means 'not yet rated'
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "blue": 3}  # higher is better

_CLOSED = ("complete", "cancelled")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_RAG_WORDS = {"red": "red", "amber": "amber", "green": "green", "blue": "blue (complete)"}


@dataclass(frozen=True)
class RagConfig:
    amber_window_days: int = 30  # due within this many days with no progress -> amber
    stale_after_days: int = 90  # open action with no update for longer than this -> stale


@dataclass(frozen=True)
class ActionFacts:
    status: str
    rag: str | None  # the owner's own rating
    commenced: date | None
    due: date | None
    ongoing: bool
    has_lead: bool  # a person or a role is named as lead
    due_unparsed: bool = False  # due-date text was given but could not be read
    commenced_unparsed: bool = False
    evidence_count: int = 0
    last_activity: date | None = None  # latest update, or when the action was added if none
    times_slipped: int = 0  # how many times the due date was moved later


@dataclass(frozen=True)
class Suggestion:
    rag: str | None
    rule: str  # stable id of the rule that decided, e.g. 'overdue'
    reason: str  # plain words, with the actual dates/numbers filled in


@dataclass(frozen=True)
class Flag:
    name: str  # stable: one of FLAG_NAMES
    label: str  # short, e.g. 'Overdue'
    explanation: str  # plain words about THIS action, with dates/numbers filled in


SUGGESTION_RULES: tuple[tuple[str, str], ...] = (
    ("cancelled", "A cancelled action is no longer rated."),
    ("complete-with-evidence", "A completed action with evidence to show it is rated blue."),
    (
        "complete-without-evidence",
        "An action marked complete with no evidence added is rated amber until evidence is added.",
    ),
    ("overdue", "An action whose due date has passed, and is not complete, is rated red."),
    ("on-hold", "An action that is on hold is rated amber."),
    (
        "no-timescale",
        "An action with no due date that is not ongoing work cannot be given a suggested rating.",
    ),
    ("not-started-late", "An action that should already have started but has not is rated amber."),
    (
        "due-soon-no-progress",
        "An action that has not started and is due within the warning period "
        "(30 days unless changed) is rated amber.",
    ),
    (
        "no-recent-update",
        "An action with no progress update for longer than the update period "
        "(90 days unless changed) is rated amber.",
    ),
    ("on-track", "Anything else is on track and rated green."),
)

FLAG_NAMES = (
    "missing-owner",
    "missing-timescale",
    "overdue",
    "stale",
    "rag-disagrees",
    "slipped",
    "unparsed-date",
)

FLAG_DESCRIPTIONS: dict[str, str] = {
    "missing-owner": "No person or role has been named as lead for the action.",
    "missing-timescale": "The action has no due date and is not marked as ongoing work.",
    "overdue": "The due date has passed and the action is not complete.",
    "stale": "No progress update has been recorded for longer than the update period "
    "(90 days unless changed).",
    "rag-disagrees": "The lead's own rating is better than the rating suggested "
    "by the action's dates and status.",
    "slipped": "The due date has been moved later at least once.",
    "unparsed-date": "A due date or start date was given but could not be read as a date, "
    "so it needs checking.",
}

_LABELS = {
    "missing-owner": "No lead",
    "missing-timescale": "No timescale",
    "overdue": "Overdue",
    "stale": "No recent update",
    "rag-disagrees": "Rating looks optimistic",
    "slipped": "Due date moved",
    "unparsed-date": "Date not readable",
}

FLAG_LABELS = _LABELS  # each flag's short label, e.g. 'Overdue'


def format_date(d: date) -> str:
    """Write a date the way councillors expect, e.g. '31 March 2019'."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def is_better(a: str | None, b: str | None) -> bool:
    """True when both are ratings and ``a`` is better than ``b``."""
    if a not in RAG_ORDER or b not in RAG_ORDER:
        return False
    return RAG_ORDER[a] > RAG_ORDER[b]


def completion_problem(*, status: str, evidence_count: int) -> str | None:
    """Why an action cannot be marked complete yet, or None if it can."""
    if status == "complete" and evidence_count <= 0:
        return (
            "An action can only be marked complete once at least one piece of evidence "
            "has been added."
        )
    return None


def days_overdue(facts: ActionFacts, *, today: date) -> int | None:
    """Days since the due date passed, or None when the action is not overdue.

    Complete and cancelled actions are never overdue; a due date of today is not overdue.
    """
    if facts.status in _CLOSED or facts.due is None or facts.due >= today:
        return None
    return (today - facts.due).days


def _days_since_update(facts: ActionFacts, today: date) -> int | None:
    return None if facts.last_activity is None else (today - facts.last_activity).days


def _is_stale(facts: ActionFacts, today: date, config: RagConfig) -> bool:
    since = _days_since_update(facts, today)
    return since is None or since > config.stale_after_days


def _no_update_reason(facts: ActionFacts, today: date) -> str:
    since = _days_since_update(facts, today)
    if since is None:
        return "No progress update has ever been recorded."
    return f"No progress update for {_days(since)}."


def suggest_rag(facts: ActionFacts, *, today: date, config: RagConfig = RagConfig()) -> Suggestion:  # noqa: B008
    """Suggest a rating from the action's dates and status; the first matching rule wins."""
    status, due = facts.status, facts.due
    if status == "cancelled":
        return Suggestion(None, "cancelled", "Cancelled, so it is no longer rated.")
    if status == "complete":
        if facts.evidence_count > 0:
            n = facts.evidence_count
            pieces = "1 piece" if n == 1 else f"{n} pieces"
            return Suggestion(
                "blue", "complete-with-evidence", f"Complete, with {pieces} of evidence added."
            )
        return Suggestion(
            "amber",
            "complete-without-evidence",
            "Marked complete, but no evidence has been added to show it.",
        )
    late = days_overdue(facts, today=today)
    if late is not None and due is not None:
        return Suggestion(
            "red",
            "overdue",
            f"Was due on {format_date(due)}, {_days(late)} ago, and is not complete.",
        )
    if status == "on_hold":
        return Suggestion("amber", "on-hold", "On hold, so it is not moving forward at present.")
    if due is None and not facts.ongoing:
        if facts.due_unparsed:
            reason = (
                "The timescale given could not be read as a date, so no rating can be suggested."
            )
        else:
            reason = "It has no timescale, so no rating can be suggested."
        return Suggestion(None, "no-timescale", reason)
    commenced = facts.commenced
    if status == "not_started" and commenced is not None and commenced < today:
        return Suggestion(
            "amber",
            "not-started-late",
            f"Was due to start on {format_date(commenced)} but has not started.",
        )
    if status == "not_started" and due is not None:
        left = (due - today).days
        if 0 <= left <= config.amber_window_days:
            when = "today" if left == 0 else f"in {_days(left)}"
            return Suggestion(
                "amber",
                "due-soon-no-progress",
                f"Due on {format_date(due)} ({when}) but has not started.",
            )
    if _is_stale(facts, today, config):
        return Suggestion("amber", "no-recent-update", _no_update_reason(facts, today))
    if due is not None:
        doing = "Not started yet" if status == "not_started" else "In progress"
        reason = f"{doing}, and not due until {format_date(due)}."
    else:
        reason = "Ongoing work, with a recent progress update."
    return Suggestion("green", "on-track", reason)


def action_flags(
    facts: ActionFacts,
    *,
    today: date,
    config: RagConfig = RagConfig(),  # noqa: B008
    suggestion: Suggestion | None = None,
) -> list[Flag]:
    """Warning flags for one action, in FLAG_NAMES order."""
    if facts.status == "cancelled":
        return []
    if suggestion is None:
        suggestion = suggest_rag(facts, today=today, config=config)
    is_open = facts.status not in _CLOSED
    found: dict[str, str] = {}

    if is_open and not facts.has_lead:
        found["missing-owner"] = "No person or role has been named as lead for this action."
    if is_open and facts.due is None and not facts.ongoing and not facts.due_unparsed:
        found["missing-timescale"] = (
            "This action has no due date and is not marked as ongoing work, "
            "so progress cannot be checked against a timescale."
        )
    late = days_overdue(facts, today=today)
    if late is not None and facts.due is not None:
        found["overdue"] = (
            f"It was due on {format_date(facts.due)}, {_days(late)} ago, and is not complete."
        )
    if is_open and _is_stale(facts, today, config):
        found["stale"] = (
            f"{_no_update_reason(facts, today)} Updates are expected at least every "
            f"{_days(config.stale_after_days)}."
        )
    if is_open and is_better(facts.rag, suggestion.rag):
        found["rag-disagrees"] = (
            f"The lead has rated this {_RAG_WORDS[facts.rag or '']}, but its dates and status "
            f"suggest {_RAG_WORDS[suggestion.rag or '']}. {suggestion.reason}"
        )
    if facts.times_slipped >= 1:
        found["slipped"] = f"The due date has been moved later {_times(facts.times_slipped)}."
    unread = [
        name
        for name, bad in (
            ("due date", facts.due_unparsed),
            ("start date", facts.commenced_unparsed),
        )
        if bad
    ]
    if unread:
        what = " and ".join(unread)
        verb, it = ("were", "they need") if len(unread) > 1 else ("was", "it needs")
        found["unparsed-date"] = (
            f"The {what} {verb} given but could not be read as a date, so {it} checking."
        )
    return [Flag(name, _LABELS[name], found[name]) for name in FLAG_NAMES if name in found]
