"""The Quality Assurance Framework's forms: data officers and leads record values (one at a time
or from a file), GP practices' register reports and training sessions; an indicator's owner (or
a lead) approves its values, or withdraws an approval with the reason.

Every write goes through ``caring.indicators.services``: a refusal is shown on the form naming
the field, with a 400, and nothing is saved. A value approved or changed by someone else since
the page was loaded is refused with the service's message (``ConflictError``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from caring.indicators import selectors, services
from caring.indicators.assess import fmt
from caring.indicators.choices import Frequency, ValueStatus
from caring.indicators.models import DataSource, Indicator, Value
from caring.indicators.services import ImportRefused
from caring.indicators.values_reader import read_values
from caring.plans.dates import DateKind, parse_council_date
from caring.plans.selectors import natural_key
from caring.plans.services import ConflictError
from caring.web.views.base import Page, plan_or_404
from caring.web.views.indicators import (
    APPROVE,
    ENTER,
    IndicatorDetail,
    period_label,
)
from caring.web.views.manage import FormPage

DAY_HINT = "For example 31/03/2019 or 31 March 2019."
UPLOAD_LIMIT = 5 * 1024 * 1024
PERIOD_HINTS = {
    Frequency.MONTHLY: "A month, for example April 2018 or 2018-04.",
    Frequency.QUARTERLY: "A quarter of the financial year (quarters start in April), for "
    "example Q3 2018/19 for October to December 2018.",
    Frequency.ANNUAL: "A financial year (April to March), for example 2018/19.",
    Frequency.BIENNIAL: "The financial year of the survey, for example 2018/19.",
}
VALUE_HINTS = {
    "percentage": "A percentage from 0 to 100, for example 45.6. Leave it blank to work it out "
    "from the numerator and denominator.",
    "rate_per_1000": "A rate per 1,000, for example 12.3. Leave it blank to work it out from the "
    "numerator and denominator.",
    "score": "For example 7.5.",
    "count": "For example 27.",
}
OUT_OF_DATE = "This form is out of date. Reload the page and try again."


class DayField(forms.CharField):
    """A day as people write it ("31/03/2019", "31 March 2019"): a date, or None when blank."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = DAY_HINT):
        super().__init__(
            label=label,
            required=required,
            max_length=40,
            help_text=help_text,
            error_messages={"required": f"Enter the {label.lower()}. {DAY_HINT}"},
        )

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_council_date(text)
        if parsed.kind != DateKind.EXACT or parsed.first is None:
            raise forms.ValidationError(f"'{text}' is not a day we can read. {DAY_HINT}")
        return parsed.first


def _text(label, *, required=False, max_length=300, help_text="", rows=None, message=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages={
            "required": message or f"Enter the {label.lower()}.",
            "max_length": f"The {label.lower()} can be at most {max_length} characters.",
        },
    )


def _number(label, *, help_text="", width="govuk-input--width-10"):
    field = _text(label, max_length=40, help_text=help_text)
    field.widget.attrs["class"] = width
    return field


# --- forms ---------------------------------------------------------------------------------------


class ValueForm(forms.Form):
    period = _text("Period", max_length=60,
                   message="Enter the period the value is for.")  # fmt: skip
    value = _number("Value")
    numerator = _number(
        "Numerator (optional)", help_text="For a percentage or rate: the number counted."
    )
    denominator = _number(
        "Denominator (optional)", help_text="For a percentage or rate: the number it is out of."
    )
    source = forms.ChoiceField(required=False, label="Data source")
    new_source = _text(
        "Or the name of a new data source",
        max_length=200,
        help_text="If the source is not in the list, for example 'Young Carers Council survey'.",
    )
    extracted_on = DayField(
        label="Date extracted (optional)",
        help_text=f"When the figure was taken from the source. {DAY_HINT}",
    )
    note = _text(
        "Data-quality note (optional)", max_length=5000, rows=3,
        help_text="Anything a reader should know: gaps, estimates, a change of definition.",
    )  # fmt: skip

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].help_text = PERIOD_HINTS.get(indicator.frequency, "")
        self.fields["value"].help_text = VALUE_HINTS.get(indicator.unit, "")
        self.fields["source"].choices = [("", "Choose a data source")] + [
            (str(s.pk), s.name) for s in DataSource.objects.all()
        ]

    def clean(self):
        data = super().clean()
        chosen, named = data.get("source"), (data.get("new_source") or "").strip()
        if chosen and named:
            self.add_error("new_source", "Choose a data source or name a new one, not both.")
        elif not chosen and not named and "new_source" not in self.errors:
            self.add_error("source", "Choose the data source, or name a new one below.")
        elif chosen:
            data["source_object"] = DataSource.objects.filter(pk=chosen).first()
            if data["source_object"] is None:
                self.add_error("source", "Choose a data source from the list.")
        return data


