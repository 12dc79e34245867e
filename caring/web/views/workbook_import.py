"""The lead's "Import a workbook" pages: upload, check what will happen, then confirm or cancel.

The upload is kept (``WorkbookUpload``) only until the lead decides. The preview runs the whole
import as a dry run (``workbook_import(dry_run=True)``: everything is done and rolled back), so
it shows exactly what confirming will do: a new version of the plan, or, for a workbook we
exported coming back, each action's changes field by field with a choice for every conflict.
Confirming runs it again for real with the lead's choices and the revisions the preview saw:
if anything changed in between, nothing is imported and the new preview says why.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from caring.plans import selectors
from caring.plans.models import WorkbookUpload
from caring.plans.services.imports import KEEP_APP, TAKE_WORKBOOK, ImportReport, workbook_import
from caring.web.views.base import Page, plan_or_404
from caring.workbooks.headers import FIELDS
from caring.workbooks.safety import Limits, WorkbookRefused, check_workbook

IMPORT = "plans.import_workbook"
KEEP_FOR = dt.timedelta(days=1)  # undecided uploads are deleted after this
FIELD_LABELS = {
    "ref": "Ref", "title": "Action", "description": "Description", "theme": "Theme",
    "lead": "Lead officer", "organisations": "Lead organisations", "commenced": "Date commenced",
    "due": "Timescale", "rag": "RAG rating", "status": "Status", "evidence": "Evidence",
    "progress": "Progress or latest update", "outcomes": "Strategy outcomes",
}  # fmt: skip
AUTOMATIC, NOT_HERE = "", "-"  # column choices: let us find it; the workbook has none
CONFLICTS_LISTED = "were changed both in the app since the export and in the workbook"


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Upload a workbook",
        error_messages={"required": "Choose the workbook (.xlsx) or CSV file to upload."},
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = Limits().max_bytes
        if upload.size > limit:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; the largest workbook we "
                f"take is {limit // 1024 // 1024} MB. Remove other sheets or split the plan."
            )
        data = upload.read()
        try:
            check_workbook(data, filename=upload.name)
        except WorkbookRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        self.data_bytes = data
        return upload


def _choices(report: ImportReport) -> list[tuple[str, str]]:
    found = [(letter, f"Column {letter}: {text}") for letter, text in report.headers.items()]
    return [(AUTOMATIC, "Find it for me"), (NOT_HERE, "Not in this workbook"), *found]


class ImportUpload(Page, TemplateView):
    """Choose the file."""

    permission_required = IMPORT
    template_name = "web/workbooks/upload.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.context(UploadForm()))

    def context(self, form, **extra):
        strategy, version = plan_or_404(self.kwargs["slug"])
        errors = [{"text": e, "href": "#workbook"} for e in form.errors.get("workbook", [])]
        return self.get_context_data(
            page_title="Import a workbook",
            strategy=strategy,
            version=version,
            data_updated=selectors.plan_last_changed(version=version),
            form=form,
            errors=errors,
            limit_mb=Limits().max_bytes // 1024 // 1024,
            **extra,
        )

    def post(self, request, *args, **kwargs):
        strategy, _ = plan_or_404(self.kwargs["slug"])
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.context(form), status=400)
        WorkbookUpload.objects.filter(uploaded_at__lt=timezone.now() - KEEP_FOR).delete()
        data = form.data_bytes
        upload = WorkbookUpload.objects.create(
            strategy_slug=strategy.slug,
            uploaded_by=request.user,
            filename=form.cleaned_data["workbook"].name[-255:],
            content=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        return redirect("web:import-preview", slug=strategy.slug, pk=upload.pk)


class ImportPreview(Page, TemplateView):
    """What the workbook will do, every problem, the columns read; then confirm or cancel."""

    permission_required = IMPORT
    template_name = "web/workbooks/preview.html"

    def load(self) -> WorkbookUpload:
        self.strategy, self.version = plan_or_404(self.kwargs["slug"])
        return get_object_or_404(  # another person's upload, or one decided, is not found
            WorkbookUpload,
            pk=self.kwargs["pk"],
            strategy_slug=self.strategy.slug,
            uploaded_by=self.request.user,
            decided_at__isnull=True,
        )

    def run(self, upload: WorkbookUpload, **kwargs) -> ImportReport:
        return workbook_import(
            data=bytes(upload.content),
            filename=upload.filename,
            strategy_slug=upload.strategy_slug,
            by=self.request.user,
            mapping=upload.mapping,
            **kwargs,
        )

    def preview(self, upload: WorkbookUpload) -> ImportReport:
        report = self.run(upload, dry_run=True)
        upload.expected_revisions = {str(c.action_id): c.revision for c in report.changes}
        upload.save(update_fields=["expected_revisions"])
        return report

    def get(self, request, *args, **kwargs):
        upload = self.load()
        return self.render_to_response(self.context(upload, self.preview(upload)))

    def post(self, request, *args, **kwargs):
        upload = self.load()
        action = request.POST.get("action")
        if action == "cancel":
            upload.content, upload.decided_at, upload.outcome = b"", timezone.now(), "cancelled"
            upload.save()
            messages.info(request, f"{upload.filename} was not imported; it has been deleted.")
            return redirect("web:actions", slug=self.strategy.slug)
        if action == "columns":
            upload.mapping = {
                name: ("" if choice == NOT_HERE else choice)
                for name in FIELDS
                if (choice := request.POST.get(f"column-{name}", AUTOMATIC)) != AUTOMATIC
            }
            upload.save(update_fields=["mapping"])
            return redirect("web:import-preview", slug=self.strategy.slug, pk=upload.pk)
        if action != "confirm":
            return self.render_to_response(
                self.context(upload, self.preview(upload),
                             stopped=["Choose to import the workbook or to cancel."]),
                status=400,
            )  # fmt: skip
        return self.confirm(upload)

    def confirm(self, upload: WorkbookUpload):
        choices = {
            f"{key.split('-')[1]}:{key.split('-', 2)[2]}": value
            for key, value in self.request.POST.items()
            if key.startswith("resolve-") and key.count("-") >= 2
            and value in (KEEP_APP, TAKE_WORKBOOK)
        }  # fmt: skip
        name = (self.request.POST.get("version_name") or "").strip()[:200] or None
        report = self.run(
            upload,
            resolutions=choices,
            expected_revisions={int(k): v for k, v in upload.expected_revisions.items()},
            version_name=name,
        )
        if report.imported:
            upload.content, upload.decided_at, upload.outcome = b"", timezone.now(), "imported"
            upload.save()
            messages.success(self.request, _done(report, upload.filename))
            return redirect("web:actions", slug=self.strategy.slug)
        unresolved = [(c.action_id, f.field) for c, f in report.unresolved]
        # Show the preview as it stands now (the lead's choices kept) and, above it, why the
        # import stopped; a choice not made is marked on its radios instead.
        shown = self.preview(upload)
        known = {p.message for p in shown.problems}
        stopped = [
            p.message
            for p in report.problems
            if p.severity == "error" and p.message not in known
            and not (unresolved and CONFLICTS_LISTED in p.message)
        ]  # fmt: skip
        return self.render_to_response(
            self.context(upload, shown, stopped=stopped, choices=choices, unresolved=unresolved,
                         version_name=name or ""),
            status=400,
        )  # fmt: skip

    def context(self, upload, report: ImportReport, *, stopped=(), choices=None, unresolved=(),
                version_name=""):  # fmt: skip
        errors = [p for p in report.problems if p.severity == "error"]
        summary = [{"text": text, "href": "#what-happens"} for text in stopped]
        summary += [
            {"text": f"Choose which value to keep for {c.ref}: {f.label}",
             "href": f"#resolve-{c.action_id}-{f.field}"}
            for c, f in report.unresolved if (c.action_id, f.field) in set(unresolved)
        ]  # fmt: skip
        summary += [{"text": _where(p) + p.message, "href": "#problems"} for p in errors[:20]]
        if len(errors) > 20:
            summary.append({"text": f"and {len(errors) - 20} more problems", "href": "#problems"})
        columns = [
            {
                "field": name,
                "label": FIELD_LABELS[name],
                "letter": report.mapping.get(name, ""),
                "header": report.headers.get(report.mapping.get(name, ""), ""),
                "chosen": ("-" if upload.mapping[name] == "" else upload.mapping[name])
                if name in upload.mapping
                else AUTOMATIC,
            }
            for name in FIELDS
        ]
        return self.get_context_data(
            page_title="Check the workbook before importing",
            strategy=self.strategy,
            version=self.version,
            data_updated=selectors.plan_last_changed(version=self.version),
            upload=upload,
            report=report,
            errors=summary,
            problems=sorted(report.problems, key=lambda p: (p.severity != "error", p.row or 0)),
            columns=columns,
            column_choices=_choices(report),
            choices=choices or {},
            unresolved=set(unresolved),
            version_name=version_name,
            can_import=not report.refused,
        )


def _where(problem) -> str:
    where = problem.place
    return f"{where[:1].upper()}{where[1:]}: " if where else ""


def _done(report: ImportReport, filename: str) -> str:
    if report.mode == "update":
        added = f" and added {report.actions} new actions" if report.actions else ""
        return (
            f"{filename} was imported: {report.updated} actions were changed{added}, each "
            f"with an update in your name; {report.unchanged} were unchanged."
        )
    return (
        f"{filename} was imported as a new version of the plan, “{report.version}”, with "
        f"{report.actions} actions in {report.themes} themes."
    )
