"""The demo's Quality Assurance Framework: the indicators the seeds imply, with illustrative
values (labelled so), the real national benchmark for the two carer-survey measures, the real
list of Rotherham GP practices with illustrative register reports, the 'bite size' training
sessions and the commissioned services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.accounts.models import Organisation, User
from caring.indicators import services
from caring.indicators.benchmark_reader import read_benchmark
from caring.indicators.choices import Computed
from caring.indicators.models import (
    BenchmarkValue,
    CarersRegister,
    CommissionedService,
    Indicator,
    Practice,
    TrainingSession,
)
from caring.indicators.practices_reader import read_practices
from caring.indicators.services import BreakdownInput
from caring.plans.models import Strategy

DATA = Path(__file__).with_name("data")
BENCHMARK_FILE = DATA / "oflog_asc_carer_measures_all_LAs.csv"
PRACTICES_FILE = DATA / "epraccur_rotherham_03L.csv"
ROTHERHAM = "E08000018"
QUALITY_OF_LIFE = "Outcome, ASC Carer Quality of Life"
EASE_OF_INFORMATION = "Outcome, Ease of finding information about support : carers"

SOURCES = {
    "early_help": ("Early Help Service", "The council's early help case records."),
    "barnardos": (
        "Barnardo's young carers service",
        "Monitoring returns of the commissioned young carers service.",
    ),  # fmt: skip
    "lifestyle": ("Lifestyle Survey", "The pupil Lifestyle Survey's young carer questions."),
    "asc": ("Adult social care system", "Carers recorded on the council's social care system."),
    "sace": ("Survey of Adult Carers in England", "NHS England's survey, every two years."),
    "gp": ("GP carers' registers", "Practices' reports of their carers' registers."),
    "own": (services.OWN_RECORDS, "Worked out by Caring Together from its own records."),
}
QUARTERS = ["2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4", "2019/20 Q1", "2019/20 Q2"]

# code, title, unit, frequency, polarity, actions, source, baseline (value, period),
# targets {period: value}, values [(period, value, numerator, denominator)], definition
INDICATORS = [
    (
        "QA1",
        "Young carers identified by the Early Help Service",
        "count",
        "quarterly",
        "higher",
        ["YC7"],
        "early_help",
        (12, "2017/18 Q4"),
        {"2018/19 Q1": 20, "2019/20 Q1": 35},
        [(q, v, None, None) for q, v in zip(QUARTERS, [15, 19, 24, 27, 31, 33], strict=True)],
        "Children and young people recorded as young carers at an early help assessment in the "
        "quarter.",
    ),
    (
        "QA2",
        "Pupils who say they are young carers in the Lifestyle Survey",
        "percentage",
        "annual",
        "higher",
        ["YC8"],
        "lifestyle",
        (6.0, "2017/18"),
        {"2018/19": 8.0},
        [("2017/18", None, 402, 6702), ("2018/19", None, 489, 6815)],
        "Year 7 and year 10 pupils answering yes to the young carer question, as a percentage of "
        "pupils answering it.",
    ),
    (
        "QA3",
        "Carers known to adult social care",
        "count",
        "quarterly",
        "higher",
        ["UC1"],
        "asc",
        (1850, "2017/18 Q4"),
        {"2018/19 Q1": 2000, "2019/20 Q1": 2400},
        [
            (q, v, None, None)
            for q, v in zip(QUARTERS, [1902, 1977, 2065, 2130, 2204, 2251], strict=True)
        ],
        "Carers with an open record on the adult social care system at the end of the quarter.",
    ),
    (
        "QA4",
        "Carers' assessments completed",
        "count",
        "quarterly",
        "higher",
        ["CS1"],
        "asc",
        (140, "2017/18 Q4"),
        {"2018/19 Q1": 160},
        [(q, v, None, None) for q, v in zip(QUARTERS, [131, 150, 158, 171, 149, 166], strict=True)],
        "Carers' assessments and reviews completed in the quarter.",
    ),
]
# Sessions of the 'bite size' training offer: (title, days ago, provider, places, attendance, score)
TRAINING = [
    ("Bite size: recognising young carers", 400, "Barnardo's", 20, 17, "4.5"),
    ("Bite size: carers' assessments", 330, "Adult Social Care", 15, 9, "4.1"),
    ("Bite size: hospital discharge and carers", 250, "The Rotherham NHS Foundation Trust", 25,
     21, "4.4"),
    ("Bite size: recognising young carers", 160, "Barnardo's", 20, 19, "4.7"),
    ("Bite size: carers and benefits", 70, "Age UK Rotherham", 12, 7, "3.9"),
]  # fmt: skip


# The training offer's availability and effectiveness, worked out from the sessions:
# (code, title, unit, computed from, target, definition)
TRAINING_INDICATORS = [
    ("QA8", "Attendance at 'bite size' training sessions", "percentage",
     Computed.TRAINING_ATTENDANCE, 80,
     "Places taken up at the training offer's sessions in the financial year, as a percentage "
     "of the places offered at sessions whose attendance is recorded."),
    ("QA9", "Places offered on the 'bite size' training", "count", Computed.TRAINING_PLACES, 60,
     "Places offered at the training offer's sessions in the financial year."),
    ("QA10", "Feedback on the 'bite size' training (out of 5)", "score",
     Computed.TRAINING_FEEDBACK, 4,
     "The average of the sessions' feedback scores in the financial year, out of 5."),
]  # fmt: skip


def _file(path: Path) -> bytes:
    return path.read_bytes()


@transaction.atomic
def indicators_demo_load(*, strategy: Strategy, lead: User, data_officer: User) -> bool:
    """Load the demo's indicators for ``strategy``; False if it already has some."""
    if Indicator.objects.filter(strategy=strategy).exists():
        return False
    if not strategy.authority_code:
        strategy.authority_code = ROTHERHAM
        strategy.save(update_fields=["authority_code"])
    if not BenchmarkValue.objects.filter(authority_code=ROTHERHAM).exists():
        services.benchmark_import(read=read_benchmark(_file(BENCHMARK_FILE), BENCHMARK_FILE.name),
                                  filename=BENCHMARK_FILE.name)  # fmt: skip
    if not Practice.objects.exists():
        services.practices_import(read=read_practices(_file(PRACTICES_FILE), PRACTICES_FILE.name))
    sources = {key: services.source_named(name)[0] for key, (name, _) in SOURCES.items()}
    for key, (_, description) in SOURCES.items():
        if not sources[key].description:
            sources[key].description = description
            sources[key].save(update_fields=["description"])
    actions = {a.ref: a for a in strategy.versions.get(is_current=True).actions.all()}

    for (code, title, unit, frequency, polarity, refs, source, baseline, targets, values,
         definition) in INDICATORS:  # fmt: skip
        indicator = services.indicator_create(
            strategy=strategy, code=code, title=title, unit=unit, frequency=frequency,
            polarity=polarity, definition=definition, owner=data_officer,
            owner_role=data_officer.job_title, actions=[actions[r] for r in refs if r in actions],
            sources=[sources[source]], baseline_value=baseline[0], baseline_period=baseline[1],
            baseline_source=sources[source], decimals=1 if unit == "percentage" else 0,
            is_illustrative=True,
        )  # fmt: skip
        for period, target in targets.items():
            services.target_set(indicator=indicator, period=period, value=target)
        for number, (period, value, top, bottom) in enumerate(values):
            recorded = services.value_record(
                indicator=indicator, period=period, source=sources[source], value=value,
                numerator=top, denominator=bottom, by=data_officer, is_illustrative=True,
                note="Illustrative figure for the demo.",
                breakdowns=_age_bands(value) if code == "QA1" else (),
            )  # fmt: skip
            if number < len(values) - 1:  # the latest stays a draft, awaiting approval
                services.value_approve(value=recorded, by=data_officer)

    _survey_indicators(strategy, sources["sace"], data_officer)
    _registers(strategy, sources, data_officer)
    _training(strategy, sources, data_officer)
    _services(strategy, actions)
    return True


