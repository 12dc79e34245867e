"""The committee progress report as the slides an officer presents (.pptx; pure: no Django).

Six parts, in order: the title slide, a summary (RAG counts and what changed), RAG by theme as
a native, editable stacked bar chart, the exceptions, the scrutiny recommendations tracker and
the next steps with the recommendations to the committee. Long tables run on over several
slides ("Exceptions (2 of 3)") rather than overflow one; every slide has a title placeholder
(what a screen reader announces), a footer naming the strategy and a slide number field.

The slides take their parts straight from the :class:`~caring.reports.content.Report`; the
wording shared with the other formats comes from :mod:`caring.reports.layout`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import BinaryIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from caring.reports import layout
from caring.reports.content import RAG_KEYS, RAG_LABELS, Report

FONT = "Arial"
SLIDE_WIDTH = Emu(12192000)  # 13.333 in: 16:9
SLIDE_HEIGHT = Emu(6858000)  # 7.5 in
MARGIN = 0.5  # inches, left and right
CONTENT_WIDTH = 13.333 - 2 * MARGIN
CONTENT_TOP = 1.3  # inches: below the title
CONTENT_BOTTOM = 6.85  # inches: above the footer
TITLE_SLIDE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5

TABLE_PT = 12  # no text on a slide is smaller
TEXT_PT = 18
TITLE_PT = 30
MAX_ROWS = 6  # rows of a table on one slide, besides its header

CHART_COLOURS = {
    "red": "C1280F",
    "amber": "A35200",
    "green": "00703C",
    "blue": "1D70B8",
    None: "505A5F",
}
RAG_SHADES = {"Red": "F4D7D7", "Amber": "FFEE80", "Green": "CFE4DC", "Blue": "D2E2F1"}
HEADER_FILL = "0B0C0C"
STRIPE_FILL = "F3F2F1"
BORDER = "B1B4B6"
ILLUSTRATIVE_FILL = "FFF7BF"

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF; C1 controls are legal
# but discouraged and only ever arrive by mistake.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# --- text ----------------------------------------------------------------------------------------


def _clean(text: object) -> str:
    """``text`` without the characters XML cannot hold."""
    return _ILLEGAL.sub("", str(text or ""))


def _line(text: object) -> str:
    """``text`` cleaned, on one line: runs of whitespace become single spaces."""
    return " ".join(_clean(text).split())


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word where one is near, with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a narrative, which separates them with blank lines."""
    return [p for p in (_line(part) for part in _clean(text).split("\n\n")) if p]


def _em(char: str) -> float:
    """Roughly how wide ``char`` is in Arial, in ems (a little generous)."""
    if char in "il.,;:'|!Ijt ":
        return 0.3
    if char in "frI()[]-/":
        return 0.36
    if char in "WM@m%":
        return 0.95
    if char.isupper() or char in "w&":
        return 0.75
    if char.isascii():
        return 0.58
    return 1.05  # accents, symbols, emoji, CJK: assume the widest


def _wrap(text: str, width_in: float, size_pt: float) -> list[str]:
    """``text`` as the lines it roughly takes in a box ``width_in`` wide at ``size_pt``."""
    room = max(width_in, 0.1) * 72 / size_pt  # ems on a line
    lines: list[str] = []
    line, used = "", 0.0
    for word in text.split():
        width = sum(_em(c) for c in word)
        gap = _em(" ") if line else 0.0
        if used + gap + width <= room:
            line, used = (line + " " + word if line else word), used + gap + width
            continue
        if line:
            lines.append(line)
            line, used = "", 0.0
        for char in word:  # a word wider than the line breaks where it must
            if used + _em(char) > room and line:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + char, used + _em(char)
    if line or not lines:
        lines.append(line)
    return lines


def _line_height(size_pt: float) -> float:
    return size_pt * 1.2 / 72  # inches


def _run(paragraph, text: str, size: float, *, bold: bool = False, colour: str | None = None):
    run = paragraph.add_run()
    run.text = _clean(text)
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.language_id = MSO_LANGUAGE_ID.ENGLISH_UK
    if colour:
        font.color.rgb = RGBColor.from_string(colour)
    return run


