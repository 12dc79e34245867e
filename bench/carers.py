"""Benchmark: carers' records. Import a million synthetic rows, match them, and break them down.

For each database, in a subprocess of its own with a fresh, empty database:

- **Import**: ``carers_import`` of three synthetic extracts (``bench_sources``: 60%, 28% and 12%
  of the rows, a third of the second and third sources' people known to an earlier source too),
  each with ``match=False``: reading the CSV, checking every cell, pseudonymising and writing
  the records and support items, all or nothing. Beside it, in the same run, the **baseline**:
  the same records and support items (read back from the tables as pre-built tuples) written
  into scratch tables of the same columns, primary keys and indexes (no foreign key) with a plain
  ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) in one transaction. Target: at least 20,000
  rows a second.
- **De-duplication**: ``match_carers`` once all three are in: its time and what it found, beside
  the number of distinct people the generator made.
- **Equalities**: ``analyses.equalities(strategy, rule)`` against the same counts by raw SQL
  (``SELECT <column>, COUNT(*) FROM carers_carer WHERE strategy_id = %s GROUP BY <column>`` for
  each characteristic it shows), median of 5 runs taken in turn after a warm-up; its answer is
  first checked against the raw SQL's (with no suppression). Target: within 2x.

Run alone: ``.venv/bin/python bench/carers.py [--records 1000000] [--databases sqlite,postgresql]``;
``make bench`` runs it after the report pack (``bench/run.py --carers-only`` for just this).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import timed  # noqa: E402
from bench.workbooks import _fresh_postgres  # noqa: E402

RATE_TARGET = 20_000  # rows a second, at least
EQUALITIES_TARGET = 2.0  # the breakdown at most this many times its raw SQL
REPEAT = 5
PG_URL = "postgresql://postgres@127.0.0.1:5432/caring_bench_carers"
SEED = 1


# --- the child: one database -------------------------------------------------------------------
def _scratch_tables(connection, tables: list[str]) -> list[tuple[str, str]]:
    """Make ``bench_scratch_<table>`` for each table: same columns, types, primary key and
    indexes, no foreign keys. Returns (table, scratch) pairs."""
    pairs = []
    with connection.cursor() as cursor:
        for table in tables:
            scratch = f"bench_scratch_{table}"
            cursor.execute(f'DROP TABLE IF EXISTS "{scratch}"')
            if connection.vendor == "postgresql":
                cursor.execute(f'CREATE TABLE "{scratch}" (LIKE "{table}" INCLUDING ALL)')
            else:
                cursor.execute(
                    "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                    "ORDER BY type DESC",
                    [table],
                )  # the table first, then its indexes
                for kind, sql in cursor.fetchall():
                    sql = sql.replace(f'"{table}"', f'"{scratch}"')
                    sql = re.sub(r' REFERENCES "[^"]+" \("[^"]+"\)( DEFERRABLE INITIALLY '
                                 r'DEFERRED)?', "", sql)  # fmt: skip
                    if kind == "index":
                        sql = re.sub(r'INDEX "([^"]+)"', rf'INDEX "{scratch}_\1"', sql)
                    cursor.execute(sql)
            pairs.append((table, scratch))
    return pairs


def _plain_insert(connection, scratch: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{scratch}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{scratch}" ({quoted}) VALUES ({marks})', rows)


def baseline(connection) -> tuple[float, int]:
    """Seconds to write the records and support items held into scratch tables of the same
    shape, from tuples built beforehand (not timed); and how many rows that was."""
    from django.db import transaction

    from caring.carers.models import CarerRecord, SupportItem
    from caring.carers.services import RECORD_COLUMNS, SUPPORT_COLUMNS

    shapes = [(CarerRecord._meta.db_table, RECORD_COLUMNS),
              (SupportItem._meta.db_table, SUPPORT_COLUMNS)]  # fmt: skip
    pairs = _scratch_tables(connection, [table for table, _ in shapes])
    built = []
    with connection.cursor() as cursor:
        for (table, columns), (_, scratch) in zip(shapes, pairs, strict=True):
            cursor.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY id')
            built.append((scratch, columns, cursor.fetchall()))
    start = time.perf_counter()
    with transaction.atomic():
        for scratch, columns, rows in built:
            _plain_insert(connection, scratch, columns, rows)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        for _, scratch in pairs:
            cursor.execute(f'DROP TABLE "{scratch}"')
    return seconds, sum(len(rows) for _, _, rows in built)


def measure(records: int, seed: int, repeat: int) -> dict:
    """In a child process with DATABASE_URL set to a fresh database: every measure."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from caring import disclosure
    from caring.carers import analyses, synthetic, vocab
    from caring.carers.demo import census_demo_load
    from caring.carers.services import carers_import, match_carers
    from caring.plans.models import Strategy

    assert not settings.DEBUG, "DEBUG must be off: it would log every query and slow them"
    call_command("migrate", verbosity=0)
    census_demo_load()
    strategy = Strategy.objects.create(title="Carers benchmark", slug="bench-carers")
    today = timezone.localdate()

    start = time.perf_counter()
    sources = synthetic.bench_sources(records, seed, today)
    lookup = synthetic.bench_lookup_csv(seed)
    generate_s = time.perf_counter() - start
    people = sum(s.people for s in sources)
    expected = people - sum(s.shared for s in sources)
    print(f"{connection.vendor}: generated {records:,} rows ({people:,} records, {expected:,} "
          f"distinct people) in {generate_s:.1f}s", flush=True)  # fmt: skip

    per_source = []
    for i, source in enumerate(sources):
        start = time.perf_counter()
        done = carers_import(
            strategy=strategy, source_name=source.name, data=source.csv,
            filename=source.filename, lookup=lookup if i == 0 else None,
            synthetic=True, today=today, match=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        assert (done.rows, done.records) == (source.rows, source.people), done
        per_source.append({"name": source.name, "rows": source.rows, "records": done.records,
                           "supports": done.supports, "seconds": seconds})  # fmt: skip
        print(f"  import {source.name}: {source.rows:,} rows in {seconds:.1f}s "
              f"({source.rows / seconds:,.0f} rows/s)", flush=True)  # fmt: skip
    sources = None  # the CSVs are not needed again: free them before the baseline's tuples
    import_s = sum(s["seconds"] for s in per_source)

    baseline_s, baseline_rows = baseline(connection)
    print(f"  plain insert of the same {baseline_rows:,} records and support items: "
          f"{baseline_s:.1f}s", flush=True)  # fmt: skip

    start = time.perf_counter()
    report = match_carers(strategy)
    match_s = time.perf_counter() - start
    print(f"  match_carers: {match_s:.1f}s: {report.summary}", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    columns = [column for _, _, column in analyses.EQUALITY_FIELDS]

    def raw() -> dict[str, dict[str, int]]:
        out = {}
        with connection.cursor() as cursor:
            for column in columns:
                cursor.execute(
                    f"SELECT {column}, COUNT(*) FROM carers_carer WHERE strategy_id = %s "
                    f"GROUP BY {column}",
                    [strategy.pk],
                )
                out[column] = dict(cursor.fetchall())
        return out

    exact, counted = analyses.equalities(strategy, disclosure.NONE), raw()
    for table, column in zip(exact.tables, columns, strict=True):  # the same answer
        words = vocab.AGE if column == "age_band" else vocab.CODED[column]
        theirs = {label: n for label, n in table.chart if n}
        mine = {words.label(code): n for code, n in counted[column].items()}
        assert theirs == mine, f"equalities by {column}: {theirs} but raw SQL says {mine}"
    rule = analyses.rule_of(strategy)
    equalities_ms, raw_ms = timed(lambda: analyses.equalities(strategy, rule), raw, repeat=repeat)
    print(f"  equalities: {equalities_ms:.1f} ms, raw SQL {raw_ms:.1f} ms", flush=True)
    return {
        "database": connection.vendor,
        "versions": _versions(connection),
        "rows": records,
        "records": people,
        "expected_carers": expected,
        "generate_s": generate_s,
        "import_s": import_s,
        "per_source": per_source,
        "baseline_s": baseline_s,
        "baseline_rows": baseline_rows,
        "match_s": match_s,
        "match": report.as_dict(),
        "equalities_ms": equalities_ms,
        "raw_ms": raw_ms,
        "characteristics": columns,
        "rule": rule.key,
    }


def _versions(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


# --- the parent: one subprocess per database, then the tables ----------------------------------
def render(results: list[dict], repeat: int) -> list[str]:
    if not results:
        return []
    first = results[0]
    rows = first["rows"]
    supports = sum(s["supports"] for s in first["per_source"])
    lines = [
        "",
        f"## Carers' records: {rows:,} synthetic rows from three sources ({first['records']:,} "
        f"records of {first['expected_carers']:,} distinct people, {supports:,} support items)",
        "",
        "Import: `carers_import` of the three extracts in turn (`match=False`), rows of the CSVs "
        "a second. Plain insert: the same records and support items, as tuples built "
        "beforehand, written by one `executemany` (SQLite) or `COPY` (PostgreSQL) into scratch "
        "tables of the same columns and indexes. See bench/README.md.",
        "",
        "| database | import s | rows/s | per source s | plain insert s | import / plain "
        "| target | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        rate = r["rows"] / r["import_s"]
        verdict = "PASS" if rate >= RATE_TARGET else "**FAIL**"
        each = " / ".join(f"{s['seconds']:.1f}" for s in r["per_source"])
        lines.append(
            f"| {r['database']} | {r['import_s']:.1f} | {rate:,.0f} | {each} | "
            f"{r['baseline_s']:.1f} | {r['import_s'] / r['baseline_s']:.1f}x | "
            f">= {RATE_TARGET:,}/s | {verdict} |"
        )
    lines += [
        "",
        "De-duplication: `match_carers` once all three sources are in (no target); 'generated': "
        "the distinct people the generator made.",
        "",
        "| database | match s | records | carers | generated | by NHS number | by DOB, postcode "
        "and initial | left apart | unmatchable |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m = r["match"]
        lines.append(
            f"| {r['database']} | {r['match_s']:.1f} | {m['records']:,} | {m['carers']:,} | "
            f"{r['expected_carers']:,} | {m['by_nhs']:,} | {m['by_link']:,} | "
            f"{m['ambiguous']:,} | {m['unmatchable']:,} |"
        )
    lines += [
        "",
        f"Equalities: `analyses.equalities` (rule {first['rule']}) against raw SQL counts by "
        f"{', '.join(first['characteristics'])} ({len(first['characteristics'])} `GROUP BY` "
        f"queries); median of {repeat} after a warm-up, answers checked equal.",
        "",
        "| database | equalities ms | raw SQL ms | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = r["equalities_ms"] / r["raw_ms"]
        verdict = "PASS" if ratio <= EQUALITIES_TARGET else "**FAIL**"
        lines.append(
            f"| {r['database']} | {r['equalities_ms']:.1f} | {r['raw_ms']:.1f} | {ratio:.2f}x "
            f"| <= {EQUALITIES_TARGET:g}x | {verdict} |"
        )
    lines += ["", *(f"- {r['database']}: {r['versions']}" for r in results)]
    return lines


def failures(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        rate = r["rows"] / r["import_s"]
        if rate < RATE_TARGET:
            out.append(f"{r['database']} carers' import {rate:,.0f} rows/s (target "
                       f"{RATE_TARGET:,})")  # fmt: skip
        ratio = r["equalities_ms"] / r["raw_ms"]
        if ratio > EQUALITIES_TARGET:
            out.append(f"{r['database']} equalities {ratio:.2f}x raw SQL (target "
                       f"{EQUALITIES_TARGET:g}x)")  # fmt: skip
    return out


def run(records: int, databases: list[str], postgres_url: str = PG_URL,
        repeat: int = REPEAT) -> tuple[list[str], list[str]]:  # fmt: skip
    """The tables' lines, and the targets missed. Raises SystemExit if a run crashes."""
    print(f"\n=== carers' records: {records:,} rows", flush=True)
    results = []
    for database in databases:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            if database == "postgresql":
                url = postgres_url
                _fresh_postgres(url)
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="caring.settings.dev", DEBUG="false",
                       DATABASE_URL=url)  # fmt: skip
            out = Path(folder) / "result.json"
            command = [sys.executable, __file__, "--child", "--records", str(records),
                       "--repeat", str(repeat), "--out", str(out)]  # fmt: skip
            if subprocess.call(command, env=env, cwd=ROOT):
                raise SystemExit(f"the {database} carers' benchmark crashed; see above")
            results.append(json.loads(out.read_text()))
    return render(results, repeat), failures(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="Rows of CSV in all.")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        Path(args.out).write_text(json.dumps(measure(args.records, SEED, args.repeat)))
        return 0
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    lines, failed = run(args.records, databases, args.postgres_url, args.repeat)
    print("\n".join(lines))
    if failed:
        print("FAIL: " + "; ".join(failed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
