"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's ``live_server``.

Every test under ``tests/browser/`` is marked ``browser``. They are skipped only when
``CARING_SKIP_BROWSER=1`` (which ``scripts/test.sh`` sets, with a banner, when Chromium cannot be
installed outside CI). Otherwise a missing Chromium or Playwright makes them fail, never skip; and
with ``CI=true`` they are never skipped at all.

Fixtures: ``browser`` (one Chromium for all of tests/browser), ``page`` (a fresh context per
test, 1280x800, its URLs relative to the live server), ``mobile_page`` (390x844, touch), and
``screenshot``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers often have a 64 MB /dev/shm; Chromium crashes in it
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000  # a page of ours that takes longer than this is a failure, not a wait

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "test-artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent

_reports = pytest.StashKey[dict]()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _skip_requested() -> bool:
    return os.environ.get("CARING_SKIP_BROWSER") == "1"


def pytest_configure(config):
    # Registered in pyproject.toml too; this keeps --strict-markers happy either way.
    if not any(line.split(":")[0].strip() == "browser" for line in config.getini("markers")):
        config.addinivalue_line("markers", "browser: tests in real Chromium")


def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    skip = pytest.mark.skip(
        reason="CARING_SKIP_BROWSER=1 (scripts/test.sh sets it when Chromium cannot be installed)"
    )
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if _skip_requested() and not _in_ci():
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report, so ``page`` can screenshot a test that failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests; a missing one fails loudly.

    While Playwright's sync API is running, this thread has a running asyncio loop, so Django
    takes the test's own database work for async code and refuses it (SynchronousOnlyOperation).
    DJANGO_ALLOW_ASYNC_UNSAFE lifts that, but only for as long as Playwright runs: package scope
    rather than session scope, so the rest of the suite (and the subprocesses it starts, such as
    ``caring check --deploy``, which rejects the variable) never sees either.
    """
    if _skip_requested() and _in_ci():
        pytest.fail(
            "CARING_SKIP_BROWSER=1 with CI=true: CI never skips the browser tests.", pytrace=False
        )
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: the browser tests need it. Install it with "
            "`scripts/ensure-system.sh chromium` (Debian's package), or set "
            "CARING_SKIP_BROWSER=1 to skip them on this machine (never in CI).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright is not installed: `.venv/bin/pip install -e '.[test]'`.", pytrace=False
        )
    with pytest.MonkeyPatch.context() as env:
        if not os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
            env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as error:
            playwright.stop()
            pytest.fail(f"Chromium at {CHROMIUM} would not start: {error}", pytrace=False)
        try:
            yield chromium
        finally:
            chromium.close()
            playwright.stop()


def _page(request, browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    reports = request.node.stash.get(_reports, {})
    if any(report.failed for report in reports.values()):
        try:
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            _save(page, SCREENSHOTS / "failures", name)
        except Exception:  # the page may be gone: the test's own failure is what matters
            pass
    context.close()


@pytest.fixture
def page(request, browser, live_server):
    """A page in a new browser context, desktop size; ``page.goto("/admin/")`` hits the server."""
    yield from _page(request, browser, live_server, viewport=DESKTOP)


@pytest.fixture
def mobile_page(request, browser, live_server):
    """Like ``page`` but phone-sized (390x844, touch, mobile viewport meta honoured)."""
    yield from _page(
        request,
        browser,
        live_server,
        viewport=MOBILE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def _save(page, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 0, "height": 0}
    path = folder / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot():
    """``screenshot(page, "admin-login")`` saves a full-page PNG to var/test-artifacts/screenshots/,
    its name ending in the viewport's size (``admin-login-1280x800.png``); returns the path."""

    def take(page, name: str) -> Path:
        return _save(page, SCREENSHOTS, name)

    return take
