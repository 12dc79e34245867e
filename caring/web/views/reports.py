"""The progress report pack: choose a report, read the draft as it would be issued now (and
download it in every format), write its narrative, issue it (frozen for ever), read an issued
report and download its files exactly as issued, see the plan as it was on a past day, and keep
the council's own Word template for the pack.

Members read everything (``reports.view``); leads write the narrative, issue, and upload or
remove the council's Word template (``reports.manage``). Every write goes through
``caring.reports.services``; a refusal is shown on the page with a 400 and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView, View

from caring.governance.models import Meeting
from caring.plans.export import plan_export
from caring.plans.rag import format_date
from caring.reports import selectors, services
from caring.reports.as_of import AsOfError, plan_export_as_of
from caring.reports.content import build_report
from caring.reports.models import FORMATS, IssuedFile, IssuedReport, ReportTemplate
from caring.reports.render_html import render_blocks
from caring.web.views.base import Page, plan_or_404
from caring.web.views.manage import FormPage
from caring.web.views.reports_forms import (
    DAY_HINT,
    NEXT,
    DayError,
    IssueForm,
    NarrativeForm,
    TemplateForm,
    meeting_label,
    parse_day,
)

VIEW = "reports.view"
MANAGE = "reports.manage"
ISSUED_BANNER = "Report issued and frozen"


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) for each message of a service's refusal."""
    if hasattr(error, "error_dict"):
        return [(field, m) for field, ms in error.message_dict.items() for m in ms]
    return [("", m) for m in error.messages]


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_of(strategy, value: str | None) -> tuple[Meeting | None, bool]:
    """The meeting a query names and whether to fall back on the default one: blank for the
    next scheduled meeting, ``next`` for the next one not yet scheduled, or a pk (404 when it is
    not a meeting about ``strategy``)."""
    value = (value or "").strip()
    if not value:
        return None, True
    if value == NEXT:
        return None, False
    if not value.isdigit():
        raise Http404("No such meeting")
    found = Meeting.objects.select_related("body").filter(strategy=strategy, pk=int(value)).first()
    if found is None:
        raise Http404("No such meeting")
    return found, False


def report_query(meeting: Meeting | None, as_of: dt.date | None = None, **more) -> str:
    params = {"meeting": meeting.pk if meeting else NEXT}
    if as_of is not None:
        params["as_of"] = as_of.isoformat()
    return urlencode({**params, **more})


class ReportPage(Page, TemplateView):
    permission_required = VIEW

    def load(self) -> None:
        self.strategy, self.version = plan_or_404(self.kwargs["slug"])

    def context(self, **extra):
        return self.get_context_data(
            strategy=self.strategy,
            can_manage=rules.has_perm(MANAGE, self.request.user),
            **extra,
        )

    # --- which report -----------------------------------------------------------------------

    def meeting_of(self, value: str | None) -> tuple[Meeting | None, bool]:
        return meeting_of(self.strategy, value)

    def choices(self) -> tuple[list[tuple[str, str]], str]:
        """The meetings a report can be for, and the one chosen unless the visitor chose."""
        today = timezone.localdate()
        default = selectors.default_meeting(strategy=self.strategy, today=today)
        choices = [(str(m.pk), meeting_label(m))
                   for m in selectors.report_meetings(strategy=self.strategy)]  # fmt: skip
        if default is None:
            choices.insert(0, (NEXT, "The next meeting (not yet scheduled)"))
        return choices, str(default.pk) if default else NEXT

    def choose_form(self, meeting: str | None = None, as_of: str = "", error: str = "") -> dict:
        choices, chosen = self.choices()
        return {
            "choices": choices,
            "meeting": meeting or chosen,
            "as_of": as_of,
            "as_of_error": error,
            "hint": f"Leave blank for the plan as it stands today. {DAY_HINT}",
        }

    def draft_url(self, meeting: Meeting | None, as_of: dt.date | None = None) -> str:
        path = reverse("web:report-draft", kwargs={"slug": self.strategy.slug})
        return f"{path}?{report_query(meeting, as_of)}"


class Reports(ReportPage):
    """Choose the meeting and position date of a draft; the reports issued so far."""

    template_name = "web/reports/list.html"

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(
            self.context(
                page_title="Progress reports",
                choose=self.choose_form(),
                issued=list(selectors.issued_reports(strategy=self.strategy)),
                formats=FORMATS,
                template=ReportTemplate.objects.filter(strategy=self.strategy)
                .only("pk", "filename")
                .first(),
            )
        )


