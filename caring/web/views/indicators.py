"""The Quality Assurance Framework's pages everyone signed in can read: the indicators, one
indicator (its trend, values, breakdowns and benchmark), GP practices' carers' registers, the
training offer and the commissioned services.

Only approved values are published; drafts are shown to those who enter or approve them. Counts
about people in breakdowns are shown only through ``caring.disclosure``: the NHS rule for
everyone, and exact figures for data officers who ask for them (never for anyone else).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import rules
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from caring import disclosure
from caring.carers.models import AccessAction
from caring.carers.services import log_access
from caring.indicators import selectors
from caring.indicators.assess import fmt
from caring.indicators.benchmarking import BenchmarkError
from caring.indicators.choices import ValueStatus
from caring.indicators.models import (
    CommissionedService,
    Indicator,
    TrainingSession,
    Value,
)
from caring.indicators.periods import PeriodError, parse_period, period_containing
from caring.permissions import is_data_officer
from caring.plans.selectors import natural_key
from caring.web.indicator_charts import TrendPoint, trend_chart
from caring.web.views.base import Page, plan_or_404

VIEW = "indicators.view"
ENTER = "indicators.enter"
APPROVE = "indicators.approve"
PUBLISHED_RULE = disclosure.NHS  # the default; each strategy chooses its own (disclosure_rule)
EXACT = "none"


def published_rule(strategy) -> disclosure.Rule:
    """What everyone sees: the strategy's rule; data officers may ask for exact figures."""
    return disclosure.rule_for(getattr(strategy, "disclosure_rule", "") or PUBLISHED_RULE.key)


def latest_has_breakdowns(value) -> bool:
    return value is not None and value.breakdowns.exists()


def indicator_or_404(strategy, code: str) -> Indicator:
    return get_object_or_404(selectors.indicators_with_values(strategy), code=code)


def period_label(key: str, frequency: str) -> str:
    """A period as councillors read it ("Q3 2018/19"), or its key if it can't be read."""
    try:
        return parse_period(key, frequency).short_label
    except (PeriodError, ValueError):
        return key


def person(user) -> str:
    """Who did something, by their role (a job title), never more than the page needs."""
    if user is None:
        return "Someone no longer registered"
    return user.job_title or user.get_username()


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February), as registers_reviewed does."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def count(figure) -> str:
    """A count as people read it: 6815.000 is "6,815"."""
    return f"{Decimal(figure).normalize():,f}"


def money(value) -> str:
    """An annual value in pounds: "£120,000", "£1,250.50"."""
    if value is None:
        return "Not given"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def percent(top, bottom) -> str:
    if not bottom:
        return "–"
    return f"{(Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal('1'))}%"


class IndicatorsPage(Page, TemplateView):
    permission_required = VIEW

    def load(self) -> None:
        self.strategy, self.version = plan_or_404(self.kwargs["slug"])

    def base_context(self, **extra):
        user = self.request.user
        extra.setdefault("can_enter", rules.has_perm(ENTER, user))
        return self.get_context_data(
            strategy=self.strategy,
            today=timezone.localdate(),
            period_label=period_label,
            shown_count=count,
            money=money,
            **extra,
        )

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.context())

    def context(self):
        raise NotImplementedError


class IndicatorList(IndicatorsPage):
    template_name = "web/indicators/list.html"

    def context(self):
        user = self.request.user
        rows = selectors.overview(strategy=self.strategy, today=timezone.localdate())
        rows.sort(key=lambda r: natural_key(r.indicator.code))
        approvable = {r.indicator.pk for r in rows if rules.has_perm(APPROVE, user, r.indicator)}
        return self.base_context(
            page_title=f"{self.strategy.title}: indicators",
            rows=rows,
            approvable=approvable,
            awaiting=sum(r.drafts for r in rows if r.indicator.pk in approvable),
            overdue=sum(1 for r in rows if r.freshness.overdue),
            illustrative=any(
                r.indicator.is_illustrative or (r.latest and r.latest.is_illustrative) for r in rows
            ),
        )


