"""Disclosure control: the rules, percentages, breakdowns, and an attacker who can't recover a *."""

import ast
import functools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caring.disclosure import (
    NHS,
    NONE,
    NOT_APPLICABLE,
    ONS_10_5,
    RULES,
    SECONDARY,
    SMALL,
    Cell,
    ProtectedTable,
    percentages,
    protect_breakdown,
    protect_count,
    protect_table,
    rule_for,
)

PROTECTING = [NHS, ONS_10_5]
THRESHOLD = {NHS.key: 8, ONS_10_5.key: 10}  # the smallest count each rule shows


def nearest_5(n):
    """Round half up to the nearest 5, written independently of the module."""
    return 5 * int(Fraction(n, 5) + Fraction(1, 2))


def half_up_percent(part, whole):
    return int(Fraction(100 * part, whole) + Fraction(1, 2))


# --- the module is pure ----------------------------------------------------------------------


def test_the_module_imports_nothing_from_django():
    path = Path(__file__).resolve().parents[1] / "caring" / "disclosure.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {n for n in names if n.startswith(("django", "caring"))}


# --- rules -----------------------------------------------------------------------------------


def test_rules_by_key_with_descriptions():
    assert RULES == {"nhs-1-7": NHS, "ons-10-5": ONS_10_5, "none": NONE}
    for key, rule in RULES.items():
        assert rule_for(key) is rule
        assert rule.description.endswith(".") and len(rule.description) > 40
    assert NONE.for_data_officers_only
    assert not NHS.for_data_officers_only and not ONS_10_5.for_data_officers_only


def test_an_unknown_key_names_the_known_ones():
    with pytest.raises(ValueError, match="'nhs-1-7', 'ons-10-5', 'none'"):
        rule_for("nhs")


def test_rules_are_frozen():
    with pytest.raises(AttributeError):
        NHS.round_to = 10


@pytest.mark.parametrize("n", range(101))
def test_nhs_rule_exactly_as_specified(n):
    cell = protect_count(n, NHS)
    if n == 0:
        assert cell == Cell("0", 0, False, "zero")
    elif n <= 7:
        assert (cell.shown, cell.value, cell.suppressed, cell.reason) == ("*", None, True, SMALL)
    else:
        assert (cell.shown, cell.value, cell.suppressed) == (str(nearest_5(n)), nearest_5(n), False)


@pytest.mark.parametrize("n", range(101))
def test_ons_10_5_rule_exactly_as_specified(n):
    cell = protect_count(n, ONS_10_5)
    if n == 0:
        assert (cell.shown, cell.value, cell.suppressed) == ("0", 0, False)
    elif n <= 9:
        assert (cell.shown, cell.value, cell.suppressed, cell.reason) == ("*", None, True, SMALL)
    else:
        assert (cell.shown, cell.value, cell.suppressed) == (str(nearest_5(n)), nearest_5(n), False)


@pytest.mark.parametrize(
    "n, shown",
    [(8, "10"), (10, "10"), (12, "10"), (13, "15"), (17, "15"), (18, "20"), (1234, "1,235")],
)
def test_rounding_is_half_up_to_the_nearest_5_with_thousands_commas(n, shown):
    assert protect_count(n, NHS).shown == shown
    assert protect_count(n, NHS).reason == "rounded to the nearest 5"


@pytest.mark.parametrize("n", [0, 1, 3, 7, 8, 12, 13, 99, 12345])
def test_none_shows_counts_as_they_are(n):
    assert protect_count(n, NONE) == Cell(
        f"{n:,}", n, False, "zero" if n == 0 else "shown as it is"
    )


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (True, TypeError), (2.0, TypeError)])
def test_counts_must_be_whole_numbers_of_at_least_0(bad, error):
    with pytest.raises(error):
        protect_count(bad, NHS)
    with pytest.raises(error):
        protect_table([[1, bad]], NHS)
    with pytest.raises(error):
        protect_breakdown({"A": bad}, NHS)


# --- percentages -----------------------------------------------------------------------------