def _bullet(paragraph, number: int | None = None, hanging: bool = True) -> None:
    """Make ``paragraph`` a list item: a bullet, or numbered from ``number``."""
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", str(Emu(Inches(0.45))))
    pPr.set("indent", str(-Emu(Inches(0.45))) if hanging else "0")
    if number is None and not hanging:
        pPr.append(pPr.makeelement(qn("a:buNone"), {}))
        return
    font = pPr.makeelement(qn("a:buFont"), {"typeface": FONT})
    pPr.append(font)
    if number is None:
        pPr.append(pPr.makeelement(qn("a:buChar"), {"char": "•"}))
    else:
        pPr.append(
            pPr.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod", "startAt": str(number)})
        )


def _text_box(slide, left: float, top: float, width: float, height: float):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    return box


# --- slides --------------------------------------------------------------------------------------


def _widen(prs) -> None:
    """Make the default (4:3) template 16:9: stretch its master and layouts sideways."""
    old = prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    ratio = SLIDE_WIDTH / old
    parts = [prs.slide_master, *prs.slide_layouts]
    for part in parts:
        for xfrm in part.element.iter(qn("a:xfrm")):
            for child in xfrm:
                if child.tag == qn("a:off"):
                    child.set("x", str(round(int(child.get("x")) * ratio)))
                elif child.tag == qn("a:ext"):
                    child.set("cx", str(round(int(child.get("cx")) * ratio)))


def _footer(prs, slide, report: Report) -> None:
    """The strategy's name and the slide's number, in the layout's footer placeholders."""
    layout_placeholders = {ph.placeholder_format.type: ph for ph in slide.slide_layout.placeholders}
    top, height = Inches(6.95), Inches(0.4)
    words = f"{report.strategy}: progress report to the {report.committee}"
    if report.illustrative:
        words += " (illustrative data)"
    for kind, left, width in (
        (PP_PLACEHOLDER.FOOTER, Inches(MARGIN), Inches(10.8)),
        (PP_PLACEHOLDER.SLIDE_NUMBER, Inches(13.333 - MARGIN - 1.4), Inches(1.4)),
    ):
        source = layout_placeholders.get(kind)
        if source is None:
            continue
        slide.shapes.clone_placeholder(source)
        shape = next(p for p in slide.placeholders if p.placeholder_format.type == kind)
        shape.left, shape.top, shape.width, shape.height = left, top, width, height
        frame = shape.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        if kind == PP_PLACEHOLDER.FOOTER:
            paragraph.alignment = PP_ALIGN.LEFT
            _run(paragraph, _shorten(_line(words), 120), TABLE_PT, colour="505A5F")
        else:
            paragraph.alignment = PP_ALIGN.RIGHT
            _run(paragraph, "Slide ", TABLE_PT, colour="505A5F")
            _slide_number_field(paragraph, len(prs.slides))


def _slide_number_field(paragraph, number: int) -> None:
    """A field PowerPoint and LibreOffice fill in with the slide's number."""
    field = paragraph._p.makeelement(
        qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"}
    )
    rPr = field.makeelement(qn("a:rPr"), {"lang": "en-GB", "sz": str(TABLE_PT * 100)})
    fill = rPr.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": "505A5F"}))
    rPr.append(fill)
    rPr.append(rPr.makeelement(qn("a:latin"), {"typeface": FONT}))
    field.append(rPr)
    t = field.makeelement(qn("a:t"), {})
    t.text = str(number)
    field.append(t)
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is not None:
        end.addprevious(field)
    else:
        paragraph._p.append(field)


def _title(shape, text: str, size: float) -> None:
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    _run(paragraph, text, size, bold=True, colour="0B0C0C")


