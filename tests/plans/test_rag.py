"""Tests for the suggested RAG rules and action flags (pure Python, no database)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.plans.rag import (
    FLAG_DESCRIPTIONS,
    FLAG_NAMES,
    RAG_ORDER,
    RAGS,
    STATUSES,
    SUGGESTION_RULES,
    ActionFacts,
    Flag,
    RagConfig,
    Suggestion,
    action_flags,
    completion_problem,
    days_overdue,
    is_better,
    suggest_rag,
)

TODAY = date(2019, 3, 31)
RULE_IDS = [rule for rule, _ in SUGGESTION_RULES]


def facts(**overrides) -> ActionFacts:
    """A healthy in-progress action, due in 100 days, updated 10 days ago."""
    base = ActionFacts(
        status="in_progress",
        rag="green",
        commenced=date(2018, 4, 1),
        due=TODAY + timedelta(days=100),
        ongoing=False,
        has_lead=True,
        evidence_count=0,
        last_activity=TODAY - timedelta(days=10),
    )
    return replace(base, **overrides)


def names(f: ActionFacts, **kwargs) -> list[str]:
    return [flag.name for flag in action_flags(f, today=TODAY, **kwargs)]


# One example per rule, used both for the rule tests and the reachability test.
RULE_EXAMPLES = {
    "cancelled": facts(status="cancelled", due=TODAY - timedelta(days=5)),
    "complete-with-evidence": facts(status="complete", evidence_count=2),
    "complete-without-evidence": facts(status="complete"),
    "overdue": facts(due=date(2019, 3, 1)),
    "on-hold": facts(status="on_hold"),
    "no-timescale": facts(due=None),
    "not-started-late": facts(status="not_started", commenced=date(2018, 4, 1)),
    "due-soon-no-progress": facts(
        status="not_started", commenced=None, due=TODAY + timedelta(days=10)
    ),
    "no-recent-update": facts(last_activity=TODAY - timedelta(days=200)),
    "on-track": facts(),
}
EXPECTED_RAG = {
    "cancelled": None,
    "complete-with-evidence": "blue",
    "complete-without-evidence": "amber",
    "overdue": "red",
    "on-hold": "amber",
    "no-timescale": None,
    "not-started-late": "amber",
    "due-soon-no-progress": "amber",
    "no-recent-update": "amber",
    "on-track": "green",
}


# ---------------------------------------------------------------- suggestion rules


@pytest.mark.parametrize("rule", RULE_IDS)
def test_each_rule_example(rule):
    s = suggest_rag(RULE_EXAMPLES[rule], today=TODAY)
    assert s.rule == rule
    assert s.rag == EXPECTED_RAG[rule]
    assert s.reason and s.reason.endswith(".")


def test_every_rule_is_reachable_and_documented():
    reached = {suggest_rag(f, today=TODAY).rule for f in RULE_EXAMPLES.values()}
    assert reached == set(RULE_IDS)
    assert len(RULE_IDS) == len(set(RULE_IDS)) == 10
    assert all(desc.strip() for _, desc in SUGGESTION_RULES)


def test_cancelled_reason():
    s = suggest_rag(RULE_EXAMPLES["cancelled"], today=TODAY)
    assert s.reason == "Cancelled, so it is no longer rated."


def test_complete_without_evidence_reason():
    s = suggest_rag(RULE_EXAMPLES["complete-without-evidence"], today=TODAY)
    assert s.reason == "Marked complete, but no evidence has been added to show it."


def test_complete_beats_overdue():
    f = facts(status="complete", evidence_count=1, due=TODAY - timedelta(days=40))
    assert suggest_rag(f, today=TODAY).rule == "complete-with-evidence"
    f = replace(f, evidence_count=0)
    assert suggest_rag(f, today=TODAY).rule == "complete-without-evidence"


def test_cancelled_beats_complete_and_overdue():
    f = facts(status="cancelled", evidence_count=3, due=TODAY - timedelta(days=1))
    assert suggest_rag(f, today=TODAY).rule == "cancelled"


def test_overdue_beats_on_hold():
    f = facts(status="on_hold", due=TODAY - timedelta(days=1))
    s = suggest_rag(f, today=TODAY)
    assert (s.rule, s.rag) == ("overdue", "red")


def test_overdue_reason_has_date_and_days():
    s = suggest_rag(facts(due=date(2019, 3, 1)), today=TODAY)
    assert "1 March 2019" in s.reason
    assert "30 days ago" in s.reason


def test_overdue_by_one_day_is_singular():
    s = suggest_rag(facts(due=TODAY - timedelta(days=1)), today=TODAY)
    assert "30 March 2019" in s.reason
    assert "1 day ago" in s.reason


def test_due_today_is_not_overdue():
    f = facts(due=TODAY)
    assert suggest_rag(f, today=TODAY).rule != "overdue"
    assert days_overdue(f, today=TODAY) is None
    assert "overdue" not in names(f)


def test_on_hold_beats_no_timescale():
    assert suggest_rag(facts(status="on_hold", due=None), today=TODAY).rule == "on-hold"


def test_no_timescale_reason_when_unparsed():
    s = suggest_rag(facts(due=None, due_unparsed=True), today=TODAY)
    assert s.rule == "no-timescale"
    assert "could not be read" in s.reason
    plain = suggest_rag(facts(due=None), today=TODAY)
    assert "no timescale" in plain.reason
    assert "could not be read" not in plain.reason


def test_ongoing_without_due_is_rated():
    s = suggest_rag(facts(due=None, ongoing=True), today=TODAY)
    assert (s.rule, s.rag) == ("on-track", "green")
    assert "Ongoing" in s.reason


def test_not_started_late_reason():
    s = suggest_rag(RULE_EXAMPLES["not-started-late"], today=TODAY)
    assert s.reason == "Was due to start on 1 April 2018 but has not started."


def test_not_started_starting_today_is_not_late():
    f = facts(status="not_started", commenced=TODAY)
    assert suggest_rag(f, today=TODAY).rule == "on-track"


def test_not_started_late_beats_due_soon():
    f = facts(status="not_started", commenced=TODAY - timedelta(days=1), due=TODAY)
    assert suggest_rag(f, today=TODAY).rule == "not-started-late"


@pytest.mark.parametrize(
    ("days_left", "rule"),
    [(0, "due-soon-no-progress"), (30, "due-soon-no-progress"), (31, "on-track")],
)
def test_due_soon_window_boundary(days_left, rule):
    f = facts(status="not_started", commenced=None, due=TODAY + timedelta(days=days_left))
    assert suggest_rag(f, today=TODAY).rule == rule


def test_due_soon_reason_has_date():
    s = suggest_rag(RULE_EXAMPLES["due-soon-no-progress"], today=TODAY)
    assert "10 April 2019" in s.reason
    assert "10 days" in s.reason


def test_due_soon_only_when_not_started():
    f = facts(status="in_progress", due=TODAY + timedelta(days=5))
    assert suggest_rag(f, today=TODAY).rule == "on-track"


def test_amber_window_config_takes_effect():
    f = facts(status="not_started", commenced=None, due=TODAY + timedelta(days=45))
    assert suggest_rag(f, today=TODAY).rule == "on-track"
    wide = RagConfig(amber_window_days=60)
    assert suggest_rag(f, today=TODAY, config=wide).rule == "due-soon-no-progress"
    narrow = RagConfig(amber_window_days=5)
    g = replace(f, due=TODAY + timedelta(days=10))
    assert suggest_rag(g, today=TODAY, config=narrow).rule == "on-track"


@pytest.mark.parametrize(("age", "rule"), [(90, "on-track"), (91, "no-recent-update")])
def test_no_recent_update_boundary(age, rule):
    f = facts(last_activity=TODAY - timedelta(days=age))
    assert suggest_rag(f, today=TODAY).rule == rule


def test_no_recent_update_reasons():
    s = suggest_rag(facts(last_activity=TODAY - timedelta(days=120)), today=TODAY)
    assert s.reason == "No progress update for 120 days."
    s = suggest_rag(facts(last_activity=None), today=TODAY)
    assert s.reason == "No progress update has ever been recorded."


def test_stale_config_takes_effect():
    f = facts(last_activity=TODAY - timedelta(days=40))
    assert suggest_rag(f, today=TODAY).rule == "on-track"
    assert suggest_rag(f, today=TODAY, config=RagConfig(stale_after_days=30)).rule == (
        "no-recent-update"
    )
    assert "stale" in names(f, config=RagConfig(stale_after_days=30))
    assert "stale" not in names(f)


def test_on_track_reasons_mention_due_date():
    s = suggest_rag(facts(due=date(2019, 12, 25)), today=TODAY)
    assert "25 December 2019" in s.reason
    assert s.reason.startswith("In progress")
    s = suggest_rag(facts(status="not_started", commenced=None, due=date(2020, 1, 1)), today=TODAY)
    assert "1 January 2020" in s.reason
    assert s.reason.startswith("Not started")


# ---------------------------------------------------------------- flags


def test_healthy_action_has_no_flags():
    assert action_flags(facts(), today=TODAY) == []


def test_flags_are_flag_objects_with_labels_and_explanations():
    f = facts(has_lead=False, due=date(2019, 3, 1), times_slipped=2, due_unparsed=True)
    flags = action_flags(f, today=TODAY)
    assert all(isinstance(flag, Flag) for flag in flags)
    assert all(flag.label and flag.explanation for flag in flags)


def test_missing_owner():
    flag = action_flags(facts(has_lead=False), today=TODAY)[0]
    assert flag.name == "missing-owner"
    assert "lead" in flag.explanation
    assert "missing-owner" not in names(facts(has_lead=True))


def test_missing_timescale():
    assert "missing-timescale" in names(facts(due=None))
    assert "missing-timescale" not in names(facts(due=None, ongoing=True))
    assert "missing-timescale" not in names(facts())
    # An unreadable due date is reported as unparsed-date instead.
    got = names(facts(due=None, due_unparsed=True))
    assert "missing-timescale" not in got
    assert "unparsed-date" in got


def test_overdue_flag():
    flags = action_flags(facts(due=date(2019, 3, 1)), today=TODAY)
    overdue = [fl for fl in flags if fl.name == "overdue"]
    assert len(overdue) == 1
    assert overdue[0].label == "Overdue"
    assert "1 March 2019" in overdue[0].explanation
    assert "30 days" in overdue[0].explanation
    assert "overdue" not in names(facts(due=TODAY))
    assert "overdue" in names(facts(status="on_hold", due=TODAY - timedelta(days=1)))


@pytest.mark.parametrize(
    ("age", "stale"), [(None, True), (0, False), (90, False), (91, True), (400, True)]
)
def test_stale_flag_boundary(age, stale):
    last = None if age is None else TODAY - timedelta(days=age)
    assert ("stale" in names(facts(last_activity=last))) is stale


def test_stale_explanation():
    flag = next(
        fl
        for fl in action_flags(facts(last_activity=TODAY - timedelta(days=100)), today=TODAY)
        if fl.name == "stale"
    )
    assert "100 days" in flag.explanation
    assert "90 days" in flag.explanation


def test_rag_disagrees():
    f = facts(rag="green", due=TODAY - timedelta(days=3))  # suggested red
    flag = next(fl for fl in action_flags(f, today=TODAY) if fl.name == "rag-disagrees")
    assert "green" in flag.explanation
    assert "red" in flag.explanation
    assert "28 March 2019" in flag.explanation


@pytest.mark.parametrize("owner", [None, "red", "amber"])
def test_rag_disagrees_absent_when_owner_not_more_optimistic(owner):
    f = facts(rag=owner, status="on_hold")
    assert suggest_rag(f, today=TODAY).rag == "amber"
    assert "rag-disagrees" not in names(f)


def test_rag_disagrees_absent_when_no_suggestion():
    assert "rag-disagrees" not in names(facts(rag="blue", due=None))


def test_rag_disagrees_uses_given_suggestion():
    given_suggestion = Suggestion("red", "overdue", "Made up for the test.")
    flags = action_flags(facts(rag="green"), today=TODAY, suggestion=given_suggestion)
    flag = next(fl for fl in flags if fl.name == "rag-disagrees")
    assert "Made up for the test." in flag.explanation
    assert "rag-disagrees" not in names(facts(rag="green"))


@pytest.mark.parametrize(("times", "word"), [(1, "once"), (2, "twice"), (5, "5 times")])
def test_slipped(times, word):
    flag = next(
        fl for fl in action_flags(facts(times_slipped=times), today=TODAY) if fl.name == "slipped"
    )
    assert word in flag.explanation
    assert "slipped" not in names(facts(times_slipped=0))


def test_unparsed_date():
    due_only = action_flags(facts(due=None, due_unparsed=True), today=TODAY)
    assert [fl.name for fl in due_only] == ["unparsed-date"]
    assert "due date" in due_only[0].explanation
    start_only = action_flags(facts(commenced=None, commenced_unparsed=True), today=TODAY)
    assert [fl.name for fl in start_only] == ["unparsed-date"]
    assert "start date" in start_only[0].explanation
    both = action_flags(facts(due_unparsed=True, commenced_unparsed=True), today=TODAY)
    assert "due date and start date" in both[-1].explanation
    assert "unparsed-date" not in names(facts())


def test_complete_action_gets_only_slipped_and_unparsed_date():
    f = facts(
        status="complete",
        rag="blue",
        has_lead=False,
        due=TODAY - timedelta(days=50),
        last_activity=None,
        times_slipped=1,
        due_unparsed=True,
    )
    assert names(f) == ["slipped", "unparsed-date"]
    assert names(replace(f, times_slipped=0, due_unparsed=False)) == []


def test_cancelled_action_has_no_flags():
    f = facts(status="cancelled", has_lead=False, due=None, last_activity=None, times_slipped=3)
    assert action_flags(f, today=TODAY) == []


def test_all_flags_in_order():
    f = facts(
        rag="blue",
        has_lead=False,
        due=None,
        last_activity=None,
        times_slipped=1,
        commenced_unparsed=True,
        ongoing=False,
    )
    # No due date, so not overdue and no suggestion to disagree with.
    assert names(f) == ["missing-owner", "missing-timescale", "stale", "slipped", "unparsed-date"]
    g = replace(f, due=TODAY - timedelta(days=1))
    assert names(g) == [
        "missing-owner",
        "overdue",
        "stale",
        "rag-disagrees",
        "slipped",
        "unparsed-date",
    ]


def test_every_flag_has_a_description_and_label():
    assert set(FLAG_DESCRIPTIONS) == set(FLAG_NAMES)
    assert all(FLAG_DESCRIPTIONS[name].strip() for name in FLAG_NAMES)


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("green", "red", True),
        ("blue", "green", True),
        ("amber", "red", True),
        ("red", "amber", False),
        ("green", "green", False),
        (None, "red", False),
        ("green", None, False),
        (None, None, False),
    ],
)
def test_is_better(a, b, expected):
    assert is_better(a, b) is expected


def test_completion_problem():
    message = (
        "An action can only be marked complete once at least one piece of evidence has been added."
    )
    assert completion_problem(status="complete", evidence_count=0) == message
    assert completion_problem(status="complete", evidence_count=1) is None
    for status in STATUSES:
        if status != "complete":
            assert completion_problem(status=status, evidence_count=0) is None


def test_days_overdue():
    assert days_overdue(facts(due=date(2019, 3, 1)), today=TODAY) == 30
    assert days_overdue(facts(due=TODAY), today=TODAY) is None
    assert days_overdue(facts(due=None), today=TODAY) is None
    assert days_overdue(facts(status="complete", due=date(2019, 3, 1)), today=TODAY) is None
    assert days_overdue(facts(status="cancelled", due=date(2019, 3, 1)), today=TODAY) is None


def test_rag_constants_agree():
    assert set(RAG_ORDER) == set(RAGS)
    assert sorted(RAGS, key=RAG_ORDER.__getitem__) == ["red", "amber", "green", "blue"]


# ---------------------------------------------------------------- properties

optional_date = st.none() | st.dates()
action_facts = st.builds(
    ActionFacts,
    status=st.sampled_from(STATUSES),
    rag=st.none() | st.sampled_from(RAGS),
    commenced=optional_date,
    due=optional_date,
    ongoing=st.booleans(),
    has_lead=st.booleans(),
    due_unparsed=st.booleans(),
    commenced_unparsed=st.booleans(),
    evidence_count=st.integers(min_value=0, max_value=50),
    last_activity=optional_date,
    times_slipped=st.integers(min_value=0, max_value=20),
)
configs = st.builds(
    RagConfig,
    amber_window_days=st.integers(min_value=0, max_value=365),
    stale_after_days=st.integers(min_value=0, max_value=1000),
)


@given(action_facts, st.dates(), configs)
def test_suggestion_is_always_valid(f, today, config):
    s = suggest_rag(f, today=today, config=config)
    assert s.rag is None or s.rag in RAGS
    assert s.rule in RULE_IDS
    assert s.reason
    if s.rag == "blue":
        assert f.status == "complete" and f.evidence_count > 0


@given(action_facts, st.dates(), configs)
def test_flags_are_always_valid(f, today, config):
    flags = action_flags(f, today=today, config=config)
    got = [flag.name for flag in flags]
    assert got == [name for name in FLAG_NAMES if name in got]  # ordered, no duplicates
    assert len(got) == len(set(got))
    assert all(flag.explanation and flag.label for flag in flags)
    if f.status == "cancelled":
        assert got == []
    if f.rag is None:
        assert "rag-disagrees" not in got
    if f.status == "complete":
        assert set(got) <= {"slipped", "unparsed-date"}
    suggestion = suggest_rag(f, today=today, config=config)
    assert flags == action_flags(f, today=today, config=config, suggestion=suggestion)
