"""``make bench``: time the plan selectors and the JSON export at national scale.

    .venv/bin/python bench/run.py [--councils 150 --actions 200 --months 24]
                                  [--databases sqlite,postgresql] [--repeat 15]

For each database (each in its own subprocess, so settings are clean): migrate, make the
synthetic data if it is not already there at this size, then time each measure against its
lower bound. Prints a Markdown table and writes it to ``bench/results/latest.md``. See
``bench/README.md``. Exits 0 even when a target fails (FAIL is printed), non-zero if a run
crashes or a lower bound's answer differs from the selector's.
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
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        url = database_url(args, database)
        print(f"\n=== {database}: {url}", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="caring.settings.dev", DEBUG="0")
        env["DATABASE_URL"] = url
        names = ("councils", "actions", "months", "seed", "repeat")
        passed = [f"--{name}={getattr(args, name)}" for name in names]
        command = [sys.executable, __file__, "--child", database, "--out", str(out)]
        code = subprocess.call([*command, *passed], env=env, cwd=ROOT)
        if code:
            print(f"FAIL: the {database} run crashed (exit code {code}); see above.", flush=True)
            crashed.append(database)
        else:
            results.append(json.loads(out.read_text()))
        out.unlink(missing_ok=True)
    report = render(args, results, crashed, time.perf_counter() - started)
    print("\n" + report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report)
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 1 if crashed else 0


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def render(args, results: list[dict], crashed: list[str], seconds: float) -> str:
    size = args.councils * args.actions
    lines = [
        f"# Caring Together benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Data: {args.councils} councils x {args.actions} actions x {args.months} months "
        f"({size:,} actions, {size * args.months:,} updates), seed {args.seed}. Measured on "
        f"synthetic-001 (big plan, {args.actions} actions) and {SMALL_PREFIX}-001 (small plan, "
        f"{SMALL_ACTIONS} actions); times are for the big plan, the median of {args.repeat} runs "
        "after a warm-up. 'its SQL': the selector's own SQL statements replayed on a bare cursor "
        "(database time). Lower bound: one hand-written SQL statement giving the same answer "
        "(for export: reading the actions with their updates joined). See bench/README.md.",
        "",
        "| database | measure | rows | queries (small / big) | median ms | its SQL ms "
        "| lower bound ms | ratio | target | result |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    failures = []
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
    for m in MEASURES:
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
    Path(args.out).write_text(
        json.dumps(
            {
                "database": args.child,
                "versions": _versions(connection),
                "generation": generation,
                "measures": measures,
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
