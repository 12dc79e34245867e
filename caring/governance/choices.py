"""The fixed lists of scrutiny and governance: bodies, meetings, resolutions and responses."""

from django.db import models


class BodyKind(models.TextChoices):
    SCRUTINY = "scrutiny", "Scrutiny committee"
    PARTNERSHIP = "partnership", "Partnership or delivery group"
    EXECUTIVE = "executive", "Executive (cabinet)"
    FORUM = "forum", "Forum or council of carers"
    OTHER = "other", "Other"


class Position(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    OFFICER = "officer", "Supporting officer"
    ADVISER = "adviser", "Co-opted member or adviser"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class ResolutionKind(models.TextChoices):
    NOTED = "noted", "Noted"
    ENDORSED = "endorsed", "Endorsed"
    RECOMMENDATION = "recommendation", "Recommendation to the executive"
    FUTURE_REPORT = "future_report", "Request for a future report"
    OTHER = "other", "Other resolution"


# Kinds followed on the tracker until signed off; the others are a record of what was resolved.
TRACKED_KINDS = (ResolutionKind.RECOMMENDATION, ResolutionKind.FUTURE_REPORT)


class Response(models.TextChoices):
    AWAITED = "", "Awaiting response"
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class RequirementTopic(models.TextChoices):
    EQUALITIES = "equalities", "Equalities information"
    RAG = "rag", "Red-amber-green ratings"
    COMMENCED = "commenced", "When actions commenced"
    EVIDENCE = "evidence", "Evidence of completed actions"
    RECOMMENDATIONS = "recommendations", "Response to the recommendations"
    INDICATORS = "indicators", "Performance indicators"
    OTHER = "other", "Something else (described in words)"
