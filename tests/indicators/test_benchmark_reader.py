"""The national benchmark reader (Oflog layout) and the benchmark arithmetic."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caring.indicators.benchmark_reader import (
    AUTHORITY_CODE,
    INTERNAL_FAULT,
    BenchmarkRead,
    BenchmarkRow,
    column_letter,
    financial_year,
    read_benchmark,
)
from caring.indicators.benchmarking import (
    BenchmarkError,
    Position,
    comparators,
    median,
    position,
    values_for,
)

DATA = Path(__file__).resolve().parents[2] / "caring" / "indicators" / "data"
OFLOG = DATA / "oflog_asc_carer_measures_all_LAs.csv"
ROTHERHAM = "E08000018"
QOL = "Outcome, ASC Carer Quality of Life"
INFO = "Outcome, Ease of finding information about support : carers"
YEARS = ("2016/17", "2018/19", "2021/22")
HEADER = [
    "Financial year", "Local authority code", "Local authority name", "Grouping", "Entity_Name",
    "Region", "Measure", "Value", "MEDIAN", "MADs_from_median", "rank_order",
]  # fmt: skip


def row(year="2016-17", code=ROTHERHAM, name="Rotherham", value="7.8", measure=QOL, **extra):
    cells = {
        "Financial year": year,
        "Local authority code": code,
        "Local authority name": name,
        "Grouping": extra.get("grouping", "LA_Raw"),
        "Entity_Name": extra.get("type", "Metropolitan Districts"),
        "Region": extra.get("region", "Yorkshire and The Humber"),
        "Measure": measure,
        "Value": value,
        "MEDIAN": "7.6",
        "MADs_from_median": "0.5",
        "rank_order": "desc",
    }
    return [cells[name] for name in HEADER]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def errors(read: BenchmarkRead) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.field, p.message) for p in read.problems if p.severity == "error"]


def only_error(read: BenchmarkRead):
    found = [p for p in read.problems if p.severity == "error"]
    assert len(found) == 1, read.problems
    return found[0]


@pytest.fixture(scope="module")
def oflog() -> BenchmarkRead:
    return read_benchmark(OFLOG.read_bytes(), OFLOG.name)


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    """The real file read independently, with the standard library only."""
    with OFLOG.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the real file ---------------------------------------------------------------------------


def test_real_file_reads_with_no_errors(oflog):
    assert oflog.ok
    assert errors(oflog) == []
    assert oflog.measures == [QOL, INFO]
    # The ten blank values (not published) are warnings, and those rows are left out.
    blanks = [(p.row, p.field) for p in oflog.problems]
    assert len(blanks) == 10 and all(field == "value" for _, field in blanks)
    assert all(p.severity == "warning" and p.column == "H" for p in oflog.problems)
    assert len(oflog.rows) == 912 - 10


def test_real_file_blank_values_are_the_known_ones(oflog):
    lines = OFLOG.read_text(encoding="utf-8").splitlines()
    for problem in oflog.problems:
        assert ",LA_Raw," in lines[problem.row - 1]
        assert re.search(r'carers",,|Life",,', lines[problem.row - 1])
    named = sorted({re.search(r"for (.+?) \(", p.message).group(1) for p in oflog.problems})
    assert named == ["Hackney", "Isles of Scilly", "Lewisham"]


def test_real_file_authorities_per_year_and_measure(oflog):
    counts = Counter((r.year, r.measure) for r in oflog.rows)
    assert counts == {
        ("2016/17", QOL): 151, ("2016/17", INFO): 151,
        ("2018/19", QOL): 151, ("2018/19", INFO): 151,
        ("2021/22", QOL): 149, ("2021/22", INFO): 149,
    }  # fmt: skip


def test_real_file_lists_152_authorities_each_time(oflog):
    listed = Counter((r.year, r.measure) for r in oflog.rows)
    lines = OFLOG.read_text(encoding="utf-8").splitlines()
    for problem in oflog.problems:
        record = next(csv.reader([lines[problem.row - 1]]))
        listed[(financial_year(record[0]), record[6])] += 1
    assert set(listed.values()) == {152}
    assert len(listed) == 6


def test_real_file_rotherham_in_every_year_and_measure(oflog):
    rotherham = {(r.year, r.measure): r for r in oflog.rows if r.code == ROTHERHAM}
    assert set(rotherham) == {(year, measure) for year in YEARS for measure in (QOL, INFO)}
    first = rotherham[("2016/17", QOL)]
    assert (first.name, first.authority_type, first.region, first.value) == (
        "Rotherham",
        "Metropolitan Districts",
        "Yorkshire and The Humber",
        Decimal("7.8"),
    )
    assert rotherham[("2021/22", INFO)].value == Decimal("61.8")


def test_real_file_rows_are_well_formed(oflog):
    for r in oflog.rows:
        assert re.fullmatch(r"\d{4}/\d{2}", r.year)
        assert AUTHORITY_CODE.match(r.code)
        assert r.value.is_finite() and r.name and r.region and r.authority_type
    assert {r.authority_type for r in oflog.rows} == {
        "Unitary Authorities", "Counties", "London Boroughs", "Metropolitan Districts",
    }  # fmt: skip
    assert len({(r.year, r.code, r.measure) for r in oflog.rows}) == len(oflog.rows)


def test_real_file_rows_match_an_independent_reading(oflog, raw_rows):
    expected = {
        (r["Financial year"].replace("-", "/"), r["Local authority code"], r["Measure"]): (
            Decimal(r["Value"])
        )
        for r in raw_rows
        if r["Value"]
    }
    assert {(r.year, r.code, r.measure): r.value for r in oflog.rows} == expected


def test_the_files_median_column_equals_our_median(oflog, raw_rows):
    theirs = defaultdict(set)
    for r in raw_rows:
        theirs[(r["Financial year"].replace("-", "/"), r["Measure"])].add(Decimal(r["MEDIAN"]))
    assert len(theirs) == 6
    for (year, measure), medians in theirs.items():
        assert len(medians) == 1, (year, measure, medians)
        assert median(values_for(oflog.rows, year, measure).values()) == medians.pop()


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("measure", [QOL, INFO])
@pytest.mark.parametrize("higher_is_better", [True, False])
def test_rotherham_position_against_simple_sorting(
    oflog, raw_rows, year, measure, higher_is_better
):
    values = sorted(
        Decimal(r["Value"])
        for r in raw_rows
        if r["Financial year"].replace("-", "/") == year and r["Measure"] == measure and r["Value"]
    )
    mine = next(
        Decimal(r["Value"])
        for r in raw_rows
        if r["Local authority code"] == ROTHERHAM
        and r["Measure"] == measure
        and r["Financial year"].replace("-", "/") == year
    )
    n = len(values)
    expected_median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    best_first = sorted(values, reverse=higher_is_better)
    expected_rank = best_first.index(mine) + 1  # the first place holding the value
    got = position(
        values_for(oflog.rows, year, measure), ROTHERHAM, higher_is_better=higher_is_better
    )
    assert (got.value, got.median, got.rank, got.of) == (mine, expected_median, expected_rank, n)
    assert got.quartile == 1 + (4 * (expected_rank - 1)) // n
    if mine == expected_median:
        assert got.better_than_median is None
    else:
        assert got.better_than_median is ((mine > expected_median) == higher_is_better)


def test_rotherham_known_positions(oflog):
    qol = position(values_for(oflog.rows, "2016/17", QOL), ROTHERHAM, higher_is_better=True)
    assert (qol.value, qol.median, qol.better_than_median) == (Decimal("7.8"), Decimal("7.6"), True)
    info = position(values_for(oflog.rows, "2016/17", INFO), ROTHERHAM, higher_is_better=True)
    assert (info.value, info.median, info.better_than_median) == (
        Decimal("64.5"),
        Decimal("64.5"),
        None,
    )


@pytest.mark.parametrize(
    ("group", "key", "size"),
    [("all", None, 152), ("region", "Region", 15), ("type", "Entity_Name", 36)],
)
def test_rotherham_comparators_in_the_real_file(oflog, raw_rows, group, key, size):
    chosen = comparators(oflog.rows, ROTHERHAM, group)
    for year in YEARS:
        for measure in (QOL, INFO):
            expected = {
                r["Local authority code"]
                for r in raw_rows
                if r["Financial year"].replace("-", "/") == year
                and r["Measure"] == measure
                and r["Value"]
                and (key is None or r[key] == {"Region": "Yorkshire and The Humber",
                                               "Entity_Name": "Metropolitan Districts"}[key])
            }  # fmt: skip
            got = set(values_for(chosen, year, measure))
            assert got == expected and ROTHERHAM in got
            assert len(got) <= size


# --- benchmark arithmetic on small examples -------------------------------------------------


def D(text: str) -> Decimal:
    return Decimal(text)


def test_ties_share_the_best_rank_1224():
    values = {"a": D("9"), "b": D("8"), "c": D("8"), "d": D("7")}
    ranks = {code: position(values, code, higher_is_better=True).rank for code in values}
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}
    ranks = {code: position(values, code, higher_is_better=False).rank for code in values}
    assert ranks == {"d": 1, "b": 2, "c": 2, "a": 4}


def test_median_odd_and_even():
    assert median([D("3"), D("1"), D("2")]) == D("2")
    assert median([D("4"), D("1"), D("3"), D("2")]) == D("2.5")
    assert median([D("7.6"), D("7.7")]) == D("7.65")
    assert median([D("5")]) == D("5")
    with pytest.raises(BenchmarkError):
        median([])


def test_position_fields():
    values = {code: D(str(v)) for code, v in zip("abcde", [10, 20, 30, 40, 50], strict=True)}
    assert position(values, "e", higher_is_better=True) == Position(D("50"), D("30"), 1, 5, 1, True)
    assert position(values, "e", higher_is_better=False) == Position(
        D("50"), D("30"), 5, 5, 4, False
    )
    assert position(values, "c", higher_is_better=True).better_than_median is None
    assert position(values, "a", higher_is_better=False).better_than_median is True


def test_quartiles_split_152_evenly():
    values = {f"E{n:08d}": D(n) for n in range(152)}
    quartiles = Counter(position(values, code, higher_is_better=True).quartile for code in values)
    assert quartiles == {1: 38, 2: 38, 3: 38, 4: 38}
    assert position({"x": D("1")}, "x", higher_is_better=True).quartile == 1


def test_position_leaves_out_missing_values_and_names_a_missing_council():
    values = {"a": D("1"), "b": None, "c": D("3")}
    assert position(values, "c", higher_is_better=True).of == 2
    with pytest.raises(BenchmarkError, match="E08000018"):
        position(values, "E08000018", higher_is_better=True)
    with pytest.raises(BenchmarkError, match="b"):
        position(values, "b", higher_is_better=True)


def _bench(code, region, kind, year="2016/17", value="1"):
    return BenchmarkRow(1, year, code, code, kind, region, QOL, D(value))


def test_comparators_by_region_and_type():
    rows = [
        _bench("E08000018", "Yorkshire", "Metropolitan Districts"),
        _bench("E08000019", "Yorkshire", "Metropolitan Districts"),
        _bench("E06000010", "Yorkshire", "Unitary Authorities"),
        _bench("E08000001", "North West", "Metropolitan Districts"),
        _bench("E10000002", "South East", "Counties"),
    ]
    codes = lambda chosen: sorted(r.code for r in chosen)  # noqa: E731
    assert codes(comparators(rows, ROTHERHAM, "all")) == sorted(r.code for r in rows)
    assert codes(comparators(rows, ROTHERHAM, "region")) == ["E06000010", "E08000018", "E08000019"]
    assert codes(comparators(rows, ROTHERHAM, "type")) == ["E08000001", "E08000018", "E08000019"]
    with pytest.raises(BenchmarkError, match="E08000099 is not in the benchmark data"):
        comparators(rows, "E08000099", "region")
    with pytest.raises(BenchmarkError, match="not a comparator group"):
        comparators(rows, ROTHERHAM, "nearest")


def test_comparators_take_the_councils_group_year_by_year():
    rows = [
        _bench("E06000060", "South East", "Unitary Authorities", "2021/22"),
        _bench("E06000061", "South East", "Unitary Authorities", "2021/22"),
        _bench("E06000061", "South East", "Counties", "2016/17"),
        _bench("E10000002", "South East", "Counties", "2016/17"),
    ]
    chosen = comparators(rows, "E06000061", "type")
    assert sorted((r.year, r.code) for r in chosen) == [
        ("2016/17", "E06000061"), ("2016/17", "E10000002"),
        ("2021/22", "E06000060"), ("2021/22", "E06000061"),
    ]  # fmt: skip
    assert [r.code for r in comparators(rows, "E06000060", "type")] == ["E06000060", "E06000061"]


def test_comparators_need_the_councils_region():
    rows = [_bench(ROTHERHAM, "", "Metropolitan Districts")]
    with pytest.raises(BenchmarkError, match="no region"):
        comparators(rows, ROTHERHAM, "region")
    assert len(comparators(rows, ROTHERHAM, "type")) == 1


# --- reading: columns and rows ---------------------------------------------------------------


def test_a_small_file_reads_every_field():
    read = read_benchmark(csv_bytes([row(), row(code="E09000001", name="City of London")]), "b.csv")
    assert read.ok and read.problems == []
    assert read.rows[0] == BenchmarkRow(
        2, "2016/17", ROTHERHAM, "Rotherham", "Metropolitan Districts",
        "Yorkshire and The Humber", QOL, Decimal("7.8"),
    )  # fmt: skip
    assert read.rows[1].row == 3 and read.measures == [QOL]


def test_headers_any_case_with_a_bom_and_columns_in_any_order():
    header = ["VALUE", "measure", "region", "entity name", "LOCAL AUTHORITY NAME",
              "local_authority_code", "Financial Year"]  # fmt: skip
    data = "\ufeff" + ",".join(header) + "\n7.8,Q,Yorks,Met,Rotherham,e08000018,2016/17\n"
    read = read_benchmark(data.encode("utf-8"), "b.csv")
    assert read.ok, read.problems
    assert (read.rows[0].code, read.rows[0].year, read.rows[0].value) == (
        ROTHERHAM,
        "2016/17",
        Decimal("7.8"),
    )


def test_without_a_grouping_column_every_row_is_read():
    header = [h for h in HEADER if h != "Grouping"]
    rows = [[c for h, c in zip(HEADER, row(), strict=True) if h != "Grouping"]]
    read = read_benchmark(csv_bytes(rows, header), "b.csv")
    assert read.ok and len(read.rows) == 1


def test_only_la_raw_rows_are_read():
    rows = [row(), row(code="E12000003", grouping="Region"), row(grouping="Nearest neighbours")]
    read = read_benchmark(csv_bytes(rows), "b.csv")
    assert read.ok and read.problems == [] and [r.row for r in read.rows] == [2]
    read = read_benchmark(csv_bytes([row(grouping="England")]), "b.csv")
    assert 'no rows with Grouping "LA_Raw"' in only_error(read).message


def test_a_title_line_above_the_header_is_allowed():
    data = b"Oflog download,,\n" + csv_bytes([row()])
    read = read_benchmark(data, "b.csv")
    assert read.ok and read.rows[0].row == 3


def test_year_forms():
    assert financial_year("2016-17") == "2016/17"
    assert financial_year("2016/17") == "2016/17"
    assert financial_year(" 2016 - 2017 ") == "2016/17"
    assert financial_year("2099-00") == "2099/00"
    for bad in ("2016-18", "2016", "16-17", "2016/2018", "1889-90", "", "2016-17x"):
        assert financial_year(bad) is None, bad


def test_column_letters():
    assert [column_letter(n) for n in (1, 8, 26, 27, 52, 53)] == ["A", "H", "Z", "AA", "AZ", "BA"]


# --- reading: every problem at its row ------------------------------------------------------


def test_malformed_year():
    read = read_benchmark(csv_bytes([row(), row(year="2016-18", code="E08000019")]), "b.csv")
    problem = only_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "A", "year")
    assert "'2016-18'" in problem.message and problem.place == "row 3, column A"
    assert [r.row for r in read.rows] == [2] and not read.ok


def test_unknown_authority_code():
    read = read_benchmark(csv_bytes([row(), row(code="E12000003")]), "b.csv")
    problem = only_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "B", "code")
    assert "'E12000003' is an unknown authority code" in problem.message


def test_blank_authority_code():
    problem = only_error(read_benchmark(csv_bytes([row(code="")]), "b.csv"))
    assert (problem.row, problem.field) == (2, "code")
    assert "No local authority code" in problem.message


@pytest.mark.parametrize("value", ["seven", "7,6", "NaN", "Infinity", "1e3", "7.6.1", "7.6%"])
def test_value_not_a_number(value):
    read = read_benchmark(csv_bytes([row(), row(code="E08000019", value=value)]), "b.csv")
    problem = only_error(read)
    assert (problem.row, problem.column, problem.field) == (3, "H", "value")
    assert f"'{value}' is not a number" in problem.message


@pytest.mark.parametrize("value", ["", "  ", "..", "[c]", "x", "N/A"])
def test_blank_or_suppressed_value_is_a_warning(value):
    read = read_benchmark(csv_bytes([row(), row(code="E08000019", value=value)]), "b.csv")
    assert read.ok and [r.row for r in read.rows] == [2]
    [problem] = read.problems
    assert (problem.row, problem.field, problem.severity) == (3, "value", "warning")


def test_no_values_at_all_is_an_error():
    read = read_benchmark(csv_bytes([row(value="")]), "b.csv")
    assert not read.ok and read.rows == []
    assert "None of the rows" in only_error(read).message


def test_missing_measure():
    problem = only_error(read_benchmark(csv_bytes([row(), row(measure=" ")]), "b.csv"))
    assert (problem.row, problem.column, problem.field) == (3, "G", "measure")
    assert "No measure" in problem.message


def test_duplicate_names_the_first_row():
    rows = [row(), row(code="E08000019"), row(year="2016/17", value="7.1")]
    read = read_benchmark(csv_bytes(rows), "b.csv")
    problem = only_error(read)
    assert problem.row == 4 and "on row 2" in problem.message and "Rotherham" in problem.message
    assert [r.row for r in read.rows] == [2, 3]
    # The same authority and year on another measure is not a repeat.
    read = read_benchmark(csv_bytes([row(), row(measure=INFO)]), "b.csv")
    assert read.ok and read.measures == [QOL, INFO]


def test_problems_on_several_rows_are_each_at_their_row():
    rows = [
        row(year="x"),
        row(code="W06000001"),
        row(code="E08000019", value="?"),
        row(code="E08000020", measure=""),
        row(),
    ]
    read = read_benchmark(csv_bytes(rows), "b.csv")
    assert [(p.row, p.field) for p in read.problems] == [
        (2, "year"), (3, "code"), (4, "value"), (5, "measure"),
    ]  # fmt: skip
    assert [r.row for r in read.rows] == [6]


def test_overlong_measure():
    problem = only_error(read_benchmark(csv_bytes([row(measure="m" * 201)]), "b.csv"))
    assert (problem.row, problem.field) == (2, "measure") and "201 characters" in problem.message


def test_short_rows_read_blank_cells():
    data = csv_bytes([row()]) + b"2016-17,E08000019,Somewhere,LA_Raw\n"
    read = read_benchmark(data, "b.csv")
    assert [(p.row, p.field) for p in read.problems] == [(3, "measure"), (3, "value")]


# --- reading: refused files -----------------------------------------------------------------


@pytest.mark.parametrize("missing", ["Financial year", "Local authority code", "Region", "Value"])
def test_missing_required_column_refuses_the_file(missing):
    header = [h for h in HEADER if h != missing]
    rows = [[c for h, c in zip(HEADER, row(), strict=True) if h != missing]]
    read = read_benchmark(csv_bytes(rows, header), "b.csv")
    problem = only_error(read)
    assert read.rows == [] and problem.row == 1
    assert f'no "{missing}" column' in problem.message


def test_no_header_row():
    read = read_benchmark(b"a,b,c\n1,2,3\n", "b.csv")
    assert "No header row" in only_error(read).message


def test_xlsx_bytes_are_refused():
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(row())
    out = io.BytesIO()
    workbook.save(out)
    for name in ("benchmark.xlsx", "benchmark.csv"):
        read = read_benchmark(out.getvalue(), name)
        problem = only_error(read)
        assert read.rows == [] and problem.row is None
        assert "Excel workbook (.xlsx)" in problem.message and "not a CSV file" in problem.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b" \r\n", "is empty"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".xls"),
        (b"%PDF-1.7 ...", "a PDF"),
        (b"<html><body>Oflog</body></html>", "web page"),
        (b"Financial year;Measure;Value\n2016-17;Q;7\n", "semicolons or tabs"),
        (b"Financial year,Measure\n2016-17,\x07bell\n", "line 2 holds a control character"),
    ],
)
def test_files_that_are_not_csv_are_refused(data, words):
    problem = only_error(read_benchmark(data, "upload.csv"))
    assert words in problem.message
    assert '"upload.csv"' in problem.message or "The file" in problem.message


def test_windows_1252_text_is_read():
    data = csv_bytes([row(name="Bristol, City of", measure="Caf\xe9 measure")])
    data = data.decode("utf-8").encode("cp1252")
    read = read_benchmark(data, "b.csv")
    assert read.ok and read.rows[0].measure == "Caf\xe9 measure"


def test_an_internal_fault_is_reported_not_raised(monkeypatch):
    import caring.indicators.benchmark_reader as module

    monkeypatch.setattr(module, "csv_records", lambda *args: 1 / 0)
    assert only_error(read_benchmark(b"x", "b.csv")).message == INTERNAL_FAULT


# --- never crashes ---------------------------------------------------------------------------


def _check(read: BenchmarkRead, records: int | None = None) -> None:
    assert INTERNAL_FAULT not in [p.message for p in read.problems]
    for problem in read.problems:
        assert problem.severity in ("error", "warning") and problem.message
        assert problem.row is None or problem.row >= 1
        assert records is None or problem.row is None or problem.row <= records
        assert problem.column is None or problem.column.isalpha()
    for r in read.rows:
        assert re.fullmatch(r"\d{4}/\d{2}", r.year) and AUTHORITY_CODE.match(r.code)
        assert r.measure and r.value.is_finite()
    assert len({(r.year, r.code, r.measure.casefold()) for r in read.rows}) == len(read.rows)
    if read.ok:
        assert read.rows, "a file read without errors has rows"
    else:
        assert any(p.severity == "error" for p in read.problems)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["b.csv", "b.xlsx", "b", ""]))
def test_random_bytes_never_crash(data, name):
    read = read_benchmark(data, name)
    _check(read)
    assert not read.ok


_REAL_LINES = OFLOG.read_text(encoding="utf-8").splitlines()
_SAMPLE = [next(csv.reader([line])) for line in _REAL_LINES[:1] + _REAL_LINES[1::60]]
_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "2016-18", "2016/17", "E08000018", "E12000003", "e08000018", "7.6.1", "NaN",
         "-Infinity", "1e9", "..", "[c]", "LA_Raw", "Region", "\n", '"', ",", "\ufeff", "=1+1"]
    ),
)  # fmt: skip
_MUTATION = st.tuples(
    st.sampled_from(["set", "drop", "add", "copy", "delete"]),
    st.integers(0, 10**6),
    st.integers(0, 20),
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
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    data = bytearray(out.getvalue().encode("utf-8"))
    for flip in flips:
        if data:
            data[flip % len(data)] ^= 0x20
    read = read_benchmark(bytes(data), "mutated.csv")
    _check(read)
