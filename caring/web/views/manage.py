"""The strategy lead's pages: add, change and retire actions; add and change themes and outcomes.

Only strategy leads and administrators (``plans.manage_plan``) see these pages. Every write goes
through ``caring.plans.services``; a refusal is shown on the form, naming the field, and nothing
is saved.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from caring.accounts.models import Organisation
from caring.plans import selectors, services
from caring.plans.choices import ActionStatus, DateKindChoice
from caring.plans.models import Action, PlanVersion
from caring.plans.services import ConflictError
from caring.web.views.action import action_for
from caring.web.views.base import Page, plan_or_404

MANAGE = "plans.manage_plan"
DATE_HINT = "Write it as you would in the plan, for example 31/03/2019, March 2019 or Q4 2018/19."
NO_THEME = "none"


def unreadable_dates(action: Action) -> list[str]:
    """Plain words about any date given for ``action`` that could not be read as a date."""
    found = []
    for label, text, kind in (
        ("date commenced", action.commenced_text, action.commenced_kind),
        ("due date", action.due_text, action.due_kind),
    ):
        if kind == DateKindChoice.UNPARSED:
            found.append(
                f"The {label} “{text}” could not be read as a date. It has been kept as written "
                "and the action is flagged “Date not readable” until it is corrected."
            )
    return found


# --- form fields --------------------------------------------------------------------------------


class MoneyField(forms.DecimalField):
    """An amount in pounds: "£2,500.50" is read as 2500.50."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


def money_field(label: str, what: str) -> MoneyField:
    example = f"Enter the {what} in pounds, for example 2500 or 2500.50."
    return MoneyField(
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        label=label,
        error_messages={
            "invalid": example,
            "min_value": f"The {what} can't be negative.",
            "max_digits": f"The {what} must be less than £10,000,000,000.",
            "max_whole_digits": f"The {what} must be less than £10,000,000,000.",
            "max_decimal_places": f"Enter the {what} in pounds and pence, for example 2500.50.",
        },
    )


class ActionDetailsForm(forms.Form):
    """What the add and change pages for an action share."""

    title = forms.CharField(
        max_length=500,
        label="What the action will do",
        error_messages={
            "required": "Enter what the action will do.",
            "max_length": "What the action will do must be 500 characters or fewer.",
        },
    )
    description = forms.CharField(required=False, label="Description (optional)")
    theme = forms.ChoiceField(
        label="Theme",
        error_messages={
            "required": "Choose the theme the action belongs to, or No theme.",
            "invalid_choice": "Choose one of the themes listed.",
        },
    )
    outcomes = forms.MultipleChoiceField(
        required=False,
        label="Strategy outcomes",
        error_messages={"invalid_choice": "Choose from the outcomes listed."},
    )
    lead_role = forms.CharField(
        required=False,
        max_length=200,
        label="Lead",
        error_messages={"max_length": "The lead must be 200 characters or fewer."},
    )
    organisations = forms.MultipleChoiceField(
        required=False,
        label="Lead organisations",
        error_messages={"invalid_choice": "Choose from the organisations listed."},
    )
    commenced = forms.CharField(
        required=False,
        max_length=100,
        label="Date commenced (optional)",
        error_messages={"max_length": "The date commenced must be 100 characters or fewer."},
    )
    ongoing = forms.BooleanField(required=False, label="Ongoing work")
    budget = money_field("Budget (optional)", "budget")

    def __init__(self, *args, version: PlanVersion, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in version.themes.order_by("number")}
        self.fields["theme"].choices = [
            (pk, f"{t.number}. {t.name} (refs begin {t.prefix})") for pk, t in self.themes.items()
        ] + [(NO_THEME, "No theme")]
        self.outcome_objects = {str(o.pk): o for o in version.strategy.outcomes.order_by("number")}
        self.fields["outcomes"].choices = [
            (pk, f"{o.number}. {o.title}") for pk, o in self.outcome_objects.items()
        ]
        # Inactive organisations are offered only to actions they already lead.
        led = Q(pk__in=action.organisations.all()) if action is not None else Q(pk__in=[])
        self.organisation_objects = {
            str(o.pk): o for o in Organisation.objects.filter(Q(is_active=True) | led)
        }
        self.fields["organisations"].choices = [
            (pk, o.name) for pk, o in self.organisation_objects.items()
        ]

    def chosen_theme(self):
        value = self.cleaned_data["theme"]
        return None if value == NO_THEME else self.themes[value]

    def chosen_outcomes(self) -> list:
        return [self.outcome_objects[pk] for pk in self.cleaned_data["outcomes"]]

    def chosen_organisations(self) -> list:
        return [self.organisation_objects[pk] for pk in self.cleaned_data["organisations"]]

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "title": action.title,
            "description": action.description,
            "theme": str(action.theme_id) if action.theme_id else NO_THEME,
            "outcomes": [str(pk) for pk in action.outcomes.values_list("pk", flat=True)],
            "lead_role": action.lead_role,
            "organisations": [str(pk) for pk in action.organisations.values_list("pk", flat=True)],
            "commenced": action.commenced_text,
            "ongoing": action.ongoing,
            "budget": action.budget,
            "spend": action.spend,
            "revision": action.revision,
        }


