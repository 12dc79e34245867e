"""Benchmark: export and import of a 10,000-action workbook, each beside openpyxl doing the same.

- **Export**: ``write_plan_workbook`` (the plan's five sheets with styles, widths, conditional
  fills, drop-downs, filters, print set-up) against a baseline of plain openpyxl writing the
  same cell values into the same sheets with ``append`` and no formatting, saved the same way.
- **Import (reading)**: ``check_workbook`` then ``read_workbook`` of that exported file against
  a baseline of plain openpyxl opening the same bytes the way the reader must (not read-only:
  the reader needs fill colours and merged cells; ``data_only``) and reading every value of the
  action sheet.
- **Import (into the database)**: ``workbook_import`` of the same file as a new plan version,
  all through the services, beside creating the same actions with one ``bulk_create``: the
  price of validation, history and all-or-nothing, not a like-for-like baseline (reported, no
  target).

Run alone: ``.venv/bin/python bench/workbooks.py [--actions 10000] [--repeat 5]
[--databases sqlite,postgresql]``; ``make bench`` runs it after the plan benchmarks. Each
database is measured in a subprocess of its own with a fresh, empty database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import timed  # noqa: E402
from caring.workbooks.reader import read_workbook  # noqa: E402
from caring.workbooks.safety import check_workbook  # noqa: E402
from caring.workbooks.writer import PLAN_COLUMNS, RAG_TEXT, STATUS_TEXT, write_plan_workbook  # noqa: E402

TARGET = 2.0
PG_URL = "postgresql://postgres@127.0.0.1:5432/caring_bench_workbooks"
THEMES = ["Carers Support", "Young Carers", "Unknown Carers", "Publicity and Promotion",
          "Training Offer", "Quality Assurance"]  # fmt: skip
PREFIXES = ["CS", "YC", "UC", "PP", "TO", "QA"]
ORGANISATIONS = [
    "Adult Social Care", "Barnardo's", "Crossroads Care", "Age UK Rotherham",
    "Children and Young People's Services", "The Rotherham NHS Foundation Trust",
]  # fmt: skip
WORDS = [
    "carers", "assessment", "review", "young", "school", "hospital", "discharge", "register",
    "practice", "training", "offer", "information", "advice", "survey", "lifestyle", "data",
    "sharing", "agreement", "coffee", "shop", "crisis", "contact", "digital", "support",
]  # fmt: skip


def plan_data(actions: int, *, seed: int = 1) -> dict:
    """A plan's export data (the shape ``plan_export`` gives) with ``actions`` actions, each
    with three updates, a due-date change and a piece of evidence."""
    rnd = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize()

    rows = []
    for number in range(1, actions + 1):
        theme = (number - 1) % len(THEMES)
        due = dt.date(2019, 1, 31) + dt.timedelta(days=rnd.randrange(0, 900))
        rag = rnd.choice(["red", "amber", "green", "blue", None])
        updates = [
            {"date": (due - dt.timedelta(days=30 * k)).isoformat(), "author": "Change Leader",
             "narrative": words(25), "status": "in_progress", "rag": rag}
            for k in (3, 2, 1)
        ]  # fmt: skip
        rows.append({
            "id": number, "revision": rnd.randrange(1, 9),
            "ref": f"{PREFIXES[theme]}{number}", "theme": THEMES[theme], "title": words(12),
            "description": words(30), "outcomes": sorted(rnd.sample(["1", "2", "3", "4"], 2)),
            "lead": "Service Manager", "organisations": rnd.sample(ORGANISATIONS, 2),
            "commenced": "2018-04-01", "commenced_text": "April 2018",
            "due": due.isoformat(), "due_text": f"{due:%b %Y}",
            "original_due": "2018-12-31", "ongoing": False,
            "status": "complete" if rag == "blue" else "in_progress", "rag": rag,
            "rag_rationale": "", "suggested_rag": rnd.choice(["red", "amber", "green"]),
            "suggested_rag_reason": "", "flags": ["overdue"] if rag == "red" else [],
            "times_slipped": 1, "budget": None, "spend": None,
            "evidence": [{"kind": "text", "title": "Minutes", "text": words(8), "url": "",
                          "file": None, "added_by": "Change Leader", "added_at": None}],
            "updates": updates,
            "due_changes": [{"old_due": "2018-12-31", "old_text": "Dec 2018",
                             "new_due": due.isoformat(), "new_text": f"{due:%b %Y}",
                             "reason": words(10), "changed_by": "Change Leader",
                             "changed_at": "2019-01-10T10:00:00+00:00"}],
        })  # fmt: skip
    return {
        "schema_version": 2,
        "generated": "2026-11-24T12:00:00+00:00",
        "strategy": {"title": "Benchmark strategy", "slug": "bench", "illustrative": True},
        "version": {"name": "Benchmark plan"},
        "themes": [
            {"number": i + 1, "name": name, "prefix": PREFIXES[i]}
            for i, name in enumerate(THEMES)
        ],
        "actions": rows,
    }  # fmt: skip


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def plain_sheets(data: dict) -> dict[str, list[list]]:
    """The same cell values the writer writes, sheet by sheet (Read me and Key as text)."""
    actions = data["actions"]
    return {
        "Read me": [[f"{data['strategy']['title']}: delivery plan"]] * 8,
        "Action Plan": [[h for h, _, _ in PLAN_COLUMNS]]
        + [[value(a) for _, _, value in PLAN_COLUMNS] for a in actions],
        "Updates": [["Ref", "Date", "By (role)", "Status", "RAG", "Update"]]
        + [[a["ref"], _date(u["date"]), u["author"], STATUS_TEXT[u["status"]], RAG_TEXT[u["rag"]],
            u["narrative"]] for a in actions for u in a["updates"]],
        "Due-date changes": [["Ref", "Changed", "From", "To", "Reason", "By"]]
        + [[a["ref"], c["changed_at"][:10], c["old_text"], c["new_text"], c["reason"],
            c["changed_by"]] for a in actions for c in a["due_changes"]],
        "Key": [["RAG", "Meaning"]] + [[t, t] for t in ("Red", "Amber", "Green", "Blue", "None")],
    }  # fmt: skip


def plain_write(data: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in plain_sheets(data).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def product_write(data: dict) -> bytes:
    out = io.BytesIO()
    write_plan_workbook(data, out, exported_at=dt.datetime(2026, 11, 24, 12, 0))
    return out.getvalue()


def plain_read(content: bytes) -> int:
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(content), read_only=False, data_only=True)
    cells = 0
    for row in book["Action Plan"].iter_rows(values_only=True):
        cells += sum(1 for value in row if value is not None)
    return cells


def product_read(content: bytes) -> int:
    check_workbook(content, filename="plan.xlsx")
    result = read_workbook(content, filename="plan.xlsx")
    assert not result.refused, result.problems[:3]
    return len(result.actions)


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def measure_files(actions: int, repeat: int) -> dict:
    data = plan_data(actions)
    written = product_write(data)
    assert product_read(written) == actions  # the reader finds every action the writer wrote
    assert plain_read(written) > actions  # and the baseline reads the same sheet's cells
    export_ms, plain_export_ms = timed(
        lambda: product_write(data), lambda: plain_write(data), repeat=repeat
    )
    read_ms, plain_read_ms = timed(
        lambda: product_read(written), lambda: plain_read(written), repeat=repeat
    )
    return {
        "actions": actions,
        "bytes": len(written),
        "export_ms": export_ms,
        "plain_export_ms": plain_export_ms,
        "read_ms": read_ms,
        "plain_read_ms": plain_read_ms,
        "export_peak_mb": peak_mb(lambda: product_write(data)),
        "read_peak_mb": peak_mb(lambda: product_read(written)),
        "plain_read_peak_mb": peak_mb(lambda: plain_read(written)),
    }


def measure_database(actions: int) -> dict:
    """In a child process with DATABASE_URL set: import the workbook, and bulk_create."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from caring.plans.models import Action, PlanVersion, Strategy
    from caring.plans.services.imports import workbook_import

    content = product_write(plan_data(actions))
    start = time.perf_counter()
    report = workbook_import(data=content, filename="plan.xlsx", strategy_slug="bench-import")
    import_ms = (time.perf_counter() - start) * 1000
    assert report.imported and report.actions == actions, report.problems[:3]
    version = PlanVersion.objects.get(strategy__slug="bench-import", is_current=True)
    rows = list(Action.objects.filter(version=version).values("ref", "title", "description"))
    strategy = Strategy.objects.create(title="Bulk", slug="bench-bulk")
    bare = PlanVersion.objects.create(strategy=strategy, name="Bulk")
    start = time.perf_counter()
    with transaction.atomic():
        Action.objects.bulk_create([Action(version=bare, **row) for row in rows], batch_size=1000)
    bulk_ms = (time.perf_counter() - start) * 1000
    return {"vendor": connection.vendor, "import_ms": import_ms, "bulk_ms": bulk_ms}


