"""Reads of delivery plans, shaped for the dashboard, the action list and the exports.

Each selector makes a fixed number of SQL queries, whatever the number of actions: counts are
computed by the database, and per-action facts come in one query with their counts as
subqueries (no N+1).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from caring.plans import compiled
from caring.plans.choices import DateKindChoice, Rag
from caring.plans.models import (
    SLIP_Q,
    Action,
    DueDateChange,
    Evidence,
    PlanVersion,
    Strategy,
    Theme,
    Update,
)
from caring.plans.rag import ActionFacts, Flag, RagConfig, Suggestion
from caring.plans.rag import action_flags as _action_flags
from caring.plans.rag import suggest_rag as _suggest_rag
from caring.plans.rag_sql import OPEN, annotate_for_flags, flag_conditions, flag_counts_sql


def rag_config() -> RagConfig:
    return RagConfig(
        amber_window_days=settings.CARING_AMBER_WINDOW_DAYS,
        stale_after_days=settings.CARING_STALE_AFTER_DAYS,
    )


def strategy_get(*, slug: str) -> Strategy:
    return Strategy.objects.get(slug=slug)


def _current_of(versions: QuerySet[PlanVersion], missing: str) -> PlanVersion:
    """The version marked current, else the latest; ``DoesNotExist`` with ``missing`` if none."""
    version = versions.filter(is_current=True).first()
    if version is None:
        version = versions.order_by("-created", "-id").first()
    if version is None:
        raise PlanVersion.DoesNotExist(missing)
    return version


def version_current(*, strategy: Strategy) -> PlanVersion:
    """The version of the plan in use now (the latest if none is marked current)."""
    return _current_of(strategy.versions.all(), f"{strategy} has no delivery plan yet.")


def _count_of(model, extra: Q | None = None) -> Coalesce:
    rows = model.objects.filter(action=OuterRef("pk"))
    if extra is not None:
        rows = rows.filter(extra)
    counted = rows.order_by().values("action").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Annotate ``evidence_count`` and ``times_slipped`` (subqueries: no row multiplication)."""
    return actions.annotate(
        evidence_count=_count_of(Evidence), times_slipped=_count_of(DueDateChange, SLIP_Q)
    )


def action_list(*, version: PlanVersion, include_retired: bool = False) -> QuerySet[Action]:
    """The version's actions with ``evidence_count`` and ``times_slipped`` annotated."""
    actions = version.actions.all()
    if not include_retired:
        actions = actions.filter(retired_at__isnull=True)
    return with_counts(actions.select_related("theme"))


def action_facts(action: Action) -> ActionFacts:
    """What the RAG rules need to know about an action (annotated by ``action_list``).

    ``action`` may be a model object or any record with the same attribute names."""
    evidence_count = getattr(action, "evidence_count", None)
    if evidence_count is None:
        evidence_count = action.evidence.count()
    times_slipped = getattr(action, "times_slipped", None)
    if times_slipped is None:
        times_slipped = action.due_changes.filter(SLIP_Q).count()
    return ActionFacts(
        status=action.status,
        rag=action.rag or None,
        commenced=action.commenced,
        due=action.due,
        ongoing=action.ongoing,
        has_lead=bool(action.lead_person_id or action.lead_role.strip()),
        due_unparsed=action.due_kind == DateKindChoice.UNPARSED,
        commenced_unparsed=action.commenced_kind == DateKindChoice.UNPARSED,
        evidence_count=evidence_count,
        last_activity=action.last_update_on or timezone.localdate(action.created_at),
        times_slipped=times_slipped,
    )


@dataclass(frozen=True)
class AssessedAction:
    """An action with its suggested RAG and its flags, as of a day."""

    action: Action
    suggestion: Suggestion
    flags: list[Flag]

    @property
    def flag_names(self) -> list[str]:
        return [flag.name for flag in self.flags]


def action_assess(
    action: Action, *, today: dt.date | None = None, config: RagConfig | None = None
) -> AssessedAction:
    today = today or timezone.localdate()
    config = config or rag_config()
    facts = action_facts(action)
    suggestion = _suggest_rag(facts, today=today, config=config)
    flags = _action_flags(facts, today=today, config=config, suggestion=suggestion)
    return AssessedAction(action=action, suggestion=suggestion, flags=flags)


