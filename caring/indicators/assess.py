"""An indicator's RAG against its target and its direction of travel (pure: no Django).

- **RAG**: green when the latest approved value meets the target for its period (or the latest
  target set before it); amber when it falls short by no more than the tolerance (a percentage
  of the target); red otherwise; not rated without a value or a target. "Falls short" follows
  the polarity: for an indicator where lower is better, above the target is short of it.
- **Direction of travel**: the latest approved value against the one before it: improving,
  worsening or no change, by the polarity.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class Rating:
    rag: str | None  # 'red', 'amber', 'green' or None (not rated)
    reason: str


def rate(
    value: Decimal | None,
    target: Decimal | None,
    *,
    polarity: str,
    tolerance: Decimal,
    shown=str,
) -> Rating:
    """``value`` against ``target``; ``shown`` writes a figure as the pages do."""
    if value is None:
        return Rating(None, "No approved value yet.")
    if target is None:
        return Rating(None, "No target is set.")
    if polarity not in (HIGHER, LOWER):
        raise ValueError(f"polarity must be {HIGHER!r} or {LOWER!r}, not {polarity!r}")
    short = (target - value) if polarity == HIGHER else (value - target)
    if short <= 0:
        return Rating("green", f"{shown(value)} meets the target of {shown(target)}.")
    allowed = abs(target) * tolerance / Decimal(100)
    if short <= allowed:
        return Rating(
            "amber",
            f"{shown(value)} is short of the target of {shown(target)} by {shown(short)}, "
            f"within the {tolerance.normalize():f}% tolerance.",
        )
    return Rating(
        "red", f"{shown(value)} is short of the target of {shown(target)} by {shown(short)}."
    )


@dataclass(frozen=True)
class Direction:
    key: str  # 'improving', 'worsening', 'same' or 'unknown'
    label: str


def direction(latest: Decimal | None, previous: Decimal | None, *, polarity: str) -> Direction:
    if latest is None or previous is None:
        return Direction("unknown", "Not enough values yet")
    if latest == previous:
        return Direction("same", "No change")
    better = latest > previous if polarity == HIGHER else latest < previous
    return Direction("improving", "Improving") if better else Direction("worsening", "Worsening")


def fmt(value: Decimal | None, *, unit: str, decimals: int) -> str:
    """A figure as people read it: '1,234', '45.6%', '7.6', '12.3 per 1,000'."""
    if value is None:
        return "No value"
    # Halves round away from zero, as in Excel and published tables (7.65 is 7.7, not 7.6).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if unit == "percentage":
        return f"{text}%"
    if unit == "rate_per_1000":
        return f"{text} per 1,000"
    return text
