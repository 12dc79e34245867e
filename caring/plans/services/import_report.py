"""What an import found and did: problems, and for a returned workbook each action's changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from caring.workbooks.reader import Problem, RawAction

KEEP_APP = "app"  # a conflict resolved by keeping the value in the app
TAKE_WORKBOOK = "workbook"  # a conflict resolved by taking the workbook's value


@dataclass
class FieldChange:
    """One field of one action that differs between a returned workbook and the app."""

    field: str  # "title", "due", "rag"...
    label: str  # the column's name in the exported workbook, e.g. "Timescale"
    exported: str  # the value when the workbook was exported, as the workbook shows it
    app: str  # the value in the app now
    workbook: str  # the value in the returned workbook
    resolution: str = ""  # KEEP_APP or TAKE_WORKBOOK, for a conflict the user has decided

    @property
    def conflict(self) -> bool:
        """Changed in the app since the export and, differently, in the workbook."""
        return self.app != self.exported and self.workbook not in (self.exported, self.app)

    @property
    def applies(self) -> bool:
        """Whether applying the import changes this field in the app."""
        if self.conflict:
            return self.resolution == TAKE_WORKBOOK
        return self.workbook != self.app


@dataclass
class ActionChange:
    """What a returned workbook changes in one existing action."""

    action_id: int
    revision: int  # the action's revision in the app when the difference was worked out
    exported_revision: int  # the revision the workbook was exported at
    ref: str
    sheet: str
    row: int
    fields: list[FieldChange] = field(default_factory=list)
    progress: str = ""  # a new progress update written in the workbook
    evidence: list[str] = field(default_factory=list)  # evidence lines added in the workbook

    @property
    def conflicts(self) -> list[FieldChange]:
        return [f for f in self.fields if f.conflict]

    @property
    def unresolved(self) -> list[FieldChange]:
        return [f for f in self.fields if f.conflict and not f.resolution]


@dataclass
class ImportReport:
    strategy: str
    version: str = ""
    sheet: str = ""
    actions: int = 0  # actions created
    themes: int = 0
    organisations: int = 0
    problems: list[Problem] = field(default_factory=list)
    imported: bool = False
    dry_run: bool = False
    # "new": the workbook becomes a new version of the plan; "update": a workbook exported by
    # Caring Together came back, and its rows update the same actions of the current version.
    mode: str = "new"
    rows: list[RawAction] = field(default_factory=list)  # every action row read
    header_row: int = 0
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column letter used
    headers: dict[str, str] = field(default_factory=dict)  # column letter -> header text
    changes: list[ActionChange] = field(default_factory=list)  # "update": changed actions
    added: list[RawAction] = field(default_factory=list)  # "update": rows with no ID, created
    unchanged: int = 0  # "update": rows that change nothing
    updated: int = 0  # "update": actions changed (when imported)

    @property
    def refused(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def conflicts(self) -> list[tuple[ActionChange, FieldChange]]:
        return [(c, f) for c in self.changes for f in c.conflicts]

    @property
    def unresolved(self) -> list[tuple[ActionChange, FieldChange]]:
        return [(c, f) for c in self.changes for f in c.unresolved]
