"""The report pack's indicators section: baseline, latest approved value, target, direction,
RAG and the national benchmark position of each indicator (registered with the pack)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from caring.indicators import selectors
from caring.indicators.assess import fmt
from caring.indicators.benchmarking import BenchmarkError
from caring.reports.content import RAG_LABELS, Section, Table
from caring.reports.sections import register


@register
def indicators_section(*, strategy, as_of: dt.date) -> Section | None:
    past = as_of < timezone.localdate()  # a pack as at a past day: what was approved by then
    rows = selectors.overview(strategy=strategy, today=as_of, approved_by=as_of if past else None)
    if not rows:
        return None
    table = []
    bench = []
    for row in rows:
        i = row.indicator

        def shown(value, i=i):
            return fmt(value, unit=i.unit, decimals=i.decimals)

        baseline = (f"{shown(i.baseline_value)} ({i.baseline_period})"
                    if i.baseline_value is not None else "Not set")  # fmt: skip
        latest = (f"{shown(row.latest.value)} ({row.latest.period_key})"
                  if row.latest else "No approved value")  # fmt: skip
        target = shown(row.target.value) if row.target else "Not set"
        table.append((i.code, i.title, baseline, latest, target, row.direction.label,
                      RAG_LABELS.get(row.rating.rag, "Not rated")))  # fmt: skip
        try:
            found = selectors.benchmark(i)
        except BenchmarkError:
            found = None
        if found is not None:
            p = found.position
            bench.append((i.code, found.measure, found.year, shown(p.value), shown(p.median),
                          f"{p.rank} of {p.of}"))  # fmt: skip
    overdue = [r.indicator.code for r in rows if r.freshness.overdue]
    paragraphs = [
        "Only values approved by each indicator's owner are reported. RAG compares the latest "
        "approved value with its target; the direction of travel compares it with the value "
        "before.",
    ]
    if overdue:
        paragraphs.append(f"Overdue for data: {', '.join(overdue)}.")
    if any(r.indicator.is_illustrative for r in rows):
        paragraphs.append("Illustrative: the demo's indicator values are examples; the national "
                          "benchmark figures are real published statistics.")  # fmt: skip
    tables = [Table(
        caption="Indicators: baseline, latest approved value, target, direction and RAG",
        columns=("Code", "Indicator", "Baseline", "Latest", "Target", "Direction", "RAG"),
        rows=tuple(table), rag_column=6, widths=(1, 5, 2, 2, 2, 2, 1),
    )]  # fmt: skip
    if bench:
        tables.append(Table(
            caption="Benchmark: the council among all English councils (rank 1 is best)",
            columns=("Code", "Measure", "Year", "Council", "Median", "Rank"),
            rows=tuple(bench), widths=(1, 5, 1, 1, 1, 1),
        ))  # fmt: skip
    return Section(key="indicators", title="Quality Assurance Framework: indicators",
                   topics=("indicators",), paragraphs=tuple(paragraphs),
                   tables=tuple(tables))  # fmt: skip
