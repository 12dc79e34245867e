"""A workbook exported by Caring Together, edited offline and sent back: update the same actions.

Each row of the exported "Action Plan" sheet carries the action's ID and the revision it had when
the workbook was made (hidden columns). For every field a user can change in Excel we compare
three values: as exported (the action's history at that revision), in the app now, and in the
returned workbook.

- Workbook the same as exported: nothing to do (whatever the app now says stands).
- Changed in the workbook only, or both changed to the same value: the workbook's value applies.
- Changed in the workbook and, differently, in the app since the export: a **conflict**. It is
  listed and nothing is written until the user chooses, field by field, which value to keep.

Every action that changes gets one progress update by the importing user, whose text is the new
progress written in the workbook (if any) followed by each field's change; a new due date is a
due-date change with that update, so slips keep their history. Rows with no ID are new actions.
Everything happens in the caller's transaction: any refusal rolls the whole import back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from caring.accounts.models import Organisation
from caring.accounts.services import organisation_ensure
from caring.plans.dates import DateKind, parse_council_date
from caring.plans.models import Action, Outcome, PlanVersion
from caring.plans.services.actions import action_edit, action_update_post
from caring.plans.services.base import ConflictError
from caring.plans.services.evidence import EvidenceInput
from caring.workbooks.reader import Problem, RawAction

ID_HEADER, REVISION_HEADER = "ID", "Revision"
UNKNOWN = "(not known: the action's history at that revision is missing)"
STATUS_TEXT = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "on_hold": "On hold",
    "cancelled": "Cancelled",
}
RAG_TEXT = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", "": "Not rated"}
# Field -> the column's name in the exported workbook.
LABELS = {
    "title": "Action",
    "description": "Description",
    "theme": "Theme",
    "lead": "Lead",
    "organisations": "Lead organisation",
    "outcomes": "Link to Strategy Outcome",
    "commenced": "Date commenced",
    "due": "Timescale",
    "status": "Status",
    "rag": "RAG",
}
DETAIL_FIELDS = ("title", "description", "theme", "lead", "organisations", "outcomes", "commenced")


def is_returned_workbook(headers: dict[str, str]) -> bool:
    """Whether the header row is that of a workbook Caring Together exported."""
    names = set(headers.values())
    return ID_HEADER in names and REVISION_HEADER in names


@dataclass
class _Values:
    """One action's changeable fields, as shown text and as keys to compare."""

    shown: dict[str, str]
    keys: dict[str, object]


def _text_key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _date_key(text: str, day: dt.date | None) -> object:
    parsed = parse_council_date(text if text else day)
    if parsed.kind == DateKind.BLANK:
        return ""
    if parsed.is_unparsed:
        return _text_key(parsed.text)
    return (parsed.kind.value, parsed.first, parsed.last)


def _date_shown(text: str, day: dt.date | None) -> str:
    return text or (f"{day:%d/%m/%Y}" if day else "")


def _values(*, title, description, theme, lead, organisations, outcomes, commenced, due,
            status, rag) -> _Values:  # fmt: skip
    """``commenced`` and ``due`` are (text, date) pairs; the lists are of names and numbers."""
    organisations = sorted({o.strip() for o in organisations if o.strip()}, key=str.casefold)
    outcomes = sorted({str(o) for o in outcomes}, key=lambda n: (len(n), n))
    shown = {
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "theme": theme or "",
        "lead": (lead or "").strip(),
        "organisations": ", ".join(organisations),
        "outcomes": ", ".join(outcomes),
        "commenced": _date_shown(*commenced),
        "due": _date_shown(*due),
        "status": STATUS_TEXT.get(status, status or ""),
        "rag": RAG_TEXT.get(rag or "", rag or ""),
    }
    keys: dict[str, object] = {name: _text_key(value) for name, value in shown.items()}
    keys["organisations"] = tuple(o.casefold() for o in organisations)
    start = parse_council_date(commenced[0] or commenced[1])  # a month is read as its first day
    keys["commenced"] = start.first if start.first else _text_key(start.text)
    keys["due"] = _date_key(*due)
    return _Values(shown, keys)


def _action_values(action, organisations: list[str], outcomes: list[int], themes) -> _Values:
    """Values of an action, or of a historical record of one."""
    lead = action.lead_role or (action.lead_person.job_title if action.lead_person_id else "")
    return _values(
        title=action.title,
        description=action.description,
        theme=themes.get(action.theme_id, ""),
        lead=lead,
        organisations=organisations,
        outcomes=outcomes,
        commenced=(action.commenced_text, action.commenced),
        due=(action.due_text or ("Ongoing" if action.ongoing else ""), action.due),
        status=action.status,
        rag=action.rag,
    )


