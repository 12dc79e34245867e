"""``caring.carers.census_reader``: the real Rotherham files, wide and long layouts, the 2021 and
2011 bands, and every bad input reported at its row, never a crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caring.carers.census_reader import (
    BANDS_2011,
    BANDS_2021,
    INTERNAL_FAULT,
    CensusArea,
    CensusRead,
    band_key,
    geography_of,
    read_census,
)

DATA = Path(__file__).resolve().parents[2] / "caring" / "carers" / "data"
WIDE_2021 = DATA / "rotherham_msoa_unpaid_care_2021.csv"
AGE_2011 = DATA / "rotherham_msoa_carers_by_age_2011.csv"
HEADER_2021 = WIDE_2021.read_text(encoding="utf-8").splitlines()[0].split(",")


def csv_bytes(*rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def records(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def melt(path: Path, header=("Area code", "Area name", "Category", "Value")) -> bytes:
    """The wide file as a long one: a row per area and category."""
    head, *rows = records(path)
    long = [list(header)]
    for row in rows:
        for column in range(2, len(head)):
            long.append([row[1], row[0], head[column], row[column]])
    return csv_bytes(*long)


def errors(read: CensusRead) -> list:
    return [p for p in read.problems if p.severity == "error"]


def only_error(read: CensusRead):
    found = errors(read)
    assert len(found) == 1, found
    assert read.areas == [] and not read.ok
    return found[0]


# --- the real files ------------------------------------------------------------------------------


def test_real_2021_file_reads_32_areas_with_the_readme_sums():
    read = read_census(WIDE_2021.read_bytes(), WIDE_2021.name)
    assert read.ok and read.problems == []
    assert (read.year, read.layout, read.table) == (2021, "wide", "hours")
    assert len(read.areas) == 32
    assert sum(a.residents for a in read.areas) == 251_169
    assert sum(a.carers for a in read.areas) == 26_324
    first = read.areas[0]
    assert first == CensusArea(
        row=2, code="E02001578", name="Rotherham 001", geography="msoa", residents=10_992,
        carers=1_094,
        bands={"none": 9898, "9_or_less": 307, "10_to_19": 130, "20_to_34": 111,
               "35_to_49": 160, "50_or_more": 386},
    )  # fmt: skip
    for area, row in zip(read.areas, records(WIDE_2021)[1:], strict=True):
        assert list(area.bands) == list(BANDS_2021)
        assert sum(area.bands.values()) == area.residents == int(row[2])
        assert area.carers == area.residents - area.bands["none"]
        assert area.geography == "msoa" and area.code.startswith("E02")


def test_real_2011_file_reads_33_areas_by_age():
    read = read_census(AGE_2011.read_bytes(), AGE_2011.name)
    assert read.ok and read.problems == []
    assert (read.year, read.layout, read.table) == (2011, "wide", "age")
    assert len(read.areas) == 33
    assert sum(a.carers for a in read.areas) == 30_996
    first = read.areas[0]
    assert first.bands == {"aged_0_to_24": 84, "aged_25_to_49": 408, "aged_50_to_64": 378,
                           "aged_65_and_over": 172}  # fmt: skip
    assert first.carers == 1042 and first.residents is None
    assert read_census(AGE_2011.read_bytes(), AGE_2011.name, 2011).ok


def test_the_misspelt_2011_header_is_an_age_band():
    assert band_key("careds_aged_25_to_49") == "aged_25_to_49"
    assert band_key("carers_age_50_to_64") == "aged_50_to_64"
    assert band_key("Aged 65 and over") == "aged_65_and_over"


@pytest.mark.parametrize(
    "text, key",
    [
        ("provides_9_hours_or_less_unpaid_care_a_week", "9_or_less"),
        ("9 hours or less", "9_or_less"),
        ("Provides 9 hours or less unpaid care a week", "9_or_less"),
        ("Unpaid care: Provides 10 to 19 hours unpaid care a week; measures: Value", "10_to_19"),
        ("20-34 hours", "20_to_34"),
        ("35 to 49", "35_to_49"),
        ("Provides 50 or more hours unpaid care a week", "50_or_more"),
        ("50+ hours", "50_or_more"),
        ("Provides no unpaid care", "none"),
        ("provides_no_unpaid_care", "none"),
        ("Provides 1 to 19 hours unpaid care a week", "1_to_19"),
        ("1-19", "1_to_19"),
        ("Provides 20 to 49 hours unpaid care a week", "20_to_49"),
        ("Provides 19 or less hours unpaid care a week", "19_or_less"),
        ("total", "total"),
        ("Total: All usual residents aged 5 and over", "total"),
        ("All categories: Provision of unpaid care", "total"),
        ("Does not apply", "left out"),
        ("Provides no unpaid care (%)", "left out"),
        ("msoa21cd", None),
        ("Unpaid care (7 categories)", None),
    ],
)
def test_bands_are_known_by_their_words(text, key):
    assert band_key(text) == key


@pytest.mark.parametrize(
    "code, geography",
    [("E02001578", "msoa"), ("E01007342", "lsoa"), ("E05001034", "ward"),
     ("E08000018", "authority"), ("E06000001", "authority"), ("E10000007", "authority"),
     ("E12000003", "other"), ("E92000001", "other"), ("E99000001", None), ("E0200157", None),
     ("X02001578", None), ("e02001578", None), ("", None)],
)  # fmt: skip
def test_area_codes_and_their_geography(code, geography):
    assert geography_of(code) == geography


# --- wide, with and without a total ---------------------------------------------------------------


def test_wide_without_a_total_counts_residents_from_the_bands():
    head, *rows = records(WIDE_2021)
    drop = head.index("total")
    data = csv_bytes(*[[c for i, c in enumerate(r) if i != drop] for r in (head, *rows)])
    read = read_census(data, "no-total.csv")
    assert read.ok and read.year == 2021
    assert sum(a.residents for a in read.areas) == 251_169
    assert sum(a.carers for a in read.areas) == 26_324


def test_wide_without_the_none_band_or_total_has_no_residents():
    head, *rows = records(WIDE_2021)
    keep = [i for i, h in enumerate(head) if h not in ("total", "provides_no_unpaid_care")]
    read = read_census(csv_bytes(*[[r[i] for i in keep] for r in (head, *rows)]), "carers.csv")
    assert read.ok
    assert all(a.residents is None for a in read.areas)
    assert sum(a.carers for a in read.areas) == 26_324


def test_wide_with_a_total_but_no_none_band_takes_residents_from_the_total():
    head, *rows = records(WIDE_2021)
    keep = [i for i, h in enumerate(head) if h != "provides_no_unpaid_care"]
    read = read_census(csv_bytes(*[[r[i] for i in keep] for r in (head, *rows)]), "x.csv")
    assert read.ok and sum(a.residents for a in read.areas) == 251_169
    assert sum(a.carers for a in read.areas) == 26_324


def test_ons_worded_headers_at_another_geography_with_a_preamble():
    data = csv_bytes(
        ["Provision of unpaid care, Census 2021"],
        [],
        ["date", "geography", "geography code",
         "Unpaid care: Total: All usual residents aged 5 and over",
         "Unpaid care: Provides no unpaid care", "Provides 9 hours or less unpaid care a week",
         "Provides 10 to 19 hours unpaid care a week", "Provides 20 to 34 hours unpaid care a week",
         "Provides 35 to 49 hours unpaid care a week",
         "Provides 50 or more hours unpaid care a week"],
        ["2021", "Rotherham", "E08000018", "251,169", "224,845", "7,000", "3,000", "3,000",
         "4,000", "9,324"],
        ["2021", "Boston Castle", "E05012345", "100", "90", "5", "1", "1", "1", "2"],
        ["2021", "Rotherham 001A", "E01007342", "10", "9", "1", "0", "0", "0", "0"],
    )  # fmt: skip
    read = read_census(data, "ts039.csv")
    assert read.ok, read.problems
    assert [(a.row, a.geography, a.residents, a.carers) for a in read.areas] == [
        (4, "authority", 251_169, 26_324), (5, "ward", 100, 10), (6, "lsoa", 10, 1)
    ]  # fmt: skip


def test_2011_hours_bands():
    data = csv_bytes(
        ["GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "All categories: Provision of unpaid care",
         "Provides no unpaid care", "Provides 1 to 19 hours unpaid care a week",
         "Provides 20 to 49 hours unpaid care a week",
         "Provides 50 or more hours unpaid care a week"],
        ["E08000018", "Rotherham", "257280", "226279", "18000", "4500", "8501"],
    )  # fmt: skip
    read = read_census(data, "ks301.csv")
    assert read.ok and (read.year, read.table) == (2011, "hours")
    (area,) = read.areas
    assert list(area.bands) == list(BANDS_2011)
    assert (area.residents, area.carers) == (257_280, 31_001)
    assert read_census(data, "ks301.csv", 2011).ok


def test_2021_aggregated_bands_need_no_year_when_19_or_less_is_given():
    data = csv_bytes(
        ["code", "name", "No unpaid care", "19 or less hours", "20 to 49", "50 or more"],
        ["E02001578", "Rotherham 001", "90", "5", "3", "2"],
    )
    read = read_census(data, "agg.csv")
    assert read.ok and read.year == 2021 and read.areas[0].carers == 10


def test_bands_shared_by_both_censuses_need_the_year():
    data = csv_bytes(["code", "name", "none", "1-19", "20-49", "50+"],
                     ["E02001578", "Rotherham 001", "90", "5", "3", "2"])  # fmt: skip
    assert read_census(data, "a.csv").year == 2011
    shared = csv_bytes(["code", "name", "none", "20-49", "50+"],
                       ["E02001578", "Rotherham 001", "90", "3", "2"])  # fmt: skip
    problem = only_error(read_census(shared, "a.csv"))
    assert "give the year" in problem.message


# --- long ----------------------------------------------------------------------------------------


def test_long_form_melted_from_the_real_file_gives_the_same_areas():
    wide = read_census(WIDE_2021.read_bytes(), WIDE_2021.name)
    long = read_census(melt(WIDE_2021), "long.csv")
    assert long.ok, long.problems
    assert (long.layout, long.year, long.table) == ("long", 2021, "hours")
    strip = lambda a: (a.code, a.name, a.geography, a.residents, a.carers, a.bands)  # noqa: E731
    assert [strip(a) for a in long.areas] == [strip(a) for a in wide.areas]
    assert long.areas[1].row == 2 + 7  # each area has 7 rows: the total and six bands


def test_long_form_of_the_2011_age_file():
    long = read_census(melt(AGE_2011), "long.csv")
    assert long.ok and long.table == "age" and len(long.areas) == 33
    assert sum(a.carers for a in long.areas) == 30_996


def test_long_form_as_ons_custom_datasets_give_it():
    data = csv_bytes(
        ["Middle layer Super Output Areas Code", "Middle layer Super Output Areas",
         "Unpaid care (7 categories) Code", "Unpaid care (7 categories)", "Observation"],
        ["E02001578", "Rotherham 001", "-8", "Does not apply", "700"],
        ["E02001578", "Rotherham 001", "1", "Provides no unpaid care", "9898"],
        ["E02001578", "Rotherham 001", "2", "Provides 9 hours or less unpaid care a week", "307"],
        ["E02001578", "Rotherham 001", "3", "Provides 10 to 19 hours unpaid care a week", "130"],
        ["E02001578", "Rotherham 001", "4", "Provides 20 to 34 hours unpaid care a week", "111"],
        ["E02001578", "Rotherham 001", "5", "Provides 35 to 49 hours unpaid care a week", "160"],
        ["E02001578", "Rotherham 001", "6", "Provides 50 or more hours unpaid care a week", "386"],
    )  # fmt: skip
    read = read_census(data, "custom.csv")
    assert read.ok, read.problems
    (area,) = read.areas
    assert (area.code, area.name, area.residents, area.carers) == (
        "E02001578", "Rotherham 001", 10_992, 1_094
    )  # fmt: skip
    assert [p.severity for p in read.problems] == ["warning"]
    assert "Does not apply" in read.problems[0].message and read.problems[0].row == 2


def test_long_form_leaves_out_percentages_in_a_measures_column():
    rows = [["GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "C2021_CARER_7_NAME", "MEASURES_NAME",
             "OBS_VALUE"]]  # fmt: skip
    figures = [("Total", 10), ("Provides no unpaid care", 8), ("9 hours or less", 1),
               ("10 to 19", 1), ("20 to 34", 0), ("35 to 49", 0), ("50 or more", 0)]  # fmt: skip
    for band, count in figures:
        rows.append(["E05001034", "Boston Castle", band, "Value", str(count)])
        rows.append(["E05001034", "Boston Castle", band, "Percent", "12.5"])
    read = read_census(csv_bytes(*rows), "nomis.csv")
    assert read.ok, read.problems
    assert (read.areas[0].residents, read.areas[0].carers) == (10, 2)


def test_long_form_area_missing_a_category_is_named():
    data = melt(WIDE_2021).decode().splitlines()
    del data[9]  # the second area's "provides no unpaid care" row
    read = read_census(("\n".join(data) + "\n").encode(), "long.csv")
    problem = only_error(read)
    assert problem.row == 9 and "Rotherham 002 (E02001579)" in problem.message
    assert "provides no unpaid care" in problem.message


def test_long_form_repeated_category_and_changed_name():
    head, *rows = melt(WIDE_2021).decode().splitlines()
    again = rows[3]
    renamed = rows[4].replace("Rotherham 001", "Rotherham One")
    lines = [head, *rows[:4], renamed, *rows[5:7], again, *rows[7:]]
    read = read_census(("\n".join(lines) + "\n").encode(), "long.csv")
    found = errors(read)
    assert [(p.row, p.field) for p in found] == [(6, "name"), (9, "category")]
    assert "already has a figure for 10 to 19 hours a week on row 5" in found[1].message


def test_long_form_sum_check_names_the_total_row():
    lines = melt(WIDE_2021).decode().splitlines()
    lines[1] = lines[1].replace("10992", "10999")
    problem = only_error(read_census(("\n".join(lines) + "\n").encode(), "long.csv"))
    assert problem.row == 2 and problem.column == "D"
    assert "add up to 10,992 but the total is 10,999" in problem.message


# --- bad input, each at its row ------------------------------------------------------------------


def real_rows() -> list[list[str]]:
    return records(WIDE_2021)


def with_change(row: int, column: str, value: str) -> bytes:
    rows = real_rows()
    rows[row - 1][rows[0].index(column)] = value
    return csv_bytes(*rows)


def test_bands_that_do_not_add_up_name_the_row_and_figures():
    read = read_census(with_change(5, "total", "5900"), "bad.csv")
    problem = only_error(read)
    assert (problem.row, problem.column, problem.field) == (5, "C", "total")
    assert problem.message == (
        "Rotherham 004 (E02001581): the bands add up to 5,889 but the total is 5,900. Check the "
        "figures (a band may be missing or mistyped)."
    )


@pytest.mark.parametrize(
    "value, said",
    [("-3", "can't be negative"), ("12.5", "is a whole number"), ("lots", "not a number"),
     ("", "no figure is given"), ("[c]", "not a number"), ("99999999999999", "too large")],
)  # fmt: skip
def test_counts_must_be_whole_numbers(value, said):
    problem = only_error(read_census(with_change(7, "provides_20_to_34_hours_unpaid_care_a_week",
                                                 value), "bad.csv"))  # fmt: skip
    assert (problem.row, problem.column, problem.field) == (7, "G", "20_to_34")
    assert said in problem.message and "20 to 34 hours a week" in problem.message


def test_thousands_separators_and_whole_decimals_are_counts():
    rows = real_rows()
    rows[1][2:4] = ["10,992", "9898.0"]
    assert read_census(csv_bytes(*rows), "ok.csv").ok


@pytest.mark.parametrize("code", ["E99001578", "E0200157", "MSOA 1", "E02-001578"])
def test_unknown_or_malformed_area_codes(code):
    problem = only_error(read_census(with_change(3, "msoa21cd", code), "bad.csv"))
    assert (problem.row, problem.column, problem.field) == (3, "B", "code")
    assert "is not an ONS area code we know" in problem.message


def test_lower_case_codes_are_read_in_capitals():
    read = read_census(with_change(3, "msoa21cd", "e02001579"), "ok.csv")
    assert read.ok and read.areas[1].code == "E02001579"


def test_missing_code_and_missing_name():
    read = read_census(with_change(4, "msoa21cd", ""), "bad.csv")
    assert [(p.row, p.field) for p in errors(read)] == [(4, "code")]
    problem = only_error(read_census(with_change(6, "msoa21nm", ""), "bad.csv"))
    assert (problem.row, problem.column, problem.field) == (6, "A", "name")
    assert "No area name is given for E02001582" in problem.message


def test_duplicate_area_codes():
    rows = real_rows()
    rows.append(list(rows[3]))
    problem = only_error(read_census(csv_bytes(*rows), "bad.csv"))
    assert problem.row == 34 and "already on row 4" in problem.message


def test_a_file_without_a_name_column_is_refused():
    rows = [row[1:] for row in real_rows()]
    problem = only_error(read_census(csv_bytes(*rows), "bad.csv"))
    assert problem.row == 1 and "no column for the area's name" in problem.message


def test_a_year_contradicting_the_bands_is_refused():
    problem = only_error(read_census(WIDE_2021.read_bytes(), "x.csv", 2011))
    assert problem.row == 1 and problem.column == "E"
    assert problem.message.startswith("The year given (2011) does not match the bands:")
    assert "Census 2021 hours bands" in problem.message
    problem = only_error(read_census(AGE_2011.read_bytes(), "x.csv", 2021))
    assert "Census 2011 age band" in problem.message
    assert "must be 2011 or 2021" in only_error(read_census(b"a,b\n", "x.csv", 2001)).message


def test_mixed_or_incomplete_tables_are_refused():
    mixed = csv_bytes(["code", "name", "9 hours or less", "1 to 19", "20 to 49", "50+"],
                      ["E02001578", "A", "1", "2", "3", "4"])  # fmt: skip
    assert "do not belong to one table" in only_error(read_census(mixed, "m.csv")).message
    ages = csv_bytes(["code", "name", "aged 0 to 24", "9 hours or less"],
                     ["E02001578", "A", "1", "2"])  # fmt: skip
    assert "mixes carers by age" in only_error(read_census(ages, "m.csv")).message
    short = csv_bytes(["code", "name", "none", "9 hours or less", "50 or more"],
                      ["E02001578", "A", "1", "2", "3"])  # fmt: skip
    problem = only_error(read_census(short, "m.csv"))
    assert "no figure for 10 to 19 hours a week, 20 to 34 hours a week" in problem.message


@pytest.mark.parametrize(
    "data, said",
    [(b"", "is empty"), (b"PK\x03\x04rest", "Excel workbook"), (b"%PDF-1.4", "a PDF"),
     (b"\x00\x01\x02\x03", "not a text file"), (b"<html><body>", "web page"),
     (b"a;b;c\n1;2;3\n", "semicolons"), (b"just,some,text\n1,2,3\n", "No header row")],
)  # fmt: skip
def test_files_that_are_not_census_csv(data, said):
    problem = only_error(read_census(data, "upload.csv"))
    assert said in problem.message


def test_a_file_over_the_size_limit_is_refused():
    data = WIDE_2021.read_bytes() + b"\n" * (20 * 1024 * 1024)
    assert "over the 20 MB limit" in only_error(read_census(data, "big.csv")).message


def test_notes_below_the_table_are_warnings():
    rows = real_rows() + [[], ["Source: ONS Census 2021"]]
    read = read_census(csv_bytes(*rows), "notes.csv")
    assert read.ok and len(read.areas) == 32
    assert [(p.row, p.severity) for p in read.problems] == [(35, "warning")]


def test_an_internal_fault_is_a_problem_not_a_crash(monkeypatch):
    import caring.carers.census_reader as reader

    monkeypatch.setattr(reader, "csv_records", lambda *a: 1 / 0)
    assert only_error(read_census(b"x", "x.csv")).message == INTERNAL_FAULT


# --- never a crash ------------------------------------------------------------------------------


def check(read: CensusRead) -> None:
    assert isinstance(read, CensusRead)
    assert all(p.severity in ("error", "warning") and p.message for p in read.problems)
    if any(p.severity == "error" for p in read.problems):
        assert read.areas == []
    for area in read.areas:
        assert area.carers >= 0 and all(v >= 0 for v in area.bands.values())
        if area.residents is not None and "none" in area.bands:
            assert sum(area.bands.values()) == area.residents


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), year=st.sampled_from([None, 2011, 2021]))
def test_random_bytes_never_crash(data, year):
    read = read_census(data, "random.csv", year)
    check(read)
    assert INTERNAL_FAULT not in [p.message for p in read.problems]


_SAMPLES = {"wide": real_rows()[:6], "age": records(AGE_2011)[:6],
            "long": list(csv.reader(io.StringIO(melt(WIDE_2021).decode())))[:16]}  # fmt: skip
_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "-1", "1.5", "1,000", "E02001578", "E99000000", "total", "none",
                     "Does not apply", "9 hours or less", "1 to 19", "aged 0 to 24", "x", "0",
                     "99999999999999999999", "provides_no_unpaid_care", "Value", "Percent"]),
)  # fmt: skip
_MUTATION = st.tuples(st.sampled_from(["set", "drop", "add", "copy"]), st.integers(0, 100),
                      st.integers(0, 100), _CELLS)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(_SAMPLES)), mutations=st.lists(_MUTATION, max_size=8),
       year=st.sampled_from([None, 2011, 2021]))  # fmt: skip
def test_mutated_real_rows_never_crash(kind, mutations, year):
    rows = [list(row) for row in _SAMPLES[kind]]
    for action, which, at, cell in mutations:
        row = rows[which % len(rows)]
        if action == "set" and row:
            row[at % len(row)] = cell
        elif action == "drop" and row:
            row.pop(at % len(row))
        elif action == "add":
            row.insert(at % (len(row) + 1), cell)
        elif action == "copy":
            rows.insert(which % len(rows), list(row))
    read = read_census(csv_bytes(*rows), "mutated.csv", year)
    check(read)
    assert INTERNAL_FAULT not in [p.message for p in read.problems]


def test_the_reader_is_pure():
    from tests.test_layers import ROOT, imported_modules

    names = imported_modules(ROOT / "carers" / "census_reader.py")
    assert not {n for n in names if n.startswith("django") or n.endswith((".models", ".services"))}
