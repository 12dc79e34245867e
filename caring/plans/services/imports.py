"""Importing a council's own workbook as a new version of its plan: all or nothing.

The file is checked (``workbooks.safety``) and read (``workbooks.reader``), then every action is
created through the ordinary services in one transaction. Any refusal, from the reader or from a
service, rolls everything back and is reported by sheet, row and column.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.accounts.services import organisation_ensure
from caring.plans.models import Outcome, PlanVersion, Strategy, Theme
from caring.plans.services.actions import action_create, action_update_post
from caring.plans.services.evidence import EvidenceInput
from caring.plans.services.import_report import (
    KEEP_APP,
    TAKE_WORKBOOK,
    ActionChange,
    FieldChange,
    ImportReport,
)
from caring.plans.services.returned_values import (
    ID_HEADER,
    REVISION_HEADER,
    is_returned_workbook,
    row_organisations,
    theme_parts,
)
from caring.plans.services.roundtrip import ReturnedWorkbook
from caring.plans.services.versions import plan_version_create, strategy_create, theme_create
from caring.workbooks.reader import NOTES_WARNING, Problem, RawAction, read_workbook
from caring.workbooks.safety import WorkbookRefused, check_workbook

__all__ = [
    "KEEP_APP", "TAKE_WORKBOOK", "ActionChange", "FieldChange", "ImportReport", "theme_parts",
    "workbook_import",
]  # fmt: skip


class _Refused(Exception):
    """Raised inside the transaction to roll everything back."""


def _prefix(refs: list[str]) -> str:
    letters = {re.match(r"[A-Za-z]*", ref).group(0).upper() for ref in refs}
    letters.discard("")
    return letters.pop() if len(letters) == 1 else ""


def workbook_import(
    *,
    data: bytes,
    filename: str,
    strategy_slug: str,
    version_name: str | None = None,
    dry_run: bool = False,
    by=None,
    mapping: dict[str, str] | None = None,
    mode: str | None = None,
    resolutions: dict[str, str] | None = None,
    expected_revisions: dict[int, int] | None = None,
) -> ImportReport:
    """Import ``data`` into the plan of ``strategy_slug``, all or nothing.

    ``mode`` "new" makes the workbook a new version of the plan (the strategy is created if
    missing); "update" takes a workbook Caring Together exported back onto the same actions of
    the current version (see ``roundtrip``); None chooses "update" for a workbook we exported
    when the strategy has a current version, else "new". In "update", ``resolutions`` decides
    conflicts (``"<action id>:<field>"`` -> ``KEEP_APP`` or ``TAKE_WORKBOOK``) and
    ``expected_revisions`` (action id -> revision, as a preview saw them) refuses the import if
    any of those actions changed since. A dry run does everything and then rolls it back.
    """
    report = ImportReport(strategy=strategy_slug, dry_run=dry_run)
    try:
        check_workbook(data, filename=filename)
    except WorkbookRefused as exc:
        report.problems.append(Problem("", None, None, None, str(exc), "error"))
        return report
    result = read_workbook(data, filename=filename, mapping=mapping)
    report.sheet = result.sheet
    report.problems.extend(result.problems)
    report.rows, report.header_row = result.actions, result.header_row
    report.mapping, report.headers = result.mapping, result.headers
    if result.refused:
        return report
    returned = is_returned_workbook(result.headers)
    if returned:  # our export gives an organisation a line: never split one name in two
        for row in result.actions:
            row.organisations = row_organisations(row)
    strategy = Strategy.objects.filter(slug=strategy_slug).first()
    current = strategy.versions.filter(is_current=True).first() if strategy else None
    report.mode = mode or ("update" if returned and current else "new")
    if report.mode == "update":
        if not returned or current is None:
            report.problems.append(Problem("", None, None, None, (
                "Only a workbook exported by Caring Together can update the plan: its hidden "
                "ID and Revision columns say which action each row is."
                if not returned else
                f"There is no plan called {strategy_slug!r} to update."), "error"))  # fmt: skip
            return report
        report.version = current.name
        report.problems = [  # the export's own columns (flags, suggested RAG...) are not read
            p for p in report.problems
            if not (p.row == result.header_row and p.message.startswith(NOTES_WARNING))
        ]  # fmt: skip
    else:
        report.version = (
            version_name or f"Imported from {filename} on {timezone.localdate():%d/%m/%Y}"
        )
        if returned:  # a new version's actions are new: the old IDs mean nothing to them
            for row in result.actions:
                row.notes.pop(ID_HEADER, None)
                row.notes.pop(REVISION_HEADER, None)
    try:
        with transaction.atomic():
            if report.mode == "update":
                _update(report, current, filename, by, resolutions or {}, expected_revisions)
            else:
                _create(report, result.actions, strategy_slug, by)
            if report.refused or dry_run:
                raise _Refused
    except _Refused:
        report.imported = False
        return report
    report.imported = True
    return report


def _update(report: ImportReport, version: PlanVersion, filename: str, by,
            resolutions: dict[str, str], expected: dict[int, int] | None) -> None:  # fmt: skip
    returned = ReturnedWorkbook(version, report.rows, mapping=report.mapping)
    keyed, report.added = returned.split()
    report.changes, report.unchanged = returned.changes(keyed)
    rows = {(row.sheet, row.row): row for row in report.rows}
    for change in report.changes:
        for item in change.fields:
            choice = resolutions.get(f"{change.action_id}:{item.field}", "")
            item.resolution = (
                choice if item.conflict and choice in (KEEP_APP, TAKE_WORKBOOK) else ""
            )
        if expected is not None and expected.get(change.action_id) != change.revision:
            returned.problem(
                rows[(change.sheet, change.row)],
                f"{change.ref} was changed in the app after the workbook was checked. Nothing "
                "has been imported: check the workbook again to see the difference now.",
            )
    if not report.dry_run and report.unresolved:
        listed = "; ".join(
            f"{c.ref} {f.label} (app: {f.app or 'blank'}; workbook: {f.workbook or 'blank'})"
            for c, f in report.unresolved
        )
        returned.problem(
            None,
            f"{len(report.unresolved)} field(s) were changed both in the app since the export "
            f"and in the workbook; choose which value to keep for each: {listed}.",
        )
    if not any(p.severity == "error" for p in returned.problems):
        for change in report.changes:
            returned.apply(change, rows[(change.sheet, change.row)], by=by, filename=filename)
        report.updated = len(report.changes)
        _add_rows(report, returned, version, by)
    report.problems.extend(returned.problems)


def _add_rows(report: ImportReport, returned: ReturnedWorkbook, version, by) -> None:
    """Rows of a returned workbook with no ID: actions added in Excel."""
    strategy = version.strategy
    organisations: dict[str, object] = {}
    outcomes = {o.number: o for o in strategy.outcomes.all()}
    for row in report.added:
        try:
            themes = {row.theme: returned.theme(row)} if row.theme else {}
            _action(row, version, themes, organisations, outcomes, strategy, by)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                returned.problem(row, f"{row.ref}: {messages[0]}", name)
        else:
            report.actions += 1


def _create(report: ImportReport, rows: list[RawAction], slug: str, by) -> None:
    strategy = Strategy.objects.filter(slug=slug).first() or strategy_create(
        title=slug.replace("-", " ").capitalize(), slug=slug
    )
    if strategy.versions.filter(name=report.version).exists():
        report.problems.append(
            Problem("", None, None, None, f"The plan already has a version called "
                    f"{report.version!r}. Give the import another name (--version).", "error")
        )  # fmt: skip
        return
    version = plan_version_create(
        strategy=strategy, name=report.version, reason="Imported from a workbook.", by=by
    )
    themes = _themes(version, rows)
    report.themes = len(themes)
    organisations: dict[str, object] = {}
    outcomes = {o.number: o for o in strategy.outcomes.all()}
    for row in rows:
        try:
            _action(row, version, themes, organisations, outcomes, strategy, by)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                report.problems.append(
                    Problem(row.sheet, row.row, None, name, f"{row.ref}: {messages[0]}", "error")
                )
        else:
            report.actions += 1
    report.organisations = len(organisations)


def _themes(version: PlanVersion, rows: list[RawAction]) -> dict[str | None, Theme]:
    texts: dict[str, list[str]] = {}
    for row in rows:
        if row.theme:
            texts.setdefault(row.theme, []).append(row.ref)
    themes, used = {}, set()
    for position, (text, refs) in enumerate(texts.items(), start=1):
        number, name = theme_parts(text, position)
        while number in used:
            number += 1
        used.add(number)
        prefix = _prefix(refs) or f"T{number}"
        if version.themes.filter(prefix=prefix).exists():
            prefix = f"{prefix}{number}"
        themes[text] = theme_create(version=version, number=number, name=name, prefix=prefix)
    return themes


def _action(row: RawAction, version, themes, organisations, outcomes, strategy, by) -> None:
    for name in row.organisations:
        if name.lower() not in organisations:
            organisations[name.lower()] = organisation_ensure(name=name)
    linked = []
    for text in row.outcomes:
        number = int(text)
        if number not in outcomes:
            outcomes[number] = Outcome.objects.create(
                strategy=strategy, number=number, title=f"Outcome {number}"
            )
        linked.append(outcomes[number])
    status = row.status or ("complete" if row.rag == "blue" else "in_progress" if row.progress
                            else "not_started")  # fmt: skip
    evidence = (
        [EvidenceInput(kind="text", title="Evidence from the workbook", text=row.evidence)]
        if row.evidence.strip()
        else []
    )
    if status == "complete" and not evidence:
        status = "in_progress"  # complete needs evidence; the rating says what the owner thought
    action = action_create(
        version=version,
        ref=row.ref,
        title=row.title,
        theme=themes.get(row.theme),
        description=row.description,
        outcomes=linked,
        lead_role=row.lead,
        organisations=[organisations[n.lower()] for n in row.organisations],
        commenced=row.commenced.text or None,
        due=row.due.text or None,
        status=status if not row.progress else "not_started",
        rag="" if row.progress else (row.rag or ""),
        extra=row.notes,
        evidence=evidence,
        by=by,
    )
    if row.progress.strip():
        action_update_post(
            action=action, by=by, narrative=row.progress, status=status, rag=row.rag or ""
        )
