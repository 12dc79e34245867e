"""The ``caring`` command: Django's commands with the project's settings, hyphen or underscore."""

import subprocess
import sys

import pytest

from caring.cli import normalise_argv


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["caring", "import-workbook", "f.xlsx"], ["caring", "import_workbook", "f.xlsx"]),
        (["caring", "import_workbook"], ["caring", "import_workbook"]),
        (
            ["caring", "export-json", "--strategy", "a-b"],
            ["caring", "export_json", "--strategy", "a-b"],
        ),
        (["caring", "--help"], ["caring", "--help"]),
        (["caring"], ["caring"]),
    ],
)
def test_normalise_argv_turns_hyphens_in_the_command_name_only(argv, expected):
    assert normalise_argv(argv) == expected


def run_caring(*args, env_extra=None):
    import os

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "caring.settings.test", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "caring", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_hyphen_and_underscore_run_the_same_command():
    hyphen = run_caring("explain-rag")
    underscore = run_caring("explain_rag")
    assert hyphen.returncode == 0, hyphen.stderr
    assert underscore.returncode == 0, underscore.stderr
    assert hyphen.stdout == underscore.stdout
    assert "missing-owner" in hyphen.stdout


def test_the_commands_this_issue_promises_are_listed():
    listed = run_caring("help", "--commands")
    assert listed.returncode == 0, listed.stderr
    for command in ["demo", "export_json", "generate_synthetic", "migrate", "explain_rag"]:
        assert command in listed.stdout.split()


def test_unknown_strategy_is_refused_with_its_slug(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    migrate = run_caring("migrate", "-v0", env_extra=env)
    assert migrate.returncode == 0, migrate.stderr
    result = run_caring("export-json", "--strategy", "no-such-plan", env_extra=env)
    assert result.returncode == 1
    assert "No strategy with slug 'no-such-plan'" in result.stderr
