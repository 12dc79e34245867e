"""Carers known to services: what the pseudonymised records say, as counts anyone signed in may
read. An overview (reach, with the sources), a page for each topic of
:data:`caring.carers.analyses.TOPICS`, each also as a CSV and an Excel download, and the access
log.

Nobody sees record-level data here: every figure is a count from ``caring.carers.analyses``,
protected by the strategy's disclosure rule (``analyses.rule_of``). Data officers, and only they,
may ask for exact figures (``?figures=exact``): the page then says plainly that they are not for
publication, and each such view and each download is recorded in the access log
(``services.log_access``). Anyone else asking for exact figures gets the published ones, and
nothing is logged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import rules
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from caring import disclosure
from caring.carers import analyses
from caring.carers.models import AccessAction, AccessLog, CarerSource
from caring.carers.services import log_access
from caring.web.views.base import Page, plan_or_404

VIEW = "carers.view"
UPLOAD = "carers.upload"
EXACT = "carers.exact"
ACCESS_LOG = "carers.view_access_log"
FIGURES = "figures"  # the query parameter: ?figures=exact
EXACT_FIGURES = "exact"
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOG_PAGE_SIZE = 100
NOT_FOR_PUBLICATION = "Not for publication: figures are exact"
WITHHELD = (
    "This table is withheld: no suppression could protect it, because a hidden small figure "
    "could still be worked out from the figures around it."
)
# The topics' names for links (the pages take their titles from the analyses themselves).
LINK_TEXT = {
    "reach": "Carers known and unknown",
    "pathways": "How carers become known",
    "channels": "Digital and non-digital access",
    "support": "Support given",
    "social-contact": "Social contact and isolation",
    "young-carers": "Young carers identified",
    "equalities": "Equalities",
}


def link_text(key: str) -> str:
    return LINK_TEXT.get(key) or key.replace("-", " ").capitalize()


def person(user) -> str:
    """Who did something, by their job title (or username)."""
    if user is None:
        return "Someone no longer registered"
    return user.job_title or user.get_username()


# --- bar charts --------------------------------------------------------------------------------
#
# Horizontal bars, one a category, drawn by the template with SVG presentation attributes only
# (the Content-Security-Policy forbids inline styles). Every figure is also in words (the chart's
# description) and in the table under it, so no one depends on the picture. A hidden figure has
# no bar, only its "*".

LABEL_WIDTH = 270
BAR_WIDTH = 320
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
LABEL_CHARACTERS = 36


@dataclass(frozen=True)
class Bar:
    y: float
    label: str
    short: str  # the label cut to fit; the full one is in the table and the description
    width: float
    shown: str


@dataclass(frozen=True)
class BarChart:
    ident: str
    title: str
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    description: str
    colour: str = BAR_COLOUR


def _short(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(table: analyses.Table) -> BarChart | None:
    """The bar chart of ``table``'s published counts, or None when it has nothing to draw."""
    if table.withheld or not table.chart:
        return None
    biggest = max((value or 0 for _, value in table.chart), default=0)
    if not biggest:
        return None
    bars = []
    for i, (label, value) in enumerate(table.chart):
        shown = disclosure.SUPPRESSED if value is None else f"{value:,}"
        width = BAR_WIDTH * (value or 0) / biggest
        bars.append(Bar(i * ROW_HEIGHT + 4, label, _short(label), width, shown))
    words = "; ".join(
        f"{b.label}: {'hidden (*)' if b.shown == disclosure.SUPPRESSED else b.shown}" for b in bars
    )
    title = table.chart_label or table.caption
    return BarChart(
        ident=f"chart-{table.key}",
        title=title,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=len(bars) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
        bars=tuple(bars),
        description=f"{title}, as a bar chart. {words}.",
    )


# --- pages -------------------------------------------------------------------------------------


class RulesOnly:
    """The permission is the rule alone: Django gives a superuser every permission it is asked
    about, but only data officers upload carers' records or see exact figures (least access)."""

    def has_permission(self) -> bool:
        return rules.has_perm(self.permission_required, self.request.user)


