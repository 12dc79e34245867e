"""Every write to indicators, values, benchmarks, practices, training and services.

Each refuses with a ValidationError naming the field and saves nothing; imports are all or
nothing, with every problem by row. A value is recorded as a draft and is published (on pages,
in the report pack and the JSON) only once the indicator's owner has approved it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.indicators.choices import Computed, Dimension, Frequency, Polarity, Unit, ValueStatus
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
from caring.indicators.periods import Period, PeriodError, parse_period
from caring.plans.models import Action, Strategy
from caring.plans.rag import format_date
from caring.plans.services import ConflictError
from caring.plans.services.base import fits
from caring.workbooks.records import Problem

SCALE = {Unit.PERCENTAGE: Decimal(100), Unit.RATE: Decimal(1000)}
OWN_RECORDS = "Caring Together records"


def number(value: object, *, field: str, label: str, required: bool = False) -> Decimal | None:
    """A figure from a form, a file or code: '12', '12.5', '1,234', '45%'; refuse the rest."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: f"Enter the {label}."})
        return None
    if isinstance(value, Decimal):
        figure = value
    else:
        text = str(value).strip().replace(",", "").removesuffix("%").strip()
        try:
            figure = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                {field: f"The {label} must be a number, not {value!r}."}
            ) from None
    if not figure.is_finite():
        raise ValidationError({field: f"The {label} must be a number, not {value!r}."})
    if abs(figure) >= Decimal(10) ** 11:
        raise ValidationError({field: f"The {label} is too large."})
    return figure


def _period(indicator_frequency: str, text: object, field: str = "period") -> Period:
    try:
        return parse_period(text, indicator_frequency)
    except PeriodError as error:
        raise ValidationError({field: str(error)}) from None


