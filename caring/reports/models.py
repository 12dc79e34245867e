"""Progress reports: the narrative a lead writes for a meeting, and reports once issued.

An issued report is frozen: its snapshot (the plan's JSON export as it was), the narrative and
the files it produced can never be changed or deleted through the application, so members can
see later exactly what they were told and when. The next report compares with its snapshot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from caring.governance.models import Meeting
from caring.plans.models import Strategy

FORMATS = {
    # format: (label, file extension, content type)
    "docx": (
        "Word",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": ("PDF", "pdf", "application/pdf"),
    "pptx": (
        "Slides",
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "html": ("Web page", "html", "text/html; charset=utf-8"),
    "xlsx": ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class ReportNarrative(models.Model):
    """What the lead writes for the report to one meeting."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="narratives")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="narratives")
    author_role = models.CharField(
        "report of", max_length=200, blank=True, help_text="The author, as a role."
    )
    summary = models.TextField("executive summary", blank=True)
    recommendations = models.TextField(
        "recommendations to the committee", blank=True, help_text="One recommendation per line."
    )
    background = models.TextField(blank=True)
    key_issues = models.TextField("key issues", blank=True)
    next_steps = models.TextField("next steps", blank=True)
    addressed = models.JSONField(
        default=dict, blank=True, help_text="How the report meets each committee requirement."
    )
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "meeting"], name="one_narrative_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Narrative for {self.meeting}"


class FrozenError(Exception):
    """An issued report, or one of its files, cannot be changed or deleted."""


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenError("An issued report cannot be changed.")

    def delete(self):
        raise FrozenError("An issued report cannot be deleted.")


class IssuedReport(models.Model):
    """A report as it was issued for a meeting: never changed afterwards."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="issued_reports")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="issued_reports")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_by_role = models.CharField(max_length=200, blank=True)
    as_of = models.DateField(help_text="The day the plan's position was taken.")
    title = models.CharField(max_length=300)
    committee = models.CharField(max_length=200)
    author_role = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField(help_text="The plan's JSON export as it was when issued.")
    narrative = models.JSONField(default=dict)
    requirements = models.JSONField(default=list, help_text="The committee's requirements, met?")
    sections = models.JSONField(default=list, help_text="Sections other parts of the pack added.")
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_label = models.CharField(max_length=300, blank=True)
    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["strategy", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting})"

    def save(self, *args, **kwargs):
        if self.pk is not None or self._state.adding is False:
            raise FrozenError("An issued report cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError("An issued report cannot be deleted.")


class IssuedFile(models.Model):
    """One format of an issued report, byte for byte as it was issued."""

    report = models.ForeignKey(IssuedReport, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10, choices=[(k, v[0]) for k, v in FORMATS.items()])
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    objects = FrozenQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="one_file_per_format")
        ]
        ordering = ["report_id", "format"]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs):
        if self.pk is not None or self._state.adding is False:
            raise FrozenError("An issued report's file cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError("An issued report's file cannot be deleted.")

    @property
    def label(self) -> str:
        return FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][2]


class ReportTemplate(models.Model):
    """A council's own Word template for a strategy's report pack: its styles, header, footer
    and logo are used for every Word file of the pack, drafted or issued. One per strategy.

    The history records who uploaded which file and when (its name, size and SHA-256), not the
    file itself: up to 10 MB a time would be kept for ever with every replacement."""

    strategy = models.OneToOneField(
        Strategy, on_delete=models.CASCADE, related_name="report_template"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["content"])

    def __str__(self) -> str:
        return f"{self.filename} ({self.strategy})"
