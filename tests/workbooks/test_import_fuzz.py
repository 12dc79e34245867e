"""The whole importer on random workbooks: it never raises, refuses only with reasons, and an
import either happens completely (exactly the actions it reports) or changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from caring.plans.models import Action, PlanVersion, Strategy
from caring.plans.services.imports import workbook_import
from caring.workbooks import cells
from caring.workbooks.headers import ALIASES
from tests.conftest import COUNTED
from tests.workbooks.builders import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

HEADERS = st.sampled_from(
    [names[0] for names in ALIASES.values()]
    + ["Status", "Lead Officer", "Date Commenced", "RAG Status", "Budget code", "", "Notes"]
)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=3000),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.booleans(),
    st.sampled_from(
        ["R", "Amber", "blue", "Complete", "On track", "Dec 2018", "Q3 2018/19", "TBC", "Ongoing",
         "31/02/2019", "1, 3", "Outcome 2", "CYPS / Barnardo's", "ASC and Crossroads",
         "Theme 2: Young Carers", "YOUNG CARERS", "Key", "Total", "=SUM(A1:A3)", "+44", "@x"]
    ),
)  # fmt: skip
ANY_VALUES = st.one_of(VALUES, st.sampled_from(sorted(cells.ERROR_CODES)))  # junk rows only
REFS = st.from_regex(r"[A-Z]{1,2}[0-9]{1,2}", fullmatch=True)


@st.composite
def workbooks(draw):
    header = draw(st.lists(HEADERS, min_size=1, max_size=7))
    if draw(st.integers(0, 9)):  # mostly a plan's own header; sometimes anything at all
        header = ["Ref", "Action", *header]
    width = len(header)
    rows = [header]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["action"] * 8 + ["section", "blank", "junk"]))
        if kind == "section":
            rows.append([draw(st.sampled_from(["Theme 1: Carers Support", "2. Young Carers"]))])
        elif kind == "blank":
            rows.append([])
        else:
            values = VALUES if kind == "action" else ANY_VALUES
            row = draw(st.lists(values, min_size=width, max_size=width))
            if kind == "action" and width >= 2:
                row[0] = draw(REFS)
                row[1] = draw(st.sampled_from(["Offer assessments", "Young carers' data", "É"]))
            rows.append(row)
    above = draw(st.lists(st.lists(TEXT, max_size=2), max_size=3))  # title rows
    return [*above, *rows]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grid=workbooks(), as_csv=st.booleans(), slug=st.sampled_from(["ct", "new-plan"]))
def test_the_importer_never_raises_and_is_all_or_nothing(grid, as_csv, slug):
    if not Strategy.objects.filter(slug="ct").exists():  # an existing plan to import into
        workbook_import(data=xlsx([["Ref", "Action"], ["A1", "Existing"]]), filename="a.xlsx",
                        strategy_slug="ct")  # fmt: skip
    data = csv_bytes(grid) if as_csv else xlsx(grid)
    before = counts()
    versions = PlanVersion.objects.filter(strategy__slug=slug).count()
    report = workbook_import(data=data, filename="plan.csv" if as_csv else "plan.xlsx",
                             strategy_slug=slug)  # fmt: skip
    assert all(p.message.strip() and p.severity in ("error", "warning") for p in report.problems)
    assert all("Traceback" not in p.message for p in report.problems)
    event("imported" if report.imported else "refused")
    if report.imported:
        assert not report.refused
        version = PlanVersion.objects.get(strategy__slug=slug, is_current=True)
        assert version.name == report.version
        assert Action.objects.filter(version=version).count() == report.actions
        assert PlanVersion.objects.filter(strategy__slug=slug).count() == versions + 1
    else:
        assert report.refused
        assert counts() == before


def test_an_outcome_that_is_not_a_whole_number_is_a_note_not_a_crash():
    """Found by the fuzzing above: "1.0000002" and "40000" once crashed the import."""
    grid = [["Ref", "Action", "Outcome"], ["CS1", "Offer assessments", "1.0000002"],
            ["CS2", "Coffee shop", "40000, 2"]]  # fmt: skip
    report = workbook_import(data=xlsx(grid), filename="plan.xlsx", strategy_slug="odd")
    assert report.imported, report.problems
    warnings = [p.message for p in report.problems if p.field == "outcomes"]
    assert "'1.0000002' is not an outcome number" in warnings[0]
    assert "'40000' is not an outcome number" in warnings[1]
    cs1 = Action.objects.get(ref="CS1")
    assert cs1.extra == {"Outcome": "1.0000002"} and not cs1.outcomes.exists()
    cs2 = Action.objects.get(ref="CS2")
    assert [o.number for o in cs2.outcomes.all()] == [2] and cs2.extra == {"Outcome": "40000, 2"}
