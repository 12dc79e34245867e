"""The progress report pack as a Word document, built with python-docx (pure: no Django).

:func:`render_docx` walks ``layout.cover`` and ``layout.document`` in order, so Word shows the
same blocks as HTML and PDF. Headings are real Word heading styles (the navigation pane and
screen readers use them), tables repeat their header row on every page and say each RAG rating
in words as well as colour, the chart carries alt text, and the document's language is en-GB.

A council may supply its own Word document as a template: its styles, headers, footers, page
set-up and logo are kept and its body is replaced. :func:`check_template` says, in words for
the officer who uploaded it, why a file can't be used.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from typing import BinaryIO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from lxml import etree

from caring.plans.rag import format_date
from caring.reports.chart import rag_by_theme_png
from caring.reports.content import RAG_LABELS, Report, Table
from caring.reports.layout import (
    ILLUSTRATIVE,
    Bullets,
    Chart,
    Cover,
    Heading,
    PageBreak,
    Paragraph,
    cover,
)
from caring.reports.layout import document as layout_document

MB = 1024 * 1024
MAX_TEMPLATE_BYTES = 10 * MB
MAX_UNPACKED_BYTES = 200 * MB  # a template's parts once unzipped: refuses a zip bomb
MAX_PARTS = 2000
REQUIRED_STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Caption",
    "List Bullet",
    "List Number",
)
LANGUAGE = "en-GB"
FONT = "Arial"
RAG_FILLS = {"red": "F4D7D7", "amber": "FFEE80", "green": "CFE4DC", "blue": "D2E2F1"}
_FILL_BY_LABEL = {RAG_LABELS[key]: fill for key, fill in RAG_FILLS.items()}
HEADER_FILL = "E7E7E7"
CELL_MARGIN = Cm(0.15)
KEEP_TOGETHER_ROWS, KEEP_TOGETHER_CHARS = 8, 1200  # a table this short stays on one page
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
NOTE_COLOUR = RGBColor(0x50, 0x5A, 0x5F)  # 7:1 on white
WARNING_BORDER = "B10E1E"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_SAVE_AS = 'save it in Word as "Word Document (.docx)" and upload it again.'
# Characters XML 1.0 can't hold (lxml refuses them): C0 controls but tab and newlines,
# lone surrogates and the two non-characters U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Schema order of the children we insert, so Word never finds the file corrupt.
_TBLPR_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
_TRPR_AFTER_CANTSPLIT = (
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
)
_TCPR_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_RPR_AFTER_FONTS = (
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    *_RPR_AFTER_LANG,
)


class TemplateError(ValueError):
    """The template can't be used; ``str(exc)`` is the message for the person who uploaded it."""


def _clean(text: object) -> str:
    """``text`` with every character XML can't hold removed, and Windows line ends made \\n."""
    return _NOT_XML.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


# --- the template ------------------------------------------------------------------------------


def check_template(data: bytes) -> None:
    """Raise :class:`TemplateError` if ``data`` can't be used as the pack's Word template."""
    _open_template(data)


def _open_template(data: bytes):
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("the template must be bytes")
    data = bytes(data)
    if not data:
        raise TemplateError(
            "The template is empty (0 bytes): choose the council's Word template "
            "(.docx) and upload it again."
        )
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"The template is {len(data) / MB:.1f} MB: the largest template accepted is 10 MB. "
            "Compress its pictures in Word (File, Compress Pictures) and upload it again."
        )
    if data.startswith(_OLE_MAGIC):
        raise TemplateError(_ole_message(data))
    if data.startswith(b"%PDF"):
        raise TemplateError(f"The template is a PDF, not a Word document: {_SAVE_AS}")
    data = _word_zip(data)
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a broken file
        raise TemplateError(
            f"The template could not be opened as a Word document ({type(exc).__name__}): "
            f"open it in Word, {_SAVE_AS}"
        ) from exc
    names = {s.name for s in doc.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        listed = (
            missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        )
        noun, pronoun = ("style", "it") if len(missing) == 1 else ("styles", "them")
        raise TemplateError(
            f"The template lacks the {noun} {listed}: add {pronoun} in Word "
            "(Styles pane) and upload it again."
        )
    return doc


def _ole_message(data: bytes) -> str:
    if "WordDocument".encode("utf-16-le") in data:
        return (
            "The template is a Word 97-2003 .doc: save it as .docx (in Word: File, Save As, "
            '"Word Document (.docx)") and upload it again.'
        )
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "The template is password-protected: remove the password in Word (File, Info, "
            "Protect Document) and upload it again."
        )
    return f"The template is an older Office file, not a Word document (.docx): {_SAVE_AS}"