def _slide(prs, report: Report, title: str):
    """A new slide with ``title`` in its title placeholder, and the footer."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    shape = slide.shapes.title
    shape.left, shape.top = Inches(MARGIN), Inches(0.3)
    shape.width, shape.height = Inches(CONTENT_WIDTH), Inches(0.9)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _title(shape, title, TITLE_PT)
    _footer(prs, slide, report)
    return slide


def _numbered(title: str, index: int, count: int) -> str:
    return f"{title} ({index} of {count})" if count > 1 else title


def _title_slide(prs, report: Report) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE_LAYOUT])
    cover = layout.cover(report)
    title = _shorten(_line(cover.title), 150)
    heading = slide.shapes.title
    heading.left, heading.top = Inches(MARGIN), Inches(0.9)
    heading.width, heading.height = Inches(CONTENT_WIDTH), Inches(1.9)
    heading.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _title(heading, title, 40 if len(title) <= 50 else 32 if len(title) <= 90 else 24)

    subtitle = next(
        p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE
    )
    subtitle.left, subtitle.top = Inches(MARGIN), Inches(3.0)
    subtitle.width, subtitle.height = Inches(CONTENT_WIDTH), Inches(2.5)
    frame = subtitle.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for index, (label, value) in enumerate(cover.lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.space_after = Pt(4)
        _run(paragraph, f"{label}: ", 20, bold=True, colour="0B0C0C")
        _run(paragraph, _shorten(_line(value), 90), 20, colour="0B0C0C")

    if cover.illustrative:
        box = _text_box(slide, MARGIN, 5.65, CONTENT_WIDTH, 1.1)
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(ILLUSTRATIVE_FILL)
        box.line.color.rgb = RGBColor.from_string("0B0C0C")
        frame = box.text_frame
        _run(frame.paragraphs[0], "Illustrative data", TEXT_PT, bold=True)
        detail = layout.ILLUSTRATIVE.split(": ", 1)[-1]
        _run(frame.add_paragraph(), detail[:1].upper() + detail[1:], 14)
    _footer(prs, slide, report)


# --- tables --------------------------------------------------------------------------------------


def _row_height(row: Sequence[str], widths: Sequence[float]) -> float:
    """Roughly how tall (inches) a row of 12 pt text is in columns ``widths`` wide."""
    lines = max(
        len(_wrap(cell, width - 0.2, TABLE_PT)) for cell, width in zip(row, widths, strict=True)
    )
    return lines * _line_height(TABLE_PT) + 0.12


def _pages(rows: Sequence[Sequence[str]], widths: Sequence[float], room: float) -> list[list]:
    """``rows`` split into slides' worth: at most MAX_ROWS each, and what fits in ``room``."""
    pages: list[list] = []
    page: list = []
    used = 0.0
    for row in rows:
        height = _row_height(row, widths)
        if page and (len(page) >= MAX_ROWS or used + height > room):
            pages.append(page)
            page, used = [], 0.0
        page.append(row)
        used += height
    if page:
        pages.append(page)
    return pages


def _border(cell, colour: str) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnB", "a:lnT", "a:lnR", "a:lnL"):  # inserted first, in schema order
        line = tcPr.makeelement(qn(tag), {"w": "9525", "cmpd": "sng"})
        fill = line.makeelement(qn("a:solidFill"), {})
        fill.append(fill.makeelement(qn("a:srgbClr"), {"val": colour}))
        line.append(fill)
        tcPr.insert(0, line)


def _cell(cell, text: str, *, header: bool, fill: str | None) -> None:
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = Inches(0.04)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    _run(paragraph, text, TABLE_PT, bold=header, colour="FFFFFF" if header else "0B0C0C")
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
    else:
        cell.fill.background()
    _border(cell, BORDER)


