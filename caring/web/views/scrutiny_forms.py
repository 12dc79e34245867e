"""Scrutiny forms: leads record meetings, what they resolved, responses, sign-off, questions and
tracker imports; the owners an item is assigned to post its progress or answer the question.

Every write goes through ``caring.governance.services``: a refusal is shown on the form naming
the field, with a 400, and nothing is saved.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from caring.accounts.models import Organisation
from caring.governance import services
from caring.governance.choices import (
    MeetingStatus,
    RequirementTopic,
    ResolutionKind,
    Response,
)
from caring.governance.importer import TrackerImportError, tracker_import
from caring.governance.models import Body, InformationRequest, Meeting
from caring.governance.tracker_reader import read_tracker
from caring.plans.choices import ActionStatus, Rag
from caring.web.views.manage import FormPage
from caring.web.views.scrutiny import MANAGE, resolution_for, strategy_or_404

DAY = "For example 30/11/2017 or 30 November 2017."
DUE = (
    "As the committee gave it: a date (31/03/2019), a period (Q3 2018/19, during the 2018/19 "
    "municipal year) or a time after the meeting (in 12 months). Leave blank if none was given."
)
TRACKER_LIMIT = 5 * 1024 * 1024


def _text(label, *, required=True, max_length=300, help_text="", rows=None, message=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=widget,
        error_messages={"required": message or f"Enter the {label.lower()}."},
    )


def _revision():
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "This form is out of date. Reload the page and try again."},
    )


def _organisations():
    return forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Responsible organisations",
        help_text="Their action owners can post progress or answer.",
    )


class ScrutinyForm(forms.Form):
    def organisation_choices(self):
        if "organisations" in self.fields:
            self.fields["organisations"].choices = [
                (str(o.pk), o.name) for o in Organisation.objects.filter(is_active=True)
            ]

    def chosen_organisations(self):
        ids = self.cleaned_data.get("organisations") or []
        return list(Organisation.objects.filter(pk__in=ids))


class MeetingAddForm(ScrutinyForm):
    body = forms.ChoiceField(label="Body", error_messages={"required": "Choose the body."})
    date = _text("Meeting date", max_length=40, help_text=DAY)
    status = forms.ChoiceField(
        choices=MeetingStatus.choices, widget=forms.RadioSelect, label="Status",
        error_messages={"required": "Choose the meeting's status."},
    )  # fmt: skip
    status_reason = _text(
        "Why it was postponed or cancelled",
        required=False,
        help_text="For example inclement weather.",
    )
    minute_ref = _text(
        "Minute reference", required=False, max_length=100, help_text="For example Minute No. 50."
    )
    agenda_title = _text(
        "Agenda item", required=False, help_text="For example Carers Strategy Update."
    )
    presenters = _text(
        "Presenters", required=False, max_length=2000, rows=3,
        help_text="Their roles, one per line, for example Change Leader, Adult Social Care.",
    )  # fmt: skip
    notes = _text("Summary of the discussion", required=False, max_length=20000, rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "Choose a body")] + [
            (str(b.pk), b.name) for b in Body.objects.all()
        ]


class MeetingEditForm(ScrutinyForm):
    status = MeetingAddForm.base_fields["status"]
    status_reason = MeetingAddForm.base_fields["status_reason"]
    rearranged_for = _text("New date, if postponed", required=False, max_length=40, help_text=DAY)
    minute_ref = MeetingAddForm.base_fields["minute_ref"]
    notes = MeetingAddForm.base_fields["notes"]


class ResolutionForm(ScrutinyForm):
    kind = forms.ChoiceField(
        choices=ResolutionKind.choices, widget=forms.RadioSelect, label="What was resolved",
        error_messages={"required": "Choose what kind of resolution it is."},
    )  # fmt: skip
    text = _text(
        "Resolution", max_length=5000, rows=4, help_text="As the minutes give it.",
        message="Enter what the meeting resolved, as the minutes give it.",
    )  # fmt: skip
    number = forms.IntegerField(
        required=False, min_value=1, max_value=999, label="Number in the minutes",
        help_text="Leave blank for the next number.",
        error_messages={"invalid": "Enter the number as digits, for example 3."},
    )  # fmt: skip
    lead_role = _text("Responsible lead", required=False, help_text="A role, not a name.")
    organisations = _organisations()
    due_text = _text("Due", required=False, max_length=200, help_text=DUE)
    requirement_topic = forms.ChoiceField(
        required=False, label="The next report must include",
        choices=[("", "Nothing in particular"), *RequirementTopic.choices],
        help_text="For a resolution such as 'the next update include equalities information'.",
    )  # fmt: skip
    requirement_text = _text("What it must include, in the committee's words", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_choices()


class ResponseForm(ScrutinyForm):
    response = forms.ChoiceField(
        choices=[c for c in Response.choices if c[0]], widget=forms.RadioSelect,
        label="The executive's response",
        error_messages={"required": "Choose the response: accepted, partly or not."},
    )  # fmt: skip
    response_date = _text("Date of the response", max_length=40, help_text=DAY)
    response_text = _text("The response", required=False, max_length=5000, rows=4)
    revision = _revision()


class ItemUpdateForm(ScrutinyForm):
    status = forms.ChoiceField(
        choices=ActionStatus.choices, widget=forms.RadioSelect, label="Status",
        error_messages={"required": "Choose the status."},
    )  # fmt: skip
    rag = forms.ChoiceField(choices=Rag.choices, required=False, label="Your rating")
    rag_rationale = _text("Why this rating", required=False, max_length=2000)
    narrative = _text(
        "What has happened since the last update", max_length=5000, rows=5,
        message="Write what has happened since the last update.",
    )  # fmt: skip
    evidence = _text(
        "Evidence", required=False, max_length=5000, rows=3,
        help_text="What shows the progress, for example 'Report to the Commission, 10 October "
        "2019'. Needed before an item is marked complete.",
    )  # fmt: skip
    evidence_url = forms.URLField(
        assume_scheme="https",
        required=False, max_length=500, label="Link to the evidence",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )  # fmt: skip
    new_due_text = _text("Due", required=False, max_length=200, help_text=DUE)
    due_reason = _text("Why the due date is changing", required=False, max_length=2000)
    revision = _revision()


class SignOffForm(ScrutinyForm):
    meeting = forms.ChoiceField(
        label="The meeting that signed it off",
        help_text="A later meeting that has been held.",
        error_messages={"required": "Choose the meeting at which the committee signed it off."},
    )
    note = _text("Note", required=False, max_length=2000, rows=3)
    revision = _revision()


class ItemActionsForm(ScrutinyForm):
    actions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Plan actions that deliver it"
    )
    new_ref = _text("Ref of a new action", required=False, max_length=20,
                    help_text="To add a new action for this item, for example QA3.")  # fmt: skip
    new_title = _text("Title of the new action", required=False, max_length=500)
    new_due = _text("New action's due date", required=False, max_length=100,
                    help_text="For example 31/03/2019, March 2019 or Q4 2018/19.")  # fmt: skip
    revision = _revision()


class RequestForm(ScrutinyForm):
    asked_by = _text("Asked by", help_text="A role, for example Members of the Commission.")
    question = _text(
        "Question", max_length=5000, rows=4, message="Enter the question members asked."
    )
    answerer_role = _text("To be answered by", required=False, help_text="A role.")
    organisations = _organisations()
    due_text = _text("Answer due", required=False, max_length=200, help_text=DUE)
    offered_outside_meeting = forms.BooleanField(
        required=False, label="The answer was offered outside the meeting"
    )
    answered_in_meeting = forms.BooleanField(
        required=False, label="Officers answered it at the meeting"
    )
    answer = _text("The answer given at the meeting", required=False, max_length=5000, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_choices()


class AnswerForm(ScrutinyForm):
    answer = _text(
        "Answer", max_length=10000, rows=6, message="Enter the answer that was sent to members."
    )
    answered_on = _text("Date the answer was sent", max_length=40, help_text=DAY)
    revision = _revision()


class TrackerImportForm(forms.Form):
    tracker = forms.FileField(
        label="Upload a recommendations tracker",
        help_text="An Excel workbook (.xlsx) or CSV file with the columns Reference, Origin "
        "committee, Date agreed, Recommendation, Executive date, Lead officer, Action taken and "
        "Status. Up to 5 MB.",
        error_messages={"required": "Choose a file to upload."},
    )


# --- pages -------------------------------------------------------------------------------------


class ScrutinyFormPage(FormPage):
    permission_required = MANAGE
    template_name = "web/scrutiny/form.html"
    submit_text = "Save"

    def load(self):
        self.strategy, self.version = strategy_or_404(self.kwargs["slug"])

    def cancel_url(self) -> str:
        return reverse("web:meetings", kwargs={"slug": self.strategy.slug})

    def context(self, form, conflict=None, **extra):
        extra.setdefault("cancel_url", self.cancel_url())
        extra.setdefault("submit_text", self.submit_text)
        return super().context(form, conflict=conflict, **extra)


class MeetingAdd(ScrutinyFormPage):
    form_class = MeetingAddForm
    page_title = "Add a meeting"
    submit_text = "Add meeting"

    def initial(self):
        return {"status": MeetingStatus.SCHEDULED}

    def save(self, form):
        data = form.cleaned_data
        body = get_object_or_404(Body, pk=data["body"])
        with transaction.atomic():
            meeting = services.meeting_create(
                strategy=self.strategy, body=body, date=data["date"], status=data["status"],
                status_reason=data["status_reason"], minute_ref=data["minute_ref"],
                notes=data["notes"], by=self.request.user,
            )  # fmt: skip
            if data["agenda_title"]:
                services.agenda_item_add(
                    meeting=meeting, title=data["agenda_title"], minute_ref=data["minute_ref"],
                    presenters=data["presenters"].splitlines(), by=self.request.user,
                )  # fmt: skip
        messages.success(self.request, f"The meeting of {meeting.title} has been added.")
        return redirect("web:meeting", slug=self.strategy.slug, pk=meeting.pk)


class MeetingMixin:
    def load(self):
        super().load()
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("body"), strategy=self.strategy, pk=self.kwargs["pk"]
        )

    def cancel_url(self):
        return reverse("web:meeting", kwargs={"slug": self.strategy.slug, "pk": self.meeting.pk})

    def context(self, form, conflict=None, **extra):
        extra.setdefault("caption", self.meeting.title)
        return super().context(form, conflict=conflict, **extra)


class MeetingEdit(MeetingMixin, ScrutinyFormPage):
    form_class = MeetingEditForm

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page_title", "Change the meeting's status and record")
        return super().get_context_data(**kwargs)

    def initial(self):
        m = self.meeting
        return {
            "status": m.status, "status_reason": m.status_reason,
            "rearranged_for": m.rearranged_for.strftime("%d/%m/%Y") if m.rearranged_for else "",
            "minute_ref": m.minute_ref, "notes": m.notes,
        }  # fmt: skip

    def save(self, form):
        data = form.cleaned_data
        services.meeting_edit(meeting=self.meeting, by=self.request.user, **data)
        messages.success(self.request, f"The meeting of {self.meeting.title} has been saved.")
        return redirect(self.cancel_url())


class ResolutionAdd(MeetingMixin, ScrutinyFormPage):
    form_class = ResolutionForm
    page_title = "Record a resolution"
    submit_text = "Add resolution"
    service_fields = {"ref": "number"}

    def initial(self):
        return {"kind": ResolutionKind.RECOMMENDATION}

    def save(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            resolution = services.resolution_create(
                meeting=self.meeting, text=data["text"], kind=data["kind"],
                number=data["number"], lead_role=data["lead_role"],
                organisations=form.chosen_organisations(), due_text=data["due_text"],
                by=self.request.user,
            )  # fmt: skip
            if data["requirement_topic"]:
                services.requirement_add(
                    resolution=resolution, topic=data["requirement_topic"],
                    text=data["requirement_text"],
                )  # fmt: skip
        messages.success(self.request, f"Resolution {resolution.ref} has been recorded.")
        return redirect(self.cancel_url())


class RequestAdd(MeetingMixin, ScrutinyFormPage):
    form_class = RequestForm
    page_title = "Record a member's question"
    submit_text = "Add question"

    def initial(self):
        return {"asked_by": "Members of the " + self.meeting.body.name}

    def save(self, form):
        data = form.cleaned_data
        services.information_request_create(
            meeting=self.meeting, asked_by=data["asked_by"], question=data["question"],
            answerer_role=data["answerer_role"], organisations=form.chosen_organisations(),
            due_text=data["due_text"], offered_outside_meeting=data["offered_outside_meeting"],
            answered_in_meeting=data["answered_in_meeting"], answer=data["answer"],
            by=self.request.user,
        )  # fmt: skip
        messages.success(self.request, "The question has been recorded.")
        return redirect(self.cancel_url())


class ItemMixin:
    def load(self):
        super().load()
        self.item = resolution_for(self.strategy, self.kwargs["pk"])

    def cancel_url(self):
        return reverse(
            "web:recommendation", kwargs={"slug": self.strategy.slug, "pk": self.item.pk}
        )

    def context(self, form, conflict=None, **extra):
        extra.setdefault("caption", self.item.ref)
        extra.setdefault("quote", self.item.text)
        return super().context(form, conflict=conflict, **extra)

    def done(self, message):
        messages.success(self.request, message)
        return redirect(self.cancel_url())


class ItemResponse(ItemMixin, ScrutinyFormPage):
    form_class = ResponseForm
    page_title = "Record the executive's response"
    submit_text = "Save response"

    def initial(self):
        r = self.item
        return {
            "response": r.response, "response_text": r.response_text, "revision": r.revision,
            "response_date": r.response_date.strftime("%d/%m/%Y") if r.response_date else "",
        }  # fmt: skip

    def save(self, form):
        data = form.cleaned_data
        services.resolution_respond(
            resolution=self.item, response=data["response"], response_date=data["response_date"],
            response_text=data["response_text"], by=self.request.user,
            expected_revision=data["revision"],
        )  # fmt: skip
        return self.done(f"The response to {self.item.ref} has been saved.")


class ItemUpdate(ItemMixin, ScrutinyFormPage):
    """Progress on a tracked item: its lead organisation's owners, and leads."""

    permission_required = "governance.update_item"
    form_class = ItemUpdateForm
    page_title = "Post progress"
    submit_text = "Post update"

    def get_permission_object(self):
        strategy, _ = strategy_or_404(self.kwargs["slug"])
        return resolution_for(strategy, self.kwargs["pk"])

    def initial(self):
        r = self.item
        return {
            "status": r.status,
            "rag": r.rag,
            "new_due_text": r.due_text,
            "revision": r.revision,
        }

    def save(self, form):
        data = form.cleaned_data
        services.resolution_update_post(
            resolution=self.item, by=self.request.user, narrative=data["narrative"],
            status=data["status"], rag=data["rag"] or "", rag_rationale=data["rag_rationale"],
            evidence=data["evidence"], evidence_url=data["evidence_url"],
            new_due_text=data["new_due_text"], due_reason=data["due_reason"],
            expected_revision=data["revision"],
        )  # fmt: skip
        return self.done(f"Your update on {self.item.ref} has been saved.")


