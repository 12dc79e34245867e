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


def carers_demo_load(strategy, *, user=None, today=None) -> list:
    """The demo's carers known to services: synthetic records (invented people, labelled
    synthetic everywhere they are counted) from adult social care, Crossroads Care and
    Barnardo's Young Carers, with people known to two of them, and the synthetic postcode
    lookup they need. Skipped when the strategy already has carers' sources (idempotent).

    Returns what was imported (nothing when loaded before).
    """
    from django.utils import timezone

    from caring.carers import synthetic
    from caring.carers.models import CarerSource
    from caring.carers.services import carers_import, lookup_save, match_carers, read_lookup

    if CarerSource.objects.filter(strategy=strategy).exists():
        return []
    today = today or timezone.localdate()
    lookup_save(read_lookup(synthetic.postcode_lookup_csv()), source="synthetic demo lookup",
                synthetic=True)  # fmt: skip
    done = [
        carers_import(
            strategy=strategy,
            source_name=source.name,
            data=source.csv,
            filename=f"{source.name} (synthetic).csv",
            user=user,
            synthetic=True,
            today=today,
            match=False,
            via="demo",
        )  # fmt: skip
        for source in synthetic.demo_sources(today=today)
    ]
    match_carers(strategy)
    return done
