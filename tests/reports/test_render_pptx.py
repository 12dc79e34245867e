"""The slides (.pptx): read back with python-pptx, and opened by LibreOffice as a real client."""

from __future__ import annotations

import datetime as dt
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Pt
from pypdf import PdfReader

from caring.reports.content import RAG_KEYS, RAG_LABELS, Narrative, build_report
from caring.reports.layout import DEFAULT_RECOMMENDATION, chart_alt
from caring.reports.render_pptx import MAX_ROWS, _clean, render_pptx
from tests.reports.conftest import RED, current_and_previous, demo_export, make_report
from tests.reports.office import needs_libreoffice, pdf_text, to_pdf

PARTS = [
    "Caring Together: progress report",
    "Summary",
    "RAG by theme",
    "Exceptions",
    "Actions without a lead or timescale",
    "Scrutiny recommendations",
    "Next steps",
]
NUMBERED = re.compile(r"^(.*) \((\d+) of (\d+)\)$")
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(report) -> bytes:
    out = io.BytesIO()
    render_pptx(report, out)
    return out.getvalue()


def slides_of(report):
    return list(Presentation(io.BytesIO(render(report))).slides)


def build(current: dict, **changes):
    """A report on ``current`` (an export), first of its kind unless told otherwise."""
    arguments = dict(
        as_of=dt.date(2026, 11, 29),
        committee="Health Select Commission",
        meeting_date=dt.date(2027, 1, 14),
        author_role="Strategic Commissioning Manager",
    )
    arguments.update(changes)
    return build_report(current, **arguments)


def title(slide) -> str:
    return slide.shapes.title.text_frame.text


def part(slide) -> tuple[str, int, int]:
    """A slide's title without its '(2 of 3)', and those numbers (1 of 1 when it has none)."""
    found = NUMBERED.match(title(slide))
    if found:
        return found[1], int(found[2]), int(found[3])
    return title(slide), 1, 1


