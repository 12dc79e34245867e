"""RAG by theme as stacked bars: the geometry, for an SVG drawn by the template.

Colours meet the 3:1 contrast WCAG asks of graphics against white, and every bar is labelled
in words and repeated in a table beside the chart, so no one depends on colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from caring.plans.selectors import ThemeRagRow

ORDER = [
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("blue", "Blue"),
    ("", "Not rated"),
]
COLOURS = {
    "red": "#c1280f",
    "amber": "#a35200",
    "green": "#00703c",
    "blue": "#1d70b8",
    "": "#505a5f",
}
LABEL_WIDTH = 190
BAR_WIDTH = 360
ROW_HEIGHT = 34
BAR_HEIGHT = 22


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    label: str
    count: int


@dataclass(frozen=True)
class Bar:
    y: float
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    legend: list[tuple[str, str]]
    description: str


def rag_by_theme_chart(rows: list[ThemeRagRow]) -> Chart:
    biggest = max((row.total for row in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        x, segments = float(LABEL_WIDTH), []
        for rag, label in ORDER:
            count = row.counts.get(rag, 0)
            if count:
                width = BAR_WIDTH * count / biggest
                segments.append(Segment(x, width, COLOURS[rag], label, count))
                x += width
        name = f"{row.number}. {row.name}" if row.number is not None else row.name
        bars.append(Bar(i * ROW_HEIGHT + 8, name, row.total, segments))
    parts = [
        f"{bar.label}: "
        + (", ".join(f"{s.count} {s.label.lower()}" for s in bar.segments) or "no actions")
        for bar in bars
    ]
    return Chart(
        width=LABEL_WIDTH + BAR_WIDTH + 40,
        height=len(bars) * ROW_HEIGHT + 16,
        label_width=LABEL_WIDTH,
        bars=bars,
        legend=[(label, COLOURS[rag]) for rag, label in ORDER],
        description="Owners' ratings by theme. " + "; ".join(parts) + ".",
    )


def rag_by_theme_table(rows: list[ThemeRagRow]) -> tuple[list[dict], list[list[dict]]]:
    """The chart's figures as the head and rows of a GOV.UK table, with a total row."""
    head = [{"text": "Theme"}]
    head += [{"text": label, "format": "numeric"} for _, label in ORDER]
    head.append({"text": "Total", "format": "numeric"})
    body = []
    for row in rows:
        name = f"{row.number}. {row.name}" if row.number is not None else row.name
        cells = [{"text": name}]
        cells += [{"text": row.counts.get(rag, 0), "format": "numeric"} for rag, _ in ORDER]
        cells.append({"text": row.total, "format": "numeric"})
        body.append(cells)
    totals = [sum(row.counts.get(rag, 0) for row in rows) for rag, _ in ORDER]
    body.append(
        [{"text": "All themes"}]
        + [{"text": n, "format": "numeric"} for n in totals]
        + [{"text": sum(totals), "format": "numeric"}]
    )
    return head, body
