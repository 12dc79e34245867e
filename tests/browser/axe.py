"""Accessibility checks with axe-core (vendored; see ``scripts/vendor-axe.sh``).

``assert_no_axe_violations(page)`` runs every axe rule tagged WCAG 2.0/2.1 A and AA, and 2.2 AA,
on the page as it stands, and fails listing each violation's rule, impact, help and elements.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGETS_SHOWN = 3

_RUN = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return {url: results.url, violations: results.violations};
}"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8") + "\n;undefined"


def inject_axe(page) -> None:
    """Load axe into ``page`` unless it is there already.

    Not ``page.add_script_tag``: that adds an inline <script>, which our pages' strict
    Content-Security-Policy (caring.web.middleware) refuses. Playwright's ``evaluate`` runs through
    the DevTools protocol, which the page's CSP does not govern, so the page keeps its real CSP.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())


def axe_violations(page) -> list[dict]:
    """The axe violations on ``page`` now (each a dict as axe gives it)."""
    inject_axe(page)
    return page.evaluate(_RUN, WCAG_TAGS)["violations"]


def format_violations(violations: list[dict], url: str = "") -> str:
    where = f" on {url}" if url else ""
    lines = [
        f"axe-core {AXE_VERSION} found {len(violations)} WCAG A/AA violation(s){where}:",
    ]
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [" >> ".join(map(str, node.get("target", []))) for node in nodes]
        shown = ", ".join(targets[:TARGETS_SHOWN])
        more = f" (and {len(targets) - TARGETS_SHOWN} more)" if len(targets) > TARGETS_SHOWN else ""
        lines += [
            f"- {violation['id']} [{violation.get('impact') or 'no impact given'}]: "
            f"{violation['help']}",
            f"    {len(nodes)} element(s): {shown}{more}",
            f"    {violation.get('helpUrl', '')}",
        ]
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Fail if axe finds any WCAG 2.0/2.1 A or AA, or 2.2 AA, violation on ``page``."""
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)
