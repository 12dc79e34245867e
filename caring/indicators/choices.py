from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    SCORE = "score", "Score"
    RATE = "rate_per_1000", "Rate per 1,000"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual (financial year)"
    BIENNIAL = "biennial", "Every two years"


class ValueStatus(models.TextChoices):
    DRAFT = "draft", "Draft: awaiting the owner's approval"
    APPROVED = "approved", "Approved"


class Dimension(models.TextChoices):
    GP_PRACTICE = "gp_practice", "GP practice"
    AREA = "area", "Area"
    AGE_BAND = "age_band", "Age band"
    SEX = "sex", "Sex"
    ETHNICITY = "ethnicity", "Ethnicity"
    SOURCE = "source", "Source"


class Computed(models.TextChoices):
    """Indicators the product works out from its own records rather than entered values."""

    NONE = "", "Entered or imported"
    REGISTERS_REVIEWED = (
        "registers_reviewed",
        "GP practices whose carers' register was reviewed in the last 12 months (%)",
    )
    TRAINING_SESSIONS = "training_sessions", "Training sessions held"
    TRAINING_PLACES = "training_places", "Training places offered"
    TRAINING_ATTENDANCE = "training_attendance", "Training attendance rate (%)"
    TRAINING_FEEDBACK = "training_feedback", "Average training feedback score (out of 5)"