def _age_bands(total) -> list[BreakdownInput]:
    """An illustrative split of young carers by age band, with small numbers to suppress."""
    if total is None:
        return []
    small = max(1, total // 8)
    bands = [("Under 8", small), ("8 to 11", total // 3), ("12 to 15", 0), ("16 to 17", 0)]
    bands[2] = ("12 to 15", total - small - total // 3 - 3 if total > 8 else 0)
    bands[3] = ("16 to 17", total - sum(b[1] for b in bands[:3]))
    return [BreakdownInput("age_band", name, count) for name, count in bands]


def _survey_indicators(strategy, source, owner) -> None:
    """The two Survey of Adult Carers measures: Rotherham's real published values."""
    for code, title, unit, measure, decimals in (
        ("QA5", "Carer-reported quality of life (score out of 12, ASCOF 1D)", "score",
         QUALITY_OF_LIFE, 1),
        ("QA6", "Carers who find it easy to find information about support (%)", "percentage",
         EASE_OF_INFORMATION, 1),
    ):  # fmt: skip
        rows = BenchmarkValue.objects.filter(measure=measure, authority_code=ROTHERHAM)
        rows = sorted(rows, key=lambda r: r.year)
        if not rows:
            continue
        first = rows[0]
        indicator = services.indicator_create(
            strategy=strategy, code=code, title=title, unit=unit, frequency="biennial",
            polarity="higher", owner=owner, owner_role=owner.job_title, sources=[source],
            definition=f"The Survey of Adult Carers in England measure '{measure}', as "
            "published for every council (the benchmark shows Rotherham among them).",
            baseline_value=first.value, baseline_period=first.year, baseline_source=source,
            benchmark_measure=measure, decimals=decimals, is_illustrative=False,
        )  # fmt: skip
        services.target_set(indicator=indicator, period=rows[-1].year,
                            value=_median(measure, rows[-1].year))  # fmt: skip
        for row in rows:
            value = services.value_record(
                indicator=indicator, period=row.year, source=source, value=row.value, by=owner,
                note="Published national statistics (Oflog); real, not illustrative.",
            )  # fmt: skip
            services.value_approve(value=value, by=owner)


def _median(measure: str, year: str) -> Decimal:
    from caring.indicators.benchmarking import median

    return median(BenchmarkValue.objects.filter(measure=measure, year=year)
                  .values_list("value", flat=True))  # fmt: skip


def _registers(strategy, sources, owner) -> None:
    today = timezone.localdate()
    practices = list(Practice.objects.filter(status="A", prescribing_setting=4).order_by("code"))
    for n, practice in enumerate(practices):
        if n % 4 == 3:
            continue  # a quarter of practices have not reported yet
        reviewed = today - dt.timedelta(days=40 + 47 * (n % 9))  # some beyond 12 months
        services.register_record(practice=practice, size=80 + (n * 37) % 260,
                                 reviewed_on=reviewed, recorded_on=today, by=owner,
                                 is_illustrative=True)  # fmt: skip
    indicator = services.indicator_create(
        strategy=strategy, code="QA7", title="GP practices whose carers' register was reviewed "
        "in the last 12 months", unit="percentage", frequency="quarterly", polarity="higher",
        owner=owner, owner_role=owner.job_title, sources=[sources["gp"]],
        computed=Computed.REGISTERS_REVIEWED, decimals=0, baseline_value=35,
        baseline_period="2017/18 Q4", baseline_source=sources["gp"], is_illustrative=True,
        definition="Active GP practices (NHS ODS: status A, prescribing setting 4) whose "
        "latest report says their carers' register was reviewed in the 12 months to the end "
        "of the quarter, as a percentage of active GP practices.",
    )  # fmt: skip
    services.target_set(indicator=indicator, period=_this_quarter(today), value=75)
    value = services.computed_value_record(indicator=indicator, period=_this_quarter(today),
                                           by=owner, is_illustrative=True)  # fmt: skip
    services.value_approve(value=value, by=owner)


def _this_quarter(today: dt.date) -> str:
    from caring.indicators.periods import period_containing

    return period_containing(today, "quarterly").key


def _training(strategy, sources, owner) -> None:
    today = timezone.localdate()
    for title, ago, provider, places, attendance, score in TRAINING:
        services.training_session_add(
            strategy=strategy, title=title, date=today - dt.timedelta(days=ago),
            provider=provider, places=places, attendance=attendance, feedback_score=score,
            is_illustrative=True,
        )  # fmt: skip
    from caring.indicators.periods import period_containing

    year = period_containing(today - dt.timedelta(days=365), "annual").key
    for code, title, unit, computed, target, definition in TRAINING_INDICATORS:
        indicator = services.indicator_create(
            strategy=strategy, code=code, title=title, unit=unit, frequency="annual",
            polarity="higher", owner=owner, owner_role=owner.job_title, sources=[sources["own"]],
            computed=computed, decimals=1 if unit == "score" else 0, is_illustrative=True,
            definition=definition,
        )  # fmt: skip
        services.target_set(indicator=indicator, period=year, value=target)
        try:
            value = services.computed_value_record(indicator=indicator, period=year, by=owner,
                                                   is_illustrative=True)  # fmt: skip
            services.value_approve(value=value, by=owner)
        except ValidationError:  # no sessions that year: the indicator waits for its data
            pass


def _services(strategy, actions) -> None:
    barnardos = Organisation.objects.filter(name__icontains="Barnardo").first()
    crossroads = Organisation.objects.filter(name__icontains="Crossroads").first()
    young = Indicator.objects.filter(strategy=strategy, code__in=["QA1", "QA2"])
    services.service_add(
        strategy=strategy, provider=barnardos, provider_name="Barnardo's",
        service="Young carers' support service", contract_start=dt.date(2017, 4, 1),
        contract_end=dt.date(2020, 3, 31), annual_value="120000", indicators=young,
        actions=[actions[r] for r in ("YC7", "YC8") if r in actions], is_illustrative=True,
    )  # fmt: skip
    services.service_add(
        strategy=strategy, provider=crossroads, provider_name="Crossroads Care Rotherham",
        service="Carers' breaks and sitting service", contract_start=dt.date(2018, 4, 1),
        annual_value="85000", is_illustrative=True,
        indicators=Indicator.objects.filter(strategy=strategy, code="QA4"),
    )  # fmt: skip


def indicators_delete(strategy: Strategy) -> None:
    """For ``caring demo --reset``: the strategy's indicators, sessions and services (the
    benchmark and the practices are national or shared, so they stay)."""
    CommissionedService.objects.filter(strategy=strategy).delete()
    TrainingSession.objects.filter(strategy=strategy).delete()
    Indicator.objects.filter(strategy=strategy).delete()
    CarersRegister.objects.filter(is_illustrative=True).delete()
