"""The JSON export's scrutiny keys, from the demo: the contract's keys, the seeds' facts."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from caring.governance.export import (
    GOVERNANCE_KEYS,
    INFORMATION_REQUEST_KEYS,
    MEETING_KEYS,
    RECOMMENDATION_KEYS,
)
from caring.plans.export import TOP_LEVEL_KEYS, plan_export
from caring.plans.models import Strategy

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def data(db):
    call_command("demo", password="a-long-demo-password", stdout=io.StringIO())
    return plan_export(strategy=Strategy.objects.get(slug="caring-together"), today=TODAY)


def test_the_export_has_exactly_the_documented_keys(data):
    assert tuple(data) == TOP_LEVEL_KEYS
    assert set(GOVERNANCE_KEYS) <= set(data)
    assert all(tuple(m) == MEETING_KEYS for m in data["meetings"])
    assert all(tuple(r) == RECOMMENDATION_KEYS for r in data["recommendations"])
    assert all(tuple(q) == INFORMATION_REQUEST_KEYS for q in data["information_requests"])
    json.dumps(data)


def test_meetings_are_the_seeds_meetings_oldest_first(data):
    meetings = [(m["body"], m["date"], m["status"]) for m in data["meetings"]]
    assert meetings[:3] == [
        ("Health Select Commission", "2017-11-30", "held"),
        ("Health Select Commission", "2018-03-01", "held"),
        ("Young Carers Council", "2018-03-01", "postponed"),
    ]
    march = data["meetings"][1]
    assert [(r["number"], r["kind"]) for r in march["resolutions"]] == [
        (1, "noted"), (2, "endorsed"), (3, "recommendation"), (4, "future_report"),
    ]  # fmt: skip
    assert data["meetings"][2]["status_reason"] == "Inclement weather"


def test_each_recommendation_carries_its_ref_meeting_response_status_flags_due_and_actions(data):
    by_ref = {r["ref"]: r for r in data["recommendations"]}
    gp = by_ref["HSC 2017-11-30/2"]
    assert gp["meeting"] == "2017-11-30" and gp["illustrative"] is True
    assert gp["response"] == "accepted" and gp["response_date"] == "2018-01-22"
    assert gp["status"] == "in_progress" and gp["rag"] == "amber"
    assert gp["due"] == "2019-03-31" and gp["original_due"] == "2018-11-30"
    assert gp["times_slipped"] == 1
    assert {"overdue", "slipped"} <= set(gp["flags"])
    assert gp["actions"] == ["UC1"]
    report = by_ref["HSC 2018-03-01/4"]
    assert report["status"] == "signed_off"
    assert report["signed_off"]["meeting"] == "2019-10-10"
    assert report["flags"] == [] and report["response"] is None
    workbook = by_ref["HSC 2018-03-01/3"]
    assert workbook["response"] is None
    assert "awaiting-response" in workbook["flags"]
    assert "awaiting-sign-off" in workbook["flags"]


def test_the_equalities_requirement_and_the_young_carers_question_are_exported(data):
    (requirement,) = data["report_requirements"]
    assert requirement["topic"] == "equalities" and requirement["met_at"] is None
    assert requirement["due"] == "2022-07-08"
    young = [q for q in data["information_requests"] if q["question"] == "More about young carers."]
    assert young[0]["offered_outside_meeting"] is True
    assert young[0]["answered_on"] is None and young[0]["flags"] == ["no-due-date"]


def test_people_appear_only_by_role(data):
    text = json.dumps(data["recommendations"] + data["information_requests"])
    for username in ("lead", "admin", "owner"):
        assert f': "{username}"' not in text  # as a value, not the key "lead"


def test_the_scrutiny_export_makes_the_same_queries_however_many_items(data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caring.governance import services
    from caring.governance.export import governance_export
    from caring.governance.models import Meeting

    strategy = Strategy.objects.get(slug="caring-together")
    with CaptureQueriesContext(connection) as few:
        before = governance_export(strategy=strategy, today=TODAY)
    later = Meeting.objects.get(strategy=strategy, date="2021-07-08")
    for n in range(6):
        item = services.resolution_create(
            meeting=later,
            kind="recommendation",
            text=f"Recommendation {n}.",
            due_text="in 6 months",
        )
        services.resolution_update_post(
            resolution=item, by=None, narrative="Begun.", status="in_progress"
        )
        services.information_request_create(meeting=later, asked_by="Members", question=f"Q{n}?")
    with CaptureQueriesContext(connection) as many:
        after = governance_export(strategy=strategy, today=TODAY)
    assert len(after["recommendations"]) == len(before["recommendations"]) + 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 16