def _word_zip(data: bytes) -> bytes:
    """``data`` if it is a Word .docx; a .dotx made into a .docx; else TemplateError."""
    not_word = f"The template is not a Word document (.docx): {_SAVE_AS}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise TemplateError(not_word) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise TemplateError(
                "The template is too large once unpacked: the largest accepted "
                "is 200 MB. Compress its pictures in Word and upload it again."
            )
        try:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MB:
                raise TemplateError(not_word)
            types = archive.read(info)
            root = etree.fromstring(types, etree.XMLParser(resolve_entities=False, no_network=True))
        except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise TemplateError(not_word) from exc
        kinds = {el.get("ContentType") or "" for el in root}
        if _WORD_MAIN in kinds:
            return data
        if _WORD_TEMPLATE in kinds:  # a .dotx: the same parts, another content type
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy_:
                for member in members:
                    body = archive.read(member)
                    if member.filename == "[Content_Types].xml":
                        body = body.replace(_WORD_TEMPLATE.encode(), _WORD_MAIN.encode())
                    copy_.writestr(member, body)
            return out.getvalue()
    if any("macroEnabled" in kind and "word" in kind for kind in kinds):
        raise TemplateError(
            f"The template is a macro-enabled Word file (.docm or .dotm): {_SAVE_AS}"
        )
    if any("spreadsheetml" in kind or "ms-excel" in kind for kind in kinds):
        raise TemplateError(f"The template is an Excel workbook, not a Word document: {_SAVE_AS}")
    if any("presentationml" in kind or "ms-powerpoint" in kind for kind in kinds):
        raise TemplateError(
            f"The template is a PowerPoint presentation, not a Word document: {_SAVE_AS}"
        )
    raise TemplateError(not_word)


def _clear_body(doc) -> None:
    """Remove the template's content but keep its last section (headers, footers, page set-up)
    and the pictures its headers and footers use."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    body.get_or_add_sectPr()  # a body without one still gets a page set-up
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.IMAGE and not rel.is_external:
            doc.part.drop_rel(rId)  # only when the body no longer refers to it


# --- the house style, when there is no template -------------------------------------------------


def _set_font(rPr, name: str) -> None:
    """Set the fonts of a w:rPr, removing the theme fonts that would override them."""
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rPr.insert_element_before(fonts, *_RPR_AFTER_FONTS)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attribute}"), name)


def _house_style(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rPr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rPr is not None:
            _set_font(rPr, FONT)
    sizes = {
        "Normal": 11,
        "Title": 24,
        "Heading 1": 14,
        "Heading 2": 12,
        "Caption": 10,
        "List Bullet": None,
        "List Number": None,
        "Footer": 9,
        "Header": 9,
    }
    for name, size in sizes.items():
        style = styles[name]
        _set_font(style.element.get_or_add_rPr(), FONT)
        if size:
            style.font.size = Pt(size)
        if name in ("Title", "Heading 1", "Heading 2", "Caption"):
            style.font.color.rgb = TEXT_COLOUR
            style.font.bold = True
    normal = styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.line_spacing = 1.15
    title = styles["Title"].paragraph_format
    title.space_after = Pt(12)
    for rule in styles["Title"].element.xpath("w:pPr/w:pBdr/w:bottom"):
        rule.attrib.pop(qn("w:themeColor"), None)
        rule.set(qn("w:color"), str(TEXT_COLOUR))
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 1"].paragraph_format.space_after = Pt(6)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.space_after = Pt(4)
    caption = styles["Caption"].paragraph_format
    caption.space_before = Pt(8)
    caption.space_after = Pt(4)
    for character in ("TitleChar", "Heading1Char", "Heading2Char"):
        linked = styles.element.get_by_id(character)
        if linked is not None:
            _set_font(linked.get_or_add_rPr(), FONT)
    section = doc.sections[-1]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    section.header_distance = section.footer_distance = Cm(1)


def _set_language(doc) -> None:
    """en-GB as the document's default language (docDefaults and Normal), for screen readers
    and spelling."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rPrDefault = defaults.find(qn("w:rPrDefault"))
    if rPrDefault is None:
        rPrDefault = OxmlElement("w:rPrDefault")
        defaults.insert(0, rPrDefault)
    rPr = rPrDefault.find(qn("w:rPr"))
    if rPr is None:
        rPr = OxmlElement("w:rPr")
        rPrDefault.append(rPr)
    for target in (rPr, doc.styles["Normal"].element.get_or_add_rPr()):
        lang = target.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            target.insert_element_before(lang, *_RPR_AFTER_LANG)
        lang.set(qn("w:val"), LANGUAGE)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)


