"""A strategy, its outcomes, the versions of its delivery plan, and everything in a plan.

Write through ``caring.plans.services`` (which validates and records history), read through
``caring.plans.selectors``. The database constraints here are the last line of defence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from caring.accounts.models import Organisation
from caring.plans.choices import ActionStatus, DateKindChoice, EvidenceKind, Rag


class Strategy(models.Model):
    title = models.CharField(max_length=200, help_text="For example 'Caring Together'.")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Short name used in addresses and commands."
    )
    period_start = models.DateField(null=True, blank=True, help_text="When the strategy begins.")
    period_end = models.DateField(null=True, blank=True, help_text="When the strategy ends.")
    description = models.TextField(blank=True)
    is_illustrative = models.BooleanField(
        default=False,
        help_text="The wording is illustrative demo data, not the council's own text.",
    )
    authority_code = models.CharField(
        "council's ONS code",
        max_length=9,
        blank=True,
        help_text="For benchmarking against every council, e.g. E08000018 for Rotherham.",
    )
    disclosure_rule = models.CharField(
        "rule for publishing small numbers",
        max_length=20,
        choices=[
            ("nhs-1-7", "NHS: 1 to 7 hidden, others rounded to the nearest 5"),
            ("ons-10-5", "ONS 10-5: below 10 hidden, others rounded to the nearest 5"),
        ],
        default="nhs-1-7",
        help_text="How counts about carers are published to everyone but data officers.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="strategy_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """A numbered outcome the strategy aims for; actions map to one or more."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField(help_text="The outcome's number in the strategy.")
    title = models.CharField(max_length=300, help_text="What carers will experience.")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="outcome_number_unique")
        ]

    def __str__(self) -> str:
        return f"Outcome {self.number}: {self.title}"


class PlanVersion(models.Model):
    """One version of the delivery plan, e.g. "Revised Action Plan January 2018".

    A refresh makes a new version from the current one, carrying actions forward, retiring some
    and adding new ones; ``previous``, ``created`` and ``reason`` record when and why.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(
        max_length=200, help_text="For example 'Revised Action Plan January 2018'."
    )
    created = models.DateField(
        default=timezone.localdate, help_text="When this version was agreed."
    )
    reason = models.TextField(blank=True, help_text="Why this version was made.")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions"
    )
    is_current = models.BooleanField(default=True, help_text="The version in use now.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy_id", "created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="version_name_unique"),
            models.UniqueConstraint(
                fields=["strategy"], condition=Q(is_current=True), name="one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.name}"


class Theme(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200, help_text="For example 'Young Carers'.")
    prefix = models.CharField(
        max_length=10, help_text="The letters that begin the theme's action refs, e.g. 'YC'."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="theme_number_unique"),
            models.UniqueConstraint(fields=["version", "prefix"], name="theme_prefix_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Action(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    ref = models.CharField(
        max_length=20, help_text="Unique within the plan version, for example 'YC7'."
    )
    title = models.CharField(max_length=500, help_text="What will be done, in a sentence.")
    description = models.TextField(blank=True)
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="actions")
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
        help_text="The person who leads the action, if they use Caring Together.",
    )
    lead_role = models.CharField(
        max_length=200,
        blank=True,
        help_text="The lead written as a role, for example 'Young Carers Service Manager'.",
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="led_actions",
        verbose_name="lead organisations",
        help_text="The organisations responsible for delivering the action.",
    )
    commenced = models.DateField(
        null=True, blank=True, help_text="When work on the action actually started."
    )
    commenced_text = models.CharField(
        max_length=100, blank=True, help_text="The start date as originally written."
    )
    commenced_kind = models.CharField(
        max_length=20, choices=DateKindChoice.choices, default=DateKindChoice.BLANK
    )
    due = models.DateField(null=True, blank=True, help_text="When the action is due to be done.")
    due_text = models.CharField(
        "timescale", max_length=100, blank=True, help_text="The timescale as originally written."
    )
    due_kind = models.CharField(
        max_length=20, choices=DateKindChoice.choices, default=DateKindChoice.BLANK
    )
    original_due = models.DateField(
        null=True, blank=True, help_text="The first due date ever given; kept for ever."
    )
    original_due_text = models.CharField(max_length=100, blank=True)
    ongoing = models.BooleanField(default=False, help_text="Continuing work with no end date.")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField(
        "RAG rating",
        max_length=10,
        choices=Rag.choices,
        blank=True,
        default=Rag.NOT_RATED,
        help_text="The owner's own rating.",
    )
    rag_rationale = models.TextField(blank=True, help_text="Why the owner gave this rating.")
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    spend = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    extra = models.JSONField(
        default=dict, blank=True, help_text="Other columns kept from an imported workbook."
    )
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="The same action in the previous version of the plan.",
    )
    last_update_on = models.DateField(
        null=True, blank=True, help_text="The date of the latest progress update."
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Goes up by one on every change; refuses stale edits."
    )
    history = HistoricalRecords(m2m_fields=[outcomes, organisations])

    class Meta:
        ordering = ["version_id", "id"]
        indexes = [models.Index(fields=["version", "status", "due"], name="action_version_due")]
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="action_ref_unique_in_version"),
            models.CheckConstraint(
                condition=Q(commenced__isnull=True)
                | Q(due__isnull=True)
                | Q(due__gte=F("commenced")),
                name="action_due_not_before_commenced",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(condition=Q(rag__in=Rag.values), name="action_rag_valid"),
            models.CheckConstraint(
                condition=(Q(budget__isnull=True) | Q(budget__gte=0))
                & (Q(spend__isnull=True) | Q(spend__gte=0)),
                name="action_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def lead_display(self) -> str:
        if self.lead_person_id:
            return self.lead_person.display_name()
        return self.lead_role

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Update(models.Model):
    """A dated progress report on an action. The action's current state is its latest update."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    narrative = models.TextField(help_text="What has happened since the last update.")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True)
    rag_rationale = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action_id", "reported_on", "id"]
        indexes = [models.Index(fields=["action", "reported_on"], name="update_action_date")]

    def __str__(self) -> str:
        return f"{self.action.ref} update {self.reported_on}"


