"""Scrutiny and governance: bodies, their meetings, what they resolved, and what they asked.

A scrutiny committee (or partnership) meets; a meeting resolves things. Recommendations and
requests for future reports are followed on the tracker, with the executive's response, a lead,
a due date, progress updates, status and RAG under the same rules as plan actions, until the
committee signs them off at a later meeting. Members' questions are information requests with an
answer and a due date. "The next update include equalities information" is a requirement on the
next report to the body.

Write through ``caring.governance.services``, read through ``caring.governance.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from caring.accounts.models import Organisation
from caring.governance.choices import (
    BodyKind,
    MeetingStatus,
    Position,
    RequirementTopic,
    ResolutionKind,
    Response,
)
from caring.governance.limits import REF_LENGTH
from caring.plans.choices import ActionStatus, Rag
from caring.plans.models import Action, Strategy


class Body(models.Model):
    """A committee, partnership or forum that meets: the Health Select Commission, say."""

    name = models.CharField(max_length=200, unique=True, help_text="The body's full name.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in addresses.")
    short_name = models.CharField(
        max_length=50, blank=True, help_text="For tables and references, for example 'HSC'."
    )
    kind = models.CharField(
        "type", max_length=20, choices=BodyKind.choices, default=BodyKind.SCRUTINY
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bodies",
        help_text="The organisation that hosts the body.",
    )
    purpose = models.TextField(blank=True, help_text="What the body is for, in a sentence or two.")
    terms_title = models.CharField(
        "terms of reference", max_length=200, blank=True, help_text="The document's title."
    )
    terms_url = models.URLField("link to the terms of reference", max_length=500, blank=True)
    terms_agreed = models.DateField(
        "terms of reference agreed", null=True, blank=True, help_text="When they were agreed."
    )
    terms_next_review = models.DateField(
        "next review of the terms of reference", null=True, blank=True
    )
    is_illustrative = models.BooleanField(
        default=False, help_text="Illustrative demo data, not the council's own record."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "bodies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def ref_prefix(self) -> str:
        """What references to its resolutions start with: the short name, else the initials."""
        if self.short_name:
            return self.short_name
        initials = "".join(w[0] for w in self.name.split() if w[:1].isalnum()).upper()
        return initials[:12] or "Item"


class BodyMember(models.Model):
    """A seat on a body: a role (never a name needed), its organisation and its position."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(
        max_length=200, help_text="The member's role, for example 'Service Manager, Barnardo's'."
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body_seats",
        help_text="The person, if they use Caring Together.",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="body_seats"
    )
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.MEMBER)
    joined = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body_id", "position", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(joined__isnull=True) | Q(left__isnull=True) | Q(left__gte=F("joined")),
                name="body_member_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.body.label})"