def test_percentages_come_from_the_rounded_figures_half_up():
    # 5 of 40 is 12.5%: half up gives 13 (Python's round() would give 12).
    total = protect_count(42, NHS)  # shown 40
    shares = percentages([Cell("5", 5, False, ""), Cell("25", 25, False, "")], total)
    assert [(c.shown, c.value) for c in shares] == [("13%", 13), ("63%", 63)]
    shares = percentages([protect_count(n, NHS) for n in (0, 12, 13, 3)], total)
    assert [c.shown for c in shares] == ["0%", "25%", "38%", "*"]
    assert shares[3].suppressed and shares[3].value is None


def test_no_percentages_of_a_hidden_or_zero_total():
    cells = [protect_count(n, NHS) for n in (0, 3)]
    assert [c.shown for c in percentages(cells, protect_count(3, NHS))] == ["*", "*"]
    zero = percentages([protect_count(0, NHS)], protect_count(0, NHS))
    assert [(c.shown, c.value, c.suppressed) for c in zero] == [(NOT_APPLICABLE, None, False)]
    assert percentages([], protect_count(10, NHS)) == []


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([NHS, ONS_10_5, NONE]),
    st.lists(st.integers(0, 60), min_size=1, max_size=8),
)
def test_breakdown_percentages_are_the_shown_counts_over_the_shown_total(rule, counts):
    breakdown = protect_breakdown({f"c{i}": n for i, n in enumerate(counts)}, rule)
    total = breakdown.total
    for _category, cell, share in breakdown:
        if cell.suppressed or total.suppressed:
            assert share.suppressed and share.shown == "*"
        elif total.value == 0:
            assert share.shown == NOT_APPLICABLE
        else:
            expected = half_up_percent(cell.value, total.value)
            assert (share.shown, share.value) == (f"{expected}%", expected)


# --- breakdowns ------------------------------------------------------------------------------


def test_a_breakdown_with_one_small_category_hides_the_next_smallest_too():
    ethnicity = {"White British": 120, "Asian": 3, "Black": 25, "Mixed": 14, "Not known": 40}
    breakdown = protect_breakdown(ethnicity, NHS)
    assert [r.category for r in breakdown] == list(ethnicity)  # in the order given
    assert [(c, n.shown, p.shown) for c, n, p in breakdown] == [
        ("White British", "120", "60%"),
        ("Asian", "*", "*"),
        ("Black", "25", "13%"),
        ("Mixed", "*", "*"),
        ("Not known", "40", "20%"),
    ]
    reasons = {r.category: r.count.reason for r in breakdown if r.count.suppressed}
    assert reasons == {"Asian": SMALL, "Mixed": SECONDARY}
    assert breakdown.total.shown == "200"
    assert any("more figure is shown as *" in note for note in breakdown.notes)
    assert not any(str(n) in " ".join(breakdown.notes) for n in (3, 14))


def test_a_breakdown_with_two_small_categories_needs_nothing_more():
    breakdown = protect_breakdown({"A": 2, "B": 5, "C": 50, "D": 30}, NHS)
    assert [r.count.reason for r in breakdown][:2] == [SMALL, SMALL]
    assert [r.count.shown for r in breakdown] == ["*", "*", "50", "30"]


def test_a_breakdown_total_larger_than_its_categories_and_a_smaller_one():
    breakdown = protect_breakdown({"A": 3, "B": 40}, NHS, total=60)
    assert breakdown.total.shown == "60"
    assert [r.count.shown for r in breakdown] == ["*", "*"]
    with pytest.raises(ValueError, match="less than"):
        protect_breakdown({"A": 3, "B": 40}, NHS, total=42)


def test_empty_breakdown():
    breakdown = protect_breakdown({}, NHS)
    assert list(breakdown) == [] and len(breakdown) == 0
    assert breakdown.total == Cell("0", 0, False, "zero")


# --- tables ----------------------------------------------------------------------------------


def shown(table):
    return (
        [[c.shown for c in row] for row in table.cells],
        None if table.row_totals is None else [c.shown for c in table.row_totals],
        None if table.column_totals is None else [c.shown for c in table.column_totals],
        table.grand_total and table.grand_total.shown,
    )


