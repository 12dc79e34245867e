"""The plan as it was at any past moment, rebuilt from the audit history.

Every model keeps its history with django-simple-history: each save writes a row holding the
record as saved, when (``history_date``) and by whom; a change to a tracked many-to-many field
writes one too, with the links as they then were. :func:`plan_export_as_of` reads, for each kind
of record, the latest history row of each object at the moment asked (deleted ones left out) and
feeds those rows to the export's own builders (``caring.plans.export._action``, and
``_body``/``_meeting``/``_recommendation``/``_request`` of ``caring.governance.export``), so the
result has exactly the shape of :func:`caring.plans.export.plan_export` (schema 3) and the same
rules judge flags and suggested ratings.

A fixed number of queries whatever the plan's size (at most 28): one per kind of record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from caring.accounts.models import Organisation, User
from caring.governance import selectors as governance_selectors
from caring.governance.choices import MeetingStatus
from caring.governance.export import _body, _day, _meeting, _recommendation, _request
from caring.governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    InformationRequest,
    Meeting,
    Paper,
    ReportRequirement,
    Resolution,
    ResolutionUpdate,
)
from caring.governance.tracking import assess_request
from caring.plans.export import ACTION_FIELDS, SCHEMA_VERSION, _action
from caring.plans.export import _day as _plan_day
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
from caring.plans.rag import format_date
from caring.plans.selectors import natural_key, rag_config

TRACKED = ("recommendation", "future_report")  # what governance_export lists as recommendations


class AsOfError(ValueError):
    """The plan did not exist (or had no version) at the moment asked for."""


class _Many(list):
    """A list that answers ``.all()``, standing in for a prefetched related manager."""

    def all(self):
        return self


def _latest(model, moment: dt.datetime, **scope) -> QuerySet:
    """Each object's history row as it stood at ``moment``: its latest row then (ties broken by
    the history id), objects deleted by then left out. ``scope`` filters those rows."""
    later = model.history.filter(
        Q(id=OuterRef("id")),
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        history_date__lte=moment,
    )
    return (
        model.history.filter(~Exists(later), history_date__lte=moment, **scope)
        .exclude(history_type="-")
        .order_by()
    )


def _values_as_of(model, field: str, ids, moment: dt.datetime) -> dict:
    """``field`` of each object in ``ids`` as it was at ``moment``.

    Objects with no history at all (rows bulk-loaded by the synthetic generator) are read as
    they are now; objects unknown either way are left out."""
    ids = {i for i in ids if i is not None}
    found = dict(_latest(model, moment, id__in=ids).values_list("id", field)) if ids else {}
    missing = ids - found.keys()
    if missing:
        unrecorded = model.objects.filter(
            ~Exists(model.history.filter(id=OuterRef("pk"))), pk__in=missing
        )
        found |= dict(unrecorded.values_list("pk", field))
    return found


def _when(moment: dt.datetime, *, exact: bool) -> str:
    local = timezone.localtime(moment)
    text = format_date(local.date())
    return f"{text} at {local:%H:%M:%S}" if exact else text


def _did_not_exist(strategy: Strategy, moment: dt.datetime) -> AsOfError:
    """The error for a moment with no plan: when was the plan first recorded, if ever?"""
    first = (
        PlanVersion.history.filter(strategy_id=strategy.pk)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    if first is None:
        return AsOfError(
            f"The plan did not exist on {_when(moment, exact=False)}: "
            "no version of it has been recorded."
        )
    if first <= moment:
        return AsOfError(f"The plan had no version on {_when(moment, exact=False)}.")
    same_day = timezone.localdate(first) == timezone.localdate(moment)
    return AsOfError(
        f"The plan did not exist on {_when(moment, exact=same_day)}: "
        f"it was first recorded on {_when(first, exact=same_day)}."
    )


def _version_as_of(strategy: Strategy, moment: dt.datetime) -> dict:
    """The version current at ``moment``, by the rule of ``selectors.version_current``.

    Making a new version clears the old one's ``is_current`` with a queryset ``update()``, which
    writes no history: so history can show two versions marked current. The one marked current
    most recently is the one that was (the database allows only one at a time)."""
    versions = list(
        _latest(PlanVersion, moment, strategy_id=strategy.pk).values(
            "id", "name", "created", "is_current", "history_date", "history_id"
        )
    )
    marked = [v for v in versions if v["is_current"]]
    if marked:
        return max(marked, key=lambda v: (v["history_date"], v["history_id"]))
    if versions:
        return max(versions, key=lambda v: (v["created"], v["id"]))
    raise _did_not_exist(strategy, moment)


def _grouped(rows, key: str) -> dict:
    groups: dict = defaultdict(_Many)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def plan_export_as_of(
    *, strategy: Strategy, moment: dt.datetime, today: dt.date | None = None
) -> dict:
    """``plan_export(strategy=strategy, today=today)`` as it would have been at ``moment``.

    ``moment`` must be aware; ``today`` (the day flags and suggested ratings are judged on, and
    ``generated``) defaults to ``moment``'s local date. Raises :class:`AsOfError` (a
    ``ValueError``) if the plan did not exist then.

    Exact, from history: the strategy, the version current then, its themes, its actions (those
    not yet created left out; those retired by then left out), their outcomes and organisations
    (the links recorded with the action's history row), progress updates, job titles and
    organisation names as they were then; meetings, agenda items, papers, bodies and seats,
    resolutions with their response, status, RAG, due dates, links and updates, information
    requests and their answers, report requirements and what met them. Counts, flags and
    suggested ratings are worked out from those records, as ``plan_export`` works them out.

    Read as they are now, filtered by their own timestamps (the app never edits or deletes
    them):

    - evidence (``added_at``) and due-date changes (``changed_at``; they keep no history).
      Evidence carried into a refreshed plan is bulk-copied without history, and the demo
      backdates these timestamps with ``update()``: the live rows honour both.
    - an action's ``created_at`` (used for staleness), which the demo and imports backdate with
      ``update()``, unseen by history.
    - the actions linked to an information request (not a tracked field; the app sets them only
      when the request is recorded) and the refs of linked actions (refs never change).

    Reconstructed where the app writes around history: the current version (see
    :func:`_version_as_of`), and a report requirement's ``met_at``, which postponing or
    cancelling its meeting clears with ``update()``: a requirement counts as met at a meeting
    only if that meeting was not postponed or cancelled after the requirement was last saved.

    Approximated: lists the export sorts in the database by name (an action's organisations,
    the bodies' order by the body's name for meetings on the same day) use today's names for the
    order, though the names shown are those of ``moment``. Links changed from the other side of
    a many-to-many (an organisation's ``led_actions``), or rows deleted outside the app, are not
    in the actions' history. Records written with no history at all (the synthetic generator)
    cannot be placed in time: such a plan has no recorded past.
    """
    if timezone.is_naive(moment):
        raise ValueError("The moment must be an aware datetime (with its time zone).")
    today = today or timezone.localdate(moment)
    record = (
        _latest(Strategy, moment, id=strategy.pk).values("slug", "title", "is_illustrative").first()
    )
    if record is None:
        raise _did_not_exist(strategy, moment)
    version = _version_as_of(strategy, moment)

    plan = _PlanRows(strategy, version["id"], moment)
    scrutiny = _ScrutinyRows(strategy, moment)
    titles = _values_as_of(User, "job_title", plan.people | scrutiny.people, moment)
    names = _values_as_of(Organisation, "name", plan.organisations | scrutiny.organisations, moment)

    return {
        "schema_version": SCHEMA_VERSION,
        "generated": today.isoformat(),
        "strategy": {
            "slug": record["slug"],
            "title": record["title"],
            "illustrative": record["is_illustrative"],
        },
        "version": {"name": version["name"], "created": _plan_day(version["created"])},
        "themes": [
            {"number": t["number"], "name": t["name"], "prefix": t["prefix"]} for t in plan.themes
        ],
        "actions": plan.build(titles, names, today),
        **scrutiny.build(titles, names, today),
    }


class _PlanRows:
    """The version's themes and live actions with their children, as they were at ``moment``."""

    def __init__(self, strategy: Strategy, version_id: int, moment: dt.datetime):
        self.themes = list(
            _latest(Theme, moment, version_id=version_id)
            .order_by("number")
            .values("id", "number", "name", "prefix")
        )
        live_created = Action.objects.filter(pk=OuterRef("id")).values("created_at")[:1]
        self.actions = list(
            _latest(Action, moment, version_id=version_id)
            .filter(Q(retired_at__isnull=True) | Q(retired_at__gt=moment))
            .annotate(live_created=Subquery(live_created))
            .values("history_id", "live_created", *ACTION_FIELDS)
        )
        ids = [a["id"] for a in self.actions]
        records = [a["history_id"] for a in self.actions]
        history = Action.history.model
        self.outcome_links = list(
            history.outcomes.model.objects.filter(history_id__in=records).values_list(
                "action_id", "outcome_id"
            )
        )
        self.outcome_numbers = _values_as_of(
            Outcome, "number", {o for _, o in self.outcome_links}, moment
        )
        # Ordered as plan_export orders them: by name, in the database's collation.
        self.organisation_links = list(
            history.organisations.model.objects.filter(history_id__in=records)
            .order_by("action_id", "organisation__name", "organisation_id")
            .values_list("action_id", "organisation_id")
        )
        self.updates = list(
            _latest(Update, moment, action_id__in=ids)
            .order_by("action_id", "reported_on", "id")
            .values_list("action_id", "reported_on", "author_id", "narrative", "status", "rag")
        )
        self.evidence = list(
            Evidence.objects.filter(action_id__in=ids, added_at__lte=moment)
            .order_by("action_id", "added_at", "id")
            .values_list(
                "action_id", "kind", "title", "text", "url", "file", "added_by_id", "added_at"
            )
        )
        self.changes = list(
            DueDateChange.objects.filter(action_id__in=ids, changed_at__lte=moment)
            .order_by("action_id", "changed_at", "id")
            .values_list(
                "action_id",
                "old_due",
                "old_text",
                "new_due",
                "new_text",
                "reason",
                "changed_by_id",
                "changed_at",
            )  # fmt: skip
        )
        self.people = (
            {a["lead_person_id"] for a in self.actions}
            | {u[2] for u in self.updates}
            | {e[6] for e in self.evidence}
            | {c[6] for c in self.changes}
        )
        self.organisations = {o for _, o in self.organisation_links}

    def build(self, titles: dict, names: dict, today: dt.date) -> list[dict]:
        """The actions' entries, built by ``plan_export``'s own ``_action``."""
        outcomes: dict[int, list] = defaultdict(list)
        for action_id, outcome_id in self.outcome_links:
            if outcome_id in self.outcome_numbers:
                outcomes[action_id].append((self.outcome_numbers[outcome_id],))
        for numbers in outcomes.values():
            numbers.sort()
        organisations: dict[int, list] = defaultdict(list)
        for action_id, organisation_id in self.organisation_links:
            if organisation_id in names:
                organisations[action_id].append((names[organisation_id],))
        updates: dict[int, list] = defaultdict(list)
        for action_id, day, author, narrative, status, rag in self.updates:
            updates[action_id].append((day.isoformat(), titles.get(author), narrative, status, rag))
        evidence: dict[int, list] = defaultdict(list)
        for action_id, *fields, added_by, added_at in self.evidence:
            evidence[action_id].append((*fields, titles.get(added_by), added_at))
        changes: dict[int, list] = defaultdict(list)
        slipped: dict[int, int] = defaultdict(int)
        for action_id, old_due, old_text, new_due, new_text, reason, by, at in self.changes:
            changes[action_id].append(
                (old_due, old_text, new_due, new_text, reason, titles.get(by), at)
            )
            move = SimpleNamespace(old_due=old_due, new_due=new_due)
            slipped[action_id] += DueDateChange.is_slip.fget(move)
        children = {"outcomes": outcomes, "organisations": organisations, "updates": updates,
                    "evidence": evidence, "due_changes": changes}  # fmt: skip

        actions = []
        for row in self.actions:
            row = dict(row)
            row.pop("history_id")
            live_created = row.pop("live_created")
            row["created_at"] = live_created or row["created_at"]
            key = row["id"]
            actions.append(
                SimpleNamespace(
                    pk=key,
                    **row,
                    evidence_count=len(evidence.get(key, ())),
                    times_slipped=slipped.get(key, 0),
                    lead_person_title=titles.get(row["lead_person_id"]),
                )
            )
        theme_order = {t["id"]: t["number"] for t in self.themes}
        theme_names = {t["id"]: t["name"] for t in self.themes}
        actions.sort(key=lambda a: (theme_order.get(a.theme_id, 10**6), natural_key(a.ref)))
        config = rag_config()
        return [
            _action(a, children, theme_names.get(a.theme_id), today=today, config=config)
            for a in actions
        ]


class _ScrutinyRows:
    """The strategy's meetings, resolutions, requests and requirements as they were."""

    def __init__(self, strategy: Strategy, moment: dt.datetime):
        self.meetings = list(
            _latest(Meeting, moment, strategy_id=strategy.pk)
            .order_by("date", "body__name", "id")
            .values(
                "id",
                "body_id",
                "date",
                "status",
                "status_reason",
                "rearranged_for",
                "minute_ref",
                "notes",
                "is_illustrative",
            )  # fmt: skip
        )
        meeting_ids = [m["id"] for m in self.meetings]
        self.resolutions = list(
            _latest(Resolution, moment, strategy_id=strategy.pk).values(
                "history_id",
                "id",
                "meeting_id",
                "number",
                "ref",
                "text",
                "kind",
                "is_illustrative",
                "response",
                "response_date",
                "response_text",
                "lead_role",
                "lead_person_id",
                "due",
                "due_text",
                "original_due",
                "times_slipped",
                "status",
                "rag",
                "last_update_on",
                "signed_off_at_id",
                "signed_off_note",
            )  # fmt: skip
        )
        resolution_ids = [r["id"] for r in self.resolutions]
        records = [r["history_id"] for r in self.resolutions]
        history = Resolution.history.model
        self.resolution_organisations = list(
            history.organisations.model.objects.filter(history_id__in=records).values_list(
                "resolution_id", "organisation_id"
            )
        )
        # Refs never change, so the live action gives it; ordered as the export's prefetch.
        self.resolution_actions = list(
            history.actions.model.objects.filter(history_id__in=records, action__ref__isnull=False)
            .order_by("action__ref")
            .values_list("resolution_id", "action__ref")
        )
        self.resolution_updates = list(
            _latest(ResolutionUpdate, moment, resolution_id__in=resolution_ids).values(
                "id",
                "resolution_id",
                "reported_on",
                "author_id",
                "narrative",
                "status",
                "rag",
                "evidence",
                "evidence_url",
            )  # fmt: skip
        )
        self.requirements = list(
            _latest(ReportRequirement, moment, resolution_id__in=resolution_ids)
            .order_by("due", "id")
            .values("history_date", "resolution_id", "body_id", "topic", "text", "due", "met_at_id")
        )
        # Postponing or cancelling a meeting clears what it met with update(), unrecorded.
        self.unmet: dict[int, list] = defaultdict(list)
        met_at = {q["met_at_id"] for q in self.requirements} - {None}
        if met_at:
            for meeting_id, when in Meeting.history.filter(
                id__in=met_at,
                history_date__lte=moment,
                status__in=(MeetingStatus.POSTPONED, MeetingStatus.CANCELLED),
            ).values_list("id", "history_date"):
                self.unmet[meeting_id].append(when)
        self.requests = list(
            _latest(InformationRequest, moment, strategy_id=strategy.pk).values(
                "history_id",
                "id",
                "meeting_id",
                "number",
                "asked_by",
                "question",
                "answerer_role",
                "due",
                "due_text",
                "offered_outside_meeting",
                "answered_in_meeting",
                "answer",
                "answered_on",
            )  # fmt: skip
        )
        history = InformationRequest.history.model
        self.request_organisations = list(
            history.organisations.model.objects.filter(
                history_id__in=[q["history_id"] for q in self.requests]
            ).values_list("informationrequest_id", "organisation_id")
        )
        # Not a tracked field: the app sets these only when the request is recorded.
        self.request_actions = list(
            InformationRequest.actions.through.objects.filter(
                informationrequest_id__in=[q["id"] for q in self.requests]
            ).values_list("informationrequest_id", "action__ref")
        )
        meeting_bodies = {m["body_id"] for m in self.meetings}
        self.bodies = list(
            _latest(Body, moment, id__in=meeting_bodies | {q["body_id"] for q in self.requirements})
            .order_by("name", "id")
            .values(
                "id",
                "name",
                "short_name",
                "kind",
                "organisation_id",
                "terms_title",
                "terms_url",
                "terms_agreed",
                "terms_next_review",
                "is_illustrative",
            )  # fmt: skip
        )
        self.meeting_bodies = meeting_bodies
        self.members = list(
            _latest(BodyMember, moment, body_id__in=meeting_bodies, left__isnull=True)
            .order_by("body_id", "position", "role", "id")
            .values("body_id", "role", "organisation_id", "position")
        )
        self.agenda = list(
            _latest(AgendaItem, moment, meeting_id__in=meeting_ids)
            .order_by("meeting_id", "number")
            .values("meeting_id", "number", "title", "minute_ref", "presenters")
        )
        self.papers = list(
            _latest(Paper, moment, meeting_id__in=meeting_ids)
            .order_by("meeting_id", "added_at", "id")
            .values("meeting_id", "title", "url")
        )
        self.people = {r["lead_person_id"] for r in self.resolutions} | {
            u["author_id"] for u in self.resolution_updates
        }
        self.organisations = (
            {o for _, o in self.resolution_organisations}
            | {o for _, o in self.request_organisations}
            | {b["organisation_id"] for b in self.bodies}
            | {m["organisation_id"] for m in self.members}
        )

    def build(self, titles: dict, names: dict, today: dt.date) -> dict:
        """The scrutiny keys, built by ``governance_export``'s own builders."""

        def organisation(key):
            return SimpleNamespace(name=names[key]) if key in names else None

        def person(key):
            return SimpleNamespace(job_title=titles.get(key) or "") if key else None

        members = _grouped(self.members, "body_id")
        bodies = {}
        for row in self.bodies:
            body = SimpleNamespace(**row)
            body.organisation = organisation(body.organisation_id)
            body.organisation_id = body.organisation_id if body.organisation else None
            body.label = Body.label.fget(body)
            body.members = _Many(
                SimpleNamespace(
                    role=m["role"],
                    position=m["position"],
                    organisation=organisation(m["organisation_id"]),
                    organisation_id=m["organisation_id"] if m["organisation_id"] in names else None,
                )
                for m in members.get(row["id"], ())
            )
            bodies[row["id"]] = body

        agenda = _grouped(self.agenda, "meeting_id")
        papers = _grouped(self.papers, "meeting_id")
        meetings = {}
        for row in self.meetings:
            if row["body_id"] not in bodies:
                continue
            meeting = SimpleNamespace(**row, body=bodies[row["body_id"]], resolutions=_Many())
            meeting.agenda_items = _Many(
                SimpleNamespace(
                    **a, presenter_list=AgendaItem.presenter_list.fget(SimpleNamespace(**a))
                )
                for a in agenda.get(row["id"], ())
            )
            meeting.papers = _Many(SimpleNamespace(**p) for p in papers.get(row["id"], ()))
            meetings[row["id"]] = meeting

        linked_organisations: dict[int, _Many] = defaultdict(_Many)
        for resolution_id, organisation_id in self.resolution_organisations:
            if organisation_id in names:
                linked_organisations[resolution_id].append(organisation(organisation_id))
        linked_actions: dict[int, _Many] = defaultdict(_Many)
        for resolution_id, ref in self.resolution_actions:
            linked_actions[resolution_id].append(SimpleNamespace(ref=ref))
        updates: dict[int, _Many] = defaultdict(_Many)
        for row in self.resolution_updates:
            update = SimpleNamespace(pk=row["id"], **row, author=person(row["author_id"]))
            updates[row["resolution_id"]].append(update)

        resolutions = {}
        for row in self.resolutions:
            meeting = meetings.get(row["meeting_id"])
            if meeting is None:
                continue
            key = row["id"]
            resolution = SimpleNamespace(
                **row,
                pk=key,
                meeting=meeting,
                lead_person=person(row["lead_person_id"]),
                signed_off_at=meetings.get(row["signed_off_at_id"]),
                organisations=linked_organisations.get(key, _Many()),
                actions=linked_actions.get(key, _Many()),
                updates=updates.get(key, _Many()),
                evidence_count=sum(1 for u in updates.get(key, ()) if u.evidence or u.evidence_url),
            )
            meeting.resolutions.append(resolution)
            resolutions[key] = resolution
        tracked = sorted(
            (r for r in resolutions.values() if r.kind in TRACKED),
            key=lambda r: (r.meeting.date, r.meeting_id, r.number),
        )

        request_organisations: dict[int, _Many] = defaultdict(_Many)
        for request_id, organisation_id in self.request_organisations:
            if organisation_id in names:
                request_organisations[request_id].append(organisation(organisation_id))
        request_actions: dict[int, _Many] = defaultdict(_Many)
        for request_id, ref in self.request_actions:
            request_actions[request_id].append(SimpleNamespace(ref=ref))
        requests = []
        for row in self.requests:
            meeting = meetings.get(row["meeting_id"])
            if meeting is None:
                continue
            request = SimpleNamespace(
                **row,
                meeting=meeting,
                organisations=request_organisations.get(row["id"], _Many()),
                actions=request_actions.get(row["id"], _Many()),
            )
            request.ref = InformationRequest.ref.fget(request)
            requests.append(request)
        requests.sort(key=lambda q: (q.meeting.date, q.meeting_id, q.number))

        return {
            "bodies": [_body(b) for key, b in bodies.items() if key in self.meeting_bodies],
            "meetings": [_meeting(m) for m in meetings.values()],
            "recommendations": [
                _recommendation(governance_selectors.assess(r, today)) for r in tracked
            ],
            "information_requests": [
                _request(
                    governance_selectors.RequestItem(
                        q, assess_request(governance_selectors.request_facts(q), today=today)
                    ),
                    today,
                )
                for q in requests
            ],
            "report_requirements": [
                {
                    "body": bodies[q["body_id"]].name if q["body_id"] in bodies else None,
                    "resolution": resolutions[q["resolution_id"]].ref,
                    "topic": q["topic"],
                    "text": q["text"],
                    "due": _day(q["due"]),
                    "met_at": _day(self._met_at(q, meetings)),
                }
                for q in self.requirements
                if q["resolution_id"] in resolutions
            ],
        }

    def _met_at(self, requirement: dict, meetings: dict) -> dt.date | None:
        """The date of the meeting that met the requirement, unless that meeting was postponed
        or cancelled after the requirement was last saved (which clears it, unrecorded)."""
        key = requirement["met_at_id"]
        if key is None or key not in meetings:
            return None
        if any(when > requirement["history_date"] for when in self.unmet.get(key, ())):
            return None
        return meetings[key].date
