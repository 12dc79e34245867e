"""The Word pack: read back with python-docx, opened by LibreOffice, and on a council's template."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest
from docx import Document
from docx.shared import Emu, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image

from caring.reports.content import RAG_KEYS, RAG_LABELS, Narrative, Table
from caring.reports.layout import Bullets, Chart, Heading, cover, document
from caring.reports.render_docx import (
    RAG_FILLS,
    TemplateError,
    _clean,
    _Writer,
    check_template,
    render_docx,
)
from tests.reports.conftest import RED, make_report
from tests.reports.office import needs_libreoffice, pdf_text, to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def render(report, template: bytes | None = None) -> bytes:
    out = io.BytesIO()
    render_docx(report, out, template=template)
    return out.getvalue()


def reopen(data: bytes):
    return Document(io.BytesIO(data))


def expected_headings(report) -> list[tuple[str, str]]:
    out, number = [], 0
    for block in document(report):
        if isinstance(block, Heading):
            if block.level == 1:
                number += 1
                out.append(("Heading 1", f"{number}. {block.text}"))
            else:
                out.append(("Heading 2", block.text))
    return out


def text_of(p) -> str:
    """A w:p's text as Word shows it (a field's result, not its instruction)."""
    return DocxParagraph(p, None).text


def table_blocks(report) -> list[Table]:
    return [b for b in document(report) if isinstance(b, Table)]


def cell_text(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell for row in cell_text(table) for cell in row]
    return "\n".join(parts)


@pytest.fixture
def pack(report):
    return reopen(render(report))


# --- structure ---------------------------------------------------------------------------------


def test_headings_are_word_headings_numbered_like_a_council_report(report, pack):
    read = [(p.style.name, p.text) for p in pack.paragraphs if p.style.name.startswith("Heading")]
    assert read == expected_headings(report)
    assert read[0] == ("Heading 1", "1. Recommendations")
    assert read[1] == ("Heading 1", "2. Summary")
    assert ("Heading 2", "What changed since the last report") in read


def test_cover_has_title_and_labelled_lines(report, pack):
    front = cover(report)
    first = pack.paragraphs[0]
    assert first.style.name == "Title" and first.text == report.title
    for label, value in front.lines:
        line = next(p for p in pack.paragraphs if p.text == f"{label}\t{value}")
        assert line.runs[0].bold and line.runs[0].text == label
    assert report.illustrative
    warning = next(p for p in pack.paragraphs if p.text.startswith("Illustrative"))
    assert all(run.bold for run in warning.runs)
    assert warning._p.find(f"{W}pPr/{W}pBdr/{W}left") is not None
    # the cover says it once: the layout's own illustrative paragraph is not repeated
    assert sum(p.text.startswith("Illustrative") for p in pack.paragraphs) == 1


def test_warnings_say_so_in_words(report, pack):
    assert report.warnings
    for text in report.warnings:
        para = next(p for p in pack.paragraphs if text in p.text)
        assert para.text == f"Warning: {text}"
        assert all(run.bold for run in para.runs)


def test_lists_use_word_list_styles(report, pack):
    numbered = [p.text for p in pack.paragraphs if p.style.name == "List Number"]
    assert numbered == list(report.narrative.recommendations)
    bullets = [p.text for p in pack.paragraphs if p.style.name == "List Bullet"]
    assert "2 actions newly rated red" in bullets


def test_each_numbered_list_starts_at_one():
    doc = Document()
    writer = _Writer(doc, template=False)
    writer.bullets(Bullets(("a", "b"), numbered=True))
    writer.bullets(Bullets(("c", "d"), numbered=True))
    first, _, third, fourth = doc.paragraphs
    assert first._p.pPr.numPr is None  # the style's own list
    num_id = third._p.pPr.numPr.numId.val
    assert fourth._p.pPr.numPr.numId.val == num_id
    numbering = doc.part.numbering_part.element
    assert numbering.xpath(f"w:num[@w:numId='{num_id}']/w:lvlOverride/w:startOverride/@w:val") == [
        "1"
    ]


def test_properties_language_page_and_font(report, pack):
    props = pack.core_properties
    assert props.title == report.title
    assert props.author == report.author_role
    assert report.committee in props.subject and props.keywords
    assert props.language == "en-GB"
    styles = pack.styles.element
    langs = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert langs == ["en-GB"]
    assert pack.styles["Normal"].font.name == "Arial"
    assert pack.styles["Heading 1"].font.name == "Arial"
    assert 10 <= pack.styles["Normal"].font.size.pt <= 11
    assert "GDS Transport" not in styles.xml
    section = pack.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.left_margin.cm >= 1.5 and section.top_margin.cm >= 1.5


def test_footer_gives_page_n_of_m_and_the_strategy(report, pack):
    footer = pack.sections[0].footer
    assert not footer.is_linked_to_previous
    xml = footer._element
    fields = [t.strip() for t in xml.xpath(".//w:instrText/text()")]
    assert fields == ["PAGE", "NUMPAGES"]
    text = "".join(p.text for p in footer.paragraphs)
    assert text.startswith(report.strategy)
    assert re.search(r"Page \d+ of \d+$", text)


def test_tables_have_captions_above_and_repeating_bold_header_rows(report, pack):
    blocks = table_blocks(report)
    assert len(pack.tables) == len(blocks)  # the cover uses paragraphs, not a layout table
    body = pack.element.body
    for number, (table, block) in enumerate(zip(pack.tables, blocks, strict=True), start=1):
        caption = table._tbl.getprevious()
        assert caption.tag == f"{W}p"
        assert caption.pPr.pStyle.val == "Caption"
        assert text_of(caption) == f"Table {number}: {block.caption}"
        assert caption.xpath(".//w:instrText[contains(., 'SEQ Table')]")
        rows = table._tbl.tr_lst
        assert rows[0].xpath("w:trPr/w:tblHeader"), block.caption
        assert not any(r.xpath("w:trPr/w:tblHeader") for r in rows[1:])
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
        assert cell_text(table) == [list(block.columns), *(list(r) for r in block.rows)]
        assert table.style.name == "Table Grid"
    assert body.xpath("count(w:tbl)") == len(blocks)


def test_column_widths_follow_the_layout_across_the_page(report, pack):
    section = pack.sections[0]
    usable = Emu(section.page_width - section.left_margin - section.right_margin)
    appendix = pack.tables[-1]
    grid = [int(w) for w in appendix._tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    assert abs(sum(grid) - usable.twips) <= len(grid)
    columns = table_blocks(report)[-1].columns
    widths = dict(zip(columns, grid, strict=True))
    assert widths["Action"] > widths["Lead"] > widths["Ref"]
    # no column is narrower than its words: 'Not rated' and refs such as 'CS1' stay whole
    assert widths["RAG"] >= 700 and widths["Ref"] >= 500  # twips: 'Amber', 'CS1' fit


def test_rag_cells_are_shaded_and_say_the_rating(report, pack):
    fills = {RAG_LABELS[k]: v for k, v in RAG_FILLS.items()}
    checked = 0
    for table, block in zip(pack.tables, table_blocks(report), strict=True):
        if block.rag_column is None:
            continue
        for row, values in zip(table.rows[1:], block.rows, strict=True):
            cell = row.cells[block.rag_column]
            assert cell.text == values[block.rag_column]
            shading = cell._tc.xpath("w:tcPr/w:shd/@w:fill")
            assert shading == ([fills[cell.text]] if cell.text in fills else [])
            checked += 1
    assert checked > 20
    assert fills == {"Red": "F4D7D7", "Amber": "FFEE80", "Green": "CFE4DC", "Blue": "D2E2F1"}


def test_red_refs_and_rag_counts_are_in_the_tables(report, pack):
    assert set(report.red_refs) == set(RED)
    text = all_text(pack)
    for ref in report.red_refs:
        assert ref in text
    counts = cell_text(pack.tables[0])
    assert counts[0] == ["RAG rating", "Actions"]
    assert counts[1:] == [
        *([RAG_LABELS[k], str(report.rag_count(k))] for k in RAG_KEYS),
        ["Total", str(report.total)],
    ]
    red_table = next(
        t for t, b in zip(pack.tables, table_blocks(report), strict=True)
        if b.caption == "Actions rated red or overdue"
    )  # fmt: skip
    refs = [row[0] for row in cell_text(red_table)[1:]]
    assert set(RED) <= set(refs)


def test_chart_is_a_picture_with_alt_text_and_a_figure_caption(report, pack):
    chart = next(b for b in document(report) if isinstance(b, Chart))
    pictures = pack.inline_shapes
    assert len(pictures) == 1
    doc_pr = pictures[0]._inline.docPr
    assert doc_pr.get("descr") == chart.alt and chart.alt.startswith("Bar chart")
    assert doc_pr.get("title") == chart.alt
    paragraph = pictures[0]._inline.getparent().getparent().getparent()
    caption = paragraph.getprevious()
    assert text_of(caption) == f"Figure 1: {chart.caption}"
    assert caption.pPr.pStyle.val == "Caption"
    assert pictures[0].width <= pack.sections[0].page_width


def test_page_break_before_the_appendix(report, pack):
    body = list(pack.element.body)
    appendix = next(
        i for i, el in enumerate(body) if el.tag == f"{W}p" and text_of(el).endswith("action list")
    )
    assert body[appendix - 1].xpath(".//w:br[@w:type='page']")


# --- awkward text --------------------------------------------------------------------------------


def test_clean_strips_only_what_xml_cannot_hold():
    assert _clean("a\x00b\x08c\x0bd\x0ce\x1ff\ufffe\uffff\ud800g") == "abcdefg"
    assert _clean("tab\there\nline\r\nend\rx") == "tab\there\nline\nend\nx"
    assert _clean("Caf\u00e9 \U0001f469\u200d\U0001f467 \u05e9\u05dc\u05d5\u05dd") == (
        "Caf\u00e9 \U0001f469\u200d\U0001f467 \u05e9\u05dc\u05d5\u05dd"
    )


AWKWARD = st.one_of(
    st.characters(),
    st.sampled_from(
        ["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\uffff", "\ud800", "\r",
         "\u202e", "\u200f", "\u05e9", "\u0639", "\U0001f469\u200d\U0001f467", "\n\n", "\t"]
    ),
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(AWKWARD, max_size=80).map("".join))
@example("x" * 5000)
@example("\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd hello \U0001f600")
@example("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x1f")
@example("Line one\r\n\r\nLine two\x0c\n\nthree\ud83d")
def test_awkward_text_renders_and_reopens(text):
    report = make_report(
        narrative=Narrative(summary=text, recommendations=(text or "x",), key_issues=text)
    )
    doc = reopen(render(report))
    body = "\n".join(p.text for p in doc.paragraphs)
    for chunk in text.split("\n\n"):
        if chunk.strip():
            assert _clean(chunk.strip()) in body
    assert [p.text for p in doc.paragraphs if p.style.name == "List Number"] == [
        _clean(text or "x")
    ]


# --- templates -----------------------------------------------------------------------------------

PURPLE = RGBColor(0x6B, 0x1F, 0x5E)


def png(size=(60, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (107, 31, 94)).save(out, format="PNG")
    return out.getvalue()


def make_template(*, footer: str | None = None, drop: tuple[str, ...] = (), numbered=False):
    doc = Document()
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "Rotherham Council"
    header.paragraphs[0].add_run().add_picture(io.BytesIO(png()))
    if footer is not None:
        f = doc.sections[0].footer
        f.is_linked_to_previous = False
        f.paragraphs[0].text = footer
    doc.styles["Heading 1"].font.color.rgb = PURPLE
    doc.add_paragraph("Template body text that must not survive.")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(png((40, 40))))
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "Template table"
    for name in drop:
        element = doc.styles[name].element
        element.getparent().remove(element)
    if numbered:
        pPr = doc.styles["Heading 1"].element.get_or_add_pPr()
        pPr.get_or_add_numPr().get_or_add_numId().val = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_template_keeps_header_logo_and_styles_but_not_its_body(report):
    template = make_template()
    check_template(template)
    data = render(report, template)
    doc = reopen(data)
    header = doc.sections[0].header
    assert "Rotherham Council" in "".join(p.text for p in header.paragraphs)
    assert header._element.xpath(".//pic:pic")
    assert doc.styles["Heading 1"].font.color.rgb == PURPLE
    text = all_text(doc)
    assert "Template body text" not in text and "Template table" not in text
    assert len(doc.inline_shapes) == 1  # the chart; the template's picture went with its body
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(media) == 2  # the logo and the chart
    read = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert read == expected_headings(report)
    assert len(doc.tables) == len(table_blocks(report))
    assert doc.core_properties.title == report.title
    assert doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["en-GB"]
    # no footer of its own: ours is added
    fields = doc.sections[0].footer._element.xpath(".//w:instrText/text()")
    assert [f.strip() for f in fields] == ["PAGE", "NUMPAGES"]


def test_template_with_an_empty_footer_gets_ours(report):
    doc = reopen(render(report, make_template(footer="")))
    fields = doc.sections[0].footer._element.xpath(".//w:instrText/text()")
    assert [f.strip() for f in fields] == ["PAGE", "NUMPAGES"]


def test_template_footer_is_kept_instead_of_ours(report):
    doc = reopen(render(report, make_template(footer="OFFICIAL - Rotherham MBC")))
    footer = doc.sections[0].footer
    assert [p.text for p in footer.paragraphs] == ["OFFICIAL - Rotherham MBC"]
    assert not footer._element.xpath(".//w:instrText")


def test_template_without_table_grid_gets_borders_by_hand(report):
    template = make_template(drop=("Table Grid",))
    check_template(template)  # not refused
    doc = reopen(render(report, template))
    for table in doc.tables:
        borders = table._tbl.tblPr.find(f"{W}tblBorders")
        assert borders is not None
        assert {el.tag.removeprefix(W) for el in borders} >= {"top", "insideH", "insideV"}


def test_template_with_numbered_headings_is_not_numbered_twice(report):
    doc = reopen(render(report, make_template(numbered=True)))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[0].text == "1. Recommendations"
    assert all(p._p.xpath("w:pPr/w:numPr/w:numId/@w:val") == ["0"] for p in headings)


def test_a_dotx_template_is_accepted(report):
    source = zipfile.ZipFile(io.BytesIO(make_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dotx:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"document.main+xml", b"template.main+xml")
            dotx.writestr(info, body)
    check_template(out.getvalue())
    doc = reopen(render(report, out.getvalue()))
    assert doc.paragraphs[0].text == report.title


def refusal(data: bytes) -> str:
    with pytest.raises(TemplateError) as caught:
        check_template(data)
    return str(caught.value)


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Not a Word document"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def junk_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("junk.txt", "nothing to see")
        archive.writestr("[Content_Types].xml", "<not xml")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (random.Random(7).randbytes(4000), "is not a Word document (.docx)"),
        (b"", "is empty"),
        (xlsx(), "is an Excel workbook, not a Word document"),
        (junk_zip(), "is not a Word document (.docx)"),
        (OLE_MAGIC + "WordDocument".encode("utf-16-le") + b"\0" * 500,
         "is a Word 97-2003 .doc: save it as .docx"),
        (OLE_MAGIC + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
        (b"%PDF-1.7\n" + b"\0" * 100, "is a PDF"),
        (b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), "the largest template accepted is 10 MB"),
    ],
    ids=["random", "empty", "xlsx", "junk-zip", "doc", "encrypted", "pdf", "over-size"],
)  # fmt: skip
def test_template_refusals_say_why(data, says):
    message = refusal(data)
    assert says in message
    assert message.startswith("The template")


def test_template_lacking_a_style_is_refused_naming_it():
    assert refusal(make_template(drop=("Caption",))) == (
        "The template lacks the style Caption: add it in Word (Styles pane) and upload it again."
    )
    assert refusal(make_template(drop=("Caption", "List Number"))) == (
        "The template lacks the styles Caption and List Number: add them in Word (Styles pane) "
        "and upload it again."
    )
    assert "Title, Heading 1 and Caption" in refusal(
        make_template(drop=("Title", "Heading 1", "Caption"))
    )


def test_render_refuses_a_bad_template_before_writing(report):
    out = io.BytesIO()
    with pytest.raises(TemplateError, match="Excel"):
        render_docx(report, out, template=xlsx())
    assert out.getvalue() == b""


def test_a_broken_word_zip_is_refused():
    data = make_template()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "word/document.xml":
                body = b"<w:document broken"
            broken.writestr(info, body)
    assert "could not be opened as a Word document" in refusal(out.getvalue())


# --- a real client -------------------------------------------------------------------------------


@needs_libreoffice()
def test_libreoffice_opens_the_pack_with_and_without_a_template(report, tmp_path):
    for name, template in (("plain", None), ("template", make_template())):
        text = pdf_text(to_pdf(render(report, template), ".docx", tmp_path / name))
        assert "Actions by RAG rating" in text
        assert "1. Recommendations" in text
        for ref in RED:
            assert ref in text
        assert f"Of the plan's {report.total} actions" in text
        assert re.search(r"Page 1 of \d+", text)
        if template:
            assert "Rotherham Council" in text
            assert "Template body text" not in text