def render(files: dict, databases: list[dict]) -> list[str]:
    n = files["actions"]
    lines = [
        "",
        f"## Workbooks: {n:,} actions ({files['bytes'] / 1024 / 1024:.1f} MB .xlsx), "
        "each beside plain openpyxl in the same run",
        "",
        "| measure | ours ms | openpyxl ms | ratio | target | peak MB (ours) |",
        "|---|---|---|---|---|---|",
    ]
    for label, ours, plain, peak in (
        ("export: write the workbook", files["export_ms"], files["plain_export_ms"],
         files["export_peak_mb"]),
        ("import: check and read the workbook", files["read_ms"], files["plain_read_ms"],
         files["read_peak_mb"]),
    ):  # fmt: skip
        ratio = ours / plain
        verdict = "ok" if ratio <= TARGET else "**FAIL**"
        lines.append(
            f"| {label} | {ours:.0f} | {plain:.0f} | {ratio:.2f}x | {TARGET:.0f}x {verdict} | "
            f"{peak:.0f} |"
        )
    if databases:
        lines += [
            "",
            "Import into the database (services, history, all or nothing) beside one "
            "bulk_create of the same actions; no target:",
            "",
            "| database | workbook_import ms | bulk_create ms | ratio | actions/s |",
            "|---|---|---|---|---|",
        ]
        for row in databases:
            lines.append(
                f"| {row['vendor']} | {row['import_ms']:.0f} | {row['bulk_ms']:.0f} | "
                f"{row['import_ms'] / row['bulk_ms']:.0f}x | "
                f"{n / (row['import_ms'] / 1000):,.0f} |"
            )
    return lines


