"""Importing census figures: all or nothing, re-imports replace, and the ``import-census`` and
``census`` commands (exit status 0 done, 1 refused with problems by row, 2 usage)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from caring.carers import demo
from caring.carers.census_reader import CensusArea as ReadArea
from caring.carers.census_reader import CensusRead, read_census
from caring.carers.models import CensusArea, CensusBand
from caring.carers.services import ImportRefused, census_import, check_area
from tests.carers.test_census_reader import AGE_2011, WIDE_2021, csv_bytes, melt, records

pytestmark = pytest.mark.django_db
JSON_KEYS = {"code", "name", "year", "geography", "residents", "carers", "bands"}


def run(command: str, *args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(command: str, *args, code: int, **options) -> tuple[str, str]:
    """(the error's message, standard error) of a command that must fail with ``code``."""
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(command, *args, stdout=io.StringIO(), stderr=err, **options)
    assert info.value.returncode == code, (info.value.returncode, str(info.value))
    return str(info.value), err.getvalue()


def imported(path: Path, year=None):
    return census_import(read=read_census(path.read_bytes(), path.name, year), filename=path.name)


def held() -> list[tuple]:
    areas = CensusArea.objects.order_by("year", "code")
    return list(areas.values_list("year", "code", "residents", "carers"))


# --- the service -------------------------------------------------------------------------------


def test_import_the_real_2021_file():
    result = imported(WIDE_2021)
    assert (result.added, result.replaced, result.year) == (32, 0, 2021)
    assert result.summary == "32 census areas for 2021 imported (32 new, 0 replaced)."
    assert CensusArea.objects.filter(year=2021).count() == 32
    assert sum(a.residents for a in CensusArea.objects.all()) == 251_169
    assert sum(a.carers for a in CensusArea.objects.all()) == 26_324
    first = CensusArea.objects.get(code="E02001578")
    assert (first.name, first.geography, first.source) == (
        "Rotherham 001", "msoa", "rotherham_msoa_unpaid_care_2021.csv"
    )  # fmt: skip
    assert [(b.band, b.count) for b in first.bands.all()] == [
        ("none", 9898), ("9_or_less", 307), ("10_to_19", 130), ("20_to_34", 111),
        ("35_to_49", 160), ("50_or_more", 386),
    ]  # fmt: skip


def test_both_years_are_held_side_by_side():
    imported(WIDE_2021)
    imported(AGE_2011)
    assert CensusArea.objects.filter(year=2011).count() == 33
    assert sum(CensusArea.objects.filter(year=2011).values_list("carers", flat=True)) == 30_996
    assert CensusArea.objects.get(year=2011, code="E02001578").residents is None
    assert CensusBand.objects.count() == 32 * 6 + 33 * 4


def test_a_bad_row_leaves_the_database_unchanged():
    imported(WIDE_2021)
    before = held()
    rows = records(WIDE_2021)
    for row in rows[1:]:  # every area changed: one more resident, giving no care...
        row[2], row[3] = str(int(row[2]) + 1), str(int(row[3]) + 1)
    rows[22][3] = str(int(rows[22][3]) - 1)  # ...but on row 23 only the total changed
    read = read_census(csv_bytes(*rows), "bad.csv")
    with pytest.raises(ImportRefused) as info:
        census_import(read=read, filename="bad.csv")
    [problem] = info.value.problems
    assert problem.row == 23 and "add up to 10,499 but the total is 10,500" in problem.message
    assert held() == before


def test_re_import_replaces_the_same_year_and_codes():
    imported(WIDE_2021)
    rows = records(WIDE_2021)[:3]
    rows[1][2:4] = [str(int(rows[1][2]) + 100), str(int(rows[1][3]) + 100)]
    read = read_census(csv_bytes(*rows), "again.csv")
    result = census_import(read=read, filename="again.csv")
    assert (result.added, result.replaced) == (0, 2)
    assert "2 replaced" in result.summary and "now have the new file's figures" in result.summary
    assert CensusArea.objects.count() == 32
    area = CensusArea.objects.get(code="E02001578")
    assert (area.residents, area.carers, area.source) == (11_092, 1_094, "again.csv")
    assert area.bands.get(band="none").count == 9998
    assert CensusBand.objects.filter(area__code="E02001578").count() == 6
    assert CensusArea.objects.get(code="E02001580").source == WIDE_2021.name


def test_a_long_file_imports_the_same_as_the_wide_one():
    imported(WIDE_2021)
    wide = held()
    CensusArea.objects.all().delete()
    census_import(read=read_census(melt(WIDE_2021), "long.csv"), filename="long.csv")
    assert held() == wide


def test_nothing_to_import_is_refused():
    with pytest.raises(ImportRefused):
        census_import(read=CensusRead([], [], 2021, "wide", "hours"), filename="x.csv")
    with pytest.raises(ImportRefused):
        census_import(read=read_census(b"", "x.csv"), filename="x.csv")
    assert CensusArea.objects.count() == 0


def test_the_service_checks_figures_it_is_handed():
    bad = ReadArea(2, "E02001578", "Rotherham 001", "msoa", 5, 9, {"none": -1, "9_or_less": 9})
    read = CensusRead([bad], [], 2021, "wide", "hours")
    with pytest.raises(ImportRefused) as info:
        census_import(read=read, filename="x.csv")
    assert {(p.row, p.field) for p in info.value.problems} == {(2, "none")}
    with pytest.raises(ValidationError) as error:
        check_area(year=2019, code="X1", name="", geography="moon", residents=1, carers=2,
                   bands={})  # fmt: skip
    assert set(error.value.message_dict) == {"year", "code", "name", "geography"}
    assert CensusArea.objects.count() == 0


# --- caring import-census ------------------------------------------------------------------------


def test_import_census_command_imports_and_says_how_many():
    out, err = run("import_census", str(WIDE_2021))
    assert out.strip() == "32 census areas for 2021 imported (32 new, 0 replaced)."
    assert err == ""
    out, _ = run("import_census", str(AGE_2011), "--year", "2011")
    assert out.startswith("33 census areas for 2011 imported")
    out, _ = run("import_census", str(WIDE_2021))
    assert "(0 new, 32 replaced)" in out


def test_import_census_refuses_bands_that_do_not_add_up(tmp_path):
    rows = records(WIDE_2021)
    rows[4][2] = "5900"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(*rows))
    message, err = refused("import_census", str(path), code=1)
    assert message == "1 problem."
    assert err.splitlines() == [
        "Nothing was imported from bad.csv:",
        "  row 5, column C: Rotherham 004 (E02001581): the bands add up to 5,889 but the total "
        "is 5,900. Check the figures (a band may be missing or mistyped).",
    ]
    assert CensusArea.objects.count() == 0


