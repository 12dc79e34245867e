"""The demo's census figures: the real Rotherham MSOA tables of unpaid care, 2021 and 2011."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from caring.carers.census_reader import read_census
from caring.carers.models import CensusArea
from caring.carers.services import CensusImported, ImportRefused, census_import

DATA = Path(__file__).with_name("data")
CENSUS_2021 = DATA / "rotherham_msoa_unpaid_care_2021.csv"
CENSUS_2011 = DATA / "rotherham_msoa_carers_by_age_2011.csv"
FILES = ((CENSUS_2021, 2021), (CENSUS_2011, 2011))


@transaction.atomic
def census_demo_load() -> list[CensusImported]:
    """Import both real files unless every one of their areas is held already (idempotent).

    Returns what was imported (nothing when all was loaded before).
    """
    done = []
    for path, year in FILES:
        read = read_census(path.read_bytes(), path.name, year)
        if not read.ok:
            raise ImportRefused(read.problems)
        codes = {area.code for area in read.areas}
        held = set(
            CensusArea.objects.filter(year=year, code__in=codes).values_list("code", flat=True)
        )
        if held != codes:
            done.append(census_import(read=read, filename=path.name))
    return done
