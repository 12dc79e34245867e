"""The values of an action a workbook shows, made comparable: as exported, in the app, returned.

Values are compared as people read them: case and spacing don't matter, "Dec 2018" and
"December 2018" are the same date, organisations are a set, a month commenced is its first day.
Used by ``roundtrip`` (and ``imports`` for theme text); reads the database only to recognise an
organisation's whole name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from caring.accounts.models import Organisation
from caring.plans.dates import DateKind, parse_council_date
from caring.workbooks.reader import RawAction
from caring.workbooks.writer import RAG_TEXT as WRITTEN_RAG
from caring.workbooks.writer import STATUS_TEXT

THEME_TEXT = re.compile(r"^\s*(?:theme\s*)?(?P<number>\d+)\s*[:.)\-–]?\s*(?P<name>.*)$", re.I)
ID_HEADER, REVISION_HEADER = "ID", "Revision"
UNKNOWN = "(not known: the action's history at that revision is missing)"
RAG_TEXT = {rag or "": text for rag, text in WRITTEN_RAG.items()}  # as the export writes it
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
class Values:
    """One action's changeable fields, as shown text and as keys to compare."""

    shown: dict[str, str]
    keys: dict[str, object]


def text_key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _date_key(text: str, day: dt.date | None) -> object:
    parsed = parse_council_date(text if text else day)
    if parsed.kind == DateKind.BLANK:
        return ""
    if parsed.is_unparsed:
        return text_key(parsed.text)
    return (parsed.kind.value, parsed.first, parsed.last)


def _date_shown(text: str, day: dt.date | None) -> str:
    return text or (f"{day:%d/%m/%Y}" if day else "")


def _values(*, title, description, theme, lead, organisations, outcomes, commenced, due,
            status, rag) -> Values:  # fmt: skip
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
    keys: dict[str, object] = {name: text_key(value) for name, value in shown.items()}
    keys["organisations"] = tuple(o.casefold() for o in organisations)
    start = parse_council_date(commenced[0] or commenced[1])  # a month is read as its first day
    keys["commenced"] = start.first if start.first else text_key(start.text)
    keys["due"] = _date_key(*due)
    return Values(shown, keys)


def action_values(action, organisations: list[str], outcomes: list[int], themes) -> Values:
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


def row_values(row: RawAction, app: Values) -> Values:
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


def evidence_lines(items) -> list[str]:
    lines = []
    for item in items:
        detail = item.text or item.url or (item.file.name.rsplit("/", 1)[-1] if item.file else "")
        lines.extend(f"{item.title}: {detail}".splitlines() if detail else [item.title])
        lines.extend(detail.splitlines())  # a line added in a workbook comes back bare
    return [line.strip() for line in lines if line.strip()]


def theme_parts(text: str, position: int) -> tuple[int, str]:
    """The number and name of a theme as written: "Theme 2: Young Carers" gives
    (2, "Young Carers"); "YOUNG CARERS" gives (position, "Young Carers")."""
    found = THEME_TEXT.match(text or "")
    if found and found["name"].strip():
        return int(found["number"]), found["name"].strip()
    name = (text or "").strip()
    return position, name.title() if name.isupper() else name
