"""Organisations, people and the role each person has in each organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. Job titles are roles ("Change Leader, Adult Social Care")."""

    job_title = models.CharField(
        max_length=200, blank=True, help_text="The person's role, for example 'Carers Lead'."
    )
    history = HistoricalRecords()

    def display_name(self) -> str:
        name = self.get_full_name().strip()
        return name or self.job_title or self.username


class OrganisationType(models.TextChoices):
    COUNCIL_SERVICE = "council_service", "Council service"
    CHARITY = "charity", "Charity or voluntary group"
    NHS_BODY = "nhs_body", "NHS body"
    GP_PRACTICE = "gp_practice", "GP practice"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="The organisation's full name.")
    short_name = models.CharField(
        max_length=50, blank=True, help_text="A short name used in tables, for example 'ASC'."
    )
    kind = models.CharField(
        "type",
        max_length=20,
        choices=OrganisationType.choices,
        default=OrganisationType.OTHER,
        help_text="What sort of organisation this is.",
    )
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        help_text="The NHS Organisation Data Service code, for NHS bodies and GP practices.",
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    STRATEGY_LEAD = "strategy_lead", "Strategy lead"
    ACTION_OWNER = "action_owner", "Action owner"
    VIEWER = "viewer", "Viewer"
    DATA_OFFICER = "data_officer", "Data officer"


class Membership(models.Model):
    """A person belongs to an organisation with one role in it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        help_text="What this person may do for this organisation.",
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"
