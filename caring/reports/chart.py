"""RAG by theme as a stacked bar chart, drawn by matplotlib for Word, HTML and PDF.

The colours meet 3:1 contrast against white; bars carry their counts as text and every chart
is printed beside a table of the same figures, so no one depends on colour. The slides draw a
native, editable chart of the same data instead (render_pptx).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: before pyplot is imported

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from caring.reports.content import RAG_KEYS, RAG_LABELS, ThemeRow  # noqa: E402

COLOURS = {
    "red": "#c1280f",
    "amber": "#a35200",
    "green": "#00703c",
    "blue": "#1d70b8",
    None: "#505a5f",
}


def _figure(themes: tuple[ThemeRow, ...], width_in: float) -> Figure:
    plt.rcParams["font.family"] = "sans-serif"  # Arial where installed, else a close match
    plt.rcParams["font.sans-serif"] = ["Arial", "Liberation Sans", "DejaVu Sans"]
    plt.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG
    rows = list(reversed(themes))  # matplotlib draws the first bar at the bottom
    height_in = max(1.6, 0.45 * len(rows) + 1.1)
    fig = plt.figure(figsize=(width_in, height_in))
    ax = fig.add_subplot()
    left = [0] * len(rows)
    names = [t.theme for t in rows]
    for index, key in enumerate(RAG_KEYS):
        counts = [t.counts[index] for t in rows]
        bars = ax.barh(names, counts, left=left, color=COLOURS[key], label=RAG_LABELS[key],
                       edgecolor="white", linewidth=1)  # fmt: skip
        labels = [str(n) if n else "" for n in counts]
        ax.bar_label(bars, labels=labels, label_type="center", color="white", fontsize=8,
                     fontweight="bold")  # fmt: skip
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_xlabel("Actions")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", labelsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(rows) > 3 else -0.45),
              ncol=len(RAG_KEYS), frameon=False, fontsize=8)  # fmt: skip
    fig.tight_layout()
    return fig


def rag_by_theme_png(themes: tuple[ThemeRow, ...], *, width_in: float = 6.3, dpi: int = 150):
    """The chart as PNG bytes."""
    fig = _figure(themes, width_in)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


def rag_by_theme_svg(themes: tuple[ThemeRow, ...], *, width_in: float = 6.3) -> str:
    """The chart as an SVG document (text, for HTML and PDF)."""
    fig = _figure(themes, width_in)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return out.getvalue()
