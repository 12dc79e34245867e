"""The demo's Quality Assurance Framework (illustrative values, the real national benchmark and
GP practices) and its section in the report pack."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from caring.governance import services as governance
from caring.governance.models import ReportRequirement
from caring.indicators import selectors
from caring.indicators.assess import fmt
from caring.indicators.demo import indicators_delete
from caring.indicators.models import (
    BenchmarkValue,
    Breakdown,
    CarersRegister,
    CommissionedService,
    DataSource,
    Indicator,
    Practice,
    Target,
    TrainingSession,
    Value,
)
from caring.indicators.periods import period_containing
from caring.indicators.services import value_approve
from caring.plans.models import Strategy
from caring.reports.services import report_prepare

pytestmark = pytest.mark.django_db

ROTHERHAM = "E08000018"
CODES = [f"QA{n}" for n in range(1, 9)]  # at least these; the demo may add more


def demo_codes(strategy) -> list[str]:
    """The strategy's indicator codes in numeric order (QA9 before QA10)."""
    codes = Indicator.objects.filter(strategy=strategy).values_list("code", flat=True)
    return sorted(codes, key=lambda code: int(code.removeprefix("QA")))


SECTION = "Quality Assurance Framework: indicators"
MODELS = (Indicator, Target, Value, Breakdown, DataSource, BenchmarkValue, Practice,
          CarersRegister, TrainingSession, CommissionedService)  # fmt: skip


def load(*args) -> Strategy:
    call_command("demo", *args, password="x", stdout=io.StringIO())
    return Strategy.objects.get(slug="caring-together")


@pytest.fixture
def demo(db):
    return load()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def section_of(report):
    found = [s for s in report.sections if s.title == SECTION]
    assert len(found) == 1, [s.title for s in report.sections]
    return found[0]


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_loads_qa1_to_qa8_for_rotherham(demo):
    assert demo.authority_code == ROTHERHAM
    indicators = Indicator.objects.filter(strategy=demo)
    assert demo_codes(demo)[:8] == CODES
    for indicator in indicators:
        assert indicator.owner.username == "data"
    assert Practice.objects.count() == 92 and selectors.active_practices().count() == 29
    assert BenchmarkValue.objects.count() == 902


@pytest.mark.parametrize("code", ["QA5", "QA6"])
def test_the_survey_indicators_are_rotherhams_real_published_values(demo, code):
    indicator = Indicator.objects.get(strategy=demo, code=code)
    published = {b.year: b.value for b in BenchmarkValue.objects.filter(
        measure=indicator.benchmark_measure, authority_code=ROTHERHAM)}  # fmt: skip
    values = {v.period_key: v.value for v in indicator.values.all()}
    assert values == published and set(values) == {"2016/17", "2018/19", "2021/22"}
    assert indicator.baseline_value == published["2016/17"]
    assert indicator.baseline_period == "2016/17"
    assert set(indicator.values.values_list("status", flat=True)) == {"approved"}
    found = selectors.benchmark(indicator)
    assert found.authority_name == "Rotherham" and found.year == "2021/22"
    assert found.position.value == published["2021/22"]
    assert 1 <= found.position.rank <= found.position.of == 149


def test_illustrative_flags_are_on_the_illustrative_data_and_not_on_the_real_survey(demo):
    real = {"QA5", "QA6"}
    for indicator in Indicator.objects.filter(strategy=demo):
        illustrative = indicator.code not in real
        assert indicator.is_illustrative is illustrative, indicator.code
        flags = set(indicator.values.values_list("is_illustrative", flat=True))
        if indicator.values.exists():
            assert flags == {illustrative}, indicator.code
    assert Value.objects.filter(indicator__code__in=real, is_illustrative=True).count() == 0
    assert (
        not Value.objects.filter(indicator__strategy=demo, is_illustrative=False)
        .exclude(indicator__code__in=real)
        .exists()
    )
    for model in (CarersRegister, TrainingSession, CommissionedService):
        assert model.objects.exists()
        assert not model.objects.filter(is_illustrative=False).exists(), model.__name__


def test_the_latest_illustrative_value_awaits_approval(demo):
    for code in ("QA1", "QA2", "QA3", "QA4"):
        values = list(Value.objects.filter(indicator__strategy=demo, indicator__code=code)
                      .order_by("period_start"))  # fmt: skip
        assert [v.status for v in values] == ["approved"] * (len(values) - 1) + ["draft"]
    qa1 = Value.objects.get(indicator__strategy=demo, indicator__code="QA1",
                            period_key="2018/19 Q1")  # fmt: skip
    bands = list(qa1.breakdowns.all())
    assert {b.dimension for b in bands} == {"age_band"}
    assert sum(b.count for b in bands) == qa1.value