def _table(slide, top: float, columns, widths, rows, rag_column: int | None, caption: str):
    height = sum(_row_height(r, widths) for r in rows) + _row_height(columns, widths)
    frame = slide.shapes.add_table(
        len(rows) + 1,
        len(columns),
        Inches(MARGIN),
        Inches(top),
        Inches(sum(widths)),
        Inches(height),
    )
    frame.name = _shorten(_line(caption), 60)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", _line(caption))
    table = frame.table
    table.first_row = True  # the header row, for screen readers
    table.horz_banding = False
    for index, width in enumerate(widths):
        table.columns[index].width = Inches(width)
    table.rows[0].height = Inches(_row_height(columns, widths))
    for index, name in enumerate(columns):
        _cell(table.cell(0, index), name, header=True, fill=HEADER_FILL)
    for r, row in enumerate(rows, start=1):
        table.rows[r].height = Inches(_row_height(row, widths))
        for c, text in enumerate(row):
            fill = STRIPE_FILL if r % 2 == 0 else "FFFFFF"
            if c == rag_column:
                fill = RAG_SHADES.get(text, fill)
            _cell(table.cell(r, c), text, header=False, fill=fill)
    return frame


def _table_slides(prs, report: Report, title: str, caption: str, columns, widths, rows,
                  rag_column: int | None = None) -> None:  # fmt: skip
    """``rows`` as a table, over as many slides as it takes, each under its caption."""
    top = CONTENT_TOP + 0.45
    room = CONTENT_BOTTOM - top - _row_height(columns, widths)
    pages = _pages(rows, widths, room)
    for index, page in enumerate(pages, start=1):
        slide = _slide(prs, report, _numbered(title, index, len(pages)))
        box = _text_box(slide, MARGIN, CONTENT_TOP - 0.05, CONTENT_WIDTH, 0.45)
        shown = f"{caption}: {len(rows)}" if len(pages) == 1 else (
            f"{caption}: {len(rows)} (rows {sum(len(p) for p in pages[: index - 1]) + 1} to "
            f"{sum(len(p) for p in pages[:index])})"
        )  # fmt: skip
        _run(box.text_frame.paragraphs[0], shown, 16, colour="0B0C0C")
        _table(slide, top, columns, widths, page, rag_column, caption)


def _message_slide(prs, report: Report, title: str, message: str) -> None:
    slide = _slide(prs, report, title)
    box = _text_box(slide, MARGIN, CONTENT_TOP, CONTENT_WIDTH, 1.0)
    _run(box.text_frame.paragraphs[0], message, TEXT_PT + 2)


# --- the parts -----------------------------------------------------------------------------------


def _summary(prs, report: Report) -> None:
    slide = _slide(prs, report, "Summary")
    rows = [(RAG_LABELS[k], str(report.rag_count(k))) for k in RAG_KEYS]
    rows.append(("Total", str(report.total)))
    widths = (2.6, 1.4)
    box = _text_box(slide, MARGIN, CONTENT_TOP, sum(widths), 0.5)
    _run(box.text_frame.paragraphs[0], "Actions by RAG rating", TEXT_PT, bold=True)
    frame = _table(slide, CONTENT_TOP + 0.55, ("RAG rating", "Actions"), widths, rows, 0,
                   "Actions by RAG rating")  # fmt: skip
    for row in range(1, len(rows) + 1):  # the numbers, right aligned, like a council table
        frame.table.cell(row, 1).text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    total = frame.table.cell(len(rows), 0).text_frame.paragraphs[0].runs[0]
    total.font.bold = True

    left = MARGIN + sum(widths) + 0.6
    width = 13.333 - MARGIN - left
    box = _text_box(slide, left, CONTENT_TOP, width, CONTENT_BOTTOM - CONTENT_TOP)
    frame = box.text_frame
    _run(frame.paragraphs[0], "What changed since the last report", TEXT_PT, bold=True)
    for block in layout._changes(report):
        if isinstance(block, layout.Paragraph):
            paragraph = frame.add_paragraph()
            paragraph.space_before = Pt(8)
            _run(paragraph, _shorten(_line(block.text), 300), 16)
        elif isinstance(block, layout.Bullets):
            for item in block.items:
                paragraph = frame.add_paragraph()
                paragraph.space_before = Pt(6)
                _bullet(paragraph)
                _run(paragraph, _line(item), 16)
    paragraph = frame.add_paragraph()
    paragraph.space_before = Pt(14)
    _run(paragraph, _line(layout.rag_sentence(report)), 16)


