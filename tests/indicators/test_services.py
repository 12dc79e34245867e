"""Every write to indicators, values, benchmarks, practices, training and services
(caring.indicators.services): bad input is refused with a clear message naming the field, and
nothing is half saved; imports are all or nothing, with every problem by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from caring.indicators import services
from caring.indicators.benchmark_reader import read_benchmark
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
from caring.indicators.practices_reader import read_practices
from caring.indicators.selectors import active_practices
from caring.indicators.services import BreakdownInput, ImportRefused
from caring.indicators.values_reader import read_values
from caring.plans.services import ConflictError
from tests.factories import ActionFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
DATA = Path(__file__).resolve().parents[2] / "caring" / "indicators" / "data"
OFLOG = DATA / "oflog_asc_carer_measures_all_LAs.csv"
EPRACCUR = DATA / "epraccur_rotherham_03L.csv"
ROTHERHAM = "E08000018"
QOL = "Outcome, ASC Carer Quality of Life"
MODELS = (Indicator, Target, Value, Breakdown, DataSource, BenchmarkValue, Practice,
          CarersRegister, TrainingSession, CommissionedService)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@contextmanager
def refused(field: str, *words: str):
    """Expect a ValidationError naming ``field`` (its message holding ``words``), no new rows."""
    before = counts()
    with pytest.raises(ValidationError) as info:
        yield info
    messages = info.value.message_dict
    assert field in messages, messages
    for word in words:
        assert word in " ".join(messages[field]), (word, messages)
    assert counts() == before


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", job_title="Performance Officer")


@pytest.fixture
def make(strategy, owner):
    """An indicator through ``services.indicator_create``: quarterly count QA1 by default."""

    def make(code="QA1", unit="count", frequency="quarterly", **kwargs) -> Indicator:
        kwargs.setdefault("title", f"Indicator {code}")
        kwargs.setdefault("owner", owner)
        return services.indicator_create(strategy=strategy, code=code, unit=unit,
                                         frequency=frequency, **kwargs)  # fmt: skip

    return make


@pytest.fixture
def source(db):
    return services.source_named("Early Help Service")[0]


# --- indicators and targets ---------------------------------------------------------------------


def test_an_indicator_is_created_with_its_baseline_read_and_its_actions(make, make_action, source):
    action = make_action()
    made = make(baseline_value="12", baseline_period="Q4 2017/18", baseline_source=source,
                actions=[action], sources=[source], amber_tolerance="5")  # fmt: skip
    made.refresh_from_db()
    assert made.baseline_value == 12 and made.baseline_period == "2017/18 Q4"
    assert made.amber_tolerance == 5 and made.baseline_source == source
    assert list(made.actions.all()) == [action] and list(made.sources.all()) == [source]
    # The same code in another strategy is another indicator.
    other = services.indicator_create(strategy=StrategyFactory(), code="QA1", title="Other",
                                      unit="count", frequency="annual")  # fmt: skip
    assert other.pk != made.pk


@pytest.mark.parametrize("code", ["QA1", "qa1", " Qa1 "])
def test_a_duplicate_code_in_any_case_is_refused(make, code):
    make("QA1")
    with refused("code", "already has an indicator"):
        make(code)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": ""}, "code", "Enter the indicator's code"),
        ({"title": "  "}, "title", "Enter what the indicator measures"),
        ({"title": "x" * 301}, "title", "at most 300 characters"),
        ({"unit": "percent"}, "unit", "'percent' is not a unit"),
        ({"frequency": "weekly"}, "frequency", "'weekly' is not a frequency"),
        ({"polarity": "up"}, "polarity", "is not a polarity"),
        ({"computed": "magic"}, "computed", "is not a computed"),
        ({"baseline_period": "2017/18"}, "baseline_period", "but this indicator is quarterly"),
        ({"baseline_period": "sometime"}, "baseline_period", "not a period we can read"),
        ({"unit": "percentage", "baseline_value": "100.5"}, "baseline_value", "0-100"),
        ({"unit": "percentage", "baseline_value": "-1"}, "baseline_value", "0-100"),
        ({"baseline_value": "-3"}, "baseline_value", "cannot be negative"),
        ({"baseline_value": "lots"}, "baseline_value", "must be a number"),
        ({"amber_tolerance": "150"}, "amber_tolerance", "0-100"),
        ({"amber_tolerance": None}, "amber_tolerance", "0-100"),
    ],
)
def test_bad_indicators_are_refused_naming_the_field(make, changes, field, words):
    with refused(field, words):
        make(**changes)


def test_a_baseline_period_of_the_right_frequency_is_kept_in_its_canonical_form(make):
    assert make("A", frequency="annual", baseline_period="FY 2017-18").baseline_period == "2017/18"
    assert make("M", frequency="monthly", baseline_period="Apr-18").baseline_period == "2018-04"
    made = make("P", unit="percentage", baseline_value="100", baseline_period="2017/18 Q4")
    assert made.baseline_value == 100


def test_actions_of_another_strategy_are_refused(make, make_action):
    ours = make_action()
    theirs = ActionFactory(ref="ZZ9")
    with refused("actions", "ZZ9 belong to another strategy"):
        make(actions=[ours, theirs])


def test_a_target_is_set_for_a_period_of_the_indicators_frequency_and_can_be_changed(make):
    indicator = make(unit="percentage")
    target = services.target_set(indicator=indicator, period="Q1 2018/19", value="45%")
    assert (target.period_key, target.period_start, target.value) == (
        "2018/19 Q1",
        dt.date(2018, 4, 1),
        D(45),
    )
    services.target_set(indicator=indicator, period="2018/19 Q1", value="50")
    assert Target.objects.get(indicator=indicator).value == 50  # changed, not a second one
    with refused("period", "but this indicator is quarterly"):
        services.target_set(indicator=indicator, period="2018/19", value="50")
    with refused("value", "0-100"):
        services.target_set(indicator=indicator, period="2018/19 Q2", value="120")
    with refused("value", "Enter the target"):
        services.target_set(indicator=indicator, period="2018/19 Q2", value="")
    count = make("QA2")
    with refused("value", "cannot be negative"):
        services.target_set(indicator=count, period="2018/19 Q2", value="-1")


# --- recording values ---------------------------------------------------------------------------


def test_a_value_is_recorded_as_a_draft(make, source, owner, today):
    indicator = make()
    value = services.value_record(indicator=indicator, period="Q3 2018/19", source=source,
                                  value="1,234", extracted_on=today, note=" From the case system ",
                                  by=owner)  # fmt: skip
    value.refresh_from_db()
    assert value.status == "draft" and value.approved_by is None and value.revision == 1
    assert (value.period_key, value.period_start, value.period_end) == (
        "2018/19 Q3",
        dt.date(2018, 10, 1),
        dt.date(2018, 12, 31),
    )
    assert value.value == 1234 and value.entered_by == owner
    assert value.quality_note == "From the case system" and value.extracted_on == today


def test_a_source_is_found_in_any_case_or_made(make):
    indicator = make()
    first = services.value_record(indicator=indicator, period="2018/19 Q1", source="New Source",
                                  value=1)  # fmt: skip
    second = services.value_record(indicator=indicator, period="2018/19 Q2",
                                   source="  new   SOURCE ", value=2)  # fmt: skip
    assert first.source == second.source
    assert DataSource.objects.filter(name__iexact="new source").count() == 1


def test_a_period_outside_the_indicators_frequency_is_refused(make, source):
    for frequency, period, words in (
        ("quarterly", "2018/19", "is a financial year, but this indicator is quarterly"),
        ("annual", "Q1 2018/19", "is a quarter, but this indicator is annual"),
        ("monthly", "2018/19 Q1", "is a quarter, but this indicator is monthly"),
        ("biennial", "April 2018", "is a month, but this indicator is collected every two"),
    ):
        indicator = make(f"F-{frequency}", frequency=frequency)
        with refused("period", words):
            services.value_record(indicator=indicator, period=period, source=source, value=1)


def test_a_percentage_over_100_is_refused(make, source):
    indicator = make(unit="percentage")
    with refused("value", "must be 0-100, not 100.1"):
        services.value_record(indicator=indicator, period="2018/19 Q1", source=source,
                              value="100.1")  # fmt: skip
    with refused("value", "0-100"):
        services.value_record(indicator=indicator, period="2018/19 Q1", source=source,
                              value="-0.5")  # fmt: skip
    for value in ("100", "0", "45.6%"):
        services.value_record(indicator=indicator, period="2018/19 Q1",
                              source=f"Source {value}", value=value)  # fmt: skip


def test_a_denominator_of_zero_is_refused(make, source):
    indicator = make(unit="percentage")
    with refused("denominator", "zero"):
        services.value_record(indicator=indicator, period="2018/19 Q1", source=source,
                              numerator=0, denominator=0)  # fmt: skip


def test_a_duplicate_value_for_the_same_period_and_source_is_refused(make, source):
    indicator = make()
    services.value_record(indicator=indicator, period="2018/19 Q1", source=source, value=10)
    with refused("period", "QA1 already has a value for Q1 2018/19", "Early Help Service"):
        services.value_record(indicator=indicator, period="Q1 2018-19", source=source, value=11)
    with refused("period", "already has a value"):
        services.value_record(indicator=indicator, period="2018/19 Q1",
                              source="EARLY HELP SERVICE", value=11)  # fmt: skip
    # Another source for the same period, or the same source for another period, is fine.
    services.value_record(indicator=indicator, period="2018/19 Q1", source="Barnardo's", value=9)
    services.value_record(indicator=indicator, period="2018/19 Q2", source=source, value=12)
    assert indicator.values.count() == 3


def test_the_value_is_worked_out_from_the_numerator_and_denominator(make, source):
    percentage = make("P", unit="percentage")
    value = services.value_record(indicator=percentage, period="2018/19 Q1", source=source,
                                  numerator="402", denominator="6,702")  # fmt: skip
    assert value.value == D("5.998")  # 402 / 6702 = 5.9982...%
    assert (value.numerator, value.denominator) == (402, 6702)
    rate = make("R", unit="rate_per_1000")
    assert services.value_record(indicator=rate, period="2018/19 Q1", source=source,
                                 numerator=12, denominator=4000).value == D(3)  # fmt: skip
    score = make("S", unit="score")
    assert services.value_record(indicator=score, period="2018/19 Q1", source=source,
                                 numerator=15, denominator=2).value == D("7.5")  # fmt: skip
    # A value given with them is kept when it agrees, to rounding.
    agreeing = services.value_record(indicator=percentage, period="2018/19 Q2", source=source,
                                     value="6.0", numerator=402, denominator=6702)  # fmt: skip
    assert agreeing.value == D("6.0")


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({"numerator": 5}, "denominator", "Give both the numerator and the denominator"),
        ({"denominator": 5}, "numerator", "Give both the numerator and the denominator"),
        ({"value": 50, "numerator": 5}, "denominator", "Give both"),
        ({"numerator": 11, "denominator": 10}, "numerator", "larger than the denominator"),
        ({"value": "60", "numerator": 1, "denominator": 2}, "value", "which give 50.000"),
        ({"numerator": -1, "denominator": 10}, "numerator", "cannot be negative"),
        ({"numerator": 1, "denominator": -10}, "numerator", "cannot be negative"),
        ({"numerator": "some", "denominator": 10}, "numerator", "must be a number"),
        ({"value": "n/a"}, "value", "must be a number, not 'n/a'"),
        ({"value": "Infinity"}, "value", "must be a number"),
        ({"value": "1e12"}, "value", "too large"),
        ({}, "value", "Enter the value"),
        ({"value": "  "}, "value", "Enter the value"),
    ],
)
def test_inconsistent_or_missing_figures_are_refused(make, source, given, field, words):
    indicator = make(unit="percentage")
    with refused(field, words):
        services.value_record(indicator=indicator, period="2018/19 Q1", source=source, **given)


def test_negative_counts_and_rates_are_refused_but_a_negative_score_is_a_value(make, source):
    count = make("C")
    with refused("value", "cannot be negative"):
        services.value_record(indicator=count, period="2018/19 Q1", source=source, value=-1)
    rate = make("R", unit="rate_per_1000")
    with refused("value", "cannot be negative"):
        services.value_record(indicator=rate, period="2018/19 Q1", source=source, value="-0.1")
    score = make("S", unit="score")
    assert services.value_record(indicator=score, period="2018/19 Q1", source=source,
                                 value="-2.5").value == D("-2.5")  # fmt: skip


def test_a_date_extracted_in_the_future_is_refused_and_a_new_source_is_not_kept(make, today):
    indicator = make()
    with refused("extracted_on", "in the future"):
        services.value_record(indicator=indicator, period="2018/19 Q1",
                              source="A source never seen before", value=3,
                              extracted_on=today + dt.timedelta(days=1))  # fmt: skip
    assert not DataSource.objects.filter(name="A source never seen before").exists()
    services.value_record(indicator=indicator, period="2018/19 Q1", source="Today's source",
                          value=3, extracted_on=today)  # fmt: skip


def test_breakdowns_are_saved_with_the_value(make, source):
    value = services.value_record(
        indicator=make(), period="2018/19 Q1", source=source, value=20,
        breakdowns=[BreakdownInput("age_band", "Under 8", 3),
                    BreakdownInput("age_band", " 8  to 11 ", 17),
                    BreakdownInput("sex", "Female", figure="55%")],
    )  # fmt: skip
    cells = {(b.dimension, b.category): (b.count, b.figure) for b in value.breakdowns.all()}
    assert cells == {("age_band", "Under 8"): (3, None), ("age_band", "8 to 11"): (17, None),
                     ("sex", "Female"): (None, D(55))}  # fmt: skip


@pytest.mark.parametrize(
    ("breakdowns", "words"),
    [
        ([BreakdownInput("shoe_size", "9", 1)], "'shoe_size' is not a dimension"),
        ([BreakdownInput("sex", "  ", 1)], "needs its category"),
        ([BreakdownInput("sex", "Female", 1), BreakdownInput("sex", " female", 2)],
         "appears twice"),
        ([BreakdownInput("area", "North", 4), BreakdownInput("area", "South", -1)],
         "The count for South is negative"),
        ([BreakdownInput("area", "North", figure="many")], "must be a number"),
        ([BreakdownInput("area", "x" * 201, 1)], "at most 200 characters"),
    ],
)  # fmt: skip
def test_a_bad_breakdown_refuses_the_whole_value(make, source, breakdowns, words):
    indicator = make()
    with refused("breakdowns", words):
        services.value_record(indicator=indicator, period="2018/19 Q1", source=source, value=5,
                              breakdowns=breakdowns)  # fmt: skip


# --- approving, withdrawing, correcting ---------------------------------------------------------


@pytest.fixture
def draft(make, source, owner):
    return services.value_record(indicator=make(unit="percentage"), period="2018/19 Q1",
                                 source=source, value="40", by=owner)  # fmt: skip


def test_the_owner_approves_a_draft_once(draft, owner):
    approved = services.value_approve(value=draft, by=owner, expected_revision=1)
    approved.refresh_from_db()
    assert approved.status == "approved" and approved.approved_by == owner
    assert approved.approved_at is not None and approved.revision == 2
    with refused("status", "already approved"):
        services.value_approve(value=approved, by=owner)


def test_a_stale_approval_is_a_conflict_and_changes_nothing(draft, owner):
    seen_by_one = Value.objects.get(pk=draft.pk)
    seen_by_other = Value.objects.get(pk=draft.pk)
    services.value_approve(value=seen_by_one, by=owner)
    other = UserFactory()
    with pytest.raises(ConflictError, match="changed by someone else"):
        services.value_approve(value=seen_by_other, by=other)
    with pytest.raises(ConflictError):
        services.value_withdraw(value=Value.objects.get(pk=draft.pk), by=other,
                                reason="Wrong", expected_revision=1)  # fmt: skip
    stored = Value.objects.get(pk=draft.pk)
    assert (stored.status, stored.approved_by, stored.revision) == ("approved", owner, 2)


def test_withdrawing_takes_an_approved_value_back_to_draft_with_the_reason(draft, owner, today):
    with refused("status", "Only an approved value"):
        services.value_withdraw(value=draft, by=owner, reason="Wrong")
    services.value_approve(value=draft, by=owner)
    with refused("reason", "Say why"):
        services.value_withdraw(value=draft, by=owner, reason="  ")
    withdrawn = services.value_withdraw(value=draft, by=owner, reason=" Double counted ",
                                        expected_revision=2)  # fmt: skip
    withdrawn.refresh_from_db()
    assert withdrawn.status == "draft" and withdrawn.approved_by is None
    assert withdrawn.approved_at is None and withdrawn.revision == 3
    assert withdrawn.quality_note.endswith(f"Withdrawn {today:%d/%m/%Y}: Double counted")


def test_only_a_draft_is_corrected_and_a_stale_correction_is_a_conflict(draft, owner):
    services.value_approve(value=draft, by=owner)
    with refused("status", "withdraw its approval first"):
        services.value_correct(value=draft, by=owner, expected_revision=2, value_figure=41)
    services.value_withdraw(value=draft, by=owner, reason="Double counted")
    corrected = services.value_correct(
        value=draft,
        by=owner,
        expected_revision=3,
        numerator=41,
        denominator=100,
        note=" Recounted ",
    )
    corrected.refresh_from_db()  # fmt: skip
    assert (corrected.value, corrected.numerator, corrected.denominator) == (41, 41, 100)
    assert corrected.quality_note == "Recounted" and corrected.revision == 4
    with pytest.raises(ConflictError):
        services.value_correct(value=Value.objects.get(pk=draft.pk), by=owner,
                               expected_revision=3, value_figure=42)  # fmt: skip
    with refused("value", "0-100"):
        services.value_correct(value=corrected, by=owner, expected_revision=4, value_figure=142)
    stored = Value.objects.get(pk=draft.pk)
    assert (stored.value, stored.revision, stored.status) == (41, 4, "draft")
    # Every change is kept in the value's history, with who made it.
    other = UserFactory(username="checker")
    services.value_correct(value=stored, by=other, expected_revision=4, value_figure=40)
    history = list(stored.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~", "~", "~", "~"]
    assert [h.revision for h in history] == [1, 2, 3, 4, 5]
    assert [h.status for h in history] == ["draft", "approved", "draft", "draft", "draft"]
    assert [h.history_user for h in history] == [owner, owner, owner, owner, other]


# --- importing values ---------------------------------------------------------------------------

HEADER = ["Indicator code", "Period", "Value", "Numerator", "Denominator", "Source",
          "Date extracted", "Note"]  # fmt: skip


def csv_bytes(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Values"
    sheet.append(["Indicator values for the delivery group"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def two(make):
    """QA1 (quarterly count) and QA2 (annual percentage)."""
    return make("QA1"), make("QA2", unit="percentage", frequency="annual")


def test_a_csv_file_of_values_is_imported_as_drafts(strategy, two, owner):
    data = csv_bytes(
        ["QA1", "Q1 2018/19", "15", "", "", "Early Help Service", "30/06/2018", "First count"],
        ["qa2", "2018/19", "", "489", "6,815", "Lifestyle Survey", "", ""],
        ["QA1", "2018/19 Q2", "19", "", "", "", "", ""],
    )
    read = read_values(data, "values.csv")
    assert read.ok, read.problems
    result = services.values_import(strategy=strategy, read=read, by=owner)
    assert result.values == 3
    assert result.sources_added == ["Early Help Service", "Lifestyle Survey",
                                    services.OWN_RECORDS]  # fmt: skip
    assert result.summary.startswith("3 values imported as drafts; new sources: Early Help")
    qa1, qa2 = two
    first = qa1.values.get(period_key="2018/19 Q1")
    assert first.value == 15 and first.extracted_on == dt.date(2018, 6, 30)
    assert first.quality_note == "First count" and first.entered_by == owner
    assert qa2.values.get().value == D("7.175")  # 489 / 6815
    assert set(Value.objects.values_list("status", flat=True)) == {"draft"}


def test_an_excel_file_of_values_is_imported(strategy, two):
    data = xlsx_bytes(["QA1", "2018/19 Q3", 24, None, None, "Early Help Service",
                       dt.datetime(2019, 1, 15), None])  # fmt: skip
    result = services.values_import(strategy=strategy, read=read_values(data, "values.xlsx"))
    assert result.values == 1
    value = two[0].values.get()
    assert (value.period_key, value.value, value.extracted_on) == (
        "2018/19 Q3",
        24,
        dt.date(2019, 1, 15),
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_import_with_problems_saves_nothing_and_names_every_row(
    strategy, two, source, kind, today
):
    qa1, _ = two
    soon = today + dt.timedelta(days=3)
    services.value_record(indicator=qa1, period="2018/19 Q2", source=source, value=19)
    rows = (
        ["QA1", "2018/19 Q1", 15, None, None, "Early Help Service", None, None],  # fine
        ["QA9", "2018/19 Q1", 4, None, None, "Early Help Service", None, None],  # no such code
        ["QA1", "2018/19", 60, None, None, "Early Help Service", None, None],  # not a quarter
        ["QA1", "Q2 2018-19", 20, None, None, "early help service", None, None],  # held already
        ["QA2", "2018/19", 120, None, None, "A brand new source", None, None],  # over 100
        ["QA1", "2018/19 Q3", 7, None, None, "", f"{soon:%d/%m/%Y}", None],  # in the future
    )
    data = csv_bytes(*rows) if kind == "csv" else xlsx_bytes(*rows)
    read = read_values(data, f"values.{kind}")
    assert read.ok, read.problems
    first = read.header_row + 1
    before = counts()
    with pytest.raises(ImportRefused) as info:
        services.values_import(strategy=strategy, read=read)
    assert counts() == before  # not even the first row, nor the new source
    problems = {p.row - first: p for p in info.value.problems}
    assert sorted(problems) == [1, 2, 3, 4, 5]
    assert "There is no indicator QA9 in Carers Strategy" in problems[1].message
    assert "2018/19 is a financial year, but this indicator is quarterly" in problems[2].message
    held = "QA1 already has a value for Q2 2018/19 (July to September 2018) from Early Help"
    assert held in problems[3].message
    assert "must be 0-100, not 120" in problems[4].message
    assert problems[5].message == "The date extracted is in the future."
    assert all(p.severity == "error" for p in problems.values())
    # Each problem names its column, as the reader's own problems do.
    assert [problems[n].column for n in (1, 2, 3, 4, 5)] == ["A", "B", "B", "C", "G"]
    sheet = "Values" if kind == "xlsx" else "values.csv"
    assert problems[1].place == f"sheet '{sheet}', row {first + 1}, column A"


def test_a_file_the_reader_refuses_is_refused_before_anything_is_looked_up(strategy, two):
    data = csv_bytes(["QA2", "2018/19", "", "10", "0", "", "", ""],
                     ["QA1", "2018/19 Q1", "3", "", "", "", "", ""],
                     ["QA1", "Q1 2018/19", "4", "", "", "", "", ""])  # fmt: skip
    before = counts()
    with pytest.raises(ImportRefused) as info:
        services.values_import(strategy=strategy, read=read_values(data, "values.csv"))
    assert counts() == before
    messages = {p.row: p.message for p in info.value.problems}
    assert "denominator of zero" in messages[2]
    assert "already has a value for Q1 2018/19" in messages[4] and "row 3" in messages[4]


# --- the national benchmark ---------------------------------------------------------------------


def read_oflog(data: bytes | None = None):
    return read_benchmark(OFLOG.read_bytes() if data is None else data, OFLOG.name)


def test_the_real_benchmark_file_is_imported_and_a_reimport_updates_it(db):
    read = read_oflog()
    result = services.benchmark_import(read=read, filename=OFLOG.name)
    assert (result.added, result.updated) == (902, 0) == (len(read.rows), 0)
    assert result.measures == [QOL, "Outcome, Ease of finding information about support : carers"]
    assert result.summary == "902 benchmark values (902 new, 0 updated) for 2 measures."
    assert BenchmarkValue.objects.count() == 902
    rotherham = BenchmarkValue.objects.get(measure=QOL, year="2021/22", authority_code=ROTHERHAM)
    assert (rotherham.authority_name, rotherham.value) == ("Rotherham", D("7.5"))
    assert rotherham.region == "Yorkshire and The Humber"
    assert rotherham.authority_type == "Metropolitan Districts" and rotherham.source == OFLOG.name
    # The Isles of Scilly published no value: left out with a warning, not an error.
    assert not BenchmarkValue.objects.filter(authority_code="E06000053", year="2016/17",
                                             measure=QOL).exists()  # fmt: skip

    text = OFLOG.read_text(encoding="utf-8")
    line = ('2021-22,E08000018,Rotherham,LA_Raw,Metropolitan Districts,Yorkshire and The Humber,'
            '"Outcome, ASC Carer Quality of Life",7.5,')  # fmt: skip
    assert line in text
    changed = text.replace(line, line.replace(",7.5,", ",7.9,"))
    again = services.benchmark_import(read=read_oflog(changed.encode()), filename="revised.csv")
    assert (again.added, again.updated) == (0, 902)
    assert BenchmarkValue.objects.count() == 902
    rotherham.refresh_from_db()
    assert rotherham.value == D("7.9") and rotherham.source == "revised.csv"


def _oflog_with(*extra_lines: str, drop_header: bool = False) -> bytes:
    lines = OFLOG.read_text(encoding="utf-8").splitlines()[:6]
    if drop_header:
        lines[0] = lines[0].replace("Local authority code", "LA")
    return "\n".join([*lines, *extra_lines]).encode("utf-8")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_oflog_with('2016-17,X99999999,Nowhere,LA_Raw,Counties,North East,"Outcome, ASC '
                     'Carer Quality of Life",7.1,7.6,0,desc'), "unknown authority code"),
        (_oflog_with('2016-17,E08000099,Somewhere,LA_Raw,Counties,North East,"Outcome, ASC '
                     'Carer Quality of Life",seven,7.6,0,desc'), "is not a number"),
        (_oflog_with('20XX,E08000099,Somewhere,LA_Raw,Counties,North East,"Outcome, ASC '
                     'Carer Quality of Life",7,7.6,0,desc'), "financial year"),
        (_oflog_with(drop_header=True), "Local authority code"),
        (b"\x89PNG\r\n\x1a\n not a csv at all", ""),
        (b"", ""),
    ],
)  # fmt: skip
def test_a_malformed_benchmark_file_is_refused_with_nothing_saved(db, data, words):
    services.benchmark_import(read=read_oflog(), filename=OFLOG.name)
    before = counts()
    stored = dict(BenchmarkValue.objects.values_list("id", "value"))
    with pytest.raises(ImportRefused) as info:
        services.benchmark_import(read=read_oflog(data), filename="bad.csv")
    assert counts() == before
    assert dict(BenchmarkValue.objects.values_list("id", "value")) == stored
    assert info.value.problems and all(p.severity == "error" for p in info.value.problems)
    assert words in " ".join(p.message for p in info.value.problems)
    if words == "unknown authority code":
        assert info.value.problems[0].row == 7 and info.value.problems[0].column == "B"


# --- GP practices, registers, training and services ---------------------------------------------


def test_the_real_practice_file_gives_29_active_gp_practices(db):
    result = services.practices_import(read=read_practices(EPRACCUR.read_bytes(), EPRACCUR.name))
    assert (result.added, result.updated, result.active) == (92, 0, 29)
    assert result.summary == "92 practices (92 new, 0 updated); 29 active GP practices."
    assert Practice.objects.count() == 92 and active_practices().count() == 29
    dinnington = Practice.objects.get(code="C87002")
    assert dinnington.name == "DINNINGTON GROUP PRACTICE" and dinnington.postcode == "S25 4DB"
    assert dinnington.is_active_gp_practice and dinnington.opened == dt.date(1974, 4, 1)
    again = services.practices_import(read=read_practices(EPRACCUR.read_bytes(), EPRACCUR.name))
    assert (again.added, again.updated, again.active) == (0, 92, 29)
    assert Practice.objects.count() == 92


def test_a_malformed_practice_file_is_refused_with_nothing_saved(db):
    lines = EPRACCUR.read_text(encoding="utf-8").splitlines()
    bad = lines[:3] + [lines[3].replace('"C87', '"??', 1)]
    before = counts()
    with pytest.raises(ImportRefused) as info:
        services.practices_import(read=read_practices("\n".join(bad).encode(), "epraccur.csv"))
    assert counts() == before
    assert [p.row for p in info.value.problems if p.severity == "error"] == [4]


@pytest.fixture
def practice(db):
    return Practice.objects.create(code="C87002", name="Dinnington", status="A",
                                   prescribing_setting=4)  # fmt: skip


def test_a_register_report_is_recorded(practice, owner, today):
    register = services.register_record(
        practice=practice, size="120", reviewed_on=today - dt.timedelta(days=30), by=owner
    )
    assert register.size == 120 and register.recorded_on == today  # fmt: skip
    assert register.recorded_by == owner


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({"size": -1}, "size", "whole number"),
        ({"size": "12.5"}, "size", "whole number"),
        ({"size": "lots"}, "size", "must be a number"),
        ({"size": ""}, "size", "Enter the register size"),
        ({"size": 5, "reviewed_on": dt.date(2019, 5, 2), "recorded_on": dt.date(2019, 5, 1)},
         "reviewed_on", "after the day recorded"),
        ({"size": 5, "recorded_on": dt.date(2999, 1, 1)}, "recorded_on", "in the future"),
    ],
)  # fmt: skip
def test_bad_register_reports_are_refused(practice, given, field, words):
    with refused(field, words):
        services.register_record(practice=practice, **given)


def test_a_training_session_is_added(strategy):
    session = services.training_session_add(
        strategy=strategy,
        title=" Bite size ",
        date=dt.date(2018, 6, 1),
        provider="Barnardo's",
        places=20,
        attendance=17,
        feedback_score="4.5",
    )
    assert session.title == "Bite size" and session.feedback_score == D("4.5")  # fmt: skip
    # A session still to come has places but no attendance yet.
    services.training_session_add(strategy=strategy, title="Next", date=dt.date(2999, 1, 1),
                                  provider="Age UK", places=10)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": " "}, "title", "Enter the session's title"),
        ({"provider": ""}, "provider", "Enter who provides"),
        ({"places": 0}, "places", "at least one place"),
        ({"attendance": -1}, "attendance", "cannot be negative"),
        ({"attendance": 41}, "attendance", "far beyond the places"),
        ({"feedback_score": "5.5"}, "feedback_score", "out of 5"),
        ({"feedback_score": "good"}, "feedback_score", "must be a number"),
        ({"date": dt.date(2999, 1, 1), "attendance": 3}, "attendance", "in the future"),
        ({"date": None}, "date", "Enter the session's date"),
    ],
)
def test_bad_training_sessions_are_refused(strategy, changes, field, words):
    given = {"title": "Bite size", "date": dt.date(2018, 6, 1), "provider": "Barnardo's",
             "places": 20, "attendance": 17} | changes  # fmt: skip
    with refused(field, words):
        services.training_session_add(strategy=strategy, **given)


def test_a_commissioned_service_is_added_with_its_indicators_and_actions(strategy, make,
                                                                        make_action):  # fmt: skip
    indicator, action = make(), make_action()
    row = services.service_add(strategy=strategy, provider_name=" Barnardo's ",
                               service="Young carers' support", contract_start=dt.date(2017, 4, 1),
                               contract_end=dt.date(2020, 3, 31), annual_value="120,000",
                               indicators=[indicator], actions=[action])  # fmt: skip
    assert row.provider_name == "Barnardo's" and row.annual_value == 120000
    assert list(row.indicators.all()) == [indicator] and list(row.actions.all()) == [action]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"provider_name": " "}, "provider_name", "Enter the provider"),
        ({"service": ""}, "service", "Enter the service"),
        ({"contract_end": dt.date(2017, 3, 31)}, "contract_end",
         "The contract ends (31 March 2017) before it starts (1 April 2017)"),
        ({"annual_value": "-5"}, "annual_value", "cannot be negative"),
        ({"contract_start": None, "contract_end": dt.date(2018, 1, 1)}, "contract_start",
         "Enter the date the contract starts"),
        ({"annual_value": "a lot"}, "annual_value", "must be a number"),
    ],
)  # fmt: skip
def test_bad_services_are_refused(strategy, changes, field, words):
    given = {"provider_name": "Barnardo's", "service": "Young carers' support",
             "contract_start": dt.date(2017, 4, 1)} | changes  # fmt: skip
    with refused(field, words):
        services.service_add(strategy=strategy, **given)


# --- values worked out from the product's own records --------------------------------------------

# (code, status, prescribing setting, [(recorded_on, reviewed_on)]) for the quarter to 31/3/2019.
PRACTICES = [
    ("C00001", "A", 4, [(dt.date(2019, 1, 10), dt.date(2018, 4, 1))]),  # the day after: in
    ("C00002", "A", 4, [(dt.date(2019, 2, 1), dt.date(2018, 3, 31))]),  # 12 months: out
    ("C00003", "A", 4, [(dt.date(2018, 1, 1), dt.date(2017, 12, 1)),  # superseded by
                        (dt.date(2019, 3, 15), dt.date(2019, 3, 1))]),  # a later report: in
    ("C00004", "A", 4, [(dt.date(2018, 9, 1), dt.date(2018, 8, 1)),  # in, but superseded by
                        (dt.date(2019, 3, 31), dt.date(2017, 6, 1))]),  # a later report: out
    ("C00005", "A", 4, [(dt.date(2019, 4, 10), dt.date(2019, 4, 1))]),  # after the quarter
    ("C00006", "A", 4, []),  # no report
    ("C00007", "A", 4, [(dt.date(2019, 1, 5), None)]),  # never reviewed
    ("C00008", "C", 4, [(dt.date(2019, 1, 5), dt.date(2019, 1, 1))]),  # closed
    ("C00009", "A", 8, [(dt.date(2019, 1, 5), dt.date(2019, 1, 1))]),  # not a GP practice
    ("C00010", "A", 4, [(dt.date(2018, 12, 31), dt.date(2018, 12, 31))]),  # in
]  # fmt: skip


def expected_registers(end: dt.date) -> tuple[int, int]:
    """Worked out from PRACTICES alone: (reviewed in the 12 months to ``end``, active)."""
    active = reviewed = 0
    for _, status, setting, reports in PRACTICES:
        if (status, setting) != ("A", 4):
            continue
        active += 1
        known = sorted(r for r in reports if r[0] <= end)
        if known and known[-1][1] is not None and known[-1][1] > dt.date(end.year - 1, 3, 31):
            reviewed += 1
    return reviewed, active


def test_registers_reviewed_is_worked_out_from_the_latest_reports(make, owner):
    for code, status, setting, reports in PRACTICES:
        practice = Practice.objects.create(code=code, name=f"Practice {code}", status=status,
                                           prescribing_setting=setting)  # fmt: skip
        for recorded_on, reviewed_on in reports:
            services.register_record(practice=practice, size=100, reviewed_on=reviewed_on,
                                     recorded_on=recorded_on)  # fmt: skip
    indicator = make("QA7", unit="percentage", computed="registers_reviewed")
    reviewed, active = expected_registers(dt.date(2019, 3, 31))
    assert (reviewed, active) == (3, 8)
    value = services.computed_value_record(indicator=indicator, period="Q4 2018/19", by=owner)
    assert value.status == "draft" and value.source.name == services.OWN_RECORDS
    assert (value.numerator, value.denominator) == (reviewed, active)
    assert value.value == (D(reviewed) / D(active) * 100).quantize(D("0.001")) == D("37.500")
    assert f"{reviewed} of {active} active GP practices" in value.quality_note
    assert "31/03/2019" in value.quality_note
    # Worked out again for the same quarter, it is a duplicate like any other.
    with refused("period", "already has a value"):
        services.computed_value_record(indicator=indicator, period="2018/19 Q4")


def test_registers_reviewed_needs_active_practices(make):
    indicator = make("QA7", unit="percentage", computed="registers_reviewed")
    Practice.objects.create(code="C00008", name="Closed", status="C", prescribing_setting=4)
    with refused("period", "no records to work out QA7 for Q4 2018/19"):
        services.computed_value_record(indicator=indicator, period="2018/19 Q4")


def test_the_12_months_to_a_leap_day_start_on_the_first_of_march(make):
    practice = Practice.objects.create(code="C00001", name="P", status="A", prescribing_setting=4)
    other = Practice.objects.create(code="C00002", name="Q", status="A", prescribing_setting=4)
    services.register_record(practice=practice, size=1, reviewed_on=dt.date(2019, 3, 1),
                             recorded_on=dt.date(2020, 2, 1))  # fmt: skip
    services.register_record(practice=other, size=1, reviewed_on=dt.date(2019, 2, 28),
                             recorded_on=dt.date(2020, 2, 1))  # fmt: skip
    indicator = make("QA7", unit="percentage", frequency="monthly", computed="registers_reviewed")
    value = services.computed_value_record(indicator=indicator, period="February 2020")
    assert (value.numerator, value.denominator, value.value) == (1, 2, D(50))


# (date, places, attendance, feedback) of the strategy's sessions.
SESSIONS = [
    (dt.date(2018, 4, 1), 20, 15, "4.5"),
    (dt.date(2018, 10, 12), 10, 10, "3.9"),
    (dt.date(2019, 3, 31), 30, None, None),  # attendance not recorded
    (dt.date(2019, 4, 1), 10, 1, "1.0"),  # the next financial year
    (dt.date(2018, 3, 31), 10, 2, "2.0"),  # the year before
]


def test_training_figures_are_worked_out_for_the_financial_year(strategy, make):
    for n, (date, places, attendance, score) in enumerate(SESSIONS):
        services.training_session_add(strategy=strategy, title=f"Session {n}", date=date,
                                      provider="Barnardo's", places=places,
                                      attendance=attendance, feedback_score=score)  # fmt: skip
    services.training_session_add(strategy=StrategyFactory(), title="Elsewhere",
                                  date=dt.date(2018, 6, 1), provider="Other", places=50,
                                  attendance=1)  # fmt: skip
    year = [s for s in SESSIONS if dt.date(2018, 4, 1) <= s[0] <= dt.date(2019, 3, 31)]
    recorded = [s for s in year if s[2] is not None]
    attended, offered = sum(s[2] for s in recorded), sum(s[1] for s in recorded)
    assert (attended, offered) == (25, 30)

    attendance = make("QA8", unit="percentage", frequency="annual",
                      computed="training_attendance")  # fmt: skip
    value = services.computed_value_record(indicator=attendance, period="2018/19")
    assert (value.numerator, value.denominator) == (attended, offered)
    assert value.value == (D(attended) / D(offered) * 100).quantize(D("0.001"))

    held = make("T1", frequency="annual", computed="training_sessions")
    assert services.computed_value_record(indicator=held, period="2018/19").value == len(year)
    places = make("T2", frequency="annual", computed="training_places")
    assert services.computed_value_record(indicator=places, period="2018/19").value == sum(
        s[1] for s in year
    )
    feedback = make("T3", unit="score", frequency="annual", decimals=2,
                    computed="training_feedback")  # fmt: skip
    scores = [D(s[3]) for s in year if s[3] is not None]
    assert services.computed_value_record(indicator=feedback, period="2018/19").value == (
        sum(scores) / len(scores)
    ).quantize(D("0.01"))

    with refused("period", "no records to work out QA8 for 2016/17"):
        services.computed_value_record(indicator=attendance, period="2016/17")