class ActionAddForm(ActionDetailsForm):
    ref = forms.CharField(
        max_length=20,
        label="Ref",
        error_messages={
            "required": "Enter the action's ref, for example YC7.",
            "max_length": "The ref must be 20 characters or fewer.",
        },
    )
    due = forms.CharField(
        required=False,
        max_length=100,
        label="Due date (optional)",
        error_messages={"max_length": "The due date must be 100 characters or fewer."},
    )
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        label="Status",
        error_messages={
            "required": "Choose the action's status.",
            "invalid_choice": "Choose one of the statuses listed.",
        },
    )

    field_order = [
        "ref", "title", "description", "theme", "outcomes", "lead_role", "organisations",
        "commenced", "due", "ongoing", "status", "budget",
    ]  # fmt: skip


class ActionEditForm(ActionDetailsForm):
    spend = money_field("Spend so far (optional)", "spend")
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date. Reload the page and try again.",
            "invalid": "This form is out of date. Reload the page and try again.",
        },
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        label="Why the action is being retired",
        error_messages={
            "required": "Give the reason the action is being retired.",
            "max_length": "The reason must be 2000 characters or fewer.",
        },
    )


def number_field(what: str) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        max_value=999,
        label="Number",
        error_messages={
            "required": f"Enter the {what}'s number, for example 3.",
            "invalid": f"Enter the {what}'s number as a whole number, for example 3.",
            "min_value": f"The {what}'s number must be 1 or more.",
            "max_value": f"The {what}'s number must be 999 or less.",
        },
    )


class ThemeForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Name",
        error_messages={
            "required": "Enter the theme's name, for example Young Carers.",
            "max_length": "The name must be 200 characters or fewer.",
        },
    )
    prefix = forms.CharField(
        max_length=10,
        label="Ref prefix",
        error_messages={
            "required": "Enter the letters that begin the theme's action refs, for example YC.",
            "max_length": "The prefix must be 10 characters or fewer.",
        },
    )


class ThemeAddForm(ThemeForm):
    number = number_field("theme")
    field_order = ["number", "name", "prefix"]


class OutcomeForm(forms.Form):
    title = forms.CharField(
        max_length=300,
        label="What carers will experience",
        error_messages={
            "required": "Enter what carers will experience.",
            "max_length": "The outcome must be 300 characters or fewer.",
        },
    )
    description = forms.CharField(required=False, label="Description (optional)")


class OutcomeAddForm(OutcomeForm):
    number = number_field("outcome")
    field_order = ["number", "title", "description"]


# --- pages --------------------------------------------------------------------------------------


