"""A council's recommendations tracker into the strategy: all or nothing, problems by row.

Each row becomes a recommendation of the meeting of its origin committee on the date agreed
(the body and the meeting are created, as held, if they are not recorded yet), with its
executive response, lead, due date, status and the "action taken" text as its first progress
update. A reference already used in the strategy, or repeated in the file, refuses the import.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.governance import services
from caring.governance.choices import BodyKind, MeetingStatus, ResolutionKind
from caring.governance.models import Body, Meeting, Resolution
from caring.governance.tracker_reader import TrackerRead, TrackerRow
from caring.plans.models import Strategy
from caring.workbooks.records import Problem


class TrackerImportError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.place}: {p.message}" for p in problems))


@dataclass(frozen=True)
class TrackerImportResult:
    created: int
    bodies_added: list[str]
    meetings_added: int

    @property
    def summary(self) -> str:
        text = f"{self.created} recommendation{'s' if self.created != 1 else ''} imported"
        if self.meetings_added:
            text += f", from {self.meetings_added} new meeting record"
            text += "s" if self.meetings_added != 1 else ""
        if self.bodies_added:
            text += f"; new bodies: {', '.join(self.bodies_added)}"
        return text + "."


def _problem(read: TrackerRead, row: TrackerRow, field: str, message: str) -> Problem:
    return Problem(read.sheet, row.row, read.columns.get(field), field, message, "error")


class _Refused(Exception):
    pass


def tracker_import(*, strategy: Strategy, read: TrackerRead, by=None) -> TrackerImportResult:
    """Import every row or none; :class:`TrackerImportError` lists each problem by row."""
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise TrackerImportError(errors)
    if not read.rows:
        raise TrackerImportError(
            [
                Problem(
                    read.sheet, None, None, None, "The file has no recommendations in it.", "error"
                )
            ]
        )
    # References are compared without regard to case, as the reader compares them.
    existing = {
        ref.casefold()
        for ref in Resolution.objects.filter(strategy=strategy).values_list("ref", flat=True)
    }
    problems = [
        _problem(read, row, "reference", f"Reference {row.reference} is already on the tracker.")
        for row in read.rows
        if row.reference.casefold() in existing
    ]
    if problems:
        raise TrackerImportError(problems)
    bodies_added: list[str] = []
    meetings_added = 0
    try:
        with transaction.atomic():
            for row in read.rows:
                body = _save(
                    read, row, "committee", lambda r=row: _body(r.committee, by, bodies_added)
                )
                meeting = Meeting.objects.filter(
                    strategy=strategy, body=body, date=row.agreed
                ).first()
                if meeting is None:
                    meetings_added += 1
                    held = row.agreed <= timezone.localdate()
                    status = MeetingStatus.HELD if held else MeetingStatus.SCHEDULED
                    meeting = _save(read, row, "agreed", lambda b=body, r=row, s=status: (
                        services.meeting_create(
                            strategy=strategy, body=b, date=r.agreed, status=s, by=by
                        )
                    ))  # fmt: skip
                _row(read, row, meeting, by)
    except _Refused as refused:
        raise TrackerImportError([refused.args[0]]) from None
    return TrackerImportResult(len(read.rows), bodies_added, meetings_added)


def _body(name: str, by, added: list[str]) -> Body:
    if not name.strip():  # never match a body by its blank short name, nor create a nameless one
        raise ValidationError(
            {"committee": "No origin committee is given: give the committee that agreed it."}
        )
    body = (
        Body.objects.filter(name__iexact=name).first()
        or Body.objects.filter(short_name__iexact=name).first()
    )
    if body is None:
        body = services.body_create(name=name, kind=BodyKind.SCRUTINY, by=by)
        added.append(body.name)
    return body


def _save(read: TrackerRead, row: TrackerRow, field: str, write):
    try:
        return write()
    except ValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        names = {"response_date": "executive_date", "due_text": "due_text", "text": "text",
                 "date": "agreed", "narrative": "action_taken", "status": "status",
                 "lead_role": "lead", "name": "committee"}  # fmt: skip
        field = names.get(key, field)
        raise _Refused(_problem(read, row, field, messages[0])) from None


def _row(read: TrackerRead, row: TrackerRow, meeting: Meeting, by) -> None:
    resolution = _save(read, row, "reference", lambda: services.resolution_create(
        meeting=meeting, ref=row.reference, text=row.text, kind=ResolutionKind.RECOMMENDATION,
        number=None, lead_role=row.lead, due_text=row.due_text, response=row.response,
        response_date=row.executive_date if row.response else None,
        rag=row.rag or "", by=by,
    ))  # fmt: skip
    if row.executive_date and not row.response:
        # A date of the executive's decision with no response column: record it as awaited
        # and say so in the first update rather than guess what they decided.
        note = f"Considered by the executive on {row.executive_date:%d/%m/%Y} (response not given)."
    else:
        note = ""
    status = row.status or "not_started"
    narrative = "\n\n".join(part for part in (row.action_taken, note) if part)
    if narrative or status != "not_started":
        evidence = row.action_taken if status == "complete" else ""
        _save(read, row, "action_taken", lambda: services.resolution_update_post(
            resolution=resolution, by=by,
            narrative=narrative or f"Status imported from the tracker: {row.status_text}.",
            status=status, rag=row.rag or "", evidence=evidence,
        ))  # fmt: skip
