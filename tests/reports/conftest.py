"""A report built from the demo plan's export (tests/reports/demo_export.json), no database.

The current plan is the demo with two actions rated red; the previous report's snapshot is the
demo as it was before one action completed, one slipped, one was added and one retired.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from caring.reports.content import Narrative, RequirementInput, build_report

EXPORT = Path(__file__).with_name("demo_export.json")
RED = ("YC7", "UC2")  # rated red in the current plan


def demo_export() -> dict:
    return json.loads(EXPORT.read_text(encoding="utf-8"))


def current_and_previous() -> tuple[dict, dict]:
    current = demo_export()
    by_ref = {a["ref"]: a for a in current["actions"]}
    for ref in RED:
        by_ref[ref]["rag"] = "red"
        by_ref[ref]["rag_rationale"] = f"{ref} is off track: the partner withdrew."
    previous = copy.deepcopy(current)
    before = {a["ref"]: a for a in previous["actions"]}
    for ref in RED:
        before[ref]["rag"] = "amber"
    done = next(a for a in current["actions"] if a["status"] == "complete")
    before[done["ref"]]["status"] = "in_progress"
    moved = next(a for a in current["actions"] if a["due"] and a["status"] == "in_progress")
    before[moved["ref"]]["due"] = "2018-03-31"
    before[moved["ref"]]["due_text"] = "March 2018"
    previous["actions"] = [a for a in previous["actions"] if a["ref"] != "TO1"]  # added since
    previous["actions"].append({**copy.deepcopy(before["CS1"]), "id": 999999, "ref": "CS99",
                                "title": "A retired action"})  # fmt: skip
    return current, previous


def make_report(**changes):
    current, previous = current_and_previous()
    arguments = dict(
        as_of=dt.date(2026, 11, 29),
        committee="Health Select Commission",
        meeting_date=dt.date(2027, 1, 14),
        meeting_status="scheduled",
        author_role="Strategic Commissioning Manager",
        previous=previous,
        previous_label="the report issued on 1 July 2021 for the meeting of 8 July 2021",
        narrative=Narrative(
            summary="The plan is broadly on track.",
            recommendations=("That the Commission notes the report.",),
            background="The Carers Strategy was agreed in 2016.",
            key_issues="Young carers' data remains the main gap.",
            next_steps="The delivery group meets monthly.",
        ),
        requirements=[
            RequirementInput(
                1,
                "equalities",
                "Equalities information about carers known and supported",
                "HSC 2021-07-08/2",
            )
        ],  # fmt: skip
    )
    arguments.update(changes)
    return build_report(current, **arguments)


@pytest.fixture
def report():
    return make_report()