class ManagePlan(Page, TemplateView):
    """The themes and outcomes of the plan, and its live actions, with links to change them."""

    permission_required = MANAGE
    template_name = "web/manage/plan.html"

    def get_context_data(self, **kwargs):
        strategy, version = plan_or_404(self.kwargs["slug"])
        live = Q(actions__retired_at__isnull=True)
        return super().get_context_data(
            page_title=f"{strategy.title}: manage the plan",
            strategy=strategy,
            version=version,
            themes=version.themes.annotate(live=Count("actions", filter=live)).order_by("number"),
            outcomes=strategy.outcomes.annotate(
                live=Count("actions", filter=live & Q(actions__version=version))
            ).order_by("number"),
            actions=sorted(
                version.actions.filter(retired_at__isnull=True).select_related("theme"),
                key=lambda a: (a.theme.number if a.theme else 0, selectors.natural_key(a.ref)),
            ),
            **kwargs,
        )


class FormPage(Page, TemplateView):
    """A form that saves through a service: errors on the form, 400 and nothing saved."""

    permission_required = MANAGE
    form_class: type[forms.Form] = forms.Form
    # Field names the services use in their refusals, where they differ from the form's.
    service_fields: dict[str, str] = {}

    def load(self) -> None:
        """Read what the page is about (after the permission check)."""
        self.strategy, self.version = plan_or_404(self.kwargs["slug"])

    def form_kwargs(self) -> dict:
        return {}

    def initial(self) -> dict:
        return {}

    def save(self, form):
        """Save through a service and return the response; may raise ValidationError."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.load()
        form = self.form_class(initial=self.initial(), **self.form_kwargs())
        return self.render_to_response(self.context(form))

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.form_class(request.POST, **self.form_kwargs())
        conflict = None
        if form.is_valid():
            try:
                return self.save(form)
            except ConflictError as exc:
                conflict = str(exc)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    name = self.service_fields.get(field, field)
                    form.add_error(name if name in form.fields else None, errors)
        return self.render_to_response(self.context(form, conflict=conflict), status=400)

    def context(self, form, conflict=None, **extra):
        visible = [f.name for f in form.visible_fields()]
        first = f"#{visible[0]}" if visible else "#main-content"
        errors = [{"text": conflict, "href": first}] if conflict else []
        errors += [{"text": text, "href": first} for text in form.non_field_errors()]
        for name in form.fields:
            if name in form.errors:
                href = f"#{name}" if name in visible else first
                errors.append({"text": form.errors[name][0], "href": href})
        return self.get_context_data(
            strategy=self.strategy,
            version=self.version,
            form=form,
            errors=errors,
            form_has_errors=bool(errors),
            conflict=conflict,
            date_hint=DATE_HINT,
            **extra,
        )


class ActionAdd(FormPage):
    template_name = "web/manage/action_form.html"
    form_class = ActionAddForm
    page_title = "Add an action"
    service_fields = {"rag": "status", "due_text": "due", "commenced_text": "commenced"}

    def form_kwargs(self):
        return {"version": self.version}

    def initial(self):
        return {"status": ActionStatus.NOT_STARTED}

    def save(self, form):
        data = form.cleaned_data
        action = services.action_create(
            version=self.version,
            ref=data["ref"],
            title=data["title"],
            description=data["description"],
            theme=form.chosen_theme(),
            outcomes=form.chosen_outcomes(),
            lead_role=data["lead_role"],
            organisations=form.chosen_organisations(),
            commenced=data["commenced"],
            due=data["due"],
            ongoing=data["ongoing"],
            status=data["status"],
            budget=data["budget"],
            by=self.request.user,
        )
        messages.success(self.request, f"Action {action.ref} has been added.")
        for warning in unreadable_dates(action):
            messages.warning(self.request, warning)
        return redirect("web:action", slug=self.strategy.slug, ref=action.ref)


class ActionPageMixin:
    """A form about one action of the current plan, found by its ref."""

    def load(self):
        self.action = action_for(self.kwargs["slug"], self.kwargs["ref"])
        self.version = self.action.version
        self.strategy = self.version.strategy

    def context(self, form, conflict=None, **extra):
        return super().context(form, conflict=conflict, action=self.action, **extra)


class ActionEdit(ActionPageMixin, FormPage):
    template_name = "web/manage/action_form.html"
    form_class = ActionEditForm
    service_fields = {"commenced_text": "commenced"}

    def form_kwargs(self):
        return {"version": self.version, "action": self.action}

    def initial(self):
        return ActionDetailsForm.initial_for(self.action)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page_title", f"Change action {self.action.ref}")
        return super().get_context_data(**kwargs)

    def save(self, form):
        data = form.cleaned_data
        action = services.action_edit(
            action=self.action,
            by=self.request.user,
            expected_revision=data["revision"],
            title=data["title"],
            description=data["description"],
            theme=form.chosen_theme(),
            outcomes=form.chosen_outcomes(),
            lead_role=data["lead_role"],
            lead_person=self.action.lead_person,
            organisations=form.chosen_organisations(),
            commenced=data["commenced"],
            ongoing=data["ongoing"],
            budget=data["budget"],
            spend=data["spend"],
        )
        messages.success(self.request, f"The details of action {action.ref} have been saved.")
        for warning in unreadable_dates(action):
            messages.warning(self.request, warning)
        return redirect("web:action", slug=self.strategy.slug, ref=action.ref)


class ActionRetire(ActionPageMixin, FormPage):
    template_name = "web/manage/action_retire.html"
    form_class = RetireForm
    service_fields = {"retired_reason": "reason"}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page_title", f"Retire action {self.action.ref}")
        return super().get_context_data(**kwargs)

    def save(self, form):
        action = services.action_retire(
            action=self.action, reason=form.cleaned_data["reason"], by=self.request.user
        )
        messages.success(
            self.request,
            f"Action {action.ref} has been retired. It is no longer in the list of actions; "
            "its page and history are kept.",
        )
        return redirect("web:actions", slug=self.strategy.slug)


class ThemeAdd(FormPage):
    template_name = "web/manage/theme_form.html"
    form_class = ThemeAddForm
    page_title = "Add a theme"

    def initial(self):
        numbers = self.version.themes.values_list("number", flat=True)
        return {"number": max(numbers, default=0) + 1}

    def save(self, form):
        data = form.cleaned_data
        theme = services.theme_create(
            version=self.version, number=data["number"], name=data["name"], prefix=data["prefix"]
        )
        messages.success(self.request, f"Theme {theme} has been added.")
        return redirect("web:manage-plan", slug=self.strategy.slug)


class ThemeEdit(FormPage):
    template_name = "web/manage/theme_form.html"
    form_class = ThemeForm

    def load(self):
        super().load()
        self.theme = get_object_or_404(self.version.themes, number=self.kwargs["number"])

    def initial(self):
        return {"name": self.theme.name, "prefix": self.theme.prefix}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page_title", f"Change theme {self.theme.number}")
        return super().get_context_data(theme=self.theme, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        theme = services.theme_edit(
            theme=self.theme, name=data["name"], prefix=data["prefix"], by=self.request.user
        )
        messages.success(self.request, f"Theme {theme} has been saved.")
        return redirect("web:manage-plan", slug=self.strategy.slug)


class OutcomeAdd(FormPage):
    template_name = "web/manage/outcome_form.html"
    form_class = OutcomeAddForm
    page_title = "Add an outcome"

    def initial(self):
        numbers = self.strategy.outcomes.values_list("number", flat=True)
        return {"number": max(numbers, default=0) + 1}

    def save(self, form):
        data = form.cleaned_data
        outcome = services.outcome_create(
            strategy=self.strategy,
            number=data["number"],
            title=data["title"],
            description=data["description"],
        )
        messages.success(self.request, f"Outcome {outcome.number} has been added.")
        return redirect("web:manage-plan", slug=self.strategy.slug)


class OutcomeEdit(FormPage):
    template_name = "web/manage/outcome_form.html"
    form_class = OutcomeForm

    def load(self):
        super().load()
        self.outcome = get_object_or_404(self.strategy.outcomes, number=self.kwargs["number"])

    def initial(self):
        return {"title": self.outcome.title, "description": self.outcome.description}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page_title", f"Change outcome {self.outcome.number}")
        return super().get_context_data(outcome=self.outcome, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        outcome = services.outcome_edit(
            outcome=self.outcome,
            title=data["title"],
            description=data["description"],
            by=self.request.user,
        )
        messages.success(self.request, f"Outcome {outcome.number} has been saved.")
        return redirect("web:manage-plan", slug=self.strategy.slug)