class WithdrawForm(forms.Form):
    reason = _text(
        "Why the approval is withdrawn", required=True, max_length=2000, rows=4,
        help_text="It is added to the value's data-quality note, for example 'the figure "
        "double-counted carers who moved between teams; a corrected figure will follow'.",
        message="Say why the approval is withdrawn.",
    )  # fmt: skip
    value = forms.IntegerField(widget=forms.HiddenInput,
                               error_messages={"required": OUT_OF_DATE})  # fmt: skip
    revision = forms.IntegerField(widget=forms.HiddenInput,
                                  error_messages={"required": OUT_OF_DATE})  # fmt: skip


class RegisterForm(forms.Form):
    practice = forms.ChoiceField(
        label="GP practice", error_messages={"required": "Choose the GP practice."}
    )
    size = _number(
        "Patients on the carers' register",
        help_text="The number of patients the practice has coded as carers, for example 240.",
    )
    reviewed_on = DayField(
        label="Date the practice last reviewed its register (optional)",
        help_text=f"Leave it blank if the register has never been reviewed. {DAY_HINT}",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].required = True
        self.fields["size"].error_messages["required"] = (
            "Enter the number of patients on the carers' register, for example 240."
        )
        self.fields["practice"].choices = [("", "Choose a practice")] + [
            (str(p.pk), f"{p.name} ({p.code})")
            for p in selectors.active_practices().order_by("name")
        ]


class TrainingForm(forms.Form):
    title = _text("Session title", required=True,
                  help_text="For example Bite size: recognising young carers.")  # fmt: skip
    date = DayField(label="Date of the session", required=True)
    provider = _text("Provider", required=True, max_length=200,
                     help_text="Who ran it, for example Barnardo's.")  # fmt: skip
    places = forms.IntegerField(
        label="Places offered",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the number of places offered, for example 20.",
            "invalid": "Enter the number of places as a whole number, for example 20.",
        },
    )
    attendance = forms.IntegerField(
        required=False,
        label="Attendance (optional)",
        help_text="How many came. Leave it blank for a session still to come.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter the attendance as a whole number, for example 17."},
    )
    feedback_score = _number(
        "Average feedback score (optional)", help_text="Out of 5, for example 4.5.",
        width="govuk-input--width-5",
    )  # fmt: skip


class UploadForm(forms.Form):
    values = forms.FileField(
        label="Upload a file of values",
        help_text="An Excel workbook (.xlsx) or CSV file with the columns Indicator code, Period "
        "and Value (or Numerator and Denominator), and if you have them Source, Date extracted "
        "and Note. One row for each value. Up to 5 MB.",
        error_messages={"required": "Choose a file to upload."},
    )


class ChooseForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator", error_messages={"required": "Choose the indicator."}
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = sorted(
            Indicator.objects.filter(strategy=strategy), key=lambda i: natural_key(i.code)
        )
        self.fields["indicator"].choices = [("", "Choose an indicator")] + [
            (i.code, f"{i.code}: {i.title}") for i in indicators
        ]


# --- form pages ----------------------------------------------------------------------------------


class IndicatorFormPage(FormPage):
    """A form on the indicators' pages (errors on the form, 400, nothing saved)."""

    permission_required = ENTER
    template_name = "web/indicators/form.html"
    submit_text = "Save"

    def cancel_url(self) -> str:
        return reverse("web:indicators", kwargs={"slug": self.strategy.slug})

    def context(self, form, conflict=None, **extra):
        errors = self.form_errors(form, conflict)
        extra.setdefault("cancel_url", self.cancel_url())
        extra.setdefault("submit_text", self.submit_text)
        return self.get_context_data(
            strategy=self.strategy,
            form=form,
            errors=errors,
            form_has_errors=bool(errors),
            conflict=conflict,
            **extra,
        )


class IndicatorMixin:
    def load(self):
        super().load()
        self.indicator = get_object_or_404(
            Indicator.objects.select_related("owner"), strategy=self.strategy,
            code=self.kwargs["code"],
        )  # fmt: skip

    def cancel_url(self):
        return reverse(
            "web:indicator", kwargs={"slug": self.strategy.slug, "code": self.indicator.code}
        )

    def context(self, form, conflict=None, **extra):
        extra.setdefault("caption", f"{self.indicator.code}: {self.indicator.title}")
        return super().context(form, conflict=conflict, **extra)


