"""Querysets compiled once and run many times, for the fixed-shape reads behind dashboards.

Turning a queryset into SQL costs Django about a millisecond, and ten for the flag counts:
more than the database takes to answer them. Here a read is described once, as an ordinary
queryset built with *stand-in* values for the plan and the day; it is compiled on first use per
database, and each call swaps the real values into the parameters and runs the SQL directly.

Guards: a stand-in must reach the SQL only as a parameter (never inlined), and each call must
swap at least as many parameters as the caller expects, or the read refuses to run.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping

from django.db import connections
from django.db.models import QuerySet

STAND_IN_VERSION = -7_340_021
STAND_IN_DAY = dt.date(1904, 2, 29)

Builder = Callable[..., QuerySet]


@functools.lru_cache(maxsize=64)
def statement(build: Builder, alias: str, key: tuple = ()) -> tuple[str, tuple]:
    """The SQL and parameters of ``build(alias, *key)``, stand-ins still in place."""
    sql, params = build(alias, *key).query.sql_with_params()
    for stand_in in (str(STAND_IN_VERSION), STAND_IN_DAY.isoformat()):
        if stand_in in sql:
            raise RuntimeError(f"{build.__name__}: a stand-in value was inlined into the SQL.")
    return sql, tuple(params)


def day_swaps(alias: str, today: dt.date, offsets: tuple[int, ...] = (0,)) -> dict:
    """Stand-in days (the stand-in day plus each offset) mapped to the real ones."""
    adapt = connections[alias].ops.adapt_datefield_value
    return {
        adapt(STAND_IN_DAY + dt.timedelta(days=n)): adapt(today + dt.timedelta(days=n))
        for n in offsets
    }


def run(build: Builder, *, alias: str, swaps: Mapping, expect: int, key: tuple = ()) -> list[tuple]:
    """Run the compiled read with ``swaps`` (stand-in → real value) applied to its parameters."""
    sql, params = statement(build, alias, key)
    real = [
        swaps.get(p, p) if isinstance(p, int | str | dt.date) and not isinstance(p, bool) else p
        for p in params
    ]
    if sum(p is not q for p, q in zip(params, real, strict=True)) < expect:
        raise RuntimeError(f"{build.__name__}: the plan or day did not reach the parameters.")
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, real)
        return cursor.fetchall()
