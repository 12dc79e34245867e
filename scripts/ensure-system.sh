#!/usr/bin/env bash
# Install, from Debian's packages, what the project needs from the system and is missing.
#   ensure-system.sh venv        Python's venv module
#   ensure-system.sh postgresql  a PostgreSQL server, started, reachable on 127.0.0.1:5432
#   ensure-system.sh chromium    Debian's Chromium at /usr/bin/chromium, for the browser tests
#   ensure-system.sh libreoffice Debian's headless LibreOffice (Calc, Writer, Impress), for the workbook and report tests
# Needs root (or passwordless sudo) to install; says so clearly when it can't.
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

apt_install() {
  command -v apt-get >/dev/null || { echo "ensure-system: no apt-get here; install $* yourself" >&2; return 1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || return 1
}

python_bin=$(command -v python3.11 || command -v python3 || true)

case "${1:-}" in
  venv)
    if [ -z "$python_bin" ]; then
      apt_install python3 python3-venv python3-pip
    elif ! "$python_bin" -c 'import ensurepip, venv' 2>/dev/null; then
      apt_install python3-venv
    fi
    ;;
  postgresql)
    if ! command -v pg_ctlcluster >/dev/null; then
      apt_install postgresql || exit 1
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || exit 1
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    pg_isready -q -h 127.0.0.1 -p 5432
    ;;
  chromium)
    # The browser tests drive Debian's Chromium; they never download a browser of their own.
    if [ ! -x /usr/bin/chromium ]; then
      apt_install chromium || { echo "ensure-system: could not install chromium" >&2; exit 1; }
    fi
    /usr/bin/chromium --version >/dev/null 2>&1 || {
      echo "ensure-system: /usr/bin/chromium is there but does not run" >&2
      exit 1
    }
    ;;
  libreoffice)
    # Headless LibreOffice opens what the product writes: Calc re-saves an exported workbook
    # (tests/workbooks/test_libreoffice.py); Writer, Impress and Calc convert the report pack
    # to PDF (tests/reports).
    program=/usr/lib/libreoffice/program
    if ! command -v soffice >/dev/null || [ ! -e $program/libswlo.so ] \
        || [ ! -e $program/libsdlo.so ] || [ ! -e $program/libsclo.so ]; then
      apt_install libreoffice-calc-nogui libreoffice-writer-nogui libreoffice-impress-nogui || {
        echo "ensure-system: could not install LibreOffice (Calc, Writer, Impress)" >&2; exit 1; }
    fi
    soffice --version >/dev/null 2>&1 || {
      echo "ensure-system: soffice is there but does not run" >&2
      exit 1
    }
    ;;
  *)
    echo "usage: ensure-system.sh venv|postgresql|chromium|libreoffice" >&2
    exit 2
    ;;
esac