def source_named(name: str) -> tuple[DataSource, bool]:
    """The data source called ``name`` (any case), made if new; True when made."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"source": "Name the data source, e.g. 'Early Help Service'."})
    found = DataSource.objects.filter(name__iexact=name).first()
    if found:
        return found, False
    source = DataSource(name=name)
    fits(source)
    source.save()
    return source, True


# --- indicators --------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(
    *,
    strategy: Strategy,
    code: str,
    title: str,
    unit: str,
    frequency: str,
    polarity: str = Polarity.HIGHER,
    definition: str = "",
    decimals: int = 0,
    owner=None,
    owner_role: str = "",
    actions: Iterable[Action] = (),
    outcomes: Iterable = (),
    sources: Iterable[DataSource] = (),
    baseline_value: object = None,
    baseline_period: str = "",
    baseline_source: DataSource | None = None,
    amber_tolerance: object = 10,
    benchmark_measure: str = "",
    computed: str = "",
    is_illustrative: bool = False,
) -> Indicator:
    code, title = (code or "").strip(), (title or "").strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = "Enter the indicator's code, e.g. QA3."
    elif Indicator.objects.filter(strategy=strategy, code__iexact=code).exists():
        errors["code"] = f"The strategy already has an indicator {code}."
    if not title:
        errors["title"] = "Enter what the indicator measures."
    for name, value, choices in (
        ("unit", unit, Unit),
        ("frequency", frequency, Frequency),
        ("polarity", polarity, Polarity),
        ("computed", computed, Computed),
    ):
        if value not in choices.values:
            errors[name] = f"{value!r} is not a {name}: choose one of {', '.join(choices.values)}."
    if errors:
        raise ValidationError(errors)
    baseline = number(baseline_value, field="baseline_value", label="baseline")
    tolerance = number(amber_tolerance, field="amber_tolerance", label="amber tolerance")
    if tolerance is None or not 0 <= tolerance <= 100:
        raise ValidationError({"amber_tolerance": "The amber tolerance is a percentage, 0-100."})
    label = ""
    if baseline_period:
        label = _period(frequency, baseline_period, "baseline_period").key
    if baseline is not None:
        _check_figure(baseline, unit, "baseline_value", "baseline")
    actions = list(actions)
    strange = [a.ref for a in actions if a.version.strategy_id != strategy.pk]
    if strange:
        raise ValidationError({"actions": f"{', '.join(strange)} belong to another strategy."})
    indicator = Indicator(
        strategy=strategy, code=code, title=title, definition=definition.strip(), unit=unit,
        frequency=frequency, polarity=polarity, decimals=decimals, owner=owner,
        owner_role=owner_role.strip(), baseline_value=baseline, baseline_period=label,
        baseline_source=baseline_source, amber_tolerance=tolerance,
        benchmark_measure=benchmark_measure.strip(), computed=computed,
        is_illustrative=is_illustrative,
    )  # fmt: skip
    fits(indicator)
    indicator.save()
    indicator.actions.set(actions)
    indicator.outcomes.set(list(outcomes))
    indicator.sources.set(list(sources))
    return indicator


def _check_figure(value: Decimal, unit: str, field: str, label: str) -> None:
    if unit == Unit.PERCENTAGE and not 0 <= value <= 100:
        raise ValidationError(
            {field: f"The {label} is a percentage: it must be 0-100, not {value}."}
        )
    if unit in (Unit.COUNT, Unit.RATE) and value < 0:
        raise ValidationError({field: f"The {label} cannot be negative."})


@transaction.atomic
def target_set(*, indicator: Indicator, period: object, value: object) -> Target:
    found = _period(indicator.frequency, period)
    figure = number(value, field="value", label="target", required=True)
    _check_figure(figure, indicator.unit, "value", "target")
    target, _ = Target.objects.update_or_create(
        indicator=indicator, period_key=found.key,
        defaults={"value": figure, "period_start": found.start},
    )  # fmt: skip
    return target


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownInput:
    dimension: str
    category: str
    count: int | None = None
    figure: object = None


def _worked_out(indicator: Indicator, value, numerator, denominator) -> Decimal:
    """The value, from numerator and denominator where given, checked against them."""
    top = number(numerator, field="numerator", label="numerator")
    bottom = number(denominator, field="denominator", label="denominator")
    figure = number(value, field="value", label="value")
    if (top is None) != (bottom is None):
        field = "denominator" if bottom is None else "numerator"
        raise ValidationError({field: "Give both the numerator and the denominator, or neither."})
    if bottom is not None:
        if bottom == 0:
            raise ValidationError({"denominator": "The denominator is zero: a rate of nothing."})
        if top < 0 or bottom < 0:
            raise ValidationError({"numerator": "Numerator and denominator cannot be negative."})
        if indicator.unit == Unit.PERCENTAGE and top > bottom:
            raise ValidationError(
                {"numerator": f"The numerator ({top}) is larger than the denominator ({bottom})."}
            )
        derived = top / bottom * SCALE.get(indicator.unit, Decimal(1))
        derived = derived.quantize(Decimal("0.001"))
        if figure is None:
            figure = derived
        elif abs(figure - derived) > Decimal("0.05") * max(Decimal(1), abs(derived) / 100):
            raise ValidationError(
                {"value": f"The value {figure} does not match the numerator and denominator, "
                          f"which give {derived}."}
            )  # fmt: skip
    if figure is None:
        raise ValidationError({"value": "Enter the value (or the numerator and denominator)."})
    _check_figure(figure, indicator.unit, "value", "value")
    return figure


@transaction.atomic
def value_record(
    *,
    indicator: Indicator,
    period: object,
    source: DataSource | str,
    value: object = None,
    numerator: object = None,
    denominator: object = None,
    extracted_on: dt.date | None = None,
    note: str = "",
    breakdowns: Iterable[BreakdownInput] = (),
    by=None,
    is_illustrative: bool = False,
) -> Value:
    """Record a draft value; the owner approves it before it is published."""
    found = _period(indicator.frequency, period)
    figure = _worked_out(indicator, value, numerator, denominator)
    if isinstance(source, str):
        source, _ = source_named(source)
    if extracted_on and extracted_on > timezone.localdate():
        raise ValidationError({"extracted_on": "The date extracted is in the future."})
    existing = Value.objects.filter(indicator=indicator, period_key=found.key, source=source)
    if existing.exists():
        raise ValidationError(
            {"period": f"{indicator.code} already has a value for {found.label} from "
                       f"{source.name}: correct that one rather than adding another."}
        )  # fmt: skip
    row = Value(
        indicator=indicator, period_key=found.key, period_start=found.start, period_end=found.end,
        value=figure, numerator=number(numerator, field="numerator", label="numerator"),
        denominator=number(denominator, field="denominator", label="denominator"),
        source=source, extracted_on=extracted_on, quality_note=(note or "").strip(),
        entered_by=by, is_illustrative=is_illustrative,
    )  # fmt: skip
    fits(row)
    row._history_user = by  # who entered it, in the value's history
    row.save()
    _breakdowns(row, breakdowns)
    return row


def _breakdowns(row: Value, breakdowns: Iterable[BreakdownInput]) -> None:
    seen = set()
    for b in breakdowns:
        if b.dimension not in Dimension.values:
            raise ValidationError({"breakdowns": f"{b.dimension!r} is not a dimension."})
        category = " ".join((b.category or "").split())
        if not category:
            raise ValidationError({"breakdowns": "Every breakdown needs its category."})
        if (b.dimension, category.casefold()) in seen:
            raise ValidationError({"breakdowns": f"{category} appears twice in the breakdown."})
        seen.add((b.dimension, category.casefold()))
        if b.count is not None and b.count < 0:
            raise ValidationError({"breakdowns": f"The count for {category} is negative."})
        cell = Breakdown(value=row, dimension=b.dimension, category=category, count=b.count,
                         figure=number(b.figure, field="breakdowns", label="figure"))  # fmt: skip
        try:
            fits(cell)
        except ValidationError as error:  # named by the field the caller gave: breakdowns
            raise ValidationError({"breakdowns": error.messages}) from None
        cell.save()


def _claim(value: Value, expected: int | None) -> None:
    if expected is None:
        expected = value.revision
    claimed = Value.objects.filter(pk=value.pk, revision=expected).update(revision=expected + 1)
    if not claimed:
        raise ConflictError(
            f"The value of {value.indicator.code} for {value.period_key} was changed by someone "
            "else while you were looking at it. Nothing was saved: reload the page and try again."
        )
    value.revision = expected + 1


@transaction.atomic
def value_approve(*, value: Value, by, expected_revision: int | None = None) -> Value:
    if value.status == ValueStatus.APPROVED:
        raise ValidationError({"status": "This value is already approved."})
    _claim(value, expected_revision)
    value.status, value.approved_by, value.approved_at = ValueStatus.APPROVED, by, timezone.now()
    value._history_user = by
    value.save()
    return value


@transaction.atomic
def value_withdraw(*, value: Value, by, reason: str, expected_revision: int | None = None):
    """Take an approved value back to draft (a correction is coming), with the reason."""
    if value.status != ValueStatus.APPROVED:
        raise ValidationError({"status": "Only an approved value can be withdrawn."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the value is withdrawn."})
    _claim(value, expected_revision)
    value.status, value.approved_by, value.approved_at = ValueStatus.DRAFT, None, None
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    value.quality_note = (value.quality_note + f"\n\nWithdrawn {stamp}: {reason.strip()}").strip()
    value._history_user = by
    value.save()
    return value


@transaction.atomic
def value_correct(
    *, value: Value, by, expected_revision: int | None, value_figure: object = None,
    numerator: object = None, denominator: object = None, note: str | None = None,
) -> Value:  # fmt: skip
    """Correct a draft value (an approved one must be withdrawn first)."""
    if value.status == ValueStatus.APPROVED:
        raise ValidationError(
            {"status": "An approved value cannot be changed: withdraw its approval first."}
        )
    figure = _worked_out(value.indicator, value_figure, numerator, denominator)
    _claim(value, expected_revision)
    value.value = figure
    value.numerator = number(numerator, field="numerator", label="numerator")
    value.denominator = number(denominator, field="denominator", label="denominator")
    if note is not None:
        value.quality_note = note.strip()
    value._history_user = by
    value.save()
    return value


# --- imports: all or nothing, problems by row ----------------------------------------------------


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class ValuesImported:
    values: int
    sources_added: list[str]

    @property
    def summary(self) -> str:
        added = f"; new sources: {', '.join(self.sources_added)}" if self.sources_added else ""
        return f"{self.values} value{'s' if self.values != 1 else ''} imported as drafts{added}."


FIELD_OF = {"period": "period_text", "value": "value", "numerator": "numerator",
            "denominator": "denominator", "source": "source",
            "extracted_on": "extracted"}  # fmt: skip


def values_import(*, strategy: Strategy, read, by=None, sheet: str = "") -> ValuesImported:
    """Every row of ``read`` (caring.indicators.values_reader) as a draft value, or none."""
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise ImportRefused(errors)
    indicators = {i.code.casefold(): i for i in Indicator.objects.filter(strategy=strategy)}
    problems: list[Problem] = []
    added: list[str] = []
    try:
        with transaction.atomic():
            for row in read.rows:
                indicator = indicators.get(row.code.casefold())
                if indicator is None:
                    problems.append(_problem(read, row, "code", f"There is no indicator "
                                             f"{row.code} in {strategy.title}."))  # fmt: skip
                    continue
                try:
                    source, made = source_named(row.source or OWN_RECORDS)
                    if made:
                        added.append(source.name)
                    with transaction.atomic():
                        value_record(
                            indicator=indicator, period=row.period_text, source=source,
                            value=row.value, numerator=row.numerator,
                            denominator=row.denominator, extracted_on=row.extracted,
                            note=row.note, by=by,
                        )  # fmt: skip
                except ValidationError as error:
                    for field, messages in error.message_dict.items():
                        problems.append(_problem(read, row, FIELD_OF.get(field, field),
                                                 messages[0]))  # fmt: skip
            if problems:
                raise ImportRefused(problems)
    except ImportRefused:
        raise
    return ValuesImported(len(read.rows), added)


def _problem(read, row, field: str, message: str) -> Problem:
    column = (getattr(read, "columns", {}) or {}).get(field)
    letter = column if isinstance(column, str) else None
    return Problem(
        message=message, row=row.row, column=letter, field=field, severity="error",
        sheet=getattr(read, "sheet", "") or "",
    )  # fmt: skip


@dataclass(frozen=True)
class BenchmarkImported:
    added: int
    updated: int
    measures: list[str]

    @property
    def summary(self) -> str:
        return (f"{self.added + self.updated} benchmark values ({self.added} new, {self.updated} "
                f"updated) for {len(self.measures)} measures.")  # fmt: skip


@transaction.atomic
def benchmark_import(*, read, filename: str) -> BenchmarkImported:
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise ImportRefused(errors)
    existing = {
        (b.measure, b.year, b.authority_code): b
        for b in BenchmarkValue.objects.filter(measure__in={r.measure for r in read.rows})
    }
    new, changed = [], []
    for r in read.rows:
        fields = {"authority_name": r.name, "authority_type": r.authority_type,
                  "region": r.region, "value": r.value, "source": filename[:200]}  # fmt: skip
        found = existing.get((r.measure, r.year, r.code))
        if found is None:
            new.append(BenchmarkValue(measure=r.measure, year=r.year, authority_code=r.code,
                                      **fields))  # fmt: skip
        else:
            for name, value in fields.items():
                setattr(found, name, value)
            found.imported_at = timezone.now()
            changed.append(found)
    BenchmarkValue.objects.bulk_create(new, batch_size=500)
    BenchmarkValue.objects.bulk_update(
        changed, ["authority_name", "authority_type", "region", "value", "source", "imported_at"],
        batch_size=500,
    )  # fmt: skip
    return BenchmarkImported(len(new), len(changed), sorted({r.measure for r in read.rows}))


@dataclass(frozen=True)
class PracticesImported:
    added: int
    updated: int
    active: int

    @property
    def summary(self) -> str:
        return (f"{self.added + self.updated} practices ({self.added} new, {self.updated} "
                f"updated); {self.active} active GP practices.")  # fmt: skip


@transaction.atomic
def practices_import(*, read) -> PracticesImported:
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise ImportRefused(errors)
    existing = {p.code: p for p in Practice.objects.filter(code__in=[r.code for r in read.rows])}
    added = updated = 0
    for r in read.rows:
        practice = existing.get(r.code) or Practice(code=r.code)
        added, updated = (added + 1, updated) if practice.pk is None else (added, updated + 1)
        practice.name, practice.postcode, practice.status = r.name, r.postcode, r.status
        practice.prescribing_setting, practice.commissioner = r.prescribing_setting, r.commissioner
        practice.opened, practice.closed = r.opened, r.closed
        practice.imported_at = timezone.now()
        fits(practice)
        practice.save()
    active = sum(1 for r in read.rows if r.is_active_gp_practice)
    return PracticesImported(added, updated, active)


# --- registers, training, services ---------------------------------------------------------------


@transaction.atomic
def register_record(
    *, practice: Practice, size: object, reviewed_on: dt.date | None = None,
    recorded_on: dt.date | None = None, by=None, is_illustrative: bool = False,
) -> CarersRegister:  # fmt: skip
    figure = number(size, field="size", label="register size", required=True)
    if figure < 0 or figure != figure.to_integral_value():
        raise ValidationError({"size": "The register size is a whole number of patients."})
    recorded_on = recorded_on or timezone.localdate()
    if reviewed_on and reviewed_on > recorded_on:
        raise ValidationError({"reviewed_on": "The review date is after the day recorded."})
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "The day recorded is in the future."})
    register = CarersRegister(practice=practice, size=int(figure), reviewed_on=reviewed_on,
                              recorded_on=recorded_on, recorded_by=by,
                              is_illustrative=is_illustrative)  # fmt: skip
    register.save()
    return register


@transaction.atomic
def training_session_add(
    *, strategy: Strategy, title: str, date: dt.date, provider: str, places: int,
    attendance: int | None = None, feedback_score: object = None, is_illustrative: bool = False,
) -> TrainingSession:  # fmt: skip
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the session's title."
    if not (provider or "").strip():
        errors["provider"] = "Enter who provides the session."
    if date is None:
        errors["date"] = "Enter the session's date."
    if places is None or places < 1:
        errors["places"] = "A session offers at least one place."
    if attendance is not None and (attendance < 0 or (places and attendance > places * 2)):
        errors["attendance"] = "The attendance cannot be negative or far beyond the places."
    score = number(feedback_score, field="feedback_score", label="feedback score")
    if score is not None and not 0 <= score <= 5:
        errors["feedback_score"] = "The feedback score is out of 5."
    if attendance is not None and date is not None and date > timezone.localdate():
        errors["attendance"] = "A session in the future has no attendance yet."
    if errors:
        raise ValidationError(errors)
    session = TrainingSession(strategy=strategy, title=title.strip(), date=date,
                              provider=provider.strip(), places=places, attendance=attendance,
                              feedback_score=score, is_illustrative=is_illustrative)  # fmt: skip
    fits(session)
    session.save()
    return session


@transaction.atomic
def service_add(
    *, strategy: Strategy, provider_name: str, service: str, contract_start: dt.date,
    contract_end: dt.date | None = None, annual_value: object = None, provider=None,
    indicators: Iterable[Indicator] = (), actions: Iterable[Action] = (),
    is_illustrative: bool = False,
) -> CommissionedService:  # fmt: skip
    errors = {}
    if not (provider_name or "").strip():
        errors["provider_name"] = "Enter the provider."
    if not (service or "").strip():
        errors["service"] = "Enter the service commissioned."
    if contract_start is None:
        errors["contract_start"] = "Enter the date the contract starts."
    elif contract_end and contract_end < contract_start:
        errors["contract_end"] = (
            f"The contract ends ({format_date(contract_end)}) before it starts "
            f"({format_date(contract_start)})."
        )
    money = number(annual_value, field="annual_value", label="annual value")
    if money is not None and money < 0:
        errors["annual_value"] = "The annual value cannot be negative."
    if errors:
        raise ValidationError(errors)
    row = CommissionedService(strategy=strategy, provider=provider,
                              provider_name=provider_name.strip(), service=service.strip(),
                              contract_start=contract_start, contract_end=contract_end,
                              annual_value=money, is_illustrative=is_illustrative)  # fmt: skip
    fits(row)
    row.save()
    row.indicators.set(list(indicators))
    row.actions.set(list(actions))
    return row


@transaction.atomic
def computed_value_record(*, indicator: Indicator, period: object, by=None, **options) -> Value:
    """Record, as a draft, what the product's own records give for ``period``."""
    from caring.indicators.selectors import computed_figure

    found = _period(indicator.frequency, period)
    figure = computed_figure(indicator, found)
    if figure is None:
        raise ValidationError(
            {"period": f"There are no records to work out {indicator.code} for {found.label}."}
        )
    value, top, bottom, note = figure
    return value_record(indicator=indicator, period=found.key, source=OWN_RECORDS, value=value,
                        numerator=top, denominator=bottom, note=note, by=by,
                        **options)  # fmt: skip