class ItemSignOff(ItemMixin, ScrutinyFormPage):
    form_class = SignOffForm
    page_title = "Record the committee's sign-off"
    submit_text = "Sign off"

    def later_meetings(self):
        return Meeting.objects.filter(
            strategy=self.strategy, date__gt=self.item.meeting.date, status=MeetingStatus.HELD
        ).select_related("body")

    def build_form(self, data=None):
        form = super().build_form(data)
        form.fields["meeting"].choices = [("", "Choose a meeting")] + [
            (str(m.pk), m.title) for m in self.later_meetings()
        ]
        return form

    def initial(self):
        return {"revision": self.item.revision}

    def save(self, form):
        data = form.cleaned_data
        meeting = self.later_meetings().filter(pk=data["meeting"]).first()
        services.resolution_sign_off(
            resolution=self.item, meeting=meeting, note=data["note"], by=self.request.user,
            expected_revision=data["revision"],
        )  # fmt: skip
        return self.done(f"{self.item.ref} has been signed off and closed.")


class ItemActions(ItemMixin, ScrutinyFormPage):
    form_class = ItemActionsForm
    page_title = "Link plan actions"
    submit_text = "Save links"

    def plan_actions(self):
        return self.version.actions.filter(retired_at__isnull=True).order_by("ref")

    def build_form(self, data=None):
        form = super().build_form(data)
        form.fields["actions"].choices = [
            (str(a.pk), f"{a.ref}: {a.title}") for a in self.plan_actions()
        ]
        return form

    def initial(self):
        return {
            "actions": [str(a.pk) for a in self.item.actions.all()],
            "revision": self.item.revision,
        }

    def save(self, form):
        data = form.cleaned_data
        chosen = list(self.plan_actions().filter(pk__in=data["actions"]))
        with transaction.atomic():
            services.resolution_edit(
                resolution=self.item, text=self.item.text, kind=self.item.kind,
                lead_role=self.item.lead_role, organisations=list(self.item.organisations.all()),
                actions=chosen, by=self.request.user, expected_revision=data["revision"],
            )  # fmt: skip
            if data["new_ref"] or data["new_title"]:
                try:
                    services.resolution_action_create(
                        resolution=self.item, ref=data["new_ref"], title=data["new_title"],
                        due=data["new_due"] or None, by=self.request.user,
                    )  # fmt: skip
                except ValidationError as exc:
                    names = {"ref": "new_ref", "title": "new_title", "due": "new_due"}
                    raise ValidationError(
                        {names.get(k, "new_ref"): v for k, v in exc.message_dict.items()}
                    ) from None
        return self.done(f"The plan actions for {self.item.ref} have been saved.")


