"""Census figures of unpaid care by area: published ONS statistics, not personal data."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Geography(models.TextChoices):
    MSOA = "msoa", "Middle layer super output area"
    LSOA = "lsoa", "Lower layer super output area"
    WARD = "ward", "Electoral ward"
    AUTHORITY = "authority", "Local authority"
    OTHER = "other", "Other area"


class CensusArea(models.Model):
    """One area's unpaid care in one census: its base population and its carers."""

    year = models.PositiveSmallIntegerField(help_text="The census: 2011 or 2021.")
    code = models.CharField(max_length=9, help_text="ONS code, e.g. E02001578.")
    name = models.CharField(max_length=200)
    geography = models.CharField(max_length=20, choices=Geography.choices)
    residents = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Usual residents (aged 5 and over in 2021), when the table gives them.",
    )
    carers = models.PositiveIntegerField(help_text="People providing any unpaid care.")
    source = models.CharField(max_length=200, blank=True, help_text="The file imported.")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="carers_census_area_year_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}), {self.year}"


class CensusBand(models.Model):
    """A band's count in an area: hours of care a week ("9_or_less"...) or an age band."""

    area = models.ForeignKey(CensusArea, on_delete=models.CASCADE, related_name="bands")
    band = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "band"], name="carers_census_band_area_band")
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.band}: {self.count}"
