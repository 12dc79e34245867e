"""Preparing, rendering and issuing the progress report pack.

:func:`report_prepare` gathers what a report to a meeting says (the plan now, or as it was on a
past day, from the history), compared with the report the committee last received.
:func:`report_file` renders it in one format. :func:`report_issue` freezes it for a meeting:
the snapshot, the narrative and every format's file, never changed afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from caring.governance.choices import MeetingStatus
from caring.governance.models import Meeting, ReportRequirement
from caring.governance.services import requirement_met
from caring.plans.export import plan_export
from caring.plans.models import Strategy
from caring.plans.rag import format_date
from caring.plans.services import ConflictError
from caring.plans.services.base import fits
from caring.reports import selectors
from caring.reports.as_of import AsOfError, plan_export_as_of
from caring.reports.content import (
    Narrative,
    Report,
    RequirementInput,
    Section,
    Table,
    build_report,
)
from caring.reports.models import (
    FORMATS,
    IssuedFile,
    IssuedReport,
    ReportNarrative,
    ReportTemplate,
)
from caring.reports.sections import extra_sections


@dataclass
class Draft:
    """A report prepared, not issued: what it says and what it was built from."""

    report: Report
    data: dict  # the plan's export the report was built from
    meeting: Meeting | None
    previous: IssuedReport | None
    requirements: list[ReportRequirement]


def end_of_day(day: dt.date) -> dt.datetime:
    """The end of ``day`` in the council's time zone: the plan 'as at' that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _check_meeting(strategy: Strategy, meeting: Meeting | None) -> None:
    if meeting is None:
        return
    if meeting.strategy_id != strategy.pk:
        raise ValidationError({"meeting": "That meeting was not about this strategy."})
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HELD):
        reason = f" ({meeting.status_reason})" if meeting.status_reason else ""
        raise ValidationError(
            {
                "meeting": f"The meeting of {format_date(meeting.date)} was "
                f"{meeting.get_status_display().lower()}{reason}: prepare the report for the "
                "meeting it was moved to."
            }
        )


def narrative_of(row: ReportNarrative | None) -> Narrative:
    if row is None:
        return Narrative()
    return Narrative(
        summary=row.summary,
        recommendations=tuple(
            line.strip() for line in row.recommendations.splitlines() if line.strip()
        ),
        background=row.background,
        key_issues=row.key_issues,
        next_steps=row.next_steps,
        addressed={int(k): v for k, v in (row.addressed or {}).items() if str(k).isdigit()},
    )


def report_prepare(
    *,
    strategy: Strategy,
    meeting: Meeting | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    use_default_meeting: bool = True,
) -> Draft:
    """The report for ``meeting`` (default: the scrutiny body's next scheduled meeting) with the
    plan as it stands, or as it was at the end of ``as_of``."""
    today = today or timezone.localdate()
    if meeting is None and use_default_meeting:
        meeting = selectors.default_meeting(strategy=strategy, today=today)
    _check_meeting(strategy, meeting)
    if as_of is not None and as_of > today:
        raise ValidationError(
            {"as_of": f"{format_date(as_of)} is in the future: the plan can only be shown as it "
                      "was on a day that has passed, or as it is today."}
        )  # fmt: skip
    if as_of is None or as_of == today:
        data = plan_export(strategy=strategy, today=today)
        position, before = today, timezone.now()
    else:
        try:
            data = plan_export_as_of(strategy=strategy, moment=end_of_day(as_of), today=as_of)
        except AsOfError as error:
            raise ValidationError({"as_of": str(error)}) from None
        position, before = as_of, end_of_day(as_of)
    previous = selectors.previous_issued(strategy=strategy, meeting=meeting, before=before)
    requirements = selectors.requirements_for(strategy=strategy, meeting=meeting)
    narrative_row = selectors.narrative_for(strategy=strategy, meeting=meeting)
    body = meeting.body if meeting else selectors.scrutiny_body(strategy=strategy)
    report = build_report(
        data,
        as_of=position,
        committee=body.name if body else "Scrutiny committee",
        meeting_date=meeting.date if meeting else None,
        meeting_status=meeting.status if meeting else "",
        author_role=narrative_row.author_role if narrative_row else "",
        previous=previous.snapshot if previous else None,
        previous_label=previous_label(previous),
        narrative=narrative_of(narrative_row),
        requirements=[_requirement_input(r) for r in requirements],
        sections=extra_sections(strategy=strategy, as_of=position),
    )
    return Draft(report, data, meeting, previous, requirements)


def _requirement_input(r: ReportRequirement) -> RequirementInput:
    return RequirementInput(r.pk, r.topic, r.text, r.resolution.ref)


def previous_label(previous: IssuedReport | None) -> str | None:
    if previous is None:
        return None
    return (
        f"the report issued on {format_date(timezone.localtime(previous.issued_at).date())} "
        f"for the meeting of the {previous.meeting.body.name} on "
        f"{format_date(previous.meeting.date)}"
    )


# --- files ---------------------------------------------------------------------------------------