def _properties(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = _clean(report.title)[:255]
    props.subject = _clean(f"Progress report to {report.meeting_label}")[:255]
    keywords = f"{report.strategy}; carers; progress report; RAG; {report.committee}"
    props.keywords = _clean(keywords)[:255]
    props.author = _clean(report.author_role or report.committee)[:255]
    props.last_modified_by = props.author
    props.category = "Committee report"
    props.comments = _clean(
        f"Made by Caring Together from the plan as at {format_date(report.as_of)}."
        + (" Illustrative: demonstration data." if report.illustrative else "")
    )[:255]
    props.language = LANGUAGE
    props.revision = 1


# --- writing ------------------------------------------------------------------------------------


def _field(paragraph, instruction: str, shown: str, *, size=None) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ) as fldChar runs, with ``shown`` as its last result."""
    for part in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if size:
            run.font.size = size
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        elif part == "result":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._r.append(char)


def _style_has_numbering(style) -> bool:
    while style is not None:
        pPr = style.element.pPr
        if pPr is not None and pPr.numPr is not None:
            return True
        style = style.base_style
    return False


def _style_num_id(style) -> int | None:
    while style is not None:
        pPr = style.element.pPr
        if pPr is not None and pPr.numPr is not None and pPr.numPr.numId is not None:
            return pPr.numPr.numId.val
        style = style.base_style
    return None


class _Writer:
    def __init__(self, doc, *, template: bool):
        self.doc = doc
        self.template = template
        self.headings = 0
        self.tables = 0
        self.figures = 0
        self.numbered_lists = 0
        section = doc.sections[-1]
        width = (
            (section.page_width or Mm(210))
            - (section.left_margin or Cm(2))
            - (section.right_margin or Cm(2))
        )
        self.width = Emu(max(int(width), int(Cm(8))))
        names = {s.name: s for s in doc.styles}
        self.table_style = names.get("Table Grid")
        if self.table_style is not None and self.table_style.type != WD_STYLE_TYPE.TABLE:
            self.table_style = None
        self.footer_style = names.get("Footer")
        self.unnumber_headings = {
            name for name in ("Heading 1", "Heading 2") if _style_has_numbering(doc.styles[name])
        }

    # cover and blocks

    def cover(self, c: Cover) -> None:
        self.doc.add_paragraph(_clean(c.title), style="Title")
        for label, value in c.lines:
            p = self.doc.add_paragraph(style="Normal")
            fmt = p.paragraph_format
            fmt.left_indent, fmt.first_line_indent = Cm(4.5), Cm(-4.5)
            fmt.tab_stops.add_tab_stop(Cm(4.5))
            fmt.space_after = Pt(2)
            p.add_run(_clean(label)).bold = True
            p.add_run("\t" + _clean(value))
        self.doc.add_paragraph(style="Normal").paragraph_format.space_after = Pt(0)
        if c.illustrative:
            self.paragraph(Paragraph(ILLUSTRATIVE, "warning"))

    def block(self, block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Bullets):
            self.bullets(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, PageBreak):
            self.doc.add_paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)
        else:  # a block this renderer does not know must not vanish silently
            raise TypeError(f"unknown block {type(block).__name__}")

    def heading(self, block: Heading) -> None:
        if block.level <= 1:
            self.headings += 1
            text, style = f"{self.headings}. {_clean(block.text)}", "Heading 1"
        else:
            text, style = _clean(block.text), "Heading 2"
        p = self.doc.add_paragraph(text, style=style)
        if style in self.unnumber_headings:  # we number the text: the template must not too
            numPr = p._p.get_or_add_pPr().get_or_add_numPr()
            numPr.get_or_add_numId().val = 0

    def paragraph(self, block: Paragraph) -> None:
        text = _clean(block.text)
        p = self.doc.add_paragraph(style="Normal")
        if block.style == "warning":
            if not text.lower().startswith(("warning", "illustrative")):
                p.add_run("Warning: ").bold = True
            p.add_run(text).bold = True
            self._left_border(p)
        elif block.style == "note":
            run = p.add_run(text)
            run.font.size = Pt(10)
            run.font.color.rgb = NOTE_COLOUR
        else:
            p.add_run(text)

    def _left_border(self, p) -> None:
        pPr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        left = OxmlElement("w:left")
        for key, value in (
            ("val", "single"),
            ("sz", "24"),
            ("space", "8"),
            ("color", WARNING_BORDER),
        ):
            left.set(qn(f"w:{key}"), value)
        borders.append(left)
        pPr.insert_element_before(borders, *_PPR_AFTER_PBDR)
        p.paragraph_format.left_indent = Cm(0.4)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(10)

    def bullets(self, block: Bullets) -> None:
        style = "List Number" if block.numbered else "List Bullet"
        num_id = None
        if block.numbered:
            self.numbered_lists += 1
            if self.numbered_lists > 1:  # each numbered list starts again at 1
                num_id = self._restarted_num(self.doc.styles[style])
        for item in block.items:
            p = self.doc.add_paragraph(_clean(item), style=style)
            if num_id is not None:
                p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id

    def _restarted_num(self, style) -> int | None:
        num_id = _style_num_id(style)
        if num_id is None:
            return None
        try:
            numbering = self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return None
        found = numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId")
        if not found:
            return None
        num = numbering.add_num(found[0].get(qn("w:val")))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def caption(self, kind: str, number: int, text: str) -> None:
        p = self.doc.add_paragraph(style="Caption")
        p.paragraph_format.keep_with_next = True
        p.add_run(f"{kind} ")
        _field(p, f"SEQ {kind} \\* ARABIC", str(number))
        p.add_run(f": {_clean(text)}")

    def table(self, block: Table) -> None:
        self.tables += 1
        self.caption("Table", self.tables, block.caption)
        columns = len(block.columns)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=columns)
        if self.table_style is not None:
            table.style = self.table_style
        else:
            self._borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = self._widths(block)
        tblPr = table._tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        if tblW is not None:
            tblW.set(qn("w:type"), "dxa")
            tblW.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(CELL_MARGIN.twips))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        caption = OxmlElement("w:tblCaption")  # the table's title for assistive technology
        caption.set(qn("w:val"), _clean(block.caption)[:255])
        tblPr.insert_element_before(caption, "w:tblDescription", "w:tblPrChange")
        for index, width in enumerate(widths):
            table.columns[index].width = width
        size = sum(len(v) for row in block.rows for v in row)
        keep_together = len(block.rows) <= KEEP_TOGETHER_ROWS and size <= KEEP_TOGETHER_CHARS
        for number, row in enumerate(table.rows):
            values = block.columns if number == 0 else block.rows[number - 1]
            values = tuple(values[:columns]) + ("",) * (columns - len(values))
            trPr = row._tr.get_or_add_trPr()
            if number == 0 or sum(len(v) for v in values) < 400:  # a short row never splits
                trPr.insert_element_before(OxmlElement("w:cantSplit"), *_TRPR_AFTER_CANTSPLIT)
            if number == 0:  # repeats at the top of each page
                trPr.insert_element_before(OxmlElement("w:tblHeader"), *_TRPR_AFTER_CANTSPLIT[2:])
            keep = number == 0 or (keep_together and number < len(block.rows))
            for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                if number == 0:
                    fill = HEADER_FILL
                else:
                    fill = _FILL_BY_LABEL.get(value) if index == block.rag_column else None
                self._cell(cell, value, widths[index], bold=number == 0, fill=fill, keep=keep)
        self.doc.add_paragraph(style="Normal").paragraph_format.space_after = Pt(0)

    def _widths(self, block: Table) -> list[Emu]:
        """The columns' widths: ``block.widths`` shares the page's width out, but a column is
        never narrower than its longest word (up to a third of the page), so words stay whole."""
        columns = len(block.columns)
        relative = block.widths
        if len(relative) != columns or any(w <= 0 for w in relative):
            relative = (1,) * columns
        total = int(self.width)
        need = [min(_longest_word(block, index), total // 3) for index in range(columns)]
        fixed: dict[int, int] = {}
        while True:
            free = [i for i in range(columns) if i not in fixed]
            room = total - sum(fixed.values())
            weight = sum(relative[i] for i in free)
            grow = {i: need[i] for i in free if room * relative[i] < need[i] * weight}
            if not grow:
                break
            fixed.update(grow)
        if not free or room <= 0:  # every column at its minimum: share the page by minimums
            scale = sum(fixed.values())
            out = [total * fixed[i] // scale for i in range(columns)]
        else:
            out = [fixed.get(i, room * relative[i] // weight) for i in range(columns)]
        out[-1] += total - sum(out)
        return [Emu(w) for w in out]

    def _cell(self, cell, text: str, width, *, bold: bool, fill: str | None, keep: bool):
        cell.width = width
        p = cell.paragraphs[0]
        fmt = p.paragraph_format
        if keep:
            fmt.keep_with_next = True
        fmt.space_before, fmt.space_after = Pt(2), Pt(2)
        fmt.line_spacing = 1.0
        text = _clean(text)
        if text.isdigit() and not bold:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(10)
        if bold:
            run.bold = True
        if fill:
            tcPr = cell._tc.get_or_add_tcPr()
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), fill)
            tcPr.insert_element_before(shd, *_TCPR_AFTER_SHD)

    def _borders(self, table) -> None:
        """Borders by hand where the template has no Table Grid style."""
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{side}")
            for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "auto")):
                edge.set(qn(f"w:{key}"), value)
            borders.append(edge)
        table._tbl.tblPr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)

    def chart(self, block: Chart) -> None:
        self.figures += 1
        self.caption("Figure", self.figures, block.caption)
        width_in = min(int(self.width) / 914400, 6.3)
        png = _chart_png(block.themes, round(width_in, 2))
        p = self.doc.add_paragraph(style="Normal")
        shape = p.add_run().add_picture(io.BytesIO(png), width=Emu(int(width_in * 914400)))
        alt = _clean(block.alt)
        inline = shape._inline
        inline.docPr.set("descr", alt)
        inline.docPr.set("title", alt)
        for cNvPr in inline.xpath(".//pic:cNvPr"):
            cNvPr.set("descr", alt)

    def footer(self, report: Report) -> None:
        section = self.doc.sections[-1]
        if self.template and _has_own_footer(section):
            return
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        if self.footer_style is not None:
            p.style = self.footer_style
        stops = p.paragraph_format.tab_stops
        if self.footer_style is not None:
            for stop in list(self.footer_style.paragraph_format.tab_stops):
                if stop.position != self.width:
                    stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(self.width, WD_TAB_ALIGNMENT.RIGHT)
        size = Pt(9)
        p.add_run(_clean(report.strategy) + "\tPage ").font.size = size
        _field(p, "PAGE", "1", size=size)
        p.add_run(" of ").font.size = size
        _field(p, "NUMPAGES", "1", size=size)


def _char_points(c: str) -> float:
    """About how wide a character is in 10 pt Arial."""
    if c in "mwMW@%":
        return 8.6
    if c in "iljtfI.,:;'!|()[]/r ":
        return 3.4
    return 6.8 if c.isupper() else 5.6


def _longest_word(block: Table, index: int) -> int:
    """Roughly how wide (EMU) column ``index`` must be for its longest word, in 10 pt Arial."""
    cells = [(block.columns[index], True)]
    cells += [(row[index], False) for row in block.rows if index < len(row)]
    widest = 0.0
    for text, bold in cells:
        for word in re.split(r"[\s\-]+", _clean(text)):
            points = sum(_char_points(c) for c in word)
            widest = max(widest, points * (1.1 if bold else 1.0))
    return int(Pt(widest * 1.05 + 3) + 2 * CELL_MARGIN)  # a little slack for other fonts


@functools.lru_cache(maxsize=8)
def _chart_png(themes, width_in: float) -> bytes:
    return rag_by_theme_png(themes, width_in=width_in)


def _has_own_footer(section) -> bool:
    """Whether the section's main footer (the one most pages show) has content of its own."""
    footer = section.footer
    if footer.is_linked_to_previous:
        return False
    element = footer._element
    text = "".join(element.xpath(".//w:t/text()")).strip()
    return bool(text or element.xpath(".//w:drawing | .//w:pict | .//w:fldSimple | .//w:fldChar"))


def render_docx(report: Report, out: BinaryIO, *, template: bytes | None = None) -> None:
    """Write the pack for ``report`` as a .docx to ``out``; on ``template`` (a council's own
    .docx) when given, which must pass :func:`check_template`."""
    if template is not None:
        doc = _open_template(template)
        _clear_body(doc)
    else:
        doc = Document()
        _house_style(doc)
    _set_language(doc)
    _properties(doc, report)
    writer = _Writer(doc, template=template is not None)
    front = cover(report)
    writer.cover(front)
    illustrative = Paragraph(ILLUSTRATIVE, "warning")
    for block in layout_document(report):
        if not (front.illustrative and block == illustrative):  # the cover has just said it
            writer.block(block)
    writer.footer(report)
    doc.save(out)


__all__ = ["TemplateError", "check_template", "render_docx"]