def text_of(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False):
            parts += [cell.text_frame.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def tables(slide):
    return [s.table for s in slide.shapes if getattr(s, "has_table", False)]


def first_column(slides, name: str) -> list[str]:
    """The first column of every table on the slides of part ``name``, header rows left out."""
    refs = []
    for slide in slides:
        if part(slide)[0] == name:
            for table in tables(slide):
                refs += [row.cells[0].text_frame.text for row in list(table.rows)[1:]]
    return refs


def runs(slide):
    for shape in slide.shapes:
        frames = [shape.text_frame] if shape.has_text_frame else []
        if getattr(shape, "has_table", False):
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            for paragraph in frame.paragraphs:
                yield from paragraph.runs


def all_red(current: dict) -> dict:
    for action in current["actions"]:
        action["rag"] = "red"
        action["rag_rationale"] = f"{action['ref']} is off track."
    return current


# --- structure -----------------------------------------------------------------------------------


def test_the_slides_come_in_order_and_each_part_numbers_its_slides(report):
    slides = slides_of(report)
    names = []
    for slide in slides:
        name, index, count = part(slide)
        if not names or names[-1][0] != name:
            names.append((name, count))
            assert index == 1
        assert names[-1][1] == count
    assert [n for n, _ in names] == PARTS
    assert [count for name, count in names if name == "Exceptions"][0] > 1  # 12 exceptions
    assert title(slides[0]) == report.title


def test_every_slide_has_a_title_a_footer_and_a_slide_number(report):
    presentation = Presentation(io.BytesIO(render(report)))
    assert (presentation.slide_width, presentation.slide_height) == (Emu(12192000), Emu(6858000))
    for slide in presentation.slides:
        kinds = {p.placeholder_format.type: p for p in slide.placeholders}
        assert slide.shapes.title.text_frame.text.strip()
        assert "Caring Together" in kinds[PP_PLACEHOLDER.FOOTER].text_frame.text
        number = kinds[PP_PLACEHOLDER.SLIDE_NUMBER]._element.xpath(".//a:fld[@type='slidenum']")
        assert len(number) == 1
        for shape in slide.shapes:  # nothing hangs off the slide
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= presentation.slide_width
            assert shape.top + shape.height <= presentation.slide_height


def test_core_properties_name_the_report(report):
    presentation = Presentation(io.BytesIO(render(report)))
    assert presentation.core_properties.title == report.title
    assert presentation.core_properties.author == report.author_role
    assert presentation.core_properties.last_modified_by == report.author_role


def test_text_is_arial_12_point_or_more_and_table_headers_are_bold(report):
    for slide in slides_of(report):
        for run in runs(slide):
            assert run.font.name == "Arial"
            assert run.font.size is not None and run.font.size >= Pt(12), run.text
        for table in tables(slide):
            assert table.first_row
            for cell in table.rows[0].cells:
                assert all(r.font.bold for p in cell.text_frame.paragraphs for r in p.runs)


def test_title_slide_gives_the_cover_and_the_illustrative_marker(report):
    text = text_of(slides_of(report)[0])
    for words in ("Health Select Commission", "14 January 2027", "Strategic Commissioning Manager",
                  "29 November 2026", "Illustrative data"):  # fmt: skip
        assert words in text


def test_title_slide_without_a_meeting_or_illustrative_data():
    current = demo_export()
    current["strategy"]["illustrative"] = False
    text = text_of(slides_of(build(current, meeting_date=None))[0])
    assert "not yet scheduled" in text.lower()
    assert "Illustrative" not in text


# --- summary -------------------------------------------------------------------------------------


def test_summary_counts_each_rating_and_what_changed(report):
    summary = next(s for s in slides_of(report) if title(s) == "Summary")
    (table,) = tables(summary)
    rows = [tuple(c.text_frame.text for c in row.cells) for row in list(table.rows)[1:]]
    expected = [(RAG_LABELS[k], str(report.rag_count(k))) for k in RAG_KEYS]
    assert rows == [*expected, ("Total", str(report.total))]
    red = table.cell(1, 0)
    assert str(red.fill.fore_color.rgb) == "F4D7D7" and red.text_frame.text == "Red"
    text = text_of(summary)
    changes = report.changes
    assert f"Compared with {changes.since}." in text
    assert f"{len(changes.newly_red)} actions newly rated red" in text
    assert f"{len(changes.completed)} action completed" in text
    assert f"{len(changes.retired)} action retired" in text


def test_the_first_report_says_there_is_nothing_to_compare_with():
    report = make_report(previous=None, previous_label=None)
    text = text_of(next(s for s in slides_of(report) if title(s) == "Summary"))
    assert "This is the first report issued from Caring Together" in text
    assert "Compared with" not in text and "completed" not in text


# --- the chart -----------------------------------------------------------------------------------


def test_rag_by_theme_is_a_native_stacked_bar_chart_of_the_theme_counts(report):
    slide = next(s for s in slides_of(report) if title(s) == "RAG by theme")
    (frame,) = [s for s in slide.shapes if s.has_chart]
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    plot = chart.plots[0]
    assert [s.name for s in plot.series] == [RAG_LABELS[k] for k in RAG_KEYS]
    assert list(plot.categories) == [t.theme for t in report.themes]
    for index, series in enumerate(plot.series):
        assert list(series.values) == [t.counts[index] for t in report.themes]
    colours = [str(s.format.fill.fore_color.rgb) for s in plot.series]
    assert colours == ["C1280F", "A35200", "00703C", "1D70B8", "505A5F"]
    assert plot.has_data_labels and plot.data_labels.show_value
    assert chart.has_legend and chart.legend.position == XL_LEGEND_POSITION.BOTTOM
    assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == chart_alt(report)


# --- exceptions ----------------------------------------------------------------------------------


def test_exceptions_list_every_red_or_overdue_action_once_with_the_rag_shaded(report):
    slides = slides_of(report)
    refs = first_column(slides, "Exceptions")
    assert refs == [a.ref for a in report.red_or_overdue]
    assert set(RED) <= set(refs)
    shaded = {}
    for slide in slides:
        if part(slide)[0] == "Exceptions":
            for table in tables(slide):
                assert [c.text_frame.text for c in table.rows[0].cells] == [
                    "Ref", "Action", "Owner", "Due", "RAG", "Reason"
                ]  # fmt: skip
                for row in list(table.rows)[1:]:
                    cell = row.cells[4]
                    if cell.text_frame.text != "Not rated":
                        shaded[cell.text_frame.text] = str(cell.fill.fore_color.rgb)
    assert shaded == {"Red": "F4D7D7", "Amber": "FFEE80", "Green": "CFE4DC"}
    missing = first_column(slides, "Actions without a lead or timescale")
    assert missing == [a.ref for a in report.without_owner_or_timescale]


def test_many_exceptions_run_on_over_several_slides():
    current, _ = current_and_previous()
    report = build(all_red(current))
    slides = slides_of(report)
    exceptions = [s for s in slides if part(s)[0] == "Exceptions"]
    assert len(exceptions) >= len(report.red_or_overdue) / MAX_ROWS > 3
    assert [part(s)[1:] for s in exceptions] == [
        (i, len(exceptions)) for i in range(1, len(exceptions) + 1)
    ]
    for slide in exceptions:
        (table,) = tables(slide)
        assert 1 <= len(table.rows) - 1 <= MAX_ROWS
    assert first_column(slides, "Exceptions") == [a.ref for a in report.actions]


def test_no_exceptions_says_so():
    current = demo_export()
    for action in current["actions"]:
        action["rag"] = "green"
        action["flags"] = [f for f in action.get("flags") or () if f != "overdue"]
    report = build(current)
    assert not report.red_or_overdue
    (slide,) = [s for s in slides_of(report) if title(s) == "Exceptions"]
    assert "No action is red or overdue." in text_of(slide)
    assert not tables(slide)


# --- recommendations and next steps --------------------------------------------------------------


def test_recommendations_hold_every_ref_with_long_wording_cut(report):
    slides = slides_of(report)
    assert first_column(slides, "Scrutiny recommendations") == [
        r.ref for r in report.recommendations
    ]
    longest = max(report.recommendations, key=lambda r: len(r.text))
    assert len(longest.text) > 160
    for slide in slides:
        if part(slide)[0] == "Scrutiny recommendations":
            for table in tables(slide):
                for row in list(table.rows)[1:]:
                    wording = row.cells[1].text_frame.text.removesuffix(" (illustrative wording)")
                    assert len(wording) <= 160
                    if row.cells[0].text_frame.text == longest.ref:
                        assert wording.endswith("…")


def test_next_steps_give_the_narrative_and_the_recommendations_to_the_committee(report):
    text = text_of(next(s for s in slides_of(report) if part(s)[0] == "Next steps"))
    assert "The delivery group meets monthly." in text
    assert "Recommendations to the committee" in text
    assert "That the Commission notes the report." in text


def test_next_steps_when_the_lead_has_not_written_them():
    report = make_report(narrative=Narrative())
    text = text_of(next(s for s in slides_of(report) if part(s)[0] == "Next steps"))
    assert "To be confirmed by the lead officer." in text
    assert DEFAULT_RECOMMENDATION.format(committee="Health Select Commission") in text


def test_long_next_steps_run_on_without_losing_words():
    words = [f"word{i}" for i in range(900)]
    report = make_report(narrative=Narrative(next_steps=" ".join(words)))
    slides = [s for s in slides_of(report) if part(s)[0] == "Next steps"]
    assert len(slides) > 1
    text = " ".join(text_of(s) for s in slides).split()
    assert [w for w in text if w.startswith("word")] == words


# --- awkward text --------------------------------------------------------------------------------


def test_clean_strips_what_xml_cannot_hold_and_keeps_the_rest():
    assert _clean("a\x00b\x0bc\x1fd\ud800e\uffff") == "abcde"
    assert _clean("tab\tnew\nline 😀 é") == "tab\tnew\nline 😀 é"


AWKWARD = st.one_of(
    st.text(st.characters(codec=None, categories=["Cc", "Cs", "So", "Lu", "Ll", "Zs", "Mn"]),
            max_size=400),
    st.text(st.sampled_from("W\x00\x08\x0b\x1b\ud83d 😀👩‍👧‍👦\u200d\ufffe\n\t"), max_size=300),
    st.sampled_from(["", " ", "W" * 600, "Supercalifragilistic" * 30, "😀" * 200]),
)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(AWKWARD, AWKWARD, AWKWARD)
def test_awkward_text_still_renders_and_reopens(first, second, third):
    current, _ = current_and_previous()
    for action in current["actions"]:
        if action["ref"] in RED:
            action["title"] = first
            action["lead"] = second
            action["rag_rationale"] = third
    current["recommendations"][0]["text"] = second
    current["themes"][0]["name"] = first
    current["actions"][0]["theme"] = first
    current["strategy"]["title"] = third
    narrative = Narrative(next_steps=third, recommendations=(first, second))
    report = build(current, committee=first or "Committee", author_role=second, narrative=narrative)
    slides = slides_of(report)
    assert [part(s)[0] for s in slides][1:3] == ["Summary", "RAG by theme"]
    assert set(RED) <= set(first_column(slides, "Exceptions"))
    for slide in slides:
        assert title(slide).strip()
        for run in runs(slide):
            assert not ILLEGAL.search(run.text)


# --- a real client -------------------------------------------------------------------------------


@needs_libreoffice()
def test_libreoffice_opens_the_slides(report, tmp_path):
    data = render(report)
    pdf = to_pdf(data, ".pptx", tmp_path)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(Presentation(io.BytesIO(data)).slides)
    text = pdf_text(pdf)
    for words in (*RED, "Next steps", "RAG by theme", "Exceptions (1 of", report.title):
        assert words in text
    for name in (t.theme for t in report.themes):
        assert name in text  # the chart's categories
