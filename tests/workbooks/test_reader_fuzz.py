"""The reader never raises, whatever it is given."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caring.workbooks import cells
from caring.workbooks.headers import ALIASES, normalise
from caring.workbooks.reader import (
    FIELDS,
    INTERNAL_FAULT,
    ReadResult,
    read_workbook,
)
from tests.workbooks.builders import (
    csv_bytes,
    new_sheet,
    save,
    solid,
)

# --- never raises ---------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_HEADER_WORDS = st.sampled_from(
    [n for names in ALIASES.values() for n in names] + ["Status", "Key", "Total", "Theme 1: x"]
)
_VALUES = st.one_of(
    st.none(),
    _TEXT,
    _HEADER_WORDS,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(sorted(cells.ERROR_CODES - {"#SPILL!", "#CALC!"}) + ["R", "1-3", "ASC and X"]),
)
_GRIDS = st.lists(st.lists(_VALUES, max_size=7), max_size=10)


def _check(result: ReadResult) -> None:
    assert INTERNAL_FAULT not in [p.message for p in result.problems]
    for problem in result.problems:
        assert problem.severity in ("error", "warning")
        assert problem.field is None or problem.field in FIELDS
        assert problem.column is None or problem.column.isalpha()
    for action in result.actions:
        assert action.status in (
            None,
            "not_started",
            "in_progress",
            "complete",
            "on_hold",
            "cancelled",
        )
        assert action.rag in (None, "red", "amber", "green", "blue")
        assert all(isinstance(v, str) for v in action.notes.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=_GRIDS, header=st.lists(_HEADER_WORDS, min_size=1, max_size=6), fill=st.booleans())
def test_random_grids_never_raise(grid, header, fill):
    sheet = new_sheet([header, *grid])
    if fill:
        for row in sheet.iter_rows(min_row=2):
            for cell in row[:3]:
                cell.fill = solid("00B050")
    sheet.merge_cells("A2:B2") if len(grid) > 1 else None
    _check(read_workbook(save(sheet), filename="random.xlsx"))


@settings(max_examples=60, deadline=None)
@given(grid=st.lists(st.lists(st.one_of(_TEXT, _HEADER_WORDS), max_size=6), max_size=10))
def test_random_csv_never_raises(grid):
    _check(read_workbook(csv_bytes(grid), filename="random.csv"))


@settings(max_examples=100, deadline=None)
@given(texts=st.dictionaries(st.integers(1, 12), st.one_of(_TEXT, _HEADER_WORDS), max_size=8))
def test_header_detection_never_crashes(texts):
    from caring.workbooks.headers import header_score, resolve_columns

    header_score(texts)
    columns = resolve_columns(texts, {}, letter=lambda n: chr(64 + n))
    assert len(set(columns.fields.values())) == len(columns.fields)
    assert not set(columns.fields.values()) & set(columns.notes)
    assert set(columns.fields.values()) | set(columns.notes) == set(texts)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_raise(data):
    _check(read_workbook(data, filename="x.xlsx"))
    _check(read_workbook(data, filename="x.csv"))


def test_normalise_header_text():
    assert normalise("  Lead\nOfficer. ") == "lead officer"
    assert normalise("Action #") == "action no"
