"""Reads for the report pack: which meeting a report is for, what came before, what is asked."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from caring.governance.choices import BodyKind, MeetingStatus
from caring.governance.models import Body, Meeting, ReportRequirement
from caring.plans.models import Strategy
from caring.reports.models import IssuedReport, ReportNarrative


def scrutiny_body(*, strategy: Strategy) -> Body | None:
    """The committee the strategy reports to: the scrutiny body that met about it last."""
    meeting = (
        Meeting.objects.filter(strategy=strategy, body__kind=BodyKind.SCRUTINY)
        .select_related("body")
        .order_by("-date", "-id")
        .first()
    )
    return meeting.body if meeting else None


def default_meeting(*, strategy: Strategy, today: dt.date) -> Meeting | None:
    """The next scheduled meeting of the strategy's scrutiny body that has no report issued for
    it yet: once the report to a meeting is issued, the next report is for the one after (to
    correct an issued report, choose its meeting again)."""
    body = scrutiny_body(strategy=strategy)
    if body is None:
        return None
    return (
        Meeting.objects.filter(
            strategy=strategy, body=body, date__gte=today, status=MeetingStatus.SCHEDULED
        )
        .exclude(issued_reports__isnull=False)
        .select_related("body")
        .order_by("date")
        .first()
    )


def meetings_on(*, strategy: Strategy, day: dt.date) -> list[Meeting]:
    """The strategy's meetings on ``day``, the scrutiny body's first."""
    found = Meeting.objects.filter(strategy=strategy, date=day).select_related("body")
    return sorted(found, key=lambda m: (m.body.kind != BodyKind.SCRUTINY, m.body.name))


def report_meetings(*, strategy: Strategy) -> QuerySet[Meeting]:
    """Meetings a report can be prepared for: scheduled or held, newest first."""
    return (
        Meeting.objects.filter(
            strategy=strategy, status__in=(MeetingStatus.SCHEDULED, MeetingStatus.HELD)
        )
        .select_related("body")
        .order_by("-date", "body__name")
    )


def previous_issued(
    *, strategy: Strategy, meeting: Meeting | None, before: dt.datetime
) -> IssuedReport | None:
    """The report the committee last received before this one: issued before ``before``, for
    an earlier meeting (or, for a report with no meeting yet, for any meeting)."""
    reports = IssuedReport.objects.filter(strategy=strategy, issued_at__lt=before)
    if meeting is not None:
        reports = reports.filter(meeting__date__lt=meeting.date)
    return reports.select_related("meeting__body").order_by("-issued_at", "-id").first()


def issued_reports(*, strategy: Strategy) -> QuerySet[IssuedReport]:
    return (
        IssuedReport.objects.filter(strategy=strategy)
        .select_related("meeting__body", "issued_by")
        .prefetch_related("files")
        .defer("snapshot", "files__content")
        .order_by("-issued_at", "-id")
    )


def issued_report(*, strategy: Strategy, pk: int) -> IssuedReport:
    return IssuedReport.objects.select_related("meeting__body", "previous__meeting").get(
        strategy=strategy, pk=pk
    )


def requirements_for(*, strategy: Strategy, meeting: Meeting | None) -> list[ReportRequirement]:
    """What a report to ``meeting`` must contain: requirements on its body asked at earlier
    meetings, not yet met (or met by a report to this very meeting, when it is reissued)."""
    body = meeting.body if meeting else scrutiny_body(strategy=strategy)
    if body is None:
        return []
    found = ReportRequirement.objects.filter(resolution__strategy=strategy, body=body)
    if meeting is not None:
        found = found.filter(resolution__meeting__date__lt=meeting.date).filter(
            Q(met_at__isnull=True) | Q(met_at=meeting)
        )
    else:
        found = found.filter(met_at__isnull=True)
    return list(found.select_related("resolution").order_by("due", "id"))


def narrative_for(*, strategy: Strategy, meeting: Meeting | None) -> ReportNarrative | None:
    if meeting is None:  # a narrative is written for a meeting
        return None
    return ReportNarrative.objects.filter(strategy=strategy, meeting=meeting).first()
