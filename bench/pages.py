"""The pages: server time of the dashboard and the actions list, beside their selectors' time.

Each page is requested with Django's test ``Client`` (the whole request: middleware, session,
permission check, view, Jinja2 rendering), signed in as ``bench-viewer`` (a viewer in an
organisation of its own). Beside each request, in the same round, the selectors that page calls
are timed on their own, as the view calls them; the ratio page / selectors shows what the page
adds to its reads. Imported by ``bench/run.py`` after ``django.setup()``; see bench/README.md.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caring.accounts import services as accounts
from caring.accounts.models import Role, User
from caring.plans import selectors
from caring.plans.models import Strategy
from caring.web.views.actions import PAGE_SIZE
from caring.web.views.dashboard import FLAG_HEADINGS

VIEWER = "bench-viewer"
VIEWER_ORGANISATION = "Benchmark viewers"
WARM_UP = 3


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {slug}
    selectors: Callable[[Strategy], Any]  # the selector calls the view makes, as it makes them
    check: Callable[[str, Any], None]  # the page's HTML shows the selectors' answer


# --- the dashboard -------------------------------------------------------------------------
def dashboard_selectors(strategy: Strategy) -> dict:
    """What ``caring.web.views.dashboard.Dashboard`` reads, in the same order."""
    version = selectors.version_current_by_slug(slug=strategy.slug)
    today = timezone.localdate()
    return {
        "rows": selectors.rag_counts_by_theme(version=version),
        "flags": selectors.flag_counts(version=version, today=today),
        "recent": selectors.recent_updates(version=version),
        "last": selectors.plan_last_changed(version=version),
    }


def dashboard_check(html: str, answer: dict) -> None:
    for name, heading in FLAG_HEADINGS.items():
        shown = f'font-weight-bold">{answer["flags"][name]}</span> {heading.lower()}'
        assert shown in html, f"dashboard: flag {name} should show {answer['flags'][name]}"
    for update in answer["recent"]:
        assert f">{update.action.ref} " in html, f"dashboard: recent {update.action.ref} missing"


# --- the actions list ----------------------------------------------------------------------


@dataclass(frozen=True)
class ListAnswer:
    count: int
    refs: list[str]


def list_selectors(**filters) -> Callable[[Strategy], ListAnswer]:
    """What ``caring.web.views.actions.ActionList`` reads through the selectors for page 1, in
    the same order: the plan (``version_current_by_slug``), the filters' options, ``action_search``
    (its count and its first ``PAGE_SIZE`` rows, through the same ``Paginator``),
    ``action_assess`` on those rows, and when the plan last changed."""
    search = {"theme": None, "organisation": None, "status": None, "rag": None, "flag": None}
    search |= {"text": "", "sort": "ref"} | filters

    def run(strategy: Strategy) -> ListAnswer:
        version = selectors.version_current_by_slug(slug=strategy.slug)
        selectors.action_filter_options(version=version)
        rows = selectors.action_search(version=version, today=timezone.localdate(), **search)
        page = Paginator(rows, PAGE_SIZE).get_page(None)
        assessed = [selectors.action_assess(a) for a in page.object_list]
        selectors.plan_last_changed(version=version)
        return ListAnswer(page.paginator.count, [item.action.ref for item in assessed])

    return run


def list_check(html: str, answer: ListAnswer) -> None:
    assert f'id="result-count">{answer.count} action' in html, (
        f"actions: the page's count differs from the selectors' ({answer.count})"
    )
    found = [m.group(1) for m in re.finditer(r'<th scope="row"[^>]*><a [^>]*>([^<]+)</a>', html)]
    assert found == answer.refs, f"actions: rows differ\npage: {found}\nselectors: {answer.refs}"


PAGES = (
    Page("dashboard", "/strategies/{slug}/", dashboard_selectors, dashboard_check),
    Page("actions", "/strategies/{slug}/actions/", list_selectors(), list_check),
    Page(
        "actions?flag=stale&sort=due",
        "/strategies/{slug}/actions/?flag=stale&sort=due",
        list_selectors(flag="stale", sort="due"),
        list_check,
    ),
)


# --- measuring -----------------------------------------------------------------------------
def ensure_viewer() -> User:
    """The user ``bench-viewer``, a viewer in ``Benchmark viewers``: made once, then reused."""
    user = User.objects.filter(username=VIEWER).first()
    if user is not None and user.memberships.filter(role=Role.VIEWER).exists():
        return user
    organisation = accounts.organisation_ensure(name=VIEWER_ORGANISATION)
    user = accounts.user_ensure(username=VIEWER, job_title="Benchmark viewer (reads only)")
    accounts.membership_set(user=user, organisation=organisation, role=Role.VIEWER)
    print(f"Made the user {VIEWER} (viewer in {VIEWER_ORGANISATION})", flush=True)
    return user


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return max(samples)
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} gave {response.status_code}, not 200")
    return response


def profile(client: Client, url: str, top: int = 25) -> str:
    """cProfile of one request: the functions taking the most time, with their callees."""
    profiler = cProfile.Profile()
    profiler.enable()
    _get(client, url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def measure(*, slug: str, requests: int, profile_one: bool = False) -> list[dict]:
    """Each page: queries, median and 95th percentile of ``requests`` requests after a warm-up,
    and its selectors' median, timed in turn with the requests (page, selectors, page, ...)."""
    strategy = Strategy.objects.get(slug=slug)
    client = Client()
    client.force_login(ensure_viewer())
    results = []
    try:
        for page in PAGES:
            url = page.path.format(slug=slug)
            for _ in range(WARM_UP):
                _get(client, url)
                page.selectors(strategy)
            # Counted at once: the next request empties the log the contexts read from.
            with CaptureQueriesContext(connection) as captured:
                html = _get(client, url).content.decode()
            page_queries = [q["sql"] for q in captured.captured_queries]
            with CaptureQueriesContext(connection) as captured:
                answer = page.selectors(strategy)
            selector_queries = [q["sql"] for q in captured.captured_queries]
            page.check(html, answer)  # the selectors timed are those behind what the page shows
            page_ms, selectors_ms = [], []
            for _ in range(requests):
                start = time.perf_counter()
                _get(client, url)
                page_ms.append(_ms(start))
                start = time.perf_counter()
                page.selectors(strategy)
                selectors_ms.append(_ms(start))
            row = {
                "name": page.name,
                "url": url,
                "requests": requests,
                "queries": len(page_queries),
                "selector_queries": len(selector_queries),
                "bytes": len(html),
                "median_ms": statistics.median(page_ms),
                "p95_ms": _p95(page_ms),
                "max_ms": max(page_ms),
                "selectors_ms": statistics.median(selectors_ms),
            }
            print(
                f"page {page.name}: median {row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms "
                f"({len(page_queries)} queries); its selectors {row['selectors_ms']:.1f} ms "
                f"({len(selector_queries)} queries)",
                flush=True,
            )
            if profile_one:
                sql = "\n".join(f"  {i}. {q[:300]}" for i, q in enumerate(page_queries, 1))
                print(f"--- the SQL of one request to {url}:\n{sql}", flush=True)
                print(f"--- profile of one request to {url}\n{profile(client, url)}", flush=True)
            results.append(row)
    finally:
        client.logout()  # deletes the session made by force_login
    return results
