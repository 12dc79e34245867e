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

from django.core.exceptions import ValidationError

from caring.accounts.services import organisation_ensure
from caring.plans.models import Action, Outcome, PlanVersion
from caring.plans.services.actions import action_edit, action_update_post
from caring.plans.services.base import ConflictError
from caring.plans.services.evidence import EvidenceInput
from caring.plans.services.import_report import ActionChange, FieldChange
from caring.plans.services.returned_values import (
    DETAIL_FIELDS,
    ID_HEADER,
    LABELS,
    REVISION_HEADER,
    UNKNOWN,
    Values,
    action_values,
    evidence_lines,
    row_organisations,
    row_values,
    text_key,
    theme_parts,
)
from caring.workbooks.reader import Problem, RawAction


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

    def changes(self, keyed: list[tuple[RawAction, int, int]]):
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
            app = action_values(
                action, current_orgs.get(action.pk, []), current_outcomes.get(action.pk, []),
                self.themes,
            )  # fmt: skip
            exported, moment = self._exported(action, exported_revision, app)
            theirs = row_values(row, app)
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

    def _exported(self, action: Action, revision: int, app: Values):
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
        return action_values(record, organisations, outcomes, self.themes), record.history_date

    def _additions(self, action: Action, row: RawAction, moment) -> tuple[str, list[str]]:
        """New progress text and new evidence lines written in the workbook."""
        updates = action.updates.all()
        evidence = action.evidence.all()
        if moment is not None:
            updates = updates.filter(created_at__lte=moment)
            evidence = evidence.filter(added_at__lte=moment)
        progress = (row.progress or "").strip()
        last = updates.order_by("reported_on", "id").last()
        if text_key(progress) == text_key(last.narrative if last else ""):
            progress = ""  # the latest update as exported
        elif any(  # already posted, perhaps by an earlier import of this workbook
            text_key(narrative).startswith(text_key(progress))
            for narrative in action.updates.values_list("narrative", flat=True)
        ):
            progress = ""
        known = {text_key(line) for line in evidence_lines(evidence)}
        known |= {text_key(line) for line in evidence_lines(action.evidence.all())}
        added = [
            line.strip()
            for line in (row.evidence or "").splitlines()
            if line.strip() and text_key(line) not in known
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
        wanted = {text_key(row.theme or ""), text_key(theme_parts(row.theme or "", 0)[1])}
        for theme in self.version.themes.all():
            if text_key(theme.name) in wanted - {""}:
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
