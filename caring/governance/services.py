"""Every write to scrutiny and governance records. Each service validates, refuses with a message
that names the field, and saves all or nothing (keyword arguments only).

Dates of meetings and responses must be real days ("30/11/2017", "30 November 2017" or a
``datetime.date``); due dates may be written as committees write them ("during the 2018/19
Municipal Year", "in 12 months"), read against the meeting's date and kept as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from caring.governance.choices import (
    TRACKED_KINDS,
    BodyKind,
    MeetingStatus,
    Position,
    RequirementTopic,
    ResolutionKind,
    Response,
)
from caring.governance.due_text import parse_due_text
from caring.governance.limits import REF_LENGTH
from caring.governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    InformationRequest,
    Meeting,
    Paper,
    ReportRequirement,
    Resolution,
    ResolutionUpdate,
)
from caring.plans.choices import ActionStatus, Rag
from caring.plans.dates import DateKind, parse_council_date
from caring.plans.models import Action, Strategy
from caring.plans.rag import completion_problem, format_date
from caring.plans.services import ConflictError
from caring.plans.services.base import fits

DAY_HINT = "Give the date as a day, for example 30/11/2017 or 30 November 2017."


def read_day(value: object, *, field: str, label: str, required: bool = True) -> dt.date | None:
    """A real day, or a ValidationError naming ``field``: '31/02/2018' is not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError({field: f"Enter the {label}. {DAY_HINT}"})
        return None
    parsed = parse_council_date(text)
    if parsed.kind != DateKind.EXACT or parsed.first is None:
        raise ValidationError({field: f"The {label} '{text}' is not a real date. {DAY_HINT}"})
    return parsed.first


def _by(instance, by) -> None:
    if by is not None:
        instance._history_user = by


def _claim(model, instance, expected: int | None, what: str) -> None:
    """Claim the next revision of ``instance`` or refuse: concurrent edits never overwrite."""
    expected = instance.revision if expected is None else expected
    claimed = model.objects.filter(pk=instance.pk, revision=expected).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise ConflictError(
            f"{what} was changed by someone else after you opened it. Nothing you entered has "
            "been saved: reload it to see their change, then make yours again."
        )
    instance.revision = expected + 1


# --- bodies ------------------------------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    name: str,
    kind: str = BodyKind.SCRUTINY,
    short_name: str = "",
    slug: str = "",
    organisation=None,
    purpose: str = "",
    terms_title: str = "",
    terms_url: str = "",
    terms_agreed: object = None,
    terms_next_review: object = None,
    is_illustrative: bool = False,
    by=None,
) -> Body:
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": "Enter the body's name, for example Health Select Commission."}
        )
    if kind not in BodyKind.values:
        raise ValidationError({"kind": f"{kind!r} is not a type of body."})
    if Body.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a body called {name}."})
    slug = slugify(slug or name)[:80]
    if Body.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The short name {slug} is already used by another body."})
    agreed = read_day(
        terms_agreed, field="terms_agreed", label="date the terms were agreed", required=False
    )
    review = read_day(
        terms_next_review, field="terms_next_review", label="next review date", required=False
    )
    if agreed and review and review < agreed:
        raise ValidationError(
            {
                "terms_next_review": "The next review of the terms of reference is before "
                "they were agreed."
            }
        )
    body = Body(
        name=name,
        slug=slug,
        kind=kind,
        short_name=short_name.strip(),
        organisation=organisation,
        purpose=purpose,
        terms_title=terms_title.strip(),
        terms_url=terms_url.strip(),
        terms_agreed=agreed,
        terms_next_review=review,
        is_illustrative=is_illustrative,
    )
    body.full_clean(exclude=["organisation"])
    _by(body, by)
    fits(body)
    body.save()
    return body


