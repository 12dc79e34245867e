"""The scrutiny part of the plan's open-data JSON (``docs/export-json.md``): bodies, meetings,
recommendations, information requests and what the next report must contain.

People appear only by role. A fixed number of queries, whatever the number of items.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from caring.governance import selectors
from caring.governance.models import Body, BodyMember, Meeting, ReportRequirement, Resolution
from caring.plans.models import Strategy

GOVERNANCE_KEYS = (
    "bodies", "meetings", "recommendations", "information_requests", "report_requirements",
)  # fmt: skip
RECOMMENDATION_KEYS = (
    "ref", "meeting", "body", "number", "kind", "text", "illustrative", "response",
    "response_date", "response_text", "lead", "organisations", "status", "rag",
    "suggested_rag", "flags", "due", "due_text", "original_due", "times_slipped", "actions",
    "signed_off", "updates",
)  # fmt: skip
MEETING_KEYS = (
    "body", "date", "status", "status_reason", "rearranged_for", "minute_ref", "notes",
    "illustrative", "agenda", "papers", "resolutions",
)  # fmt: skip
INFORMATION_REQUEST_KEYS = (
    "ref", "meeting", "body", "asked_by", "question", "to_answer", "organisations", "due",
    "due_text", "offered_outside_meeting", "answered_in_meeting", "answer", "answered_on",
    "flags", "actions",
)  # fmt: skip


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def governance_export(*, strategy: Strategy, today: dt.date) -> dict:
    meetings = list(
        Meeting.objects.filter(strategy=strategy)
        .select_related("body")
        .prefetch_related("agenda_items", "papers", "resolutions")
        .order_by("date", "body__name")
    )
    body_ids = {m.body_id for m in meetings}
    bodies = (
        Body.objects.filter(pk__in=body_ids)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=BodyMember.objects.filter(left__isnull=True).select_related(
                    "organisation"
                ),
            )
        )
    )
    items = [
        selectors.assess(r, today)
        for r in selectors.resolutions_with_children(
            Resolution.objects.filter(
                strategy=strategy, kind__in=("recommendation", "future_report")
            )
        )
    ]
    requests = selectors.information_requests(strategy=strategy, today=today)
    return {
        "bodies": [_body(b) for b in bodies],
        "meetings": [_meeting(m) for m in meetings],
        "recommendations": [_recommendation(i) for i in items],
        "information_requests": [_request(i, today) for i in requests],
        "report_requirements": [
            {
                "body": q.body.name,
                "resolution": q.resolution.ref,
                "topic": q.topic,
                "text": q.text,
                "due": _day(q.due),
                "met_at": _day(q.met_at.date) if q.met_at_id else None,
            }
            for q in ReportRequirement.objects.filter(resolution__strategy=strategy)
            .select_related("body", "resolution", "met_at")
            .order_by("due", "id")
        ],
    }


def _body(body: Body) -> dict:
    return {
        "name": body.name,
        "short_name": body.short_name,
        "kind": body.kind,
        "organisation": body.organisation.name if body.organisation_id else None,
        "terms_of_reference": {
            "title": body.terms_title,
            "url": body.terms_url,
            "agreed": _day(body.terms_agreed),
            "next_review": _day(body.terms_next_review),
        },
        "members": [
            {
                "role": m.role,
                "organisation": m.organisation.name if m.organisation_id else None,
                "position": m.position,
            }
            for m in body.members.all()
        ],
        "illustrative": body.is_illustrative,
    }


def _meeting(meeting: Meeting) -> dict:
    return {
        "body": meeting.body.name,
        "date": _day(meeting.date),
        "status": meeting.status,
        "status_reason": meeting.status_reason,
        "rearranged_for": _day(meeting.rearranged_for),
        "minute_ref": meeting.minute_ref,
        "notes": meeting.notes,
        "illustrative": meeting.is_illustrative,
        "agenda": [
            {
                "number": a.number,
                "title": a.title,
                "minute_ref": a.minute_ref,
                "presenters": a.presenter_list,
            }
            for a in meeting.agenda_items.all()
        ],  # fmt: skip
        "papers": [{"title": p.title, "url": p.url} for p in meeting.papers.all()],
        "resolutions": [
            {"number": r.number, "ref": r.ref, "kind": r.kind, "text": r.text}
            for r in sorted(meeting.resolutions.all(), key=lambda r: r.number)
        ],
    }


def _recommendation(item: selectors.Item) -> dict:
    r = item.resolution
    return {
        "ref": r.ref,
        "meeting": _day(r.meeting.date),
        "body": r.meeting.body.name,
        "number": r.number,
        "kind": r.kind,
        "text": r.text,
        "illustrative": r.is_illustrative,
        "response": (r.response or None) if r.kind == "recommendation" else None,
        "response_date": _day(r.response_date),
        "response_text": r.response_text,
        "lead": r.lead_role or (r.lead_person.job_title if r.lead_person_id else ""),
        "organisations": sorted(o.name for o in r.organisations.all()),
        "status": "signed_off" if r.signed_off_at_id else r.status,
        "rag": r.rag or None,
        "suggested_rag": item.assessment.suggestion.rag,
        "flags": item.assessment.flag_names,
        "due": _day(r.due),
        "due_text": r.due_text,
        "original_due": _day(r.original_due),
        "times_slipped": r.times_slipped,
        "actions": [a.ref for a in r.actions.all()],
        "signed_off": {
            "meeting": _day(r.signed_off_at.date),
            "body": r.signed_off_at.body.name,
            "note": r.signed_off_note,
        }
        if r.signed_off_at_id
        else None,
        "updates": [
            {
                "date": _day(u.reported_on),
                "author": u.author.job_title if u.author_id else "",
                "narrative": u.narrative,
                "status": u.status,
                "rag": u.rag or None,
                "evidence": u.evidence,
            }
            for u in sorted(r.updates.all(), key=lambda u: (u.reported_on, u.pk))
        ],
    }


def _request(item: selectors.RequestItem, today: dt.date) -> dict:
    q = item.request
    return {
        "ref": q.ref,
        "meeting": _day(q.meeting.date),
        "body": q.meeting.body.name,
        "asked_by": q.asked_by,
        "question": q.question,
        "to_answer": q.answerer_role,
        "organisations": sorted(o.name for o in q.organisations.all()),
        "due": _day(q.due),
        "due_text": q.due_text,
        "offered_outside_meeting": q.offered_outside_meeting,
        "answered_in_meeting": q.answered_in_meeting,
        "answer": q.answer,
        "answered_on": _day(q.answered_on),
        "flags": item.assessment.flag_names,
        "actions": sorted(a.ref for a in q.actions.all()),
    }
