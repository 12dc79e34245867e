#!/usr/bin/env bash
# Everything CI checks, in order: lint, migrations, the suite on SQLite, the suite on PostgreSQL.
# With CI=true the PostgreSQL pass is never skipped: if no server can be had, the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=caring.settings.test

step() { printf '\n=== %s ===\n' "$*"; }

step "ruff check"
$BIN/ruff check .
step "ruff format --check"
$BIN/ruff format --check .
step "makemigrations --check"
DATABASE_URL= $BIN/caring makemigrations --check --dry-run

step "Chromium for the browser tests"
# tests/browser drive Debian's Chromium (both passes). With CI=true they never skip.
if scripts/ensure-system.sh chromium; then
  /usr/bin/chromium --version 2>/dev/null
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: no Chromium at /usr/bin/chromium and it could not be installed; CI never skips the browser tests." >&2
  exit 1
else
  printf '\n%s\n%s\n%s\n%s\n' \
    "************************************************************************" \
    "*  SKIPPING the browser tests: Chromium could not be installed         *" \
    "*  CARING_SKIP_BROWSER=1; as root: scripts/ensure-system.sh chromium   *" \
    "************************************************************************" >&2
  export CARING_SKIP_BROWSER=1
fi

step "LibreOffice for the workbook and report tests"
# Calc re-saves an exported workbook; Writer, Impress and Calc convert the report pack to PDF.
# CI never skips them.
if scripts/ensure-system.sh libreoffice; then
  soffice --version 2>/dev/null | head -n 1
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: LibreOffice (soffice) could not be installed; CI never skips the LibreOffice tests." >&2
  exit 1
else
  printf '\n%s\n%s\n%s\n%s\n' \
    "************************************************************************" \
    "*  SKIPPING the LibreOffice tests: LibreOffice could not be installed   *" \
    "*  CARING_SKIP_LIBREOFFICE=1; as root: scripts/ensure-system.sh libreoffice *" \
    "************************************************************************" >&2
  export CARING_SKIP_LIBREOFFICE=1
fi

step "tests on SQLite"
DATABASE_URL= $BIN/python -m pytest -p no:cacheprovider "$@"

step "tests on PostgreSQL"
pg_url=${CARING_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
pg_ok() { $BIN/python scripts/pg_ready.py "$1"; }
if ! pg_ok "$pg_url"; then
  echo "No PostgreSQL answering at $pg_url: installing or starting Debian's postgresql."
  if scripts/ensure-system.sh postgresql; then
    if ! pg_ok "$pg_url"; then
      # A fresh Debian cluster asks for a password over TCP: give the test role one.
      ( cd / && su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'caring-test'\"" ) || true
      pg_url=postgresql://postgres:caring-test@127.0.0.1:5432/postgres
    fi
  fi
fi
if pg_ok "$pg_url"; then
  DATABASE_URL=$pg_url $BIN/python -m pytest -p no:cacheprovider "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: the PostgreSQL pass could not run (no server at $pg_url), and CI never skips it." >&2
  exit 1
else
  printf '\n%s\n%s\n%s\n' \
    "************************************************************************" \
    "*  SKIPPED the PostgreSQL pass: no server could be installed or started  *" \
    "************************************************************************" >&2
fi
