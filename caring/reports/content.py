"""What the progress report says, worked out from the plan's JSON export (pure: no Django).

The report pack is built from the same data the open-data export publishes
(``caring.plans.export.plan_export``, docs/export-json.md), so an issued report's snapshot is
that JSON, and "what changed since the last report" compares two exports. :func:`build_report`
turns an export into a :class:`Report`; ``layout.document`` lays a report out as blocks in the
shape of a council committee report, which each format (Word, HTML, PDF) renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from caring.plans.rag import FLAG_LABELS, format_date

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", None: "Not rated"}
RAG_KEYS = ("red", "amber", "green", "blue", None)  # the order every table and chart uses
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "on_hold": "On hold",
    "cancelled": "Cancelled",
    "signed_off": "Signed off",
}
RESPONSE_LABELS = {
    "accepted": "Accepted",
    "partly_accepted": "Partly accepted",
    "not_accepted": "Not accepted",
    None: "Awaiting response",
}
ITEM_FLAG_LABELS = {
    **FLAG_LABELS,
    "awaiting-response": "Awaiting executive response",
    "awaiting-sign-off": "Awaiting sign-off",
}
# What the pack always contains, so a committee's requirement on that topic is met by it.
TOPICS_ALWAYS_COVERED = {
    "rag": "RAG ratings are applied to every action and recommendation.",
    "commenced": "The actions in progress give the date each commenced.",
    "evidence": "The completed actions are listed with their evidence.",
    "recommendations": "The recommendations tracker gives each response, status and RAG.",
}


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def when(d: dt.date | None, text: str = "") -> str:
    """A date as councillors read it, or the words it was given in, or 'Not given'."""
    if d is not None:
        return format_date(d)
    return text or "Not given"


# --- what the report holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    """One action as the report shows it."""

    id: int | None
    ref: str
    theme: str
    title: str
    lead: str
    organisations: str
    status: str
    rag: str | None
    commenced: dt.date | None
    commenced_text: str
    due: dt.date | None
    due_text: str
    original_due: dt.date | None
    times_slipped: int
    flags: tuple[str, ...]
    latest_update: str
    latest_update_date: dt.date | None
    evidence: tuple[str, ...]
    slip_reasons: tuple[str, ...]
    rag_rationale: str
    suggested_reason: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, "Not rated")

    @property
    def owner(self) -> str:
        parts = [p for p in (self.lead, self.organisations) if p]
        return ", ".join(parts) or "No lead named"

    @property
    def due_label(self) -> str:
        return self.due_text or when(self.due)

    @property
    def commenced_label(self) -> str:
        return self.commenced_text or when(self.commenced)

    @property
    def flag_labels(self) -> tuple[str, ...]:
        return tuple(FLAG_LABELS.get(f, f) for f in self.flags)

    @property
    def reason(self) -> str:
        """Why it is an exception, in the owner's words where they gave them."""
        return self.rag_rationale or self.latest_update or self.suggested_reason or "Not given"


@dataclass(frozen=True)
class Change:
    """An action that changed since the last report, and how."""

    action: ActionLine
    before: str  # e.g. 'In progress', 'Amber', 'Q3 2018/19'; empty when it is new
    after: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Changes:
    """What changed since the report the committee last received."""

    since: str | None  # e.g. 'the report issued on 1 July 2021 for the meeting of 8 July 2021'
    completed: tuple[Change, ...] = ()
    newly_red: tuple[Change, ...] = ()
    slipped: tuple[Change, ...] = ()
    added: tuple[Change, ...] = ()
    retired: tuple[Change, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.completed or self.newly_red or self.slipped or self.added or self.retired)


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    counts: tuple[int, ...]  # in RAG_KEYS order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class RecommendationLine:
    ref: str
    meeting: dt.date | None
    body: str
    text: str
    illustrative: bool
    response: str | None
    response_date: dt.date | None
    lead: str
    status: str
    rag: str | None
    flags: tuple[str, ...]
    due: dt.date | None
    due_text: str
    actions: tuple[str, ...]
    latest_update: str

    @property
    def response_label(self) -> str:
        return RESPONSE_LABELS.get(self.response, "Awaiting response")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, "Not rated")

    @property
    def flag_labels(self) -> tuple[str, ...]:
        return tuple(ITEM_FLAG_LABELS.get(f, f) for f in self.flags)