def row_organisations(row: RawAction) -> list[str]:
    """The organisations a row names. The reader splits "CYPS and Barnardo's" in two; a cell
    whose whole text is one organisation we know ("Children and Young People's Services"),
    or that gives a name a line (as the export does), is not split further."""
    text = (row.organisations_text or "").strip()
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    if text and Organisation.objects.filter(name__iexact=" ".join(text.split())).exists():
        return [" ".join(text.split())]
    return list(row.organisations)


def _row_values(row: RawAction, app: _Values) -> _Values:
    """The workbook's values; a status the reader could not make out leaves the app's."""
    values = _values(
        title=row.title,
        description=row.description,
        theme=row.theme or "",
        lead=row.lead,
        organisations=row_organisations(row),
        outcomes=row.outcomes,
        commenced=(row.commenced.text, row.commenced.first),
        due=(row.due.text, row.due.first),
        status=row.status or "",
        rag=row.rag or "",
    )
    if not row.status:
        values.shown["status"], values.keys["status"] = app.shown["status"], app.keys["status"]
    return values


def _evidence_lines(items) -> list[str]:
    lines = []
    for item in items:
        detail = item.text or item.url or (item.file.name.rsplit("/", 1)[-1] if item.file else "")
        lines.extend(f"{item.title}: {detail}".splitlines() if detail else [item.title])
        lines.extend(detail.splitlines())  # a line added in a workbook comes back bare
    return [line.strip() for line in lines if line.strip()]


