"""The forms of the lead's pages: action details, retiring, themes and outcomes."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from caring.accounts.models import Organisation
from caring.plans.choices import ActionStatus, DateKindChoice
from caring.plans.models import Action, PlanVersion

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