def _chart(prs, report: Report) -> None:
    slide = _slide(prs, report, "RAG by theme")
    if not report.themes:
        box = _text_box(slide, MARGIN, CONTENT_TOP, CONTENT_WIDTH, 1.0)
        _run(box.text_frame.paragraphs[0], "The plan has no actions to chart yet.", TEXT_PT)
        return
    data = CategoryChartData(number_format="0")
    data.categories = [_shorten(_line(t.theme), 60) for t in report.themes]
    for index, key in enumerate(RAG_KEYS):
        data.add_series(RAG_LABELS[key], [t.counts[index] for t in report.themes])
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_STACKED,
        Inches(MARGIN),
        Inches(CONTENT_TOP),
        Inches(CONTENT_WIDTH),
        Inches(CONTENT_BOTTOM - CONTENT_TOP),
        data,
    )
    frame.name = "RAG by theme chart"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", _line(layout.chart_alt(report)))
    chart = frame.chart
    chart.font.name = FONT
    chart.font.size = Pt(TABLE_PT)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(14)

    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = 100
    for series, key in zip(plot.series, RAG_KEYS, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(CHART_COLOURS[key])
        series.format.line.color.rgb = RGBColor.from_string("FFFFFF")
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.show_value = True
    labels.number_format = "0;-0;;"  # a rating no action has gets no '0' label
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.CENTER
    labels.font.size = Pt(14)
    labels.font.bold = True
    labels.font.color.rgb = RGBColor.from_string("FFFFFF")

    categories = chart.category_axis
    categories.reverse_order = True  # the first theme at the top, as in the tables
    categories.tick_labels.font.size = Pt(14)
    categories.format.line.color.rgb = RGBColor.from_string(BORDER)
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor.from_string("DDDDDD")
    values.tick_labels.font.size = Pt(TABLE_PT)
    values.tick_labels.number_format = "0"
    values.tick_labels.number_format_is_linked = False
    values.minimum_scale = 0
    # The value axis crosses the (reversed) category axis at its last category: the bottom.
    values._element.find(qn("c:crosses")).set("val", "max")
    most = max((t.total for t in report.themes), default=0)
    values.major_unit = max(1, math.ceil(most / 10))
    values.has_title = True
    values.axis_title.text_frame.text = "Actions"
    values.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(TABLE_PT)


def _exceptions(prs, report: Report) -> None:
    if report.red_or_overdue:
        rows = [
            (
                _line(a.ref),
                _shorten(_line(a.title), 130),
                _shorten(_line(a.owner), 90),
                _shorten(_line(a.due_label), 40),
                a.rag_label,
                _shorten(_line(a.reason), 160),
            )
            for a in report.red_or_overdue
        ]
        _table_slides(prs, report, "Exceptions", "Actions rated red or overdue",
                      ("Ref", "Action", "Owner", "Due", "RAG", "Reason"),
                      (0.9, 3.3, 2.6, 1.5, 1.0, 3.03), rows, rag_column=4)  # fmt: skip
    else:
        _message_slide(prs, report, "Exceptions", "No action is red or overdue.")
    if report.without_owner_or_timescale:
        rows = [
            (
                _line(a.ref),
                _shorten(_line(a.title), 200),
                " and ".join(
                    label
                    for flag, label in (("missing-owner", "A lead"), ("missing-timescale",
                                                                      "a timescale"))
                    if flag in a.flags
                ).capitalize(),
            )
            for a in report.without_owner_or_timescale
        ]  # fmt: skip
        _table_slides(prs, report, "Actions without a lead or timescale",
                      "Actions still without a lead or a timescale", ("Ref", "Action", "Missing"),
                      (1.0, 8.33, 3.0), rows)  # fmt: skip


def _recommendations(prs, report: Report) -> None:
    if not report.recommendations:
        _message_slide(prs, report, "Scrutiny recommendations",
                       "The committee has made no recommendations on the plan yet.")  # fmt: skip
        return
    rows = [
        (
            _shorten(_line(r.ref), 40),
            _shorten(_line(r.text), 160) + (" (illustrative wording)" if r.illustrative else ""),
            r.response_label,
            r.status_label,
            r.rag_label,
        )
        for r in report.recommendations
    ]
    _table_slides(prs, report, "Scrutiny recommendations", "The recommendations tracker",
                  ("Ref", "Recommendation", "Response", "Status", "RAG"),
                  (2.0, 6.13, 1.8, 1.4, 1.0), rows, rag_column=4)  # fmt: skip


def _next_steps(prs, report: Report) -> None:
    """The next steps and the recommendations to the committee, run on over slides if long."""
    n = report.narrative
    steps = _paragraphs(n.next_steps) or ["To be confirmed by the lead officer."]
    recommendations = [_line(r) for r in n.recommendations if _line(r)] or [
        _line(layout.DEFAULT_RECOMMENDATION.format(committee=report.committee))
    ]
    # (kind, text, number): 'para', 'heading' or 'item'
    blocks: list[tuple[str, str, int | None]] = [("para", p, None) for p in steps]
    blocks.append(("heading", "Recommendations to the committee", None))
    blocks += [("item", r, i) for i, r in enumerate(recommendations, start=1)]

    size = TEXT_PT
    room = CONTENT_BOTTOM - CONTENT_TOP
    step = _line_height(size)
    pages: list[list[tuple[str, str, int | None, bool]]] = [[]]  # ... and whether continued
    used = 0.0
    for kind, text, number in blocks:
        indent = 0.45 if kind == "item" else 0.0
        lines = _wrap(text, CONTENT_WIDTH - indent - 0.2, size)
        gap = 0.25 if kind == "heading" else 0.12
        if kind == "heading" and used + gap + 3 * step > room:  # no heading alone at the foot
            pages.append([])
            used = 0.0
        continued = False
        while lines:
            fits = int((room - used - gap) / step) if pages[-1] else int(room / step)
            if fits <= 0:
                pages.append([])
                used = 0.0
                continue
            taken, lines = lines[:fits], lines[fits:]
            pages[-1].append((kind, " ".join(taken), number, continued))
            used += gap + len(taken) * step
            continued = True
    pages = [p for p in pages if p]
    for index, page in enumerate(pages, start=1):
        slide = _slide(prs, report, _numbered("Next steps", index, len(pages)))
        frame = _text_box(slide, MARGIN, CONTENT_TOP, CONTENT_WIDTH, room).text_frame
        for position, (kind, text, number, continued) in enumerate(page):
            paragraph = frame.paragraphs[0] if position == 0 else frame.add_paragraph()
            paragraph.space_before = Pt(0 if position == 0 else 18 if kind == "heading" else 8)
            if kind == "item":
                _bullet(paragraph, None if continued else number, hanging=not continued)
            _run(paragraph, text, size + 2 if kind == "heading" else size,
                 bold=kind == "heading")  # fmt: skip


def render_pptx(report: Report, out: BinaryIO) -> None:
    """Write the slides for ``report`` (a 16:9 .pptx) to ``out``."""
    prs = Presentation()
    _widen(prs)
    props = prs.core_properties
    props.title = _shorten(_line(report.title), 250)
    props.author = _shorten(_line(report.author_role or report.strategy), 250)
    props.last_modified_by = props.author
    props.subject = _shorten(_line(f"Progress report to the {report.committee}"), 250)
    props.keywords = "carers strategy; progress report; RAG"
    props.language = "en-GB"
    props.revision = 1
    stamp = dt.datetime.combine(report.as_of, dt.time())  # the position reported: reproducible
    props.created = props.modified = stamp
    props.last_printed = stamp

    _title_slide(prs, report)
    _summary(prs, report)
    _chart(prs, report)
    _exceptions(prs, report)
    _recommendations(prs, report)
    _next_steps(prs, report)
    prs.save(out)
