"""The committed GOV.UK Frontend build (scripts/build-assets.sh) is complete and unbranded.

Caring Together is a council service, not a GOV.UK one: no crown, no crest, no GDS Transport.
These tests read files only, with no database and no npm.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "caring" / "web" / "static" / "caring"
ASSETS_SRC = ROOT / "assets"

RAG_CLASSES = ("red", "amber", "green", "blue", "none")


def _version() -> str:
    return (STATIC / "VERSION").read_text(encoding="utf-8").strip()


@pytest.fixture(scope="module")
def version() -> str:
    return _version()


@pytest.fixture(scope="module")
def css(version) -> str:
    return (STATIC / f"govuk-frontend-{version}.min.css").read_text(encoding="utf-8")


def _rule(css: str, selector: str) -> str:
    """The declarations of the last top-level rule whose selector is exactly `selector`."""
    matches = re.findall(r"(?:^|[}\s])" + re.escape(selector) + r"\{([^}]*)\}", css)
    assert matches, f"{selector} not found in the compiled CSS"
    return matches[-1]


def _hex(declarations: str, prop: str) -> str:
    match = re.search(r"(?:^|;)" + prop + r":\s*(#[0-9a-fA-F]{3,6})\b", declarations)
    assert match, f"no hex {prop} in {declarations!r}"
    value = match.group(1)[1:]
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return value.lower()


def _contrast(foreground: str, background: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_version_file_holds_a_semver():
    assert re.fullmatch(r"\d+\.\d+\.\d+", _version())


def test_version_matches_the_pin_in_package_json(version):
    package = json.loads((ASSETS_SRC / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["govuk-frontend"] == version


def test_version_matches_package_lock(version):
    lock = json.loads((ASSETS_SRC / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == version


def test_compiled_css_and_js_are_named_with_the_version(version):
    for suffix in ("css", "js"):
        path = STATIC / f"govuk-frontend-{version}.min.{suffix}"
        assert path.is_file(), f"missing {path.relative_to(ROOT)}: run scripts/build-assets.sh"
        assert path.stat().st_size > 10_000, f"{path.name} is suspiciously small"


def test_no_other_versions_are_left_behind(version):
    built = sorted(p.name for p in STATIC.glob("govuk-frontend-*.min.*"))
    assert built == [f"govuk-frontend-{version}.min.css", f"govuk-frontend-{version}.min.js"]


def test_css_uses_arial_and_not_gds_transport(css):
    assert "gds transport" not in css.lower()
    assert "@font-face" not in css
    assert re.search(r"font-family:\s*arial\s*,\s*sans-serif", css, re.IGNORECASE)


def test_css_only_references_files_that_are_shipped(css):
    for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css):
        if ref.startswith("data:"):
            continue
        assert (STATIC / ref).is_file(), f"CSS refers to {ref}, which is not in {STATIC}"


def test_no_crown_crest_or_govuk_branded_files_are_shipped():
    assert STATIC.is_dir()
    for path in STATIC.rglob("*"):
        name = path.name.lower()
        assert "crown" not in name and "crest" not in name, path
        # Every image GOV.UK Frontend ships (govuk-icon-*, govuk-opengraph-image, its favicons)
        # shows the crown, so none of them may be copied.
        assert not name.startswith(("govuk-icon", "govuk-opengraph")), path
        assert name != "favicon.ico", path
    assert not (STATIC / "assets" / "fonts").exists()


def test_manifest_icons_exist_and_are_not_govuk_branded():
    manifest = json.loads((STATIC / "assets" / "manifest.json").read_text(encoding="utf-8"))
    for icon in manifest["icons"]:
        assert "govuk" not in icon["src"]
        assert (STATIC / "assets" / icon["src"]).is_file(), icon["src"]


def test_js_is_the_es_module_with_init_all_and_no_dangling_source_map(version):
    js = (STATIC / f"govuk-frontend-{version}.min.js").read_text(encoding="utf-8")
    assert re.search(r"export\s*\{[^}]*\binitAll\b", js)
    assert f'version="{version}"' in js
    assert "sourceMappingURL" not in js


def test_init_module_imports_the_committed_bundle_and_marks_support(version):
    init = (STATIC / "init.js").read_text(encoding="utf-8")
    assert f"from './govuk-frontend-{version}.min.js'" in init
    assert "govuk-frontend-supported" in init
    assert "initAll()" in init


@pytest.mark.parametrize("rag", RAG_CLASSES)
def test_rag_classes_exist_and_meet_wcag_aa_contrast(css, rag):
    declarations = _rule(css, f".app-rag--{rag}")
    ratio = _contrast(_hex(declarations, "color"), _hex(declarations, "background-color"))
    assert ratio >= 4.5, f".app-rag--{rag} contrast is {ratio:.2f}:1"


def test_illustrative_banner_style_exists(css):
    assert ".app-illustrative" in css
