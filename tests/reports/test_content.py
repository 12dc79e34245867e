"""What the progress report says (caring.reports.content), worked out from plan exports.

No database: every report is built from an export dict (docs/export-json.md), either the demo
plan's (tests/reports/demo_export.json) or one made here. Expected values are counted from the
export dicts themselves, never copied from the code under test.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caring.plans.rag import FLAG_NAMES, RAGS, STATUSES, format_date
from caring.reports.content import (
    TOPICS_ALWAYS_COVERED,
    Narrative,
    RequirementInput,
    Section,
    action_line,
    build_report,
    changes_since,
)
from tests.reports.conftest import RED, current_and_previous, demo_export, make_report

AS_OF = dt.date(2026, 11, 29)
COMMITTEE = "Health Select Commission"
SINCE = "the report issued on 1 July 2021 for the meeting of 8 July 2021"
CATEGORIES = ("completed", "newly_red", "slipped", "added", "retired")


def build(current: dict, **changes):
    arguments = dict(as_of=AS_OF, committee=COMMITTEE)
    arguments.update(changes)
    return build_report(current, **arguments)


def action(ref: str, **fields) -> dict:
    """An action as the export gives it: in progress, green, led, due, no history."""
    a = {
        "id": None,
        "revision": 1,
        "ref": ref,
        "theme": "Carers Support",
        "title": f"Action {ref}",
        "description": "",
        "outcomes": [],
        "lead": "Carers Lead, Adult Social Care",
        "organisations": ["Rotherham Council"],
        "commenced": "2018-01-01",
        "commenced_text": "",
        "due": "2019-03-31",
        "due_text": "",
        "original_due": "2019-03-31",
        "ongoing": False,
        "status": "in_progress",
        "rag": "green",
        "rag_rationale": "",
        "suggested_rag": "green",
        "suggested_rag_reason": "",
        "flags": [],
        "times_slipped": 0,
        "budget": None,
        "spend": None,
        "evidence": [],
        "updates": [],
        "due_changes": [],
    }
    a.update(fields)
    return a


def export(actions=(), *, themes=("Carers Support",), illustrative=False, **more) -> dict:
    data = {
        "schema_version": 3,
        "generated": "2026-11-29",
        "strategy": {"slug": "plan", "title": "A Plan", "illustrative": illustrative},
        "version": {"name": "A Plan 2018", "created": "2018-01-31"},
        "themes": [
            {"number": n, "name": name, "prefix": name[:2].upper()}
            for n, name in enumerate(themes, 1)
        ],
        "actions": list(actions),
        "bodies": [],
        "meetings": [],
        "recommendations": [],
        "information_requests": [],
        "report_requirements": [],
    }
    data.update(more)
    return data


def refs(items) -> list[str]:
    """The refs of actions, action lines or changes."""
    out = []
    for item in items:
        item = getattr(item, "action", item)
        out.append(item["ref"] if isinstance(item, dict) else item.ref)
    return out


def change_refs(report) -> dict[str, set[str]]:
    return {name: set(refs(getattr(report.changes, name))) for name in CATEGORIES}


def expected_changes_by_ref(current: dict, previous: dict) -> dict[str, set[str]]:
    """What changed, by comparing the two exports action by action on their refs."""
    before = {a["ref"]: a for a in previous["actions"]}
    now = {a["ref"]: a for a in current["actions"]}
    out = {name: set() for name in CATEGORIES}
    out["added"] = set(now) - set(before)
    out["retired"] = set(before) - set(now)
    for ref in set(now) & set(before):
        a, b = now[ref], before[ref]
        if a["status"] == "complete" and b["status"] != "complete":
            out["completed"].add(ref)
        if a["rag"] == "red" and b["rag"] != "red":
            out["newly_red"].add(ref)
        if a["due"] and b["due"] and a["due"] > b["due"]:  # ISO dates sort as strings
            out["slipped"].add(ref)
    return out


# --- RAG counts and themes -----------------------------------------------------------------


def test_rag_counts_are_the_exports_ratings_counted(report):
    current, _ = current_and_previous()
    counted = Counter(a["rag"] for a in current["actions"])
    for rag in (*RAGS, None):
        assert report.rag_count(rag) == counted[rag]
    assert report.total == len(current["actions"]) == sum(report.rag_counts)
    assert report.rag_count("red") == len(RED)
    assert set(report.red_refs) == set(RED)


def test_each_theme_with_actions_appears_once_in_the_exports_order(report):
    current, _ = current_and_previous()
    used = {a["theme"] for a in current["actions"]}
    listed = [t["name"] for t in current["themes"] if t["name"] in used]
    assert [t.theme for t in report.themes] == listed
    for row in report.themes:
        counted = Counter(a["rag"] for a in current["actions"] if a["theme"] == row.theme)
        assert row.counts == tuple(counted[k] for k in (*RAGS, None))
        assert row.total == sum(1 for a in current["actions"] if a["theme"] == row.theme)
    assert sum(t.total for t in report.themes) == report.total
    for i, n in enumerate(report.rag_counts):
        assert sum(t.counts[i] for t in report.themes) == n


def test_a_theme_with_no_actions_is_left_out():
    data = export([action("CS1")], themes=("Carers Support", "Young Carers"))
    assert [t.theme for t in build(data).themes] == ["Carers Support"]


def test_an_action_whose_theme_is_not_listed_still_counts():
    data = demo_export()
    listed = [t["name"] for t in data["themes"]]
    data["actions"][0]["theme"] = "Carers' Health"
    data["actions"][1]["theme"] = None
    report = build(data)
    assert report.total == len(data["actions"])
    assert sum(t.total for t in report.themes) == report.total
    names = [t.theme for t in report.themes]
    assert len(names) == len(set(names))
    assert "Carers' Health" in names
    assert names.index("Carers' Health") > max(names.index(n) for n in listed if n in names)
    unlisted = next(t for t in report.themes if t.theme == "Carers' Health")
    assert unlisted.total == 1
    assert unlisted.counts[(*RAGS, None).index(data["actions"][0]["rag"])] == 1
    no_theme = [t for t in report.themes if t.theme not in listed and t.theme != "Carers' Health"]
    assert [t.total for t in no_theme] == [1]
    assert report.actions[1].theme == no_theme[0].theme


def test_an_unknown_rating_counts_as_not_rated():
    report = build(export([action("CS1", rag="purple"), action("CS2", rag=None)]))
    assert report.rag_count(None) == 2
    assert report.total == 2


# --- changes since the last report ---------------------------------------------------------


def test_changes_are_exactly_the_actions_changed_since_the_snapshot(report):
    current, previous = current_and_previous()
    expected = expected_changes_by_ref(current, previous)
    assert change_refs(report) == expected
    assert expected["newly_red"] == set(RED)
    assert all(len(v) == 1 for k, v in expected.items() if k != "newly_red")
    assert report.changes.since == SINCE
    assert report.changes.any
    for name in CATEGORIES:  # no action is listed twice in one category
        listed = refs(getattr(report.changes, name))
        assert len(listed) == len(set(listed))


def test_each_change_says_what_it_was_and_what_it_is(report):
    current, previous = current_and_previous()
    before = {a["ref"]: a for a in previous["actions"]}
    now = {a["ref"]: a for a in current["actions"]}
    (done,) = report.changes.completed
    assert (done.before, done.after) == ("In progress", "Complete")
    for change in report.changes.newly_red:
        assert before[change.action.ref]["rag"] == "amber"
        assert (change.before, change.after) == ("Amber", "Red")
    (moved,) = report.changes.slipped
    assert moved.before == before[moved.action.ref]["due_text"] == "March 2018"
    a = now[moved.action.ref]
    assert moved.after == (a["due_text"] or format_date(dt.date.fromisoformat(a["due"])))
    (added,) = report.changes.added
    assert added.before == ""
    assert added.action.title == now[added.action.ref]["title"]
    (retired,) = report.changes.retired
    assert retired.action.title == before[retired.action.ref]["title"] == "A retired action"
    assert retired.after == "Retired"


def test_a_new_plan_version_is_matched_on_refs_whatever_their_case(report):
    current, previous = current_and_previous()
    for n, a in enumerate(previous["actions"]):
        a["id"] = 500_000 + n  # a new version: no id in common
        a["ref"] = a["ref"].lower()
    again = make_report(previous=previous)
    expected = {k: {r.casefold() for r in v} for k, v in change_refs(report).items()}
    assert {k: {r.casefold() for r in v} for k, v in change_refs(again).items()} == expected


def test_a_snapshot_without_ids_is_matched_on_refs(report):
    _, previous = current_and_previous()
    for a in previous["actions"]:
        del a["id"]  # schema 1 had no ids
    assert change_refs(make_report(previous=previous)) == change_refs(report)


def test_an_action_is_matched_on_its_id_when_its_ref_changes():
    previous = export([action("CS1", id=1, status="in_progress")])
    current = export([action("CS1a", id=1, status="complete")])
    changes = build(current, previous=previous, previous_label=SINCE).changes
    assert refs(changes.completed) == ["CS1a"]
    assert not changes.added and not changes.retired


def test_a_new_action_reusing_a_renamed_actions_ref_is_added():
    # Action 1 was renamed CS1 -> CS1a; a new action 2 then took the ref CS1.
    previous = export([action("CS1", id=1, status="in_progress")])
    current = export([action("CS1a", id=1), action("CS1", id=2, status="complete", rag="red")])
    changes = build(current, previous=previous, previous_label=SINCE).changes
    assert refs(changes.added) == ["CS1"]
    assert not changes.completed and not changes.newly_red and not changes.retired


def test_an_action_already_red_is_not_newly_red():
    previous = export([action("CS1", id=1, rag="red"), action("CS2", id=2, rag=None)])
    current = export([action("CS1", id=1, rag="red"), action("CS2", id=2, rag="red")])
    changes = build(current, previous=previous, previous_label=SINCE).changes
    assert refs(changes.newly_red) == ["CS2"]
    assert changes.newly_red[0].before == "Not rated"


def test_an_action_already_complete_is_not_completed_again():
    previous = export([action("CS1", id=1, status="complete", rag="blue")])
    current = copy.deepcopy(previous)
    assert not build(current, previous=previous, previous_label=SINCE).changes.any


def test_a_due_date_moved_earlier_or_newly_set_is_not_slipped():
    previous = export(
        [
            action("CS1", id=1, due="2019-03-31"),
            action("CS2", id=2, due=None, due_text="TBC"),
            action("CS3", id=3, due="2019-03-31"),
        ]
    )
    current = export(
        [
            action("CS1", id=1, due="2018-12-31"),
            action("CS2", id=2, due="2019-12-31"),
            action("CS3", id=3, due=None, due_text="Ongoing"),
        ]
    )
    assert not build(current, previous=previous, previous_label=SINCE).changes.any


def test_a_slipped_action_gives_only_the_reasons_for_the_new_moves():
    old_move = {
        "old_due": "2018-12-31",
        "new_due": "2019-03-31",
        "reason": "The first partner withdrew.",
        "changed_at": "2018-12-01T12:00:00+00:00",
    }
    new_moves = [
        {
            "old_due": "2019-03-31",
            "new_due": "2019-06-30",
            "reason": "The venue closed.",
            "changed_at": "2019-03-01T12:00:00+00:00",
        },
        {
            "old_due": "2019-06-30",
            "new_due": "2019-09-30",
            "reason": "",
            "changed_at": "2019-06-01T12:00:00+01:00",
        },
        {
            "old_due": "2019-09-30",
            "new_due": "2019-12-31",
            "reason": "Staff shortages.",
            "changed_at": "2019-09-01T12:00:00+01:00",
        },
    ]
    previous = export([action("CS1", id=1, due="2019-03-31", due_changes=[old_move])])
    current = export(
        [
            action(
                "CS1",
                id=1,
                due="2019-12-31",
                due_text="Dec 2019",
                due_changes=[old_move, *new_moves],
            )
        ]
    )
    (slipped,) = build(current, previous=previous, previous_label=SINCE).changes.slipped
    assert slipped.reasons == tuple(m["reason"] for m in new_moves if m["reason"])
    assert slipped.before == format_date(dt.date(2019, 3, 31))
    assert slipped.after == "Dec 2019"


def test_no_previous_report_means_no_comparison():
    report = make_report(previous=None, previous_label=None)
    assert report.changes.since is None
    assert not report.changes.any


def test_an_identical_snapshot_means_no_changes():
    current, _ = current_and_previous()
    report = make_report(previous=copy.deepcopy(current))
    assert report.changes.since == SINCE
    assert not report.changes.any
    assert all(getattr(report.changes, name) == () for name in CATEGORIES)


def test_changes_since_can_be_called_on_its_own():
    current, previous = current_and_previous()
    lines = [action_line(a) for a in current["actions"]]
    changes = changes_since(current, previous, "the last report", lines)
    assert {n: set(refs(getattr(changes, n))) for n in CATEGORIES} == expected_changes_by_ref(
        current, previous
    )
    assert changes_since(current, None, "the last report", lines).since is None


# --- exceptions ------------------------------------------------------------------------------


def test_red_or_overdue_actions(report):
    current, _ = current_and_previous()
    expected = [
        a["ref"] for a in current["actions"] if a["rag"] == "red" or "overdue" in a["flags"]
    ]
    assert refs(report.red_or_overdue) == expected
    assert set(RED) <= set(expected)
    for line in report.red_or_overdue:
        if line.ref in RED:  # the owner's own words come first
            assert line.reason == f"{line.ref} is off track: the partner withdrew."


def test_an_exceptions_reason_falls_back_to_the_update_then_the_suggestion():
    data = export(
        [
            action("CS1", rag="red", updates=[{"date": "2018-05-01", "narrative": "Stuck."}]),
            action("CS2", rag="red", suggested_rag_reason="Was due 31 March 2019."),
            action("CS3", rag="red"),
        ]
    )
    assert [a.reason for a in build(data).red_or_overdue] == [
        "Stuck.",
        "Was due 31 March 2019.",
        "Not given",
    ]


def test_actions_without_a_lead_or_timescale_come_from_the_flags(report):
    current, _ = current_and_previous()
    missing = {"missing-owner", "missing-timescale"}
    expected = [a["ref"] for a in current["actions"] if missing & set(a["flags"])]
    assert expected
    assert refs(report.without_owner_or_timescale) == expected


def test_completed_actions_carry_their_evidence(report):
    current, _ = current_and_previous()
    done = [a for a in current["actions"] if a["status"] == "complete"]
    assert refs(report.completed) == [a["ref"] for a in done]
    for line, a in zip(report.completed, done, strict=True):
        assert len(line.evidence) == len(a["evidence"])
        for text, e in zip(line.evidence, a["evidence"], strict=True):
            for part in (e["title"], e["url"], e["text"]):
                assert part in text


def test_evidence_is_written_from_its_title_link_file_and_text():
    evidence = [
        {"kind": "link", "title": "Leaflet", "url": "https://example.org/l", "text": ""},
        {"kind": "file", "title": "", "url": "", "file": "minutes.pdf", "text": "Item 3"},
        {"kind": "text", "title": "", "url": "", "file": None, "text": ""},
    ]
    line = action_line(action("CS1", status="complete", evidence=evidence))
    assert "Leaflet" in line.evidence[0] and "https://example.org/l" in line.evidence[0]
    assert "minutes.pdf" in line.evidence[1] and "Item 3" in line.evidence[1]
    assert line.evidence[2]  # an empty piece of evidence is still shown as recorded
    assert action_line(action("CS2", status="complete")).evidence == ()


def test_actions_in_progress_give_when_they_commenced_and_their_latest_update(report):
    current, _ = current_and_previous()
    going = [a for a in current["actions"] if a["status"] == "in_progress"]
    assert refs(report.in_progress) == [a["ref"] for a in going]
    for line, a in zip(report.in_progress, going, strict=True):
        assert line.commenced_label == a["commenced_text"]  # every demo action gave one
        latest = a["updates"][-1] if a["updates"] else {"narrative": "", "date": None}
        assert line.latest_update == latest["narrative"]
        assert line.latest_update_date == (
            dt.date.fromisoformat(latest["date"]) if latest["date"] else None
        )


def test_the_commenced_label_is_the_date_when_no_words_were_given():
    assert action_line(action("CS1", commenced="2018-04-01")).commenced_label == "1 April 2018"
    assert action_line(action("CS1", commenced=None)).commenced_label == "Not given"
    words = action_line(action("CS1", commenced="2018-04-01", commenced_text="Spring 2018"))
    assert words.commenced_label == "Spring 2018"


def test_slipped_actions_are_those_moved_or_flagged(report):
    current, _ = current_and_previous()
    expected = [
        a["ref"] for a in current["actions"] if a["times_slipped"] or "slipped" in a["flags"]
    ]
    assert expected
    assert refs(report.slipped) == expected
    data = export([action("CS1", times_slipped=2), action("CS2", flags=["slipped"]), action("CS3")])
    assert refs(build(data).slipped) == ["CS1", "CS2"]


def test_an_action_line_reads_the_export():
    a = action(
        "YC7",
        id=7,
        theme=None,
        lead="",
        organisations=["Barnardo's", "Rotherham Council"],
        due="2019-03-31",
        due_text="",
        flags=["missing-owner", "overdue"],
        updates=[
            {"date": "2018-01-05", "narrative": "First."},
            {"date": "2018-06-05", "narrative": "Second."},
        ],
        due_changes=[{"reason": "Weather."}, {"reason": ""}, {"reason": "Staff."}],
    )
    line = action_line(a)
    assert (line.id, line.ref, line.title) == (7, "YC7", a["title"])
    assert line.owner == "Barnardo's, Rotherham Council"
    assert line.due_label == "31 March 2019"
    assert line.latest_update == "Second."
    assert line.latest_update_date == dt.date(2018, 6, 5)
    assert line.slip_reasons == ("Weather.", "Staff.")
    assert line.flag_labels[1] == "Overdue"
    assert line.theme  # a missing theme still has a name to count under
    assert action_line(action("X", lead="", organisations=[])).owner  # never blank


# --- recommendations and information requests ----------------------------------------------


def test_recommendations_follow_the_export(report):
    current, _ = current_and_previous()
    given_ = current["recommendations"]
    assert [r.ref for r in report.recommendations] == [r["ref"] for r in given_]
    for line, r in zip(report.recommendations, given_, strict=True):
        if r["kind"] == "future_report":
            assert line.response is None
        else:
            assert line.response == r["response"]
        assert line.latest_update == (r["updates"][-1]["narrative"] if r["updates"] else "")
        assert line.actions == tuple(r["actions"])
        assert len(line.flag_labels) == len(r["flags"])
    awaiting = next(line for line in report.recommendations if "awaiting-response" in line.flags)
    assert "awaiting" in " ".join(awaiting.flag_labels).lower()


def test_a_request_for_a_report_has_no_executive_response_even_if_one_is_recorded():
    r = {
        "ref": "HSC 1",
        "kind": "future_report",
        "text": "That a further report be brought in 12 months.",
        "status": "not_started",
        "response": "accepted",
    }
    rec = dict(r, ref="HSC 2", kind="recommendation")
    report = build(export(recommendations=[r, rec]))
    assert [line.response for line in report.recommendations] == [None, "accepted"]
    assert report.recommendations[0].response_label == "Awaiting response"
    assert report.recommendations[1].response_label == "Accepted"


def test_information_requests_are_answered_or_outstanding(report):
    current, _ = current_and_previous()
    asked = current["information_requests"]
    answered = [q["ref"] for q in asked if q["answer"] or q["answered_in_meeting"]]
    outstanding = [q["ref"] for q in asked if q["ref"] not in answered]
    assert answered and outstanding
    assert [q.ref for q in report.requests_answered] == answered
    assert [q.ref for q in report.requests_outstanding] == outstanding
    for q in report.requests_outstanding:
        assert q.state == ("Overdue" if "overdue" in q.flags else "Outstanding")
    assert {q.state for q in report.requests_outstanding} == {"Overdue", "Outstanding"}


def test_a_requests_state():
    base = {"ref": "Q", "question": "How many?", "answer": "", "answered_in_meeting": False}
    asked = [
        dict(base, ref="Q1", answer="Twelve.", answered_on="2018-04-10"),
        dict(base, ref="Q2", answered_in_meeting=True),
        dict(base, ref="Q3", flags=["overdue"]),
        dict(base, ref="Q4", flags=["no-due-date"], offered_outside_meeting=True),
    ]
    report = build(export(information_requests=asked))
    states = {q.ref: q.state for q in (*report.requests_answered, *report.requests_outstanding)}
    assert states["Q1"].startswith("Answered") and "10 April 2018" in states["Q1"]
    assert states["Q2"].startswith("Answered")
    assert states["Q3"] == "Overdue"
    assert states["Q4"] == "Outstanding"


# --- the committee's requirements ------------------------------------------------------------

EQUALITIES = RequirementInput(1, "equalities", "Equalities information about carers.", "HSC 7/2")


@pytest.mark.parametrize("topic", sorted(TOPICS_ALWAYS_COVERED))
def test_what_the_pack_always_contains_meets_a_requirement_on_it(topic):
    asked = RequirementInput(5, topic, f"Something on {topic}", "HSC 1/1")
    (requirement,) = make_report(requirements=[asked]).requirements
    assert requirement.met
    assert requirement.how == TOPICS_ALWAYS_COVERED[topic]
    assert make_report(requirements=[asked]).warnings == ()


def test_equalities_is_unmet_until_a_section_or_the_narrative_gives_it():
    (unmet,) = make_report(requirements=[EQUALITIES]).requirements
    assert not unmet.met and unmet.how

    section = Section("equalities", "Equalities information", topics=("equalities",))
    (by_section,) = make_report(requirements=[EQUALITIES], sections=[section]).requirements
    assert by_section.met and "Equalities information" in by_section.how

    other = Section("indicators", "Indicators", topics=("indicators",))
    assert not make_report(requirements=[EQUALITIES], sections=[other]).requirements[0].met

    for addressed, met in (
        ({1: "Table 4 of the appendix gives it."}, True),
        ({1: "   "}, False),  # blank words do not meet it
        ({2: "Something else."}, False),  # another requirement's words
    ):
        narrative = Narrative(addressed=addressed)
        (r,) = make_report(requirements=[EQUALITIES], narrative=narrative).requirements
        assert r.met is met
        if met:
            assert r.how == addressed[1]


def test_warnings_are_exactly_the_unmet_requirements_and_name_the_resolution():
    asked = [
        RequirementInput(1, "equalities", "Equalities information.", "HSC 2021-07-08/2"),
        RequirementInput(2, "rag", "RAG ratings for every action.", "HSC 2018-03-01/4"),
        RequirementInput(3, "indicators", "The carers known indicator.", "HSC 2018-03-01/5"),
        RequirementInput(4, "other", "A word on young carers.", "HSC 2019-01-10/1"),
        RequirementInput(None, "other", "Something unnumbered.", "HSC 2019-01-10/2"),
    ]
    narrative = Narrative(addressed={4: "See the key issues."})
    report = make_report(requirements=asked, narrative=narrative)
    unmet = [r for r in asked if r.id in (1, 3, None)]
    assert [r.met for r in report.requirements] == [r not in unmet for r in asked]
    assert len(report.warnings) == len(unmet)
    for warning, r in zip(report.warnings, unmet, strict=True):
        assert r.asked_by in warning
        assert r.text.rstrip(".") in warning


def test_the_demo_report_warns_about_the_equalities_requirement(report):
    (warning,) = report.warnings
    assert "HSC 2021-07-08/2" in warning


# --- random exports --------------------------------------------------------------------------

THEMES = ("Carers Support", "Young Carers", "Unknown Carers")
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
ISO = st.dates(dt.date(2016, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
MAYBE_ISO = st.none() | ISO
STATUS = st.sampled_from(STATUSES)
RAG = st.sampled_from((*RAGS, None))
REF = st.from_regex(r"[A-Z]{1,2}[0-9]{1,2}", fullmatch=True)


@st.composite
def due_changes(draw):
    moves = draw(st.lists(ISO, unique=True, max_size=3))  # distinct times they were made
    return [
        {"new_due": draw(ISO), "reason": draw(st.sampled_from(("", "Weather.", "Staff."))),
         "changed_at": f"{when}T12:00:00+00:00"}
        for when in moves
    ]  # fmt: skip


@st.composite
def actions(draw, ref: str, id_: int | None) -> dict:
    return action(
        ref,
        id=id_,
        theme=draw(st.sampled_from((*THEMES, "Carers' Health", None))),
        title=draw(TEXT),
        lead=draw(st.sampled_from(("", "Carers Lead"))),
        organisations=draw(st.lists(st.sampled_from(("Council", "NHS")), unique=True)),
        commenced=draw(MAYBE_ISO),
        commenced_text=draw(st.sampled_from(("", "Jan 2018"))),
        due=draw(MAYBE_ISO),
        due_text=draw(st.sampled_from(("", "Q3 2018/19", "Ongoing"))),
        original_due=draw(MAYBE_ISO),
        status=draw(STATUS),
        rag=draw(RAG),
        rag_rationale=draw(TEXT),
        suggested_rag_reason=draw(TEXT),
        flags=draw(st.lists(st.sampled_from(FLAG_NAMES), unique=True)),
        times_slipped=draw(st.integers(0, 3)),
        evidence=draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "kind": st.just("text"),
                        "title": TEXT,
                        "text": TEXT,
                        "url": st.sampled_from(("", "https://example.org/e")),
                        "file": st.none() | st.just("minutes.pdf"),
                    }
                ),
                max_size=2,
            )
        ),  # fmt: skip
        updates=draw(st.lists(st.fixed_dictionaries({"date": ISO, "narrative": TEXT}), max_size=2)),
        due_changes=draw(due_changes()),
    )


recommendations = st.fixed_dictionaries(
    {
        "ref": TEXT.map(lambda t: f"HSC {t}"),
        "kind": st.sampled_from(("recommendation", "future_report")),
        "text": TEXT,
        "illustrative": st.booleans(),
        "response": st.sampled_from((None, "accepted", "partly_accepted", "not_accepted")),
        "status": st.sampled_from((*STATUSES, "signed_off")),
        "rag": RAG,
        "flags": st.lists(
            st.sampled_from(("overdue", "stale", "awaiting-response", "awaiting-sign-off")),
            unique=True,
        ),
        "due": MAYBE_ISO,
        "due_text": st.sampled_from(("", "in 12 months")),
        "actions": st.lists(REF, max_size=2),
        "updates": st.lists(st.fixed_dictionaries({"date": ISO, "narrative": TEXT}), max_size=2),
    }
)
requests = st.fixed_dictionaries(
    {
        "ref": TEXT.map(lambda t: f"Q {t}"),
        "question": TEXT,
        "asked_by": TEXT,
        "to_answer": TEXT,
        "due": MAYBE_ISO,
        "due_text": TEXT,
        "answer": st.sampled_from(("", "Twelve.")),
        "answered_on": MAYBE_ISO,
        "offered_outside_meeting": st.booleans(),
        "answered_in_meeting": st.booleans(),
        "flags": st.lists(st.sampled_from(("overdue", "no-due-date")), unique=True),
    }
)


@st.composite
def exports(draw) -> dict:
    ref_list = draw(st.lists(REF, unique_by=str.casefold, max_size=10))
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, min_size=len(ref_list),
                        max_size=len(ref_list)))  # fmt: skip
    themes = draw(st.lists(st.sampled_from(THEMES), unique=True))
    return export(
        [draw(actions(ref, id_)) for ref, id_ in zip(ref_list, ids, strict=True)],
        themes=themes,
        illustrative=draw(st.booleans()),
        recommendations=draw(st.lists(recommendations, max_size=3)),
        information_requests=draw(st.lists(requests, max_size=3)),
    )


@st.composite
def histories(draw) -> tuple[dict, dict, dict[str, set[str]], dict[str, tuple[str, ...]]]:
    """A current export, the previous report's snapshot made by changing a copy of it, what
    changed (by construction) and the reasons each slipped action should give."""
    current = draw(exports())
    previous = copy.deepcopy(current)
    previous["actions"] = []
    expected = {name: set() for name in CATEGORIES}
    reasons = {}
    for n, a in enumerate(current["actions"]):
        if draw(st.integers(0, 4)) == 0:  # added since the last report
            expected["added"].add(a["ref"])
            continue
        b = copy.deepcopy(a)
        if draw(st.booleans()):
            b["status"] = draw(STATUS)
        if draw(st.booleans()):
            b["rag"] = draw(RAG)
        if draw(st.booleans()):
            b["due"] = draw(MAYBE_ISO)
            b["due_changes"] = b["due_changes"][: draw(st.integers(0, len(b["due_changes"])))]
        identity = draw(st.sampled_from(("same", "new version", "no id", "renamed")))
        if identity == "renamed":  # the same action (its id) under the ref it had then
            b["ref"] = f"WAS{n}"
        elif identity == "new version":
            b["id"] = 20_000 + n
            b["ref"] = draw(st.sampled_from((b["ref"], b["ref"].lower())))
        elif identity == "no id":
            del b["id"]
        previous["actions"].append(b)
        if a["status"] == "complete" and b["status"] != "complete":
            expected["completed"].add(a["ref"])
        if a["rag"] == "red" and b["rag"] != "red":
            expected["newly_red"].add(a["ref"])
        if a["due"] and b["due"] and a["due"] > b["due"]:
            expected["slipped"].add(a["ref"])
            kept = len(b["due_changes"])
            reasons[a["ref"]] = tuple(c["reason"] for c in a["due_changes"][kept:] if c["reason"])
    for n in range(draw(st.integers(0, 3))):  # retired since
        gone = draw(actions(f"OLD{n}", 30_000 + n))
        previous["actions"].insert(draw(st.integers(0, len(previous["actions"]))), gone)
        expected["retired"].add(gone["ref"])
    return current, previous, expected, reasons


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(histories())
def test_random_exports_build_a_consistent_report(history):
    current, previous, expected, reasons = history
    report = build(current, previous=previous, previous_label=SINCE)

    counted = Counter(a["rag"] for a in current["actions"])
    assert report.rag_counts == tuple(counted[k] for k in (*RAGS, None))
    assert report.total == len(current["actions"])
    assert sum(t.total for t in report.themes) == report.total
    names = [t.theme for t in report.themes]
    assert len(names) == len(set(names))
    listed = [t["name"] for t in current["themes"]]
    assert [n for n in names if n in listed] == [
        n for n in listed if any(a["theme"] == n for a in current["actions"])
    ]
    assert all(t.total > 0 for t in report.themes)

    got = change_refs(report)
    assert got == expected
    assert not got["added"] & got["retired"]
    status = {a["ref"]: a["status"] for a in current["actions"]}
    rag = {a["ref"]: a["rag"] for a in current["actions"]}
    assert all(status[r] == "complete" for r in got["completed"])
    assert all(rag[r] == "red" for r in got["newly_red"])
    matched = len(current["actions"]) - len(got["added"])
    assert len(report.changes.retired) == len(previous["actions"]) - matched
    for change in report.changes.slipped:
        assert change.reasons == reasons[change.action.ref]

    assert refs(report.actions) == [a["ref"] for a in current["actions"]]
    assert set(refs(report.red_or_overdue)) <= set(refs(report.actions))
    answered = {id(q) for q in report.requests_answered}
    assert len(report.requests_answered) + len(report.requests_outstanding) == len(
        current["information_requests"]
    )
    assert all(q.answer or q.answered_in_meeting for q in report.requests_answered)
    assert not any(id(q) in answered for q in report.requests_outstanding)
    for line, r in zip(report.recommendations, current["recommendations"], strict=True):
        assert line.response == (None if r["kind"] == "future_report" else r["response"])


TOPICS = ("equalities", "rag", "commenced", "evidence", "recommendations", "indicators", "other")


@FUZZ
@given(
    asked=st.lists(
        st.builds(RequirementInput, st.none() | st.integers(1, 5), st.sampled_from(TOPICS),
                  TEXT, TEXT.map(lambda t: f"HSC {t}")),
        max_size=5,
    ),
    section_topics=st.lists(st.sampled_from(TOPICS), max_size=2),
    addressed=st.dictionaries(st.integers(1, 5), st.sampled_from(("", "  ", "See table 4."))),
)  # fmt: skip
def test_random_requirements_are_met_only_by_the_pack_a_section_or_the_narrative(
    asked, section_topics, addressed
):
    section = Section("extra", "Extra section", topics=tuple(section_topics))
    report = build(
        export([action("CS1")]),
        requirements=asked,
        sections=[section],
        narrative=Narrative(addressed=addressed),
    )
    for r, got in zip(asked, report.requirements, strict=True):
        said = addressed.get(r.id, "").strip() if r.id is not None else ""
        assert got.met == bool(
            said or r.topic in TOPICS_ALWAYS_COVERED or r.topic in section_topics
        )
        assert got.asked_by == r.asked_by
        assert got.how
    unmet = [r for r, got in zip(asked, report.requirements, strict=True) if not got.met]
    assert len(report.warnings) == len(unmet)
    for warning, r in zip(report.warnings, unmet, strict=True):
        assert r.asked_by in warning
