"""The report laid out as a committee report (caring.reports.layout): blocks, no database.

Expected values come from the export dicts the report was built from, not from the code.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caring.plans.rag import RAGS, format_date
from caring.reports.content import RAG_LABELS, Narrative, RequirementInput, Section
from caring.reports.layout import (
    ILLUSTRATIVE,
    Bullets,
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    chart_alt,
    cover,
    document,
    rag_sentence,
    theme_table,
)
from tests.reports.conftest import RED, current_and_previous, demo_export, make_report
from tests.reports.test_content import SINCE, build, export, histories

ORDER = (None, *RAGS)  # any order will do where only the set of counts matters
CHANGES = "What changed since the last report"
APPENDIX = "Appendix: the full action list"


def headings(blocks, level: int | None = None) -> list[str]:
    return [
        b.text for b in blocks if isinstance(b, Heading) and (level is None or b.level == level)
    ]


def part(blocks, heading: str) -> list:
    """The blocks under ``heading``, up to the next heading of its level or a page break."""
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    level = blocks[start].level
    out = []
    for b in blocks[start + 1 :]:
        if isinstance(b, PageBreak) or (isinstance(b, Heading) and b.level <= level):
            break
        out.append(b)
    return out


def table(blocks, caption: str) -> Table:
    (found,) = [b for b in blocks if isinstance(b, Table) and b.caption == caption]
    return found


def column(t: Table, name: str) -> list[str]:
    i = t.columns.index(name)
    return [row[i] for row in t.rows]


def by_ref(t: Table, ref_column: str = "Ref") -> dict[str, dict[str, str]]:
    i = t.columns.index(ref_column)
    return {row[i]: dict(zip(t.columns, row, strict=True)) for row in t.rows}


def check_tables(blocks) -> None:
    """Every table is rectangular, its widths fit, and its RAG column holds RAG labels."""
    labels = set(RAG_LABELS.values())
    for t in (b for b in blocks if isinstance(b, Table)):
        assert t.columns, t.caption
        assert t.widths == () or len(t.widths) == len(t.columns), t.caption
        for row in t.rows:
            assert len(row) == len(t.columns), t.caption
            assert all(isinstance(cell, str) for cell in row), t.caption
        if t.rag_column is not None:
            assert 0 <= t.rag_column < len(t.columns), t.caption
            values = [row[t.rag_column] for row in t.rows]
            if values and values[-1] == "Total":  # a summary table's closing total row
                values = values[:-1]
            assert set(values) <= labels, t.caption


def rag_label(rag) -> str:
    return RAG_LABELS.get(rag, "Not rated")


# --- the cover -----------------------------------------------------------------------------


def test_the_cover_names_the_committee_the_meeting_and_the_plan(report):
    current, _ = current_and_previous()
    front = cover(report)
    lines = dict(front.lines)
    assert front.title.startswith(current["strategy"]["title"])
    assert lines["Report to"] == "Health Select Commission"
    assert lines["Date of meeting"] == "14 January 2027"
    assert lines["Report of"] == "Strategic Commissioning Manager"
    assert lines["Plan"] == current["version"]["name"]
    assert lines["Position as at"] == "29 November 2026"
    assert front.illustrative is current["strategy"]["illustrative"] is True


def test_the_cover_of_a_report_with_no_meeting_or_author_says_so():
    lines = dict(cover(make_report(meeting_date=None, author_role="")).lines)
    assert "not" in lines["Date of meeting"].lower()
    assert "not" in lines["Report of"].lower()


# --- the order of the parts ------------------------------------------------------------------


def test_the_parts_come_in_a_committee_reports_order(report):
    blocks = document(report)
    assert headings(blocks, 1) == [
        "Recommendations",
        "Summary",
        "Background",
        "Key issues",
        "RAG by theme",
        "Exceptions",
        "Completed actions",
        "Actions in progress",
        "Slipped actions",
        "Scrutiny recommendations",
        "What the committee asked this report to contain",
        "Next steps",
        APPENDIX,
    ]
    assert headings(part(blocks, "Summary"), 2) == [CHANGES]
    assert headings(part(blocks, "Scrutiny recommendations"), 2) == ["Information requests"]


def test_the_appendix_comes_last_after_a_page_break(report):
    blocks = document(report)
    at = blocks.index(Heading(APPENDIX))
    assert isinstance(blocks[at - 1], PageBreak)
    assert sum(isinstance(b, PageBreak) for b in blocks) == 1
    assert [type(b) for b in blocks[at + 1 :]] == [Table]


def test_added_sections_come_after_the_requirements_and_before_next_steps():
    extra = Table("Carers known", ("Year", "Carers"), (("2018/19", "1,234"),), widths=(1, 1))
    section = Section(
        "carers",
        "Carers known to the council",
        topics=("equalities",),
        paragraphs=("Carers known, by age.",),
        tables=(extra,),
    )
    blocks = document(make_report(sections=[section]))
    names = headings(blocks, 1)
    at = names.index(section.title)
    assert names[at - 1] == "What the committee asked this report to contain"
    assert names[at + 1] == "Next steps"
    assert part(blocks, section.title) == [Paragraph("Carers known, by age."), extra]
    check_tables(blocks)


def test_blank_optional_parts_are_left_out():
    blocks = document(make_report(narrative=Narrative(), requirements=[]))
    names = headings(blocks)
    for left_out in (
        "Background",
        "Key issues",
        "Next steps",
        "What the committee asked this report to contain",
    ):
        assert left_out not in names
    narrative = Narrative(background="  \n\n ", key_issues="\n", next_steps=" ")
    assert "Background" not in headings(document(make_report(narrative=narrative)))


def test_the_default_recommendation_names_the_committee():
    report = make_report(narrative=Narrative(), committee="Improving Lives Select Commission")
    (bullets,) = part(document(report), "Recommendations")
    assert isinstance(bullets, Bullets) and bullets.numbered
    (only,) = bullets.items
    assert "Improving Lives Select Commission" in only


def test_the_leads_recommendations_replace_the_default(report):
    asked = ("That the Commission notes the report.", "That a further report comes in a year.")
    (bullets,) = part(
        document(make_report(narrative=Narrative(recommendations=asked))), "Recommendations"
    )
    assert bullets.items == asked and bullets.numbered


@pytest.mark.parametrize("blank_line", ["\n\n", "\r\n\r\n", "\n   \n", "\n\n\n\n", "\r\n \r\n"])
def test_narrative_paragraphs_are_split_on_blank_lines(blank_line):
    text = f"  First paragraph.{blank_line}Second paragraph,{blank_line[0]}still second.  "
    narrative = Narrative(summary=text, background=text, key_issues=text, next_steps=text)
    blocks = document(make_report(narrative=narrative))
    for heading in ("Background", "Key issues", "Next steps"):
        got = [" ".join(p.text.split()) for p in part(blocks, heading)]
        assert got == ["First paragraph.", "Second paragraph, still second."], heading
    summary = part(blocks, "Summary")
    assert [" ".join(p.text.split()) for p in summary[:2]] == got
    assert summary[2].text.startswith("Of the plan's")


# --- warnings --------------------------------------------------------------------------------


def test_an_illustrative_plan_is_flagged_first_then_the_unmet_requirements(report):
    blocks = document(report)
    assert blocks[0] == Paragraph(ILLUSTRATIVE, "warning")
    first_heading = next(i for i, b in enumerate(blocks) if isinstance(b, Heading))
    warnings = blocks[1:first_heading]
    assert [w.text for w in warnings] == list(report.warnings)
    assert all(w.style == "warning" for w in warnings)
    assert "HSC 2021-07-08/2" in warnings[0].text


def test_a_councils_own_plan_has_no_illustrative_warning():
    current, previous = current_and_previous()
    current["strategy"]["illustrative"] = False
    report = build(current, previous=previous, previous_label=SINCE)
    blocks = document(report)
    assert all(b.text != ILLUSTRATIVE for b in blocks if isinstance(b, Paragraph))
    assert blocks[0] == Heading("Recommendations")  # and no requirement is unmet


def test_a_met_requirement_gives_no_warning():
    narrative = Narrative(addressed={1: "Table 4 gives equalities information."})
    blocks = document(make_report(narrative=narrative))
    assert [b.text for b in blocks if isinstance(b, Paragraph) and b.style == "warning"] == [
        ILLUSTRATIVE
    ]
    requirements = table(blocks, "The committee's requirements for this report")
    assert column(requirements, "Met") == ["Yes"]
    assert column(requirements, "How") == ["Table 4 gives equalities information."]


# --- tables ----------------------------------------------------------------------------------


def test_every_table_in_the_demo_report_is_well_formed(report):
    blocks = document(report)
    assert len([b for b in blocks if isinstance(b, Table)]) >= 10
    check_tables(blocks)
    check_tables(document(make_report(previous=None)))
    check_tables(document(build(export())))


def test_the_rag_columns_hold_each_actions_rating(report):
    current, _ = current_and_previous()
    rating = {a["ref"]: rag_label(a["rag"]) for a in current["actions"]}
    blocks = document(report)
    for t in blocks:
        if isinstance(t, Table) and t.rag_column is not None and "Ref" in t.columns:
            for ref, row in by_ref(t).items():
                if ref in rating:
                    assert row[t.columns[t.rag_column]] == rating[ref], t.caption
    recs = table(blocks, "The recommendations tracker")
    assert column(recs, "RAG") == [rag_label(r["rag"]) for r in current["recommendations"]]


def test_the_appendix_lists_every_action_once(report):
    current, _ = current_and_previous()
    (appendix,) = part(document(report), APPENDIX)
    assert column(appendix, "Ref") == [a["ref"] for a in current["actions"]]
    assert set(Counter(column(appendix, "Ref")).values()) == {1}
    for row, a in zip(appendix.rows, current["actions"], strict=True):
        cells = dict(zip(appendix.columns, row, strict=True))
        assert cells["Theme"] == a["theme"]
        assert cells["Action"] == a["title"]
        assert cells["RAG"] == rag_label(a["rag"])


def test_the_rag_summary_and_sentence_count_the_exports_ratings(report):
    current, _ = current_and_previous()
    counted = Counter(a["rag"] for a in current["actions"])
    sentence = rag_sentence(report)
    assert str(len(current["actions"])) in sentence
    for rag in ORDER:
        assert f"{counted[rag]} {rag_label(rag).lower()}" in sentence
    summary = dict(table(document(report), "Actions by RAG rating").rows)
    assert summary == {
        **{rag_label(rag): str(counted[rag]) for rag in ORDER},
        "Total": str(len(current["actions"])),
    }


def test_the_theme_table_adds_up(report):
    current, _ = current_and_previous()
    t = theme_table(report)
    *themes, total = t.rows
    assert total[0] == "All themes"
    assert [row[0] for row in themes] == [th.theme for th in report.themes]
    for i in range(1, len(t.columns)):
        assert sum(int(row[i]) for row in themes) == int(total[i])
    assert int(total[-1]) == len(current["actions"])
    for row in themes:
        in_theme = [a for a in current["actions"] if a["theme"] == row[0]]
        assert int(row[-1]) == len(in_theme)
        counted = Counter(rag_label(a["rag"]) for a in in_theme)
        for name, cell in zip(t.columns[1:-1], row[1:-1], strict=True):
            assert int(cell) == counted[name]
    assert theme_table(report) in document(report)


def test_the_charts_alt_text_gives_every_theme_and_its_counts(report):
    current, _ = current_and_previous()
    alt = chart_alt(report)
    assert rag_sentence(report) in alt
    themes = [t["name"] for t in current["themes"]]
    assert all(name in alt for name in themes)
    for name in themes:
        said = alt.split(f"{name}: ", 1)[1].split(";")[0].rstrip(".")
        counted = Counter(
            rag_label(a["rag"]).lower() for a in current["actions"] if a["theme"] == name
        )
        assert set(said.split(", ")) == {f"{n} {label}" for label, n in counted.items()}
    (chart,) = [b for b in document(report) if isinstance(b, Chart)]
    assert chart.alt == alt and chart.themes == report.themes


# --- what changed ----------------------------------------------------------------------------


def test_the_first_report_says_there_is_nothing_to_compare_with():
    under = part(document(make_report(previous=None, previous_label=None)), CHANGES)
    (paragraph,) = under
    assert isinstance(paragraph, Paragraph)
    assert "first report" in paragraph.text


def test_an_unchanged_plan_says_nothing_changed():
    current, _ = current_and_previous()
    under = part(document(make_report(previous=copy.deepcopy(current))), CHANGES)
    assert all(isinstance(b, Paragraph) for b in under)
    assert SINCE in under[0].text
    assert "no action" in under[1].text.lower()
    assert len(under) == 2


def test_the_changes_are_counted_and_listed(report):
    current, previous = current_and_previous()
    before = {a["ref"]: a for a in previous["actions"]}
    under = part(document(report), CHANGES)
    assert SINCE in under[0].text
    bullets = next(b for b in under if isinstance(b, Bullets))
    changes = report.changes
    lists = (changes.completed, changes.newly_red, changes.slipped, changes.added, changes.retired)
    assert [int(item.split()[0]) for item in bullets.items] == [len(x) for x in lists]
    tables = [b for b in under if isinstance(b, Table)]
    assert len(tables) == 5  # every kind of change happened once or more
    assert set(column(tables[1], "Ref")) == set(RED)
    added = set(column(tables[3], "Ref"))
    retired = set(column(tables[4], "Ref"))
    assert added == {a["ref"] for a in current["actions"]} - set(before)
    assert retired == set(before) - {a["ref"] for a in current["actions"]}
    (slipped,) = tables[2].rows
    assert slipped[2] == before[slipped[0]]["due_text"]


# --- exceptions, completed, in progress, slipped ---------------------------------------------


def test_the_exceptions_table_lists_red_and_overdue_actions_with_their_reasons(report):
    current, _ = current_and_previous()
    t = table(document(report), "Actions rated red or overdue")
    expected = [
        a["ref"] for a in current["actions"] if a["rag"] == "red" or "overdue" in a["flags"]
    ]
    assert column(t, "Ref") == expected
    rows = by_ref(t)
    for ref in RED:
        assert rows[ref]["Reason"] == f"{ref} is off track: the partner withdrew."
        assert rows[ref]["RAG"] == "Red"


def test_the_missing_table_says_what_each_action_lacks(report):
    current, _ = current_and_previous()
    t = table(document(report), "Actions still without a lead or a timescale")
    flags = {a["ref"]: a["flags"] for a in current["actions"]}
    assert column(t, "Ref") == [
        ref for ref, f in flags.items() if {"missing-owner", "missing-timescale"} & set(f)
    ]
    for ref, row in by_ref(t).items():
        assert ("lead" in row["Missing"]) == ("missing-owner" in flags[ref])
        assert ("timescale" in row["Missing"]) == ("missing-timescale" in flags[ref])


def test_completed_actions_show_their_evidence_or_its_absence():
    current, previous = current_and_previous()
    done = [a for a in current["actions"] if a["status"] == "complete"]
    done[0]["evidence"] = []
    report = build(current, previous=previous, previous_label=SINCE)
    rows = by_ref(table(document(report), "Completed actions and their evidence"))
    assert list(rows) == [a["ref"] for a in done]
    assert rows[done[0]["ref"]]["Evidence"] == "No evidence recorded"
    for a in done[1:]:
        for e in a["evidence"]:
            for bit in (e["title"], e["url"], e["text"]):
                assert bit in rows[a["ref"]]["Evidence"]


def test_actions_in_progress_show_when_they_commenced_and_their_latest_update(report):
    current, _ = current_and_previous()
    going = [a for a in current["actions"] if a["status"] == "in_progress"]
    rows = by_ref(table(document(report), part(document(report), "Actions in progress")[0].caption))
    assert list(rows) == [a["ref"] for a in going]
    for a in going:
        row = rows[a["ref"]]
        assert row["Commenced"] == a["commenced_text"]
        if a["updates"]:
            latest = a["updates"][-1]
            assert latest["narrative"] in row["Latest update"]
            assert format_date(dt.date.fromisoformat(latest["date"])) in row["Latest update"]
        else:
            assert "no update" in row["Latest update"].lower()


def test_slipped_actions_show_both_dates_and_the_reasons(report):
    current, _ = current_and_previous()
    rows = by_ref(table(document(report), "Actions whose due date has moved"))
    moved = [a for a in current["actions"] if a["times_slipped"] or "slipped" in a["flags"]]
    assert list(rows) == [a["ref"] for a in moved]
    for a in moved:
        row = rows[a["ref"]]
        assert row["Originally due"] == format_date(dt.date.fromisoformat(a["original_due"]))
        assert row["Times moved"] == str(a["times_slipped"])
        for change in a["due_changes"]:
            assert change["reason"] in row["Reasons"]


def test_a_plan_with_no_actions_says_so_in_words():
    blocks = document(build(export()))
    for heading in ("Exceptions", "Completed actions", "Actions in progress", "Slipped actions"):
        assert all(isinstance(b, Paragraph) for b in part(blocks, heading)), heading
    (appendix,) = part(blocks, APPENDIX)
    assert appendix.rows == ()
    empty = build(export())
    assert "0" in rag_sentence(empty)
    assert chart_alt(empty).endswith(rag_sentence(empty))  # no bars, so no themes to describe


# --- scrutiny --------------------------------------------------------------------------------


def test_the_recommendations_tracker_gives_each_response(report):
    current, _ = current_and_previous()
    t = table(document(report), "The recommendations tracker")
    assert column(t, "Ref") == [r["ref"] for r in current["recommendations"]]
    for r, response in zip(current["recommendations"], column(t, "Response"), strict=True):
        if r["kind"] == "future_report" or r["response"] is None:
            assert response == "Awaiting response"
        else:
            assert response.lower() == r["response"].replace("_", " ")


def test_information_requests_are_split_into_outstanding_and_answered(report):
    current, _ = current_and_previous()
    asked = current["information_requests"]
    blocks = part(document(report), "Information requests")
    outstanding = by_ref(table(blocks, "Information requests outstanding"))
    answered = by_ref(table(blocks, "Information requests answered"))
    assert list(answered) == [q["ref"] for q in asked if q["answer"] or q["answered_in_meeting"]]
    assert list(outstanding) == [q["ref"] for q in asked if q["ref"] not in answered]
    for q in asked:
        if q["ref"] in outstanding:
            state = outstanding[q["ref"]]["State"]
            assert state == ("Overdue" if "overdue" in q["flags"] else "Outstanding")
        else:
            assert answered[q["ref"]]["State"].startswith("Answered")
            if q["answer"]:
                assert answered[q["ref"]]["Answer"] == q["answer"]


def test_with_no_requests_outstanding_the_pack_says_so():
    current, _ = current_and_previous()
    for q in current["information_requests"]:
        q["answered_in_meeting"] = True
    blocks = part(document(build(current)), "Information requests")
    assert isinstance(blocks[0], Paragraph) and "No information request" in blocks[0].text
    assert [b.caption for b in blocks if isinstance(b, Table)] == ["Information requests answered"]


# --- random exports --------------------------------------------------------------------------

WORDS = st.text(st.sampled_from("ab. \n\r\t"), max_size=30)
BLANK_LINE = re.compile(r"\n[ \t]*\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=histories(),
    first=st.booleans(),
    narrative=st.builds(
        Narrative,
        summary=WORDS,
        recommendations=st.lists(WORDS.filter(str.strip), max_size=2).map(tuple),
        background=WORDS,
        key_issues=WORDS,
        next_steps=WORDS,
    ),
    requirement=st.sampled_from(("equalities", "rag", None)),
    meeting=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
)
def test_any_export_lays_out_as_a_well_formed_report(
    history, first, narrative, requirement, meeting
):
    current, previous, _, _ = history
    asked = [RequirementInput(1, requirement, "Something.", "HSC 1/1")] if requirement else []
    report = build(
        current,
        previous=None if first else previous,
        previous_label=None if first else SINCE,
        narrative=narrative,
        requirements=asked,
        meeting_date=meeting,
    )
    blocks = document(report)
    cover(report)
    check_tables(blocks)

    assert (blocks[0] == Paragraph(ILLUSTRATIVE, "warning")) is current["strategy"]["illustrative"]
    names = headings(blocks, 1)
    assert names[:2] == ["Recommendations", "Summary"]
    assert names[-1] == APPENDIX
    assert isinstance(blocks[blocks.index(Heading(APPENDIX)) - 1], PageBreak)
    (bullets,) = part(blocks, "Recommendations")
    assert bullets.items and all(item.strip() for item in bullets.items)

    for b in blocks:
        if isinstance(b, Paragraph):
            assert b.text.strip()
            assert not BLANK_LINE.search(b.text.replace("\r\n", "\n").replace("\r", "\n"))

    (appendix,) = part(blocks, APPENDIX)
    assert column(appendix, "Ref") == [a["ref"] for a in current["actions"]]

    alt = chart_alt(report)
    for t in report.themes:
        assert t.theme in alt
    assert str(report.total) in alt
    assert alt.endswith(".") and not alt.endswith(" .")

    under = part(blocks, CHANGES)
    if first:
        assert "first report" in under[0].text
    elif report.changes.any:
        (counts,) = [b for b in under if isinstance(b, Bullets)]
        assert sum(int(item.split()[0]) for item in counts.items) == sum(
            len(getattr(report.changes, n))
            for n in ("completed", "newly_red", "slipped", "added", "retired")
        )
    else:
        assert len(under) == 2 and not any(isinstance(b, Table) for b in under)


def test_the_demo_export_as_published_lays_out():
    report = build(demo_export())
    blocks = document(report)
    check_tables(blocks)
    assert headings(blocks)[-1] == APPENDIX