@dataclass(frozen=True)
class RequestLine:
    ref: str
    meeting: dt.date | None
    asked_by: str
    question: str
    to_answer: str
    due: dt.date | None
    due_text: str
    answer: str
    answered_on: dt.date | None
    offered_outside_meeting: bool
    answered_in_meeting: bool
    flags: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return bool(self.answer) or self.answered_in_meeting

    @property
    def state(self) -> str:
        if self.answered:
            return "Answered" + (f" on {format_date(self.answered_on)}" if self.answered_on else "")
        if "overdue" in self.flags:
            return "Overdue"
        return "Outstanding"


@dataclass(frozen=True)
class Requirement:
    """Something a meeting resolved this report must contain, and whether it does."""

    id: int | None
    topic: str
    text: str
    asked_by: str  # the resolution's ref
    met: bool
    how: str  # how the pack meets it, or what is missing

    @property
    def warning(self) -> str:
        what = self.text.rstrip(".")
        return f"Resolution {self.asked_by} asked that this report contain: {what}. {self.how}"


@dataclass(frozen=True)
class Narrative:
    """The parts a lead writes in the app."""

    summary: str = ""  # executive summary
    recommendations: tuple[str, ...] = ()  # to the committee
    background: str = ""
    key_issues: str = ""
    next_steps: str = ""
    addressed: dict[int, str] = field(default_factory=dict)  # requirement id -> how


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    rag_column: int | None = None  # the column holding a RAG label, coloured where allowed
    widths: tuple[int, ...] = ()  # relative widths, one per column


@dataclass(frozen=True)
class Section:
    """A section another part of the product adds (indicators, carers known): its topic lets
    the pack see that a committee's requirement on it is met."""

    key: str
    title: str
    topics: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Report:
    title: str
    strategy: str
    strategy_slug: str
    illustrative: bool
    committee: str
    meeting_date: dt.date | None
    meeting_status: str  # 'scheduled', 'held'... or '' when no meeting is set
    author_role: str
    as_of: dt.date
    version_name: str
    narrative: Narrative
    rag_counts: tuple[int, ...]  # in RAG_KEYS order
    themes: tuple[ThemeRow, ...]
    changes: Changes
    red_or_overdue: tuple[ActionLine, ...]
    without_owner_or_timescale: tuple[ActionLine, ...]
    completed: tuple[ActionLine, ...]
    in_progress: tuple[ActionLine, ...]
    slipped: tuple[ActionLine, ...]
    recommendations: tuple[RecommendationLine, ...]
    requests_answered: tuple[RequestLine, ...]
    requests_outstanding: tuple[RequestLine, ...]
    requirements: tuple[Requirement, ...]
    sections: tuple[Section, ...]
    actions: tuple[ActionLine, ...]  # the appendix: every live action

    @property
    def total(self) -> int:
        return sum(self.rag_counts)

    @property
    def meeting_label(self) -> str:
        if self.meeting_date is None:
            return f"the next meeting of the {self.committee} (not yet scheduled)"
        return f"the meeting of the {self.committee} on {format_date(self.meeting_date)}"

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(r.warning for r in self.requirements if not r.met)

    @property
    def red_refs(self) -> tuple[str, ...]:
        return tuple(a.ref for a in self.actions if a.rag == "red")

    def rag_count(self, rag: str | None) -> int:
        return self.rag_counts[RAG_KEYS.index(rag)]


@dataclass(frozen=True)
class RequirementInput:
    """A committee's requirement as the database holds it, for :func:`build_report`."""

    id: int | None
    topic: str
    text: str
    asked_by: str


# --- building it ---------------------------------------------------------------------------------


