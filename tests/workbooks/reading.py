"""Helpers for the reader's tests: read a workbook, and find actions and problems."""

from __future__ import annotations

from caring.workbooks.reader import (
    Problem,
    RawAction,
    ReadResult,
    read_workbook,
)
from tests.workbooks.builders import (
    xlsx,
)

HEADER = ["Ref", "Action", "Lead", "Organisation", "Start date", "Target date", "RAG", "Progress"]


def read(data: bytes, filename: str = "plan.xlsx", **kwargs) -> ReadResult:
    result = read_workbook(data, filename=filename, **kwargs)
    assert all(p.severity in ("error", "warning") for p in result.problems)
    assert all(p.message and "Traceback" not in p.message for p in result.problems)
    return result


def by_ref(result: ReadResult) -> dict[str, RawAction]:
    return {a.ref: a for a in result.actions}


def where(result: ReadResult, *, row=None, field=None, severity=None) -> list[Problem]:
    return [
        p
        for p in result.problems
        if (row is None or p.row == row)
        and (field is None or p.field == field)
        and (severity is None or p.severity == severity)
    ]


def only_action(*rows, header=HEADER) -> tuple[RawAction, ReadResult]:
    result = read(xlsx([header, *rows]))
    assert len(result.actions) == 1
    return result.actions[0], result
