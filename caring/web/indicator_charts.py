"""An indicator's trend as a line chart: the geometry, for an SVG drawn by the template.

Pure: no Django, no database. The template draws it with SVG presentation attributes only (the
Content-Security-Policy forbids inline styles) and gives every figure in words (``description``,
the chart's accessible name) and in a table beside it, so no one depends on the picture.

- Points are placed by the start of their period, so uneven gaps (a survey run in 2016/17,
  2018/19 and 2021/22) look uneven; one point sits in the middle.
- The value axis starts at 0 when every figure is 0 or more, so a small change is not made to
  look large; a percentage axis never goes past 100%.
- The target is a dashed line, stepping where a new period's target starts; the baseline a
  dotted line across.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from caring.indicators.assess import fmt

WIDTH = 640
HEIGHT = 340
LEFT = 72  # room for the value labels and the axis title
RIGHT = 24
TOP = 24
BOTTOM = 72  # room for the period labels and the axis title
INSET = 28  # keeps the first and last points off the axes
LABEL_WIDTH = 84  # the room one period label needs on the time axis
TICKS = 5

AXIS_TITLES = {
    "count": "Count",
    "percentage": "Percentage",
    "score": "Score",
    "rate_per_1000": "Rate per 1,000",
}
COLOURS = {"value": "#1d70b8", "target": "#00703c", "baseline": "#505a5f", "text": "#0b0c0c"}


@dataclass(frozen=True)
class TrendPoint:
    """One approved value: its period's label and start, the value and its period's target."""

    label: str
    start: dt.date
    value: Decimal
    target: Decimal | None = None


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    shown: str  # the figure as the pages write it


@dataclass(frozen=True)
class Tick:
    position: float  # y for the value axis, x for the time axis
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: float  # the plot area's edges
    top: float
    right: float
    bottom: float
    points: list[Marker]
    line: str  # SVG polyline points for the values, "" with fewer than two
    targets: list[Marker]
    target_line: str  # SVG polyline points for the targets, "" when there are none
    baseline_y: float | None
    baseline_shown: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    x_title: str
    y_title: str
    description: str
    legend: list[tuple[str, str, str]]  # (key, label, colour)

    @property
    def middle_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def middle_y(self) -> float:
        return (self.top + self.bottom) / 2


def _step(span: Decimal) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about TICKS - 1 intervals."""
    raw = span / (TICKS - 1)
    power = Decimal(10) ** math.floor(math.log10(float(raw)))
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * factor >= raw:
            return power * factor
    return power * 10  # pragma: no cover - the loop always returns


def _decimals(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def value_axis(figures: list[Decimal], unit: str) -> tuple[Decimal, Decimal, Decimal]:
    """(lowest, highest, step) of the value axis for ``figures``."""
    low, high = min(figures), max(figures)
    if low >= 0:
        low = Decimal(0)
    if high <= low:
        high = low + (abs(low) or Decimal(1))
    step = _step(high - low)
    bottom = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    top = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if unit == "percentage" and top > 100 >= high:
        top = Decimal(100)
    return bottom, top, step


def _xs(points: list[TrendPoint], left: float, right: float) -> list[float]:
    if len(points) == 1:
        return [(left + right) / 2]
    first, last = points[0].start, points[-1].start
    days = (last - first).days
    inner_left, inner_right = left + INSET, right - INSET
    if days <= 0:
        gap = (inner_right - inner_left) / (len(points) - 1)
        return [inner_left + gap * i for i in range(len(points))]
    scale = (inner_right - inner_left) / days
    return [inner_left + (p.start - first).days * scale for p in points]


def _polyline(markers: list[Marker]) -> str:
    return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in markers)


def trend_chart(
    points: list[TrendPoint],
    *,
    unit: str,
    decimals: int,
    title: str,
    baseline: Decimal | None = None,
    baseline_label: str = "",
) -> TrendChart | None:
    """The chart of ``points`` (oldest first), or None when there are no points."""
    if not points:
        return None
    points = sorted(points, key=lambda p: p.start)

    def shown(value: Decimal) -> str:
        return fmt(value, unit=unit, decimals=decimals)

    figures = [p.value for p in points] + [p.target for p in points if p.target is not None]
    if baseline is not None:
        figures.append(baseline)
    low, high, step = value_axis(figures, unit)
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def y(value: Decimal) -> float:
        return bottom - float((value - low) / (high - low)) * (bottom - top)

    xs = _xs(points, left, right)
    markers = [
        Marker(x, y(p.value), p.label, shown(p.value)) for x, p in zip(xs, points, strict=True)
    ]
    targets = [
        Marker(x, y(p.target), p.label, shown(p.target))
        for x, p in zip(xs, points, strict=True)
        if p.target is not None
    ]
    if len(targets) == 1:  # one target: a short line, so it reads as a line, not a point
        only = targets[0]
        target_line = f"{only.x - INSET:.1f},{only.y:.1f} {only.x + INSET:.1f},{only.y:.1f}"
    else:  # a step: each period's target holds until the next period's
        steps = []
        for before, after in zip([None, *targets], targets, strict=False):
            if before is not None and before.y != after.y:
                steps.append(Marker(after.x, before.y, after.label, before.shown))
            steps.append(after)
        target_line = _polyline(steps)

    places = _decimals(step)
    y_ticks = []
    tick = low
    while tick <= high:
        y_ticks.append(Tick(y(tick), fmt(tick, unit=unit, decimals=places)))
        tick += step
    if y_ticks and y_ticks[-1].label != fmt(high, unit=unit, decimals=places):
        y_ticks.append(Tick(y(high), fmt(high, unit=unit, decimals=places)))  # the 100% cap
    every = max(1, math.ceil(len(points) * LABEL_WIDTH / (right - left)))
    last = len(points) - 1
    x_ticks = [
        Tick(x, p.label)
        for i, (x, p) in enumerate(zip(xs, points, strict=True))
        if i % every == 0 or (i == last and last % every >= every / 2)
    ]

    figures_text = "; ".join(
        f"{p.label}: {shown(p.value)}"
        + (f" (target {shown(p.target)})" if p.target is not None else "")
        for p in points
    )
    description = f"{title}. Approved values, oldest first: {figures_text}."
    if baseline is not None:
        where = f" ({baseline_label})" if baseline_label else ""
        description += f" Baseline: {shown(baseline)}{where}."
    if not targets:
        description += " No target is set."
    legend = [("value", "Approved value", COLOURS["value"])]
    if targets:
        legend.append(("target", "Target (dashed line)", COLOURS["target"]))
    if baseline is not None:
        legend.append(("baseline", "Baseline (dotted line)", COLOURS["baseline"]))
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        points=markers,
        line=_polyline(markers) if len(markers) > 1 else "",
        targets=targets,
        target_line=target_line,
        baseline_y=y(baseline) if baseline is not None else None,
        baseline_shown=(
            f"Baseline {shown(baseline)}" + (f" ({baseline_label})" if baseline_label else "")
            if baseline is not None
            else ""
        ),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        x_title="Period",
        y_title=AXIS_TITLES.get(unit, "Value"),
        description=description,
        legend=legend,
    )
