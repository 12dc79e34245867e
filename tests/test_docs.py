"""Documentation kept honest by tests."""

from pathlib import Path

from caring.plans import rag
from caring.plans.rules_doc import rules_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_rag_rules_document_is_up_to_date():
    committed = (ROOT / "docs" / "rag-rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "Run: caring explain-rag > docs/rag-rules.md"


def test_every_flag_and_rule_is_documented():
    text = (ROOT / "docs" / "rag-rules.md").read_text(encoding="utf-8")
    for name in rag.FLAG_NAMES:
        assert f"`{name}`" in text
    for rule, _ in rag.SUGGESTION_RULES:
        assert f"**{rule}**" in text


def test_export_contract_documents_every_key():
    from caring.governance.export import (
        INFORMATION_REQUEST_KEYS,
        MEETING_KEYS,
        RECOMMENDATION_KEYS,
    )
    from caring.plans.export import ACTION_KEYS, TOP_LEVEL_KEYS

    text = (ROOT / "docs" / "export-json.md").read_text(encoding="utf-8")
    keys = [*TOP_LEVEL_KEYS, *ACTION_KEYS, *MEETING_KEYS, *RECOMMENDATION_KEYS]
    for key in [*keys, *INFORMATION_REQUEST_KEYS]:
        assert f"`{key}`" in text, f"docs/export-json.md does not document {key!r}"


def test_readme_shows_the_two_setup_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text


def test_the_indicators_json_is_documented():
    from caring.indicators.export import INDICATOR_KEYS

    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for key in INDICATOR_KEYS:
        assert f"`{key}`" in text, f"docs/indicators.md does not document {key!r}"
