"""Posting a progress update on an action: status, rating, narrative, evidence, a new date."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from caring.plans import services
from caring.plans.choices import ActionStatus, EvidenceKind, Rag
from caring.plans.services import ConflictError, EvidenceInput
from caring.web.views.action import action_for
from caring.web.views.base import Page

# Service refusals whose field is not one of the form's: shown against the narrative.
SERVICE_FIELDS = {"reported_on": "narrative", "action": "narrative"}


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        label="Status",
        error_messages={"required": "Choose the action's status.",
                        "invalid_choice": "Choose one of the statuses listed."},
    )  # fmt: skip
    rag = forms.ChoiceField(choices=Rag.choices, required=False, label="Your rating")
    rag_rationale = forms.CharField(required=False, max_length=2000, label="Why this rating")
    narrative = forms.CharField(
        max_length=5000,
        label="What has happened since the last update",
        error_messages={"required": "Write what has happened since the last update."},
    )
    evidence_kind = forms.ChoiceField(
        choices=[("", "No evidence this time"), *EvidenceKind.choices],
        required=False,
        label="Add evidence",
    )
    evidence_title = forms.CharField(required=False, max_length=200, label="Describe the evidence")
    evidence_text = forms.CharField(required=False, max_length=5000, label="The evidence")
    evidence_url = forms.CharField(required=False, max_length=500, label="Link to the evidence")
    evidence_file = forms.FileField(required=False, label="Upload a file")
    new_due = forms.CharField(required=False, max_length=100, label="New due date (optional)")
    due_reason = forms.CharField(required=False, max_length=2000, label="Why the date is changing")
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "This form is out of date. Reload the page and try again."},
    )

    def evidence(self) -> list[EvidenceInput]:
        data = self.cleaned_data
        if not data.get("evidence_kind"):
            return []
        return [
            EvidenceInput(
                kind=data["evidence_kind"],
                title=data.get("evidence_title", ""),
                text=data.get("evidence_text", ""),
                url=data.get("evidence_url", ""),
                file=data.get("evidence_file"),
            )
        ]


class PostUpdate(Page, TemplateView):
    permission_required = "plans.post_update"
    template_name = "web/post_update.html"

    def get_permission_object(self):
        if not hasattr(self, "action"):
            self.action = action_for(self.kwargs["slug"], self.kwargs["ref"])
        return self.action

    def get(self, request, *args, **kwargs):
        action = self.get_permission_object()
        form = UpdateForm(
            initial={"status": action.status, "rag": action.rag, "revision": action.revision}
        )
        return self.render_to_response(self.context(form))

    def post(self, request, *args, **kwargs):
        action = self.get_permission_object()
        form = UpdateForm(request.POST, request.FILES)
        conflict = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_update_post(
                    action=action,
                    by=request.user,
                    narrative=data["narrative"],
                    status=data["status"],
                    rag=data.get("rag") or "",
                    rag_rationale=data.get("rag_rationale", ""),
                    evidence=form.evidence(),
                    new_due=data.get("new_due") or None,
                    due_reason=data.get("due_reason", ""),
                    expected_revision=data["revision"],
                )
            except ConflictError as exc:
                conflict = str(exc)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    name = SERVICE_FIELDS.get(field, field)
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, f"Your update on {action.ref} has been saved.")
                return redirect("web:action", slug=kwargs["slug"], ref=action.ref)
        return self.render_to_response(self.context(form, conflict=conflict), status=400)

    def context(self, form, conflict=None):
        action = self.action
        field_errors = {name: errs[0] for name, errs in form.errors.items() if name != "__all__"}
        summary = [{"text": conflict, "href": "#narrative"}] if conflict else []
        summary += [{"text": text, "href": f"#{name}"} for name, text in field_errors.items()]
        summary += [{"text": text, "href": "#narrative"} for text in form.non_field_errors()]
        return self.get_context_data(
            page_title=f"Post an update on {action.ref}",
            strategy=action.version.strategy,
            action=action,
            form=form,
            field_errors=field_errors,
            errors=summary,
            form_has_errors=bool(summary),
            conflict=conflict,
            data_updated=action.updated_at,
        )
