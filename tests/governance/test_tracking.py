"""Where a scrutiny item stands (caring.governance.tracking): states, suggestions and flags."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from caring.governance.tracking import (
    ITEM_FLAG_NAMES,
    REQUEST_FLAG_NAMES,
    ItemFacts,
    RequestFacts,
    assess_item,
    assess_request,
    response_due,
)
from caring.plans.rag import RAGS, STATUSES, ActionFacts, RagConfig, action_flags, suggest_rag

MEETING = dt.date(2018, 3, 1)
D = dt.date


def facts(**changes) -> ItemFacts:
    """An open, accepted recommendation with a lead, due in a year and updated recently."""
    values = {
        "kind": "recommendation",
        "meeting_date": MEETING,
        "status": "in_progress",
        "rag": "green",
        "due": D(2019, 3, 1),
        "has_lead": True,
        "response": "accepted",
        "last_activity": D(2018, 6, 1),
    }
    values.update(changes)
    return ItemFacts(**values)


def as_action(item: ItemFacts) -> ActionFacts:
    """The plan action the rules in caring.plans.rag would see for ``item``."""
    return ActionFacts(
        status=item.status,
        rag=item.rag,
        commenced=None,
        due=item.due,
        ongoing=False,
        has_lead=item.has_lead,
        due_unparsed=item.due_unreadable,
        evidence_count=item.evidence_count,
        last_activity=item.last_activity or item.meeting_date,
        times_slipped=item.times_slipped,
    )


# --- untracked and closed items -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["noted", "endorsed", "other"])
def test_untracked_kinds_are_recorded_with_no_flags_whatever_their_facts(kind):
    # Everything that would flag a tracked item: no lead, long overdue, no response, slipped.
    item = facts(
        kind=kind,
        response="",
        has_lead=False,
        due=D(2018, 4, 1),
        status="not_started",
        rag="blue",
        times_slipped=3,
        last_activity=None,
    )
    result = assess_item(item, today=D(2020, 1, 1))
    assert result.state == "recorded"
    assert result.flags == [] and result.flag_names == []
    assert result.suggestion.rag is None
    assert not result.is_open


def test_the_same_facts_as_a_recommendation_are_flagged():
    """The control for the test above: those facts do flag a tracked item."""
    item = facts(response="", has_lead=False, due=D(2018, 4, 1), status="not_started")
    names = assess_item(item, today=D(2020, 1, 1)).flag_names
    assert {"awaiting-response", "missing-owner", "overdue", "stale"} <= set(names)


@pytest.mark.parametrize("kind", ["recommendation", "future_report"])
def test_a_signed_off_item_is_closed_with_no_flags(kind):
    item = facts(kind=kind, signed_off=True, status="in_progress", due=D(2018, 4, 1))
    result = assess_item(item, today=D(2020, 1, 1))
    assert result.state == "closed: signed off"
    assert result.flags == []
    assert result.suggestion.rag is None and result.suggestion.rule == "signed-off"
    assert not result.is_open


def test_a_signed_off_complete_item_is_not_awaiting_sign_off():
    item = facts(signed_off=True, status="complete", evidence_count=1)
    assert assess_item(item, today=D(2019, 1, 1)).flag_names == []


def test_a_recommendation_not_accepted_is_closed_with_no_flags():
    item = facts(response="not_accepted", status="not_started", due=D(2018, 4, 1), has_lead=False)
    result = assess_item(item, today=D(2020, 1, 1))
    assert result.state == "closed: not accepted"
    assert result.flags == []
    assert result.suggestion.rule == "not-accepted"
    assert not result.is_open


def test_an_open_item_is_open():
    result = assess_item(facts(), today=D(2018, 7, 1))
    assert result.state == "open" and result.is_open
    assert result.flags == []
    assert result.suggestion.rag == "green"


# --- awaiting a response -------------------------------------------------------------------------


def test_the_response_is_due_two_calendar_months_after_the_meeting():
    assert response_due(D(2018, 3, 1)) == D(2018, 5, 1)
    assert response_due(D(2017, 11, 30)) == D(2018, 1, 30)


@pytest.mark.parametrize(
    ("meeting", "due"),
    [
        (D(2017, 12, 31), D(2018, 2, 28)),  # not a leap year
        (D(2019, 12, 31), D(2020, 2, 29)),  # a leap year
        (D(2018, 12, 30), D(2019, 2, 28)),
        (D(2018, 7, 31), D(2018, 9, 30)),
    ],
)
def test_the_response_due_day_is_kept_within_the_month_reached(meeting, due):
    assert response_due(meeting) == due


@pytest.mark.parametrize(
    ("meeting", "last_quiet_day"),
    [
        (D(2018, 3, 1), D(2018, 5, 1)),
        (D(2017, 12, 31), D(2018, 2, 28)),
        (D(2019, 12, 31), D(2020, 2, 29)),
    ],
)
def test_no_response_is_flagged_only_after_the_two_months_are_up(meeting, last_quiet_day):
    item = facts(meeting_date=meeting, response="", due=D(2021, 1, 1), last_activity=None)
    on_the_day = assess_item(item, today=last_quiet_day)
    assert "awaiting-response" not in on_the_day.flag_names
    the_day_after = assess_item(item, today=last_quiet_day + dt.timedelta(days=1))
    assert "awaiting-response" in the_day_after.flag_names
    flag = next(f for f in the_day_after.flags if f.name == "awaiting-response")
    assert flag.label == "No executive response"
    assert f"{last_quiet_day.day} {last_quiet_day:%B %Y}" in flag.explanation


def test_a_meeting_in_the_last_months_of_9999_has_a_response_due_at_the_end_of_time():
    assert response_due(D(9999, 11, 15)) == D.max
    result = assess_item(facts(meeting_date=D(9999, 11, 15), response=""), today=D.max)
    assert "awaiting-response" not in result.flag_names


def test_the_day_before_the_meeting_plus_two_months_is_not_flagged():
    item = facts(response="")
    assert "awaiting-response" not in assess_item(item, today=D(2018, 4, 30)).flag_names


@pytest.mark.parametrize("response", ["accepted", "partly_accepted"])
def test_a_recommendation_with_a_response_is_not_awaiting_one(response):
    item = facts(response=response)
    assert "awaiting-response" not in assess_item(item, today=D(2018, 12, 1)).flag_names


def test_a_request_for_a_future_report_never_awaits_a_response():
    item = facts(kind="future_report", response="")
    assert "awaiting-response" not in assess_item(item, today=D(2018, 12, 1)).flag_names


# --- awaiting sign-off --------------------------------------------------------------------------


def test_a_complete_item_awaits_sign_off():
    item = facts(status="complete", rag="blue", evidence_count=1)
    result = assess_item(item, today=D(2018, 12, 1))
    assert result.is_open
    assert result.flag_names == ["awaiting-sign-off"]
    assert result.suggestion.rag == "blue"


def test_a_complete_item_without_evidence_awaits_sign_off_and_is_rated_amber():
    item = facts(status="complete", rag="blue", evidence_count=0)
    result = assess_item(item, today=D(2018, 12, 1))
    assert "awaiting-sign-off" in result.flag_names
    assert result.suggestion.rag == "amber"


@pytest.mark.parametrize("status", ["not_started", "in_progress", "on_hold", "cancelled"])
def test_an_item_that_is_not_complete_does_not_await_sign_off(status):
    item = facts(status=status)
    assert "awaiting-sign-off" not in assess_item(item, today=D(2018, 7, 1)).flag_names


# --- the plan's flags, under the plan's rules --------------------------------------------------


def test_overdue_the_day_after_the_due_date_and_not_on_it():
    item = facts(due=D(2018, 9, 30), last_activity=D(2018, 9, 1))
    assert "overdue" not in assess_item(item, today=D(2018, 9, 30)).flag_names
    result = assess_item(item, today=D(2018, 10, 1))
    assert "overdue" in result.flag_names
    assert result.suggestion.rag == "red" and result.suggestion.rule == "overdue"


def test_stale_after_the_update_period_counted_from_the_last_update():
    item = facts(last_activity=D(2018, 6, 1))
    assert "stale" not in assess_item(item, today=D(2018, 8, 30)).flag_names  # 90 days
    assert "stale" in assess_item(item, today=D(2018, 8, 31)).flag_names  # 91 days


def test_stale_is_counted_from_the_meeting_when_there_has_been_no_update():
    item = facts(last_activity=None)
    assert "stale" not in assess_item(item, today=MEETING + dt.timedelta(days=90)).flag_names
    assert "stale" in assess_item(item, today=MEETING + dt.timedelta(days=91)).flag_names


def test_stale_follows_the_configured_update_period():
    item = facts(last_activity=D(2018, 6, 1))
    config = RagConfig(stale_after_days=10)
    assert "stale" in assess_item(item, today=D(2018, 6, 12), config=config).flag_names
    assert "stale" not in assess_item(item, today=D(2018, 6, 12)).flag_names


def test_slipped_once_the_due_date_has_moved_later():
    assert "slipped" not in assess_item(facts(times_slipped=0), today=D(2018, 7, 1)).flag_names
    result = assess_item(facts(times_slipped=2), today=D(2018, 7, 1))
    flag = next(f for f in result.flags if f.name == "slipped")
    assert "twice" in flag.explanation


def test_missing_lead_timescale_and_unreadable_due_date_are_flagged():
    names = assess_item(facts(has_lead=False, due=None), today=D(2018, 7, 1)).flag_names
    assert {"missing-owner", "missing-timescale"} <= set(names)
    unreadable = assess_item(facts(due=None, due_unreadable=True), today=D(2018, 7, 1))
    assert "unparsed-date" in unreadable.flag_names
    assert "missing-timescale" not in unreadable.flag_names


def test_an_optimistic_rating_is_flagged():
    item = facts(rag="green", due=D(2018, 6, 1))
    assert "rag-disagrees" in assess_item(item, today=D(2018, 7, 1)).flag_names


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"due": D(2018, 6, 1)},
        {"last_activity": None},
        {"times_slipped": 1},
        {"status": "not_started", "rag": None, "due": D(2018, 7, 20)},
        {"status": "on_hold", "rag": "green"},
        {"has_lead": False, "due": None},
        {"due": None, "due_unreadable": True},
        {"status": "complete", "rag": "blue", "evidence_count": 2},
        {"status": "cancelled", "due": D(2018, 1, 1)},
    ],
)
def test_the_plans_flags_and_suggestion_come_through_unchanged(changes):
    item = facts(**changes)
    today = D(2018, 7, 1)
    action = as_action(item)
    expected_suggestion = suggest_rag(action, today=today)
    expected = [f.name for f in action_flags(action, today=today)]
    result = assess_item(item, today=today)
    assert result.suggestion == expected_suggestion
    own = {"awaiting-response", "awaiting-sign-off"}
    assert [name for name in result.flag_names if name not in own] == expected


def test_flags_come_in_the_documented_order():
    item = facts(
        response="",
        has_lead=False,
        due=D(2018, 4, 1),
        rag="green",
        times_slipped=1,
        last_activity=None,
    )
    names = assess_item(item, today=D(2019, 1, 1)).flag_names
    assert names == [name for name in ITEM_FLAG_NAMES if name in names]
    assert names[0] == "awaiting-response"


# --- information requests ----------------------------------------------------------------------


def request(**changes) -> RequestFacts:
    values = {"meeting_date": MEETING, "due": D(2018, 4, 12), "answered_on": None}
    values.update(changes)
    return RequestFacts(**values)


def test_an_answered_request_has_no_flags_even_when_answered_late():
    result = assess_request(request(answered_on=D(2018, 6, 1)), today=D(2019, 1, 1))
    assert result.flags == []
    assert result.state == "answered on 1 June 2018"


def test_a_request_answered_at_the_meeting_has_no_flags_even_without_a_due_date():
    result = assess_request(request(due=None, answered_in_meeting=True), today=D(2019, 1, 1))
    assert result.flags == []
    assert result.state == "answered at the meeting"


def test_a_request_is_overdue_the_day_after_its_due_date_and_not_on_it():
    assert assess_request(request(), today=D(2018, 4, 12)).flags == []
    result = assess_request(request(), today=D(2018, 4, 13))
    assert result.flag_names == ["overdue"]
    assert result.state == "awaiting answer"
    assert "12 April 2018, 1 day ago" in result.flags[0].explanation
    later = assess_request(request(), today=D(2018, 4, 15))
    assert "3 days ago" in later.flags[0].explanation


def test_a_request_with_no_due_date_is_flagged_so():
    result = assess_request(request(due=None), today=D(2018, 3, 2))
    assert result.flag_names == ["no-due-date"]
    assert "1 March 2018" in result.flags[0].explanation


def test_a_request_flag_names_are_known():
    result = assess_request(request(due=None), today=D(2030, 1, 1))
    assert set(result.flag_names) <= set(REQUEST_FLAG_NAMES)


# --- never raises; closed items never flagged --------------------------------------------------

days = st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31))
item_facts = st.builds(
    ItemFacts,
    kind=st.sampled_from(["recommendation", "future_report", "noted", "endorsed", "other"]),
    meeting_date=days,
    status=st.sampled_from(STATUSES),
    rag=st.one_of(st.none(), st.sampled_from(RAGS)),
    due=st.one_of(st.none(), days),
    has_lead=st.booleans(),
    response=st.sampled_from(["", "accepted", "partly_accepted", "not_accepted"]),
    signed_off=st.booleans(),
    evidence_count=st.integers(min_value=0, max_value=50),
    last_activity=st.one_of(st.none(), days),
    times_slipped=st.integers(min_value=0, max_value=50),
    due_unreadable=st.booleans(),
)


@given(item=item_facts, today=days)
@example(item=facts(meeting_date=D(9999, 12, 1), response=""), today=D(9999, 12, 31))
@example(item=facts(meeting_date=D(1, 1, 1), due=D(1, 1, 1), last_activity=None), today=D.max)
def test_assess_item_never_raises_and_closed_items_have_no_flags(item, today):
    result = assess_item(item, today=today)
    assert set(result.flag_names) <= set(ITEM_FLAG_NAMES)
    if item.kind not in ("recommendation", "future_report"):
        assert result.state == "recorded" and result.flags == []
    elif item.signed_off or item.response == "not_accepted":
        assert result.state.startswith("closed") and result.flags == []
        assert result.suggestion.rag is None
    else:
        assert result.is_open


@given(
    facts_=st.builds(
        RequestFacts,
        meeting_date=days,
        due=st.one_of(st.none(), days),
        answered_on=st.one_of(st.none(), days),
        answered_in_meeting=st.booleans(),
    ),
    today=days,
)
def test_assess_request_never_raises_and_answered_requests_have_no_flags(facts_, today):
    result = assess_request(facts_, today=today)
    assert set(result.flag_names) <= set(REQUEST_FLAG_NAMES)
    if facts_.answered_on is not None or facts_.answered_in_meeting:
        assert result.flags == []
    elif facts_.due is None:
        assert result.flag_names == ["no-due-date"]
