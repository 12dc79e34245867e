"""National-scale synthetic delivery plans for benchmarks: ``caring generate-synthetic``.

Council ``i`` gets a strategy ``synthetic-{i:03d}`` (marked illustrative) with five outcomes, one
current plan version, six themes and ``actions`` actions: a realistic mix of status, RAG and
dates (some overdue, some ongoing, some with a timescale that cannot be read), some with no lead,
evidence, due-date slips, and one progress update a month for ``months`` months.

Rows are written with ``bulk_create`` in batches, one transaction per council: no services, no
history rows and no signals (the services are for single edits and would take hours at this
size). Each council has its own random stream, seeded from ``seed`` and its number, so council
001 is the same whatever the number of councils. Dates are relative to ``today``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from caring.accounts.models import Organisation
from caring.plans.choices import ActionStatus, EvidenceKind
from caring.plans.dates import DATED_KINDS, parse_council_date
from caring.plans.demo_data import OUTCOMES, THEMES
from caring.plans.models import (
    Action,
    DueDateChange,
    Evidence,
    Outcome,
    PlanVersion,
    Strategy,
    Theme,
    Update,
)
from caring.plans.synthetic_words import (
    AREAS,
    DONE,
    EVIDENCE,
    LEADS,
    NEXT,
    NOTE,
    ORGANISATIONS,
    RAG_BY_STATUS,
    SLIP_REASONS,
    STATUS_WEIGHTS,
    TITLES,
    UNREADABLE,
)

PREFIX = "synthetic"
BATCH = 5000


@dataclass(frozen=True)
class Result:
    created: bool
    message: str
    seconds: float = 0.0


def add_months(day: dt.date, n: int) -> dt.date:
    years, month0 = divmod(day.month - 1 + n, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def synthetic_ids(prefix: str = PREFIX) -> list[int]:
    """Ids of the strategies ``{prefix}-NNN`` (digits only after the prefix)."""
    rows = Strategy.objects.filter(slug__startswith=f"{prefix}-").values_list("pk", "slug")
    return [pk for pk, slug in rows if slug[len(prefix) + 1 :].isdigit()]


def synthetic_size(prefix: str = PREFIX) -> dict[str, int]:
    """What is there now: councils, actions, updates, and the seed in the versions' reason."""
    ids = synthetic_ids(prefix)
    versions = PlanVersion.objects.filter(strategy_id__in=ids)
    reasons = set(versions.values_list("reason", flat=True))
    seeds = {int(r.rsplit(" ", 1)[-1].rstrip(".")) for r in reasons if r.startswith("Generated")}
    return {
        "councils": len(ids),
        "actions": Action.objects.filter(version__in=versions).count(),
        "updates": Update.objects.filter(action__version__in=versions).count(),
        "seed": seeds.pop() if len(seeds) == 1 else -1,
    }


