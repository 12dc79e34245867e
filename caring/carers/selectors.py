"""Reading the census figures held: for the ``census`` command and, later, pages."""

from __future__ import annotations

from caring.carers.models import CensusArea


def census_rows(year: int | None = None) -> list[dict]:
    """Each area held (by year, then code) with its figures and bands, in the table's order."""
    areas = CensusArea.objects.order_by("year", "code").prefetch_related("bands")
    if year is not None:
        areas = areas.filter(year=year)
    return [
        {
            "code": area.code,
            "name": area.name,
            "year": area.year,
            "geography": area.geography,
            "residents": area.residents,
            "carers": area.carers,
            "bands": {band.band: band.count for band in area.bands.all()},
        }
        for area in areas
    ]