def filename(report: Report, fmt: str) -> str:
    when = report.meeting_date.isoformat() if report.meeting_date else "next-meeting"
    slug = report.strategy_slug or slugify(report.strategy) or "plan"
    return f"{slug}-progress-report-{when}.{FORMATS[fmt][1]}"


def report_file(report: Report, data: dict, fmt: str, *, template: bytes | None = None) -> bytes:
    """``report`` in format ``fmt`` (docx, pdf, pptx, html, xlsx); ``data`` is the export it
    was built from (the Excel workbook is the plan's own workbook)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": f"{fmt!r} is not a format: choose {', '.join(FORMATS)}."})
    out = io.BytesIO()
    if fmt == "docx":
        from caring.reports.render_docx import render_docx

        render_docx(report, out, template=template)
    elif fmt == "pptx":
        from caring.reports.render_pptx import render_pptx

        render_pptx(report, out)
    elif fmt == "html":
        from caring.reports.render_html import render_html

        out.write(render_html(report).encode("utf-8"))
    elif fmt == "pdf":
        from caring.reports.render_html import render_pdf

        out.write(render_pdf(report))
    else:
        from caring.workbooks.writer import write_plan_workbook

        moment = end_of_day(report.as_of) if report.as_of < timezone.localdate() else timezone.now()
        write_plan_workbook(data, out, exported_at=timezone.localtime(moment))
    return out.getvalue()


def check_template(template: bytes | None) -> None:
    """Refuse a council template that is not a usable Word file, naming the reason."""
    if template is None:
        return
    from caring.reports.render_docx import TemplateError
    from caring.reports.render_docx import check_template as check

    try:
        check(template)
    except TemplateError as error:
        raise ValidationError({"template": str(error)}) from None


# --- the narrative -------------------------------------------------------------------------------

NARRATIVE_FIELDS = ("author_role", "summary", "recommendations", "background", "key_issues",
                    "next_steps")  # fmt: skip


@transaction.atomic
def narrative_save(
    *,
    strategy: Strategy,
    meeting: Meeting | None,
    by,
    expected_revision: int | None,
    addressed: dict[int, str] | None = None,
    **fields: str,
) -> ReportNarrative:
    """Save what the lead wrote for the report to ``meeting``; a concurrent edit is refused."""
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown narrative fields: {sorted(unknown)}")
    if meeting is None:
        raise ValidationError(
            {"meeting": "The narrative is written for a meeting: add the meeting first."}
        )
    _check_meeting(strategy, meeting)
    row = ReportNarrative.objects.select_for_update().filter(strategy=strategy, meeting=meeting)
    row = row.first()
    if row is None:
        if expected_revision not in (None, 0):
            raise ConflictError("The narrative was deleted while you were editing it.")
        row = ReportNarrative(strategy=strategy, meeting=meeting)
    elif expected_revision is not None and row.revision != expected_revision:
        who = row.updated_by.job_title if row.updated_by else "someone"
        raise ConflictError(
            f"The narrative was changed by {who} while you were editing it. Your text has not "
            "been saved: copy it, reload the page and make your changes again."
        )
    for name in NARRATIVE_FIELDS:
        if name in fields:
            setattr(row, name, (fields[name] or "").strip())
    if addressed is not None:
        row.addressed = {str(k): v.strip() for k, v in addressed.items() if v and v.strip()}
    row.updated_by = by
    fits(row)
    if row.pk is not None:
        # Claim the next revision with a conditional UPDATE: of two concurrent saves, the
        # second finds the revision moved on and is refused (SQLite has no row locks).
        current = row.revision
        claimed = ReportNarrative.objects.filter(pk=row.pk, revision=current).update(
            revision=current + 1
        )
        if not claimed:
            raise ConflictError(
                "The narrative was changed by someone else while you were editing it. Your "
                "text has not been saved: copy it, reload the page and make your changes again."
            )
        row.revision = current + 1
    row.save()
    return row


# --- issuing -------------------------------------------------------------------------------------


def _section_json(section: Section) -> dict:
    return asdict(section)


def section_from_json(data: dict) -> Section:
    tables = tuple(
        Table(
            caption=t["caption"],
            columns=tuple(t["columns"]),
            rows=tuple(tuple(r) for r in t["rows"]),
            rag_column=t.get("rag_column"),
            widths=tuple(t.get("widths") or ()),
        )
        for t in data.get("tables", ())
    )
    return Section(
        key=data["key"],
        title=data["title"],
        topics=tuple(data.get("topics", ())),
        paragraphs=tuple(data.get("paragraphs", ())),
        tables=tables,
    )


@transaction.atomic
def report_issue(
    *, strategy: Strategy, meeting: Meeting | None, by, template: bytes | None = None
) -> IssuedReport:
    """Freeze the report for ``meeting``: its snapshot, narrative and every format's file.
    The Word file is on ``template`` when given, else on the strategy's saved template if any."""
    if meeting is None:
        raise ValidationError(
            {"meeting": "A report is issued for a meeting: add the meeting, then issue it."}
        )
    if template is None:
        template = template_for(strategy)
    check_template(template)
    draft = report_prepare(strategy=strategy, meeting=meeting)
    report = draft.report
    narrative = asdict(report.narrative)
    narrative["addressed"] = {str(k): v for k, v in narrative["addressed"].items()}
    issued = IssuedReport(
        strategy=strategy,
        meeting=meeting,
        issued_by=by,
        issued_by_role=getattr(by, "job_title", "") or "",
        as_of=report.as_of,
        title=report.title,
        committee=report.committee,
        author_role=report.author_role,
        snapshot=draft.data,
        narrative=narrative,
        requirements=[asdict(r) for r in report.requirements],
        sections=[_section_json(s) for s in report.sections],
        previous=draft.previous,
        previous_label=report.changes.since or "",
    )
    issued.save()
    for fmt in FORMATS:
        content = report_file(report, draft.data, fmt, template=template if fmt == "docx" else None)
        IssuedFile(
            report=issued,
            format=fmt,
            filename=filename(report, fmt),
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        ).save()
    by_id = {r.pk: r for r in draft.requirements}
    for requirement in report.requirements:
        if requirement.met and requirement.id in by_id:
            requirement_met(requirement=by_id[requirement.id], meeting=meeting,
                            note=requirement.how)  # fmt: skip
    return issued


