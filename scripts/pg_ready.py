"""Exit 0 if a PostgreSQL server answers at the URL given, else 1 (quietly)."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1], connect_timeout=5) as conn:
        conn.execute("select 1")
except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
    print(f"PostgreSQL not ready: {exc}", file=sys.stderr)
    sys.exit(1)