def test_empty_tables():
    table = protect_table([], NHS)
    assert shown(table) == ([], [], [], "0")
    assert shown(protect_table([[], []], NHS)) == ([[], []], ["0", "0"], [], "0")
    assert shown(protect_table([], NHS, row_totals=False, column_totals=False)) == (
        [], None, None, None,
    )  # fmt: skip
    assert table.notes == ()


def test_ragged_tables_are_refused():
    with pytest.raises(ValueError, match="same number of columns"):
        protect_table([[1, 2], [3]], NHS)


@pytest.mark.parametrize("rule", PROTECTING)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_tables_without_small_numbers_are_only_rounded(rule, data):
    t = THRESHOLD[rule.key]
    count = st.one_of(st.just(0), st.integers(t, 200))
    rows = data.draw(st.integers(1, 5).flatmap(lambda c: st.lists(
        st.lists(count, min_size=c, max_size=c), min_size=1, max_size=5)))  # fmt: skip
    table = protect_table(rows, rule)
    assert [[c.shown for c in row] for row in table.cells] == [
        [protect_count(n, rule).shown for n in row] for row in rows
    ]
    assert [c.value for c in table.row_totals] == [nearest_5(sum(row)) for row in rows]
    assert [c.value for c in table.column_totals] == [
        nearest_5(sum(col)) for col in zip(*rows, strict=True)
    ]
    assert table.grand_total.value == nearest_5(sum(map(sum, rows)))
    assert not any("shown as *" in note for note in table.notes)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5).flatmap(lambda c: st.lists(
    st.lists(st.integers(0, 40), min_size=c, max_size=c), min_size=1, max_size=5)))  # fmt: skip
def test_none_returns_the_table_unchanged(rows):
    table = protect_table(rows, NONE)
    assert [[c.value for c in row] for row in table.cells] == rows
    assert [c.value for c in table.row_totals] == [sum(row) for row in rows]
    assert [c.value for c in table.column_totals] == [sum(col) for col in zip(*rows, strict=True)]
    assert table.grand_total.value == sum(map(sum, rows))
    assert not any(c.suppressed for row in table.cells for c in row)
    assert any("data officers" in note for note in table.notes)


def test_a_row_with_one_small_number_hides_the_next_smallest_cell():
    table = protect_table([[3, 20, 12, 40], [15, 25, 30, 10]], NHS, column_totals=False)
    assert shown(table)[0] == [["*", "20", "*", "40"], ["15", "25", "30", "10"]]
    assert [c.reason for c in table.cells[0]][:3] == [SMALL, "rounded to the nearest 5", SECONDARY]
    assert [c.shown for c in table.row_totals] == ["75", "80"]


def test_notes_say_what_was_hidden_and_why_without_values():
    table = protect_table([[3, 20, 12, 40], [15, 25, 30, 10]], NHS, column_totals=False)
    assert table.notes[:2] == (
        "1 figure is shown as * because the count is between 1 and 7.",
        "1 more figure is shown as * so that the other hidden figures cannot be worked out from "
        "the totals.",
    )
    assert "rounded to the nearest 5" in table.notes[2]


# --- the attacker ----------------------------------------------------------------------------

CAP = 5_000  # no true figure in these tests is this big; capping only helps the attacker


@functools.cache
def shown_as(rule_key, text):
    """Every count from 0 to CAP that the rule on its own publishes as this text."""
    rule = rule_for(rule_key)
    counts = [n for n in range(CAP + 1) if protect_count(n, rule).shown == text]
    assert counts == list(range(counts[0], counts[-1] + 1))
    return counts[0], counts[-1]


def possible(cell, rule):
    """What the attacker knows about a published figure, from the rule alone."""
    if cell is None:  # not published
        return 0, CAP
    if not cell.suppressed:
        return shown_as(rule.key, cell.shown)
    if cell.reason == SMALL:  # a small number
        return shown_as(rule.key, "*")
    assert cell.reason == SECONDARY  # a count the rule would have shown, other than 0
    return shown_as(rule.key, "*")[1] + 1, CAP


