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


# --- carers known to services: pseudonymised records, matched across sources ---------------
#
# Nothing here names anyone. Identifiers arrive in a file and leave it as keyed hashes (the key is
# in settings, never with the data); names, street addresses and full postcodes are never stored;
# a date of birth becomes an age band. Nobody sees these rows in the app: pages, downloads and
# the report pack show counts, through caring.disclosure.


class CarerSource(models.Model):
    """One organisation's extract (adult social care, Crossroads, Barnardo's), as last imported.

    Importing a source again replaces its records: an extract is a snapshot of who it knows.
    """

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="carer_sources"
    )
    name = models.CharField(max_length=100, help_text="e.g. Adult Social Care, Crossroads Care.")
    slug = models.SlugField(max_length=100)
    is_synthetic = models.BooleanField(
        default=False, help_text="Generated records for the demo, not real people."
    )
    filename = models.CharField(max_length=200, blank=True)
    extract_date = models.DateField(help_text="The day ages were worked out at.")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    supports = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True, help_text="What the import said.")

    class Meta:
        ordering = ["strategy", "id"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="carers_source_slug")
        ]

    def __str__(self) -> str:
        return self.name


class CarerDetails(models.Model):
    """What a record says of a carer, coded as in :mod:`caring.carers.vocab` ("not_known" when
    the source didn't say): held by each record and, merged, by the carer."""

    age_band = models.CharField(max_length=20)
    sex = models.CharField(max_length=20)
    ethnicity = models.CharField(max_length=40)
    disability = models.CharField(max_length=20)
    religion = models.CharField(max_length=30)
    sexual_orientation = models.CharField(max_length=30)
    area_code = models.CharField(max_length=9, blank=True)
    first_known = models.DateField(null=True, blank=True)
    pathway = models.CharField(max_length=30)
    channel = models.CharField(max_length=20)
    social_contact = models.CharField(max_length=20)
    relationship = models.CharField(max_length=30)
    young_carer = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Carer(CarerDetails):
    """One person counted once across sources: their records' attributes, merged.

    Its id is the smallest id among its records, so a carer known to one source only keeps the
    same id as that record.
    """

    id = models.BigIntegerField(primary_key=True)
    strategy = models.ForeignKey("plans.Strategy", on_delete=models.CASCADE, related_name="+")
    sources = models.PositiveSmallIntegerField(default=1)
    matched_on = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["strategy", "area_code"], name="carers_carer_area")]

    def __str__(self) -> str:
        return f"Carer {self.pk}"


class CarerRecord(CarerDetails):
    """One person as one source knows them, pseudonymised on arrival."""

    id = models.BigIntegerField(primary_key=True)  # given by the importer, in bulk
    # no database constraint: a deferred check on each of a million rows would double an
    # import's time; the services write and delete a source's records together
    source = models.ForeignKey(
        CarerSource, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    carer = models.ForeignKey(
        Carer, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    person_key = models.CharField(max_length=32, help_text="Keyed hash of the source's own id.")
    nhs_key = models.CharField(max_length=32, blank=True)
    link_key = models.CharField(
        max_length=32, blank=True, help_text="Keyed hash of date of birth, postcode and initial."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Record {self.pk}"


class SupportItem(models.Model):
    """Support a record's source gave: its type, date, value and, for a tech package, whether
    training was given at handover."""

    id = models.BigIntegerField(primary_key=True)
    record = models.ForeignKey(
        CarerRecord,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # joined from here to the record's key; never looked up the other way
        related_name="+",
    )
    source = models.ForeignKey(
        CarerSource, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=40)
    date = models.DateField(null=True, blank=True)
    amount_pence = models.BigIntegerField(null=True, blank=True)
    training = models.BooleanField(null=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.pk})"


class PostcodeArea(models.Model):
    """A postcode's area (MSOA), from the lookup file a council gives: public ONS data."""

    postcode = models.CharField(max_length=8, unique=True, help_text="No spaces, upper case.")
    area_code = models.CharField(max_length=9)
    source = models.CharField(max_length=200, blank=True)
    is_synthetic = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.postcode}: {self.area_code}"


class AccessAction(models.TextChoices):
    UPLOAD = "upload", "Uploaded carers' records"
    EXACT = "exact", "Viewed figures without suppression"
    DOWNLOAD = "download", "Downloaded figures"
    DELETE = "delete", "Deleted a source's records"


class AccessLog(models.Model):
    """Who uploaded carers' data, saw figures without suppression, or downloaded figures."""

    strategy = models.ForeignKey("plans.Strategy", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    subject = models.CharField(max_length=200, help_text="What: an analysis, a source, a file.")
    detail = models.CharField(max_length=500, blank=True)
    via = models.CharField(max_length=20, default="web", help_text="web or command")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"