class Evidence(models.Model):
    """What shows an action is done or progressing: a note, a link or a file."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(
        Update, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200, help_text="A short description of the evidence.")
    text = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True, max_length=300)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["action_id", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EvidenceKind.TEXT) & ~Q(text=""))
                | (Q(kind=EvidenceKind.LINK) & ~Q(url=""))
                | (Q(kind=EvidenceKind.FILE) & ~Q(file="")),
                name="evidence_has_content",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DueDateChange(models.Model):
    """One move of an action's due date: old and new date, why, who and when."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_changes")
    update = models.ForeignKey(
        Update, null=True, blank=True, on_delete=models.SET_NULL, related_name="due_changes"
    )
    old_due = models.DateField(null=True, blank=True)
    old_text = models.CharField(max_length=100, blank=True)
    new_due = models.DateField(null=True, blank=True)
    new_text = models.CharField(max_length=100, blank=True)
    reason = models.TextField(help_text="Why the date moved.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action_id", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="due_change_has_reason"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.action.ref}: {self.old_text or self.old_due} → {self.new_text or self.new_due}"
        )

    @property
    def is_slip(self) -> bool:
        """A slip moves the date later, or takes a date away."""
        return self.old_due is not None and (self.new_due is None or self.new_due > self.old_due)


SLIP_Q = Q(old_due__isnull=False) & (Q(new_due__isnull=True) | Q(new_due__gt=F("old_due")))


class WorkbookUpload(models.Model):
    """A workbook a lead uploaded, kept only between its preview and their decision.

    The file is checked and previewed (nothing written), then imported or cancelled: either
    way its content is deleted. Only the person who uploaded it can see or confirm it, and
    uploads left undecided for a day are deleted when anyone next uploads.
    """

    strategy_slug = models.SlugField(
        max_length=80, help_text="The strategy the workbook is for (it may not exist yet)."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The file as uploaded; emptied once decided.")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    mapping = models.JSONField(
        default=dict, blank=True, help_text="The columns the user chose: field -> column."
    )
    expected_revisions = models.JSONField(
        default=dict, blank=True, help_text="Each changed action's revision when previewed."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True, help_text="imported or cancelled")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} for {self.strategy_slug}"
