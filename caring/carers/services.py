"""Every write to the census figures: all or nothing, with every problem by row.

Census figures are published ONS statistics about areas (not personal data), so they are kept and
shown as published, with no suppression.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.carers.census_reader import YEARS, geography_of
from caring.carers.models import CensusArea, CensusBand, Geography
from caring.indicators.services import ImportRefused
from caring.workbooks.records import Problem

__all__ = ["CensusImported", "ImportRefused", "census_import", "check_area"]
LARGEST = 2**31 - 1


@dataclass(frozen=True)
class CensusImported:
    added: int
    replaced: int
    year: int

    @property
    def summary(self) -> str:
        count = self.added + self.replaced
        said = (
            f"{count} census area{'s' if count != 1 else ''} for {self.year} imported "
            f"({self.added} new, {self.replaced} replaced)."
        )
        if self.replaced:
            said += (
                f" The {self.replaced} replaced area{'s' if self.replaced != 1 else ''} had "
                f"figures for {self.year} already: they now have the new file's figures."
            )
        return said


def check_area(*, year: int, code: str, name: str, geography: str, residents, carers,
               bands: dict) -> None:  # fmt: skip
    """Refuse, naming the field, an area's figures the census tables can't hold."""
    errors: dict[str, str] = {}
    if year not in YEARS:
        errors["year"] = f"The census year must be 2011 or 2021, not {year!r}."
    if geography_of(code or "") is None:
        errors["code"] = f"{code!r} is not an ONS area code we know, such as E02001578."
    if not (name or "").strip():
        errors["name"] = f"Enter the name of the area {code}."
    elif len(name) > CensusArea._meta.get_field("name").max_length:
        errors["name"] = "The area's name can be at most 200 characters."
    if geography not in Geography.values:
        errors["geography"] = f"{geography!r} is not a geography: one of {Geography.values}."
    for field, figure in (("residents", residents), ("carers", carers), *bands.items()):
        if figure is None and field == "residents":
            continue
        if isinstance(figure, bool) or not isinstance(figure, int) or not 0 <= figure <= LARGEST:
            errors[field] = f"The {field.replace('_', ' ')} must be a whole number, 0 or more."
    if not errors and residents is not None and carers > residents:
        errors["carers"] = f"There are {carers:,} carers but only {residents:,} residents."
    if not errors and not bands:
        errors["bands"] = "The area has no bands of unpaid care."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def census_import(*, read, filename: str) -> CensusImported:
    """Every area of ``read`` (caring.carers.census_reader), or none.

    Areas already held for the same year and code are replaced: their figures and bands are
    those of the new file. Areas held that the file does not name are kept.
    """
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise ImportRefused(errors)
    if not read.areas or read.year is None:
        raise ImportRefused(
            [Problem("", None, None, None, "The file has no areas to import.", "error")]
        )
    problems = []
    for area in read.areas:
        try:
            check_area(year=read.year, code=area.code, name=area.name,
                       geography=area.geography, residents=area.residents, carers=area.carers,
                       bands=area.bands)  # fmt: skip
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.append(Problem("", area.row, None, field, messages[0], "error"))
    if problems:
        raise ImportRefused(problems)
    codes = [area.code for area in read.areas]
    held = CensusArea.objects.filter(year=read.year, code__in=codes)
    replaced = held.count()
    held.delete()
    now, source = timezone.now(), (filename or "")[:200]
    made = CensusArea.objects.bulk_create(
        [
            CensusArea(
                year=read.year,
                code=area.code,
                name=area.name,
                geography=area.geography,
                residents=area.residents,
                carers=area.carers,
                source=source,
                imported_at=now,
            )  # fmt: skip
            for area in read.areas
        ],
        batch_size=500,
    )
    if any(area.pk is None for area in made):  # a database that doesn't return new keys
        made = list(CensusArea.objects.filter(year=read.year, code__in=codes))
    by_code = {area.code: area for area in made}
    CensusBand.objects.bulk_create(
        [
            CensusBand(area=by_code[area.code], band=band, count=count)
            for area in read.areas
            for band, count in area.bands.items()
        ],
        batch_size=1000,
    )
    return CensusImported(len(read.areas) - replaced, replaced, read.year)