def published(table, rule):
    """The attacker's starting domains, and the true sums that tie the figures together."""
    n_rows, n_cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    domains = {("cell", i, j): possible(c, rule) for i, r in enumerate(table.cells)
               for j, c in enumerate(r)}  # fmt: skip
    for i in range(n_rows):
        domains["row", i] = possible(table.row_totals and table.row_totals[i], rule)
    for j in range(n_cols):
        domains["col", j] = possible(table.column_totals and table.column_totals[j], rule)
    domains["grand",] = possible(table.grand_total, rule)
    sums = [([("cell", i, j) for j in range(n_cols)], ("row", i)) for i in range(n_rows)]
    sums += [([("cell", i, j) for i in range(n_rows)], ("col", j)) for j in range(n_cols)]
    sums.append(([("row", i) for i in range(n_rows)], ("grand",)))
    sums.append(([("col", j) for j in range(n_cols)], ("grand",)))
    return domains, sums


def tighten(domains, sums):
    """Narrow every interval using the sums until nothing changes; False if inconsistent."""
    changed = True
    while changed:
        changed = False
        for parts, whole in sums:
            low, high = sum(domains[p][0] for p in parts), sum(domains[p][1] for p in parts)
            w_low, w_high = max(domains[whole][0], low), min(domains[whole][1], high)
            if w_low > w_high:
                return False
            if (w_low, w_high) != domains[whole]:
                domains[whole], changed = (w_low, w_high), True
            for p in parts:
                p_low, p_high = domains[p]
                new = (max(p_low, w_low - (high - p_high)), min(p_high, w_high - (low - p_low)))
                if new[0] > new[1]:
                    return False
                if new != (p_low, p_high):
                    low, high = low - p_low + new[0], high - p_high + new[1]
                    domains[p], changed = new, True
    return True


class Inconclusive(Exception):
    pass


def solution(domains, sums, hint, budget):
    """A whole-number table within the domains that adds up, or None (exhaustive search)."""
    domains = dict(domains)
    budget[0] -= 1
    if budget[0] < 0:
        raise Inconclusive
    if not tighten(domains, sums):
        return None
    free = [k for k, (low, high) in domains.items() if low < high]
    if not free:
        return {k: low for k, (low, _) in domains.items()}
    key = min(free, key=lambda k: domains[k][1] - domains[k][0])
    low, high = domains[key]
    middle = (low + high) // 2
    halves = [(low, middle), (middle + 1, high)]
    if hint[key] > middle:  # the true table is nearly a solution: look near it first
        halves.reverse()
    for half in halves:
        found = solution({**domains, key: half}, sums, hint, budget)
        if found is not None:
            return found
    return None


def true_figures(rows):
    truth = {("cell", i, j): n for i, row in enumerate(rows) for j, n in enumerate(row)}
    truth |= {("row", i): sum(row) for i, row in enumerate(rows)}
    truth |= {("col", j): sum(col) for j, col in enumerate(zip(*rows, strict=True))}
    truth["grand",] = sum(map(sum, rows))
    return truth


def recoverable(table, rule, rows):
    """The hidden figures the attacker can work out exactly."""
    truth = true_figures(rows)
    domains, sums = published(table, rule)
    for key, (low, high) in domains.items():  # the published table is consistent with the truth
        assert low <= truth[key] <= high, key
    assert tighten(domains, sums)
    hidden = [k for k in domains if k[0] == "cell" and table.cells[k[1]][k[2]].suppressed]
    hidden += [("row", i) for i, c in enumerate(table.row_totals or ()) if c.suppressed]
    hidden += [("col", j) for j, c in enumerate(table.column_totals or ()) if c.suppressed]
    if table.grand_total is not None and table.grand_total.suppressed:
        hidden.append(("grand",))
    found = []
    for key in hidden:
        low, high = domains[key]
        others = [(low, truth[key] - 1), (truth[key] + 1, high)]
        if not any(
            a <= b and solution({**domains, key: (a, b)}, sums, truth, [20_000]) is not None
            for a, b in others
        ):
            found.append(key)
    return found


counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(0, 40))  # skewed to small
tables = st.integers(1, 6).flatmap(
    lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=1, max_size=6)
)


