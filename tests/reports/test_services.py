"""Preparing, issuing and freezing the report pack on the demo (caring.reports.services)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from caring.accounts.models import User
from caring.carers.models import Carer, CarerSource
from caring.governance import services as governance
from caring.governance.models import Meeting, ReportRequirement
from caring.plans.models import Action, Strategy
from caring.plans.services import ConflictError
from caring.plans.services.actions import action_update_post
from caring.plans.services.evidence import EvidenceInput
from caring.reports import selectors, services
from caring.reports.models import FORMATS, FrozenError, IssuedFile, IssuedReport
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db

SLUG = "caring-together"


@pytest.fixture
def demo(db):
    call_command("demo", password="demo-password-1", stdout=io.StringIO())
    return Strategy.objects.get(slug=SLUG)


@pytest.fixture
def lead(demo):
    return User.objects.get(username="lead")


@pytest.fixture
def next_meeting(demo):
    return selectors.default_meeting(strategy=demo, today=timezone.localdate())


def live(ref: str) -> Action:
    return Action.objects.get(version__strategy__slug=SLUG, version__is_current=True, ref=ref)


def rate_red(ref: str, by) -> None:
    action = live(ref)
    action_update_post(action=action, by=by, narrative=f"{ref} has stalled.", status="in_progress",
                       rag="red", rag_rationale="The partner withdrew.")  # fmt: skip


def test_the_default_report_is_for_the_next_scheduled_meeting_of_the_scrutiny_committee(
    demo, next_meeting
):
    assert next_meeting is not None and next_meeting.status == "scheduled"
    assert next_meeting.body.name == "Health Select Commission"
    draft = services.report_prepare(strategy=demo)
    report = draft.report
    assert draft.meeting == next_meeting
    assert report.committee == "Health Select Commission"
    assert report.meeting_date == next_meeting.date
    assert report.total == live("YC7").version.actions.filter(retired_at__isnull=True).count()
    assert report.changes.since is None  # nothing issued yet
    # The 2021 meeting asked for equalities information: the carers' Equalities section gives it
    assert not report.warnings
    assert [r.how for r in report.requirements if r.topic == "equalities"] == [
        "the section 'Equalities' covers it."
    ]
    Carer.objects.filter(
        strategy__slug="caring-together"
    ).delete()  # without carers' records, it is not met
    CarerSource.objects.filter(strategy__slug="caring-together").delete()
    report = services.report_prepare(strategy=demo).report
    assert len(report.warnings) == 1 and "Equalities information" in report.warnings[0]


def test_a_meeting_of_another_strategy_or_one_called_off_is_refused(demo, next_meeting, lead):
    other = StrategyFactory()
    with pytest.raises(ValidationError) as info:
        services.report_prepare(strategy=other, meeting=next_meeting)
    assert "not about this strategy" in info.value.message_dict["meeting"][0]
    governance.meeting_edit(meeting=next_meeting, status="postponed", status_reason="Snow", by=lead)
    with pytest.raises(ValidationError) as info:
        services.report_prepare(strategy=demo, meeting=next_meeting)
    assert "was postponed (Snow)" in info.value.message_dict["meeting"][0]


def test_an_as_of_date_in_the_future_or_before_the_plan_existed_is_refused(demo):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        services.report_prepare(strategy=demo, as_of=today + dt.timedelta(days=1))
    assert "in the future" in info.value.message_dict["as_of"][0]
    with pytest.raises(ValidationError) as info:
        services.report_prepare(strategy=demo, as_of=dt.date(2000, 1, 1))
    assert "did not exist" in info.value.message_dict["as_of"][0]


def test_as_of_today_is_the_plan_as_it_stands(demo, lead):
    rate_red("YC7", lead)
    for as_of in (None, timezone.localdate()):
        report = services.report_prepare(strategy=demo, as_of=as_of).report
        assert report.red_refs == ("YC7",) and report.as_of == timezone.localdate()


def test_issuing_freezes_the_snapshot_and_every_format(demo, next_meeting, lead):
    issued = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    files = {f.format: f for f in issued.files.all()}
    assert set(files) == set(FORMATS)
    for f in files.values():
        content = bytes(f.content)
        assert f.size == len(content) > 0
        assert f.sha256 == hashlib.sha256(content).hexdigest()
    assert bytes(files["pdf"].content).startswith(b"%PDF")
    for fmt in ("docx", "pptx", "xlsx"):
        assert bytes(files[fmt].content).startswith(b"PK")
    assert issued.snapshot["actions"] and issued.issued_by == lead
    assert issued.meeting == next_meeting and issued.previous is None

    with pytest.raises(FrozenError):
        issued.title = "Changed"
        issued.save()
    with pytest.raises(FrozenError):
        IssuedReport.objects.filter(pk=issued.pk).update(title="Changed")
    with pytest.raises(FrozenError):
        IssuedReport.objects.filter(pk=issued.pk).delete()
    with pytest.raises(FrozenError):
        issued.delete()
    with pytest.raises(FrozenError):
        IssuedFile.objects.filter(report=issued).update(content=b"")
    with pytest.raises(FrozenError):
        files["pdf"].delete()
    assert IssuedReport.objects.get(pk=issued.pk).title != "Changed"


def test_later_edits_never_change_an_issued_report_and_the_next_one_shows_what_changed(
    demo, next_meeting, lead
):
    issued = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    before = {f.format: bytes(f.content) for f in issued.files.all()}
    snapshot = IssuedReport.objects.get(pk=issued.pk).snapshot

    rate_red("YC7", lead)
    open_one = live("YC8")
    action_update_post(
        action=open_one, by=lead, narrative="Done.", status="complete", rag="blue",
        evidence=[EvidenceInput(kind="text", title="Survey results", text="Published")],
    )  # fmt: skip
    later = governance.meeting_create(
        strategy=demo, body=next_meeting.body, date=next_meeting.date + dt.timedelta(days=91),
        status="scheduled", by=lead,
    )  # fmt: skip

    again = IssuedReport.objects.get(pk=issued.pk)
    assert again.snapshot == snapshot
    assert {f.format: bytes(f.content) for f in again.files.all()} == before

    report = services.report_prepare(strategy=demo, meeting=later).report
    assert report.changes.since and "for the meeting of the Health Select Commission" in (
        report.changes.since
    )
    assert [c.action.ref for c in report.changes.newly_red] == ["YC7"]
    assert [c.action.ref for c in report.changes.completed] == ["YC8"]
    # The frozen report rebuilt for its page still says what it said.
    frozen = services.issued_content(again)
    assert "YC7" not in frozen.red_refs and frozen.title == report.title


def test_issuing_meets_the_committees_requirement_when_the_narrative_says_how(
    demo, next_meeting, lead
):
    [requirement] = selectors.requirements_for(strategy=demo, meeting=next_meeting)
    services.narrative_save(
        strategy=demo, meeting=next_meeting, by=lead, expected_revision=None,
        summary="Good progress.", recommendations="That the Commission notes the report.\n\n",
        addressed={requirement.pk: "Appendix B gives carers known by age, sex and ethnicity."},
    )  # fmt: skip
    draft = services.report_prepare(strategy=demo, meeting=next_meeting)
    assert draft.report.warnings == ()
    assert draft.report.narrative.recommendations == ("That the Commission notes the report.",)
    issued = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    requirement.refresh_from_db()
    assert requirement.met_at == next_meeting
    assert requirement.met_note.startswith("Appendix B")
    assert issued.requirements[0]["met"] is True
    later = governance.meeting_create(
        strategy=demo, body=next_meeting.body, date=next_meeting.date + dt.timedelta(days=91),
        status="scheduled", by=lead,
    )  # fmt: skip
    assert selectors.requirements_for(strategy=demo, meeting=later) == []
    assert ReportRequirement.objects.filter(met_at__isnull=True).count() == 0


def test_issuing_needs_a_meeting_and_a_usable_template(demo, lead):
    with pytest.raises(ValidationError) as info:
        services.report_issue(strategy=demo, meeting=None, by=lead)
    assert "issued for a meeting" in info.value.message_dict["meeting"][0]
    meeting = selectors.default_meeting(strategy=demo, today=timezone.localdate())
    with pytest.raises(ValidationError) as info:
        services.report_issue(strategy=demo, meeting=meeting, by=lead, template=b"not a docx")
    assert info.value.message_dict["template"]
    assert IssuedReport.objects.count() == 0


def test_a_stale_narrative_edit_is_refused_and_saves_nothing(demo, next_meeting, lead):
    first = services.narrative_save(strategy=demo, meeting=next_meeting, by=lead,
                                    expected_revision=None, summary="One.")  # fmt: skip
    services.narrative_save(strategy=demo, meeting=next_meeting, by=lead,
                            expected_revision=first.revision, summary="Two.")  # fmt: skip
    with pytest.raises(ConflictError):
        services.narrative_save(strategy=demo, meeting=next_meeting, by=lead,
                                expected_revision=first.revision, summary="Three.")  # fmt: skip
    saved = selectors.narrative_for(strategy=demo, meeting=next_meeting)
    assert (saved.summary, saved.revision) == ("Two.", first.revision + 1)
    with pytest.raises(ValidationError) as info:
        services.narrative_save(
            strategy=demo,
            meeting=next_meeting,
            by=lead,
            expected_revision=saved.revision,
            author_role="R" * 201,
        )
    assert "at most 200" in info.value.message_dict["author_role"][0]


def test_resetting_the_demo_removes_its_issued_reports(demo, next_meeting, lead):
    first = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    second = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    assert second.previous is None or second.previous == first
    call_command("demo", password="demo-password-1", reset=True, stdout=io.StringIO())
    assert IssuedReport.objects.count() == 0 and IssuedFile.objects.count() == 0
    assert Meeting.objects.filter(strategy__slug=SLUG, status="scheduled").count() == 1


def test_issued_reports_of_real_strategies_are_never_deleted(lead, demo):
    real = StrategyFactory(is_illustrative=False)
    with pytest.raises(ValidationError):
        services.demo_reports_delete(real)


def test_a_narrative_needs_a_meeting(demo, lead):
    with pytest.raises(ValidationError) as info:
        services.narrative_save(strategy=demo, meeting=None, by=lead, expected_revision=None,
                                summary="Orphan.")  # fmt: skip
    assert "add the meeting first" in info.value.message_dict["meeting"][0]


def test_once_its_report_is_issued_the_next_report_is_for_the_meeting_after(
    demo, next_meeting, lead
):
    services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    rate_red("YC7", lead)
    draft = services.report_prepare(strategy=demo)
    assert draft.meeting is None  # the meeting after is not scheduled yet
    assert "not yet scheduled" in draft.report.meeting_label
    assert [c.action.ref for c in draft.report.changes.newly_red] == ["YC7"]
    later = governance.meeting_create(
        strategy=demo, body=next_meeting.body, date=next_meeting.date + dt.timedelta(days=91),
        status="scheduled", by=lead,
    )  # fmt: skip
    assert services.report_prepare(strategy=demo).meeting == later
    # Choosing the issued meeting again prepares a corrected report for it.
    assert services.report_prepare(strategy=demo, meeting=next_meeting).meeting == next_meeting
