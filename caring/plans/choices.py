"""The fixed lists of the delivery plan, shared by models, services and the JSON export."""

from django.db import models


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


class Rag(models.TextChoices):
    NOT_RATED = "", "Not yet rated"
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk or some slippage"
    GREEN = "green", "Green: on track"
    BLUE = "blue", "Blue: complete"


class EvidenceKind(models.TextChoices):
    TEXT = "text", "Written note"
    LINK = "link", "Link"
    FILE = "file", "File"


class DateKindChoice(models.TextChoices):
    """How a date was written: mirrors ``caring.plans.dates.DateKind`` (a test keeps them equal)."""

    EXACT = "exact", "A day"
    MONTH = "month", "A month"
    QUARTER = "quarter", "A financial-year quarter"
    FINANCIAL_YEAR = "financial_year", "A financial year"
    YEAR = "year", "A year"
    ONGOING = "ongoing", "Ongoing"
    TBC = "tbc", "To be confirmed"
    BLANK = "blank", "Not given"
    UNPARSED = "unparsed", "Could not be read"