def test_the_attacker_recovers_a_hidden_figure_that_only_primary_suppression_hides():
    """Without secondary suppression, [1, 8, 8] with its total 17 gives the 1 away under NHS:
    published * 10 10 and a total of 15, the two 8s are at least 8 (else they'd be *), so the *
    is at most 17 - 16 = 1, and a * is never 0."""
    rows = [[1, 8, 8]]
    primary = tuple(protect_count(n, NHS) for n in rows[0])
    total = protect_count(17, NHS)
    naive = ProtectedTable(NHS, (primary,), (total,), None, total, ())
    assert recoverable(naive, NHS, rows) == [("cell", 0, 0)]
    # Hiding the next smallest as well is not enough: a secondary * is at least 8 too, so both
    # * are given away (1 and 8). protect_table ends up hiding the total as well.
    second = Cell("*", None, True, SECONDARY)
    classic = ProtectedTable(NHS, ((primary[0], second, primary[2]),), (total,), None, total, ())
    assert recoverable(classic, NHS, rows) == [("cell", 0, 0), ("cell", 0, 1)]
    protected = protect_table(rows, NHS, column_totals=False)
    assert recoverable(protected, NHS, rows) == []


@pytest.mark.parametrize("rule", PROTECTING)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_hidden_figure_can_be_worked_out(rule, rows, row_totals, column_totals):
    """The claim: for every figure shown as * (cell or total), there are at least two different
    whole-number tables, each consistent with everything published, in which that figure differs.
    So no * can be worked out exactly, and its possible values include at least two.

    The attacker knows the rule and every published figure: a shown figure only to within its
    rounding (and, if not 0, that it is at least the smallest count the rule shows), a shown 0
    exactly, which * are small numbers (1 to 7, or 1 to 9) and which are secondary (so at least
    8, or 10), that counts are whole numbers of at least 0, and that cells add up to their row,
    column and grand totals. It narrows intervals through the sums, then searches exhaustively
    (branch and bound) for a consistent table with a different value for each *.

    Not claimed: that a * can't be narrowed down (to 1-3, say), or anything against someone who
    reasons from the order in which the module chooses secondary figures."""
    table = protect_table(rows, rule, row_totals=row_totals, column_totals=column_totals)
    assert recoverable(table, rule, rows) == []
    assert not any("could still be worked out" in note for note in table.notes)


@pytest.mark.parametrize("rule", PROTECTING)
@settings(max_examples=150, deadline=None)
@given(rows=tables)
def test_no_published_line_has_exactly_one_hidden_figure(rule, rows):
    table = protect_table(rows, rule)
    lines = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    lines += [
        [*col, total]
        for col, total in zip(zip(*table.cells, strict=True), table.column_totals, strict=True)
    ]
    lines += [[*table.row_totals, table.grand_total], [*table.column_totals, table.grand_total]]
    assert all(sum(c.suppressed for c in line) != 1 for line in lines)
    for row, cells in zip(rows, table.cells, strict=True):
        for n, cell in zip(row, cells, strict=True):
            assert (cell.reason == SMALL) == (0 < n < THRESHOLD[rule.key])
            assert not (n == 0 and cell.suppressed)  # zeros are never hidden


def test_a_breakdown_whose_exact_total_is_public_is_withheld_when_it_cannot_be_protected():
    # 1 + 8 + 8 = 17: knowing 17 exactly, and that a shown or secondary figure is at least 8,
    # the 1 can be worked out however many figures are hidden.
    leaky = protect_breakdown({"a": 1, "b": 8, "c": 8}, NHS, total_is_public=True)
    assert not leaky.publishable
    assert any("do not publish" in note for note in leaky.notes)
    # Not knowing the total exactly, hiding enough protects it.
    assert protect_breakdown({"a": 1, "b": 8, "c": 8}, NHS).publishable
    # Two small figures that can trade with each other stay publishable with the total known.
    safe = protect_breakdown({"a": 3, "b": 10, "c": 15, "d": 3}, NHS, total_is_public=True)
    assert safe.publishable
    assert [r.count.shown for r in safe] == ["*", "10", "15", "*"]