class RequestAnswer(ScrutinyFormPage):
    permission_required = "governance.answer_request"
    form_class = AnswerForm
    page_title = "Record the answer"
    submit_text = "Save answer"

    def get_permission_object(self):
        strategy, _ = strategy_or_404(self.kwargs["slug"])
        return get_object_or_404(InformationRequest, strategy=strategy, pk=self.kwargs["pk"])

    def load(self):
        super().load()
        self.request_item = get_object_or_404(
            InformationRequest.objects.select_related("meeting__body"),
            strategy=self.strategy, pk=self.kwargs["pk"],
        )  # fmt: skip

    def cancel_url(self):
        return reverse("web:information-requests", kwargs={"slug": self.strategy.slug})

    def initial(self):
        r = self.request_item
        return {
            "answer": r.answer, "revision": r.revision,
            "answered_on": r.answered_on.strftime("%d/%m/%Y") if r.answered_on else "",
        }  # fmt: skip

    def context(self, form, conflict=None, **extra):
        extra.setdefault("caption", self.request_item.ref)
        extra.setdefault("quote", self.request_item.question)
        return super().context(form, conflict=conflict, **extra)

    def save(self, form):
        data = form.cleaned_data
        services.information_request_answer(
            request=self.request_item, answer=data["answer"], answered_on=data["answered_on"],
            by=self.request.user, expected_revision=data["revision"],
        )  # fmt: skip
        messages.success(self.request, f"The answer to {self.request_item.ref} has been saved.")
        return redirect(self.cancel_url())


