"""Every write to scrutiny records (caring.governance.services): what it saves, what it refuses.

Each refusal is a ValidationError naming the field, and saves nothing at all.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from caring.governance import services
from caring.governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    InformationRequest,
    Meeting,
    Paper,
    ReportRequirement,
    Resolution,
    ResolutionUpdate,
)
from caring.plans.models import Action, Strategy
from caring.plans.services import ConflictError
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PlanVersionFactory,
    StrategyFactory,
    UserFactory,
)
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

D = dt.date
COUNTED = (
    Body,
    BodyMember,
    Meeting,
    AgendaItem,
    Paper,
    Resolution,
    ResolutionUpdate,
    ReportRequirement,
    InformationRequest,
    Action,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@contextmanager
def refused(field: str, *words: str):
    """Expect a ValidationError naming ``field`` (its message holding ``words``), no new rows."""
    before = counts()
    with pytest.raises(ValidationError) as info:
        yield info
    messages = info.value.message_dict
    assert field in messages, messages
    for word in words:
        assert word in " ".join(messages[field]), messages[field]
    assert counts() == before


def row_of(instance) -> dict:
    """The saved row of ``instance`` as a dict, read afresh from the database."""
    return type(instance).objects.filter(pk=instance.pk).values().get()


@pytest.fixture
def body(db):
    return services.body_create(name="Health Select Commission", short_name="HSC")


@pytest.fixture
def meeting(strategy, body):
    return services.meeting_create(strategy=strategy, body=body, date="01/03/2018", status="held")


@pytest.fixture
def later(strategy, body):
    """A later meeting of the same body, held."""
    return services.meeting_create(strategy=strategy, body=body, date="10/10/2019", status="held")


@pytest.fixture
def rec(meeting):
    """A recommendation, accepted, due in 12 months (1 March 2019)."""
    return services.resolution_create(
        meeting=meeting,
        kind="recommendation",
        text="That the additional information suggested by Members be included in the workbook.",
        lead_role="Change Leader, Adult Social Care",
        due_text="in 12 months",
        response="accepted",
        response_date="22/03/2018",
        response_text="Accepted.",
    )


def complete(resolution, user, **kwargs):
    return services.resolution_update_post(
        resolution=resolution,
        by=user,
        narrative="Columns for RAG, commencement and evidence were added.",
        status="complete",
        rag="blue",
        evidence="The revised workbook.",
        reported_on=D(2018, 5, 21),
        **kwargs,
    )


# --- read_day -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["30/11/2017", "30 November 2017", " 30/11/2017 ", D(2017, 11, 30), dt.datetime(2017, 11, 30)],
)
def test_read_day_reads_a_real_day(value):
    assert services.read_day(value, field="date", label="meeting date") == D(2017, 11, 30)


@pytest.mark.parametrize("value", ["31/02/2018", "November 2017", "Q3 2018/19", "TBC", "soon"])
def test_read_day_refuses_anything_but_a_real_day(value):
    with pytest.raises(ValidationError) as info:
        services.read_day(value, field="when", label="meeting date")
    assert "is not a real date" in info.value.message_dict["when"][0]


def test_read_day_blank_is_refused_when_required_and_none_otherwise():
    with pytest.raises(ValidationError) as info:
        services.read_day("  ", field="when", label="meeting date")
    assert "Enter the meeting date" in info.value.message_dict["when"][0]
    assert services.read_day("", field="when", label="x", required=False) is None
    assert services.read_day(None, field="when", label="x", required=False) is None


# --- bodies -------------------------------------------------------------------------------------


def test_body_create_saves_the_body_with_a_slug_and_its_terms(user):
    org = OrganisationFactory()
    body = services.body_create(
        name="  Carers Strategy Delivery Group ",
        kind="partnership",
        short_name=" CSDG ",
        organisation=org,
        terms_title="Terms of reference",
        terms_agreed="01/04/2017",
        terms_next_review="30 April 2018",
        by=user,
    )
    body = Body.objects.get(pk=body.pk)
    assert (body.name, body.short_name, body.slug) == (
        "Carers Strategy Delivery Group",
        "CSDG",
        "carers-strategy-delivery-group",
    )
    assert body.kind == "partnership" and body.organisation == org
    assert (body.terms_agreed, body.terms_next_review) == (D(2017, 4, 1), D(2018, 4, 30))
    assert body.history.get().history_user == user


def test_body_create_refuses_a_blank_name(db):
    with refused("name", "Enter the body's name"):
        services.body_create(name="   ")


def test_body_create_refuses_a_name_already_used_in_any_case(body):
    with refused("name", "already a body called"):
        services.body_create(name="health select COMMISSION")


def test_body_create_refuses_a_slug_already_used(body):
    with refused("slug"):
        services.body_create(name="Health Select Commission (new)", slug="health-select-commission")


def test_body_create_refuses_an_unknown_kind(db):
    with refused("kind"):
        services.body_create(name="A body", kind="parliament")


def test_body_create_refuses_a_review_before_the_terms_were_agreed(db):
    with refused("terms_next_review", "before"):
        services.body_create(
            name="A group", terms_agreed="01/04/2017", terms_next_review="31/03/2017"
        )


def test_body_create_refuses_terms_agreed_on_a_day_that_does_not_exist(db):
    with refused("terms_agreed", "not a real date"):
        services.body_create(name="A group", terms_agreed="30/02/2017")


def test_body_member_add_saves_a_role_and_position(body):
    org = OrganisationFactory()
    member = services.body_member_add(
        body=body, role=" Chair, Health Select Commission ", organisation=org, position="chair"
    )
    member.refresh_from_db()
    assert (member.role, member.position, member.organisation) == (
        "Chair, Health Select Commission",
        "chair",
        org,
    )
    assert list(body.members.all()) == [member]


def test_body_member_add_refuses_no_role_and_an_unknown_position(body):
    with refused("role"):
        services.body_member_add(body=body, role="")
    with refused("position"):
        services.body_member_add(body=body, role="Chair", position="emperor")


# --- meetings -----------------------------------------------------------------------------------


def test_meeting_create_saves_the_meeting(strategy, body, user):
    meeting = services.meeting_create(
        strategy=strategy,
        body=body,
        date="30 November 2017",
        status="held",
        minute_ref=" Minute No. 50 ",
        notes="Five recommendations.",
        by=user,
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.date, meeting.status, meeting.minute_ref) == (
        D(2017, 11, 30),
        "held",
        "Minute No. 50",
    )
    assert meeting.status_reason == ""
    assert meeting.history.get().history_user == user


def test_meeting_create_refuses_a_date_that_does_not_exist(strategy, body):
    with refused("date", "'31/02/2018' is not a real date"):
        services.meeting_create(strategy=strategy, body=body, date="31/02/2018")


def test_meeting_create_refuses_no_date(strategy, body):
    with refused("date", "Enter the meeting date"):
        services.meeting_create(strategy=strategy, body=body, date="")


@pytest.mark.parametrize("status", ["postponed", "cancelled"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_meeting_create_refuses_a_postponed_or_cancelled_meeting_without_a_reason(
    strategy, body, status, reason
):
    with refused("status_reason", status):
        services.meeting_create(
            strategy=strategy, body=body, date="01/03/2018", status=status, status_reason=reason
        )


def test_meeting_create_keeps_the_reason_for_a_postponement(strategy, body):
    meeting = services.meeting_create(
        strategy=strategy,
        body=body,
        date="01/03/2018",
        status="postponed",
        status_reason=" Inclement weather ",
        rearranged_for="15/03/2018",
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == ("postponed", "Inclement weather")
    assert meeting.rearranged_for == D(2018, 3, 15)


def test_meeting_create_drops_a_reason_for_a_meeting_that_was_held(strategy, body):
    meeting = services.meeting_create(
        strategy=strategy, body=body, date="01/03/2018", status="held", status_reason="Snow"
    )
    meeting.refresh_from_db()
    assert meeting.status_reason == ""


def test_meeting_create_refuses_a_second_meeting_of_the_body_on_the_same_day(
    strategy, body, meeting
):
    with refused("date", "already has a meeting on 1 March 2018"):
        services.meeting_create(strategy=strategy, body=body, date=D(2018, 3, 1))


def test_meeting_create_allows_the_same_day_for_another_body_or_strategy(strategy, body, meeting):
    services.meeting_create(strategy=strategy, body=BodyFactory(), date=D(2018, 3, 1))
    services.meeting_create(strategy=StrategyFactory(), body=body, date=D(2018, 3, 1))
    assert Meeting.objects.filter(date=D(2018, 3, 1)).count() == 3


def test_meeting_create_refuses_a_future_meeting_marked_held(strategy, body):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with refused("status", "cannot have been held yet"):
        services.meeting_create(strategy=strategy, body=body, date=tomorrow, status="held")


def test_meeting_create_refuses_an_unknown_status(strategy, body):
    with refused("status"):
        services.meeting_create(strategy=strategy, body=body, date="01/03/2018", status="gone")


@pytest.mark.parametrize("new_date", ["01/03/2018", "28/02/2018"])
def test_meeting_create_refuses_a_rearranged_date_not_after_the_original(strategy, body, new_date):
    with refused("rearranged_for", "after the original date"):
        services.meeting_create(
            strategy=strategy,
            body=body,
            date="01/03/2018",
            status="postponed",
            status_reason="Snow",
            rearranged_for=new_date,
        )


def test_meeting_edit_records_a_postponement_and_who_made_it(strategy, body, user):
    meeting = services.meeting_create(strategy=strategy, body=body, date="01/03/2018")
    services.meeting_edit(
        meeting=meeting, status="postponed", status_reason="Inclement weather", by=user
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == ("postponed", "Inclement weather")
    assert meeting.history.first().history_user == user
    assert meeting.history.count() == 2


def test_meeting_edit_refuses_a_cancellation_without_a_reason_and_saves_nothing(meeting):
    before = row_of(meeting)
    with refused("status_reason", "cancelled"):
        services.meeting_edit(meeting=meeting, status="cancelled", status_reason="")
    assert row_of(meeting) == before


def test_meeting_edit_refuses_marking_a_future_meeting_held(strategy, body):
    future = timezone.localdate() + dt.timedelta(days=30)
    meeting = services.meeting_create(strategy=strategy, body=body, date=future)
    with refused("status", "cannot have been held yet"):
        services.meeting_edit(meeting=meeting, status="held")
    assert row_of(meeting)["status"] == "scheduled"


def test_agenda_items_are_numbered_in_order(meeting):
    first = services.agenda_item_add(
        meeting=meeting, title="Carers Strategy Update", presenters=[" Change Leader ", "", "CYPS"]
    )
    second = services.agenda_item_add(meeting=meeting, title="Any other business")
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.presenter_list == ["Change Leader", "CYPS"]


def test_agenda_item_add_refuses_no_title(meeting):
    with refused("title"):
        services.agenda_item_add(meeting=meeting, title=" ")


def test_paper_add_saves_a_link(meeting):
    paper = services.paper_add(meeting=meeting, title="Minutes", url="https://example.org/m.pdf")
    assert Paper.objects.get(pk=paper.pk).url == "https://example.org/m.pdf"


@pytest.mark.parametrize(
    ("title", "url", "field"),
    [("", "https://example.org/m.pdf", "title"), ("Minutes", "", "url"), ("Minutes", "x", "url")],
)
def test_paper_add_refuses_no_title_or_no_good_link(meeting, title, url, field):
    with refused(field):
        services.paper_add(meeting=meeting, title=title, url=url)


# --- resolution_create ---------------------------------------------------------------------------


def test_resolution_create_saves_a_recommendation(meeting, user, version):
    orgs = OrganisationFactory.create_batch(2)
    action = ActionFactory(version=version, ref="QA1")
    resolution = services.resolution_create(
        meeting=meeting,
        kind="recommendation",
        text="  That the workbook include RAG ratings.  ",
        lead_role=" Change Leader ",
        organisations=orgs,
        due_text="Q1 2018/19",
        response="partly_accepted",
        response_date="22 March 2018",
        response_text=" Partly. ",
        actions=[action],
        by=user,
    )
    r = Resolution.objects.get(pk=resolution.pk)
    assert (r.number, r.ref) == (1, "HSC 2018-03-01/1")
    assert r.text == "That the workbook include RAG ratings."
    assert r.strategy == meeting.strategy and r.lead_role == "Change Leader"
    assert (r.due, r.original_due, r.due_text) == (D(2018, 6, 30), D(2018, 6, 30), "Q1 2018/19")
    assert (r.response, r.response_date, r.response_text) == (
        "partly_accepted",
        D(2018, 3, 22),
        "Partly.",
    )
    assert (r.status, r.rag, r.revision, r.times_slipped) == ("not_started", "", 1, 0)
    assert set(r.organisations.all()) == set(orgs)
    assert list(r.actions.all()) == [action]
    assert r.history.exists()
    assert {h.history_user for h in r.history.all()} == {user}


def test_resolutions_are_numbered_in_order_and_refs_are_unique(meeting):
    first = services.resolution_create(meeting=meeting, kind="noted", text="Noted.")
    second = services.resolution_create(meeting=meeting, kind="endorsed", text="Endorsed.")
    assert (first.number, second.number) == (1, 2)
    assert second.ref == "HSC 2018-03-01/2"


def test_resolution_create_refuses_no_text_and_saves_nothing(meeting):
    with refused("text", "Enter what the meeting resolved"):
        services.resolution_create(meeting=meeting, kind="recommendation", text="   ")
    with refused("text"):
        services.resolution_create(meeting=meeting, kind="recommendation", text=None)


def test_resolution_create_refuses_every_bad_field_at_once(meeting):
    with refused("text") as info:
        services.resolution_create(
            meeting=meeting, kind="wish", text="", status="finished", rag="purple"
        )
    assert {"text", "kind", "status", "rag"} <= set(info.value.message_dict)


def test_resolution_create_refuses_a_new_item_already_complete(meeting):
    with refused("status", "cannot start as complete"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", status="complete"
        )


def test_resolution_create_refuses_a_number_or_ref_already_used(meeting, rec):
    with refused("number", "(1)"):
        services.resolution_create(meeting=meeting, kind="noted", text="Noted.", number=1)
    with refused("ref", rec.ref):
        services.resolution_create(meeting=meeting, kind="noted", text="Noted.", ref=rec.ref)


def test_resolution_create_refuses_a_reference_too_long_to_store(meeting):
    with refused("ref", "at most 60", "61"):
        services.resolution_create(meeting=meeting, kind="noted", text="Noted.", ref="R" * 61)


def test_default_references_use_the_short_name_else_the_initials_and_always_fit(strategy):
    long = services.body_create(name="Children's Services Scrutiny Committee " + "Panel " * 20)
    short = services.body_create(name="Health Select Commission", short_name="HSC")
    for body, prefix in ((long, "CSSCPPPPPPPP"), (short, "HSC")):
        meeting = services.meeting_create(
            strategy=strategy, body=body, date="30/11/2017", status="held"
        )
        saved = services.resolution_create(meeting=meeting, kind="noted", text="Noted.")
        assert saved.ref == f"{prefix} 2017-11-30/1"
        assert Resolution.objects.get(pk=saved.pk).ref == saved.ref


def test_every_write_refuses_text_too_long_for_its_column_naming_the_field(meeting, rec):
    with refused("lead_role", "at most 200 characters", "(it has 201)"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", lead_role="L" * 201
        )
    with refused("title", "at most 300"):
        services.agenda_item_add(meeting=meeting, title="T" * 301)
    with refused("asked_by", "at most 200"):
        services.information_request_create(
            meeting=meeting, asked_by="A" * 201, question="Where is the leaflet?"
        )


def test_resolution_create_refuses_a_due_date_that_cannot_be_read(meeting):
    with refused("due_text", "'when we can' could not be read"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", due_text="when we can"
        )


def test_resolution_create_refuses_a_due_date_before_the_meeting(meeting):
    with refused("due_text", "31 January 2018", "before the meeting of 1 March 2018"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", due_text="31/01/2018"
        )


def test_a_due_date_on_the_day_of_the_meeting_is_allowed(meeting):
    r = services.resolution_create(
        meeting=meeting, kind="recommendation", text="Do it.", due_text="01/03/2018"
    )
    assert r.due == D(2018, 3, 1)


def test_during_the_municipal_year_is_due_on_30_april(meeting):
    r = services.resolution_create(
        meeting=meeting,
        kind="future_report",
        text="That a further progress report be submitted.",
        due_text="during the 2018/19 Municipal Year",
    )
    r.refresh_from_db()
    assert r.due == D(2019, 4, 30)
    assert r.due_text == "during the 2018/19 Municipal Year"


@pytest.mark.parametrize(
    ("meeting_day", "due"),
    [
        (D(2018, 3, 1), D(2019, 3, 1)),
        (D(2021, 7, 8), D(2022, 7, 8)),
        (D(2020, 2, 29), D(2021, 2, 28)),  # a leap day: the last day of February a year on
    ],
)
def test_in_12_months_is_twelve_months_after_the_meeting(strategy, body, meeting_day, due):
    meeting = services.meeting_create(strategy=strategy, body=body, date=meeting_day)
    r = services.resolution_create(
        meeting=meeting, kind="future_report", text="Update.", due_text="in 12 months"
    )
    assert Resolution.objects.get(pk=r.pk).due == due


def test_resolution_create_refuses_a_response_dated_before_the_meeting(meeting):
    with refused("response_date", "28 February 2018", "before the meeting of 1 March 2018"):
        services.resolution_create(
            meeting=meeting,
            kind="recommendation",
            text="Do it.",
            response="accepted",
            response_date="28/02/2018",
        )


def test_resolution_create_refuses_a_response_dated_in_the_future(meeting):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with refused("response_date", "future"):
        services.resolution_create(
            meeting=meeting,
            kind="recommendation",
            text="Do it.",
            response="accepted",
            response_date=tomorrow,
        )


def test_resolution_create_refuses_a_response_with_no_date_or_a_date_with_no_response(meeting):
    with refused("response_date", "Enter the date of the response"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", response="accepted"
        )
    with refused("response"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", response_date="22/03/2018"
        )
    with refused("response"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", response="maybe"
        )


def test_resolution_create_refuses_a_response_date_that_does_not_exist(meeting):
    with refused("response_date", "not a real date"):
        services.resolution_create(
            meeting=meeting,
            kind="recommendation",
            text="Do it.",
            response="accepted",
            response_date="31/04/2018",
        )


def test_resolution_create_refuses_an_action_of_another_strategy_and_saves_nothing(meeting):
    stranger = ActionFactory(version=PlanVersionFactory(), ref="ZZ9")
    with refused("actions", "ZZ9"):
        services.resolution_create(
            meeting=meeting, kind="recommendation", text="Do it.", actions=[stranger]
        )


# --- respond and edit ---------------------------------------------------------------------------


def test_resolution_respond_records_the_response_and_claims_a_revision(meeting, user):
    r = services.resolution_create(meeting=meeting, kind="recommendation", text="Do it.")
    services.resolution_respond(
        resolution=r, response="not_accepted", response_date="01/05/2018", by=user
    )
    saved = row_of(r)
    assert (saved["response"], saved["response_date"], saved["revision"]) == (
        "not_accepted",
        D(2018, 5, 1),
        2,
    )
    assert r.history.first().history_user == user


def test_resolution_respond_refuses_a_response_before_the_meeting(meeting):
    r = services.resolution_create(meeting=meeting, kind="recommendation", text="Do it.")
    before = row_of(r)
    with refused("response_date", "before the meeting"):
        services.resolution_respond(resolution=r, response="accepted", response_date="1/1/2018")
    assert row_of(r) == before


def test_resolution_respond_refuses_no_response_and_items_that_are_not_recommendations(meeting):
    r = services.resolution_create(meeting=meeting, kind="recommendation", text="Do it.")
    with refused("response"):
        services.resolution_respond(resolution=r, response="", response_date="01/05/2018")
    report = services.resolution_create(meeting=meeting, kind="future_report", text="Report.")
    with refused("response", "Only recommendations"):
        services.resolution_respond(
            resolution=report, response="accepted", response_date="01/05/2018"
        )


def test_resolution_edit_is_recorded_in_history_with_the_user(rec, user):
    org = OrganisationFactory()
    services.resolution_edit(
        resolution=rec,
        text="That the workbook include RAG ratings and evidence.",
        kind="recommendation",
        lead_role="Head of Service",
        organisations=[org],
        by=user,
    )
    rec.refresh_from_db()
    assert rec.text == "That the workbook include RAG ratings and evidence."
    assert (rec.lead_role, rec.revision) == ("Head of Service", 2)
    assert list(rec.organisations.all()) == [org]
    assert rec.history.first().history_user == user
    edited = rec.history.filter(text="That the workbook include RAG ratings and evidence.")
    assert edited.exists() and {h.history_user for h in edited} == {user}
    assert {h.history_type for h in edited} == {"~"}
    created = rec.history.filter(text__startswith="That the additional information")
    assert created.exists() and {h.history_user for h in created} == {None}


def test_resolution_edit_refuses_no_text_and_an_unknown_kind(rec):
    before = row_of(rec)
    with refused("text"):
        services.resolution_edit(resolution=rec, text=" ", kind="recommendation")
    with refused("kind"):
        services.resolution_edit(resolution=rec, text="Do it.", kind="wish")
    assert row_of(rec) == before


def test_a_stale_edit_is_refused_and_saves_nothing(rec):
    theirs = Resolution.objects.get(pk=rec.pk)
    services.resolution_edit(resolution=theirs, text="Their wording.", kind="recommendation")
    after_theirs = row_of(rec)
    history = rec.history.count()
    with pytest.raises(ConflictError, match="changed by someone else"):
        services.resolution_edit(resolution=rec, text="My wording.", kind="future_report")
    assert row_of(rec) == after_theirs
    assert after_theirs["text"] == "Their wording." and after_theirs["revision"] == 2
    assert rec.history.count() == history


def test_a_stale_expected_revision_is_refused(rec):
    services.resolution_edit(resolution=rec, text="Edited.", kind="recommendation")
    before = row_of(rec)
    with pytest.raises(ConflictError):
        services.resolution_respond(
            resolution=rec, response="not_accepted", response_date="01/05/2018", expected_revision=1
        )
    assert row_of(rec) == before


# --- progress updates ---------------------------------------------------------------------------


def test_an_update_sets_the_items_status_and_rag(rec, user):
    update = services.resolution_update_post(
        resolution=rec,
        by=user,
        narrative="  Work has begun. ",
        status="in_progress",
        rag="green",
        rag_rationale=" On track. ",
        reported_on=D(2018, 4, 2),
    )
    update.refresh_from_db()
    assert (update.narrative, update.author, update.reported_on) == (
        "Work has begun.",
        user,
        D(2018, 4, 2),
    )
    assert (update.old_due, update.new_due) == (None, None)
    saved = row_of(rec)
    assert (saved["status"], saved["rag"], saved["rag_rationale"]) == (
        "in_progress",
        "green",
        "On track.",
    )
    assert (saved["last_update_on"], saved["revision"]) == (D(2018, 4, 2), 2)
    assert rec.history.first().history_user == user


def test_an_earlier_update_does_not_move_the_last_update_back(rec, user):
    services.resolution_update_post(
        resolution=rec, by=user, narrative="Later.", status="in_progress", reported_on=D(2018, 6, 1)
    )
    services.resolution_update_post(
        resolution=rec, by=user, narrative="Late entry.", status="in_progress",
        reported_on=D(2018, 5, 1),
    )  # fmt: skip
    assert row_of(rec)["last_update_on"] == D(2018, 6, 1)


def test_completing_an_item_without_evidence_is_refused(rec, user):
    before = row_of(rec)
    with refused("status", "An item can only be marked complete"):
        services.resolution_update_post(
            resolution=rec, by=user, narrative="Done.", status="complete", rag="blue"
        )
    assert row_of(rec) == before


def test_completing_an_item_with_evidence_from_an_earlier_update_is_allowed(rec, user):
    services.resolution_update_post(
        resolution=rec, by=user, narrative="Draft.", status="in_progress", evidence="A draft."
    )
    services.resolution_update_post(resolution=rec, by=user, narrative="Done.", status="complete")
    assert row_of(rec)["status"] == "complete"


def test_completing_an_item_with_an_evidence_link_is_allowed(rec, user):
    services.resolution_update_post(
        resolution=rec, by=user, narrative="Done.", status="complete",
        evidence_url="https://example.org/workbook.xlsx",
    )  # fmt: skip
    assert row_of(rec)["status"] == "complete"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"narrative": " "}, "narrative"),
        ({"status": "done"}, "status"),
        ({"rag": "purple"}, "rag"),
        ({"evidence_url": "not a link"}, "evidence_url"),
    ],
)
def test_a_bad_update_is_refused(rec, user, changes, field):
    kwargs = {"narrative": "Progress.", "status": "in_progress"} | changes
    before = row_of(rec)
    with refused(field):
        services.resolution_update_post(resolution=rec, by=user, **kwargs)
    assert row_of(rec) == before


def test_a_due_date_change_records_old_and_new_and_counts_a_slip(rec, user):
    assert rec.due == D(2019, 3, 1)
    update = services.resolution_update_post(
        resolution=rec, by=user, narrative="Delayed.", status="in_progress",
        new_due_text="March 2020", due_reason="Practices asked for more time.",
    )  # fmt: skip
    update.refresh_from_db()
    assert (update.old_due, update.new_due) == (D(2019, 3, 1), D(2020, 3, 31))
    assert update.due_reason == "Practices asked for more time."
    saved = row_of(rec)
    assert (saved["due"], saved["due_text"], saved["times_slipped"]) == (
        D(2020, 3, 31),
        "March 2020",
        1,
    )
    assert saved["original_due"] == D(2019, 3, 1)

    earlier = services.resolution_update_post(
        resolution=rec, by=user, narrative="Brought forward.", status="in_progress",
        new_due_text="31/12/2019", due_reason="Resources found.",
    )  # fmt: skip
    assert (earlier.old_due, earlier.new_due) == (D(2020, 3, 31), D(2019, 12, 31))
    assert row_of(rec)["times_slipped"] == 1  # earlier is not a slip

    services.resolution_update_post(
        resolution=rec, by=user, narrative="Later again.", status="in_progress",
        new_due_text="in 2 years", due_reason="Funding delayed.",
    )  # fmt: skip
    saved = row_of(rec)
    assert (saved["due"], saved["times_slipped"]) == (D(2020, 3, 1), 2)


def test_the_same_due_text_is_not_a_change(rec, user):
    update = services.resolution_update_post(
        resolution=rec, by=user, narrative="Same.", status="in_progress",
        new_due_text=" in 12 months ",
    )  # fmt: skip
    assert (update.old_due, update.new_due) == (None, None)
    assert row_of(rec)["times_slipped"] == 0


def test_a_due_date_change_needs_a_reason(rec, user):
    before = row_of(rec)
    with refused("due_reason", "Say why"):
        services.resolution_update_post(
            resolution=rec, by=user, narrative="Delayed.", status="in_progress",
            new_due_text="March 2020",
        )  # fmt: skip
    assert row_of(rec) == before


@pytest.mark.parametrize(
    ("text", "words"),
    [("when possible", "could not be read"), ("31/12/2017", "before the meeting")],
)
def test_a_new_due_date_that_cannot_be_read_or_is_before_the_meeting_is_refused(
    rec, user, text, words
):
    before = row_of(rec)
    with refused("new_due_text", words):
        services.resolution_update_post(
            resolution=rec, by=user, narrative="Delayed.", status="in_progress",
            new_due_text=text, due_reason="Because.",
        )  # fmt: skip
    assert row_of(rec) == before


def test_a_stale_update_raises_conflict_and_saves_nothing(rec, user):
    theirs = Resolution.objects.get(pk=rec.pk)
    services.resolution_update_post(
        resolution=theirs, by=user, narrative="Their update.", status="in_progress", rag="amber"
    )
    before, updates = row_of(rec), ResolutionUpdate.objects.count()
    with pytest.raises(ConflictError):
        services.resolution_update_post(
            resolution=rec, by=user, narrative="My update.", status="on_hold", rag="red",
            new_due_text="March 2020", due_reason="Delayed.",
        )  # fmt: skip
    assert row_of(rec) == before
    assert (before["status"], before["rag"], before["due"], before["times_slipped"]) == (
        "in_progress",
        "amber",
        D(2019, 3, 1),
        0,
    )
    assert ResolutionUpdate.objects.count() == updates == 1


def test_updates_are_refused_for_untracked_closed_or_not_accepted_items(meeting, later, rec, user):
    noted = services.resolution_create(meeting=meeting, kind="noted", text="Noted.")
    with refused("kind", "only recommendations and requests for reports are tracked"):
        services.resolution_update_post(
            resolution=noted, by=user, narrative="x", status="in_progress"
        )
    rejected = services.resolution_create(
        meeting=meeting, kind="recommendation", text="Do it.", response="not_accepted",
        response_date="22/03/2018",
    )  # fmt: skip
    with refused("status", "did not accept"):
        services.resolution_update_post(
            resolution=rejected, by=user, narrative="x", status="in_progress"
        )
    complete(rec, user)
    services.resolution_sign_off(resolution=rec, meeting=later)
    with refused("status", "it is closed"):
        services.resolution_update_post(resolution=rec, by=user, narrative="x", status="complete")


# --- sign-off -----------------------------------------------------------------------------------


def test_sign_off_at_a_later_held_meeting_closes_a_complete_item(rec, later, user):
    complete(rec, user)
    services.resolution_sign_off(resolution=rec, meeting=later, note=" Report received. ", by=user)
    saved = row_of(rec)
    assert (saved["signed_off_at_id"], saved["signed_off_note"]) == (later.pk, "Report received.")
    rec.refresh_from_db()
    assert rec.is_signed_off
    assert rec.history.first().history_user == user


def test_sign_off_without_a_meeting_is_refused(rec, user):
    complete(rec, user)
    before = row_of(rec)
    with refused("meeting", "Choose the later meeting"):
        services.resolution_sign_off(resolution=rec, meeting=None)
    assert row_of(rec) == before


def test_sign_off_at_the_same_meeting_or_an_earlier_one_is_refused(rec, meeting, strategy, user):
    complete(rec, user)
    earlier = services.meeting_create(
        strategy=strategy, body=meeting.body, date="30/11/2017", status="held"
    )
    same_day = services.meeting_create(
        strategy=strategy, body=BodyFactory(), date="01/03/2018", status="held"
    )
    before = row_of(rec)
    for when in (meeting, earlier, same_day):
        with refused("meeting", "after the one that made it (1 March 2018)"):
            services.resolution_sign_off(resolution=rec, meeting=when)
    assert row_of(rec) == before


@pytest.mark.parametrize("status", ["scheduled", "postponed", "cancelled"])
def test_sign_off_at_a_meeting_not_held_is_refused(rec, strategy, body, user, status):
    complete(rec, user)
    not_held = services.meeting_create(
        strategy=strategy, body=body, date="10/10/2019", status=status, status_reason="Snow"
    )
    before = row_of(rec)
    with refused("meeting", "has not been held"):
        services.resolution_sign_off(resolution=rec, meeting=not_held)
    assert row_of(rec) == before


@pytest.mark.parametrize("status", ["not_started", "in_progress", "on_hold"])
def test_sign_off_of_an_item_not_complete_is_refused(rec, later, user, status):
    if status != "not_started":
        services.resolution_update_post(resolution=rec, by=user, narrative="x", status=status)
    before = row_of(rec)
    with refused("meeting", "post an update marking it complete"):
        services.resolution_sign_off(resolution=rec, meeting=later)
    assert row_of(rec) == before


def test_sign_off_at_a_meeting_about_another_strategy_is_refused(rec, body, user):
    complete(rec, user)
    elsewhere = MeetingFactory(strategy=StrategyFactory(), body=body, date=D(2019, 10, 10))
    with refused("meeting", "another strategy"):
        services.resolution_sign_off(resolution=rec, meeting=elsewhere)


def test_a_recommendation_not_accepted_can_be_signed_off_without_completion(meeting, later):
    rejected = services.resolution_create(
        meeting=meeting, kind="recommendation", text="Do it.", response="not_accepted",
        response_date="22/03/2018",
    )  # fmt: skip
    services.resolution_sign_off(resolution=rejected, meeting=later)
    assert row_of(rejected)["signed_off_at_id"] == later.pk


def test_sign_off_twice_or_of_an_untracked_item_is_refused(meeting, later, rec, user, strategy):
    complete(rec, user)
    services.resolution_sign_off(resolution=rec, meeting=later)
    again = services.meeting_create(
        strategy=strategy, body=meeting.body, date="01/01/2020", status="held"
    )
    with refused("status", "it is closed"):
        services.resolution_sign_off(resolution=rec, meeting=again)
    assert row_of(rec)["signed_off_at_id"] == later.pk
    noted = services.resolution_create(meeting=meeting, kind="noted", text="Noted.")
    with refused("kind"):
        services.resolution_sign_off(resolution=noted, meeting=later)


def test_a_stale_sign_off_raises_conflict(rec, later, user):
    complete(rec, user)
    services.resolution_edit(
        resolution=Resolution.objects.get(pk=rec.pk), text="Edited.", kind="recommendation"
    )
    before = row_of(rec)
    with pytest.raises(ConflictError):
        services.resolution_sign_off(resolution=rec, meeting=later, expected_revision=2)
    assert row_of(rec) == before and before["signed_off_at_id"] is None


# --- plan actions -------------------------------------------------------------------------------


def test_resolution_action_create_adds_a_plan_action_to_the_current_version(
    rec, strategy, version, theme, user
):
    PlanVersionFactory(strategy=strategy, name="Old plan", is_current=False)
    org = OrganisationFactory()
    rec.organisations.set([org])
    action = services.resolution_action_create(
        resolution=rec, ref="QA9", title="Add RAG columns to the workbook", theme=theme,
        due="Q1 2018/19", by=user,
    )  # fmt: skip
    action = Action.objects.get(pk=action.pk)
    assert action.version == version and action.version.is_current
    assert (action.ref, action.lead_role) == ("QA9", "Change Leader, Adult Social Care")
    assert action.due == D(2018, 6, 30)
    assert list(action.organisations.all()) == [org]
    assert list(rec.actions.all()) == [action]
    assert list(action.resolutions.all()) == [rec]


def test_resolution_action_create_refuses_a_ref_already_used_and_links_nothing(rec, version, theme):
    ActionFactory(version=version, theme=theme, ref="QA9")
    with refused("ref"):
        services.resolution_action_create(resolution=rec, ref="QA9", title="Again", theme=theme)
    assert rec.actions.count() == 0


def test_resolution_edit_links_actions_of_its_strategy_only(rec, version):
    own = ActionFactory(version=version, ref="QA1")
    services.resolution_edit(
        resolution=rec, text=rec.text, kind=rec.kind, lead_role=rec.lead_role, actions=[own]
    )
    assert list(rec.actions.all()) == [own]
    stranger = ActionFactory(version=PlanVersionFactory(), ref="ZZ1")
    before = row_of(rec)
    with refused("actions", "ZZ1"):
        services.resolution_edit(
            resolution=rec, text="New words.", kind=rec.kind, actions=[own, stranger]
        )
    assert row_of(rec) == before
    assert list(Resolution.objects.get(pk=rec.pk).actions.all()) == [own]


# --- requirements on the next report ------------------------------------------------------------


def test_requirement_add_defaults_its_due_to_the_resolutions_and_its_body(rec, meeting):
    req = services.requirement_add(resolution=rec, topic="equalities", text="")
    req.refresh_from_db()
    assert req.due == rec.due == D(2019, 3, 1)
    assert req.body == meeting.body
    assert req.text == "Equalities information"


def test_requirement_add_reads_a_due_text_against_the_meeting(rec):
    other = BodyFactory()
    req = services.requirement_add(
        resolution=rec, topic="rag", text=" RAG ratings ", body=other, due="in 6 months"
    )
    req.refresh_from_db()
    assert (req.due, req.text, req.body) == (D(2018, 9, 1), "RAG ratings", other)


def test_requirement_add_refuses_an_unknown_topic_and_bad_due_dates(rec):
    with refused("topic"):
        services.requirement_add(resolution=rec, topic="gossip", text="x")
    with refused("due", "could not be read"):
        services.requirement_add(resolution=rec, topic="rag", text="x", due="eventually")
    with refused("due", "before the meeting"):
        services.requirement_add(resolution=rec, topic="rag", text="x", due="01/01/2018")
    with refused("due", "1 January 2018", "before the meeting of 1 March 2018"):
        services.requirement_add(resolution=rec, topic="rag", text="x", due=D(2018, 1, 1))


def test_requirement_add_takes_a_due_date_as_a_date(rec):
    req = services.requirement_add(resolution=rec, topic="rag", text="x", due=D(2018, 9, 30))
    assert ReportRequirement.objects.get(pk=req.pk).due == D(2018, 9, 30)


def test_requirement_met_only_at_a_later_meeting(rec, meeting, later):
    req = services.requirement_add(resolution=rec, topic="equalities", text="")
    with refused("meeting", "later meeting"):
        services.requirement_met(requirement=req, meeting=meeting)
    assert ReportRequirement.objects.get(pk=req.pk).met_at is None
    services.requirement_met(requirement=req, meeting=later, note=" Included. ")
    req.refresh_from_db()
    assert (req.met_at, req.met_note) == (later, "Included.")


# --- information requests ----------------------------------------------------------------------


def test_information_request_create_saves_the_question_numbered_in_order(meeting, version, user):
    org = OrganisationFactory()
    own = ActionFactory(version=version, ref="TO1")
    first = services.information_request_create(
        meeting=meeting, asked_by=" Members ", question=" Details of the training offer. ",
        answerer_role="Crossroads", organisations=[org], due_text="in 6 weeks",
        actions=[own], by=user,
    )  # fmt: skip
    second = services.information_request_create(
        meeting=meeting, asked_by="Members", question="Another.", answered_in_meeting=True,
        answer="Answered there.",
    )  # fmt: skip
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert (first.asked_by, first.question) == ("Members", "Details of the training offer.")
    assert (first.due, first.due_text) == (D(2018, 4, 12), "in 6 weeks")
    assert list(first.organisations.all()) == [org]
    assert list(first.actions.all()) == [own]
    assert first.ref == "HSC 2018-03-01 Q1"
    assert not first.is_answered
    assert second.answered_in_meeting and second.answer == "Answered there."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"question": " "}, "question"),
        ({"asked_by": ""}, "asked_by"),
        ({"due_text": "whenever"}, "due_text"),
        ({"due_text": "28/02/2018"}, "due_text"),
    ],
)
def test_information_request_create_refuses_bad_input(meeting, changes, field):
    kwargs = {"asked_by": "Members", "question": "How many?"} | changes
    with refused(field):
        services.information_request_create(meeting=meeting, **kwargs)


@pytest.fixture
def question(meeting):
    return services.information_request_create(
        meeting=meeting, asked_by="Members", question="How many?", due_text="in 6 weeks"
    )


def test_information_request_answer_records_the_answer(question, user):
    services.information_request_answer(
        request=question, answer=" 42 carers. ", answered_on="10/04/2018", by=user
    )
    saved = row_of(question)
    assert (saved["answer"], saved["answered_on"], saved["revision"]) == (
        "42 carers.",
        D(2018, 4, 10),
        2,
    )
    assert question.history.first().history_user == user


def test_an_answer_on_the_day_of_the_meeting_is_allowed(question):
    services.information_request_answer(request=question, answer="Sent.", answered_on=D(2018, 3, 1))
    assert row_of(question)["answered_on"] == D(2018, 3, 1)


@pytest.mark.parametrize(
    ("answer", "answered_on", "field", "words"),
    [
        ("Sent.", "28/02/2018", "answered_on", "before the meeting of 1 March 2018"),
        ("Sent.", "31/02/2018", "answered_on", "not a real date"),
        ("Sent.", "", "answered_on", "Enter the date"),
        ("  ", "10/04/2018", "answer", "Enter the answer"),
    ],
)
def test_information_request_answer_refuses_bad_input(question, answer, answered_on, field, words):
    before = row_of(question)
    with refused(field, words):
        services.information_request_answer(
            request=question, answer=answer, answered_on=answered_on
        )
    assert row_of(question) == before


def test_information_request_answer_refuses_an_answer_dated_in_the_future(question):
    before = row_of(question)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with refused("answered_on", "future"):
        services.information_request_answer(request=question, answer="Sent.", answered_on=tomorrow)
    assert row_of(question) == before


def test_a_stale_answer_raises_conflict_and_saves_nothing(question):
    services.information_request_answer(
        request=InformationRequest.objects.get(pk=question.pk), answer="Theirs.",
        answered_on="10/04/2018",
    )  # fmt: skip
    before = row_of(question)
    with pytest.raises(ConflictError):
        services.information_request_answer(
            request=question, answer="Mine.", answered_on="11/04/2018"
        )
    assert row_of(question) == before and before["answer"] == "Theirs."


# --- the demo ----------------------------------------------------------------------------------

PASSWORD = "a-long-demo-password-for-tests"


def demo(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("demo", *args, password=PASSWORD, stdout=out, **kwargs)
    return out.getvalue()


def governance_counts() -> dict[str, int]:
    return counts() | {"User": UserFactory._meta.model.objects.count()}


@pytest.fixture
def demo_strategy(db):
    demo()
    return Strategy.objects.get(slug="caring-together")


def hsc_meeting(strategy, day):
    return Meeting.objects.get(strategy=strategy, body__name="Health Select Commission", date=day)


def test_demo_loads_the_november_2017_meeting_with_five_illustrative_recommendations(
    demo_strategy,
):
    meeting = hsc_meeting(demo_strategy, D(2017, 11, 30))
    assert (meeting.status, meeting.minute_ref) == ("held", "Minute No. 50")
    resolutions = list(meeting.resolutions.order_by("number"))
    assert [r.number for r in resolutions] == [1, 2, 3, 4, 5]
    assert all(r.is_illustrative for r in resolutions)
    assert [r.kind for r in resolutions] == ["recommendation"] * 4 + ["future_report"]


def test_demo_loads_the_march_2018_resolutions_in_the_minutes_words(demo_strategy):
    meeting = hsc_meeting(demo_strategy, D(2018, 3, 1))
    resolutions = {r.number: r for r in meeting.resolutions.all()}
    assert sorted(resolutions) == [1, 2, 3, 4]
    assert not any(r.is_illustrative for r in resolutions.values())
    assert [resolutions[n].kind for n in (1, 2, 3, 4)] == [
        "noted",
        "endorsed",
        "recommendation",
        "future_report",
    ]
    assert resolutions[1].text == (
        "That the report and presentation be received and their contents noted."
    )
    assert "Caring Together Revised Action Plan January 2018" in resolutions[3].text
    fourth = resolutions[4]
    assert "during the 2018/19 Municipal Year" in fourth.text
    assert fourth.text.startswith("That a further progress report")
    # Due by the end of the 2018/19 municipal year; the demo's updates then move it to October
    # 2019 (a recorded slip) before it is signed off at the October 2019 meeting.
    assert fourth.original_due == D(2019, 4, 30)
    moved = fourth.updates.exclude(new_due=None).get()
    assert (moved.old_due, moved.new_due) == (D(2019, 4, 30), D(2019, 10, 31))
    assert (fourth.due, fourth.times_slipped) == (D(2019, 10, 31), 1)
    assert fourth.signed_off_at.date == D(2019, 10, 10)


def test_demo_loads_the_later_meeting_with_an_equalities_requirement(demo_strategy):
    meeting = hsc_meeting(demo_strategy, D(2021, 7, 8))
    resolutions = list(meeting.resolutions.order_by("number"))
    assert [r.number for r in resolutions] == [1, 2]
    thanks, update = resolutions
    assert thanks.text.startswith("That thanks be recorded")
    assert not thanks.requirements.exists()
    assert "equalities information" in update.text
    assert update.due == D(2022, 7, 8)
    requirement = update.requirements.get()
    assert requirement.topic == "equalities"
    assert requirement.body == meeting.body
    assert requirement.due == update.due


def test_demo_loads_the_young_carers_council_meeting_postponed_for_weather(demo_strategy):
    meeting = Meeting.objects.get(
        strategy=demo_strategy, body__name="Young Carers Council", date=D(2018, 3, 1)
    )
    assert (meeting.status, meeting.status_reason) == ("postponed", "Inclement weather")
    assert not meeting.resolutions.exists()


def test_running_the_demo_again_duplicates_nothing(demo_strategy):
    before = governance_counts()
    assert before["Meeting"] == 6 and before["Resolution"] == 11  # 5 from the seeds, 1 next
    out = demo()
    assert "Already loaded" in out
    assert governance_counts() == before


def test_the_demo_reset_reloads_the_scrutiny_record(demo_strategy):
    before = governance_counts()
    meeting = hsc_meeting(demo_strategy, D(2021, 7, 8))
    ReportRequirement.objects.filter(resolution__meeting=meeting).delete()
    Resolution.objects.filter(meeting=meeting, number=1).update(text="Tampered with.")
    old_meetings = set(Meeting.objects.values_list("pk", flat=True))
    out = demo(reset=True)
    assert out.startswith("Loaded:")
    assert governance_counts() == before
    strategy = Strategy.objects.get(slug="caring-together")
    meeting = hsc_meeting(strategy, D(2021, 7, 8))
    assert meeting.pk not in old_meetings
    assert meeting.resolutions.get(number=1).text.startswith("That thanks be recorded")
    assert ReportRequirement.objects.filter(resolution__meeting=meeting).count() == 1
    assert Body.objects.filter(name="Health Select Commission").count() == 1


# --- refusals added after review ----------------------------------------------------------------


def test_a_requirement_is_met_only_by_a_report_to_a_later_meeting_of_the_same_strategy(
    rec, body, later
):
    requirement = services.requirement_add(resolution=rec, topic="equalities", text="Equalities")
    off = services.meeting_create(
        strategy=rec.strategy, body=body, date="14/01/2099", status="scheduled"
    )
    services.meeting_edit(meeting=off, status="cancelled", status_reason="No business")
    with pytest.raises(ValidationError) as info:
        services.requirement_met(requirement=requirement, meeting=off)
    assert "was cancelled: no report went to it" in info.value.message_dict["meeting"][0]
    other = services.meeting_create(
        strategy=StrategyFactory(), body=body, date="10/10/2019", status="held"
    )
    with pytest.raises(ValidationError) as info:
        services.requirement_met(requirement=requirement, meeting=other)
    assert "another strategy" in info.value.message_dict["meeting"][0]
    requirement.refresh_from_db()
    assert requirement.met_at is None
    services.requirement_met(requirement=requirement, meeting=later, note="Section 4.")
    requirement.refresh_from_db()
    assert requirement.met_at == later


def test_a_report_to_a_scheduled_meeting_meets_a_requirement_until_the_meeting_is_called_off(
    rec, body
):
    requirement = services.requirement_add(resolution=rec, topic="equalities", text="Equalities")
    next_one = services.meeting_create(
        strategy=rec.strategy, body=body, date="14/01/2099", status="scheduled"
    )
    services.requirement_met(requirement=requirement, meeting=next_one, note="Section 9.")
    requirement.refresh_from_db()
    assert (requirement.met_at, requirement.met_note) == (next_one, "Section 9.")
    services.meeting_edit(meeting=next_one, status="postponed", status_reason="Snow")
    requirement.refresh_from_db()
    assert (requirement.met_at, requirement.met_note) == (None, "")


def test_a_question_linked_to_another_strategys_action_is_refused(meeting):
    stranger = ActionFactory()
    with refused("actions", stranger.ref, "another strategy"):
        services.information_request_create(
            meeting=meeting, asked_by="Members", question="How?", actions=[stranger]
        )
