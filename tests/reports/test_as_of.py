"""The plan as it was at a past moment, rebuilt from history, equals the export taken then."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caring.accounts.models import Organisation, User
from caring.governance import services as scrutiny
from caring.governance.models import InformationRequest, Meeting, ReportRequirement, Resolution
from caring.plans import services
from caring.plans.export import ACTION_KEYS, TOP_LEVEL_KEYS, plan_export
from caring.plans.models import Action, Strategy
from caring.plans.selectors import version_current
from caring.reports.as_of import AsOfError, plan_export_as_of
from tests.factories import (
    OrganisationFactory,
    OutcomeFactory,
    PlanVersionFactory,
    StrategyFactory,
    ThemeFactory,
    UserFactory,
    text_evidence,
)
from tests.governance.factories import BodyFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)  # flags and suggested ratings judged on one day throughout


def now() -> dt.datetime:
    """The moment between two steps: history dates before it are earlier steps, after it later."""
    time.sleep(0.002)
    moment = timezone.now()
    time.sleep(0.002)
    return moment


def export(strategy: Strategy) -> dict:
    return plan_export(strategy=Strategy.objects.get(pk=strategy.pk), today=TODAY)


def as_of(strategy: Strategy, moment: dt.datetime) -> dict:
    return plan_export_as_of(strategy=strategy, moment=moment, today=TODAY)


@pytest.fixture
def demo(db):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    return Strategy.objects.get(slug="caring-together")


def action(strategy: Strategy, ref: str) -> Action:
    return version_current(strategy=strategy).actions.get(ref=ref)


def edit(item: Action, by, **changes) -> Action:
    """``action_edit`` with the action's own details, changed by ``changes``."""
    kwargs = dict(
        action=item, by=by, expected_revision=item.revision, title=item.title,
        description=item.description, theme=item.theme, outcomes=list(item.outcomes.all()),
        lead_role=item.lead_role, lead_person=item.lead_person,
        organisations=list(item.organisations.all()), commenced=item.commenced_text,
        ongoing=item.ongoing, budget=item.budget, spend=item.spend,
    )  # fmt: skip
    kwargs.update(changes)
    return services.action_edit(**kwargs)


def test_the_plan_as_at_each_past_moment_is_the_export_taken_at_that_moment(demo):
    lead, owner = User.objects.get(username="lead"), User.objects.get(username="owner")
    asc = Organisation.objects.get(short_name="ASC")
    taken = [(now(), export(demo))]

    def step():
        taken.append((now(), export(demo)))

    open_refs = [
        a.ref
        for a in version_current(strategy=demo).actions.filter(status="in_progress", ongoing=False)
    ]
    services.action_update_post(
        action=action(demo, open_refs[0]), by=owner, narrative="The partner withdrew.",
        status="on_hold", rag="red", rag_rationale="No partner.",
    )  # fmt: skip
    step()
    services.action_update_post(
        action=action(demo, open_refs[1]), by=owner, narrative="Done.", status="complete",
        rag="blue", evidence=[text_evidence("Minutes of the Delivery Group")],
    )  # fmt: skip
    step()
    services.action_due_change(
        action=action(demo, open_refs[2]), new_due="March 2031", reason="Funding is late.",
        by=lead,
    )  # fmt: skip
    step()
    edit(action(demo, open_refs[3]), lead, title="A new title", organisations=[asc])
    step()
    theme = version_current(strategy=demo).themes.get(prefix="TO")
    services.action_create(
        version=version_current(strategy=demo), ref="TO9", title="Train more staff",
        theme=theme, organisations=[asc], lead_role="Workforce Lead", due="Q4 2030/31", by=lead,
    )  # fmt: skip
    step()
    services.action_retire(action=action(demo, "QA2"), reason="Merged into QA1.", by=lead)
    step()
    recommendation = Resolution.objects.get(strategy=demo, ref="HSC 2018-03-01/3")
    scrutiny.resolution_respond(
        resolution=recommendation, response="accepted", response_date=dt.date(2019, 1, 7),
        response_text="Agreed.", by=lead,
    )  # fmt: skip
    step()
    scrutiny.resolution_update_post(
        resolution=Resolution.objects.get(strategy=demo, ref="HSC 2017-11-30/2"), by=lead,
        narrative="Later than hoped.", status="in_progress", rag="red",
        new_due_text="31/03/2031", due_reason="The GP contract was renegotiated.",
    )  # fmt: skip
    step()
    question = InformationRequest.objects.filter(strategy=demo, answered_on__isnull=True).first()
    scrutiny.information_request_answer(
        request=question, answer="Two hundred.", answered_on=TODAY - dt.timedelta(days=800),
        by=lead,
    )  # fmt: skip
    step()
    lead.job_title = "Director of Adult Care"  # as the admin site changes them
    lead.save()
    asc.name = "Rotherham Council Adult Care and Housing"
    asc.save()
    step()
    services.theme_edit(theme=theme, name="The Workforce", prefix="WF", by=lead)
    step()
    requirement = ReportRequirement.objects.get(resolution__strategy=demo)
    later = scrutiny.meeting_create(
        strategy=demo, body=requirement.body, date="21/01/2027", by=lead
    )
    scrutiny.requirement_met(requirement=requirement, meeting=later, note="Section 4.")
    step()
    scrutiny.meeting_edit(meeting=later, status="postponed", status_reason="Purdah", by=lead)
    step()
    services.plan_version_refresh(
        version=version_current(strategy=demo), name="Refreshed Plan 2026",
        reason="The annual refresh.", retire={"QA1": "Done in another way."}, by=lead,
    )  # fmt: skip
    step()
    services.action_update_post(
        action=action(demo, open_refs[4]), by=owner, narrative="Carried on.", status="on_hold",
        rag="amber",
    )  # fmt: skip
    step()

    for earlier, later_one in zip(taken, taken[1:], strict=False):
        assert earlier[1] != later_one[1]  # every step changed the export
    assert taken[0][1]["version"] != taken[-1][1]["version"]
    for moment, expected in taken:
        assert as_of(demo, moment) == expected