@transaction.atomic
def body_member_add(
    *,
    body: Body,
    role: str,
    organisation=None,
    person=None,
    position: str = Position.MEMBER,
    by=None,
) -> BodyMember:
    role = (role or "").strip()
    if not role:
        raise ValidationError({"role": "Enter the member's role, for example 'Carers Lead'."})
    if position not in Position.values:
        raise ValidationError({"position": f"{position!r} is not a position on a body."})
    member = BodyMember(
        body=body, role=role, organisation=organisation, person=person, position=position
    )
    _by(member, by)
    fits(member)
    member.save()
    return member


# --- meetings ----------------------------------------------------------------------------------


def _meeting_checks(status: str, reason: str) -> None:
    if status not in MeetingStatus.values:
        raise ValidationError({"status": f"{status!r} is not a meeting status."})
    if status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED) and not reason.strip():
        word = "postponed" if status == MeetingStatus.POSTPONED else "cancelled"
        raise ValidationError({"status_reason": f"Say why the meeting was {word}."})


@transaction.atomic
def meeting_create(
    *,
    strategy: Strategy,
    body: Body,
    date: object,
    status: str = MeetingStatus.SCHEDULED,
    status_reason: str = "",
    rearranged_for: object = None,
    minute_ref: str = "",
    notes: str = "",
    is_illustrative: bool = False,
    by=None,
) -> Meeting:
    day = read_day(date, field="date", label="meeting date")
    _meeting_checks(status, status_reason)
    if status == MeetingStatus.HELD and day > timezone.localdate():
        raise ValidationError(
            {"status": f"A meeting on {format_date(day)} cannot have been held yet."}
        )
    later = read_day(rearranged_for, field="rearranged_for", label="new date", required=False)
    if later and later <= day:
        raise ValidationError({"rearranged_for": "The new date must be after the original date."})
    if Meeting.objects.filter(strategy=strategy, body=body, date=day).exists():
        raise ValidationError(
            {"date": f"{body.name} already has a meeting on {format_date(day)} for this strategy."}
        )
    meeting = Meeting(
        strategy=strategy,
        body=body,
        date=day,
        status=status,
        status_reason=status_reason.strip() if status not in ("scheduled", "held") else "",
        rearranged_for=later,
        minute_ref=minute_ref.strip(),
        notes=notes,
        is_illustrative=is_illustrative,
    )
    _by(meeting, by)
    fits(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_edit(
    *,
    meeting: Meeting,
    status: str,
    status_reason: str = "",
    rearranged_for: object = None,
    minute_ref: str = "",
    notes: str = "",
    by=None,
) -> Meeting:
    _meeting_checks(status, status_reason)
    if status == MeetingStatus.HELD and meeting.date > timezone.localdate():
        raise ValidationError(
            {"status": f"A meeting on {format_date(meeting.date)} cannot have been held yet."}
        )
    later = read_day(rearranged_for, field="rearranged_for", label="new date", required=False)
    if later and later <= meeting.date:
        raise ValidationError({"rearranged_for": "The new date must be after the original date."})
    meeting.status = status
    meeting.status_reason = status_reason.strip() if status not in ("scheduled", "held") else ""
    meeting.rearranged_for = later
    meeting.minute_ref = minute_ref.strip()
    meeting.notes = notes
    _by(meeting, by)
    fits(meeting)
    meeting.save()
    if status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED):
        # The report issued for it was never received: what it met is outstanding again.
        ReportRequirement.objects.filter(met_at=meeting).update(met_at=None, met_note="")
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, minute_ref: str = "", presenters: Iterable[str] = (),
    summary: str = "", by=None,
) -> AgendaItem:  # fmt: skip
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the agenda item's title."})
    number = (meeting.agenda_items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        number=number,
        title=title,
        minute_ref=minute_ref.strip(),
        presenters="\n".join(p.strip() for p in presenters if p.strip()),
        summary=summary,
    )
    _by(item, by)
    fits(item)
    item.save()
    return item