def protected_breakdowns(value: Value | None, rule: disclosure.Rule) -> list[dict]:
    """The breakdowns of ``value``, each dimension's counts protected by ``rule``."""
    if value is None:
        return []
    by_dimension: dict[str, list] = defaultdict(list)
    for cell in sorted(value.breakdowns.all(), key=lambda b: (b.dimension, b.pk)):
        by_dimension[cell.dimension].append(cell)
    out = []
    for dimension, cells in by_dimension.items():
        counted = [c for c in cells if c.count is not None]
        counts = {c.category: c.count for c in counted}
        # Where the counts add up to the value published above, readers know the total exactly.
        public = value.indicator.unit == "count" and sum(counts.values()) == value.value
        table = disclosure.protect_breakdown(counts, rule, total_is_public=public)
        out.append(
            {
                "dimension": dimension,
                "label": cells[0].get_dimension_display(),
                "table": table,
                "uncounted": len(cells) - len(counted),
            }
        )
    return out


class IndicatorDetail(IndicatorsPage):
    template_name = "web/indicators/indicator.html"

    def load(self) -> None:
        super().load()
        self.indicator = indicator_or_404(self.strategy, self.kwargs["code"])

    def context(self, **extra):
        request, indicator = self.request, self.indicator
        user = request.user
        today = timezone.localdate()
        row = selectors.assess(indicator, today)
        unit, decimals = indicator.unit, indicator.decimals

        def shown(figure):
            return fmt(figure, unit=unit, decimals=decimals)

        def label(key):
            return period_label(key, indicator.frequency)

        targets = list(indicator.targets.all())
        series = selectors.series(indicator)
        trend = [
            {"value": v, "period": label(v.period_key), "shown": shown(v.value),
             "target": selectors.target_for(targets, v.period_start)}
            for v in series
        ]  # fmt: skip
        chart = trend_chart(
            [
                TrendPoint(t["period"], t["value"].period_start, t["value"].value,
                           t["target"].value if t["target"] else None)
                for t in trend
            ],
            unit=unit, decimals=decimals, title=f"{indicator.code} {indicator.title}",
            baseline=indicator.baseline_value,
            baseline_label=label(indicator.baseline_period) if indicator.baseline_period else "",
        )  # fmt: skip

        can_enter = rules.has_perm(ENTER, user)
        can_approve = rules.has_perm(APPROVE, user, indicator)
        sees_drafts = can_enter or can_approve
        values = (
            Value.objects.filter(indicator=indicator)
            .select_related("source", "entered_by", "approved_by")
            .order_by("-period_start", "source__name")
        )
        if not sees_drafts:
            values = values.filter(status=ValueStatus.APPROVED)
        values = [
            {"value": v, "period": label(v.period_key), "shown": shown(v.value),
             "entered_by": person(v.entered_by), "approved_by": person(v.approved_by),
             "draft": v.status == ValueStatus.DRAFT}
            for v in values
        ]  # fmt: skip

        officer = is_data_officer(user)
        exact = officer and request.GET.get("disclosure") == EXACT
        rule = disclosure.NONE if exact else published_rule(self.strategy)
        if exact and latest_has_breakdowns(row.latest):
            log_access(self.strategy, user, AccessAction.EXACT,
                       subject=f"indicator {indicator.code} breakdowns")  # fmt: skip
        latest = row.latest
        if latest is not None:
            latest = Value.objects.filter(pk=latest.pk).prefetch_related("breakdowns").get()

        bench = bench_error = None
        history = []
        years = selectors.benchmark_years(indicator)
        group = request.GET.get("group") or "all"
        year = request.GET.get("year") or None
        if indicator.benchmark_measure:
            try:
                bench = selectors.benchmark(indicator, group=group, year=year)
            except BenchmarkError as exc:
                bench_error = str(exc)
            try:
                history = selectors.benchmark_history(indicator)
            except BenchmarkError as exc:
                bench_error = bench_error or str(exc)

        actions = sorted(indicator.actions.all(), key=lambda a: natural_key(a.ref))
        current_refs = set(self.version.actions.values_list("ref", flat=True))
        return self.base_context(
            page_title=f"{indicator.code}: {indicator.title}",
            indicator=indicator,
            row=row,
            shown=shown,
            label=label,
            latest_label=label(row.latest.period_key) if row.latest else "",
            baseline_label=label(indicator.baseline_period) if indicator.baseline_period else "",
            targets=[{"period": label(t.period_key), "shown": shown(t.value)} for t in targets],
            trend=trend,
            chart=chart,
            values=values,
            sees_drafts=sees_drafts,
            can_enter=can_enter,
            can_approve=can_approve,
            drafts=sum(1 for v in values if v["draft"]),
            breakdowns=protected_breakdowns(latest, rule),
            rule=rule,
            officer=officer,
            exact=exact,
            bench=bench,
            bench_error=bench_error,
            history=history,
            years=years,
            group=group if group in selectors.GROUPS else "all",
            year=bench.year if bench else (year or ""),
            group_choices=list(selectors.GROUPS.items()),
            year_choices=[(y, y) for y in years],
            actions=[(a, a.ref in current_refs) for a in actions],
            sources=list(indicator.sources.all()),
            **extra,
        )


