"""The pure rules import nothing from Django, so views, commands and reports share them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "caring"
PURE = [
    "plans/dates.py",
    "plans/rag.py",
    "plans/evidence_rules.py",
    "workbooks/safety.py",
    "workbooks/writer.py",
    "workbooks/reader.py",
    "workbooks/headers.py",
    "workbooks/cells.py",
    "workbooks/records.py",
    "workbooks/sheet_reader.py",
    "workbooks/uploads.py",
    "governance/due_text.py",
    "governance/limits.py",
    "governance/tracker_reader.py",
    "governance/tracking.py",
    "reports/content.py",
    "reports/layout.py",
    "reports/chart.py",
    "reports/sections.py",
    "reports/render_docx.py",
    "reports/render_pptx.py",
    "reports/render_html.py",
    "disclosure.py",
    "carers/census_reader.py",
    "carers/vocab.py",
    "carers/pseudonym.py",
    "carers/records_reader.py",
    "carers/synthetic.py",
    "indicators/assess.py",
    "indicators/periods.py",
    "indicators/values_reader.py",
    "indicators/benchmark_reader.py",
    "indicators/benchmarking.py",
    "indicators/practices_reader.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_django_or_the_models(module):
    imported = imported_modules(ROOT / module)
    offending = {
        name
        for name in imported
        if name.startswith("django") or name.endswith((".models", ".services", ".selectors"))
    }
    assert not offending, f"{module} imports {sorted(offending)}"