def test_import_census_refuses_an_unknown_code_and_a_contradicting_year(tmp_path):
    rows = records(WIDE_2021)
    rows[2][1] = "E99001579"
    path = tmp_path / "codes.csv"
    path.write_bytes(csv_bytes(*rows))
    _, err = refused("import_census", str(path), code=1)
    assert "row 3, column B: 'E99001579' is not an ONS area code we know" in err
    _, err = refused("import_census", str(WIDE_2021), "--year", "2011", code=1)
    assert "The year given (2011) does not match the bands" in err
    assert CensusArea.objects.count() == 0


def test_import_census_refuses_what_is_not_a_csv(tmp_path):
    path = tmp_path / "census.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _, err = refused("import_census", str(path), code=1)
    assert "is an Excel workbook (.xlsx)" in err and "not a CSV file" in err


def test_import_census_refuses_a_file_over_20_mb(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(WIDE_2021.read_bytes() + b"\n" * (20 * 1024 * 1024))
    message, _ = refused("import_census", str(path), code=1)
    assert message == "big.csv is larger than 20 MB."


def test_import_census_usage_errors(tmp_path):
    message, _ = refused("import_census", str(tmp_path / "missing.csv"), code=2)
    assert "No file at" in message
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_census", str(WIDE_2021), "--year", "2019", stderr=io.StringIO())


def test_import_census_warns_of_what_it_leaves_out(tmp_path):
    rows = records(WIDE_2021) + [["Source: ONS"]]
    path = tmp_path / "notes.csv"
    path.write_bytes(csv_bytes(*rows))
    out, err = run("import_census", str(path))
    assert out.startswith("32 census areas") and err.startswith("Warning: row 34:")


def test_the_help_says_census_figures_are_not_suppressed():
    from caring.carers.management.commands import census, import_census

    for module in (census, import_census):
        assert "not personal data" in module.Command.help
        assert "suppress" in module.Command.help


# --- caring census -----------------------------------------------------------------------------


def test_census_json_has_each_area_with_its_keys():
    imported(WIDE_2021)
    imported(AGE_2011)
    out, _ = run("census", "--format", "json")
    rows = json.loads(out)
    assert len(rows) == 65 and all(set(row) == JSON_KEYS for row in rows)
    assert rows[0] == {
        "code": "E02001578", "name": "Rotherham 001", "year": 2011, "geography": "msoa",
        "residents": None, "carers": 1042,
        "bands": {"aged_0_to_24": 84, "aged_25_to_49": 408, "aged_50_to_64": 378,
                  "aged_65_and_over": 172},
    }  # fmt: skip
    rows = json.loads(run("census", "--format", "json", "--year", "2021")[0])
    assert len(rows) == 32 and {row["year"] for row in rows} == {2021}
    assert list(rows[0]["bands"]) == ["none", "9_or_less", "10_to_19", "20_to_34", "35_to_49",
                                      "50_or_more"]  # fmt: skip
    assert sum(row["carers"] for row in rows) == 26_324


def test_census_text_and_nothing_held():
    out, _ = run("census")
    assert "No census figures are held" in out
    assert json.loads(run("census", "--format", "json")[0]) == []
    imported(WIDE_2021)
    out, _ = run("census", "--year", "2021")
    assert out.splitlines()[0].startswith(
        "2021 E02001578 Rotherham 001 (msoa): 1,094 carers (10.0%); residents 10,992; none 9,898"
    )
    assert "No census figures are held for 2011" in run("census", "--year", "2011")[0]


# --- the demo ----------------------------------------------------------------------------------


def test_census_demo_load_imports_both_real_files_once():
    done = demo.census_demo_load()
    assert [(d.year, d.added) for d in done] == [(2021, 32), (2011, 33)]
    before = list(CensusArea.objects.values_list("pk", "imported_at"))
    assert demo.census_demo_load() == []
    assert list(CensusArea.objects.values_list("pk", "imported_at")) == before
    assert CensusArea.objects.count() == 65


def test_the_demo_loads_the_real_rotherham_census_files(db):
    import io as _io

    from django.core.management import call_command as _call

    from caring.carers.models import CensusArea as _Area

    _call("demo", password="demo-password-1", stdout=_io.StringIO())
    _call("demo", password="demo-password-1", stdout=_io.StringIO())  # again: nothing doubled
    assert _Area.objects.filter(year=2021).count() == 32
    assert _Area.objects.filter(year=2011).count() == 33
    assert sum(_Area.objects.filter(year=2021).values_list("carers", flat=True)) == 26324