def approver(indicator: Indicator) -> str:
    if indicator.owner_role:
        return f"the indicator's owner ({indicator.owner_role})"
    return "the indicator's owner or a strategy lead"


class ValueAdd(IndicatorMixin, IndicatorFormPage):
    form_class = ValueForm
    page_title = "Record a value"
    submit_text = "Save as a draft"

    def form_kwargs(self):
        return {"indicator": self.indicator}

    def initial(self):
        first = self.indicator.sources.first()
        return {"source": str(first.pk) if first else ""}

    def context(self, form, conflict=None, **extra):
        indicator = self.indicator
        lede = (
            f"{indicator.get_unit_display()}, {indicator.get_frequency_display().lower()}. "
            f"The value is saved as a draft: it is published once {approver(indicator)} "
            "approves it."
        )
        if indicator.computed:
            lede += (
                f" Caring Together can work this indicator out from its own records "
                f"({indicator.get_computed_display()})."
            )
        extra.setdefault("lede", lede)
        return super().context(form, conflict=conflict, **extra)

    def save(self, form):
        data = form.cleaned_data
        value = services.value_record(
            indicator=self.indicator, period=data["period"],
            source=data.get("source_object") or data["new_source"], value=data["value"],
            numerator=data["numerator"], denominator=data["denominator"],
            extracted_on=data["extracted_on"], note=data["note"], by=self.request.user,
        )  # fmt: skip
        label = period_label(value.period_key, self.indicator.frequency)
        messages.success(
            self.request,
            f"The value of {self.indicator.code} for {label} has been saved as a draft, awaiting "
            "approval.",
        )
        return redirect(self.cancel_url())


class ValueStart(Page, TemplateView):
    """Choose the indicator to record a value for (from the indicators page's button)."""

    permission_required = ENTER
    template_name = "web/indicators/choose.html"

    def get(self, request, *args, **kwargs):
        strategy, _ = plan_or_404(self.kwargs["slug"])
        bound = "indicator" in request.GET
        form = ChooseForm(request.GET if bound else None, strategy=strategy)
        if bound and form.is_valid():
            return redirect(
                "web:indicator-value-add", slug=strategy.slug, code=form.cleaned_data["indicator"]
            )
        errors = [{"text": e, "href": "#indicator"} for e in form.errors.get("indicator", [])]
        context = self.get_context_data(
            page_title="Record a value", strategy=strategy, form=form, errors=errors,
            form_has_errors=bool(errors),
            cancel_url=reverse("web:indicators", kwargs={"slug": strategy.slug}),
        )  # fmt: skip
        return self.render_to_response(context, status=400 if errors else 200)


class ValuesUpload(IndicatorFormPage):
    form_class = UploadForm
    page_title = "Upload indicator values"
    submit_text = "Upload and import"
    template_name = "web/indicators/upload.html"

    def post(self, request, *args, **kwargs):
        self.load()
        form = UploadForm(request.POST, request.FILES)
        problems = []
        if form.is_valid():
            upload = form.cleaned_data["values"]
            if upload.size > UPLOAD_LIMIT:
                form.add_error(
                    "values",
                    f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest we take is "
                    "5 MB. Split it into smaller files and upload each.",
                )
            else:
                read = read_values(upload.read(), upload.name)
                try:
                    result = services.values_import(
                        strategy=self.strategy, read=read, by=request.user, sheet=read.sheet
                    )
                except ImportRefused as exc:
                    problems = exc.problems
                    form.add_error(
                        "values",
                        f"Nothing was imported: the file has {len(problems)} "
                        f"problem{'s' if len(problems) != 1 else ''}, listed below.",
                    )
                else:
                    left_out = [p for p in read.problems if p.severity == "warning"]
                    note = (
                        f" {len(left_out)} row{'s' if len(left_out) != 1 else ''} without a "
                        "value left out."
                        if left_out
                        else ""
                    )
                    messages.success(request, f"{upload.name}: {result.summary}{note}")
                    return redirect("web:indicators", slug=self.strategy.slug)
        return self.render_to_response(self.context(form, problems=problems), status=400)


class RegisterAdd(IndicatorFormPage):
    form_class = RegisterForm
    page_title = "Record a practice's carers' register"
    submit_text = "Save the register report"

    def cancel_url(self):
        return reverse("web:practices", kwargs={"slug": self.strategy.slug})

    def save(self, form):
        data = form.cleaned_data
        practice = selectors.active_practices().filter(pk=data["practice"]).first()
        if practice is None:
            raise ValidationError({"practice": "Choose an active GP practice from the list."})
        services.register_record(
            practice=practice, size=data["size"], reviewed_on=data["reviewed_on"],
            by=self.request.user,
        )  # fmt: skip
        messages.success(
            self.request, f"The carers' register report of {practice.name} has been saved."
        )
        return redirect(self.cancel_url())