def action_line(a: dict) -> ActionLine:
    updates = a.get("updates") or []
    latest = updates[-1] if updates else None
    evidence = []
    for e in a.get("evidence") or []:
        parts = [e.get("title") or "", e.get("url") or e.get("file") or "", e.get("text") or ""]
        evidence.append(": ".join(p for p in parts if p) or "Evidence recorded")
    reasons = tuple(c["reason"] for c in a.get("due_changes") or [] if c.get("reason"))
    return ActionLine(
        id=a.get("id"),
        ref=a["ref"],
        theme=a.get("theme") or "No theme",
        title=a["title"],
        lead=a.get("lead") or "",
        organisations=", ".join(a.get("organisations") or ()),
        status=a["status"],
        rag=a.get("rag"),
        commenced=day(a.get("commenced")),
        commenced_text=a.get("commenced_text") or "",
        due=day(a.get("due")),
        due_text=a.get("due_text") or "",
        original_due=day(a.get("original_due")),
        times_slipped=a.get("times_slipped") or 0,
        flags=tuple(a.get("flags") or ()),
        latest_update=(latest or {}).get("narrative", ""),
        latest_update_date=day((latest or {}).get("date")),
        evidence=tuple(evidence),
        slip_reasons=reasons,
        rag_rationale=a.get("rag_rationale") or "",
        suggested_reason=a.get("suggested_rag_reason") or "",
    )


def _recommendation(r: dict) -> RecommendationLine:
    updates = r.get("updates") or []
    return RecommendationLine(
        ref=r["ref"],
        meeting=day(r.get("meeting")),
        body=r.get("body") or "",
        text=r["text"],
        illustrative=bool(r.get("illustrative")),
        response=r.get("response") if r.get("kind", "recommendation") == "recommendation" else None,
        response_date=day(r.get("response_date")),
        lead=r.get("lead") or "",
        status=r["status"],
        rag=r.get("rag"),
        flags=tuple(r.get("flags") or ()),
        due=day(r.get("due")),
        due_text=r.get("due_text") or "",
        actions=tuple(r.get("actions") or ()),
        latest_update=updates[-1]["narrative"] if updates else "",
    )


def _request(q: dict) -> RequestLine:
    return RequestLine(
        ref=q["ref"],
        meeting=day(q.get("meeting")),
        asked_by=q.get("asked_by") or "",
        question=q["question"],
        to_answer=q.get("to_answer") or "",
        due=day(q.get("due")),
        due_text=q.get("due_text") or "",
        answer=q.get("answer") or "",
        answered_on=day(q.get("answered_on")),
        offered_outside_meeting=bool(q.get("offered_outside_meeting")),
        answered_in_meeting=bool(q.get("answered_in_meeting")),
        flags=tuple(q.get("flags") or ()),
    )


def _rag_counts(actions: Iterable[ActionLine]) -> tuple[int, ...]:
    counts = dict.fromkeys(RAG_KEYS, 0)
    for a in actions:
        counts[a.rag if a.rag in counts else None] += 1
    return tuple(counts[k] for k in RAG_KEYS)


def _themes(data: dict, actions: list[ActionLine]) -> tuple[ThemeRow, ...]:
    names = [t["name"] for t in data.get("themes") or ()]
    for a in actions:  # an action whose theme is not listed still counts
        if a.theme not in names:
            names.append(a.theme)
    return tuple(
        ThemeRow(name, _rag_counts(a for a in actions if a.theme == name))
        for name in names
        if any(a.theme == name for a in actions)
    )


def _match(previous: dict | None) -> tuple[dict, dict]:
    if not previous:
        return {}, {}
    by_id = {a["id"]: a for a in previous.get("actions") or () if a.get("id") is not None}
    by_ref = {a["ref"].casefold(): a for a in previous.get("actions") or ()}
    return by_id, by_ref


