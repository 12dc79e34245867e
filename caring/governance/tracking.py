"""Where a scrutiny item stands: suggested RAG and flags, in plain words. Pure Python.

Tracked resolutions (recommendations to the executive and requests for future reports) follow
the same rules and flags as plan actions (``caring.plans.rag``), plus two of their own:

- ``awaiting-response``: a recommendation to the executive with no response two months after
  the meeting (the executive must respond to scrutiny recommendations within two months);
- ``awaiting-sign-off``: complete, but the committee has not yet signed it off at a meeting.

An item signed off at a later meeting, or not accepted by the executive, is closed: no rating is
suggested and nothing is flagged. Information requests are flagged ``overdue`` when their due
date has passed without an answer, and ``no-due-date`` when nobody has said when to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caring.governance.due_text import add_months
from caring.plans.rag import (
    ActionFacts,
    Flag,
    RagConfig,
    Suggestion,
    action_flags,
    format_date,
    suggest_rag,
)

RESPONSE_MONTHS = 2
TRACKED = ("recommendation", "future_report")

ITEM_FLAG_NAMES = (
    "awaiting-response",
    "missing-owner",
    "missing-timescale",
    "overdue",
    "stale",
    "rag-disagrees",
    "slipped",
    "unparsed-date",
    "awaiting-sign-off",
)
ITEM_FLAG_LABELS = {
    "awaiting-response": "No executive response",
    "awaiting-sign-off": "Awaiting sign-off",
}
ITEM_FLAG_DESCRIPTIONS = {
    "awaiting-response": "A recommendation to the executive has had no response two months "
    "after the meeting.",
    "awaiting-sign-off": "The item is complete but the committee has not yet signed it off.",
}
REQUEST_FLAG_NAMES = ("overdue", "no-due-date")
REQUEST_FLAG_LABELS = {"overdue": "Answer overdue", "no-due-date": "No date to answer by"}


@dataclass(frozen=True)
class ItemFacts:
    kind: str
    meeting_date: date
    status: str
    rag: str | None
    due: date | None
    has_lead: bool
    response: str = ""  # "" while awaited
    signed_off: bool = False
    evidence_count: int = 0
    last_activity: date | None = None  # latest update, or the meeting if none
    times_slipped: int = 0
    due_unreadable: bool = False


@dataclass(frozen=True)
class ItemAssessment:
    state: str  # "recorded", "open", "closed: not accepted", "closed: signed off"
    suggestion: Suggestion
    flags: list[Flag]

    @property
    def flag_names(self) -> list[str]:
        return [flag.name for flag in self.flags]

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def response_due(meeting_date: date) -> date:
    try:
        return add_months(meeting_date, RESPONSE_MONTHS)
    except ValueError:  # a meeting in the last two months of 9999: no later day exists
        return date.max


def assess_item(
    facts: ItemFacts,
    *,
    today: date,
    config: RagConfig = RagConfig(),  # noqa: B008
) -> ItemAssessment:
    if facts.kind not in TRACKED:
        return ItemAssessment(
            "recorded", Suggestion(None, "recorded", "Recorded, not tracked."), []
        )
    if facts.signed_off:
        why = "Signed off by the committee, so it is closed."
        return ItemAssessment("closed: signed off", Suggestion(None, "signed-off", why), [])
    if facts.response == "not_accepted":
        why = "The executive did not accept it, so it is closed."
        return ItemAssessment("closed: not accepted", Suggestion(None, "not-accepted", why), [])
    action = ActionFacts(
        status=facts.status,
        rag=facts.rag,
        commenced=None,
        due=facts.due,
        ongoing=False,
        has_lead=facts.has_lead,
        due_unparsed=facts.due_unreadable,
        evidence_count=facts.evidence_count,
        last_activity=facts.last_activity or facts.meeting_date,
        times_slipped=facts.times_slipped,
    )
    suggestion = suggest_rag(action, today=today, config=config)
    found = {
        f.name: f for f in action_flags(action, today=today, config=config, suggestion=suggestion)
    }
    by = response_due(facts.meeting_date)
    if facts.kind == "recommendation" and not facts.response and today > by:
        found["awaiting-response"] = Flag(
            "awaiting-response",
            ITEM_FLAG_LABELS["awaiting-response"],
            f"The meeting was on {format_date(facts.meeting_date)}; a response was due by "
            f"{format_date(by)} and none has been recorded.",
        )
    if facts.status == "complete":
        found["awaiting-sign-off"] = Flag(
            "awaiting-sign-off",
            ITEM_FLAG_LABELS["awaiting-sign-off"],
            "Marked complete; the committee has not yet signed it off at a meeting.",
        )
    flags = [found[name] for name in ITEM_FLAG_NAMES if name in found]
    return ItemAssessment("open", suggestion, flags)


@dataclass(frozen=True)
class RequestFacts:
    meeting_date: date
    due: date | None
    answered_on: date | None
    answered_in_meeting: bool = False


@dataclass(frozen=True)
class RequestAssessment:
    state: str  # "answered", "answered at the meeting", "awaiting answer"
    flags: list[Flag]

    @property
    def flag_names(self) -> list[str]:
        return [flag.name for flag in self.flags]


def assess_request(facts: RequestFacts, *, today: date) -> RequestAssessment:
    if facts.answered_on is not None:
        return RequestAssessment(f"answered on {format_date(facts.answered_on)}", [])
    if facts.answered_in_meeting:
        return RequestAssessment("answered at the meeting", [])
    flags = []
    if facts.due is not None and facts.due < today:
        days = (today - facts.due).days
        flags.append(
            Flag(
                "overdue",
                REQUEST_FLAG_LABELS["overdue"],
                f"The answer was due on {format_date(facts.due)}, "
                f"{days} day{'s' if days != 1 else ''} ago, and none has been recorded.",
            )
        )
    if facts.due is None:
        flags.append(
            Flag(
                "no-due-date",
                REQUEST_FLAG_LABELS["no-due-date"],
                f"Asked on {format_date(facts.meeting_date)} with no date to answer by.",
            )
        )
    return RequestAssessment("awaiting answer", flags)