class TrainingAdd(IndicatorFormPage):
    form_class = TrainingForm
    page_title = "Add a training session"
    submit_text = "Add the session"

    def cancel_url(self):
        return reverse("web:training", kwargs={"slug": self.strategy.slug})

    def save(self, form):
        data = form.cleaned_data
        session = services.training_session_add(
            strategy=self.strategy, title=data["title"], date=data["date"],
            provider=data["provider"], places=data["places"], attendance=data["attendance"],
            feedback_score=data["feedback_score"],
        )  # fmt: skip
        messages.success(self.request, f"The session “{session.title}” has been added.")
        return redirect(self.cancel_url())


# --- approval ---------------------------------------------------------------------------------


class IndicatorPermission:
    """The permission is checked against the indicator (its owner approves its values)."""

    def get_permission_object(self):
        strategy, _ = plan_or_404(self.kwargs["slug"])
        return get_object_or_404(Indicator, strategy=strategy, code=self.kwargs["code"])


class ValueApprove(IndicatorPermission, IndicatorDetail):
    """Approve a draft value (a button on the indicator's page): it is then published."""

    permission_required = APPROVE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.load()
        try:
            pk, revision = int(request.POST.get("value", "")), int(request.POST.get("revision", ""))
        except ValueError:
            return self.refuse(OUT_OF_DATE)
        value = Value.objects.select_related("indicator").filter(
            pk=pk, indicator=self.indicator
        ).first()  # fmt: skip
        if value is None:
            return self.refuse("That value is not one of this indicator's. Reload the page.")
        try:
            services.value_approve(value=value, by=request.user, expected_revision=revision)
        except ConflictError as exc:
            return self.refuse(str(exc))
        except ValidationError as exc:
            return self.refuse(" ".join(exc.messages))
        label = period_label(value.period_key, self.indicator.frequency)
        messages.success(
            request, f"The value of {self.indicator.code} for {label} is approved and published."
        )
        return redirect("web:indicator", slug=self.strategy.slug, code=self.indicator.code)

    def refuse(self, message: str):
        context = self.context(errors=[{"text": message, "href": "#values"}], form_has_errors=True)
        return self.render_to_response(context, status=400)


class ValueWithdraw(IndicatorPermission, IndicatorMixin, IndicatorFormPage):
    """Take an approved value back to draft, with the reason (a correction is coming)."""

    permission_required = APPROVE
    form_class = WithdrawForm
    page_title = "Withdraw the approval of a value"
    submit_text = "Withdraw approval"

    def load(self):
        super().load()
        self.value = None
        raw = self.request.POST.get("value") or self.request.GET.get("value")
        if raw and raw.isdigit():
            self.value = (
                Value.objects.select_related("indicator", "source")
                .filter(pk=int(raw), indicator=self.indicator)
                .first()
            )

    def get(self, request, *args, **kwargs):
        self.load()
        if self.value is None or self.value.status != ValueStatus.APPROVED:
            raise Http404("No approved value of this indicator to withdraw.")
        return self.render_to_response(self.context(self.build_form()))

    def initial(self):
        return {"value": self.value.pk, "revision": self.value.revision}

    def context(self, form, conflict=None, **extra):
        if self.value is not None:
            label = period_label(self.value.period_key, self.indicator.frequency)
            shown = fmt(self.value.value, unit=self.indicator.unit,
                                  decimals=self.indicator.decimals)  # fmt: skip
            extra.setdefault(
                "quote", f"{label}: {shown}, from {self.value.source.name}. Approved values are "
                "published; once withdrawn it is a draft again, shown only to those who enter "
                "and approve values, until it is corrected and approved.",
            )  # fmt: skip
        return super().context(form, conflict=conflict, **extra)

    def save(self, form):
        data = form.cleaned_data
        if self.value is None or self.value.pk != data["value"]:
            raise ValidationError({"value": OUT_OF_DATE})
        services.value_withdraw(
            value=self.value, by=self.request.user, reason=data["reason"],
            expected_revision=data["revision"],
        )  # fmt: skip
        label = period_label(self.value.period_key, self.indicator.frequency)
        messages.success(
            self.request,
            f"The approval of {self.indicator.code} for {label} has been withdrawn: the value is "
            "a draft again.",
        )
        return redirect(self.cancel_url())