def test_the_registers_indicator_is_worked_out_from_the_demos_registers(demo):
    today = timezone.localdate()
    quarter = period_containing(today, "quarterly")
    value = Value.objects.get(indicator__strategy=demo, indicator__code="QA7")
    assert value.period_key == quarter.key and value.status == "approved"
    end = quarter.end
    year_ago = end.replace(year=end.year - 1, day=28 if (end.month, end.day) == (2, 29)
                           else end.day)  # fmt: skip
    active = set(Practice.objects.filter(status="A", prescribing_setting=4)
                 .values_list("pk", flat=True))  # fmt: skip
    reviewed = {r.practice_id for r in CarersRegister.objects.filter(practice__in=active)
                if r.reviewed_on and r.reviewed_on > year_ago}  # fmt: skip
    assert 0 < len(reviewed) < len(active) == 29
    assert (value.numerator, value.denominator) == (len(reviewed), 29)
    assert value.value == (Decimal(len(reviewed)) / 29 * 100).quantize(Decimal("0.001"))


def test_demo_reset_reloads_without_duplicates(demo):
    first = counts()
    values = sorted(Value.objects.values_list("indicator__code", "period_key", "value"))
    assert load() == demo and counts() == first  # a second run leaves it alone
    codes = demo_codes(demo)
    reloaded = load("--reset")
    assert counts() == first
    assert sorted(Value.objects.values_list("indicator__code", "period_key", "value")) == values
    assert demo_codes(reloaded) == codes


# --- the report pack ----------------------------------------------------------------------------


def test_the_pack_has_the_indicators_section_with_approved_values_only(demo):
    report = report_prepare(strategy=demo).report
    section = section_of(report)
    assert section.topics == ("indicators",)
    table = section.tables[0]
    assert table.columns == ("Code", "Indicator", "Baseline", "Latest", "Target", "Direction",
                             "RAG")  # fmt: skip
    rows = {row[0]: row for row in table.rows}
    # Every indicator, in the order people number them (QA9 before QA10).
    assert [row[0] for row in table.rows] == demo_codes(demo)
    assert set(CODES) <= set(rows)
    for indicator in Indicator.objects.filter(strategy=demo):
        latest = indicator.values.filter(status="approved").order_by("period_start").last()
        shown = rows[indicator.code][3]
        if latest is None:
            assert shown == "No approved value"
        else:
            figure = fmt(latest.value, unit=indicator.unit, decimals=indicator.decimals)
            assert shown == f"{figure} ({latest.period_key})"
        for draft in indicator.values.filter(status="draft"):
            assert draft.period_key not in shown
    assert rows["QA1"][3] == "31 (2019/20 Q1)"  # 33 for 2019/20 Q2 is a draft
    assert rows["QA1"][2] == "12 (2017/18 Q4)"
    bench = {row[0]: row for row in section.tables[1].rows}
    assert sorted(bench) == ["QA5", "QA6"]
    for code in ("QA5", "QA6"):
        position = selectors.benchmark(Indicator.objects.get(strategy=demo, code=code)).position
        assert bench[code][5] == f"{position.rank} of {position.of}"
    assert any("Illustrative" in p for p in section.paragraphs)


def test_a_draft_approved_later_then_appears_in_the_pack(demo):
    draft = Value.objects.get(indicator__strategy=demo, indicator__code="QA1", status="draft")
    value_approve(value=draft, by=draft.indicator.owner)
    rows = {row[0]: row for row in section_of(report_prepare(strategy=demo).report).tables[0].rows}
    assert rows["QA1"][3] == "33 (2019/20 Q2)"


def test_a_committee_requirement_on_indicators_is_met_by_the_section(demo):
    asked = ReportRequirement.objects.get(resolution__strategy=demo, topic="equalities")
    requirement = governance.requirement_add(
        resolution=asked.resolution, topic="indicators", text="Performance against the QA framework"
    )
    report = report_prepare(strategy=demo).report  # fmt: skip
    met = {r.topic: r for r in report.requirements}
    assert met["indicators"].id == requirement.pk and met["indicators"].met
    assert SECTION in met["indicators"].how
    assert met["equalities"].met and "Equalities" in met["equalities"].how  # carers' section
    assert not any("Performance against the QA framework" in w for w in report.warnings)

    indicators_delete(demo)  # without indicators there is no section, and it is not met
    report = report_prepare(strategy=demo).report
    assert SECTION not in [s.title for s in report.sections]
    assert any("Performance against the QA framework" in w for w in report.warnings)


def test_the_section_lists_indicators_without_values_and_overdue_ones(demo):
    today = timezone.localdate()
    Indicator.objects.filter(strategy=demo, code="QA8").update(frequency="monthly")
    Value.objects.filter(indicator__strategy=demo, indicator__code="QA8").delete()
    section = section_of(report_prepare(strategy=demo, today=today).report)
    rows = {row[0]: row for row in section.tables[0].rows}
    assert rows["QA8"][3] == "No approved value" and rows["QA8"][6] == "Not rated"
    overdue = [p for p in section.paragraphs if p.startswith("Overdue for data:")]
    assert overdue and "QA8" in overdue[0]
    assert "QA1" in overdue[0]  # the demo's quarters end in 2019: long overdue by now