@transaction.atomic
def paper_add(*, meeting: Meeting, title: str, url: str = "", by=None) -> Paper:
    title, url = (title or "").strip(), (url or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the paper's title."})
    if not url:
        raise ValidationError({"url": "Give a link to the paper."})
    paper = Paper(meeting=meeting, title=title, url=url)
    paper.full_clean(exclude=["meeting", "file"])
    _by(paper, by)
    fits(paper)
    paper.save()
    return paper


# --- resolutions -------------------------------------------------------------------------------


def _due(text: str, meeting: Meeting, field: str = "due_text") -> tuple[dt.date | None, str]:
    reading = parse_due_text(text, meeting=meeting.date)
    if not reading.readable:
        raise ValidationError(
            {
                field: f"The due date '{reading.text}' could not be read. Give a date "
                "(31/03/2019), a period (Q3 2018/19, during the 2018/19 municipal year) or a "
                "time after the meeting (in 12 months)."
            }
        )
    if reading.due and reading.due < meeting.date:
        raise ValidationError(
            {
                field: f"The due date ({format_date(reading.due)}) is before the meeting of "
                f"{format_date(meeting.date)}."
            }
        )
    return reading.due, reading.text


def default_ref(meeting: Meeting, number: int) -> str:
    return f"{meeting.body.ref_prefix} {meeting.date.isoformat()}/{number}"


@transaction.atomic
def resolution_create(
    *,
    meeting: Meeting,
    text: str,
    kind: str,
    number: int | None = None,
    ref: str = "",
    lead_role: str = "",
    lead_person=None,
    organisations: Iterable = (),
    due_text: str = "",
    response: str = Response.AWAITED,
    response_date: object = None,
    response_text: str = "",
    status: str = ActionStatus.NOT_STARTED,
    rag: str = Rag.NOT_RATED,
    is_illustrative: bool = False,
    actions: Iterable[Action] = (),
    by=None,
) -> Resolution:
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Enter what the meeting resolved, as the minutes give it."
    if kind not in ResolutionKind.values:
        errors["kind"] = f"{kind!r} is not a kind of resolution."
    if status not in ActionStatus.values:
        errors["status"] = f"{status!r} is not a status."
    if rag not in Rag.values:
        errors["rag"] = f"{rag!r} is not a RAG rating."
    if status == ActionStatus.COMPLETE:
        errors["status"] = (
            "A new item cannot start as complete: post a progress update with its evidence."
        )
    if number is None:
        number = (meeting.resolutions.aggregate(n=Max("number"))["n"] or 0) + 1
    elif meeting.resolutions.filter(number=number).exists():
        errors["number"] = f"The meeting already has a resolution ({number})."
    ref = (ref or "").strip() or default_ref(meeting, number)
    if len(ref) > REF_LENGTH:
        errors["ref"] = (
            f"A reference can be at most {REF_LENGTH} characters; {ref!r} is {len(ref)}."
        )
    elif Resolution.objects.filter(strategy=meeting.strategy, ref=ref).exists():
        errors["ref"] = f"Reference {ref} is already used by another item of this strategy."
    if errors:
        raise ValidationError(errors)
    due, written = _due(due_text, meeting)
    resolution = Resolution(
        strategy=meeting.strategy,
        meeting=meeting,
        number=number,
        ref=ref,
        text=text,
        kind=kind,
        is_illustrative=is_illustrative,
        lead_role=(lead_role or "").strip(),
        lead_person=lead_person,
        due=due,
        due_text=written,
        original_due=due,
        status=status,
        rag=rag,
    )
    _response_apply(resolution, response, response_date, response_text)
    _by(resolution, by)
    fits(resolution)
    resolution.save()
    resolution.organisations.set(list(organisations))
    _link(resolution, actions)
    return resolution


def _response_apply(resolution: Resolution, response: str, when: object, text: str) -> None:
    if response not in Response.values:
        raise ValidationError({"response": f"{response!r} is not an executive response."})
    day = read_day(when, field="response_date", label="date of the response", required=False)
    if response and day is None:
        raise ValidationError({"response_date": f"Enter the date of the response. {DAY_HINT}"})
    if not response and (day or text.strip()):
        raise ValidationError({"response": "Choose the response: accepted, partly or not."})
    meeting_day = resolution.meeting.date
    if day and day < meeting_day:
        raise ValidationError(
            {
                "response_date": f"The response date ({format_date(day)}) is before the meeting "
                f"of {format_date(meeting_day)} that made the recommendation."
            }
        )
    if day and day > timezone.localdate():
        raise ValidationError({"response_date": "The response date is in the future."})
    resolution.response = response
    resolution.response_date = day
    resolution.response_text = text.strip()


def _link(resolution: Resolution, actions: Iterable[Action]) -> None:
    actions = list(actions)
    strange = [a.ref for a in actions if a.version.strategy_id != resolution.strategy_id]
    if strange:
        raise ValidationError(
            {"actions": f"Action {', '.join(strange)} belongs to another strategy's plan."}
        )
    resolution.actions.set(actions)


def _tracked(resolution: Resolution) -> None:
    if resolution.kind not in TRACKED_KINDS:
        raise ValidationError(
            {
                "kind": f"Resolution {resolution.ref} was {resolution.get_kind_display().lower()}"
                ": only recommendations and requests for reports are tracked."
            }
        )
    if resolution.is_signed_off:
        raise ValidationError(
            {
                "status": f"{resolution.ref} was signed off at {resolution.signed_off_at}: "
                "it is closed."
            }
        )


@transaction.atomic
def resolution_respond(
    *,
    resolution: Resolution,
    response: str,
    response_date: object,
    response_text: str = "",
    by=None,
    expected_revision: int | None = None,
) -> Resolution:
    if resolution.kind != ResolutionKind.RECOMMENDATION:
        raise ValidationError({"response": "Only recommendations to the executive get a response."})
    if not response:
        raise ValidationError({"response": "Choose the response: accepted, partly or not."})
    _response_apply(resolution, response, response_date, response_text)
    _claim(Resolution, resolution, expected_revision, resolution.ref)
    _by(resolution, by)
    fits(resolution)
    resolution.save()
    return resolution


@transaction.atomic
def resolution_edit(
    *,
    resolution: Resolution,
    text: str,
    kind: str,
    lead_role: str = "",
    organisations: Iterable = (),
    actions: Iterable[Action] = (),
    by=None,
    expected_revision: int | None = None,
) -> Resolution:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter what the meeting resolved, as the minutes give it."})
    if kind not in ResolutionKind.values:
        raise ValidationError({"kind": f"{kind!r} is not a kind of resolution."})
    _claim(Resolution, resolution, expected_revision, resolution.ref)
    resolution.text, resolution.kind, resolution.lead_role = text, kind, (lead_role or "").strip()
    _by(resolution, by)
    fits(resolution)
    resolution.save()
    resolution.organisations.set(list(organisations))
    _link(resolution, actions)
    return resolution


@transaction.atomic
def resolution_update_post(
    *,
    resolution: Resolution,
    by,
    narrative: str,
    status: str,
    rag: str = Rag.NOT_RATED,
    rag_rationale: str = "",
    evidence: str = "",
    evidence_url: str = "",
    new_due_text: str | None = None,
    due_reason: str = "",
    reported_on: dt.date | None = None,
    expected_revision: int | None = None,
) -> ResolutionUpdate:
    """A progress update: its status and RAG become the item's; complete needs evidence."""
    _tracked(resolution)
    errors: dict[str, str] = {}
    narrative = (narrative or "").strip()
    if not narrative:
        errors["narrative"] = "Say what has happened since the last update."
    if status not in ActionStatus.values:
        errors["status"] = f"{status!r} is not a status."
    if rag not in Rag.values:
        errors["rag"] = f"{rag!r} is not a RAG rating."
    if resolution.response == Response.NOT_ACCEPTED:
        errors["status"] = "The executive did not accept this recommendation: it is closed."
    earlier = resolution.updates.exclude(evidence="", evidence_url="").count()
    has_new = bool((evidence or "").strip() or (evidence_url or "").strip())
    problem = completion_problem(status=status, evidence_count=earlier + int(has_new))
    if problem:
        errors["status"] = problem.replace("An action", "An item")
    if errors:
        raise ValidationError(errors)
    update = ResolutionUpdate(
        resolution=resolution,
        reported_on=reported_on or timezone.localdate(),
        author=by,
        narrative=narrative,
        status=status,
        rag=rag,
        rag_rationale=rag_rationale.strip(),
        evidence=(evidence or "").strip(),
        evidence_url=(evidence_url or "").strip(),
    )
    if new_due_text is not None and new_due_text.strip() != resolution.due_text:
        if not due_reason.strip():
            raise ValidationError({"due_reason": "Say why the due date moved."})
        due, written = _due(new_due_text, resolution.meeting, field="new_due_text")
        update.old_due, update.new_due, update.due_reason = resolution.due, due, due_reason.strip()
        if resolution.due and (due is None or due > resolution.due):
            resolution.times_slipped += 1
        resolution.due, resolution.due_text = due, written
    update.full_clean(exclude=["resolution", "author"])
    _claim(Resolution, resolution, expected_revision, resolution.ref)
    fits(update)
    update.save()
    resolution.status, resolution.rag, resolution.rag_rationale = status, rag, update.rag_rationale
    resolution.last_update_on = max(
        resolution.last_update_on or update.reported_on, update.reported_on
    )
    _by(resolution, by)
    fits(resolution)
    resolution.save()
    return update


@transaction.atomic
def resolution_sign_off(
    *,
    resolution: Resolution,
    meeting: Meeting | None,
    note: str = "",
    by=None,
    expected_revision: int | None = None,
) -> Resolution:
    """Close an item: only at a later meeting of a body, held, which signed it off."""
    _tracked(resolution)
    if meeting is None:
        raise ValidationError(
            {"meeting": "Choose the later meeting at which the committee signed the item off."}
        )
    if meeting.strategy_id != resolution.strategy_id:
        raise ValidationError({"meeting": "That meeting was about another strategy."})
    if meeting.date <= resolution.meeting.date:
        raise ValidationError(
            {
                "meeting": f"Sign-off must be at a meeting after the one that made it "
                f"({format_date(resolution.meeting.date)})."
            }
        )
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            {"meeting": f"The meeting of {format_date(meeting.date)} has not been held."}
        )
    accepted = resolution.response != Response.NOT_ACCEPTED
    if accepted and resolution.status not in (ActionStatus.COMPLETE, ActionStatus.CANCELLED):
        raise ValidationError(
            {
                "meeting": f"{resolution.ref} is {resolution.get_status_display().lower()}: post "
                "an update marking it complete (with evidence) before it is signed off."
            }
        )
    _claim(Resolution, resolution, expected_revision, resolution.ref)
    resolution.signed_off_at = meeting
    resolution.signed_off_note = note.strip()
    _by(resolution, by)
    fits(resolution)
    resolution.save()
    return resolution