def failures(files: dict) -> list[str]:
    out = []
    for name, ours, plain in (("workbook export", "export_ms", "plain_export_ms"),
                              ("workbook import", "read_ms", "plain_read_ms")):  # fmt: skip
        ratio = files[ours] / files[plain]
        if ratio > TARGET:
            out.append(f"{name} {ratio:.2f}x openpyxl (target {TARGET:.0f}x)")
    return out


def run(actions: int, repeat: int, databases: list[str], postgres_url: str) -> tuple[list, list]:
    print(f"\n=== workbooks: {actions:,} actions, {repeat} runs each", flush=True)
    files = measure_files(actions, repeat)
    rows = []
    for database in databases:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            if database == "postgresql":
                url = postgres_url
                _fresh_postgres(url)
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="caring.settings.dev", DEBUG="false",
                       DATABASE_URL=url)  # fmt: skip
            done = subprocess.run(
                [sys.executable, __file__, "--child", "--actions", str(actions)],
                env=env, cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                print(done.stdout + done.stderr, flush=True)
                raise SystemExit(f"the {database} workbook import crashed")
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return render(files, rows), failures(files)


def _fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_database(args.actions)))
        return 0
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    lines, failed = run(args.actions, args.repeat, databases, args.postgres_url)
    print("\n".join(lines))
    if failed:
        print("FAIL: " + "; ".join(failed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