def actions_assessed(
    *, version: PlanVersion, today: dt.date | None = None, actions: QuerySet | None = None
) -> list[AssessedAction]:
    """Every live action of the version with its suggested RAG and flags: one query."""
    today = today or timezone.localdate()
    config = rag_config()
    rows = action_list(version=version) if actions is None else actions
    return [action_assess(a, today=today, config=config) for a in rows]


def flag_counts(*, version: PlanVersion, today: dt.date | None = None) -> dict[str, int]:
    """How many live actions carry each flag (every flag name present, zero if none).

    Counted by the database in one query, with the rules of ``rag.py`` mirrored in
    ``rag_sql.py`` (a test keeps the two in agreement).
    """
    today = today or timezone.localdate()
    return flag_counts_sql(
        version_id=version.pk, today=today, config=rag_config(), alias=version._state.db
    )


@dataclass(frozen=True)
class ThemeRagRow:
    number: int | None
    name: str
    counts: dict[str, int]  # rag value ("" = not yet rated) -> number of actions

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _rag_grouped_query(alias: str):
    return (
        Action.objects.using(alias)
        .filter(version_id=compiled.STAND_IN_VERSION, retired_at__isnull=True)
        .order_by()
        .values_list("theme_id", "rag")
        .annotate(n=Count("pk"))
    )


def _themes_query(alias: str):
    return (
        Theme.objects.using(alias)
        .filter(version_id=compiled.STAND_IN_VERSION)
        .order_by("number")
        .values_list("pk", "number", "name")
    )


def rag_counts_by_theme(*, version: PlanVersion) -> list[ThemeRagRow]:
    """Owner's RAG counted by theme for the live actions: one GROUP BY query (plus themes)."""
    alias, swaps = version._state.db, {compiled.STAND_IN_VERSION: version.pk}
    by_theme: dict[int | None, dict[str, int]] = {}
    for theme_id, rag, n in compiled.run(_rag_grouped_query, alias=alias, swaps=swaps, expect=1):
        by_theme.setdefault(theme_id, dict.fromkeys(Rag.values, 0))[rag] = n
    themes = compiled.run(_themes_query, alias=alias, swaps=swaps, expect=1)
    rows = [
        ThemeRagRow(number, name, by_theme.pop(pk, dict.fromkeys(Rag.values, 0)))
        for pk, number, name in themes
    ]
    if None in by_theme:
        rows.append(ThemeRagRow(None, "No theme", by_theme.pop(None)))
    return rows


@dataclass(frozen=True)
class OverdueAction:
    """One line of the overdue list: enough to show and link to the action."""

    pk: int
    ref: str
    title: str
    theme_number: int | None
    theme_name: str | None
    due: dt.date
    due_text: str
    status: str
    rag: str
    lead: str  # the lead's role
    days_overdue: int


def _overdue_query(alias: str):
    return (
        Action.objects.using(alias)
        .filter(
            OPEN,
            version_id=compiled.STAND_IN_VERSION,
            retired_at__isnull=True,
            due__lt=compiled.STAND_IN_DAY,
        )
        .order_by("due", "ref")
        .values_list(
            "pk", "ref", "title", "theme__number", "theme__name", "due", "due_text", "status",
            "rag", "lead_role", "lead_person__job_title",
        )
    )  # fmt: skip


def overdue_actions(*, version: PlanVersion, today: dt.date | None = None) -> list[OverdueAction]:
    """Live actions past their due date and not complete, most overdue first: one query."""
    today = today or timezone.localdate()
    alias = version._state.db
    swaps = {compiled.STAND_IN_VERSION: version.pk} | compiled.day_swaps(alias, today)
    found = []
    for row in compiled.run(_overdue_query, alias=alias, swaps=swaps, expect=2):
        pk, ref, title, number, name, due, due_text, status, rag, role, person = row
        due = dt.date.fromisoformat(due) if isinstance(due, str) else due
        lead = role or person or ""
        found.append(
            OverdueAction(
                pk, ref, title, number, name, due, due_text, status, rag, lead, (today - due).days
            )
        )
    return found