class DraftMixin:
    """Preparing the draft a query (or a form) asks for, or the refusal to show."""

    def prepare(self, data) -> services.Draft:
        """The draft for ``data`` (``meeting``, ``as_of``); ValidationError when refused."""
        meeting, use_default = self.meeting_of(data.get("meeting"))
        self.asked = {"meeting": data.get("meeting") or "", "as_of": data.get("as_of") or ""}
        try:
            as_of = parse_day(data.get("as_of"), "The position date")
        except DayError as error:
            raise ValidationError({"as_of": str(error)}) from None
        draft = services.report_prepare(strategy=self.strategy, meeting=meeting, as_of=as_of,
                                        use_default_meeting=use_default)  # fmt: skip
        self.as_of = as_of if as_of and as_of != timezone.localdate() else None
        return draft

    def refused(self, error: ValidationError):
        """The draft page showing why the report could not be prepared (400)."""
        problems = _messages(error)
        as_of_error = next((m for field, m in problems if field == "as_of"), "")
        errors = [
            {"text": m, "href": "#as_of" if field == "as_of" else "#meeting"}
            for field, m in problems
        ]
        return self.render_to_response(
            self.context(
                page_title="Draft progress report",
                errors=errors,
                form_has_errors=True,
                choose=self.choose_form(self.asked["meeting"], self.asked["as_of"], as_of_error),
            ),
            status=400,
        )

    def render_draft(self, draft: services.Draft, *, issue_form=None, errors=(), status=200):
        report = draft.report
        meeting = draft.meeting
        downloads = [
            {
                "label": label,
                "ext": ext,
                "href": reverse("web:report-download", kwargs={"slug": self.strategy.slug})
                + "?"
                + report_query(meeting, self.as_of, format=fmt),
            }
            for fmt, (label, ext, _) in FORMATS.items()
        ]
        narrative_url = reverse("web:report-narrative", kwargs={"slug": self.strategy.slug})
        if issue_form is None:
            issue_form = IssueForm(initial={"meeting": meeting.pk if meeting else None})
        issued_before = []  # reports already issued for this meeting, newest first
        if meeting is not None:
            issued_before = list(
                IssuedReport.objects.filter(strategy=self.strategy, meeting=meeting)
                .only("pk", "issued_at")
                .order_by("-issued_at", "-id")
            )
        return self.render_to_response(
            self.context(
                page_title="Draft progress report",
                report=report,
                draft=draft,
                meeting=meeting,
                position_given=self.as_of is not None,
                downloads=downloads,
                narrative_url=f"{narrative_url}?{report_query(meeting)}",
                current_url=self.draft_url(meeting),
                narrative=selectors.narrative_for(strategy=self.strategy, meeting=meeting),
                issued_before=issued_before,
                issue_form=issue_form,
                errors=list(errors),
                form_has_errors=bool(errors),
                blocks=render_blocks(report),
            ),
            status=status,
        )


class Draft(DraftMixin, ReportPage):
    """The report as it would be issued now (or the plan's position on a past day)."""

    template_name = "web/reports/draft.html"

    def get(self, request, *args, **kwargs):
        self.load()
        try:
            draft = self.prepare(request.GET)
        except ValidationError as error:
            return self.refused(error)
        return self.render_draft(draft)


class Download(DraftMixin, ReportPage):
    """The draft in one format, as a file (the standalone HTML too: its inline CSS is for a
    browser opening the file, which the app's Content-Security-Policy would block here)."""

    template_name = "web/reports/draft.html"

    def get(self, request, *args, **kwargs):
        self.load()
        fmt = request.GET.get("format", "")
        if fmt not in FORMATS:
            raise Http404("No such format")
        # The Word file is on the council's template when the strategy has one.
        template = services.template_for(self.strategy) if fmt == "docx" else None
        try:
            draft = self.prepare(request.GET)
            services.check_template(template)
        except ValidationError as error:
            return self.refused(error)
        content = services.report_file(draft.report, draft.data, fmt, template=template)
        return attachment(content, FORMATS[fmt][2], services.filename(draft.report, fmt))


