"""Load the demo's scrutiny record (``demo_data``) for the demo strategy. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from caring.accounts.models import Organisation, User
from caring.governance import demo_data as data
from caring.governance import services
from caring.governance.models import (
    Body,
    InformationRequest,
    Meeting,
    ReportRequirement,
    Resolution,
)
from caring.plans.models import Strategy


def governance_delete(strategy: Strategy) -> None:
    """Delete a strategy's scrutiny records (bodies are shared, so they stay)."""
    ReportRequirement.objects.filter(resolution__strategy=strategy).delete()
    Resolution.objects.filter(strategy=strategy).delete()
    InformationRequest.objects.filter(strategy=strategy).delete()
    Meeting.objects.filter(strategy=strategy).delete()


@transaction.atomic
def governance_demo_load(*, strategy: Strategy, lead: User, organisations_by_key: dict) -> bool:
    """Load the demo meetings for ``strategy``; False if it already has meetings."""
    if Meeting.objects.filter(strategy=strategy).exists():
        return False
    orgs = organisations_by_key
    bodies = {}
    for key, (name, short, kind, org, purpose, terms) in data.BODIES.items():
        body = Body.objects.filter(name=name).first()
        if body is None:
            title, agreed, review = terms or ("", None, None)
            body = services.body_create(
                name=name, short_name=short, kind=kind, organisation=orgs.get(org),
                purpose=purpose, terms_title=title, terms_agreed=agreed,
                terms_next_review=review, is_illustrative=True, by=lead,
            )  # fmt: skip
            for role, org_key, position in data.MEMBERS.get(key, []):
                services.body_member_add(
                    body=body, role=role, organisation=orgs.get(org_key), position=position
                )
        bodies[key] = body
    meetings = {}
    for key, spec in data.MEETINGS.items():
        meeting = services.meeting_create(
            strategy=strategy, body=bodies[spec["body"]], date=spec["date"],
            status=spec["status"], status_reason=spec.get("status_reason", ""),
            minute_ref=spec.get("minute_ref", ""), notes=spec["notes"],
            is_illustrative=spec["illustrative"], by=lead,
        )  # fmt: skip
        for title, minute, presenters in spec.get("agenda", []):
            services.agenda_item_add(
                meeting=meeting, title=title, minute_ref=minute, presenters=presenters
            )
        meetings[key] = meeting
    _next_meeting(strategy, bodies["hsc"], lead)
    actions = {a.ref: a for a in strategy.versions.get(is_current=True).actions.all()}
    for meeting_key, number, kind, text, illustrative, details in data.RESOLUTIONS:
        response = details.get("response")
        resolution = services.resolution_create(
            meeting=meetings[meeting_key], number=number, kind=kind, text=text,
            is_illustrative=illustrative, lead_role=details.get("lead", ""),
            organisations=[orgs[k] for k in details.get("orgs", [])],
            due_text=details.get("due", ""),
            response=response[0] if response else "",
            response_date=response[1] if response else None,
            response_text=response[2] if response else "",
            actions=[actions[ref] for ref in details.get("actions", [])], by=lead,
        )  # fmt: skip
        for day, narrative, status, rag, evidence, new_due, reason in details.get("updates", []):
            services.resolution_update_post(
                resolution=resolution, by=lead, narrative=narrative, status=status, rag=rag,
                evidence=evidence, new_due_text=new_due, due_reason=reason,
                reported_on=dt.date.fromisoformat(day),
            )  # fmt: skip
        if "signed_off" in details:
            at, note = details["signed_off"]
            services.resolution_sign_off(resolution=resolution, meeting=meetings[at], note=note)
        if "requirement" in details:
            topic, words = details["requirement"]
            services.requirement_add(resolution=resolution, topic=topic, text=words)
    for spec in data.REQUESTS:
        (meeting_key, asked_by, question, answerer, org_keys, due, outside, in_meeting, answer,
         answered_on, refs, illustrative) = spec  # fmt: skip
        request = services.information_request_create(
            meeting=meetings[meeting_key], asked_by=asked_by, question=question,
            answerer_role=answerer, organisations=[orgs[k] for k in org_keys], due_text=due,
            offered_outside_meeting=outside, answered_in_meeting=in_meeting,
            answer=answer if in_meeting else "", actions=[actions[r] for r in refs],
            is_illustrative=illustrative, by=lead,
        )  # fmt: skip
        if answered_on:
            services.information_request_answer(
                request=request, answer=answer, answered_on=answered_on, by=lead
            )
    return True


def next_meeting_date(today: dt.date) -> dt.date:
    """The demo's next committee meeting: the first Thursday at least six weeks away."""
    day = today + dt.timedelta(weeks=6)
    return day + dt.timedelta(days=(3 - day.weekday()) % 7)


def _next_meeting(strategy: Strategy, body: Body, lead: User) -> None:
    """A scheduled meeting, so the demo has a next report to prepare."""
    services.meeting_create(
        strategy=strategy, body=body, date=next_meeting_date(timezone.localdate()),
        status="scheduled", is_illustrative=True, by=lead,
        notes="Illustrative: the date is set six weeks after the demo was loaded, so that there "
        "is a next meeting to prepare the progress report for.",
    )  # fmt: skip


def organisations_by_key(keys: dict) -> dict:
    names = {key: spec[0] for key, spec in keys.items()}
    found = {o.name: o for o in Organisation.objects.filter(name__in=names.values())}
    return {key: found[name] for key, name in names.items() if name in found}