def test_the_first_snapshot_shows_what_later_changed(demo):
    lead = User.objects.get(username="lead")
    moment = now()
    before = export(demo)
    item = action(demo, "YC7")
    title = item.title
    edit(item, lead, title="Count young carers again")
    services.action_retire(action=action(demo, "CS1"), reason="Done.", by=lead)
    past = as_of(demo, moment)
    assert past == before
    by_ref = {a["ref"]: a for a in past["actions"]}
    assert "CS1" in by_ref and by_ref["YC7"]["title"] == title
    assert "CS1" not in {a["ref"] for a in export(demo)["actions"]}
    assert tuple(past) == TOP_LEVEL_KEYS
    assert all(tuple(a) == ACTION_KEYS for a in past["actions"])


def test_as_of_now_is_the_export_now(demo):
    assert as_of(demo, now()) == export(demo)


def test_flags_are_judged_on_the_moments_day_unless_today_is_given(demo):
    moment = now()
    past = plan_export_as_of(strategy=demo, moment=moment)
    assert past["generated"] == timezone.localdate(moment).isoformat()
    assert past == plan_export(strategy=demo)


def test_a_moment_before_the_plan_existed_is_refused(demo):
    moment = timezone.make_aware(dt.datetime(2017, 1, 3, 12, 0))
    with pytest.raises(AsOfError) as refused:
        as_of(demo, moment)
    assert isinstance(refused.value, ValueError)
    first = timezone.localdate(demo.versions.get().history.earliest().history_date)
    assert str(refused.value) == (
        f"The plan did not exist on 3 January 2017: it was first recorded on "
        f"{first.day} {first:%B} {first.year}."
    )


def test_a_strategy_with_no_plan_yet_at_the_moment_is_refused_with_the_time():
    strategy = StrategyFactory()
    moment = now()
    PlanVersionFactory(strategy=strategy)
    with pytest.raises(AsOfError, match=r"did not exist on .* at \d\d:\d\d:\d\d: it was first"):
        as_of(strategy, moment)
    assert as_of(strategy, now())["actions"] == []


def test_a_naive_moment_is_refused(demo):
    with pytest.raises(ValueError, match="aware"):
        plan_export_as_of(strategy=demo, moment=dt.datetime(2020, 1, 1))


