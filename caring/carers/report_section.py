"""The report pack's carers sections: "Carers known and unknown" (reach against the census, how
carers became known, support given) and "Equalities" (every protected characteristic recorded).

Always with the strategy's published rule for small numbers (``analyses.rule_of``), never
exact figures: a pack is for publication. No section when the strategy holds no carers' records,
or when the pack is as at a day before any source was imported. The records are the latest
import of each source (earlier imports are not kept), so a pack as at a past day after an
import shows them as they are now, and says so.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from caring import disclosure
from caring.carers import analyses, vocab
from caring.carers.models import Carer, CarerSource
from caring.plans.rag import format_date
from caring.reports.content import Section, Table
from caring.reports.sections import register

REACH_TABLES = (("reach", "reach-area"), ("reach", "reach-age"), ("pathways", "pathways"),
                ("support", "support-type"))  # fmt: skip
WITHHELD = (
    "The table '{caption}' is not shown: with so few carers, no suppression could stop a "
    "hidden figure being worked out from the others."
)


def _rule(strategy) -> disclosure.Rule:
    rule = analyses.rule_of(strategy)
    return disclosure.NHS if rule.for_data_officers_only else rule


def _imported(strategy, as_of: dt.date) -> str | None:
    """The paragraph dating the records, or None when there are none to report as at
    ``as_of``."""
    days = sorted(
        timezone.localtime(at).date()
        for at in CarerSource.objects.filter(strategy=strategy).values_list(
            "imported_at", flat=True
        )
    )
    if not days or as_of < days[0]:
        return None
    if not Carer.objects.filter(strategy=strategy).exists():
        return None
    latest = days[-1]
    said = f"Carers' records as imported on {format_date(latest)}"
    if len(days) > 1 and days[0] != latest:
        said += f" (the earliest of the {len(days)} sources on {format_date(days[0])})"
    said += "."
    if as_of < latest:
        said += (
            f" The pack is as at {format_date(as_of)}, but earlier imports are not kept: the "
            "figures are those of the latest import of each source."
        )
    return said


def _table(table: analyses.Table) -> Table:
    rows = table.rows + ((table.total,) if table.total else ())
    return Table(caption=table.caption, columns=table.columns, rows=rows)


def _notes(table: analyses.Table) -> str | None:
    """What a table's notes say about hidden figures (rounding is said once, with the rule)."""
    said = [n for n in table.notes if "*" in n or "review" in n]
    return f"{table.caption}: {' '.join(said)}" if said else None


def _section(key, title, topics, paragraphs, tables, rule) -> Section:
    shown, notes = [], []
    for table in tables:
        if table.withheld:
            notes.append(WITHHELD.format(caption=table.caption))
            continue
        shown.append(_table(table))
        note = _notes(table)
        if note:
            notes.append(note)
    rule_said = f"Small numbers follow the rule '{rule.name}': {rule.description}"
    return Section(key=key, title=title, topics=topics,
                   paragraphs=(*paragraphs, rule_said, *notes), tables=tuple(shown))  # fmt: skip


def _unique(paragraphs) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        if p not in out:
            out.append(p)
    return out


@register
def carers_reach_section(*, strategy, as_of: dt.date) -> Section | None:
    dated = _imported(strategy, as_of)
    if dated is None:
        return None
    rule = _rule(strategy)
    topics = {key: analyses.topic(key, strategy, rule) for key in ("reach", "pathways", "support")}
    tables = []
    for topic_key, table_key in REACH_TABLES:
        found = next((t for t in topics[topic_key].tables if t.key == table_key), None)
        if found is not None:
            tables.append(found)
    paragraphs = _unique([dated, *topics["reach"].paragraphs,
                          *(p for p in topics["pathways"].paragraphs
                            if p not in topics["reach"].paragraphs),
                          analyses.OVERLAP])  # fmt: skip
    return _section("carers-reach", "Carers known and unknown", ("reach", "carers"), paragraphs,
                    tables, rule)  # fmt: skip


@register
def carers_equalities_section(*, strategy, as_of: dt.date) -> Section | None:
    dated = _imported(strategy, as_of)
    if dated is None:
        return None
    rule = _rule(strategy)
    topic = analyses.equalities(strategy, rule)
    missing = [label.lower() for _, label, column in vocab.PROTECTED if column is None]
    paragraphs = [dated, *topic.paragraphs]
    if missing and not any(all(m in p.lower() for m in missing) for p in topic.paragraphs):
        paragraphs.append("Not recorded by any source, so not shown: " + ", ".join(missing) + ".")
    paragraphs = [p.replace("(with carers known and unknown)",
                            "(in the section 'Carers known and unknown')")
                  for p in paragraphs]  # fmt: skip
    return _section("carers-equalities", "Equalities", ("equalities",), _unique(paragraphs),
                    topic.tables, rule)  # fmt: skip
