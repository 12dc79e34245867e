"""The report pack as HTML (the web app's fragment and the standalone document) and as PDF."""

from __future__ import annotations

import dataclasses
import io
import re

import html5lib
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from caring.reports.content import RAG_KEYS, RAG_LABELS, Narrative, Table
from caring.reports.layout import Chart, Heading, chart_alt, document
from caring.reports.render_html import (
    clean,
    contents,
    inline_svg,
    render_blocks,
    render_html,
    render_pdf,
    url_fetcher,
)
from tests.reports.conftest import RED, make_report
from tests.reports.office import pdf_text

NUMBER = re.compile(r"^\d+\. ")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html5lib")


def strict_parse(html: str, fragment: bool = False) -> None:
    """Fails on any HTML parse error (stray control characters, broken nesting...)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    if fragment:
        parser.parseFragment(html)
    else:
        parser.parse(html)


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def tables(report) -> list[Table]:
    return [b for b in document(report) if isinstance(b, Table)]


def table_by_caption(page: BeautifulSoup, caption: str):
    found = [t for t in page.find_all("table") if text_of(t.caption) == caption]
    assert found, f"no table captioned {caption!r}"
    return found[0]


@pytest.fixture
def page(report):
    return soup(render_html(report))


# --- the standalone document ---------------------------------------------------------------------


def test_standalone_document_has_one_h1_title_and_language(report, page):
    html = render_html(report)
    assert html.lstrip().lower().startswith("<!doctype html>")
    strict_parse(html)
    assert page.html["lang"] == "en-GB"
    assert page.title.get_text() == report.title
    h1s = page.find_all("h1")
    assert len(h1s) == 1
    assert text_of(h1s[0]) == report.title


def test_cover_gives_committee_meeting_author_plan_and_date(page):
    cover = page.select_one(".app-report-cover")
    pairs = {text_of(row.dt): text_of(row.dd) for row in cover.select(".govuk-summary-list__row")}
    assert pairs == {
        "Report to": "Health Select Commission",
        "Date of meeting": "14 January 2027",
        "Report of": "Strategic Commissioning Manager",
        "Plan": "Caring Together Revised Action Plan January 2018",
        "Position as at": "29 November 2026",
    }


def test_section_headings_follow_the_layout_in_order(report, page):
    expected = [(b.text, b.level) for b in document(report) if isinstance(b, Heading)]
    body = page.select_one(".app-report-body")
    found = [
        (NUMBER.sub("", text_of(h)), {"h2": 1, "h3": 2}[h.name])
        for h in body.find_all(["h2", "h3", "h4"])
    ]
    assert found == expected
    numbered = [text_of(h) for h in body.find_all("h2")]
    assert numbered[:2] == ["1. Recommendations", "2. Summary"]
    assert numbered[-1] == "Appendix: the full action list"  # not numbered
    ids = [h["id"] for h in body.find_all(["h2", "h3"])]
    assert all(ids) and len(set(ids)) == len(ids)


def test_contents_list_links_to_every_section_in_order(report, page):
    links = page.select(".app-report-contents a")
    sections = page.select(".app-report-body h2")
    assert [a["href"] for a in links] == [f"#{h['id']}" for h in sections]
    assert [text_of(a) for a in links] == [text_of(h) for h in sections]
    assert contents(report) == [(h["id"], text_of(h)) for h in sections]


def test_every_table_has_a_caption_column_headers_and_a_scrolling_region(page):
    found = page.find_all("table")
    assert len(found) >= 10
    for table in found:
        assert text_of(table.caption)
        assert "govuk-table__caption--m" in table.caption["class"]
        headers = table.thead.find_all("th")
        assert headers and all(th["scope"] == "col" for th in headers)
        region = table.parent
        assert "app-table-scroll" in region["class"]
        assert region["tabindex"] == "0" and region["role"] == "region"
        assert region["aria-label"].startswith(text_of(table.caption))


def test_every_table_block_appears_with_all_its_rows(report, page):
    for block in tables(report):
        table = table_by_caption(page, block.caption)
        assert [text_of(th) for th in table.thead.find_all("th")] == list(block.columns)
        rows = table.tbody.find_all("tr")
        assert len(rows) == len(block.rows), block.caption
        for row, cells in zip(rows, block.rows, strict=True):
            assert [text_of(c) for c in row.find_all(["th", "td"])] == [
                " ".join(c.split()) for c in cells
            ]


def test_rag_cells_are_shaded_and_show_the_word(report, page):
    table = table_by_caption(page, "Actions by RAG rating")
    rows = table.tbody.find_all("tr")
    for key, row in zip(RAG_KEYS, rows, strict=False):
        cell = row.find(["th", "td"])
        name = key or "none"
        assert f"app-rag-cell--{name}" in cell["class"]
        tag = cell.find("strong")
        assert "govuk-tag" in tag["class"] and f"app-rag--{name}" in tag["class"]
        assert text_of(tag) == RAG_LABELS[key]
        assert text_of(row.find_all("td")[-1]) == str(report.rag_count(key))
    total = rows[-1].find(["th", "td"])
    assert text_of(total) == "Total" and not total.find("strong")
    appendix = table_by_caption(page, "Every action in the plan")
    red = [
        text_of(tr.find("th"))
        for tr in appendix.tbody.find_all("tr")
        if tr.select_one(".app-rag-cell--red")
    ]
    assert tuple(red) == report.red_refs == RED


def test_print_css_sets_a4_page_numbers_footer_and_repeated_headers(report, page):
    css = page.find("style").string
    assert "size: A4" in css and "margin: 18mm 15mm 20mm" in css
    assert 'content: "Page " counter(page) " of " counter(pages)' in css
    assert f'content: "{report.strategy}"' in css
    assert "thead { display: table-header-group; }" in css
    for colour in ("#f4d7d7", "#ffee80", "#cfe4dc", "#d2e2f1"):
        assert colour in css
    assert "font-family: Arial" in css


def test_standalone_document_is_self_contained(report, page):
    assert not page.find_all(["script", "link", "img", "iframe", "object"])
    hrefs = [a["href"] for a in page.find_all(href=True)]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    ids = {e["id"] for e in page.find_all(id=True)}
    assert {h[1:] for h in hrefs} <= ids
    assert "url(" not in page.find("style").string


def test_chart_is_an_inline_svg_figure_with_alt_text_before_its_table(report, page):
    chart = next(b for b in document(report) if isinstance(b, Chart))
    figure = page.find("figure")
    svg = figure.find("svg")
    assert svg["role"] == "img"
    assert svg["aria-label"] == chart_alt(report)
    assert text_of(figure.figcaption).startswith(chart.caption)
    assert not svg.find_all(["style", "script", "metadata"])
    assert not svg.find_all(style=True)  # the web app's CSP refuses inline styles
    assert svg.find_all(attrs={"fill": "#c1280f"})  # the red bars keep their colour
    assert all(e["id"].startswith("report-chart-") for e in svg.find_all(id=True))
    html = render_html(report)
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    following = figure.find_next("table")
    assert text_of(following.caption) == "Actions by theme and RAG rating"


def test_inline_svg_escapes_the_alt_text_and_prefixes_references():
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="10pt" height="5pt" viewBox="0 0 10 5">'
        '<defs><style>*{x: y}</style><clipPath id="c"><rect/></clipPath></defs>'
        '<path clip-path="url(#c)" style="fill: #fff; stroke-width: 0.8"/></svg>'
    )
    out = soup(str(inline_svg(svg, 'A "bar" <chart>')))
    element = out.find("svg")
    assert element["aria-label"] == 'A "bar" <chart>'
    assert "width" not in element.attrs and element["viewBox"] == "0 0 10 5"
    path = out.find("path")
    assert path["fill"] == "#fff" and path["stroke-width"] == "0.8"
    assert path["clip-path"] == "url(#report-chart-c)"
    assert out.find("clipPath")["id"] == "report-chart-c"


def test_user_text_is_escaped():
    attack = "<script>alert(1)</script>"
    report = make_report(
        narrative=Narrative(
            summary=f"Summary {attack}",
            recommendations=(f'That the "Commission" notes {attack} & more.',),
            key_issues="<img src=x onerror=alert(1)>",
        )
    )
    for html in (render_html(report), str(render_blocks(report))):
        page = soup(html)
        assert not page.find_all(["script", "img"])
        text = text_of(page)
        assert f"Summary {attack}" in text
        assert f'That the "Commission" notes {attack} & more.' in text
        assert "<img src=x onerror=alert(1)>" in text


def test_line_breaks_in_a_paragraph_are_kept():
    report = make_report(narrative=Narrative(summary="First line\nsecond line"))
    paragraph = next(
        p for p in soup(render_html(report)).find_all("p") if "First line" in p.get_text()
    )
    assert paragraph.find("br") is not None


# --- the fragment for the web app ----------------------------------------------------------------


def test_fragment_has_no_h1_and_starts_its_sections_at_h2(report):
    fragment = render_blocks(report)
    assert hasattr(fragment, "__html__")  # Markup: the web app's templates do not re-escape it
    strict_parse(str(fragment), fragment=True)
    page = soup(str(fragment))
    assert not page.find_all("h1")
    expected = [b for b in document(report) if isinstance(b, Heading)]
    headings = page.find_all(["h2", "h3", "h4"])
    assert [h.name for h in headings] == [{1: "h2", 2: "h3"}[b.level] for b in expected]
    assert all(h["id"] for h in headings)
    assert text_of(headings[0]) == "1. Recommendations"
    assert "govuk-heading-l" in headings[0]["class"]
    assert report.title in text_of(page)  # the cover, though not as a heading
    assert len(page.find_all("table")) == len(tables(report))


def test_fragment_uses_govuk_classes_and_no_inline_styles_or_scripts(report):
    page = soup(str(render_blocks(report)))
    assert not page.find_all(["style", "script", "link"])
    assert not page.find_all(style=True)
    assert page.select("ol.govuk-list.govuk-list--number")
    assert page.select("ul.govuk-list.govuk-list--bullet")
    assert page.select("p.govuk-body")
    warnings = page.select(".govuk-warning-text")
    assert len(warnings) == 1 + len(report.warnings)  # the illustrative notice and each unmet
    assert "Warning" in text_of(warnings[0].select_one(".govuk-visually-hidden"))
    assert page.select("td .govuk-tag.govuk-tag--red")
    assert page.select("th.govuk-table__header[scope=row]")
    assert page.select("hr.app-page-break")


# --- PDF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf():
    report = make_report()
    return report, render_pdf(report)


def test_pdf_is_a_tagged_pdf_with_title_and_language(pdf):
    report, data = pdf
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == report.title
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
    outline = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else outline.append(item.title)

    walk(reader.outline)
    assert outline[0] == report.title
    assert "1. Recommendations" in outline and "Appendix: the full action list" in outline


def test_pdf_text_holds_the_counts_red_actions_and_page_numbers(pdf):
    report, data = pdf
    text = pdf_text(data)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages > 3
    assert "Actions by RAG rating" in text
    for key in RAG_KEYS:
        assert re.search(rf"\b{RAG_LABELS[key]} {report.rag_count(key)}\b", text), key
    assert re.search(rf"\bTotal {report.total}\b", text)
    assert report.red_refs == RED
    for ref in report.red_refs:
        assert ref in text
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert report.strategy in text  # the footer


def test_pdf_fetches_nothing_but_data_urls():
    fetcher = url_fetcher()
    for url in ("https://example.org/logo.png", "http://localhost/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


# --- awkward text ------------------------------------------------------------------------------

AWKWARD = st.one_of(
    st.text(max_size=200),
    st.sampled_from([
        "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\x9f\ufffe\uffff text with controls",
        "Carers 👩‍👧‍👦🧑🏽‍🦽 emoji",
        "مرحبا بالعالم — שלום עולם then English",
        "\u202eright-to-left override\u202c and \u200f marks",
        "Pneumonoultramicroscopicsilicovolcanoconiosis" * 8,
        "https://example.org/" + "a" * 300,
        "line one\r\nline two\rline three\n\nnew paragraph",
        "</style><script>alert(1)</script>\"' & </p></table>",
        "",
        "   ",
    ]),
)  # fmt: skip


def awkward_report(text: str):
    report = make_report(
        narrative=Narrative(
            summary=text,
            recommendations=(text or "That it be noted.",),
            key_issues=text,
            next_steps=text,
        ),
        committee=f"Health Select Commission {text[:40]}",
    )
    return dataclasses.replace(report, title=f"{text[:60]} report", strategy=f"{text[:30]} plan")


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(AWKWARD)
def test_awkward_text_renders_html_that_parses(text):
    report = awkward_report(text)
    html = render_html(report)
    strict_parse(html)
    strict_parse(str(render_blocks(report)), fragment=True)
    page = soup(html)
    assert not page.find_all("script")
    assert len(page.find_all("style")) == 1
    assert len(page.find_all("h1")) == 1
    assert page.title.get_text() == clean(report.title)
    body = text_of(page.select_one(".app-report-body"))
    for word in clean(text).split()[:20]:
        assert word in body


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(AWKWARD)
def test_awkward_text_renders_a_pdf(text):
    data = render_pdf(awkward_report(text))
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    # pypdf reads a font whose ToUnicode map goes beyond the BMP (emoji) as UTF-16, leaving NULs
    # between the letters; poppler's pdftotext reads the same file correctly.
    assert "Page 1 of" in pdf_text(data).replace("\x00", "")
