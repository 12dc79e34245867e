"""The indicators as plain data for ``caring indicators --format json`` (approved values only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from caring.indicators import selectors
from caring.indicators.benchmarking import BenchmarkError
from caring.plans.models import Strategy

INDICATOR_KEYS = ("code", "title", "unit", "polarity", "frequency", "baseline", "latest",
                  "target", "rag", "rag_reason", "direction", "overdue_for_data", "actions",
                  "benchmark", "illustrative")  # fmt: skip


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicators_export(*, strategy: Strategy, today: dt.date) -> list[dict]:
    out = []
    for row in selectors.overview(strategy=strategy, today=today):
        i = row.indicator
        try:
            found = selectors.benchmark(i)
        except BenchmarkError:
            found = None
        out.append({
            "code": i.code,
            "title": i.title,
            "unit": i.unit,
            "polarity": i.polarity,
            "frequency": i.frequency,
            "baseline": None if i.baseline_value is None else {
                "value": _number(i.baseline_value), "period": i.baseline_period,
                "source": i.baseline_source.name if i.baseline_source else None,
            },
            "latest": None if row.latest is None else {
                "value": _number(row.latest.value), "period": row.latest.period_key,
                "source": row.latest.source.name,
            },
            "target": None if row.target is None else {
                "value": _number(row.target.value), "period": row.target.period_key,
            },
            "rag": row.rating.rag,
            "rag_reason": row.rating.reason,
            "direction": row.direction.key,
            "overdue_for_data": row.freshness.overdue,
            "actions": sorted(a.ref for a in i.actions.all()),
            "benchmark": None if found is None else {
                "measure": found.measure, "year": found.year,
                "median": _number(found.position.median), "rank": found.position.rank,
                "of": found.position.of, "value": _number(found.position.value),
            },
            "illustrative": i.is_illustrative,
        })  # fmt: skip
    return out
