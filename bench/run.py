"""``make bench``: time the plan selectors, the JSON export and two pages at national scale.

    .venv/bin/python bench/run.py [--councils 150 --actions 200 --months 24]
                                  [--databases sqlite,postgresql] [--repeat 15]
                                  [--requests 60] [--pages-only] [--profile]
                                  [--carers-records 1000000] [--carers-only]

For each database (each in its own subprocess, so settings are clean): migrate, make the
synthetic data if it is not already there at this size, then time each measure against its
lower bound, then time the dashboard and the actions list (``bench/pages.py``) against the
selectors they call. Before that, the workbooks (``bench/workbooks.py``), the report pack
(``bench/reports.py``) and the carers' records (``bench/carers.py``). Prints the Markdown
tables and writes them to ``bench/results/latest.md``. See ``bench/README.md``. Exits 0 even
when a target fails (FAIL is printed), non-zero if a run crashes or a lower bound's (or a
page's) answer differs from the selectors'.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.md"
PG_URL = "postgresql://postgres@127.0.0.1:5432/caring_bench"
SQLITE_PATH = ROOT / "var" / "bench.sqlite3"
TARGET = 3.0  # selector time at most this many times its lower bound
PAGE_P95_MS = 200.0  # a page's 95th percentile on SQLite, at most (not applied to PostgreSQL)
PAGE_RATIO = 2.0  # a page's median at most this many times its selectors' median
SMALL_PREFIX = "synthetic-small"  # one extra plan with few actions, for the query-count check
SMALL_ACTIONS = 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, default=150)
    parser.add_argument("--actions", type=int, default=200, help="Actions per plan.")
    parser.add_argument("--months", type=int, default=24, help="Monthly updates per action.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=15, help="Timed runs (median is shown).")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--sqlite-path", default=str(SQLITE_PATH))
    parser.add_argument(
        "--requests", type=int, default=60, help="Timed requests per page (after a warm-up)."
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="Time only the pages (skip the selectors against their lower bounds).",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Print the SQL and a cProfile of one request to each page.",
    )
    parser.add_argument(
        "--workbook-actions",
        type=int,
        default=10_000,
        help="Actions in the workbook export/import benchmark (0 skips it).",
    )
    parser.add_argument(
        "--workbooks-only", action="store_true", help="Only the workbook benchmark."
    )
    parser.add_argument(
        "--report-actions",
        type=int,
        default=200,
        help="Actions in the report pack benchmark (0 skips it; --months updates each).",
    )
    parser.add_argument(
        "--reports-only", action="store_true", help="Only the report pack benchmark."
    )
    parser.add_argument(
        "--carers-records",
        type=int,
        default=1_000_000,
        help="Rows of synthetic carers' records to import in the carers' benchmark (0 skips it).",
    )
    parser.add_argument(
        "--carers-only", action="store_true", help="Only the carers' records benchmark."
    )
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def database_url(args: argparse.Namespace, database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{Path(args.sqlite_path).resolve()}"
    if database == "postgresql":
        return args.postgres_url
    raise SystemExit(f"Unknown database {database!r}: choose sqlite or postgresql.")


# --- the parent: one subprocess per database, then the table -----------------------------------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args)
    started, results, crashed = time.perf_counter(), [], []
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    extra: tuple[list[str], list[str]] = ([], [])
    if args.workbook_actions and not (args.reports_only or args.carers_only):
        sys.path.insert(0, str(ROOT))
        from bench import workbooks

        extra = workbooks.run(
            args.workbook_actions, max(1, min(args.repeat, 5)), databases,
            workbooks.PG_URL if args.postgres_url == PG_URL else args.postgres_url + "_workbooks",
        )  # fmt: skip
    if args.report_actions and not (args.workbooks_only or args.carers_only):
        sys.path.insert(0, str(ROOT))
        from bench import reports

        lines, failed = reports.run(args.report_actions, args.months, max(1, min(args.repeat, 3)))
        extra = ([*extra[0], "", *lines], [*extra[1], *failed])
    if args.carers_records and not (args.workbooks_only or args.reports_only):
        sys.path.insert(0, str(ROOT))
        from bench import carers

        lines, failed = carers.run(
            args.carers_records, databases,
            carers.PG_URL if args.postgres_url == PG_URL else args.postgres_url + "_carers",
            max(1, min(args.repeat, carers.REPEAT)),
        )  # fmt: skip
        extra = ([*extra[0], *lines], [*extra[1], *failed])
    if args.workbooks_only or args.reports_only or args.carers_only:
        what = (
            "workbooks" if args.workbooks_only
            else "report pack" if args.reports_only else "carers' records"
        )  # fmt: skip
        report = "\n".join([f"# Caring Together benchmark: {what}", *extra[0], ""])
        if extra[1]:
            report += f"**FAIL:** {'; '.join(extra[1])}.\n"
        print("\n" + report)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report)
        return 0
    for database in databases:
        url = database_url(args, database)
        print(f"\n=== {database}: {url}", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="caring.settings.dev", DEBUG="false")
        env["DATABASE_URL"] = url
        env["ALLOWED_HOSTS"] = allowed_hosts(os.environ.get("ALLOWED_HOSTS"))
        names = ("councils", "actions", "months", "seed", "repeat", "requests")
        passed = [f"--{name}={getattr(args, name)}" for name in names]
        passed += [
            f"--{flag}"
            for flag in ("pages-only", "profile")
            if getattr(args, flag.replace("-", "_"))
        ]
        command = [sys.executable, __file__, "--child", database, "--out", str(out)]
        code = subprocess.call([*command, *passed], env=env, cwd=ROOT)
        if code:
            print(f"FAIL: the {database} run crashed (exit code {code}); see above.", flush=True)
            crashed.append(database)
        else:
            results.append(json.loads(out.read_text()))
        out.unlink(missing_ok=True)
    report = render(args, results, crashed, time.perf_counter() - started, extra)
    print("\n" + report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report)
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 1 if crashed else 0


def allowed_hosts(given: str | None) -> str:
    """The hosts from the environment (or the settings' default) plus the test Client's."""
    hosts = [h.strip() for h in (given or "127.0.0.1,localhost").split(",") if h.strip()]
    return ",".join([*hosts, "testserver"] if "testserver" not in hosts else hosts)


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def render(args, results: list[dict], crashed: list[str], seconds: float, extra=([], [])) -> str:
    size = args.councils * args.actions
    lines = [
        f"# Caring Together benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Data: {args.councils} councils x {args.actions} actions x {args.months} months "
        f"({size:,} actions, {size * args.months:,} updates), seed {args.seed}.",
    ]
    failures: list[str] = []
    if not args.pages_only:
        lines += render_measures(args, results, failures)
    lines += render_pages(args, results, failures)
    lines += extra[0]
    failures += extra[1]
    lines += ["", "Data set up:"]
    for result in results:
        for label, note in result["generation"].items():
            lines.append(f"- {result['database']}, {label}: {note}")
    lines += ["", "Machine:", f"- {os.cpu_count()} CPUs, {platform.platform()}"]
    lines.append(f"- Python {platform.python_version()}")
    lines += [f"- {result['versions']}" for result in results]
    lines += ["", f"Total time: {seconds:.0f}s.", ""]
    if crashed:
        lines.append(f"**FAIL: crashed on {', '.join(crashed)}** (no results for it).")
    if failures:
        lines.append(f"**FAIL: {len(failures)} target(s) not met:** " + "; ".join(failures) + ".")
    elif results and not crashed:
        lines.append("PASS: every target met.")
    return "\n".join(lines) + "\n"


def render_measures(args, results: list[dict], failures: list[str]) -> list[str]:
    """The first table: each selector against its lower bound."""
    lines = [
        "",
        "## Selectors against their lower bounds",
        "",
        f"Measured on synthetic-001 (big plan, {args.actions} actions) and {SMALL_PREFIX}-001 "
        f"(small plan, {SMALL_ACTIONS} actions); times are for the big plan, the median of "
        f"{args.repeat} runs after a warm-up. 'its SQL': the selector's own SQL statements "
        "replayed on a bare cursor (database time). Lower bound: one hand-written SQL statement "
        "giving the same answer (for export: reading the actions with their updates joined). "
        "See bench/README.md.",
        "",
        "| database | measure | rows | queries (small / big) | median ms | its SQL ms "
        "| lower bound ms | ratio | target | result |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for m in result["measures"]:
            ratio = m["median_ms"] / m["lower_ms"]
            problems = [] if ratio <= TARGET else ["too slow"]
            if m["queries_small"] != m["queries_big"]:
                problems.append("queries grow")
            verdict = "PASS" if not problems else f"**FAIL** ({', '.join(problems)})"
            if problems:
                failures.append(f"{result['database']} {m['name']}: {', '.join(problems)}")
            lines.append(
                f"| {result['database']} | {m['name']} | {m['rows']} | {m['queries_small']} / "
                f"{m['queries_big']} (bound {m['lower_queries']}) | {_ms(m['median_ms'])} | "
                f"{_ms(m['sql_ms'])} | {_ms(m['lower_ms'])} | {ratio:.1f}x | "
                f"<= {TARGET:g}x, same queries | {verdict} |"
            )
    return lines


def render_pages(args, results: list[dict], failures: list[str]) -> list[str]:
    """The second table: each page's server time against the selectors it calls."""
    lines = [
        "",
        "## Pages against their selectors",
        "",
        f"Pages of synthetic-001 ({args.actions} actions) requested with Django's test Client, "
        f"signed in as a viewer, DEBUG off: {args.requests} requests each after a warm-up; "
        "queries: SQL queries of one request (and of its selectors alone). 'selectors ms': the "
        "selectors the page calls, timed on their own in turn with the requests (median of the "
        "sums per request). ratio = page median / selectors median. Targets: page p95 under "
        f"{PAGE_P95_MS:g} ms on SQLite; page median at most {PAGE_RATIO:g}x its selectors'. "
        "See bench/README.md.",
        "",
        "| database | page | queries (page / selectors) | median ms | p95 ms | selectors ms "
        "| ratio | targets | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for p in result["pages"]:
            targets, problems = page_verdict(p, result["database"])
            verdict = "PASS" if not problems else f"**FAIL** ({', '.join(problems)})"
            if problems:
                failures.append(f"{result['database']} page {p['name']}: {', '.join(problems)}")
            lines.append(
                f"| {result['database']} | `{p['name']}` | {p['queries']} / "
                f"{p['selector_queries']} | {_ms(p['median_ms'])} | {_ms(p['p95_ms'])} | "
                f"{_ms(p['selectors_ms'])} | {p['median_ms'] / p['selectors_ms']:.2f}x | "
                f"{targets} | {verdict} |"
            )
    return lines


def page_verdict(row: dict, database: str) -> tuple[str, list[str]]:
    """The targets that apply to a page on ``database``, and the ones it missed."""
    ratio = row["median_ms"] / row["selectors_ms"]
    targets, problems = [f"<= {PAGE_RATIO:g}x"], []
    if database == "sqlite":
        targets.insert(0, f"p95 < {PAGE_P95_MS:g} ms")
        if row["p95_ms"] >= PAGE_P95_MS:
            problems.append("p95 too slow")
    if ratio > PAGE_RATIO:
        problems.append(f"page > {PAGE_RATIO:g}x its selectors")
    return ", ".join(targets), problems


# --- the child: one database -------------------------------------------------------------------
def ensure_postgres_database(url: str) -> None:
    """Create the benchmark database if missing, connecting to the ``postgres`` database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name}", flush=True)


def ensure_data(prefix: str, *, councils: int, actions: int, months: int, seed: int) -> str:
    """Generate the synthetic plans unless they are already there at this size and seed."""
    from caring.plans.synthetic import generate, synthetic_size

    total = councils * actions
    want = {"councils": councils, "actions": total, "updates": total * months, "seed": seed}
    have = synthetic_size(prefix)
    if have == want:
        print(f"{prefix}: already present at this size, not generated again.", flush=True)
        return f"already present ({councils} x {actions} x {months}), not generated again"
    print(f"{prefix}: generating {councils} x {actions} x {months} (had {have})", flush=True)
    result = generate(
        councils=councils,
        actions=actions,
        months=months,
        seed=seed,
        replace=True,
        prefix=prefix,
        log=lambda line: print(line, flush=True),
    )
    print(result.message, flush=True)
    replaced = " (after deleting earlier data)" if have["councils"] else ""
    return f"generated in {result.seconds:.1f}s{replaced}: {result.message}"


def timed(*functions, repeat: int) -> list[float]:
    """Median ms of each function, run in turn ``repeat`` times after one warm-up of each."""
    for fn in functions:
        fn()
    samples: list[list[float]] = [[] for _ in functions]
    for _ in range(repeat):
        for fn, times in zip(functions, samples, strict=True):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return [statistics.median(times) for times in samples]


def replay(connection, statements: list[str]):
    """A function running the selector's own SQL (as captured) on a bare cursor: its DB time."""

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def child(args: argparse.Namespace) -> int:
    if args.child == "postgresql":
        ensure_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.lower_bounds import MEASURES, Plan
    from caring.plans.models import Strategy
    from caring.plans.selectors import version_current

    assert not settings.DEBUG, "DEBUG must be off: it would log every query and slow them"
    assert "testserver" in settings.ALLOWED_HOSTS, "the test Client needs ALLOWED_HOSTS"
    call_command("migrate", verbosity=0)
    size = {"months": args.months, "seed": args.seed}
    generation = {
        "synthetic": ensure_data("synthetic", councils=args.councils, actions=args.actions, **size),
        SMALL_PREFIX: ensure_data(SMALL_PREFIX, councils=1, actions=SMALL_ACTIONS, **size),
    }
    today = timezone.localdate()

    def plan(slug: str) -> Plan:
        strategy = Strategy.objects.get(slug=slug)
        return Plan(strategy, version_current(strategy=strategy), today)

    small, big = plan(f"{SMALL_PREFIX}-001"), plan("synthetic-001")
    measures = []
    for m in () if args.pages_only else MEASURES:
        counts = {}
        for label, p in (("small", small), ("big", big)):
            with CaptureQueriesContext(connection) as captured:
                answer = m.selector(p)
            counts[label] = len(captured)
            statements = [query["sql"] for query in captured.captured_queries]
            with CaptureQueriesContext(connection) as captured:
                lower = m.lower(p)
            counts["lower"] = len(captured)
            theirs, mine = m.same(answer, lower)
            if theirs != mine:  # the bound must be honest: stop loudly
                raise AssertionError(
                    f"{m.name} on {p.strategy.slug}: the lower bound's answer differs from the "
                    f"selector's.\nselector: {theirs!r}\nlower bound: {mine!r}"
                )
        median_ms, lower_ms, sql_ms = timed(
            lambda m=m: m.selector(big),
            lambda m=m: m.lower(big),
            replay(connection, statements),  # the big plan's, captured last
            repeat=args.repeat,
        )
        row = {
            "name": m.name,
            "rows": m.rows(m.selector(big), big),
            "median_ms": median_ms,
            "lower_ms": lower_ms,
            "sql_ms": sql_ms,
            "queries_small": counts["small"],
            "queries_big": counts["big"],
            "lower_queries": counts["lower"],
        }
        print(
            f"{m.name}: {median_ms:.2f} ms (its SQL alone {sql_ms:.2f} ms; lower bound "
            f"{lower_ms:.2f} ms), queries {counts['small']} / {counts['big']}, answers equal",
            flush=True,
        )
        measures.append(row)
    from bench import pages

    print(f"pages: {args.requests} requests each after a warm-up", flush=True)
    page_rows = pages.measure(
        slug="synthetic-001", requests=args.requests, profile_one=args.profile
    )
    Path(args.out).write_text(
        json.dumps(
            {
                "database": args.child,
                "versions": _versions(connection),
                "generation": generation,
                "measures": measures,
                "pages": page_rows,
            }
        )
    )
    return 0


def _versions(connection) -> str:
    import django

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
    return f"{db} (Django {django.get_version()}, driver for {connection.vendor})"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # so ``bench.lower_bounds`` can be imported
    sys.exit(main())