def changes_since(
    current: dict, previous: dict | None, since: str | None, lines: list[ActionLine]
) -> Changes:
    """Compare two exports action by action (by id, else by ref: a new version of the plan)."""
    if previous is None:
        return Changes(since=None)
    by_id, by_ref = _match(previous)
    # A ref is only a fallback: an earlier action still matched by its id is not another's.
    current_ids = {a.get("id") for a in current["actions"]} - {None}
    seen: set[int] = set()
    completed, red, slipped, added = [], [], [], []
    for line, a in zip(lines, current["actions"], strict=True):
        before = by_id.get(a.get("id"))
        if before is None:
            before = by_ref.get(a["ref"].casefold())
            if before is not None and before.get("id") in current_ids:
                before = None
        if before is None:
            added.append(Change(line, "", line.status_label))
            continue
        seen.add(id(before))
        if a["status"] == "complete" and before["status"] != "complete":
            completed.append(Change(line, STATUS_LABELS[before["status"]], line.status_label))
        if a.get("rag") == "red" and before.get("rag") != "red":
            red.append(Change(line, RAG_LABELS.get(before.get("rag"), "Not rated"), "Red"))
        old, new = day(before.get("due")), day(a.get("due"))
        if old and new and new > old:
            known = {(c.get("changed_at"), c.get("new_due")) for c in before.get("due_changes", ())}
            reasons = tuple(
                c["reason"]
                for c in a.get("due_changes") or ()
                if (c.get("changed_at"), c.get("new_due")) not in known and c.get("reason")
            )
            slipped.append(
                Change(line, before.get("due_text") or when(old), line.due_label, reasons)
            )
    retired = [
        Change(action_line(a), STATUS_LABELS.get(a["status"], a["status"]), "Retired")
        for a in previous.get("actions") or ()
        if id(a) not in seen
    ]
    return Changes(
        since, tuple(completed), tuple(red), tuple(slipped), tuple(added), tuple(retired)
    )


def _requirements(
    asked: Iterable[RequirementInput], narrative: Narrative, sections: Iterable[Section]
) -> tuple[Requirement, ...]:
    covered = {topic: f"the section '{s.title}' covers it." for s in sections for topic in s.topics}
    out = []
    for r in asked:
        how = narrative.addressed.get(r.id, "").strip() if r.id is not None else ""
        if how:
            out.append(Requirement(r.id, r.topic, r.text, r.asked_by, True, how))
        elif r.topic in TOPICS_ALWAYS_COVERED:
            out.append(Requirement(r.id, r.topic, r.text, r.asked_by, True,
                                   TOPICS_ALWAYS_COVERED[r.topic]))  # fmt: skip
        elif r.topic in covered:
            out.append(Requirement(r.id, r.topic, r.text, r.asked_by, True, covered[r.topic]))
        else:
            missing = (
                "Not met: no section of the pack provides it yet. Say in the report's "
                "narrative how it is met, or add the section that gives it."
            )
            out.append(Requirement(r.id, r.topic, r.text, r.asked_by, False, missing))
    return tuple(out)


def build_report(
    current: dict,
    *,
    as_of: dt.date,
    committee: str,
    meeting_date: dt.date | None = None,
    meeting_status: str = "",
    author_role: str = "",
    previous: dict | None = None,
    previous_label: str | None = None,
    narrative: Narrative | None = None,
    requirements: Iterable[RequirementInput] = (),
    sections: Iterable[Section] = (),
) -> Report:
    """The report for ``current`` (a plan export), compared with ``previous`` (the last issued
    report's snapshot, or None when there is none)."""
    narrative = narrative or Narrative()
    sections = tuple(sections)
    lines = [action_line(a) for a in current["actions"]]
    recommendations = tuple(_recommendation(r) for r in current.get("recommendations") or ())
    requests = [_request(q) for q in current.get("information_requests") or ()]
    strategy = current["strategy"]
    title = f"{strategy['title']}: progress report"
    return Report(
        title=title,
        strategy=strategy["title"],
        strategy_slug=strategy.get("slug", ""),
        illustrative=bool(strategy.get("illustrative")),
        committee=committee,
        meeting_date=meeting_date,
        meeting_status=meeting_status,
        author_role=author_role,
        as_of=as_of,
        version_name=(current.get("version") or {}).get("name", ""),
        narrative=narrative,
        rag_counts=_rag_counts(lines),
        themes=_themes(current, lines),
        changes=changes_since(current, previous, previous_label, lines),
        red_or_overdue=tuple(a for a in lines if a.rag == "red" or "overdue" in a.flags),
        without_owner_or_timescale=tuple(
            a for a in lines if {"missing-owner", "missing-timescale"} & set(a.flags)
        ),
        completed=tuple(a for a in lines if a.status == "complete"),
        in_progress=tuple(a for a in lines if a.status == "in_progress"),
        slipped=tuple(a for a in lines if a.times_slipped or "slipped" in a.flags),
        recommendations=recommendations,
        requests_answered=tuple(q for q in requests if q.answered),
        requests_outstanding=tuple(q for q in requests if not q.answered),
        requirements=_requirements(requirements, narrative, sections),
        sections=sections,
        actions=tuple(lines),
    )
