"""Find the header row of a council's action plan and decide which column holds which field.

Pure: no Django, no openpyxl. Header text is compared after :func:`normalise` (case, line breaks,
repeated spaces and punctuation ignored; ``#`` reads as "no"). A header with a bracketed part,
such as "Lead officer(s)" or "Due date (dd/mm/yyyy)", also matches without that part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

FIELDS = (
    "ref",
    "title",
    "description",
    "theme",
    "lead",
    "organisations",
    "commenced",
    "due",
    "rag",
    "status",
    "evidence",
    "progress",
    "outcomes",
)
HEADER_SEARCH_ROWS = 30
EXPECTED_HEADERS = "Ref, Action, Lead, Timescale, RAG and Progress"
STATUS_OR_RAG = "status or rag"  # a plain "Status" header: see resolve_columns

# Field -> header names, most specific first: when two columns match one field, the one whose
# name comes earlier here wins (so "Ref" beats "ID"); the other is kept as a note.
ALIASES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "ref no", "action ref", "action reference", "action no",
            "action number", "no", "number", "action id", "id"),
    "title": ("action", "actions", "task", "tasks", "action task", "action tasks"),
    "description": ("description", "detail", "details", "action description"),
    "theme": ("theme", "themes", "priority", "priorities", "priority area", "workstream",
              "work stream"),
    "lead": ("lead", "lead officer", "lead officers", "action owner", "owner",
             "responsible officer", "lead person", "responsible person"),
    "organisations": ("organisation", "organisations", "lead organisation",
                      "lead organisations", "partner", "partners", "partner organisations",
                      "lead agency", "lead agencies", "organization", "lead organization"),
    "commenced": ("date commenced", "commenced", "start", "start date", "date started"),
    "due": ("timescale", "timescales", "target date", "target completion date", "deadline",
            "due", "due date", "completion date", "date due", "by when"),
    "rag": ("rag", "rag status", "rag rating"),
    "status": ("progress status",),
    "evidence": ("evidence", "evidence of completion", "evidence of progress"),
    "progress": ("progress", "progress update", "progress updates", "update", "updates",
                 "latest update", "comments"),
    "outcomes": ("outcome", "outcomes", "link to strategy outcome", "link to strategy outcomes",
                 "strategy outcome", "strategy outcomes"),
}  # fmt: skip
_KNOWN: dict[str, tuple[str, int]] = {
    name: (name_field, rank)
    for name_field, names in ALIASES.items()
    for rank, name in enumerate(names)
}
_KNOWN["status"] = (STATUS_OR_RAG, 0)


def normalise(text: object) -> str:
    """Lower case, punctuation and line breaks as one space: 'Lead\\nOfficer.' -> 'lead officer'."""
    lowered = str(text).lower().replace("#", " no ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", lowered).split())


def _candidates(text: str) -> list[str]:
    names = [normalise(text)]
    without_brackets = normalise(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text))
    if without_brackets and without_brackets != names[0]:
        names.append(without_brackets)
    return names


def header_field(text: str, extra: dict[str, str] | None = None) -> tuple[str, int] | None:
    """(field, rank) for a header cell's text, or None. ``extra``: normalised name -> field."""
    for name in _candidates(text):
        if extra and name in extra:
            return extra[name], -1  # a name the user chose beats every built-in name
        if name in _KNOWN:
            return _KNOWN[name]
    return None


def header_score(texts: dict[int, str], extra: dict[str, str] | None = None) -> int:
    """How many fields a row's texts name; 0 unless one of them is the ref or the title."""
    found = set()
    for text in texts.values():
        match = header_field(text, extra)
        if match:
            found.add(match[0])
    if not found & {"ref", "title"} or len(found) < 2:
        return 0
    return len(found)


@dataclass
class Columns:
    """The outcome of matching a header row: which column is which field, and the rest."""

    fields: dict[str, int] = field(default_factory=dict)  # field -> column number (1-based)
    notes: dict[int, str] = field(default_factory=dict)  # column number -> note name
    errors: list[str] = field(default_factory=list)  # bad choices in the user's mapping


def parse_override(value: str, texts: dict[int, str]) -> int | None:
    """The column a user named, by header text first and then as a column letter."""
    wanted = normalise(value)
    for column, text in sorted(texts.items()):
        if wanted and wanted in _candidates(text):
            return column
    letters = value.strip().upper()
    if re.fullmatch(r"[A-Z]{1,3}", letters):
        number = 0
        for letter in letters:
            number = number * 26 + ord(letter) - 64
        return number if number <= 16384 else None
    return None


def resolve_columns(
    texts: dict[int, str],
    overrides: dict[str, str],
    *,
    letter: Callable[[int], str],
    extra: dict[str, str] | None = None,
) -> Columns:
    """Map header texts (column -> text) to fields, honouring the user's overrides first.

    A plain "Status" header is the RAG column unless another column is the RAG column, in
    which case it is the status column. Columns that match no field, or a field already
    taken, become notes (named by their header text).
    """
    result = Columns()
    disabled = set()
    for name, value in overrides.items():
        if not value or not str(value).strip():
            disabled.add(name)
            continue
        column = parse_override(str(value), texts)
        if column is None:
            result.errors.append(
                f"The column '{value}' chosen for {name} was not found in the header row."
            )
        else:
            result.fields[name] = column
    taken = set(result.fields.values())
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column)
    ambiguous: list[int] = []
    leftover: list[int] = []
    for column, text in sorted(texts.items()):
        if column in taken:
            continue
        match = header_field(text, extra)
        if match is None:
            leftover.append(column)
        elif match[0] == STATUS_OR_RAG:
            ambiguous.append(column)
        elif (
            match[0] in result.fields
            or match[0] in disabled
            or (match[0] in best and best[match[0]] <= (match[1], column))
        ):
            leftover.append(column)
        else:
            if match[0] in best:
                leftover.append(best[match[0]][1])
            best[match[0]] = (match[1], column)
    result.fields.update({name: column for name, (_, column) in best.items()})
    for column in ambiguous:
        order = ("status", "rag") if "rag" in result.fields else ("rag", "status")
        free = [f for f in order if f not in result.fields and f not in disabled]
        if free:
            result.fields[free[0]] = column
        else:
            leftover.append(column)
    used: set[str] = set()
    for column in sorted(leftover):
        name = texts[column] or f"Column {letter(column)}"
        if name in used:
            name = f"{name} ({letter(column)})"
        used.add(name)
        result.notes[column] = name
    return result
