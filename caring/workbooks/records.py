"""What reading a workbook gives: the action rows as plain records, and every problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from caring.plans.dates import CouncilDate


@dataclass(frozen=True)
class Problem:
    sheet: str  # "" when the problem is with the whole file
    row: int | None
    column: str | None  # Excel letters, e.g. "F"
    field: str | None
    message: str  # plain words for a council officer
    severity: str  # "error" (refuses the import) or "warning"

    @property
    def place(self) -> str:
        """Where it is, in words: "sheet 'Action Plan', row 12, column F" (or "")."""
        parts = (
            f"sheet '{self.sheet}'" if self.sheet else "",
            f"row {self.row}" if self.row else "",
            f"column {self.column}" if self.column else "",
        )
        return ", ".join(part for part in parts if part)


@dataclass
class RawAction:
    sheet: str
    row: int
    ref: str
    title: str
    description: str
    theme: str | None  # theme text as found, from a heading row or the theme column
    lead: str
    organisations: list[str]
    commenced: CouncilDate
    due: CouncilDate
    rag: str | None
    rag_source: str | None  # "text" | "fill" | None
    status: str | None  # one of caring.plans.rag.STATUSES, or None
    evidence: str
    progress: str
    outcomes: list[str]  # outcome numbers as strings
    notes: dict[str, str] = field(default_factory=dict)  # unrecognised column -> cell text
    organisations_text: str = ""  # the organisations cell as written


@dataclass
class ReadResult:
    sheet: str  # "" when no sheet could be read
    header_row: int  # 0 when no header row was found
    mapping: dict[str, str]  # field -> column letter
    actions: list[RawAction]
    problems: list[Problem]
    headers: dict[str, str] = field(default_factory=dict)  # column letter -> header text

    @property
    def refused(self) -> bool:
        return any(p.severity == "error" for p in self.problems)