def issued_content(issued: IssuedReport) -> Report:
    """The report as it was issued, rebuilt from what was frozen (for the page)."""
    from caring.reports.content import Requirement

    narrative = dict(issued.narrative)
    narrative["recommendations"] = tuple(narrative.get("recommendations", ()))
    narrative["addressed"] = {int(k): v for k, v in narrative.get("addressed", {}).items()}
    report = build_report(
        issued.snapshot,
        as_of=issued.as_of,
        committee=issued.committee,
        meeting_date=issued.meeting.date,
        meeting_status=issued.meeting.status,
        author_role=issued.author_role,
        previous=issued.previous.snapshot if issued.previous else None,
        previous_label=issued.previous_label or None,
        narrative=Narrative(**narrative),
        sections=[section_from_json(s) for s in issued.sections],
    )
    frozen = tuple(Requirement(**r) for r in issued.requirements)
    return Report(**{**report.__dict__, "requirements": frozen})


def demo_reports_delete(strategy: Strategy) -> None:
    """For ``caring demo --reset`` only: an illustrative strategy's issued reports go too."""
    if not strategy.is_illustrative:
        raise ValidationError("Issued reports are only ever deleted with illustrative demo data.")
    files = IssuedFile.objects.filter(report__strategy=strategy)
    files._raw_delete(files.db)
    # Frozen rows have no delete(): a raw delete, newest first (later reports protect earlier).
    for pk in (
        IssuedReport.objects.filter(strategy=strategy)
        .order_by("-issued_at", "-id")
        .values_list("pk", flat=True)
    ):
        one = IssuedReport.objects.filter(pk=pk)
        one._raw_delete(one.db)
    ReportNarrative.objects.filter(strategy=strategy).delete()


# --- the council's Word template -----------------------------------------------------------------

TEMPLATE_MAX_BYTES = 10 * 1024 * 1024  # as render_docx.MAX_TEMPLATE_BYTES
_UNSAFE_IN_NAME = str.maketrans({c: "_" for c in '"\\/:*?<>|;'})


def template_filename(name: str) -> str:
    """``name`` as uploaded, safe to keep and to send back in a download's header: no folders,
    no control characters or quotes, at most 255 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).translate(_UNSAFE_IN_NAME).strip(" .")
    if not name:
        return "template.docx"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else name[:255]
    return name


@transaction.atomic
def template_save(*, strategy: Strategy, data: bytes, filename: str, by) -> ReportTemplate:
    """Keep ``data`` as the council's Word template for ``strategy``'s report pack, replacing
    any it had; refused (nothing changed) unless it is a usable Word file of at most 10 MB
    with the styles the pack needs."""
    check_template(bytes(data))
    # One at a time per strategy: two first uploads would otherwise both try to insert.
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    row = ReportTemplate.objects.filter(strategy=strategy).first()
    if row is None:
        row = ReportTemplate(strategy=strategy)
    row.filename = template_filename(filename)
    row.content = bytes(data)
    row.size = len(data)
    row.sha256 = hashlib.sha256(data).hexdigest()
    row.uploaded_by = by
    row.uploaded_at = timezone.now()
    if by is not None:
        row._history_user = by
    row.save()
    return row


@transaction.atomic
def template_remove(*, strategy: Strategy, by) -> bool:
    """Remove ``strategy``'s Word template: the pack goes back to the house style. False when
    it had none."""
    row = ReportTemplate.objects.select_for_update().filter(strategy=strategy).first()
    if row is None:
        return False
    if by is not None:
        row._history_user = by
    row.delete()
    return True


def template_for(strategy: Strategy) -> bytes | None:
    """The Word template saved for ``strategy``, or None."""
    content = (
        ReportTemplate.objects.filter(strategy=strategy).values_list("content", flat=True).first()
    )
    return None if content is None else bytes(content)
