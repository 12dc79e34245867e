"""The NHS ODS GP practice file (epraccur) reader."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caring.indicators.practices_reader import (
    INTERNAL_FAULT,
    PRACTICE_CODE,
    STATUSES,
    WIDTH,
    PracticeRow,
    PracticesRead,
    read_practices,
)

DATA = Path(__file__).resolve().parents[2] / "caring" / "indicators" / "data"
EPRACCUR = DATA / "epraccur_rotherham_03L.csv"
REAL = EPRACCUR.read_text(encoding="utf-8").splitlines()
HEADER = [
    "Organisation Code", "Name", "National Grouping", "High Level Health Geography",
    "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
    "Postcode", "Open Date", "Close Date", "Status Code", "Organisation Sub-Type Code",
    "Commissioner", "Join Provider/Purchaser Date", "Left Provider/Purchaser Date",
    "Contact Telephone Number", "Null", "Null", "Null", "Amended Record Indicator", "Null",
    "Provider/Purchaser", "Null", "Prescribing Setting", "Null",
]  # fmt: skip


def practice(**changes: str) -> list[str]:
    """A row of the real file (Dinnington Group Practice, C87002) with fields changed by 1-based
    position: practice(f13="C")."""
    record = next(csv.reader([REAL[0]]))
    for key, value in changes.items():
        record[int(key[1:]) - 1] = value
    return record


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def only_error(read: PracticesRead):
    found = [p for p in read.problems if p.severity == "error"]
    assert len(found) == 1, read.problems
    return found[0]


@pytest.fixture(scope="module")
def real() -> PracticesRead:
    return read_practices(EPRACCUR.read_bytes(), EPRACCUR.name)


# --- the real file ---------------------------------------------------------------------------


def test_real_file_reads_with_no_problems(real):
    assert real.ok and real.problems == []
    assert len(real.rows) == 92
    assert [r.row for r in real.rows] == list(range(1, 93))


def test_real_file_has_29_active_gp_practices(real):
    active = [r for r in real.rows if r.is_active_gp_practice]
    assert len(active) == 29
    assert all(r.status == "A" and r.prescribing_setting == 4 and r.closed is None for r in active)
    assert Counter(r.status for r in real.rows) == {"A": 79, "C": 13}
    # Closed practices (setting 4, status C) are not active GP practices.
    assert sum(1 for r in real.rows if r.prescribing_setting == 4) == 37


def test_real_file_first_row(real):
    assert real.rows[0] == PracticeRow(
        row=1,
        code="C87002",
        name="DINNINGTON GROUP PRACTICE",
        postcode="S25 4DB",
        opened=date(1974, 4, 1),
        closed=None,
        status="A",
        prescribing_setting=4,
        commissioner="03L",
        provider_purchaser="03L",
    )


def test_real_file_closed_practice(real):
    brookfield = next(r for r in real.rows if r.code == "C87023")
    assert (brookfield.name, brookfield.status, brookfield.closed) == (
        "BROOKFIELD SURGERY",
        "C",
        date(2019, 4, 30),
    )
    assert not brookfield.is_active_gp_practice


def test_real_file_commissioner_is_field_15_not_24(real):
    # The file's field 15 is 03L (NHS Rotherham) on every row, as the data README says. Field 24
    # (provider/purchaser) is 03L for every active GP practice, but an NHS trust for some other
    # prescribing settings, so it is not the commissioner.
    assert {r.commissioner for r in real.rows} == {"03L"}
    assert {r.provider_purchaser for r in real.rows if r.is_active_gp_practice} == {"03L"}
    assert {r.provider_purchaser for r in real.rows} == {"03L", "RFR", "RXE", "QF7"}


def test_real_file_fields_agree_with_an_independent_reading(real):
    with EPRACCUR.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    assert {len(record) for record in records} == {WIDTH}
    for record, got in zip(records, real.rows, strict=True):
        assert (got.code, got.name, got.postcode) == (record[0], record[1], record[9])
        assert got.opened.strftime("%Y%m%d") == record[10]
        assert (got.closed.strftime("%Y%m%d") if got.closed else "") == record[11]
        assert (got.status, got.commissioner) == (record[12], record[14])
        assert (got.provider_purchaser, str(got.prescribing_setting)) == (record[23], record[25])


# --- every problem at its row ---------------------------------------------------------------


def test_wrong_number_of_columns():
    short, long = practice()[:26], [*practice(f1="C87003"), ""]
    read = read_practices(csv_bytes([practice(f1="C87004"), short, long]), "e.csv")
    assert [(p.row, p.severity) for p in read.problems] == [(2, "error"), (3, "error")]
    assert "Row 2 has 26 columns" in read.problems[0].message
    assert "Row 3 has 28 columns" in read.problems[1].message
    assert "has 27" in read.problems[0].message
    assert [r.code for r in read.rows] == ["C87004"] and not read.ok


@pytest.mark.parametrize("code", ["C8700", "87002C", "CC87002", "C87002X", ""])
def test_bad_organisation_code(code):
    read = read_practices(csv_bytes([practice(f1="C87009"), practice(f1=code)]), "e.csv")
    problem = only_error(read)
    assert (problem.row, problem.column, problem.field) == (2, "A", "code")
    assert "letter and five digits" in problem.message
    assert [r.row for r in read.rows] == [1]


def test_lower_case_code_is_read_in_capitals():
    read = read_practices(csv_bytes([practice(f1="c87002")]), "e.csv")
    assert read.ok and read.rows[0].code == "C87002"


def test_duplicate_practice_names_the_first_row():
    rows = [practice(), practice(f1="C87003"), practice(f2="AGAIN")]
    problem = only_error(read_practices(csv_bytes(rows), "e.csv"))
    assert problem.row == 3 and "already on row 1" in problem.message


@pytest.mark.parametrize(
    ("position", "field", "letter", "value"),
    [
        (11, "opened", "K", "1974-04-01"),
        (11, "opened", "K", "19741301"),
        (12, "closed", "L", "20190230"),
        (12, "closed", "L", "30/04/2019"),
    ],
)
def test_unreadable_dates(position, field, letter, value):
    rows = [practice(f1="C87009"), practice(**{f"f{position}": value})]
    problem = only_error(read_practices(csv_bytes(rows), "e.csv"))
    assert (problem.row, problem.column, problem.field) == (2, letter, field)
    assert f"'{value}' could not be read" in problem.message and "YYYYMMDD" in problem.message


def test_blank_open_date_is_allowed():
    read = read_practices(csv_bytes([practice(f11="")]), "e.csv")
    assert read.ok and read.rows[0].opened is None


def test_closed_before_opened():
    problem = only_error(read_practices(csv_bytes([practice(f12="19700101")]), "e.csv"))
    assert (problem.row, problem.field) == (
        1,
        "closed",
    ) and "before the open date" in problem.message


def test_unknown_status_and_setting():
    read = read_practices(csv_bytes([practice(f13="X"), practice(f1="C87003", f26="GP")]), "e.csv")
    assert [(p.row, p.column, p.field) for p in read.problems] == [
        (1, "M", "status"),
        (2, "Z", "prescribing_setting"),
    ]
    assert read.rows == []


def test_blank_setting_is_none():
    read = read_practices(csv_bytes([practice(f26="")]), "e.csv")
    assert read.ok and read.rows[0].prescribing_setting is None
    assert not read.rows[0].is_active_gp_practice


def test_a_header_row_is_read_with_a_warning():
    read = read_practices(csv_bytes([HEADER, practice(), practice(f1="C87003")]), "e.csv")
    assert read.ok and [r.row for r in read.rows] == [2, 3]
    [problem] = read.problems
    assert (problem.row, problem.severity) == (1, "warning")
    assert "looks like a header row" in problem.message and "Organisation Code" in problem.message
    read = read_practices(csv_bytes([["Code", "Name"], practice()]), "e.csv")
    assert read.ok and [p.severity for p in read.problems] == ["warning"]


def test_blank_lines_are_skipped():
    data = b"\n" + csv_bytes([practice()]) + b"\n\n" + csv_bytes([practice(f1="C87003")])
    read = read_practices(data, "e.csv")
    assert read.ok and [r.row for r in read.rows] == [2, 5]


def test_unquoted_file_is_read():
    line = ",".join(practice()).replace("15 QUARRY LANE,ANSTON", "15 QUARRY LANE ANSTON")
    read = read_practices(line.encode() + b"\r\n", "e.csv")
    assert read.ok and read.rows[0].code == "C87002"


# --- refused files --------------------------------------------------------------------------


def test_xlsx_bytes_are_refused():
    workbook = Workbook()
    workbook.active.append(practice())
    out = io.BytesIO()
    workbook.save(out)
    problem = only_error(read_practices(out.getvalue(), "epraccur.xlsx"))
    assert "Excel workbook (.xlsx)" in problem.message and problem.row is None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b"\x00\x00\x00\x00", "not a text file"),
        (bytes(range(256)), "not a text file"),
        (b"%PDF-1.4", "a PDF"),
        (b"\x89PNG\r\n", "a picture"),
    ],
)
def test_files_that_are_not_csv_are_refused(data, words):
    read = read_practices(data, "epraccur.csv")
    assert read.rows == [] and words in only_error(read).message


def test_the_benchmark_file_is_not_a_practice_file():
    oflog = DATA / "oflog_asc_carer_measures_all_LAs.csv"
    read = read_practices(oflog.read_bytes(), oflog.name)
    assert not read.ok and read.rows == []
    problem = only_error(read)
    assert "not the GP practice file" in problem.message and "row 1 has 11" in problem.message


# --- never crashes ---------------------------------------------------------------------------


def _check(read: PracticesRead) -> None:
    assert INTERNAL_FAULT not in [p.message for p in read.problems]
    for problem in read.problems:
        assert problem.severity in ("error", "warning") and problem.message
        assert problem.row is None or problem.row >= 1
        assert problem.column is None or problem.column.isalpha()
    for r in read.rows:
        assert PRACTICE_CODE.match(r.code) and r.status in STATUSES and r.name
        assert r.prescribing_setting is None or r.prescribing_setting >= 0
        assert not (r.opened and r.closed and r.closed < r.opened)
    assert len({r.code for r in read.rows}) == len(read.rows)
    if not read.ok:
        assert any(p.severity == "error" for p in read.problems)
    if not read.rows:
        assert read.problems


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["e.csv", "e.xlsx", "e", ""]))
def test_random_bytes_never_crash(data, name):
    read = read_practices(data, name)
    _check(read)
    assert not read.ok


_SAMPLE = [next(csv.reader([line])) for line in REAL[::9]]
_CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        ["", " ", "A", "C", "D", "P", "Z", "4", "-4", "04", "99999", "19740401", "20250230",
         "00000000", "C87002", "c87002", "Organisation Code", "\n", '"', ",", "\ufeff"]
    ),
)  # fmt: skip
_MUTATION = st.tuples(
    st.sampled_from(["set", "drop", "add", "copy", "delete"]),
    st.integers(0, 10**6),
    st.integers(0, 30),
    _CELLS,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(_MUTATION, max_size=8), flips=st.lists(st.integers(0, 10**6), max_size=3))
def test_mutated_real_rows_never_crash(mutations, flips):
    records = [list(record) for record in _SAMPLE]
    for kind, which, at, cell in mutations:
        record = records[which % len(records)]
        if kind == "set" and record:
            record[at % len(record)] = cell
        elif kind == "drop" and record:
            record.pop(at % len(record))
        elif kind == "add":
            record.insert(at % (len(record) + 1), cell)
        elif kind == "copy":
            records.insert(which % len(records), list(record))
        elif kind == "delete" and len(records) > 1:
            records.pop(which % len(records))
    data = bytearray(csv_bytes(records))
    for flip in flips:
        if data:
            data[flip % len(data)] ^= 0x20
    _check(read_practices(bytes(data), "mutated.csv"))
