"""The report laid out as a council committee report: a list of blocks (pure: no Django).

Word, HTML and PDF render the same blocks in order, so the formats cannot drift apart. The
slides take their few parts straight from the :class:`~caring.reports.content.Report`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caring.plans.rag import format_date
from caring.reports.content import (
    RAG_KEYS,
    RAG_LABELS,
    ActionLine,
    Change,
    Report,
    RequestLine,
    Table,
    ThemeRow,
    when,
)

DEFAULT_RECOMMENDATION = "That the {committee} notes the progress made in delivering the plan."
ILLUSTRATIVE = (
    "Illustrative: this report is generated from demonstration data. The plan's wording comes "
    "from published council minutes; ratings, updates and dates are examples."
)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a numbered section, 2: a part of it


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # 'body', 'note' (smaller, for sources) or 'warning'


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Chart:
    """RAG by theme as stacked bars; every renderer also prints ``table`` beside it."""

    caption: str
    alt: str
    themes: tuple[ThemeRow, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Table | Chart | PageBreak


@dataclass(frozen=True)
class Cover:
    title: str
    lines: tuple[tuple[str, str], ...]  # (label, value): 'Report to', 'Health Select Commission'
    illustrative: bool


def cover(report: Report) -> Cover:
    lines = [
        ("Report to", report.committee),
        ("Date of meeting", format_date(report.meeting_date) if report.meeting_date
         else "Not yet scheduled"),
        ("Report of", report.author_role or "Not given"),
        ("Plan", report.version_name or report.strategy),
        ("Position as at", format_date(report.as_of)),
    ]  # fmt: skip
    return Cover(report.title, tuple(lines), report.illustrative)


def rag_sentence(report: Report) -> str:
    parts = [f"{report.rag_count(k)} {RAG_LABELS[k].lower()}" for k in RAG_KEYS]
    noun = "action" if report.total == 1 else "actions"
    return f"Of the plan's {report.total} {noun}, " + ", ".join(parts) + "."


def chart_alt(report: Report) -> str:
    themes = "; ".join(
        f"{t.theme}: " + ", ".join(
            f"{n} {RAG_LABELS[k].lower()}" for k, n in zip(RAG_KEYS, t.counts, strict=True) if n
        )
        for t in report.themes
    )  # fmt: skip
    alt = f"Bar chart of actions by theme and RAG rating. {rag_sentence(report)}"
    return f"{alt} {themes}." if themes else alt  # a plan with no actions has no bars


def theme_table(report: Report) -> Table:
    rows = [(t.theme, *(str(n) for n in t.counts), str(t.total)) for t in report.themes]
    rows.append(("All themes", *(str(n) for n in report.rag_counts), str(report.total)))
    return Table(
        caption="Actions by theme and RAG rating",
        columns=("Theme", *(RAG_LABELS[k] for k in RAG_KEYS), "Total"),
        rows=tuple(rows),
        widths=(4, 1, 1, 1, 1, 1, 1),
    )


def _action_rows(actions, *columns) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(column(a) for column in columns) for a in actions)


def _ref(a: ActionLine) -> str:
    return a.ref


def _title(a: ActionLine) -> str:
    return a.title


def _rag(a: ActionLine) -> str:
    return a.rag_label


def _change_table(caption: str, changes: tuple[Change, ...], before: str, after: str) -> Table:
    return Table(
        caption=caption,
        columns=("Ref", "Action", before, after, "Reasons"),
        rows=tuple(
            (c.action.ref, c.action.title, c.before or "New", c.after, "; ".join(c.reasons))
            for c in changes
        ),
        widths=(1, 5, 2, 2, 4),
    )


def _changes(report: Report) -> list[Block]:
    changes = report.changes
    blocks: list[Block] = [Heading("What changed since the last report", 2)]
    if changes.since is None:
        blocks.append(Paragraph(
            "This is the first report issued from Caring Together, so there is no earlier "
            "report to compare with. Later reports will show what changed since this one."
        ))  # fmt: skip
        return blocks
    blocks.append(Paragraph(f"Compared with {changes.since}."))
    if not changes.any:
        blocks.append(Paragraph("No action was completed, rated red, slipped, added or retired."))
        return blocks
    counts = [
        (len(changes.completed), "completed"),
        (len(changes.newly_red), "newly rated red"),
        (len(changes.slipped), "slipped"),
        (len(changes.added), "added"),
        (len(changes.retired), "retired"),
    ]
    blocks.append(Bullets(tuple(f"{n} {'action' if n == 1 else 'actions'} {what}"
                                for n, what in counts)))  # fmt: skip
    for caption, items, before, after in (
        ("Actions completed since the last report", changes.completed, "Was", "Now"),
        ("Actions newly rated red", changes.newly_red, "Was", "Now"),
        ("Actions that slipped since the last report", changes.slipped, "Was due", "Now due"),
        ("Actions added since the last report", changes.added, "Was", "Status"),
        ("Actions retired since the last report", changes.retired, "Status then", "Now"),
    ):
        if items:
            blocks.append(_change_table(caption, items, before, after))
    return blocks


def _requests_table(caption: str, requests: tuple[RequestLine, ...]) -> Table:
    return Table(
        caption=caption,
        columns=("Ref", "Question", "Asked by", "To answer", "Due", "Answer", "State"),
        rows=tuple(
            (
                q.ref,
                q.question,
                q.asked_by,
                q.to_answer or "Not given",
                when(q.due, q.due_text),
                q.answer or ("Offered outside the meeting" if q.offered_outside_meeting else ""),
                q.state,
            )
            for q in requests
        ),  # fmt: skip
        widths=(2, 5, 2, 2, 2, 5, 2),
    )


def _narrative(text: str) -> list[Block]:
    # Text typed in a browser comes with Windows line ends, and a blank line may hold spaces.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Paragraph(p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def document(report: Report) -> list[Block]:
    """Every block of the report after its cover, in order."""
    n = report.narrative
    blocks: list[Block] = []
    if report.illustrative:
        blocks.append(Paragraph(ILLUSTRATIVE, "warning"))
    for warning in report.warnings:
        blocks.append(Paragraph(warning, "warning"))

    blocks.append(Heading("Recommendations"))
    recommendations = n.recommendations or (
        DEFAULT_RECOMMENDATION.format(committee=report.committee),
    )
    blocks.append(Bullets(tuple(recommendations), numbered=True))

    blocks.append(Heading("Summary"))
    blocks += _narrative(n.summary)
    blocks.append(Paragraph(rag_sentence(report)))
    blocks.append(Table(
        caption="Actions by RAG rating",
        columns=("RAG rating", "Actions"),
        rows=tuple((RAG_LABELS[k], str(report.rag_count(k))) for k in RAG_KEYS)
        + (("Total", str(report.total)),),
        rag_column=0,
        widths=(3, 1),
    ))  # fmt: skip
    blocks += _changes(report)

    if n.background.strip():
        blocks.append(Heading("Background"))
        blocks += _narrative(n.background)
    if n.key_issues.strip():
        blocks.append(Heading("Key issues"))
        blocks += _narrative(n.key_issues)

    blocks.append(Heading("RAG by theme"))
    blocks.append(Chart("Actions by theme and RAG rating", chart_alt(report), report.themes))
    blocks.append(theme_table(report))

    blocks.append(Heading("Exceptions"))
    if report.red_or_overdue:
        blocks.append(Table(
            caption="Actions rated red or overdue",
            columns=("Ref", "Action", "Owner", "Due", "RAG", "Reason"),
            rows=_action_rows(report.red_or_overdue, _ref, _title, lambda a: a.owner,
                              lambda a: a.due_label, _rag, lambda a: a.reason),
            rag_column=4,
            widths=(1, 4, 3, 2, 1, 5),
        ))  # fmt: skip
    else:
        blocks.append(Paragraph("No action is rated red or overdue."))
    if report.without_owner_or_timescale:
        blocks.append(Table(
            caption="Actions still without a lead or a timescale",
            columns=("Ref", "Action", "Missing"),
            rows=_action_rows(
                report.without_owner_or_timescale, _ref, _title,
                lambda a: ", ".join(
                    label for flag, label in (("missing-owner", "a lead"),
                                              ("missing-timescale", "a timescale"))
                    if flag in a.flags
                ),
            ),
            widths=(1, 6, 2),
        ))  # fmt: skip
    else:
        blocks.append(Paragraph("Every action has a lead and a timescale."))

    blocks.append(Heading("Completed actions"))
    if report.completed:
        blocks.append(Table(
            caption="Completed actions and their evidence",
            columns=("Ref", "Action", "Owner", "Evidence"),
            rows=_action_rows(report.completed, _ref, _title, lambda a: a.owner,
                              lambda a: "; ".join(a.evidence) or "No evidence recorded"),
            widths=(1, 4, 3, 5),
        ))  # fmt: skip
    else:
        blocks.append(Paragraph("No action is complete yet."))

    blocks.append(Heading("Actions in progress"))
    if report.in_progress:
        blocks.append(Table(
            caption="Actions in progress: when each commenced and its latest update",
            columns=("Ref", "Action", "Commenced", "Due", "RAG", "Latest update"),
            rows=_action_rows(
                report.in_progress, _ref, _title, lambda a: a.commenced_label,
                lambda a: a.due_label, _rag,
                lambda a: (f"{format_date(a.latest_update_date)}: " if a.latest_update_date
                           else "") + (a.latest_update or "No update yet"),
            ),
            rag_column=4,
            widths=(1, 4, 2, 2, 1, 6),
        ))  # fmt: skip
    else:
        blocks.append(Paragraph("No action is in progress."))

    blocks.append(Heading("Slipped actions"))
    if report.slipped:
        blocks.append(Table(
            caption="Actions whose due date has moved",
            columns=("Ref", "Action", "Originally due", "Now due", "Times moved", "Reasons"),
            rows=_action_rows(
                report.slipped, _ref, _title, lambda a: when(a.original_due),
                lambda a: a.due_label, lambda a: str(a.times_slipped),
                lambda a: "; ".join(a.slip_reasons) or "Not given",
            ),
            widths=(1, 4, 2, 2, 1, 5),
        ))  # fmt: skip
    else:
        blocks.append(Paragraph("No action's due date has moved."))

    blocks.append(Heading("Scrutiny recommendations"))
    if report.recommendations:
        blocks.append(Table(
            caption="The recommendations tracker",
            columns=("Ref", "Recommendation", "Response", "Status", "RAG", "Due", "Flags"),
            rows=tuple(
                (r.ref, r.text + (" (illustrative wording)" if r.illustrative else ""),
                 r.response_label, r.status_label, r.rag_label, when(r.due, r.due_text),
                 ", ".join(r.flag_labels))
                for r in report.recommendations
            ),
            rag_column=4,
            widths=(2, 6, 2, 2, 1, 2, 2),
        ))  # fmt: skip
    else:
        blocks.append(Paragraph("The committee has made no recommendations on the plan yet."))
    blocks.append(Heading("Information requests", 2))
    if report.requests_outstanding:
        blocks.append(_requests_table("Information requests outstanding",
                                      report.requests_outstanding))  # fmt: skip
    else:
        blocks.append(Paragraph("No information request is outstanding."))
    if report.requests_answered:
        blocks.append(_requests_table("Information requests answered", report.requests_answered))

    if report.requirements:
        blocks.append(Heading("What the committee asked this report to contain"))
        blocks.append(Table(
            caption="The committee's requirements for this report",
            columns=("Asked", "Requirement", "Met", "How"),
            rows=tuple((r.asked_by, r.text, "Yes" if r.met else "No", r.how)
                       for r in report.requirements),
            widths=(2, 5, 1, 5),
        ))  # fmt: skip

    for section in report.sections:
        blocks.append(Heading(section.title))
        blocks += [Paragraph(p) for p in section.paragraphs]
        blocks += list(section.tables)

    if n.next_steps.strip():
        blocks.append(Heading("Next steps"))
        blocks += _narrative(n.next_steps)

    blocks.append(PageBreak())
    blocks.append(Heading("Appendix: the full action list"))
    blocks.append(Table(
        caption="Every action in the plan",
        columns=("Ref", "Theme", "Action", "Lead", "Due", "Status", "RAG"),
        rows=_action_rows(report.actions, _ref, lambda a: a.theme, _title, lambda a: a.owner,
                          lambda a: a.due_label, lambda a: a.status_label, _rag),
        rag_column=6,
        widths=(1, 2, 5, 3, 2, 2, 1),
    ))  # fmt: skip
    return blocks