class Narrative(FormPage):
    """The lead's narrative for the report to one meeting."""

    permission_required = MANAGE
    template_name = "web/reports/narrative.html"
    form_class = NarrativeForm
    page_title = "Write the report's narrative"

    def load(self):
        super().load()
        self.meeting, use_default = meeting_of(self.strategy, self.request.GET.get("meeting"))
        if use_default:
            today = timezone.localdate()
            self.meeting = selectors.default_meeting(strategy=self.strategy, today=today)
        if self.meeting is None:  # a narrative is written for a meeting
            raise Http404("The narrative is written for a meeting: add the meeting first.")
        self.requirements = selectors.requirements_for(strategy=self.strategy,
                                                       meeting=self.meeting)  # fmt: skip
        self.row = selectors.narrative_for(strategy=self.strategy, meeting=self.meeting)

    def form_kwargs(self):
        return {"requirements": self.requirements}

    def initial(self):
        row = self.row
        if row is None:
            return {"revision": 0}
        initial = {name: getattr(row, name) for name in services.NARRATIVE_FIELDS}
        initial["revision"] = row.revision
        for r in self.requirements:
            initial[NarrativeForm.addressed_name(r)] = (row.addressed or {}).get(str(r.pk), "")
        return initial

    def draft_url(self) -> str:
        path = reverse("web:report-draft", kwargs={"slug": self.strategy.slug})
        return f"{path}?{report_query(self.meeting)}"

    def context(self, form, conflict=None, **extra):
        label = (
            meeting_label(self.meeting) if self.meeting else "The next meeting (not yet scheduled)"
        )
        return super().context(
            form,
            conflict=conflict,
            caption=f"Progress report for {label}",
            cancel_url=self.draft_url(),
            requirements=[(r, NarrativeForm.addressed_name(r)) for r in self.requirements],
            **extra,
        )

    def save(self, form):
        data = form.cleaned_data
        kept = {int(k): v for k, v in ((self.row.addressed if self.row else None) or {}).items()
                if str(k).isdigit()}  # fmt: skip
        services.narrative_save(
            strategy=self.strategy,
            meeting=self.meeting,
            by=self.request.user,
            expected_revision=data["revision"],
            addressed={**kept, **form.addressed()},
            **{name: data[name] for name in services.NARRATIVE_FIELDS},
        )
        messages.success(self.request, "The report's narrative has been saved.")
        return redirect(self.draft_url())


class Issue(DraftMixin, ReportPage):
    """Issue the report for a meeting: POST only; the report and its files are frozen."""

    permission_required = MANAGE
    http_method_names = ["post"]
    template_name = "web/reports/draft.html"

    def post(self, request, *args, **kwargs):
        self.load()
        meeting, _ = self.meeting_of(request.POST.get("meeting") or NEXT)
        self.asked = {"meeting": str(meeting.pk) if meeting else NEXT, "as_of": ""}
        self.as_of = None
        form = IssueForm(request.POST)
        errors = []
        if form.is_valid():
            try:
                issued = services.report_issue(strategy=self.strategy, meeting=meeting,
                                               by=request.user)  # fmt: skip
            except ValidationError as error:
                errors = [{"text": m, "href": "#issue"} for _, m in _messages(error)]
            else:
                messages.success(request, ISSUED_BANNER)
                return redirect("web:issued-report", slug=self.strategy.slug, pk=issued.pk)
        else:
            for name in ("meeting", "confirm"):
                for message in form.errors.get(name, ()):
                    errors.append(
                        {"text": message, "href": "#confirm" if name == "confirm" else "#issue"}
                    )
        try:
            draft = services.report_prepare(strategy=self.strategy, meeting=meeting,
                                            use_default_meeting=False)  # fmt: skip
        except ValidationError as error:
            return self.refused(error)
        return self.render_draft(draft, issue_form=form, errors=errors, status=400)


class IssuedPage(ReportPage):
    """An issued report as it was frozen: who issued it and when, its files, the pack."""

    template_name = "web/reports/issued.html"

    def get(self, request, *args, **kwargs):
        self.load()
        try:
            issued = selectors.issued_report(strategy=self.strategy, pk=kwargs["pk"])
        except IssuedReport.DoesNotExist:
            raise Http404("No such report") from None
        report = services.issued_content(issued)
        return self.render_to_response(
            self.context(
                page_title=f"Issued report: {issued.meeting.title}",
                issued=issued,
                report=report,
                files=list(issued.files.defer("content").order_by("id")),
                requirements=issued.requirements,
                blocks=render_blocks(report),
            )
        )


