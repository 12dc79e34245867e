"""Publish counts about people without disclosing anyone: small-number suppression and rounding.

Pure Python, no Django, so pages, Word tables and commands share it.

A council chooses one of the :data:`RULES` (see DOMAIN.md, "Publishing small numbers safely"):

- :data:`NHS` (``"nhs-1-7"``): 0 stays 0; 1 to 7 are shown as ``*``; larger counts are rounded to
  the nearest 5.
- :data:`ONS_10_5` (``"ons-10-5"``): 1 to 9 are shown as ``*``; the rest are rounded to the
  nearest 5. 0 is still shown as 0, as under :data:`NHS`: a zero is usually knowable anyway (a
  service that doesn't run in a ward), showing it keeps the two rules consistent, and the
  secondary suppression below treats every shown 0 as known exactly.
- :data:`NONE` (``"none"``): figures as they are, for data officers only, never for publication.

Rounding is half up (to the nearest 5 there are no exact halves among whole numbers: 8 -> 10,
12 -> 10, 13 -> 15). A :class:`Cell` is one published figure: ``shown`` is the text to print,
``"*"`` when suppressed, otherwise the published number with thousands separated by commas
("1,235"), as GOV.UK style asks; ``value`` is that published (rounded) number, or ``None``;
``reason`` says why it looks as it does and never depends on the true value beyond its class.
The true value of a suppressed figure is not kept anywhere in the result.

Tables (:func:`protect_table`). Row, column and grand totals are worked out from the true
figures and then protected by the same rule as any other figure (so a small total is ``*``, and
shown figures need not add up to the shown totals). Primary suppression hides the small numbers.
Secondary suppression then hides more figures, one at a time, until both hold:

1. no published line (a row with its shown total, a column with its shown total, the row totals
   with the grand total, the column totals with the grand total) has exactly one ``*``: when one
   has, the smallest shown non-zero cell in it is hidden too (a total only if no cell is left),
   preferring cells whose other line already has a ``*``; repeated until stable; and
2. no ``*`` can be worked out exactly by someone who knows the rule, every published figure
   (each shown figure only to within its rounding, a shown non-zero figure being at least the
   smallest shown count, a shown 0 being exactly 0), which ``*`` are small numbers (1 to 7 under
   NHS) and which are secondary (so at least 8), that counts are whole numbers of at least 0 and
   that they add up to their totals. This is checked exactly: the table is a circulation in a
   network (source -> row -> column -> sink -> source) with those bounds on every flow, the true
   table is one feasible circulation, and a figure can take another value if and only if it lies
   on a cycle of the residual network. A figure that can't is protected by hiding the smallest
   shown non-zero figure in one of its lines.

Zeros are never hidden by secondary suppression, so ``*`` always means "not zero". What the
second check doesn't promise: that a ``*`` can't be narrowed down (to "1 to 3", say), or that
someone who reasons from the order in which secondary figures are chosen learns nothing.

Percentages (:func:`percentages`) are worked out from the published (rounded) figures, never
from the true ones, to 0 decimal places, half up, exactly (no floating point), shown as "13%";
``*`` where the count or the total is ``*``, and "–" when the total is 0.

Breakdowns (:func:`protect_breakdown`), such as carers by ethnicity with "Not known", are a
one-row table with its total, protected the same way: if exactly one category is ``*`` and the
total is shown, the next smallest category is hidden too.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

SUPPRESSED = "*"
NOT_APPLICABLE = "–"  # a percentage of a total of 0

# Cell.reason values. They describe the kind of figure, never its value.
ZERO = "zero"
EXACT = "shown as it is"
SMALL = "small number"
SECONDARY = "hidden so that another hidden figure cannot be worked out"
PERCENTAGE = "percentage of the total, from the rounded figures"
PERCENTAGE_HIDDEN = "the count or the total is hidden"
NO_TOTAL = "the total is 0"

INFINITY = math.inf


@dataclass(frozen=True)
class Rule:
    """A disclosure-control rule: counts from 1 to ``suppress_below - 1`` are hidden, 0 is shown,
    and every other count is rounded (half up) to the nearest ``round_to``."""

    key: str
    name: str
    description: str
    suppress_below: int = 1
    round_to: int = 1
    for_data_officers_only: bool = False

    def __post_init__(self):
        if self.suppress_below < 1 or self.round_to < 1:
            raise ValueError("suppress_below and round_to must be at least 1")
        if self.round(self.smallest_shown) == 0:
            raise ValueError("the smallest count shown would be rounded to 0")

    @property
    def smallest_shown(self) -> int:
        """The smallest non-zero count that is shown rather than hidden."""
        return self.suppress_below

    def is_small(self, n: int) -> bool:
        return 0 < n < self.suppress_below

    def round(self, n: int) -> int:
        """``n`` rounded half up to the nearest ``round_to``."""
        return (2 * n + self.round_to) // (2 * self.round_to) * self.round_to

    def rounds_from(self, shown: int) -> tuple[int, int]:
        """The whole numbers (lowest, highest) that round to ``shown``."""
        return shown - self.round_to // 2, shown + (self.round_to - 1) // 2


NHS = Rule(
    key="nhs-1-7",
    name="NHS England: 1 to 7 hidden, rounded to 5",
    description=(
        "Counts from 1 to 7 are shown as *. Other counts are rounded to the nearest 5, and 0 is "
        "shown as 0. Totals are rounded from the true figures, so figures may not add up to the "
        "totals shown. Percentages are worked out from the rounded figures. Where a * could be "
        "worked out from a total, another figure is shown as * too."
    ),
    suppress_below=8,
    round_to=5,
)
ONS_10_5 = Rule(
    key="ons-10-5",
    name="ONS 10-5: below 10 hidden, rounded to 5",
    description=(
        "Counts from 1 to 9 are shown as *. Other counts are rounded to the nearest 5, and 0 is "
        "shown as 0. Totals are rounded from the true figures, so figures may not add up to the "
        "totals shown. Percentages are worked out from the rounded figures. Where a * could be "
        "worked out from a total, another figure is shown as * too."
    ),
    suppress_below=10,
    round_to=5,
)
NONE = Rule(
    key="none",
    name="None: exact figures",
    description=(
        "Figures are shown as they are, with nothing hidden or rounded. For data officers only: "
        "not for publication."
    ),
    for_data_officers_only=True,
)

RULES: dict[str, Rule] = {r.key: r for r in (NHS, ONS_10_5, NONE)}


def rule_for(key: str) -> Rule:
    """The rule with this key; ``ValueError`` naming the known keys if there is none."""
    try:
        return RULES[key]
    except (KeyError, TypeError):
        known = ", ".join(repr(k) for k in RULES)
        raise ValueError(f"unknown disclosure rule {key!r}: known rules are {known}") from None


@dataclass(frozen=True)
class Cell:
    """One published figure. ``shown`` is what to print; ``value`` the published number."""

    shown: str
    value: int | None
    suppressed: bool
    reason: str

    def __str__(self) -> str:
        return self.shown


def _hidden(reason: str) -> Cell:
    return Cell(SUPPRESSED, None, True, reason)


def _check_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a count must be a whole number, not {n!r}")
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    return n


def protect_count(n: int, rule: Rule) -> Cell:
    """One count as the rule publishes it, ignoring any totals."""
    _check_count(n)
    if n == 0:
        return Cell("0", 0, False, ZERO)
    if rule.is_small(n):
        return _hidden(SMALL)
    shown = rule.round(n)
    reason = EXACT if rule.round_to == 1 else f"rounded to the nearest {rule.round_to}"
    return Cell(f"{shown:,}", shown, False, reason)


def _percentage(cell: Cell, total: Cell) -> Cell:
    if cell.suppressed or total.suppressed:
        return _hidden(PERCENTAGE_HIDDEN)
    if cell.value is None or not total.value:
        return Cell(NOT_APPLICABLE, None, False, NO_TOTAL)
    percent = (200 * cell.value + total.value) // (2 * total.value)
    return Cell(f"{percent}%", percent, False, PERCENTAGE)


def percentages(cells: Sequence[Cell], total_cell: Cell) -> list[Cell]:
    """Each cell as a whole-number percentage of the total, from the published figures only."""
    return [_percentage(cell, total_cell) for cell in cells]


# --- tables ----------------------------------------------------------------------------------

GRAND = ("grand",)


def _ends(key: tuple) -> tuple[object, object]:
    """The figure as a flow in the network source -> row -> column -> sink -> source."""
    kind = key[0]
    if kind == "cell":
        return ("R", key[1]), ("C", key[2])
    if kind == "row":
        return "S", ("R", key[1])
    if kind == "col":
        return ("C", key[1]), "T"
    return "T", "S"


class _Protector:
    """Works out which figures of a table to hide (see the module docstring)."""

    def __init__(
        self, rows, rule, *, row_totals, column_totals, known=frozenset(), exact_totals=False
    ):
        self.rule = rule
        n_cols = len(rows[0]) if rows else 0
        if any(len(row) != n_cols for row in rows):
            raise ValueError("every row of a table must have the same number of columns")
        self.value: dict[tuple, int] = {}
        for i, row in enumerate(rows):
            for j, n in enumerate(row):
                self.value[("cell", i, j)] = _check_count(n)
            self.value[("row", i)] = sum(row)
        for j in range(n_cols):
            self.value[("col", j)] = sum(row[j] for row in rows)
        self.value[GRAND] = sum(self.value[("row", i)] for i in range(len(rows)))
        # Cells the reader may know exactly although they are not published (a breakdown's rest).
        self.known = {("cell", i, j) for i, j in known}
        if exact_totals:  # the row totals are published exactly elsewhere (a headline figure)
            self.known |= {("row", i) for i in range(len(rows))}
        self.published = {k for k in self.value if k[0] == "cell" and k not in self.known}
        lines = []
        if row_totals:
            self.published |= {("row", i) for i in range(len(rows))}
            lines += [
                [("cell", i, j) for j in range(n_cols)] + [("row", i)] for i in range(len(rows))
            ]
            lines.append([("row", i) for i in range(len(rows))] + [GRAND])
        if column_totals:
            self.published |= {("col", j) for j in range(n_cols)}
            lines += [
                [("cell", i, j) for i in range(len(rows))] + [("col", j)] for j in range(n_cols)
            ]
            lines.append([("col", j) for j in range(n_cols)] + [GRAND])
        if row_totals or column_totals:
            self.published.add(GRAND)
        self.lines = lines
        self.lines_of: dict[tuple, list[list[tuple]]] = {}
        for line in lines:
            for key in line:
                self.lines_of.setdefault(key, []).append(line)
        self.status = {k: SMALL for k in self.published if rule.is_small(self.value[k])}
        self.unprotected = False
        self._hide_more()

    # What a reader can know about each figure.
    def bounds(self, key: tuple) -> tuple[int, float]:
        value, rule = self.value[key], self.rule
        if key in self.known:
            return value, value
        if key not in self.published:
            return 0, INFINITY
        status = self.status.get(key)
        if status == SMALL:
            return 1, rule.suppress_below - 1
        if status == SECONDARY:
            return rule.smallest_shown, INFINITY
        if value == 0:
            return 0, 0
        low, high = rule.rounds_from(rule.round(value))
        return max(low, rule.smallest_shown), high

    def can_change(self, key: tuple) -> bool:
        """Whether the published figures allow this figure another value (a residual cycle)."""
        residual: dict[object, list[object]] = {}
        for other in self.value:
            if other == key:
                continue
            low, high = self.bounds(other)
            flow, (tail, head) = self.value[other], _ends(other)
            if flow < high:
                residual.setdefault(tail, []).append(head)
            if flow > low:
                residual.setdefault(head, []).append(tail)
        low, high = self.bounds(key)
        tail, head = _ends(key)
        flow = self.value[key]
        return (flow < high and _reaches(residual, head, tail)) or (
            flow > low and _reaches(residual, tail, head)
        )

    def _candidates(self, keys) -> tuple | None:
        def weight(key):
            others = sum(any(k in self.status for k in line) for line in self.lines_of.get(key, ()))
            return (key[0] != "cell", self.value[key], -others, key)

        free = [
            k for k in keys if k in self.published and k not in self.status and self.value[k] > 0
        ]
        return min(free, key=weight) if free else None

    def _next_to_hide(self) -> tuple | None:
        for line in self.lines:
            if sum(k in self.status for k in line) == 1:
                chosen = self._candidates(line)
                if chosen is not None:
                    return chosen
        for key in sorted(self.status):
            if not self.can_change(key):
                nearby = [k for line in self.lines_of.get(key, ()) for k in line]
                chosen = self._candidates(nearby) or self._candidates(sorted(self.value))
                if chosen is None:
                    self.unprotected = True
                return chosen
        return None

    def _hide_more(self) -> None:
        while (key := self._next_to_hide()) is not None:
            self.status[key] = SECONDARY

    def cell(self, key: tuple) -> Cell:
        status = self.status.get(key)
        return _hidden(status) if status else protect_count(self.value[key], self.rule)

    def notes(self) -> tuple[str, ...]:
        rule = self.rule
        notes = []
        if rule.for_data_officers_only:
            notes.append("Exact figures, nothing hidden or rounded: for data officers only.")
        small = sum(s == SMALL for s in self.status.values())
        more = sum(s == SECONDARY for s in self.status.values())
        if small:
            figures = "figure is" if small == 1 else "figures are"
            notes.append(
                f"{small} {figures} shown as * because the count is between 1 and "
                f"{rule.suppress_below - 1}."
            )
        if more:
            figures = "figure is" if more == 1 else "figures are"
            notes.append(
                f"{more} more {figures} shown as * so that the other hidden figures cannot be "
                "worked out from the totals."
            )
        if rule.round_to > 1 and any(key[0] == "cell" for key in self.value):
            notes.append(
                f"Other figures are rounded to the nearest {rule.round_to}. Totals are rounded "
                "from the true figures, so the figures shown may not add up to the totals shown."
            )
        if self.unprotected:
            notes.append(
                "Some hidden figures could still be worked out from the totals: do not publish "
                "this table without a data officer's review."
            )
        return tuple(notes)


def _reaches(graph: dict, start: object, goal: object) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


@dataclass(frozen=True)
class ProtectedTable:
    """A table as published: ``cells[row][column]``; totals are ``None`` when not published."""

    rule: Rule
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    grand_total: Cell | None
    notes: tuple[str, ...]


def protect_table(
    rows: Sequence[Sequence[int]],
    rule: Rule,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> ProtectedTable:
    """Protect a table of counts with its totals: primary then secondary suppression, rounding.

    The grand total is published when either kind of total is.
    """
    p = _Protector(rows, rule, row_totals=row_totals, column_totals=column_totals)
    n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
    cells = tuple(tuple(p.cell(("cell", i, j)) for j in range(n_cols)) for i in range(n_rows))
    return ProtectedTable(
        rule=rule,
        cells=cells,
        row_totals=tuple(p.cell(("row", i)) for i in range(n_rows)) if row_totals else None,
        column_totals=(tuple(p.cell(("col", j)) for j in range(n_cols)) if column_totals else None),
        grand_total=p.cell(GRAND) if row_totals or column_totals else None,
        notes=p.notes(),
    )


# --- breakdowns ------------------------------------------------------------------------------


class BreakdownRow(NamedTuple):
    category: str
    count: Cell
    percentage: Cell


@dataclass(frozen=True)
class ProtectedBreakdown:
    """A breakdown as published: iterate it for ``(category, count, percentage)`` rows."""

    rule: Rule
    rows: tuple[BreakdownRow, ...]
    total: Cell
    notes: tuple[str, ...]
    publishable: bool = True  # False: a hidden figure could still be worked out

    def __iter__(self) -> Iterator[BreakdownRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def protect_breakdown(
    categories: Mapping[str, int],
    rule: Rule,
    *,
    total: int | None = None,
    total_is_public: bool = False,
) -> ProtectedBreakdown:
    """Protect counts by category (in the order given) with their total and percentages.

    ``total`` defaults to the sum of the categories. A larger total (people in categories not
    listed) is allowed; the difference is treated as known exactly to the reader, which is the
    cautious assumption. A smaller one is a ``ValueError``. ``total_is_public``: the exact total
    is published elsewhere (an indicator's headline count), so the reader knows it exactly;
    when even hiding every figure cannot then protect the small ones, ``publishable`` is False
    and the breakdown must not be shown.
    """
    names = list(categories)
    counts = [_check_count(categories[name]) for name in names]
    if total is None:
        total = sum(counts)
    elif _check_count(total) < sum(counts):
        raise ValueError(f"the total ({total}) is less than the categories add up to")
    rest = total - sum(counts)
    row = counts + ([rest] if rest else [])
    known = {(0, len(counts))} if rest else set()
    p = _Protector([row], rule, row_totals=True, column_totals=False, known=known,
                   exact_totals=total_is_public)  # fmt: skip
    total_cell = p.cell(("row", 0))
    count_cells = [p.cell(("cell", 0, j)) for j in range(len(counts))]
    shares = percentages(count_cells, total_cell)
    return ProtectedBreakdown(
        rule=rule,
        rows=tuple(BreakdownRow(*r) for r in zip(names, count_cells, shares, strict=True)),
        total=total_cell,
        notes=p.notes(),
        publishable=not p.unprotected,
    )


__all__ = [
    "NHS",
    "NONE",
    "NOT_APPLICABLE",
    "ONS_10_5",
    "RULES",
    "SECONDARY",
    "SMALL",
    "SUPPRESSED",
    "BreakdownRow",
    "Cell",
    "ProtectedBreakdown",
    "ProtectedTable",
    "Rule",
    "percentages",
    "protect_breakdown",
    "protect_count",
    "protect_table",
    "rule_for",
]