def natural_key(ref: str) -> tuple:
    """Sort refs as people do: YC2 before YC10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", ref))


def recent_updates(*, version: PlanVersion, limit: int = 8) -> list[Update]:
    """The latest progress updates on the plan's live actions, newest first: one query."""
    return list(
        Update.objects.filter(action__version=version, action__retired_at__isnull=True)
        .select_related("action", "author")
        .order_by("-reported_on", "-id")[:limit]
    )


def plan_last_changed(*, version: PlanVersion):
    """When anything in the plan last changed (an action's edit or update), or None."""
    return version.actions.aggregate(last=Max("updated_at"))["last"]


_BY_REF = ("theme__number", Length("ref"), "ref")  # YC2 before YC10
SORTS = {
    "ref": _BY_REF,
    "due": (F("due").asc(nulls_last=True), *_BY_REF),
    "-due": (F("due").desc(nulls_last=True), *_BY_REF),
    "updated": (F("last_update_on").desc(nulls_last=True), *_BY_REF),
    "status": ("status", *_BY_REF),
}


def action_search(
    *,
    version: PlanVersion,
    today: dt.date | None = None,
    theme: int | None = None,
    organisation: int | None = None,
    status: str | None = None,
    rag: str | None = None,
    flag: str | None = None,
    text: str = "",
    sort: str = "ref",
) -> QuerySet[Action]:
    """The live actions matching every filter given, with counts annotated, sorted.

    ``flag`` uses the database form of the RAG rules (``rag_sql``), so filtering stays one
    query however large the plan.
    """
    today = today or timezone.localdate()
    rows = with_counts(version.actions.filter(retired_at__isnull=True)).select_related(
        "theme", "lead_person"
    )
    if theme:
        rows = rows.filter(theme__number=theme)
    if organisation:
        rows = rows.filter(organisations__pk=organisation)
    if status:
        rows = rows.filter(status=status)
    if rag is not None:
        rows = rows.filter(rag=rag)
    if flag:
        config = rag_config()
        rows = annotate_for_flags(rows, today=today, config=config).filter(
            flag_conditions(today=today, config=config)[flag]
        )
    for word in text.split():
        rows = rows.filter(
            Q(ref__icontains=word)
            | Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(lead_role__icontains=word)
        )
    return rows.order_by(*SORTS.get(sort, SORTS["ref"])).distinct()


def actions_for_organisations(
    *, version: PlanVersion, organisation_ids: set[int], today: dt.date | None = None
) -> list[AssessedAction]:
    """The live actions led by any of the organisations, those needing an update first.

    "Needing an update" means flagged overdue or stale, or rated better than the rules
    suggest; then the rest, soonest due first.
    """
    today = today or timezone.localdate()
    rows = (
        with_counts(version.actions.filter(retired_at__isnull=True))
        .filter(organisations__pk__in=organisation_ids)
        .select_related("theme", "lead_person")
        .distinct()
        .order_by(F("due").asc(nulls_last=True), *_BY_REF)
    )
    assessed = [action_assess(a, today=today) for a in rows]
    urgent = {"overdue", "stale", "rag-disagrees"}
    return sorted(assessed, key=lambda item: not (urgent & set(item.flag_names)))


def version_current_by_slug(*, slug: str) -> PlanVersion:
    """The current plan version of the strategy ``slug``, with its strategy: one query.

    Raises ``PlanVersion.DoesNotExist`` when there is no such strategy or it has no plan.
    """
    versions = PlanVersion.objects.select_related("strategy").filter(strategy__slug=slug)
    return _current_of(versions, f"No plan for strategy {slug!r}.")


def action_filter_options(*, version: PlanVersion) -> tuple[list[Theme], list]:
    """The themes of the plan and the organisations leading its actions, for filters."""
    from caring.accounts.models import Organisation

    led = Action.organisations.through.objects.filter(action__version=version)
    # By subquery: joining through the actions made PostgreSQL scan every plan's rows.
    organisations = Organisation.objects.filter(pk__in=led.values("organisation_id"))
    return list(version.themes.order_by("number")), list(organisations.order_by("name"))