class IssuedFileDownload(Page, View):
    """One file of an issued report, byte for byte as it was issued."""

    permission_required = VIEW

    def get(self, request, slug, pk, format):
        strategy, _ = plan_or_404(slug)
        found = IssuedFile.objects.filter(report__strategy=strategy, report_id=pk, format=format)
        file = found.first()
        if file is None:
            raise Http404("No such file")
        return attachment(bytes(file.content), file.content_type, file.filename)


class PlanAsAt(ReportPage):
    """The plan's actions and the recommendations as they were at the end of a past day."""

    template_name = "web/reports/as_at.html"

    def get(self, request, *args, **kwargs):
        self.load()
        text = request.GET.get("date", "")
        today = timezone.localdate()
        error, day, report = "", None, None
        try:
            day = parse_day(text)
            if day is not None and day > today:
                raise DayError(
                    f"{format_date(day)} is in the future: the plan can only be shown as it "
                    "was on a day that has passed, or as it is today."
                )
            if day == today:
                data = plan_export(strategy=self.strategy, today=today)
            elif day is not None:
                data = plan_export_as_of(
                    strategy=self.strategy, moment=services.end_of_day(day), today=day
                )
        except (DayError, AsOfError) as exc:
            error = str(exc)
        else:
            if day is not None:
                report = build_report(data, as_of=day, committee="")
        title = f"The plan as at {format_date(day)}" if report else "The plan as at a past date"
        return self.render_to_response(
            self.context(
                page_title=title,
                date_text=text,
                day=day,
                today=today,
                report=report,
                error=error,
                errors=[{"text": error, "href": "#date"}] if error else [],
                form_has_errors=bool(error),
                hint=DAY_HINT,
            ),
            status=400 if error else 200,
        )


class ReportTemplatePage(ReportPage):
    """The council's own Word template for the pack: see it, upload or replace it, remove it.
    A refused upload is shown on the page (400) and the template kept as it was."""

    permission_required = MANAGE
    template_name = "web/reports/template.html"
    page_title = "The council's Word template"

    def current(self) -> ReportTemplate | None:
        return (
            ReportTemplate.objects.filter(strategy=self.strategy)
            .defer("content")
            .select_related("uploaded_by")
            .first()
        )

    def page(self, form: TemplateForm, status: int = 200):
        errors = [{"text": e, "href": "#template"} for e in form.errors.get("template", [])]
        return self.render_to_response(
            self.context(
                page_title=self.page_title,
                form=form,
                current=self.current(),
                errors=errors,
                form_has_errors=bool(errors),
                limit_mb=TemplateForm.limit_mb,
            ),
            status=status,
        )

    def get(self, request, *args, **kwargs):
        self.load()
        return self.page(TemplateForm())

    def post(self, request, *args, **kwargs):
        self.load()
        here = reverse("web:report-template", kwargs={"slug": self.strategy.slug})
        if request.POST.get("action") == "remove":
            if services.template_remove(strategy=self.strategy, by=request.user):
                messages.success(
                    request, "The template has been removed: the Word report uses its own style."
                )
            return redirect(here)
        form = TemplateForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["template"]
            try:
                saved = services.template_save(strategy=self.strategy, data=form.data_bytes,
                                               filename=upload.name, by=request.user)  # fmt: skip
            except ValidationError as error:
                for _, message in _messages(error):
                    form.add_error("template", message)
            else:
                messages.success(request, f"{saved.filename} is now the council's Word template.")
                return redirect(here)
        return self.page(form, status=400)


class ReportTemplateFile(Page, View):
    """The council's Word template as it was uploaded."""

    permission_required = MANAGE

    def get(self, request, slug):
        strategy, _ = plan_or_404(slug)
        found = ReportTemplate.objects.filter(strategy=strategy).first()
        if found is None:
            raise Http404("No template")
        response = attachment(bytes(found.content), FORMATS["docx"][2], found.filename)
        response["Content-Disposition"] = content_disposition_header(True, found.filename)
        return response
