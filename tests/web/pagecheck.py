"""Every page a test fetches is checked for valid, accessible structure."""

from __future__ import annotations

import html5lib
from bs4 import BeautifulSoup

LABELLED_EXEMPT = {"hidden", "submit", "button"}


def check_page(html: str) -> BeautifulSoup:
    """Strictly valid HTML5; one <h1>; the <title> starts with it; inputs labelled; forms act."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    soup = BeautifulSoup(html, "html.parser")
    headings = soup.find_all("h1")
    assert len(headings) == 1, f"expected one <h1>, found {len(headings)}"
    h1 = " ".join(headings[0].get_text().split())
    title = " ".join(soup.title.get_text().split()) if soup.title else ""
    bare_title = title.removeprefix("Error: ")
    assert bare_title.startswith(h1), f"<title> {title!r} does not start with <h1> {h1!r}"
    for form in soup.find_all("form"):
        assert form.get("action"), "a form has no action"
    labels = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type") in LABELLED_EXEMPT:
            continue
        ident = field.get("id")
        assert ident and (ident in labels or field.get("aria-label")), (
            f"{field.name} {field.get('name')!r} has no label"
        )
    return soup