class TrackerImport(ScrutinyFormPage):
    form_class = TrackerImportForm
    page_title = "Import a recommendations tracker"
    submit_text = "Import"

    def cancel_url(self):
        return reverse("web:tracker", kwargs={"slug": self.strategy.slug})

    def context(self, form, conflict=None, **extra):
        extra.setdefault(
            "lede",
            "Every row is checked first: if any row has a problem, nothing is imported and each "
            "problem is listed by row and column.",
        )
        return super().context(form, conflict=conflict, **extra)

    def post(self, request, *args, **kwargs):
        self.load()
        form = TrackerImportForm(request.POST, request.FILES)
        problems = []
        if form.is_valid():
            upload = form.cleaned_data["tracker"]
            if upload.size > TRACKER_LIMIT:
                form.add_error("tracker", "The file is larger than 5 MB. Split it and try again.")
            else:
                read = read_tracker(upload.read(), filename=upload.name)
                try:
                    result = tracker_import(strategy=self.strategy, read=read, by=request.user)
                except TrackerImportError as exc:
                    problems = exc.problems
                    form.add_error(
                        "tracker",
                        f"Nothing was imported: the file has {len(problems)} "
                        f"problem{'s' if len(problems) != 1 else ''}, listed below.",
                    )
                else:
                    messages.success(request, result.summary)
                    return redirect("web:tracker", slug=self.strategy.slug)
        return self.render_to_response(self.context(form, problems=problems), status=400)
