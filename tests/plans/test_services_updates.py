"""Progress updates, due-date changes, retiring actions, stale edits and the history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caring.plans import selectors, services
from caring.plans.export import plan_export
from caring.plans.models import Action, DueDateChange, Evidence, Update
from caring.plans.services import ConflictError
from tests.factories import UserFactory, text_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(make_action):
    return make_action(commenced="01/04/2018", due="Q3 2018/19", status="not_started")


def post(action, by, **kwargs):
    kwargs.setdefault("narrative", "Sampling approach agreed with the Early Help Service.")
    kwargs.setdefault("status", "in_progress")
    return services.action_update_post(action=action, by=by, **kwargs)


def fresh(action) -> Action:
    return Action.objects.get(pk=action.pk)


# --- action_update_post -----------------------------------------------------------------------


def test_update_becomes_the_actions_current_state(action, user, today):
    update = post(action, user, status="in_progress", rag="amber", rag_rationale="Data sharing.")
    saved = fresh(action)
    assert (saved.status, saved.rag, saved.rag_rationale) == (
        "in_progress",
        "amber",
        "Data sharing.",
    )
    assert saved.last_update_on == today
    assert saved.revision == 2
    assert (update.action, update.author, update.reported_on) == (action, user, today)
    assert update.narrative == "Sampling approach agreed with the Early Help Service."


def test_the_latest_update_wins(action, user, today):
    post(action, user, status="in_progress", rag="green", reported_on=today - dt.timedelta(days=20))
    post(
        fresh(action), user, status="on_hold", rag="amber", reported_on=today - dt.timedelta(days=3)
    )
    saved = fresh(action)
    assert (saved.status, saved.rag) == ("on_hold", "amber")
    assert saved.last_update_on == today - dt.timedelta(days=3)
    assert saved.updates.count() == 2


def test_an_update_dated_the_same_day_as_the_latest_is_accepted(action, user, today):
    post(action, user)
    post(fresh(action), user, status="on_hold")
    assert fresh(action).status == "on_hold"


@pytest.mark.parametrize("narrative", ["", "  \n"])
def test_update_needs_a_narrative(action, user, refuses, narrative):
    with refuses("narrative"):
        post(action, user, narrative=narrative)
    assert fresh(action).revision == 1


@pytest.mark.parametrize(("field", "value"), [("status", "done"), ("rag", "pink")])
def test_update_refuses_unknown_status_or_rag(action, user, refuses, field, value):
    with refuses(field):
        post(action, user, **{field: value})


def test_completion_without_evidence_is_refused(action, user, refuses):
    with refuses("status"):
        post(action, user, status="complete", rag="blue")
    assert fresh(action).status == "not_started"


def test_completion_with_evidence_in_the_same_update_is_accepted(action, user):
    update = post(action, user, status="complete", rag="blue", evidence=[text_evidence()])
    assert fresh(action).status == "complete"
    evidence = Evidence.objects.get()
    assert (evidence.action, evidence.update, evidence.added_by) == (action, update, user)


def test_completion_counts_evidence_added_earlier(action, user):
    services.evidence_add(action=action, item=text_evidence())
    post(action, user, status="complete", rag="blue")
    assert fresh(action).status == "complete"


def test_a_new_due_date_needs_a_reason(action, user, refuses):
    with refuses("due_reason"):
        post(action, user, new_due="Q4 2018/19", due_reason="  ")
    saved = fresh(action)
    assert saved.due == dt.date(2018, 12, 31)
    assert (saved.status, saved.revision, saved.last_update_on) == ("not_started", 1, None)


def test_a_new_due_date_with_a_reason_is_recorded(action, user):
    update = post(action, user, new_due="Q4 2018/19", due_reason="Waiting for data sharing.")
    saved = fresh(action)
    assert (saved.due, saved.due_text, saved.due_kind) == (
        dt.date(2019, 3, 31),
        "Q4 2018/19",
        "quarter",
    )
    assert saved.original_due == dt.date(2018, 12, 31)
    assert saved.original_due_text == "Q3 2018/19"
    change = DueDateChange.objects.get()
    assert (change.old_due, change.old_text) == (dt.date(2018, 12, 31), "Q3 2018/19")
    assert (change.new_due, change.new_text) == (dt.date(2019, 3, 31), "Q4 2018/19")
    assert change.reason == "Waiting for data sharing."
    assert (change.changed_by, change.update, change.action) == (user, update, action)
    assert change.is_slip


@pytest.mark.parametrize("new_due", ["after the summer", "TBC", "31/02/2019"])
def test_an_unreadable_new_due_date_is_refused(action, user, refuses, new_due):
    with refuses("new_due"):
        post(action, user, new_due=new_due, due_reason="Because.")
    assert fresh(action).due == dt.date(2018, 12, 31)


def test_a_new_due_date_before_commenced_is_refused(action, user, refuses):
    with refuses("new_due"):
        post(action, user, new_due="31/03/2018", due_reason="Typo.")


def test_an_update_dated_in_the_future_is_refused(action, user, refuses, today):
    with refuses("reported_on"):
        post(action, user, reported_on=today + dt.timedelta(days=1))


def test_an_update_dated_before_the_latest_update_is_refused(action, user, refuses, today):
    post(action, user, reported_on=today - dt.timedelta(days=5))
    with refuses("reported_on"):
        post(fresh(action), user, status="on_hold", reported_on=today - dt.timedelta(days=6))
    assert fresh(action).status == "in_progress"


def test_a_retired_action_cannot_be_updated(action, user, refuses):
    services.action_retire(action=action, reason="Merged into YC8.")
    with refuses("action"):
        post(fresh(action), user)
    assert not Update.objects.exists()


# --- stale edits ------------------------------------------------------------------------------


def test_the_second_of_two_edits_opened_at_the_same_revision_is_refused(action, user, row_counts):
    first, second = fresh(action), fresh(action)
    opened_at = first.revision
    post(first, user, status="in_progress", rag="green", expected_revision=opened_at)
    someone_else = UserFactory()
    before = row_counts()
    with pytest.raises(ConflictError):
        post(
            second,
            someone_else,
            status="complete",
            rag="blue",
            evidence=[text_evidence()],
            new_due="Q4 2018/19",
            due_reason="Later.",
            expected_revision=opened_at,
        )
    assert row_counts() == before
    saved = fresh(action)
    assert (saved.status, saved.rag, saved.revision) == ("in_progress", "green", opened_at + 1)
    assert saved.due == dt.date(2018, 12, 31)
    assert Update.objects.count() == 1


def test_a_stale_copy_without_expected_revision_is_also_refused(action, user):
    stale = fresh(action)
    post(action, user)
    with pytest.raises(ConflictError):
        post(stale, user, status="on_hold")
    assert fresh(action).status == "in_progress"


def test_an_edit_at_the_current_revision_is_accepted(action, user):
    post(action, user, expected_revision=1)
    post(fresh(action), user, status="on_hold", expected_revision=2)
    assert fresh(action).revision == 3


# --- action_due_change ------------------------------------------------------------------------


def change_due(action, new_due, reason="Partners asked for more time.", **kwargs):
    return services.action_due_change(
        action=fresh(action), new_due=new_due, reason=reason, by=kwargs.pop("by", None), **kwargs
    )


def times_slipped(action) -> int:
    return selectors.action_list(version=action.version).get(pk=action.pk).times_slipped


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_due_change_needs_a_reason(action, refuses, reason):
    with refuses("due_reason"):
        change_due(action, "Q4 2018/19", reason=reason)
    assert fresh(action).due == dt.date(2018, 12, 31)


def test_due_change_refuses_an_unreadable_date(action, refuses):
    with refuses("new_due"):
        change_due(action, "after Christmas")


def test_due_change_refuses_a_date_before_commenced(action, refuses):
    with refuses("new_due"):
        change_due(action, "01/01/2018")


def test_moving_the_date_later_twice_counts_two_slips(action, user, today):
    change_due(action, "Q4 2018/19", by=user)
    change_due(action, "June 2019", by=user)
    assert times_slipped(action) == 2
    saved = fresh(action)
    assert saved.due == dt.date(2019, 6, 30)
    assert saved.original_due == dt.date(2018, 12, 31)
    assert DueDateChange.objects.filter(changed_by=user).count() == 2
    row = selectors.action_list(version=action.version).get(pk=action.pk)
    assessed = selectors.action_assess(row, today=today)
    assert "slipped" in assessed.flag_names
    assert "twice" in next(f for f in assessed.flags if f.name == "slipped").explanation


def test_bringing_the_date_earlier_is_a_change_but_not_a_slip(action, today):
    change = change_due(action, "Oct 2018")
    assert not change.is_slip
    assert fresh(action).due == dt.date(2018, 10, 31)
    assert DueDateChange.objects.count() == 1
    assert times_slipped(action) == 0
    row = selectors.action_list(version=action.version).get(pk=action.pk)
    assert "slipped" not in selectors.action_assess(row, today=today).flag_names


def test_a_change_from_no_date_to_a_date_is_not_a_slip(make_action):
    action = make_action(due="TBC")
    change_due(action, "Dec 2018")
    assert times_slipped(action) == 0


def test_due_change_refuses_a_stale_revision(action):
    change_due(action, "Q4 2018/19")
    with pytest.raises(ConflictError):
        change_due(action, "June 2019", expected_revision=1)
    assert DueDateChange.objects.count() == 1


# --- action_retire ----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_retiring_needs_a_reason(action, refuses, reason):
    with refuses("retired_reason"):
        services.action_retire(action=action, reason=reason)
    assert not fresh(action).is_retired


def test_retiring_records_when_and_why(action):
    services.action_retire(action=action, reason=" Merged into YC8. ")
    saved = fresh(action)
    assert saved.is_retired and saved.retired_reason == "Merged into YC8."
    assert saved.revision == 2


def test_an_action_cannot_be_retired_twice(action, refuses):
    services.action_retire(action=action, reason="Merged into YC8.")
    with refuses("action"):
        services.action_retire(action=fresh(action), reason="Again.")


def test_retired_actions_drop_out_of_the_selectors(action, version, make_action, today):
    kept = make_action(due="Ongoing")
    for each in (action, kept):
        services.evidence_add(action=each, item=text_evidence())
    assert [row.pk for row in selectors.overdue_actions(version=version, today=today)] == [
        action.pk
    ]
    services.action_retire(action=action, reason="Merged into YC8.")
    assert list(selectors.action_list(version=version)) == [kept]
    assert [a.action for a in selectors.actions_assessed(version=version, today=today)] == [kept]
    assert list(selectors.overdue_actions(version=version, today=today)) == []
    assert sum(row.total for row in selectors.rag_counts_by_theme(version=version)) == 1
    assert selectors.flag_counts(version=version, today=today)["overdue"] == 0
    exported = plan_export(strategy=version.strategy, today=today)["actions"]
    assert [a["ref"] for a in exported] == [kept.ref]


# --- history ----------------------------------------------------------------------------------


def test_every_edit_of_an_action_is_kept_in_its_history(action, user):
    created = action.history.count()
    assert created >= 1
    assert action.history.earliest().history_type == "+"
    post(action, user)
    after_update = action.history.count()
    assert after_update > created
    change_due(action, "Q4 2018/19", by=user)
    assert action.history.count() > after_update
    latest = action.history.latest()
    assert latest.due == dt.date(2019, 3, 31)
    assert latest.history_user == user
    assert action.history.as_of(latest.history_date).due == dt.date(2019, 3, 31)


def test_history_names_the_person_who_posted_an_update(action, user):
    post(action, user)
    latest = action.history.latest()
    assert (latest.status, latest.history_user) == ("in_progress", user)


def test_history_names_the_person_who_retired_an_action(action, user):
    services.action_retire(action=action, reason="No longer needed.", by=user)
    latest = action.history.latest()
    assert latest.retired_reason == "No longer needed."
    assert latest.history_user == user


def test_history_names_the_person_who_added_evidence(action, user):
    evidence = services.evidence_add(action=action, item=text_evidence(), by=user)
    assert evidence.history.latest().history_user == user


def test_due_change_refuses_tbc_as_a_new_due_date(action, user, refuses):
    with refuses("new_due"):
        services.action_due_change(action=action, new_due="TBC", reason="Unknown.", by=user)


def test_a_refused_update_leaves_the_action_usable(action, user):
    """A bad file is found before anything is claimed, so the same object saves next time."""
    from tests.factories import pdf_file

    bad = services.EvidenceInput(kind="file", title="Fake", file=pdf_file("x.pdf", b"not a pdf"))
    with pytest.raises(ValidationError) as info:
        post(action, user, evidence=[bad])
    assert "evidence_file" in info.value.message_dict
    assert action.revision == 1
    post(action, user)
    assert fresh(action).revision == 2


def test_evidence_cannot_be_added_to_a_retired_action(action, user, refuses):
    from tests.factories import text_evidence

    services.action_retire(action=action, reason="Merged into YC8.")
    with refuses("action"):
        services.evidence_add(action=fresh(action), item=text_evidence(), by=user)
