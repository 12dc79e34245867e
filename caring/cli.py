"""The ``caring`` console script: Django's management commands with the project's settings.

``caring import-workbook`` and ``caring import_workbook`` are the same command: hyphens in the
command's name are turned into underscores before Django looks it up.
"""

from __future__ import annotations

import os
import sys


def normalise_argv(argv: list[str]) -> list[str]:
    """Return ``argv`` with hyphens in the subcommand's name (``argv[1]``) made underscores."""
    if len(argv) > 1 and not argv[1].startswith("-"):
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return list(argv)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caring.settings.dev")
    from django.core.management import execute_from_command_line

    args = normalise_argv(list(sys.argv if argv is None else argv))
    args[0] = "caring"
    execute_from_command_line(args)


if __name__ == "__main__":  # pragma: no cover
    main()