def delete_synthetic(prefix: str = PREFIX) -> int:
    """Delete the synthetic strategies with raw deletes, bottom-up. Returns how many."""
    ids = synthetic_ids(prefix)
    if not ids:
        return 0
    versions = list(PlanVersion.objects.filter(strategy_id__in=ids).values_list("pk", flat=True))
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def marks(values) -> str:
        return ", ".join(["%s"] * len(values))

    vs, ss = marks(versions), marks(ids)
    actions = f"SELECT id FROM {table(Action)} WHERE version_id IN ({vs})"
    by_action = (Evidence, DueDateChange, Update, Action.outcomes.through)
    statements = [
        *(
            (f"DELETE FROM {table(m)} WHERE action_id IN ({actions})", versions)
            for m in (*by_action, Action.organisations.through)
        ),
        *(
            (f"DELETE FROM {table(m)} WHERE version_id IN ({vs})", versions)
            for m in (Action, Theme)
        ),
        (f"UPDATE {table(PlanVersion)} SET previous_id = NULL WHERE id IN ({vs})", versions),
        (f"DELETE FROM {table(PlanVersion)} WHERE id IN ({vs})", versions),
        (f"DELETE FROM {table(Outcome)} WHERE strategy_id IN ({ss})", ids),
        (f"DELETE FROM {table(Strategy)} WHERE id IN ({ss})", ids),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            if params:  # a strategy with no version leaves nothing to delete by version
                cursor.execute(sql, params)
    return len(ids)


def organisations_ensure() -> list[Organisation]:
    """The shared pool of synthetic organisations, created once."""
    names = [name for name, _, _ in ORGANISATIONS]
    have = set(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    Organisation.objects.bulk_create(
        [Organisation(name=n, kind=k, short_name=s) for n, k, s in ORGANISATIONS if n not in have]
    )
    return sorted(Organisation.objects.filter(name__in=names), key=lambda o: names.index(o.name))


def generate(
    *,
    councils: int = 150,
    actions: int = 200,
    months: int = 24,
    seed: int = 1,
    replace: bool = False,
    prefix: str = PREFIX,
    today: dt.date | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Result:
    """Make the synthetic strategies; refuse (and do nothing) if some exist, unless ``replace``."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    with override_settings(DEBUG=False):  # DEBUG would keep the SQL of every bulk insert
        existing = len(synthetic_ids(prefix))
        if existing and not replace:
            return Result(
                False,
                f"{existing} synthetic strategies ({prefix}-NNN) already exist: "
                "nothing done. Use --replace to delete and make them again.",
            )
        if existing:
            delete_synthetic(prefix)
            log(f"Deleted {existing} synthetic strategies in {time.perf_counter() - started:.1f}s")
        orgs = organisations_ensure()
        step = max(1, councils // 20)
        for i in range(1, councils + 1):
            rng = random.Random(f"{prefix}:{seed}:{i}")
            with transaction.atomic():
                _council(rng, i, prefix, actions, months, seed, today, orgs)
            if i % step == 0 or i == councils:
                log(f"  {i}/{councils} councils, {time.perf_counter() - started:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
    seconds = time.perf_counter() - started
    total = councils * actions
    return Result(
        True,
        f"Made {councils} strategies, {total:,} actions and "
        f"{total * months:,} updates in {seconds:.1f}s.",
        seconds,
    )


def _council(rng, i, prefix, actions, months, seed, today, orgs) -> None:
    start = add_months(today, -(months + 10)).replace(day=1)
    strategy = Strategy(
        title=f"Synthetic carers strategy {i:03d}",
        slug=f"{prefix}-{i:03d}",
        period_start=start,
        period_end=add_months(start, 60) - dt.timedelta(days=1),
        description=NOTE,
        is_illustrative=True,
    )
    Strategy.objects.bulk_create([strategy])
    outcomes = Outcome.objects.bulk_create(
        [Outcome(strategy=strategy, number=n, title=title) for n, title in OUTCOMES]
    )
    version = PlanVersion(
        strategy=strategy,
        name=f"Synthetic delivery plan {i:03d}",
        created=start,
        reason=f"Generated with seed {seed}.",
    )
    PlanVersion.objects.bulk_create([version])
    themes = Theme.objects.bulk_create(
        [Theme(version=version, number=n, name=name, prefix=p) for n, name, p in THEMES]
    )
    counters = dict.fromkeys(TITLES, 0)
    built = []
    for _ in range(actions):
        theme = rng.choices(themes, weights=(25, 20, 15, 12, 14, 14))[0]
        counters[theme.prefix] += 1
        ref = f"{theme.prefix}{counters[theme.prefix]}"
        built.append(_action(rng, version, theme, ref, today=today, start=start, months=months))
    outcome_rows, org_rows, updates, evidence, changes = [], [], [], [], []
    for action, extra in built:  # rows pointing at unsaved actions get their ids on insert
        for outcome in rng.sample(outcomes, rng.choice((1, 1, 2, 2, 3))):
            outcome_rows.append(Action.outcomes.through(action=action, outcome=outcome))
        for org in rng.sample(orgs, rng.choice((1, 1, 2, 3))):
            org_rows.append(Action.organisations.through(action=action, organisation=org))
        updates.extend(_updates(rng, action, extra, months=months, today=today))
        evidence.extend(_evidence(rng, action))
        changes.extend(extra["changes"])
    Action.objects.bulk_create([a for a, _ in built], batch_size=BATCH)
    Action.outcomes.through.objects.bulk_create(outcome_rows, batch_size=BATCH)
    Action.organisations.through.objects.bulk_create(org_rows, batch_size=BATCH)
    Update.objects.bulk_create(updates, batch_size=BATCH)
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    DueDateChange.objects.bulk_create(changes, batch_size=BATCH)


def _pick(rng, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_between(rng, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))


def _due_text(rng, target: dt.date) -> str:
    """A timescale as councils write it, ending on or near ``target``."""
    form = _pick(rng, {"exact": 45, "month": 25, "quarter": 12, "fy": 10, "year": 8})
    fy = target.year if target.month >= 4 else target.year - 1
    if form == "exact":
        return target.strftime("%d/%m/%Y")
    if form == "month":
        return target.strftime(rng.choice(("%B %Y", "%b-%y", "End of %B %Y")))
    if form == "quarter":
        return f"Q{(target.month - 4) % 12 // 3 + 1} {fy}/{(fy + 1) % 100:02d}"
    return f"{fy}/{(fy + 1) % 100:02d}" if form == "fy" else str(target.year)


def _action(rng, version, theme, ref, *, today, start, months) -> tuple[Action, dict]:
    status = _pick(rng, STATUS_WEIGHTS)
    rags, weights = RAG_BY_STATUS[status]
    is_open = status not in ("complete", "cancelled")
    timescale = _pick(rng, {"dated": 80, "ongoing": 7, "blank": 5, "tbc": 3, "unparsed": 5})
    if timescale == "dated":
        if status == "complete":
            target = _day_between(rng, start + dt.timedelta(days=90), today + dt.timedelta(365))
        elif is_open and rng.random() < 0.25:  # overdue
            target = today - dt.timedelta(days=rng.randint(1, 400))
        elif is_open and rng.random() < 0.12:  # due soon
            target = today + dt.timedelta(days=rng.randint(0, 30))
        else:
            target = today + dt.timedelta(days=rng.randint(31, 900))
        due_text = _due_text(rng, target)
    else:
        due_text = {"ongoing": "Ongoing", "blank": "", "tbc": "TBC"}.get(timescale, "")
        if timescale == "unparsed":
            due_text = rng.choice(UNREADABLE)
    due = parse_council_date(due_text)
    high = min(today, due.as_due) if due.as_due else today
    low = min(start, high - dt.timedelta(days=30))
    commenced_text = ""
    if status != "not_started" and rng.random() < 0.9:
        commenced_text = _day_between(rng, low, high).strftime(rng.choice(("%d/%m/%Y", "%B %Y")))
        if rng.random() < 0.03:
            commenced_text = "After recruitment"
    elif status == "not_started" and rng.random() < 0.4:
        late = rng.random() < 0.4 or not due.as_due or due.as_due <= today
        day = _day_between(rng, low, high) if late else _day_between(rng, today, due.as_due)
        commenced_text = day.strftime("%d/%m/%Y")
    commenced = parse_council_date(commenced_text)
    lag = rng.randint(4, 9) if is_open and rng.random() < 0.1 else 0  # went quiet
    budget = Decimal(rng.randrange(1_000, 250_000, 100)) if rng.random() < 0.3 else None
    retired = rng.random() < 0.02
    title = rng.choice(TITLES[theme.prefix]) + rng.choice(AREAS)
    action = Action(
        version=version,
        theme=theme,
        ref=ref,
        title=title,
        description=f"{title}. Synthetic action {ref}, generated for benchmarks.",
        lead_role=rng.choice(LEADS) if rng.random() < 0.92 else "",
        commenced=commenced.as_start,
        commenced_text=commenced_text,
        commenced_kind=commenced.kind.value,
        due=due.as_due,
        due_text=due_text,
        due_kind=due.kind.value,
        original_due=due.as_due,
        original_due_text=due_text,
        ongoing=timescale == "ongoing",
        status=status,
        rag=rng.choices(rags, weights=weights)[0],
        rag_rationale=rng.choice(("", "", "See the latest update.", "Partners report progress.")),
        budget=budget,
        spend=(budget * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("1"))
        if budget
        else None,
        created_at=_noon(start),
        retired_at=_noon(today - dt.timedelta(days=rng.randint(30, 300))) if retired else None,
        retired_reason="Merged into another action when the plan was refreshed." if retired else "",
    )
    changes = []
    if due.kind in DATED_KINDS and rng.random() < 0.15:
        changes = _slips(rng, action, start=start, today=today)
    return action, {"lag": lag, "changes": changes}


def _slips(rng, action: Action, *, start: dt.date, today: dt.date) -> list[DueDateChange]:
    """One to three moves of the due date that end on the action's due date; most are slips."""
    rows, new_due, new_text = [], action.due, action.due_text
    moments = sorted(_day_between(rng, start, today) for _ in range(rng.randint(1, 3)))
    for moment in reversed(moments):
        forward = rng.random() < 0.15  # brought forward: not a slip
        old_due = new_due + dt.timedelta(days=rng.randint(30, 180) * (1 if forward else -1))
        old_text = old_due.strftime("%d/%m/%Y")
        reason = "Brought forward to fit the new contract." if forward else rng.choice(SLIP_REASONS)
        change = DueDateChange(action=action, old_due=old_due, new_due=new_due, reason=reason)
        change.old_text, change.new_text, change.changed_at = old_text, new_text, _noon(moment)
        rows.append(change)
        new_due, new_text = old_due, old_text
    action.original_due, action.original_due_text = new_due, new_text
    return rows[::-1]


def _updates(rng, action: Action, extra: dict, *, months: int, today: dt.date) -> list[Update]:
    """One update a month, ending ``lag`` months ago (most: 0); the last matches the action."""
    rows, lag, final = [], extra["lag"], action.status
    rags, weights = RAG_BY_STATUS["in_progress"]
    for m in range(months):
        back = lag + months - 1 - m
        day = add_months(today, -back) - dt.timedelta(days=rng.randint(0, 20))
        if m == months - 1:
            status, rag = final, action.rag
        elif final == "not_started" or (action.commenced and day < action.commenced):
            status, rag = "not_started", ""
        elif final == "on_hold" and m >= months - 3:
            status, rag = "on_hold", "amber"
        else:
            status, rag = "in_progress", rng.choices(rags, weights=weights)[0]
        text = f"{rng.choice(DONE)} {rng.choice(NEXT)}".format(n=rng.randint(3, 60))
        update = Update(action=action, reported_on=day, narrative=text, status=status, rag=rag)
        update.created_at = _noon(day)
        rows.append(update)
    action.last_update_on = rows[-1].reported_on if rows else None
    return rows


def _evidence(rng, action: Action) -> list[Evidence]:
    """Complete actions have one to three notes of evidence; a quarter of the rest have one."""
    if action.status == ActionStatus.COMPLETE:
        n = rng.randint(1, 3)
    else:
        n = 1 if action.status != ActionStatus.CANCELLED and rng.random() < 0.25 else 0
    rows = []
    for _ in range(n):
        title = rng.choice(EVIDENCE)
        day = action.last_update_on or timezone.localdate(action.created_at)
        text = f"{title} for {action.ref}, {day:%B %Y}: what was done and who took part."
        item = Evidence(action=action, kind=EvidenceKind.TEXT, title=title, text=text)
        item.added_at = _noon(day)
        rows.append(item)
    return rows