class ReturnedWorkbook:
    """Works out, and then applies, what a returned workbook changes in a plan version."""

    def __init__(self, version: PlanVersion, rows: list[RawAction], *, mapping: dict[str, str]):
        self.version, self.rows, self.mapping = version, rows, mapping
        self.themes = {t.pk: t.name for t in version.themes.all()}
        self.problems: list[Problem] = []

    def problem(self, row: RawAction | None, message: str, name: str | None = None,
                *, error: bool = True) -> None:  # fmt: skip
        column = self.mapping.get(name) if name else None
        if name in (ID_HEADER, REVISION_HEADER):
            column = None
        self.problems.append(
            Problem(row.sheet if row else "", row.row if row else None, column, name, message,
                    "error" if error else "warning")
        )  # fmt: skip

    # --- the difference -------------------------------------------------------------------

    def split(self) -> tuple[list[tuple[RawAction, int, int]], list[RawAction]]:
        """Rows with an ID and revision (checked), and rows with no ID (new actions)."""
        keyed, added, seen = [], [], {}
        for row in self.rows:
            ident = row.notes.get(ID_HEADER, "").strip()
            revision = row.notes.get(REVISION_HEADER, "").strip()
            if not ident:
                added.append(row)
                continue
            try:
                number, exported = int(float(ident)), int(float(revision))
            except ValueError:
                self.problem(
                    row,
                    f"{row.ref}: the hidden ID and Revision columns should hold whole numbers "
                    f"(they hold {ident!r} and {revision!r}). Export the plan again rather "
                    "than editing those columns.",
                    ID_HEADER,
                )
                continue
            if number in seen:
                self.problem(
                    row,
                    f"{row.ref}: this row has the same ID ({number}) as row {seen[number]}; "
                    "each action can appear once. Delete the copied row.",
                    ID_HEADER,
                )
                continue
            seen[number] = row.row
            keyed.append((row, number, exported))
        return keyed, added

    def changes(self, keyed: list[tuple[RawAction, int, int]], *, filename: str):
        from caring.plans.services.imports import ActionChange, FieldChange

        actions = {
            a.pk: a
            for a in Action.objects.filter(
                version=self.version, pk__in=[number for _, number, _ in keyed]
            ).select_related("lead_person")
        }
        current_orgs, current_outcomes = self._children(actions)
        changes, unchanged, strangers = [], 0, []
        for row, number, exported_revision in keyed:
            action = actions.get(number)
            if action is None:
                strangers.append(row)
                continue
            if exported_revision > action.revision:
                self.problem(
                    row,
                    f"{row.ref}: the workbook says revision {exported_revision} but the action "
                    f"is at revision {action.revision}. Export the plan again rather than "
                    "editing the hidden columns.",
                    REVISION_HEADER,
                )
                continue
            app = _action_values(
                action, current_orgs.get(action.pk, []), current_outcomes.get(action.pk, []),
                self.themes,
            )  # fmt: skip
            exported, moment = self._exported(action, exported_revision, app)
            theirs = _row_values(row, app)
            change = ActionChange(
                action_id=action.pk,
                revision=action.revision,
                exported_revision=exported_revision,
                ref=action.ref,
                sheet=row.sheet,
                row=row.row,
            )
            for name, label in LABELS.items():
                if theirs.keys[name] == app.keys[name]:
                    continue
                if exported is not None and theirs.keys[name] == exported.keys[name]:
                    continue  # untouched in the workbook: the app's value stands
                base = exported.shown[name] if exported is not None else UNKNOWN
                change.fields.append(
                    FieldChange(name, label, base, app.shown[name], theirs.shown[name])
                )
            change.progress, change.evidence = self._additions(action, row, moment)
            if change.fields or change.progress or change.evidence:
                if action.is_retired:
                    self.problem(
                        row,
                        f"{row.ref}: this action has been retired, so the changes to it in the "
                        "workbook can't be applied. Remove them or ask the strategy lead.",
                    )
                    continue
                changes.append(change)
            else:
                unchanged += 1
        self._strangers(strangers)
        return changes, unchanged

    def _strangers(self, rows: list[RawAction]) -> None:
        """Rows whose ID is not an action of this version: one problem each, or one for all."""
        why = (
            f"not an action in the current version of this plan ({self.version.name}). The "
            "workbook was exported from another plan or an earlier version: export the plan "
            "again and make the changes in the new workbook."
        )
        if len(rows) > 3:
            listed = ", ".join(str(row.row) for row in rows[:20]) + (", ..." if rows[20:] else "")
            self.problems.append(Problem(rows[0].sheet, None, None, ID_HEADER,
                                         f"The IDs of {len(rows)} rows (rows {listed}) are {why}",
                                         "error"))  # fmt: skip
            return
        for row in rows:
            self.problem(row, f"{row.ref}: the workbook's ID is {why}", ID_HEADER)

    def _children(self, actions: dict[int, Action]):
        organisations: dict[int, list[str]] = {}
        outcomes: dict[int, list[int]] = {}
        through = Action.organisations.through.objects.filter(action_id__in=actions)
        for action_id, name in through.values_list("action_id", "organisation__name"):
            organisations.setdefault(action_id, []).append(name)
        through = Action.outcomes.through.objects.filter(action_id__in=actions)
        for action_id, number in through.values_list("action_id", "outcome__number"):
            outcomes.setdefault(action_id, []).append(number)
        return organisations, outcomes

    def _exported(self, action: Action, revision: int, app: _Values):
        """The action's values at ``revision`` and when that was, from its history."""
        record = (
            action.history.filter(revision=revision)
            .select_related("lead_person")
            .order_by("-history_date", "-history_id")
            .first()
        )
        if record is None:
            return (app, None) if revision == action.revision else (None, None)
        organisations = [
            r.organisation.name for r in record.organisations.select_related("organisation")
        ]
        outcomes = [r.outcome.number for r in record.outcomes.select_related("outcome")]
        return _action_values(record, organisations, outcomes, self.themes), record.history_date

    def _additions(self, action: Action, row: RawAction, moment) -> tuple[str, list[str]]:
        """New progress text and new evidence lines written in the workbook."""
        updates = action.updates.all()
        evidence = action.evidence.all()
        if moment is not None:
            updates = updates.filter(created_at__lte=moment)
            evidence = evidence.filter(added_at__lte=moment)
        progress = (row.progress or "").strip()
        last = updates.order_by("reported_on", "id").last()
        if _text_key(progress) == _text_key(last.narrative if last else ""):
            progress = ""  # the latest update as exported
        elif any(  # already posted, perhaps by an earlier import of this workbook
            _text_key(narrative).startswith(_text_key(progress))
            for narrative in action.updates.values_list("narrative", flat=True)
        ):
            progress = ""
        known = {_text_key(line) for line in _evidence_lines(evidence)}
        known |= {_text_key(line) for line in _evidence_lines(action.evidence.all())}
        added = [
            line.strip()
            for line in (row.evidence or "").splitlines()
            if line.strip() and _text_key(line) not in known
        ]
        return progress, added

    # --- applying it ----------------------------------------------------------------------

    def apply(self, change, row: RawAction, *, by, filename: str) -> None:
        """Apply one action's changes (those not conflicting, and conflicts resolved to the
        workbook) through the services; a refusal becomes a problem naming the row."""
        action = Action.objects.select_related("lead_person").get(pk=change.action_id)
        if action.revision != change.revision:
            self.problem(
                row,
                f"{change.ref}: the action was changed in the app after the workbook was "
                "checked. Check the workbook again to see the difference now.",
            )
            return
        applying = {f.field: f for f in change.fields if f.applies}
        if not applying and not change.progress and not change.evidence:
            return
        if "due" in applying and not row.due.text.strip():
            self.problem(
                row,
                f"{change.ref}: the timescale is blank in the workbook. A due date can't be "
                "removed; write the new date, Ongoing or TBC.",
                "due",
            )
            return
        try:
            if applying.keys() & set(DETAIL_FIELDS):
                self._edit(action, row, applying, by=by)
            self._post(action, row, change, applying, by=by, filename=filename)
        except ConflictError as exc:
            self.problem(row, str(exc))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                field = {"new_due": "due", "lead_role": "lead", "action": None}.get(name, name)
                self.problem(row, f"{change.ref}: {messages[0]}", field)

    def _edit(self, action: Action, row: RawAction, applying, *, by) -> None:
        theme = action.theme
        if "theme" in applying:
            theme = self.theme(row)
        outcomes = list(action.outcomes.all())
        if "outcomes" in applying:
            outcomes = self._outcomes(row)
        organisations = list(action.organisations.all())
        if "organisations" in applying:
            organisations = [organisation_ensure(name=name) for name in row_organisations(row)]
        lead_role, lead_person = action.lead_role, action.lead_person
        if "lead" in applying:
            lead_role, lead_person = row.lead, None
        action_edit(
            action=action,
            by=by,
            expected_revision=action.revision,
            title=row.title if "title" in applying else action.title,
            description=row.description if "description" in applying else action.description,
            theme=theme,
            outcomes=outcomes,
            lead_role=lead_role,
            lead_person=lead_person,
            organisations=organisations,
            commenced=(row.commenced.text or None) if "commenced" in applying else (
                action.commenced_text or action.commenced
            ),
            ongoing=action.ongoing,
            budget=action.budget,
            spend=action.spend,
        )  # fmt: skip

    def theme(self, row: RawAction):
        """The plan's theme named in the row's theme cell, or a ValidationError."""
        from caring.plans.services.imports import theme_parts

        wanted = {_text_key(row.theme or ""), _text_key(theme_parts(row.theme or "", 0)[1])}
        for theme in self.version.themes.all():
            if _text_key(theme.name) in wanted - {""}:
                return theme
        choices = ", ".join(t.name for t in self.version.themes.order_by("number"))
        raise ValidationError(
            {"theme": f"There is no theme {row.theme!r} in this plan; the themes are {choices}."}
        )

    def _outcomes(self, row: RawAction) -> list[Outcome]:
        found = {o.number: o for o in self.version.strategy.outcomes.all()}
        missing = [n for n in row.outcomes if int(n) not in found]
        if missing:
            raise ValidationError(
                {"outcomes": f"The strategy has no outcome {', '.join(missing)}; its outcomes "
                 f"are {', '.join(str(n) for n in sorted(found)) or 'none yet'}."}
            )  # fmt: skip
        return [found[int(n)] for n in row.outcomes]

    def _post(self, action: Action, row: RawAction, change, applying, *, by, filename) -> None:
        lines = [
            f"{f.label}: {f.app or '(blank)'} → {f.workbook or '(blank)'}"
            for f in change.fields
            if f.field in applying
        ]
        narrative = change.progress
        if lines or change.evidence:
            said = f"Changed in the returned workbook {filename}"
            details = "; ".join(lines + ([f"evidence added ({len(change.evidence)})"]
                                         if change.evidence else []))  # fmt: skip
            narrative = f"{narrative}\n\n{said}: {details}." if narrative else f"{said}: {details}."
        status = row.status if "status" in applying else action.status
        rag = (row.rag or "") if "rag" in applying else action.rag
        evidence = []
        if change.evidence:
            evidence = [
                EvidenceInput(
                    kind="text", title="Evidence from a returned workbook",
                    text="\n".join(change.evidence),
                )
            ]  # fmt: skip
        action_update_post(
            action=action,
            by=by,
            narrative=narrative,
            status=status,
            rag=rag,
            rag_rationale=action.rag_rationale if "rag" not in applying else "",
            evidence=evidence,
            new_due=row.due.text if "due" in applying else None,
            due_reason=f"Changed in the returned workbook {filename}." if "due" in applying else "",
            expected_revision=action.revision,
        )
