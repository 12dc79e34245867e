"""Reads for the indicators' pages, the report pack and the JSON: only approved values are
published; drafts are shown to those who enter and approve them."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from caring.indicators.assess import Direction, Rating, direction, fmt, rate
from caring.indicators.benchmarking import BenchmarkError, Position, position
from caring.indicators.choices import Computed, Polarity, ValueStatus
from caring.indicators.models import (
    BenchmarkValue,
    CarersRegister,
    Indicator,
    Practice,
    Target,
    TrainingSession,
    Value,
)
from caring.indicators.periods import Freshness, Period, data_due, parse_period
from caring.plans.models import Strategy

GROUPS = {"all": "All councils", "region": "Councils in the same region",
          "type": "Councils of the same type"}  # fmt: skip


@dataclass
class IndicatorRow:
    indicator: Indicator
    latest: Value | None  # the latest approved value
    previous: Value | None
    target: Target | None
    rating: Rating
    direction: Direction
    freshness: Freshness
    drafts: int

    def shown(self, value: Decimal | None) -> str:
        return fmt(value, unit=self.indicator.unit, decimals=self.indicator.decimals)


def indicators_with_values(strategy: Strategy) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(strategy=strategy)
        .select_related("owner", "baseline_source")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=Value.objects.select_related("source").order_by(
                    "period_start", "source__name"
                ),
            ),  # fmt: skip
            Prefetch("targets", queryset=Target.objects.order_by("period_start")),
            "actions",
            "sources",
        )
        .order_by("code")
    )


def target_for(targets: list[Target], period_start: dt.date | None) -> Target | None:
    """The target for the value's period, or the latest set before it (or the first one)."""
    if not targets:
        return None
    if period_start is None:
        return targets[-1]
    before = [t for t in targets if t.period_start <= period_start]
    return before[-1] if before else targets[0]


def assess(
    indicator: Indicator, today: dt.date, approved_by: dt.date | None = None
) -> IndicatorRow:
    values = list(indicator.values.all())
    # With ``approved_by`` (a report as at a past day), only what was approved by then; a value
    # approved then and withdrawn since is not brought back (see docs/indicators.md).
    approved = [
        v
        for v in values
        if v.status == ValueStatus.APPROVED
        and (
            approved_by is None
            or v.approved_at is None
            or timezone.localtime(v.approved_at).date() <= approved_by
        )
    ]
    # One figure per period: where several sources gave one, the latest entered stands.
    by_period: dict[str, Value] = {}
    for v in sorted(approved, key=lambda v: (v.period_start, v.entered_at)):
        by_period[v.period_key] = v
    series = sorted(by_period.values(), key=lambda v: v.period_start)
    latest = series[-1] if series else None
    previous = series[-2] if len(series) > 1 else None
    target = target_for(list(indicator.targets.all()), latest.period_start if latest else None)

    def shown(value):
        return fmt(value, unit=indicator.unit, decimals=indicator.decimals)

    rating = rate(latest.value if latest else None, target.value if target else None,
                  polarity=indicator.polarity, tolerance=indicator.amber_tolerance,
                  shown=shown)  # fmt: skip
    last_period = (
        parse_period(latest.period_key, indicator.frequency) if latest is not None else None
    )
    return IndicatorRow(
        indicator=indicator,
        latest=latest,
        previous=previous,
        target=target,
        rating=rating,
        direction=direction(
            latest.value if latest else None,
            previous.value if previous else None,
            polarity=indicator.polarity,
        ),  # fmt: skip
        freshness=data_due(last_period, indicator.frequency, today),
        drafts=sum(1 for v in values if v.status == ValueStatus.DRAFT),
    )


def code_order(code: str) -> tuple:
    """Codes in the order people number them: QA1, QA2 ... QA9, QA10 (not QA1, QA10, QA2)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.findall(r"\d+|\D+", code))  # fmt: skip


def overview(
    *, strategy: Strategy, today: dt.date, approved_by: dt.date | None = None
) -> list[IndicatorRow]:
    """Each indicator as it stands; with ``approved_by``, from the values approved by then."""
    indicators = sorted(indicators_with_values(strategy), key=lambda i: code_order(i.code))
    return [assess(i, today, approved_by) for i in indicators]


def overdue_for_data(*, strategy: Strategy, today: dt.date) -> list[IndicatorRow]:
    return [row for row in overview(strategy=strategy, today=today) if row.freshness.overdue]


def series(indicator: Indicator) -> list[Value]:
    """Approved values, one a period, oldest first: the trend chart's points."""
    by_period: dict[str, Value] = {}
    for v in sorted(
        (v for v in indicator.values.all() if v.status == ValueStatus.APPROVED),
        key=lambda v: (v.period_start, v.entered_at),
    ):
        by_period[v.period_key] = v
    return sorted(by_period.values(), key=lambda v: v.period_start)


# --- benchmarking ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    measure: str
    year: str
    group: str
    position: Position
    authority_name: str
    region: str
    authority_type: str

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]