class CarersPage(RulesOnly, Page, TemplateView):
    permission_required = VIEW

    def load(self) -> None:
        self.strategy, self.version = plan_or_404(self.kwargs["slug"])
        user = self.request.user
        self.officer = rules.has_perm(EXACT, user)
        asked = self.request.GET.get(FIGURES) == EXACT_FIGURES
        self.exact = asked and self.officer  # anyone else asking gets the published figures
        self.published = analyses.rule_of(self.strategy)
        self.rule = disclosure.NONE if self.exact else self.published

    def base_context(self, **extra):
        user = self.request.user
        slug = self.strategy.slug
        return self.get_context_data(
            strategy=self.strategy,
            rule=self.rule,
            published=self.published,
            exact=self.exact,
            officer=self.officer,
            can_upload=rules.has_perm(UPLOAD, user),
            can_see_log=rules.has_perm(ACCESS_LOG, user),
            topics=[
                (key, link_text(key), reverse("web:carers-topic", args=[slug, key]))
                for key in analyses.TOPICS
            ],
            not_for_publication=NOT_FOR_PUBLICATION,
            withheld_text=WITHHELD,
            exact_query=f"?{FIGURES}={EXACT_FIGURES}",
            **extra,
        )

    def log_exact(self, subject: str) -> None:
        if self.exact:
            log_access(self.strategy, self.request.user, AccessAction.EXACT, subject=subject,
                       detail=f"page; published rule {self.published.key}")  # fmt: skip

    def downloads(self, key: str) -> list[tuple[str, str]]:
        query = f"?{FIGURES}={EXACT_FIGURES}" if self.exact else ""
        return [
            (label, reverse("web:carers-download", args=[self.strategy.slug, key, fmt]) + query)
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"))
        ]

    def no_store(self, response):
        if self.exact:
            response["Cache-Control"] = "private, no-store"
        return response


class Overview(CarersPage):
    template_name = "web/carers/overview.html"

    def get(self, request, *args, **kwargs):
        self.load()
        reach = analyses.reach(self.strategy, self.rule)
        summary = analyses.summary(self.strategy, self.rule)
        sources = [
            {
                "source": s,
                "known": disclosure.protect_count(s.records, self.rule),
            }
            for s in CarerSource.objects.filter(strategy=self.strategy).order_by("name", "id")
        ]
        self.log_exact("overview")
        context = self.base_context(
            page_title=f"{self.strategy.title}: carers known to services",
            topic=reach,
            summary=summary,
            tables=[(t, bar_chart(t)) for t in reach.tables],
            sources=sources,
            synthetic=any(s["source"].is_synthetic for s in sources),
            downloads=self.downloads("reach"),
            data_updated=summary.latest_import,
        )
        return self.no_store(self.render_to_response(context))


class TopicPage(CarersPage):
    template_name = "web/carers/topic.html"

    def get(self, request, *args, **kwargs):
        self.load()
        key = kwargs["topic"]
        if key not in analyses.TOPICS:
            raise Http404("No such analysis of carers.")
        topic = analyses.topic(key, self.strategy, self.rule)
        self.log_exact(key)
        synthetic = CarerSource.objects.filter(strategy=self.strategy, is_synthetic=True).exists()
        context = self.base_context(
            page_title=topic.title,
            topic=topic,
            key=key,
            tables=[(t, bar_chart(t)) for t in topic.tables],
            synthetic=synthetic,
            downloads=self.downloads(key),
        )
        return self.no_store(self.render_to_response(context))


class AccessLogPage(RulesOnly, Page, TemplateView):
    permission_required = ACCESS_LOG
    template_name = "web/carers/access_log.html"

    def get(self, request, *args, **kwargs):
        strategy, _ = plan_or_404(kwargs["slug"])
        rows = AccessLog.objects.filter(strategy=strategy).select_related("user")
        page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            page_title=f"{strategy.title}: carers' data access log",
            strategy=strategy,
            page=page,
            entries=[{"entry": e, "who": person(e.user)} for e in page.object_list],
        )
        return self.render_to_response(context)


# --- downloads ---------------------------------------------------------------------------------


def _lines(strategy, topic: analyses.Topic, rule: disclosure.Rule, exact: bool) -> list[list]:
    """The download as rows of a CSV: what it is, the rule, the paragraphs, then each table
    (caption, header, rows, total, notes); a withheld table only says that it is withheld."""
    out: list[list] = [[f"{strategy.title}: {topic.title}"]]
    if exact:
        out.append([f"{NOT_FOR_PUBLICATION}, with nothing hidden or rounded. For data officers "
                    "only."])  # fmt: skip
    out.append([f"Disclosure rule: {rule.name}. {rule.description}"])
    out.append([f"Downloaded {timezone.localtime():%d/%m/%Y %H:%M}."])
    out += [[p] for p in topic.paragraphs]
    for table in topic.tables:
        out.append([])
        out.append([table.caption])
        if table.withheld:
            out.append([WITHHELD])
            continue
        out.append(list(table.columns))
        out += [list(row) for row in table.rows]
        if table.total:
            out.append(list(table.total))
        out += [[f"Note: {note}"] for note in table.notes]
    return out


NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$")
DECIMAL = re.compile(r"^\d+\.\d+$")
PERCENT = re.compile(r"^\d+%$")
POUNDS = re.compile(r"^£\d{1,3}(,\d{3})*$")


