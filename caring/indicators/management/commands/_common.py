"""What the indicator commands share: reading a file, reporting problems by row."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

LIMIT = 20 * 1024 * 1024


def file_bytes(file: str) -> tuple[bytes, str]:
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No file at {file}.", returncode=2)
    if path.stat().st_size > LIMIT:
        raise CommandError(f"{path.name} is larger than 20 MB.", returncode=1)
    return path.read_bytes(), path.name


def refuse(command, name: str, problems) -> CommandError:
    """List every problem by its place on standard error; the error for exit status 1."""
    command.stderr.write(f"Nothing was imported from {name}:")
    for problem in problems:
        command.stderr.write(f"  {problem.place or 'the file'}: {problem.message}")
    count = len(problems)
    return CommandError(f"{count} problem{'s' if count != 1 else ''}.", returncode=1)


def warn(command, problems) -> None:
    for problem in problems:
        if problem.severity != "error":
            command.stderr.write(f"Warning: {problem.place or 'the file'}: {problem.message}")