class Meeting(models.Model):
    """One meeting of a body about the strategy, and what happened to it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="meetings")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(help_text="The day the meeting was (or is) held.")
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    status_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why it was postponed or cancelled, for example 'inclement weather'.",
    )
    rearranged_for = models.DateField(
        null=True, blank=True, help_text="The new date of a postponed meeting, once known."
    )
    minute_ref = models.CharField(
        "minute reference",
        max_length=100,
        blank=True,
        help_text="The minute the strategy item was recorded under, for example 'Minute No. 50'.",
    )
    notes = models.TextField(blank=True, help_text="A summary of the discussion.")
    is_illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "body", "date"], name="meeting_one_per_body_per_day"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD])
                | ~Q(status_reason=""),
                name="meeting_postponed_or_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.label} {self.date.day} {self.date:%B %Y}"

    @property
    def title(self) -> str:
        return f"{self.body.name}, {self.date.day} {self.date:%B %Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField(help_text="Its place on the agenda.")
    title = models.CharField(max_length=300, help_text="For example 'Carers Strategy Update'.")
    minute_ref = models.CharField("minute reference", max_length=100, blank=True)
    presenters = models.TextField(blank=True, help_text="Who presented, as roles, one per line.")
    summary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def presenter_list(self) -> list[str]:
        return [line.strip() for line in self.presenters.splitlines() if line.strip()]


class Paper(models.Model):
    """A paper for a meeting: the report, a presentation, the minutes. A link or a file."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to="papers/%Y/%m/", blank=True, max_length=300)
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="paper_is_a_link_or_a_file"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Resolution(models.Model):
    """What a meeting resolved, numbered as in the minutes: noted, endorsed, recommended...

    Recommendations and requests for future reports are tracked: response, lead, due date,
    status and RAG, progress updates, the plan actions that deliver them, and closure only
    when signed off at a later meeting.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="resolutions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    number = models.PositiveSmallIntegerField(help_text="Its number in the minutes: (1), (2)...")
    ref = models.CharField(
        "reference",
        max_length=REF_LENGTH,
        help_text="Unique within the strategy, for example 'HSC 2018-03-01/3'.",
    )
    text = models.TextField(help_text="What was resolved, as the minutes give it.")
    kind = models.CharField(max_length=20, choices=ResolutionKind.choices)
    is_illustrative = models.BooleanField(
        default=False, help_text="The wording was written for the demo, not taken from minutes."
    )
    response = models.CharField(
        "executive response", max_length=20, choices=Response.choices, blank=True, default=""
    )
    response_date = models.DateField(null=True, blank=True)
    response_text = models.TextField(blank=True)
    lead_role = models.CharField(
        "lead", max_length=200, blank=True, help_text="The responsible lead, as a role."
    )
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_resolutions",
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="resolutions",
        verbose_name="lead organisations",
        help_text="Their action owners may post progress updates.",
    )
    due = models.DateField(null=True, blank=True)
    due_text = models.CharField(
        "due", max_length=200, blank=True, help_text="As the committee gave it."
    )
    original_due = models.DateField(null=True, blank=True)
    times_slipped = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField(
        "RAG rating", max_length=10, choices=Rag.choices, blank=True, default=Rag.NOT_RATED
    )
    rag_rationale = models.TextField(blank=True)
    last_update_on = models.DateField(null=True, blank=True)
    actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="resolutions",
        help_text="The plan actions that deliver it.",
    )
    signed_off_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_off",
        verbose_name="signed off at",
        help_text="The later meeting at which the committee agreed it is done.",
    )
    signed_off_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[organisations, actions])

    class Meta:
        ordering = ["meeting__date", "meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "ref"], name="resolution_ref_unique"),
            models.UniqueConstraint(
                fields=["meeting", "number"], name="resolution_number_unique_in_meeting"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResolutionKind.values), name="resolution_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(response__in=Response.values), name="resolution_response_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="resolution_status_valid"
            ),
            models.CheckConstraint(condition=Q(rag__in=Rag.values), name="resolution_rag_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="resolution_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}: {self.text[:60]}"

    @property
    def lead_display(self) -> str:
        if self.lead_person_id:
            return self.lead_person.display_name()
        return self.lead_role

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at_id is not None


class ResolutionUpdate(models.Model):
    """A dated progress report on a tracked resolution; its status and RAG become the item's."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    narrative = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True)
    rag_rationale = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What shows the progress or completion.")
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    old_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)
    due_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolution_id", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.resolution.ref} update {self.reported_on}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence or self.evidence_url)


class ReportRequirement(models.Model):
    """Something the next report to a body must contain, because a meeting resolved so."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="requirements"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="requirements")
    topic = models.CharField(max_length=20, choices=RequirementTopic.choices)
    text = models.CharField(
        max_length=300, help_text="What the report must contain, in the committee's words."
    )
    due = models.DateField(null=True, blank=True, help_text="When the report is due.")
    met_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requirements_met",
        help_text="The meeting whose report met it.",
    )
    met_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolution_id", "id"]

    def __str__(self) -> str:
        return self.text


class InformationRequest(models.Model):
    """A member's question at a meeting, who must answer it, and the answer."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="information_requests"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="information_requests"
    )
    number = models.PositiveSmallIntegerField(help_text="Its order among the meeting's requests.")
    asked_by = models.CharField(
        max_length=200, help_text="Who asked, as a role, for example 'Members of the Commission'."
    )
    question = models.TextField()
    answerer_role = models.CharField(
        "to be answered by", max_length=200, blank=True, help_text="The role that must answer."
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="information_requests",
        verbose_name="answering organisations",
    )
    due = models.DateField(null=True, blank=True)
    due_text = models.CharField("due", max_length=200, blank=True)
    offered_outside_meeting = models.BooleanField(
        default=False, help_text="The answer was offered outside the meeting."
    )
    answer = models.TextField(blank=True)
    answered_on = models.DateField("answer sent", null=True, blank=True)
    answered_in_meeting = models.BooleanField(
        default=False, help_text="Officers answered at the meeting itself."
    )
    actions = models.ManyToManyField(Action, blank=True, related_name="information_requests")
    is_illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        ordering = ["meeting__date", "meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="information_request_number_unique"
            ),
            models.CheckConstraint(condition=~Q(question=""), name="information_request_asks"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.question[:60]}"

    @property
    def ref(self) -> str:
        return f"{self.meeting.body.label} {self.meeting.date.isoformat()} Q{self.number}"

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None
