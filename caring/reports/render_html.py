"""The report pack as HTML and PDF (pure: no Django).

:func:`render_blocks` gives the report's body as an HTML fragment in GOV.UK Design System
classes, for the web app to place inside its own page (which holds the page's single ``<h1>``):
the fragment's headings start at ``<h2>``, it has no inline styles or scripts (the app's
Content-Security-Policy allows neither) and the chart is inline SVG whose styles are turned
into presentation attributes. :func:`render_html` wraps the same blocks in a standalone,
self-contained HTML5 document with inline CSS for screen and print, and :func:`render_pdf`
prints that document with WeasyPrint as a tagged PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from caring.reports.chart import rag_by_theme_svg
from caring.reports.content import RAG_LABELS, Report, Table
from caring.reports.layout import (
    Block,
    Bullets,
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    cover,
    document,
)

TEMPLATES = Path(__file__).with_name("templates")
RAG_BY_LABEL = {label: key or "none" for key, label in RAG_LABELS.items()}  # 'Amber' -> 'amber'
TAG_CLASSES = {  # GOV.UK tag colours; the web app's app-rag--* classes refine them
    "red": "govuk-tag--red",
    "amber": "govuk-tag--orange",
    "green": "govuk-tag--green",
    "blue": "govuk-tag--blue",
    "none": "govuk-tag--grey",
}
CHART_ID_PREFIX = "report-chart-"

# Characters HTML and PDF cannot carry: C0/C1 controls (not tab or newline), lone surrogates
# and Unicode noncharacters.
_NONCHARACTERS = "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF)
                         for plane in range(0, 0x110000, 0x10000))  # fmt: skip
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef" + _NONCHARACTERS + "]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without the characters an HTML document or a PDF cannot hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATES.sub("\ufffd", _UNSAFE.sub("", text))


def _finalize(value):
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


def _lines(text: str) -> Markup:
    """Escaped text with its line breaks kept as ``<br>``."""
    return Markup("<br>\n").join(escape(line) for line in clean(text).split("\n"))


def _css_string(text: str) -> Markup:
    """``text`` as the body of a double-quoted CSS string, safe inside ``<style>``."""
    out = []
    for char in clean(text).replace("\n", " "):
        if char.isalnum() or char in " .,:;-_()!?/+*=[]{}|~@#$%^`":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return Markup("".join(out))


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["lines"] = _lines
_environment.filters["css_string"] = _css_string
_environment.globals["tag_classes"] = TAG_CLASSES


# --- the chart -----------------------------------------------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_PROPERTY = re.compile(r"^[a-z-]+$")


def _presentation_attributes(match: re.Match) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if _PROPERTY.match(name) and value:
            attributes.append(f' {name}="{escape(value)}"')
    return "".join(attributes)


def inline_svg(svg: str, alt: str, *, prefix: str = CHART_ID_PREFIX) -> Markup:
    """An SVG document made fit to sit inside HTML: no XML declaration, DOCTYPE, metadata or
    ``<style>``; styles as presentation attributes (allowed by a strict CSP); ids prefixed so
    they cannot clash with the page's; sized by its viewBox; ``role="img"`` with ``alt``."""
    svg = clean(svg[svg.index("<svg") :])
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    svg = re.sub(r'\sid="([^"]+)"', rf' id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#", f"url(#{prefix}", svg)
    svg = re.sub(r'href="#', f'href="#{prefix}', svg)
    root_end = svg.index(">")
    root = re.sub(r'\s(?:width|height)="[^"]*"', "", svg[:root_end])
    root += (
        f' role="img" aria-label="{escape(clean(alt))}" focusable="false"'
        ' class="app-report-chart__image" stroke-linejoin="round" stroke-linecap="butt"'
    )  # the matplotlib stylesheet's defaults, as attributes
    return Markup(root + svg[root_end:].rstrip())


# --- the blocks as the templates see them -------------------------------------------------------


@dataclass
class Item:
    """One block with what the templates need beyond it."""

    kind: str  # 'heading', 'paragraph', 'bullets', 'table', 'chart' or 'page_break'
    block: Block
    anchor: str = ""  # a heading's id
    label: str = ""  # a heading as shown: '1. Recommendations'
    svg: Markup = field(default_factory=Markup)
    widths: tuple[float, ...] = ()  # a table's column widths in per cent
    rag: tuple[tuple[str | None, ...], ...] = ()  # per cell: 'red'... where a RAG is shown
    numeric: tuple[bool, ...] = ()  # per column: every cell a number, so aligned right


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"


def _rag_cells(table: Table) -> tuple[tuple[str | None, ...], ...]:
    return tuple(
        tuple(
            RAG_BY_LABEL.get(cell) if index == table.rag_column else None
            for index, cell in enumerate(row)
        )
        for row in table.rows
    )


# Printed tables: 9pt across A4 less its margins (180mm, 510pt), cells padded 8pt (10 allowed),
# every word taken as bold.
PRINT_WIDTH_PT, CELL_FONT_PT, CELL_PADDING_PT, CHAR_EM = 510, 9, 10, 0.68
LONGEST_WORD = 14  # a longer word wraps anyway; it should not take the whole table


def _minimum_share(texts) -> float:
    """The per cent of a printed table's width a column needs so its longest word fits."""
    longest = max((len(word) for text in texts for word in text.split()), default=0)
    points = min(longest, LONGEST_WORD) * CHAR_EM * CELL_FONT_PT + CELL_PADDING_PT
    return 100 * points / PRINT_WIDTH_PT


def _widths(table: Table) -> tuple[float, ...]:
    """Each column's width in per cent: the layout's relative widths, widened where a column's
    longest word (a ref, 'Amber') would otherwise be broken, at the expense of the others."""
    if len(table.widths) != len(table.columns) or sum(table.widths) <= 0:
        return ()
    shares = [100 * w / sum(table.widths) for w in table.widths]
    minimums = [
        _minimum_share([column, *(row[i] for row in table.rows if i < len(row))])
        for i, column in enumerate(table.columns)
    ]
    if sum(minimums) >= 100:
        shares = minimums
    else:
        need = sum(m - s for s, m in zip(shares, minimums, strict=True) if s < m)
        slack = sum(s - m for s, m in zip(shares, minimums, strict=True) if s > m)
        shares = [
            m if s <= m else s - need * (s - m) / slack
            for s, m in zip(shares, minimums, strict=True)
        ]
    total = sum(shares)
    return tuple(round(100 * s / total, 2) for s in shares)


def _numeric(table: Table) -> tuple[bool, ...]:
    return tuple(
        bool(table.rows) and all(index < len(row) and row[index].isdigit() for row in table.rows)
        for index in range(len(table.columns))
    )


def items(report: Report, *, charts: bool = True) -> list[Item]:
    """The report's blocks in order, headings numbered and given unique ids (``charts=False``
    skips drawing the charts)."""
    out: list[Item] = []
    used: set[str] = {"contents", "main-content"}
    number = 0
    for block in document(report):
        if isinstance(block, Heading):
            anchor = base = _slug(block.text)
            n = 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            label = block.text
            if block.level == 1 and not block.text.startswith("Appendix"):
                number += 1
                label = f"{number}. {block.text}"
            out.append(Item("heading", block, anchor=anchor, label=label))
        elif isinstance(block, Paragraph):
            out.append(Item("paragraph", block))
        elif isinstance(block, Bullets):
            out.append(Item("bullets", block))
        elif isinstance(block, Table):
            out.append(Item("table", block, widths=_widths(block), rag=_rag_cells(block),
                            numeric=_numeric(block)))  # fmt: skip
        elif isinstance(block, Chart):
            svg = inline_svg(rag_by_theme_svg(block.themes), block.alt) if charts else Markup()
            out.append(Item("chart", block, svg=svg))
        elif isinstance(block, PageBreak):
            out.append(Item("page_break", block))
        else:  # pragma: no cover - a new kind of block needs a template
            raise TypeError(f"No HTML for {type(block).__name__}")
    return out


def _contents(blocks: list[Item]) -> list[tuple[str, str]]:
    return [
        (item.anchor, item.label)
        for item in blocks
        if item.kind == "heading" and item.block.level == 1
    ]


def contents(report: Report) -> list[tuple[str, str]]:
    """(id, label) of each section (and the appendix) as :func:`render_blocks` gives it, for a
    contents list: ``[('recommendations', '1. Recommendations'), ...]``."""
    return _contents(_heading_items(report))


def _heading_items(report: Report) -> list[Item]:
    return [i for i in items(report, charts=False) if i.kind == "heading"]


# --- the renderers -------------------------------------------------------------------------------


def render_blocks(report: Report) -> Markup:
    """The report's cover and every block as an HTML fragment for the web app's page."""
    html = _environment.get_template("report/fragment.html").render(
        report=report, cover=cover(report), items=items(report), tag_classes=TAG_CLASSES
    )
    return Markup(html)  # the templates escape every value


def render_html(report: Report) -> str:
    """The report as a standalone HTML5 document with inline CSS for screen and print."""
    blocks = items(report)
    return _environment.get_template("report/pack.html").render(
        report=report,
        cover=cover(report),
        items=blocks,
        contents=_contents(blocks),
        tag_classes=TAG_CLASSES,
    )


def url_fetcher():
    """A WeasyPrint URL fetcher that fetches nothing but data: URLs: no network, no files."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols=("data",), timeout=1)  # never the network or disk


def render_pdf(report: Report) -> bytes:
    """The standalone document printed by WeasyPrint as a tagged PDF/UA-1 file (A4)."""
    from weasyprint import HTML

    html = HTML(string=render_html(report), url_fetcher=url_fetcher(), media_type="print")
    return html.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
