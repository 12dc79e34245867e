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

from caring.plans import selectors, services
from caring.plans.choices import ActionStatus
from caring.plans.services import ConflictError
from caring.web.views.action import action_for
from caring.web.views.base import Page, plan_or_404
from caring.web.views.manage_forms import (
    DATE_HINT,
    MANAGE,
    ActionAddForm,
    ActionDetailsForm,
    ActionEditForm,
    OutcomeAddForm,
    OutcomeForm,
    RetireForm,
    ThemeAddForm,
    ThemeForm,
    unreadable_dates,
)


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
            data_updated=selectors.plan_last_changed(version=version),
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

    def build_form(self, data=None):
        """The form, empty with its initial values, or bound to what was posted."""
        if data is None:
            return self.form_class(initial=self.initial(), **self.form_kwargs())
        return self.form_class(data, **self.form_kwargs())

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.context(self.build_form()))

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.build_form(request.POST)
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

    @staticmethod
    def form_errors(form, conflict=None) -> list[dict]:
        """The error summary's items: a conflict, then the form's errors, each linking to its
        field (or to the first field when the error is the whole form's)."""
        visible = [f.name for f in form.visible_fields()]
        first = f"#{visible[0]}" if visible else "#main-content"
        errors = [{"text": conflict, "href": first}] if conflict else []
        errors += [{"text": text, "href": first} for text in form.non_field_errors()]
        for name in form.fields:
            if name in form.errors:
                href = f"#{name}" if name in visible else first
                errors.append({"text": form.errors[name][0], "href": href})
        return errors

    def context(self, form, conflict=None, **extra):
        errors = self.form_errors(form, conflict)
        return self.get_context_data(
            strategy=self.strategy,
            version=self.version,
            data_updated=selectors.plan_last_changed(version=self.version),
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