@transaction.atomic
def resolution_action_create(
    *, resolution: Resolution, ref: str, title: str, theme=None, due: object = None, by=None
) -> Action:
    """A new plan action that delivers the recommendation, linked to it."""
    from caring.plans.selectors import version_current
    from caring.plans.services import action_create

    version = version_current(strategy=resolution.strategy)
    action = action_create(
        version=version,
        ref=ref,
        title=title,
        theme=theme,
        lead_role=resolution.lead_role,
        organisations=list(resolution.organisations.all()),
        due=due,
        by=by,
    )
    resolution.actions.add(action)
    return action


# --- requirements on the next report ----------------------------------------------------------


@transaction.atomic
def requirement_add(
    *, resolution: Resolution, topic: str, text: str, body: Body | None = None, due: object = None
) -> ReportRequirement:
    if topic not in RequirementTopic.values:
        raise ValidationError({"topic": f"{topic!r} is not a kind of requirement."})
    text = (text or "").strip() or RequirementTopic(topic).label
    if isinstance(due, str) or due is None:
        due_day = _due(due or "", resolution.meeting, field="due")[0] if due else resolution.due
    else:
        due_day = read_day(due, field="due", label="due date")
        if due_day < resolution.meeting.date:
            raise ValidationError(
                {
                    "due": f"The due date ({format_date(due_day)}) is before the meeting of "
                    f"{format_date(resolution.meeting.date)}."
                }
            )
    requirement = ReportRequirement(
        resolution=resolution,
        body=body or resolution.meeting.body,
        topic=topic,
        text=text,
        due=due_day,
    )
    fits(requirement)
    requirement.save()
    return requirement


