"""Reads of scrutiny records for the pages, the tracker, its downloads and the JSON export.

Each read makes a fixed number of queries: the items, then their children prefetched.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from caring.governance.choices import TRACKED_KINDS, MeetingStatus, Response
from caring.governance.due_text import municipal_year, municipal_year_label
from caring.governance.models import (
    Body,
    InformationRequest,
    Meeting,
    ReportRequirement,
    Resolution,
    ResolutionUpdate,
)
from caring.governance.tracking import (
    ItemAssessment,
    ItemFacts,
    RequestAssessment,
    RequestFacts,
    assess_item,
    assess_request,
)
from caring.plans.models import Action, Strategy
from caring.plans.selectors import rag_config

STATE_CHOICES = [
    ("open", "Open (not yet signed off)"),
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("on_hold", "On hold"),
    ("complete", "Complete, awaiting sign-off"),
    ("signed_off", "Signed off"),
    ("not_accepted", "Not accepted"),
]


def resolutions_with_children(queryset: QuerySet[Resolution]) -> QuerySet[Resolution]:
    return (
        queryset.select_related("meeting__body", "signed_off_at__body", "lead_person")
        .prefetch_related(
            "organisations",
            Prefetch("actions", queryset=Action.objects.select_related("version").order_by("ref")),
            "requirements",
            Prefetch(
                "updates",
                queryset=ResolutionUpdate.objects.select_related("author").order_by(
                    "reported_on", "id"
                ),
            ),
        )
        .annotate(
            evidence_count=Count(
                "updates",
                filter=~Q(updates__evidence="") | ~Q(updates__evidence_url=""),
                distinct=True,
            )
        )
    )


def item_facts(resolution: Resolution) -> ItemFacts:
    evidence = getattr(resolution, "evidence_count", None)
    if evidence is None:
        evidence = resolution.updates.exclude(evidence="", evidence_url="").count()
    return ItemFacts(
        kind=resolution.kind,
        meeting_date=resolution.meeting.date,
        status=resolution.status,
        rag=resolution.rag or None,
        due=resolution.due,
        has_lead=bool(resolution.lead_person_id or resolution.lead_role),
        response=resolution.response,
        signed_off=resolution.signed_off_at_id is not None,
        evidence_count=evidence,
        last_activity=resolution.last_update_on,
        times_slipped=resolution.times_slipped,
        due_unreadable=False,
    )


@dataclass
class Item:
    resolution: Resolution
    assessment: ItemAssessment

    @property
    def flags(self):
        return self.assessment.flags

    @property
    def state_label(self) -> str:
        r, a = self.resolution, self.assessment
        if a.state == "closed: signed off":
            return "Signed off"
        if a.state == "closed: not accepted":
            return "Not accepted"
        if a.state == "recorded":
            return r.get_kind_display()
        if r.status == "complete":
            return "Complete, awaiting sign-off"
        return r.get_status_display()


def assess(resolution: Resolution, today: dt.date) -> Item:
    return Item(resolution, assess_item(item_facts(resolution), today=today, config=rag_config()))


def municipal_years(strategy: Strategy) -> list[str]:
    days = Meeting.objects.filter(strategy=strategy, resolutions__isnull=False).dates("date", "day")
    return sorted({municipal_year_label(d) for d in days}, reverse=True)


def _year_range(label: str) -> tuple[dt.date, dt.date] | None:
    try:
        first = int(label[:4])
    except ValueError:
        return None
    return municipal_year(dt.date(first, 6, 1))


def tracker(
    *,
    strategy: Strategy,
    today: dt.date,
    body: int | None = None,
    year: str | None = None,
    state: str | None = None,
    rag: str | None = None,
    flag: str | None = None,
    text: str = "",
    tracked_only: bool = True,
) -> list[Item]:
    """The recommendations tracker: tracked items, filtered, oldest meeting first."""
    items = Resolution.objects.filter(strategy=strategy)
    if tracked_only:
        items = items.filter(kind__in=TRACKED_KINDS)
    if body:
        items = items.filter(meeting__body_id=body)
    if year and (span := _year_range(year)):
        items = items.filter(meeting__date__range=span)
    if rag is not None:
        items = items.filter(rag=rag)
    if text:
        items = items.filter(Q(text__icontains=text) | Q(ref__icontains=text))
    assessed = [assess(r, today) for r in resolutions_with_children(items)]
    if state:
        assessed = [i for i in assessed if _in_state(i, state)]
    if flag:
        assessed = [i for i in assessed if flag in i.assessment.flag_names]
    return assessed


def _in_state(item: Item, state: str) -> bool:
    a, r = item.assessment, item.resolution
    if state == "open":
        return a.is_open
    if state == "signed_off":
        return a.state == "closed: signed off"
    if state == "not_accepted":
        return a.state == "closed: not accepted"
    return a.is_open and r.status == state


@dataclass
class TrackerSummary:
    total: int = 0
    open: int = 0
    signed_off: int = 0
    responses: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)

    @property
    def implemented(self) -> int:
        return self.signed_off


def summarise(items: list[Item]) -> TrackerSummary:
    summary = TrackerSummary()
    for item in items:
        r = item.resolution
        summary.total += 1
        summary.open += item.assessment.is_open
        summary.signed_off += item.assessment.state == "closed: signed off"
        if r.kind == "recommendation":
            summary.responses[r.response or "awaited"] += 1
        summary.flags.update(item.assessment.flag_names)
    return summary


def request_facts(request: InformationRequest) -> RequestFacts:
    return RequestFacts(
        meeting_date=request.meeting.date,
        due=request.due,
        answered_on=request.answered_on,
        answered_in_meeting=request.answered_in_meeting,
    )


@dataclass
class RequestItem:
    request: InformationRequest
    assessment: RequestAssessment

    @property
    def flags(self):
        return self.assessment.flags


def information_requests(
    *, strategy: Strategy, today: dt.date, body: int | None = None, outstanding: bool = False
) -> list[RequestItem]:
    requests = (
        InformationRequest.objects.filter(strategy=strategy)
        .select_related("meeting__body")
        .prefetch_related("organisations", "actions")
    )
    if body:
        requests = requests.filter(meeting__body_id=body)
    items = [RequestItem(r, assess_request(request_facts(r), today=today)) for r in requests]
    if outstanding:
        items = [i for i in items if i.assessment.state == "awaiting answer"]
    return items


def meetings(*, strategy: Strategy) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(strategy=strategy)
        .select_related("body")
        .annotate(
            resolution_count=Count("resolutions", distinct=True),
            request_count=Count("information_requests", distinct=True),
        )
        .order_by("-date", "body__name")
    )


def meeting_detail(*, strategy: Strategy, pk: int) -> Meeting:
    return (
        Meeting.objects.filter(strategy=strategy)
        .select_related("body")
        .prefetch_related("agenda_items", "papers")
        .get(pk=pk)
    )


def next_meeting(*, strategy: Strategy, body: Body, today: dt.date) -> Meeting | None:
    return (
        Meeting.objects.filter(
            strategy=strategy, body=body, date__gte=today, status=MeetingStatus.SCHEDULED
        )
        .order_by("date")
        .first()
    )


def requirements_outstanding(*, strategy: Strategy, body: Body | None = None):
    """What the next report to a body must contain and has not yet: for the report pack."""
    requirements = ReportRequirement.objects.filter(
        resolution__strategy=strategy, met_at__isnull=True
    ).select_related("body", "resolution__meeting__body")
    if body is not None:
        requirements = requirements.filter(body=body)
    return list(requirements.order_by("due", "id"))


def bodies_for(*, strategy: Strategy) -> QuerySet[Body]:
    """Bodies that have met about the strategy, or that have no meetings yet."""
    return Body.objects.filter(Q(meetings__strategy=strategy) | Q(meetings__isnull=True)).distinct()


def awaiting_response_count(items: list[Item]) -> int:
    return sum(
        1
        for i in items
        if i.resolution.kind == "recommendation"
        and i.resolution.response == Response.AWAITED
        and i.assessment.is_open
    )
