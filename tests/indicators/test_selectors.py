"""Reads for the pages, the pack and the JSON (caring.indicators.selectors): only approved values
are published; the benchmark position is worked out from the stored national data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from caring.indicators import selectors, services
from caring.indicators.benchmarking import BenchmarkError
from caring.indicators.models import BenchmarkValue, Indicator, Target, Value
from caring.plans.models import Strategy
from tests.factories import StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
ROTHERHAM = "E08000018"
TODAY = dt.date(2019, 6, 1)  # 2018/19 Q4 is the latest quarter whose data is due


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def add(strategy, owner):
    """Record a value (approved unless ``approve=False``) for an indicator."""

    def add(indicator, period, value, *, source="Early Help Service", approve=True):
        row = services.value_record(indicator=indicator, period=period, source=source,
                                    value=value, by=owner)  # fmt: skip
        if approve:
            services.value_approve(value=row, by=owner)
        return row

    return add


@pytest.fixture
def qa1(strategy, owner):
    indicator = services.indicator_create(strategy=strategy, code="QA1", title="Young carers",
                                          unit="count", frequency="quarterly", owner=owner,
                                          amber_tolerance=10)  # fmt: skip
    services.target_set(indicator=indicator, period="2018/19 Q1", value=20)
    services.target_set(indicator=indicator, period="2019/20 Q1", value=35)
    return indicator


def row_of(strategy, code, today=TODAY):
    return next(r for r in selectors.overview(strategy=strategy, today=today)
                if r.indicator.code == code)  # fmt: skip


# --- the overview -------------------------------------------------------------------------------


def test_the_latest_approved_value_is_shown_and_a_later_draft_is_not(strategy, qa1, add):
    add(qa1, "2018/19 Q1", 15)
    add(qa1, "2018/19 Q2", 19)
    add(qa1, "2018/19 Q3", 40, approve=False)  # entered later, not yet approved
    add(qa1, "2018/19 Q4", 41, approve=False)
    row = row_of(strategy, "QA1")
    assert (row.latest.period_key, row.latest.value) == ("2018/19 Q2", 19)
    assert (row.previous.period_key, row.previous.value) == ("2018/19 Q1", 15)
    assert row.drafts == 2
    # The target is the one for the latest approved value's period: 20, set from Q1.
    assert row.target.period_key == "2018/19 Q1"
    # 19 against 20 with a 10% tolerance: short by 1, within 2.
    assert row.rating.rag == "amber" and "19 is short of the target of 20 by 1" in row.rating.reason
    assert row.direction.key == "improving"
    assert row.shown(D(1234)) == "1,234"
    # The drafts count as no value for freshness: Q4 was due by mid-May.
    assert row.freshness.overdue and row.freshness.expected.key == "2018/19 Q4"


def test_approving_the_draft_moves_everything_on(strategy, qa1, add, owner):
    add(qa1, "2018/19 Q2", 19)
    draft = add(qa1, "2018/19 Q4", 14, approve=False)
    services.value_approve(value=draft, by=owner)
    row = row_of(strategy, "QA1")
    assert row.latest.value == 14 and row.previous.value == 19 and row.drafts == 0
    assert row.rating.rag == "red" and row.direction.key == "worsening"
    assert not row.freshness.overdue


def test_the_target_for_a_later_period_is_the_latest_set_before_it(strategy, qa1, add):
    add(qa1, "2019/20 Q2", 34)  # 2019/20 Q1's target of 35 applies
    row = row_of(strategy, "QA1", today=dt.date(2019, 12, 1))
    assert row.target.value == 35 and row.rating.rag == "amber"
    add(qa1, "2019/20 Q3", 36, source="Barnardo's")
    assert row_of(strategy, "QA1", dt.date(2020, 3, 1)).rating.rag == "green"


def test_target_for_chooses_the_periods_target_or_the_nearest_one():
    targets = [
        Target(period_key=k, period_start=s, value=v)
        for k, s, v in (
            ("2018/19 Q1", dt.date(2018, 4, 1), 20),
            ("2019/20 Q1", dt.date(2019, 4, 1), 35),
        )
    ]
    assert selectors.target_for([], dt.date(2018, 4, 1)) is None  # fmt: skip
    assert selectors.target_for(targets, dt.date(2018, 4, 1)).value == 20
    assert selectors.target_for(targets, dt.date(2019, 1, 1)).value == 20
    assert selectors.target_for(targets, dt.date(2019, 4, 1)).value == 35
    assert selectors.target_for(targets, dt.date(2021, 1, 1)).value == 35
    assert selectors.target_for(targets, dt.date(2017, 1, 1)).value == 20  # the first one
    assert selectors.target_for(targets, None).value == 35  # no value: the latest target


def test_where_two_sources_give_a_period_the_latest_entered_stands(strategy, qa1, add):
    add(qa1, "2018/19 Q1", 15)
    add(qa1, "2018/19 Q2", 18, source="Barnardo's")
    add(qa1, "2018/19 Q2", 22)
    row = row_of(strategy, "QA1")
    assert row.latest.value == 22 and row.previous.value == 15
    assert [v.value for v in selectors.series(qa1)] == [15, 22]


def test_rag_and_direction_follow_the_polarity_from_the_data(strategy, owner, add):
    waiting = services.indicator_create(strategy=strategy, code="QA9", title="Waiting",
                                        unit="percentage", frequency="annual", polarity="lower",
                                        decimals=1, owner=owner)  # fmt: skip
    services.target_set(indicator=waiting, period="2017/18", value="10")
    add(waiting, "2016/17", "12.5")
    add(waiting, "2017/18", "10.5")
    row = row_of(strategy, "QA9")
    assert row.direction.key == "improving"  # lower is better, and it fell
    assert row.rating.rag == "amber"  # 0.5 over 10, within 1
    assert row.rating.reason == (
        "10.5% is short of the target of 10.0% by 0.5%, within the 10% tolerance."
    )
    add(waiting, "2018/19", "11.2")
    row = row_of(strategy, "QA9")
    assert row.rating.rag == "red" and row.direction.key == "worsening"


def test_an_indicator_without_values_or_targets_is_not_rated(strategy, owner):
    services.indicator_create(strategy=strategy, code="QA2", title="New", unit="count",
                              frequency="monthly")  # fmt: skip
    row = row_of(strategy, "QA2")
    assert row.latest is None and row.previous is None and row.target is None
    assert row.rating.rag is None and row.direction.key == "unknown" and row.drafts == 0
    assert row.freshness.overdue


def test_the_overview_is_of_one_strategy_in_code_order(strategy, owner):
    for code in ("QA10", "QA3", "QA1", "QA2"):
        services.indicator_create(strategy=strategy, code=code, title=code, unit="count",
                                  frequency="annual")  # fmt: skip
    services.indicator_create(strategy=StrategyFactory(), code="QA0", title="Elsewhere",
                              unit="count", frequency="annual")  # fmt: skip
    codes = [r.indicator.code for r in selectors.overview(strategy=strategy, today=TODAY)]
    assert codes == ["QA1", "QA2", "QA3", "QA10"]  # as people number them
    assert sorted(["b2", "A10", "a9", "A1.2", "A1.10"], key=selectors.code_order) == [
        "A1.2",
        "A1.10",
        "a9",
        "A10",
        "b2",
    ]


def test_overdue_for_data_lists_indicators_whose_due_period_has_no_approved_value(
    strategy, owner, add
):
    def make(code, frequency):
        return services.indicator_create(strategy=strategy, code=code, title=code, unit="count",
                                         frequency=frequency)  # fmt: skip

    current = make("Q-current", "quarterly")
    add(current, "2018/19 Q4", 1)
    behind = make("Q-behind", "quarterly")
    add(behind, "2018/19 Q3", 1)
    drafted = make("Q-draft", "quarterly")
    add(drafted, "2018/19 Q3", 1)
    add(drafted, "2018/19 Q4", 1, approve=False)
    make("Q-empty", "quarterly")
    annual = make("A-current", "annual")  # 2018/19 is due by late July 2019
    add(annual, "2017/18", 1)
    survey = make("B-current", "biennial")  # the next survey after 2018/19 is 2020/21
    add(survey, "2018/19", 1)
    overdue = selectors.overdue_for_data(strategy=strategy, today=TODAY)
    assert [r.indicator.code for r in overdue] == ["Q-behind", "Q-draft", "Q-empty"]
    later = selectors.overdue_for_data(strategy=strategy, today=dt.date(2019, 8, 1))
    assert "A-current" in [r.indicator.code for r in later]


# --- the benchmark on the demo -----------------------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("demo", password="x", stdout=io.StringIO())
    return Strategy.objects.get(slug="caring-together")


def expected_position(measure: str, year: str, keep=lambda row: True) -> tuple[int, int, D]:
    """(rank, of, median) worked out by sorting the stored rows: rank 1 is the highest value,
    ties share the best place."""
    rows = [r for r in BenchmarkValue.objects.filter(measure=measure, year=year) if keep(r)]
    values = sorted((r.value for r in rows), reverse=True)
    own = next(r.value for r in rows if r.authority_code == ROTHERHAM)
    rank = values.index(own) + 1
    ascending = sorted(values)
    n = len(ascending)
    middle = ascending[n // 2] if n % 2 else (ascending[n // 2 - 1] + ascending[n // 2]) / 2
    return rank, n, middle


@pytest.mark.parametrize("code", ["QA5", "QA6"])
def test_the_demo_benchmarks_rotherham_among_all_councils(demo, code):
    indicator = Indicator.objects.get(strategy=demo, code=code)
    assert demo.authority_code == ROTHERHAM
    years = sorted(set(BenchmarkValue.objects.filter(measure=indicator.benchmark_measure)
                       .values_list("year", flat=True)))  # fmt: skip
    assert years == ["2016/17", "2018/19", "2021/22"] == selectors.benchmark_years(indicator)
    found = selectors.benchmark(indicator)
    assert found.year == "2021/22" and found.group == "all"
    assert found.authority_name == "Rotherham" and found.region == "Yorkshire and The Humber"
    assert found.authority_type == "Metropolitan Districts"
    rank, of, middle = expected_position(indicator.benchmark_measure, "2021/22")
    p = found.position
    assert (p.rank, p.of, p.median) == (rank, of, middle)
    assert (
        p.value
        == BenchmarkValue.objects.get(
            measure=indicator.benchmark_measure, year="2021/22", authority_code=ROTHERHAM
        ).value
    )
    assert of == 149 and found.group_label == "All councils"  # fmt: skip
    for year in years:
        earlier = selectors.benchmark(indicator, year=year).position
        assert (earlier.rank, earlier.of, earlier.median) == expected_position(
            indicator.benchmark_measure, year
        )
    history = selectors.benchmark_history(indicator)
    assert [(y, p.rank) for y, p in history] == [
        (y, expected_position(indicator.benchmark_measure, y)[0]) for y in years
    ]


@pytest.mark.parametrize("code", ["QA5", "QA6"])
@pytest.mark.parametrize(("group", "attribute"), [("region", "region"),
                                                  ("type", "authority_type")])  # fmt: skip
def test_a_comparator_group_narrows_the_councils_compared(demo, code, group, attribute):
    indicator = Indicator.objects.get(strategy=demo, code=code)
    measure = indicator.benchmark_measure
    own = BenchmarkValue.objects.get(measure=measure, year="2021/22", authority_code=ROTHERHAM)
    found = selectors.benchmark(indicator, group=group)
    rank, of, middle = expected_position(
        measure, "2021/22", lambda r: getattr(r, attribute) == getattr(own, attribute)
    )
    assert (found.position.rank, found.position.of, found.position.median) == (rank, of, middle)
    assert 1 < of < selectors.benchmark(indicator).position.of
    assert found.group_label == selectors.GROUPS[group]


def test_the_demo_survey_indicators_target_the_national_median(demo):
    for code in ("QA5", "QA6"):
        indicator = Indicator.objects.get(strategy=demo, code=code)
        target = indicator.targets.get()
        assert target.period_key == "2021/22"
        assert target.value == selectors.benchmark(indicator).position.median.quantize(D("0.001"))


def test_no_benchmark_without_a_measure_or_a_council_code(demo):
    qa1 = Indicator.objects.get(strategy=demo, code="QA1")
    assert selectors.benchmark(qa1) is None and selectors.benchmark_years(qa1) == []
    qa5 = Indicator.objects.get(strategy=demo, code="QA5")
    demo.authority_code = ""
    demo.save()
    qa5.refresh_from_db()
    assert selectors.benchmark(qa5) is None


def test_a_strategy_without_an_authority_code_has_no_benchmark(strategy):
    indicator = services.indicator_create(
        strategy=strategy,
        code="QA5",
        title="Quality of life",
        unit="score",
        frequency="biennial",
        benchmark_measure="Outcome, ASC Carer Quality of Life",
    )
    assert strategy.authority_code == ""  # fmt: skip
    assert selectors.benchmark(indicator) is None


def test_a_measure_without_data_has_no_benchmark(demo):
    indicator = services.indicator_create(
        strategy=demo,
        code="QA99",
        title="Not published",
        unit="score",
        frequency="annual",
        benchmark_measure="A measure nobody publishes",
    )
    assert selectors.benchmark(indicator) is None  # fmt: skip


def test_an_unknown_council_or_group_is_a_benchmark_error(demo):
    qa6 = Indicator.objects.get(strategy=demo, code="QA6")
    with pytest.raises(BenchmarkError, match="comparator group"):
        selectors.benchmark(qa6, group="planet")
    Strategy.objects.filter(pk=demo.pk).update(authority_code="E09999999")
    qa6 = Indicator.objects.get(strategy=demo, code="QA6")
    with pytest.raises(BenchmarkError, match="The council E09999999 has no figure"):
        selectors.benchmark(qa6)


def test_drafts_never_reach_the_published_series(demo):
    for indicator in Indicator.objects.filter(strategy=demo):
        shown = selectors.series(indicator)
        assert all(v.status == "approved" for v in shown)
        approved = indicator.values.filter(status="approved")
        assert {v.period_key for v in shown} == set(approved.values_list("period_key", flat=True))
    qa1 = Indicator.objects.get(strategy=demo, code="QA1")
    assert Value.objects.filter(indicator=qa1, status="draft").count() == 1


def test_a_report_as_at_a_past_day_shows_only_values_approved_by_then(db):
    import datetime as dt

    from django.utils import timezone

    from caring.indicators import services
    from caring.indicators.models import Value
    from tests.factories import StrategyFactory

    strategy = StrategyFactory()
    indicator = services.indicator_create(strategy=strategy, code="T1", title="Test", unit="count",
                                          frequency="annual")  # fmt: skip
    value = services.value_record(indicator=indicator, period="2018/19", source="Test", value=5)
    services.value_approve(value=value, by=None)
    today = timezone.localdate()
    Value.objects.filter(pk=value.pk).update(approved_at=timezone.now())
    from caring.indicators.selectors import overview

    assert overview(strategy=strategy, today=today)[0].latest.pk == value.pk
    assert overview(strategy=strategy, today=today, approved_by=today)[0].latest.pk == value.pk
    yesterday = today - dt.timedelta(days=1)
    assert overview(strategy=strategy, today=yesterday, approved_by=yesterday)[0].latest is None
