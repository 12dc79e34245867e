"""Where a council stands among others on a national measure: median, rank and quartile.

Pure: no Django, no database. Values are Decimals, so nothing is lost to floating point.

- The median is of every value given, the council's included: the middle value, or with an
  even number of values the mean of the two middle ones.
- Rank 1 is the best. Equal values share the best rank they could have, and the next rank
  skips ("1224", competition ranking): a council's rank is one more than the number of
  authorities strictly better than it.
- Quartile 1 is the best quarter, by rank: ``1 + (4 * (rank - 1)) // of``, so with 152
  authorities ranks 1-38 are quartile 1, 39-76 quartile 2, 77-114 quartile 3, 115-152 quartile 4.
- ``better_than_median`` is None when the council's value equals the median.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from caring.indicators.benchmark_reader import BenchmarkRow

__all__ = [
    "GROUPS",
    "BenchmarkError",
    "Position",
    "comparators",
    "median",
    "position",
    "values_for",
]

GROUPS = ("all", "region", "type")


class BenchmarkError(ValueError):
    """The comparison can't be made; ``str(exc)`` says why, in plain words."""


@dataclass(frozen=True)
class Position:
    value: Decimal  # the council's value
    median: Decimal  # of all the values compared
    rank: int  # 1 = best; ties share the best rank
    of: int  # how many authorities were compared
    quartile: int  # 1 (best quarter) to 4
    better_than_median: bool | None  # None when the value is the median


def median(values: Iterable[Decimal]) -> Decimal:
    """The median of the values; BenchmarkError when there are none."""
    ordered = sorted(values)
    if not ordered:
        raise BenchmarkError("There are no values to take the median of.")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def position(values: Mapping[str, Decimal], code: str, *, higher_is_better: bool) -> Position:
    """Where ``code`` stands among ``values`` (authority code -> value).

    Authorities whose value is None are left out. BenchmarkError when ``code`` has no value.
    """
    given = {key: value for key, value in values.items() if value is not None}
    if code not in given:
        raise BenchmarkError(
            f"There is no value for the authority {code} in the benchmark data, so it can't be "
            "compared."
        )
    mine = given[code]
    if higher_is_better:
        better = sum(1 for value in given.values() if value > mine)
    else:
        better = sum(1 for value in given.values() if value < mine)
    rank, of = better + 1, len(given)
    middle = median(given.values())
    above = None if mine == middle else (mine > middle) == higher_is_better
    return Position(mine, middle, rank, of, 1 + (4 * (rank - 1)) // of, above)


def values_for(rows: Iterable[BenchmarkRow], year: str, measure: str) -> dict[str, Decimal]:
    """Authority code -> value for one measure in one financial year ("2018/19")."""
    return {row.code: row.value for row in rows if row.year == year and row.measure == measure}


def comparators(rows: Iterable[BenchmarkRow], code: str, group: str) -> list[BenchmarkRow]:
    """The rows of the authorities ``code`` is compared with, the council's own included.

    ``group`` is "all" (every authority), "region" (those in the council's region) or "type"
    (those of the council's type, such as Metropolitan Districts). The council's region and type
    are taken year by year, so years in which the council has no row are left out of "region"
    and "type". BenchmarkError when the council is not in the rows, or has no region or type.
    """
    if group not in GROUPS:
        raise BenchmarkError(f"'{group}' is not a comparator group: use all, region or type.")
    rows = list(rows)
    own = [row for row in rows if row.code == code]
    if not own:
        raise BenchmarkError(
            f"The authority {code} is not in the benchmark data, so it can't be compared. Check "
            "the council's ONS code (for example E08000018 for Rotherham)."
        )
    if group == "all":
        return rows
    attribute = "region" if group == "region" else "authority_type"
    words = "region" if group == "region" else "authority type"
    by_year: dict[str, str] = {}
    for row in own:
        by_year.setdefault(row.year, getattr(row, attribute))
    blank = sorted(year for year, shared in by_year.items() if not shared)
    if blank:
        raise BenchmarkError(
            f"The benchmark data gives no {words} for the authority {code} in "
            f"{', '.join(blank)}, so it can't be compared with others of its {words}."
        )
    return [row for row in rows if by_year.get(row.year) == getattr(row, attribute)]