def _cell(text: str):
    """A table's figure as a number for Excel where it is one; "*" and words stay text."""
    if NUMBER.match(text):
        return int(text.replace(",", "")), "#,##0"
    if DECIMAL.match(text):
        return float(text), "0.0"
    if PERCENT.match(text):
        return int(text[:-1]) / 100, "0%"
    if POUNDS.match(text):
        return int(text[1:].replace(",", "")), '"£"#,##0'
    return _text(text), None


def _safe(row: list) -> list:
    """Stop spreadsheet formula injection in a CSV: text starting =, +, - or @ is quoted."""
    return [_text(v) if isinstance(v, str) else v for v in row]


def _text(text: str) -> str:
    """Text as Excel keeps it: never a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _sheet_title(key: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", key)[:31] or "Table"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def topic_workbook(strategy, topic: analyses.Topic, rule: disclosure.Rule, exact: bool) -> bytes:
    """An "About" sheet (what it is, the rule, the paragraphs, any table withheld), then a sheet
    for each published table: its caption, header row, rows, total (bold) and notes."""
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    used = {"about"}
    lines = [f"{strategy.title}: {topic.title}"]
    if exact:
        lines.append(f"{NOT_FOR_PUBLICATION}, with nothing hidden or rounded. For data officers "
                     "only.")  # fmt: skip
    lines += [f"Disclosure rule: {rule.name}. {rule.description}",
              f"Downloaded {timezone.localtime():%d/%m/%Y %H:%M}.", *topic.paragraphs]  # fmt: skip
    for table in topic.tables:
        if table.withheld:
            lines.append(f"{table.caption}: {WITHHELD}")
    for number, line in enumerate(lines, 1):
        cell = about.cell(row=number, column=1, value=_text(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1:
            cell.font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 110
    for table in topic.tables:
        if table.withheld:
            continue
        sheet = workbook.create_sheet(_sheet_title(table.key, used))
        sheet.cell(row=1, column=1, value=_text(table.caption)).font = Font(bold=True)
        for c, heading in enumerate(table.columns, 1):
            cell = sheet.cell(row=2, column=c, value=_text(heading))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        rows = [*table.rows, *([table.total] if table.total else [])]
        for r, row in enumerate(rows, 3):
            for c, text in enumerate(row, 1):
                value, number_format = _cell(text) if c > 1 else (_text(text), None)
                cell = sheet.cell(row=r, column=c, value=value)
                if number_format:
                    cell.number_format = number_format
                if c > 1:
                    cell.alignment = Alignment(horizontal="right")
                if table.total and r == len(rows) + 2:
                    cell.font = Font(bold=True)
        after = len(rows) + 4
        for i, note in enumerate(table.notes):
            sheet.cell(row=after + i, column=1, value=_text(f"Note: {note}"))
        sheet.column_dimensions["A"].width = 45
        for c in range(2, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 18
        sheet.freeze_panes = "B3"
    workbook.properties.title = f"{strategy.title}: {topic.title}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class Download(CarersPage):
    """A topic as CSV or Excel. Every download is logged; an exact one is logged as a view of
    figures without suppression too."""

    def get(self, request, *args, **kwargs):
        self.load()
        key, fmt = kwargs["topic"], kwargs["fmt"]
        if key not in analyses.TOPICS or fmt not in FORMATS:
            raise Http404("No such download.")
        topic = analyses.topic(key, self.strategy, self.rule)
        subject = f"{key} ({fmt})"
        log_access(self.strategy, request.user, AccessAction.DOWNLOAD, subject=subject,
                   detail=self.rule.key)  # fmt: skip
        if self.exact:
            log_access(self.strategy, request.user, AccessAction.EXACT, subject=subject,
                       detail=f"download; published rule {self.published.key}")  # fmt: skip
        stamp = f"{timezone.localdate():%Y-%m-%d}"
        name = f"{self.strategy.slug}-carers-{key}{'-exact' if self.exact else ''}-{stamp}"
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            for line in _lines(self.strategy, topic, self.rule, self.exact):
                writer.writerow(_safe(line))
            response = HttpResponse(out.getvalue().encode("utf-8-sig"),
                                    content_type="text/csv; charset=utf-8")  # fmt: skip
        else:
            content = topic_workbook(self.strategy, topic, self.rule, self.exact)
            response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response


def dashboard_panel(strategy) -> dict | None:
    """For the dashboard: carers known against the census, the rate and the gap, published by
    the strategy's rule (never exact); None when there is nothing to say."""
    summary = analyses.summary(strategy, analyses.rule_of(strategy))
    if summary.census_year is None and not summary.sources:
        return None
    return {"summary": summary, "href": reverse("web:carers", args=[strategy.slug])}
