"""The Quality Assurance Framework: indicators, their targets and values (approved before they
are published), breakdowns, national benchmarks, GP practices' carers' registers, the training
offer and commissioned services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from caring.accounts.models import Organisation
from caring.indicators.choices import (
    Computed,
    Dimension,
    Frequency,
    Polarity,
    Unit,
    ValueStatus,
)
from caring.plans.models import Action, Outcome, Strategy

NUMBER = {"max_digits": 14, "decimal_places": 3}


class DataSource(models.Model):
    """Where figures come from: the Early Help Service, Barnardo's, the Lifestyle Survey..."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=20, help_text="Unique within the strategy, e.g. 'QA3'.")
    title = models.CharField(max_length=300)
    definition = models.TextField(blank=True, help_text="What is counted, and how.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    decimals = models.PositiveSmallIntegerField(default=0, help_text="Decimal places shown.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators_owned",
        help_text="Approves its values before they are published.",
    )
    owner_role = models.CharField("owner (role)", max_length=200, blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="indicators")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="indicators")
    sources = models.ManyToManyField(DataSource, blank=True, related_name="indicators")
    baseline_value = models.DecimalField(null=True, blank=True, **NUMBER)
    baseline_period = models.CharField(max_length=40, blank=True)
    baseline_source = models.ForeignKey(
        DataSource, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text="Amber when short of the target by no more than this percentage of it.",
    )
    benchmark_measure = models.CharField(
        max_length=200, blank=True, help_text="The measure's name in the national benchmark data."
    )
    computed = models.CharField(max_length=40, choices=Computed.choices, blank=True, default="")
    is_illustrative = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[actions, outcomes, sources])

    class Meta:
        ordering = ["strategy_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_key = models.CharField(max_length=20)
    period_start = models.DateField()
    value = models.DecimalField(**NUMBER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_key"], name="one_target_a_period")
        ]

    def __str__(self) -> str:
        return f"Target {self.period_key}: {self.value}"


class Value(models.Model):
    """A figure for one period from one source: draft until the indicator's owner approves it;
    only approved values reach dashboards, reports and the JSON."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_key = models.CharField(max_length=20)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(**NUMBER)
    numerator = models.DecimalField(null=True, blank=True, **NUMBER)
    denominator = models.DecimalField(null=True, blank=True, **NUMBER)
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="values")
    extracted_on = models.DateField("date extracted", null=True, blank=True)
    quality_note = models.TextField("data-quality note", blank=True)
    status = models.CharField(max_length=10, choices=ValueStatus.choices, default="draft")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "period_start", "source_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_key", "source"], name="one_value_a_period_and_source"
            )
        ]
        indexes = [models.Index(fields=["indicator", "status", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_key}: {self.value}"


class Breakdown(models.Model):
    """A value split by a dimension: counts about people are published only through the
    disclosure rules (caring.disclosure)."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="breakdowns")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    category = models.CharField(max_length=200)
    count = models.PositiveIntegerField(null=True, blank=True)
    figure = models.DecimalField(null=True, blank=True, **NUMBER)

    class Meta:
        ordering = ["value_id", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["value", "dimension", "category"], name="one_breakdown_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.category}"


class BenchmarkValue(models.Model):
    """One authority's figure on a national measure, for benchmarking (e.g. the Survey of Adult
    Carers in England measures for every council)."""

    measure = models.CharField(max_length=200)
    year = models.CharField(max_length=10, help_text="The financial year, e.g. '2018/19'.")
    authority_code = models.CharField(max_length=9)
    authority_name = models.CharField(max_length=200)
    authority_type = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(**NUMBER)
    source = models.CharField(max_length=200, blank=True, help_text="The file it came from.")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure", "year", "authority_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "authority_code"], name="one_benchmark_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_name} {self.year} {self.measure}: {self.value}"


class Practice(models.Model):
    """A GP practice, from the NHS ODS file (epraccur)."""

    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=1, help_text="A active, C closed, D dormant, P proposed.")
    prescribing_setting = models.PositiveSmallIntegerField(null=True, blank=True)
    commissioner = models.CharField(max_length=10, blank=True)
    opened = models.DateField(null=True, blank=True)
    closed = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_active_gp_practice(self) -> bool:
        return self.status == "A" and self.prescribing_setting == 4


class CarersRegister(models.Model):
    """What a practice reported about its carers' register on a day: its size and when the
    practice last reviewed it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="registers")
    size = models.PositiveIntegerField(help_text="Patients coded as carers.")
    reviewed_on = models.DateField("last reviewed", null=True, blank=True)
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_illustrative = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["practice_id", "-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.practice_id} register on {self.recorded_on}: {self.size}"


class TrainingSession(models.Model):
    """A session of the carers' training offer (the 'bite size' sessions)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="training")
    title = models.CharField(max_length=300)
    date = models.DateField()
    provider = models.CharField(max_length=200)
    places = models.PositiveIntegerField()
    attendance = models.PositiveIntegerField(null=True, blank=True)
    feedback_score = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, help_text="Average, out of 5."
    )
    is_illustrative = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy_id", "-date", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class CommissionedService(models.Model):
    """A service procured from an agency (e.g. young carers' support from Barnardo's)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="services")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider_name = models.CharField(max_length=200)
    service = models.CharField(max_length=300)
    contract_start = models.DateField()
    contract_end = models.DateField(null=True, blank=True)
    annual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="services")
    actions = models.ManyToManyField(Action, blank=True, related_name="services")
    is_illustrative = models.BooleanField(default=False)
    history = HistoricalRecords(m2m_fields=[indicators, actions])

    class Meta:
        ordering = ["strategy_id", "provider_name", "service"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__isnull=True)
                | models.Q(contract_end__gte=models.F("contract_start")),
                name="contract_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.provider_name})"


__all__ = [
    "Breakdown",
    "BenchmarkValue",
    "CarersRegister",
    "CommissionedService",
    "Computed",
    "DataSource",
    "Dimension",
    "Frequency",
    "Indicator",
    "Polarity",
    "Practice",
    "Target",
    "TrainingSession",
    "Unit",
    "Value",
    "ValueStatus",
]