@transaction.atomic
def requirement_met(*, requirement: ReportRequirement, meeting: Meeting, note: str = ""):
    if meeting.strategy_id != requirement.resolution.strategy_id:
        raise ValidationError({"meeting": "That meeting was about another strategy."})
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.SCHEDULED):
        raise ValidationError(
            {
                "meeting": f"The meeting of {format_date(meeting.date)} was "
                f"{meeting.get_status_display().lower()}: no report went to it."
            }
        )
    if meeting.date <= requirement.resolution.meeting.date:
        raise ValidationError({"meeting": "The report must be to a later meeting."})
    requirement.met_at, requirement.met_note = meeting, note.strip()
    fits(requirement)
    requirement.save()
    return requirement


# --- information requests ---------------------------------------------------------------------


@transaction.atomic
def information_request_create(
    *,
    meeting: Meeting,
    asked_by: str,
    question: str,
    answerer_role: str = "",
    organisations: Iterable = (),
    due_text: str = "",
    offered_outside_meeting: bool = False,
    answered_in_meeting: bool = False,
    answer: str = "",
    actions: Iterable[Action] = (),
    is_illustrative: bool = False,
    by=None,
) -> InformationRequest:
    question, asked_by = (question or "").strip(), (asked_by or "").strip()
    if not question:
        raise ValidationError({"question": "Enter the question members asked."})
    if not asked_by:
        raise ValidationError({"asked_by": "Say who asked, as a role (for example 'Members')."})
    due, written = _due(due_text, meeting, field="due_text")
    number = (meeting.information_requests.aggregate(n=Max("number"))["n"] or 0) + 1
    request = InformationRequest(
        strategy=meeting.strategy,
        meeting=meeting,
        number=number,
        asked_by=asked_by,
        question=question,
        answerer_role=(answerer_role or "").strip(),
        due=due,
        due_text=written,
        offered_outside_meeting=offered_outside_meeting,
        answered_in_meeting=answered_in_meeting,
        answer=(answer or "").strip(),
        is_illustrative=is_illustrative,
    )
    _by(request, by)
    fits(request)
    request.save()
    request.organisations.set(list(organisations))
    actions = list(actions)
    strange = [a.ref for a in actions if a.version.strategy_id != meeting.strategy_id]
    if strange:
        raise ValidationError(
            {"actions": f"Action {', '.join(strange)} belongs to another strategy's plan."}
        )
    request.actions.set(list(actions))
    return request


@transaction.atomic
def information_request_answer(
    *,
    request: InformationRequest,
    answer: str,
    answered_on: object,
    by=None,
    expected_revision: int | None = None,
) -> InformationRequest:
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Enter the answer that was sent to members."})
    day = read_day(answered_on, field="answered_on", label="date the answer was sent")
    if day < request.meeting.date:
        raise ValidationError(
            {
                "answered_on": f"The answer date ({format_date(day)}) is before the meeting of "
                f"{format_date(request.meeting.date)} where the question was asked."
            }
        )
    if day > timezone.localdate():
        raise ValidationError({"answered_on": "The answer date is in the future."})
    _claim(InformationRequest, request, expected_revision, f"Request {request.ref}")
    request.answer, request.answered_on = answer, day
    _by(request, by)
    fits(request)
    request.save()
    return request