class Practices(IndicatorsPage):
    template_name = "web/indicators/practices.html"

    def context(self, form=None):
        from caring.web.views.indicators_forms import RegisterForm

        today = timezone.localdate()
        practices = list(selectors.active_practices().order_by("name"))
        latest = selectors.latest_registers(today)
        since = year_before(today)
        rows = []
        for p in practices:
            report = latest.get(p.pk)
            reviewed = bool(report and report.reviewed_on and report.reviewed_on > since)
            rows.append({"practice": p, "report": report, "reviewed": reviewed})
        reviewed, active = selectors.registers_reviewed(today)
        can_enter = rules.has_perm(ENTER, self.request.user)
        return self.base_context(
            page_title=f"{self.strategy.title}: GP practices' carers' registers",
            rows=rows,
            reviewed=reviewed,
            active=active,
            reported=sum(1 for r in rows if r["report"]),
            share=percent(reviewed, active),
            since=since,
            form=form or (RegisterForm() if can_enter else None),
            can_enter=can_enter,
            illustrative=any(r["report"] and r["report"].is_illustrative for r in rows),
        )


class Training(IndicatorsPage):
    template_name = "web/indicators/training.html"

    def context(self, form=None):
        from caring.web.views.indicators_forms import TrainingForm

        today = timezone.localdate()
        year = period_containing(today, "annual")
        figures = selectors.training_figures(self.strategy, year)
        sessions = list(TrainingSession.objects.filter(strategy=self.strategy))
        can_enter = rules.has_perm(ENTER, self.request.user)
        return self.base_context(
            page_title=f"{self.strategy.title}: training sessions",
            sessions=[
                {
                    "session": s,
                    "rate": percent(s.attendance, s.places)
                    if s.attendance is not None
                    else "Not recorded",
                }
                for s in sessions
            ],  # fmt: skip
            year=year,
            figures=figures,
            attendance_rate=percent(figures["attendance"], figures["places_attended"]),
            form=form or (TrainingForm() if can_enter else None),
            can_enter=can_enter,
            illustrative=any(s.is_illustrative for s in sessions),
        )


class Services(IndicatorsPage):
    template_name = "web/indicators/services.html"

    def context(self):
        today = timezone.localdate()
        services = list(
            CommissionedService.objects.filter(strategy=self.strategy)
            .select_related("provider")
            .prefetch_related("indicators", "actions")
        )
        current_refs = set(self.version.actions.values_list("ref", flat=True))
        running = [
            s
            for s in services
            if s.contract_start <= today and (s.contract_end is None or s.contract_end >= today)
        ]
        total = sum((s.annual_value or Decimal(0)) for s in running)
        return self.base_context(
            page_title=f"{self.strategy.title}: commissioned services",
            services=[
                {
                    "service": s,
                    "running": s in running,
                    "indicators": sorted(s.indicators.all(), key=lambda i: natural_key(i.code)),
                    "actions": [
                        (a, a.ref in current_refs)
                        for a in sorted(s.actions.all(), key=lambda a: natural_key(a.ref))
                    ],
                }
                for s in services
            ],  # fmt: skip
            running=len(running),
            total=total,
            illustrative=any(s.is_illustrative for s in services),
        )