def benchmark(indicator: Indicator, *, group: str = "all", year: str | None = None):
    """The council's position on the indicator's national measure, or None (with no measure,
    no council code, or no data). BenchmarkError when the council is not in the data."""
    code = indicator.strategy.authority_code
    if not indicator.benchmark_measure or not code:
        return None
    rows = BenchmarkValue.objects.filter(measure=indicator.benchmark_measure)
    years = sorted(set(rows.values_list("year", flat=True)))
    if not years:
        return None
    year = year if year in years else years[-1]
    rows = list(rows.filter(year=year))
    own = next((r for r in rows if r.authority_code == code), None)
    if own is None:
        raise BenchmarkError(
            f"The council {code} has no figure for '{indicator.benchmark_measure}' in {year}."
        )
    if group == "region":
        rows = [r for r in rows if r.region == own.region]
    elif group == "type":
        rows = [r for r in rows if r.authority_type == own.authority_type]
    elif group != "all":
        raise BenchmarkError(f"'{group}' is not a comparator group: use all, region or type.")
    found = position({r.authority_code: r.value for r in rows}, code,
                     higher_is_better=indicator.polarity == Polarity.HIGHER)  # fmt: skip
    return Benchmark(indicator.benchmark_measure, year, group, found, own.authority_name,
                     own.region, own.authority_type)  # fmt: skip


def benchmark_years(indicator: Indicator) -> list[str]:
    if not indicator.benchmark_measure:
        return []
    years = BenchmarkValue.objects.filter(measure=indicator.benchmark_measure)
    return sorted(set(years.values_list("year", flat=True)))


def benchmark_history(indicator: Indicator) -> list[tuple[str, Position]]:
    """The council's position among all councils, year by year."""
    code = indicator.strategy.authority_code
    out = []
    for year in benchmark_years(indicator):
        values = dict(
            BenchmarkValue.objects.filter(
                measure=indicator.benchmark_measure, year=year
            ).values_list("authority_code", "value")
        )
        if code in values:
            out.append(
                (
                    year,
                    position(values, code, higher_is_better=indicator.polarity == Polarity.HIGHER),
                )
            )
    return out


# --- what the product works out from its own records --------------------------------------------


def active_practices() -> QuerySet[Practice]:
    return Practice.objects.filter(status="A", prescribing_setting=4)


def latest_registers(as_of: dt.date) -> dict[int, CarersRegister]:
    """Each practice's latest register report on or before ``as_of``."""
    latest: dict[int, CarersRegister] = {}
    for r in CarersRegister.objects.filter(recorded_on__lte=as_of).order_by(
        "practice_id", "recorded_on", "id"
    ):
        latest[r.practice_id] = r
    return latest


def registers_reviewed(as_of: dt.date) -> tuple[int, int]:
    """(active GP practices whose carers' register was reviewed in the 12 months to ``as_of``,
    active GP practices)."""
    practices = list(active_practices().values_list("pk", flat=True))
    latest = latest_registers(as_of)
    year_ago = as_of.replace(year=as_of.year - 1) if not (as_of.month == 2 and as_of.day == 29) \
        else as_of.replace(year=as_of.year - 1, day=28)  # fmt: skip
    reviewed = sum(
        1
        for pk in practices
        if pk in latest and latest[pk].reviewed_on and latest[pk].reviewed_on > year_ago
    )
    return reviewed, len(practices)


def training_figures(strategy: Strategy, period: Period) -> dict[str, Decimal | None]:
    sessions = list(
        TrainingSession.objects.filter(
            strategy=strategy, date__gte=period.start, date__lte=period.end
        )  # fmt: skip
    )
    places = sum(s.places for s in sessions)
    attended = [s for s in sessions if s.attendance is not None]
    scored = [s.feedback_score for s in sessions if s.feedback_score is not None]
    return {
        "sessions": Decimal(len(sessions)),
        "places": Decimal(places),
        "attendance": Decimal(sum(s.attendance for s in attended)),
        "places_attended": Decimal(sum(s.places for s in attended)),
        "feedback": (sum(scored) / len(scored)).quantize(Decimal("0.01")) if scored else None,
    }


def computed_figure(indicator: Indicator, period: Period):
    """(value, numerator, denominator, note) for a computed indicator, or None."""
    kind = indicator.computed
    if kind == Computed.REGISTERS_REVIEWED:
        reviewed, active = registers_reviewed(period.end)
        if not active:
            return None
        note = (f"Worked out from the practices' register reports: {reviewed} of {active} "
                f"active GP practices reviewed their carers' register in the 12 months to "
                f"{period.end:%d/%m/%Y}.")  # fmt: skip
        return None, Decimal(reviewed), Decimal(active), note
    figures = training_figures(indicator.strategy, period)
    if kind == Computed.TRAINING_SESSIONS:
        return figures["sessions"], None, None, "Training sessions held in the period."
    if kind == Computed.TRAINING_PLACES:
        return figures["places"], None, None, "Places offered at the period's sessions."
    if kind == Computed.TRAINING_ATTENDANCE:
        if not figures["places_attended"]:
            return None
        return (
            None,
            figures["attendance"],
            figures["places_attended"],
            "Attendance against places at sessions whose attendance is recorded.",
        )
    if kind == Computed.TRAINING_FEEDBACK:
        if figures["feedback"] is None:
            return None
        return figures["feedback"], None, None, "Average feedback score, out of 5."
    return None


def breakdowns_of(value: Value) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for b in value.breakdowns.all():
        grouped[b.dimension].append(b)
    return dict(grouped)