def test_a_requirement_met_at_a_meeting_later_postponed_is_outstanding_again():
    lead = UserFactory()
    strategy = StrategyFactory()
    PlanVersionFactory(strategy=strategy)
    body = BodyFactory()
    asked = scrutiny.meeting_create(strategy=strategy, body=body, date="1/3/2018", status="held")
    resolution = scrutiny.resolution_create(
        meeting=asked, text="That the next report include equalities data.", kind="future_report"
    )
    requirement = scrutiny.requirement_add(resolution=resolution, topic="equalities", text="")
    later = scrutiny.meeting_create(strategy=strategy, body=body, date="5/7/2018", status="held")
    unmet = now()
    scrutiny.requirement_met(requirement=requirement, meeting=later)
    met = now()
    scrutiny.meeting_edit(meeting=later, status="cancelled", status_reason="Not quorate", by=lead)
    cancelled = now()
    scrutiny.meeting_edit(meeting=later, status="held", by=lead)  # the cancellation undone
    restored = now()

    def met_at(moment):
        return as_of(strategy, moment)["report_requirements"][0]["met_at"]

    assert [met_at(m) for m in (unmet, met, cancelled, restored)] == [
        None, "2018-07-05", None, None,
    ]  # fmt: skip
    assert as_of(strategy, restored) == export(strategy)
    assert Meeting.objects.get(pk=later.pk).status == "held"


def plan_of(size: int):
    """A plan of ``size`` actions, each with updates, evidence, a slip and organisations, and a
    meeting whose recommendations and questions link to them."""
    lead = UserFactory()
    strategy = StrategyFactory()
    version = PlanVersionFactory(strategy=strategy)
    themes = [ThemeFactory(version=version, number=n, prefix=p) for n, p in ((1, "CS"), (2, "YC"))]
    outcomes = [OutcomeFactory(strategy=strategy, number=n) for n in (1, 2)]
    meeting = scrutiny.meeting_create(
        strategy=strategy, body=BodyFactory(), date="1/3/2018", status="held"
    )
    scrutiny.body_member_add(body=meeting.body, role="Chair", organisation=OrganisationFactory())
    scrutiny.agenda_item_add(meeting=meeting, title="Carers Strategy", presenters=["Lead"])
    for n in range(size):
        item = services.action_create(
            version=version, ref=f"{'CY'[n % 2]}{n}", title=f"Action {n}", theme=themes[n % 2],
            outcomes=outcomes[: n % 2 + 1], organisations=OrganisationFactory.create_batch(2),
            lead_person=lead, due="31/03/2019", status="in_progress", by=lead,
        )  # fmt: skip
        services.action_update_post(
            action=item, by=lead, narrative="Going well.", status="in_progress", rag="green",
            evidence=[text_evidence()], new_due="31/03/2020", due_reason="Later.",
        )  # fmt: skip
        resolution = scrutiny.resolution_create(
            meeting=meeting, text=f"That action {n} be done.", kind="recommendation",
            organisations=[OrganisationFactory()], actions=[item], due_text="31/03/2019",
        )  # fmt: skip
        scrutiny.resolution_update_post(
            resolution=resolution, by=lead, narrative="Started.", status="in_progress"
        )
        scrutiny.requirement_add(resolution=resolution, topic="rag", text="")
        scrutiny.information_request_create(
            meeting=meeting, asked_by="Members", question=f"How is action {n}?",
            organisations=[OrganisationFactory()], actions=[item],
        )  # fmt: skip
    return strategy


MOST_QUERIES = 28  # 25 here; + a met requirement, + rows with no history (users, organisations)


def test_the_number_of_queries_does_not_grow_with_the_plan(
    django_assert_max_num_queries, django_assert_num_queries
):
    small, large = plan_of(2), plan_of(12)
    moment = now()
    with django_assert_max_num_queries(MOST_QUERIES):
        few = as_of(small, moment)
    with CaptureQueriesContext(connection) as counted:
        as_of(small, moment)
    with django_assert_max_num_queries(MOST_QUERIES):
        many = as_of(large, moment)
    with django_assert_num_queries(len(counted.captured_queries)):
        as_of(large, moment)
    assert (len(few["actions"]), len(many["actions"])) == (2, 12)
    assert len(many["recommendations"]) == len(many["information_requests"]) == 12
    assert (few, many) == (export(small), export(large))
