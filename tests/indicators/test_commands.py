"""``caring import-values``, ``import-benchmark``, ``import-practices`` and ``indicators``: exit
status 0 when done, 1 when refused (every problem by row on standard error), 2 for usage."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from caring.indicators import services
from caring.indicators.assess import fmt
from caring.indicators.models import BenchmarkValue, DataSource, Indicator, Practice, Value
from caring.plans.models import Strategy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "caring" / "indicators" / "data"
OFLOG = DATA / "oflog_asc_carer_measures_all_LAs.csv"
EPRACCUR = DATA / "epraccur_rotherham_03L.csv"
JSON_KEYS = {"code", "title", "unit", "baseline", "latest", "target", "rag", "benchmark"}


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


def write_csv(path: Path, *rows) -> str:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Indicator code", "Period", "Value", "Source"])
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def qa(strategy):
    one = services.indicator_create(strategy=strategy, code="QA1", title="Young carers",
                                    unit="count", frequency="quarterly")  # fmt: skip
    two = services.indicator_create(strategy=strategy, code="QA2", title="Pupils",
                                    unit="percentage", frequency="annual")  # fmt: skip
    return one, two


# --- caring import-values -----------------------------------------------------------------------


def test_import_values_imports_drafts_and_says_how_many(strategy, qa, tmp_path):
    user = UserFactory(username="data")
    path = write_csv(tmp_path / "values.csv", ["QA1", "Q1 2018/19", "15", "Early Help"],
                     ["QA2", "2018/19", "7.2%", "Lifestyle Survey"])  # fmt: skip
    out, err = run("import_values", path, "--strategy", strategy.slug, "--user", "data")
    assert out.strip() == (
        "2 values imported as drafts; new sources: Early Help, Lifestyle Survey."
    )
    assert err == ""
    assert Value.objects.filter(status="draft", entered_by=user).count() == 2


def test_import_values_warns_of_rows_left_out(strategy, qa, tmp_path):
    path = write_csv(tmp_path / "values.csv", ["QA1", "Q1 2018/19", "15", ""],
                     ["QA1", "Q2 2018/19", "", ""])  # fmt: skip
    out, err = run("import_values", path, "--strategy", strategy.slug)
    assert out.startswith("1 value imported as drafts")
    assert "Warning: sheet 'values.csv', row 3" in err and "left out" in err


def test_import_values_refuses_a_file_with_problems_naming_each_row(strategy, qa, tmp_path):
    services.value_record(indicator=qa[0], period="2018/19 Q2", source="Early Help", value=3)
    path = write_csv(
        tmp_path / "values.csv",
        ["QA1", "2018/19 Q1", "15", "Early Help"],
        ["QA7", "2018/19 Q1", "4", "Early Help"],
        ["QA1", "2018/19", "5", "Early Help"],
        ["QA1", "2018/19 Q2", "6", "Early Help"],
        ["QA2", "2018/19", "101", "Early Help"],
    )
    before = (Value.objects.count(), DataSource.objects.count())
    message, err = refused("import_values", path, "--strategy", strategy.slug, code=1)
    assert message == "4 problems."
    assert (Value.objects.count(), DataSource.objects.count()) == before
    lines = err.splitlines()
    assert lines[0] == "Nothing was imported from values.csv:"
    assert lines[1].startswith("  sheet 'values.csv', row 3, column A: There is no indicator QA7")
    assert lines[2].startswith("  sheet 'values.csv', row 4, column B: 2018/19 is a financial")
    assert lines[3].startswith("  sheet 'values.csv', row 5, column B: QA1 already has a value")
    assert lines[4].startswith("  sheet 'values.csv', row 6, column C: The value is a percentage")


def test_import_values_refuses_what_the_reader_refuses(strategy, qa, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("Name,Colour\nA,B\n", encoding="utf-8")
    message, err = refused("import_values", str(path), "--strategy", strategy.slug, code=1)
    assert message == "1 problem." and "No header row was found" in err
    bad = write_csv(tmp_path / "bad.csv", ["QA1", "2018/19 Q1", "lots", ""])
    message, err = refused("import_values", bad, "--strategy", strategy.slug, code=1)
    assert "row 2, column C: The value 'lots' in cell C2 is not a number" in err
    assert Value.objects.count() == 0


def test_import_values_usage_errors(strategy, qa, tmp_path):
    path = write_csv(tmp_path / "values.csv", ["QA1", "Q1 2018/19", "15", ""])
    message, _ = refused("import_values", str(tmp_path / "missing.csv"), "--strategy",
                         strategy.slug, code=2)  # fmt: skip
    assert "No file at" in message and "missing.csv" in message
    message, _ = refused("import_values", path, "--strategy", "nope", code=2)
    assert message == "There is no strategy 'nope'."
    message, _ = refused("import_values", path, "--strategy", strategy.slug, "--user", "ghost",
                         code=2)  # fmt: skip
    assert message == "There is no user 'ghost'."
    assert Value.objects.count() == 0


def test_the_caring_command_returns_2_for_missing_arguments():
    from caring.cli import main

    with pytest.raises(SystemExit) as info:
        main(["caring", "import-values", "values.csv"])
    assert info.value.code == 2


# --- caring import-benchmark and import-practices -------------------------------------------------


def test_import_benchmark_imports_the_real_file_and_updates_on_a_second_run():
    out, err = run("import_benchmark", str(OFLOG))
    assert out.strip() == "902 benchmark values (902 new, 0 updated) for 2 measures."
    assert "Warning: row 53, column H: The value for Isles of Scilly" in err
    out, _ = run("import_benchmark", str(OFLOG))
    assert out.strip() == "902 benchmark values (0 new, 902 updated) for 2 measures."
    assert BenchmarkValue.objects.count() == 902


def test_import_benchmark_refuses_a_malformed_file(tmp_path):
    lines = OFLOG.read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("2016-17,E09000010,Enfield,")
    lines[3] = lines[3].replace("E09000010", "X09000010")
    assert lines[6].startswith("2016-17,E09000002,Barking and Dagenham,")
    lines[6] = lines[6].replace('Life",7.4,', 'Life",high,')
    path = tmp_path / "oflog.csv"
    path.write_text("\n".join(lines[:10]), encoding="utf-8")
    message, err = refused("import_benchmark", str(path), code=1)
    assert err.splitlines()[0] == "Nothing was imported from oflog.csv:"
    assert "  row 4, column B: 'X09000010' is an unknown authority code" in err
    assert "  row 7, column H: The value 'high' is not a number" in err
    assert message == "2 problems."
    assert BenchmarkValue.objects.count() == 0
    message, _ = refused("import_benchmark", str(tmp_path / "nothing.csv"), code=2)
    assert "No file at" in message


def test_import_practices_imports_the_real_file():
    out, _ = run("import_practices", str(EPRACCUR))
    assert out.strip() == "92 practices (92 new, 0 updated); 29 active GP practices."
    assert Practice.objects.count() == 92


def test_import_practices_refuses_a_malformed_file(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_text('"C87002","DINNINGTON"\n', encoding="utf-8")
    _, err = refused("import_practices", str(path), code=1)
    assert err.startswith("Nothing was imported from epraccur.csv:")
    assert "row 1" in err
    assert Practice.objects.count() == 0


# --- caring indicators --------------------------------------------------------------------------


def test_the_json_has_every_indicator_with_approved_values_only(strategy, qa):
    one, two = qa
    services.target_set(indicator=one, period="2018/19 Q1", value=20)
    first = services.value_record(indicator=one, period="2018/19 Q1", source="EH", value=21)
    services.value_approve(value=first, by=None)
    services.value_record(indicator=one, period="2018/19 Q2", source="EH", value=99)  # a draft
    services.value_record(indicator=two, period="2018/19", source="EH", value=50)  # a draft
    out, _ = run("indicators", "--strategy", strategy.slug, "--format", "json")
    rows = {row["code"]: row for row in json.loads(out)}
    assert set(rows) == {"QA1", "QA2"}
    for row in rows.values():
        assert set(row) >= JSON_KEYS
    assert rows["QA1"]["latest"] == {"value": 21.0, "period": "2018/19 Q1", "source": "EH"}
    assert rows["QA1"]["target"] == {"value": 20.0, "period": "2018/19 Q1"}
    assert rows["QA1"]["rag"] == "green" and rows["QA1"]["benchmark"] is None
    assert rows["QA2"]["latest"] is None and rows["QA2"]["rag"] is None
    assert "99" not in out and "50.0" not in out

    text, _ = run("indicators", "--strategy", strategy.slug)
    assert text.splitlines() == ["QA1: Young carers: 21.0 (2018/19 Q1); RAG green",
                                 "QA2: Pupils: no approved value; RAG -"]  # fmt: skip


def test_the_json_of_the_demo(db):
    call_command("demo", password="x", stdout=io.StringIO())
    demo = Strategy.objects.get(slug="caring-together")
    out, _ = run("indicators", "--strategy", "caring-together", "--format", "json")
    rows = json.loads(out)
    codes = [r["code"] for r in rows]
    assert codes[:8] == [f"QA{n}" for n in range(1, 9)]  # in numeric order, then any more
    assert codes == [f"QA{n}" for n in range(1, len(codes) + 1)]
    for row in rows:
        indicator = Indicator.objects.get(strategy=demo, code=row["code"])
        approved = indicator.values.filter(status="approved").order_by("period_start").last()
        if approved is None:
            assert row["latest"] is None
        else:
            assert row["latest"]["period"] == approved.period_key
            assert row["latest"]["value"] == float(approved.value)
        drafts = indicator.values.filter(status="draft")
        for draft in drafts:
            assert row["latest"]["period"] != draft.period_key
        if indicator.baseline_value is not None:
            assert row["baseline"]["value"] == float(indicator.baseline_value)
            assert row["baseline"]["period"] == indicator.baseline_period
    by_code = {r["code"]: r for r in rows}
    assert by_code["QA1"]["latest"]["period"] == "2019/20 Q1"  # Q2 awaits approval
    for code in ("QA5", "QA6"):
        bench = by_code[code]["benchmark"]
        assert set(bench) >= {"median", "rank", "of"}
        assert bench["of"] == 149 and 1 <= bench["rank"] <= 149
        assert by_code[code]["latest"]["period"] == "2021/22"
        assert by_code[code]["illustrative"] is False
    assert by_code["QA1"]["illustrative"] is True
    text, _ = run("indicators", "--strategy", "caring-together", "--format", "text")
    qa5 = Indicator.objects.get(strategy=demo, code="QA5")
    latest = qa5.values.get(period_key="2021/22")
    assert fmt(latest.value, unit="score", decimals=1) in text


def test_the_indicators_command_usage_errors(db):
    message, _ = refused("indicators", "--strategy", "nope", code=2)
    assert message == "There is no strategy 'nope'."


def test_the_json_leaves_out_a_benchmark_the_council_is_not_in(db):
    call_command("demo", password="x", stdout=io.StringIO())
    Strategy.objects.filter(slug="caring-together").update(authority_code="E09999999")
    out, _ = run("indicators", "--strategy", "caring-together", "--format", "json")
    rows = {row["code"]: row for row in json.loads(out)}
    assert rows["QA5"]["benchmark"] is None and rows["QA6"]["benchmark"] is None
    assert rows["QA5"]["latest"]["period"] == "2021/22"
