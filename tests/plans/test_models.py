"""The database's own constraints: the last line of defence when the services are bypassed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from caring.plans.models import DueDateChange, Evidence, Outcome, PlanVersion, Theme
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    OutcomeFactory,
    PlanVersionFactory,
    StrategyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_ref_is_unique_within_a_version(version):
    ActionFactory(version=version, ref="YC1")
    refused_by_database(lambda: ActionFactory(version=version, ref="YC1"))


def test_the_same_ref_may_be_used_in_another_version(version, strategy):
    ActionFactory(version=version, ref="YC1")
    other = PlanVersionFactory(strategy=strategy, is_current=False)
    assert ActionFactory(version=other, ref="YC1").pk


def test_due_may_not_be_before_commenced(version):
    def make():
        ActionFactory(version=version, commenced=dt.date(2018, 6, 1), due=dt.date(2018, 5, 31))

    refused_by_database(make)


def test_due_on_the_day_commenced_is_allowed(version):
    day = dt.date(2018, 6, 1)
    assert ActionFactory(version=version, commenced=day, due=day).pk


def test_only_one_current_version_per_strategy(strategy, version):
    refused_by_database(lambda: PlanVersionFactory(strategy=strategy, is_current=True))
    PlanVersionFactory(strategy=strategy, is_current=False)
    PlanVersionFactory(strategy=StrategyFactory(), is_current=True)
    assert PlanVersion.objects.filter(is_current=True).count() == 2


def test_version_names_are_unique_within_a_strategy(strategy, version):
    refused_by_database(
        lambda: PlanVersionFactory(strategy=strategy, name=version.name, is_current=False)
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "text", "text": ""},
        {"kind": "link", "url": ""},
        {"kind": "file", "file": ""},
        {"kind": "text", "url": "https://example.org/only-a-link"},
        {"kind": "video", "text": "Not a kind of evidence."},
    ],
    ids=["empty-note", "empty-link", "no-file", "note-without-text", "unknown-kind"],
)
def test_evidence_must_have_content_of_its_kind(version, fields):
    action = ActionFactory(version=version)
    refused_by_database(lambda: Evidence.objects.create(action=action, title="Minutes", **fields))


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "text", "text": "Agreed at the Delivery Group."},
        {"kind": "link", "url": "https://example.org/pack"},
        {"kind": "file", "file": "evidence/2018/05/minutes.pdf"},
    ],
)
def test_evidence_with_content_is_accepted(version, fields):
    action = ActionFactory(version=version)
    assert Evidence.objects.create(action=action, title="Minutes", **fields).pk


def test_a_due_date_change_needs_a_reason(version):
    action = ActionFactory(version=version)
    refused_by_database(
        lambda: DueDateChange.objects.create(
            action=action, old_due=dt.date(2018, 12, 31), new_due=dt.date(2019, 3, 31), reason=""
        )
    )
    assert DueDateChange.objects.create(action=action, reason="Waiting for data.").pk


@pytest.mark.parametrize(
    ("field", "value"), [("status", "finished"), ("status", ""), ("rag", "purple"), ("rag", "RED")]
)
def test_status_and_rag_must_be_known_values(version, field, value):
    refused_by_database(lambda: ActionFactory(version=version, **{field: value}))


def test_not_yet_rated_is_a_valid_rag(version):
    assert ActionFactory(version=version, rag="").pk


@pytest.mark.parametrize("field", ["budget", "spend"])
def test_money_may_not_be_negative(version, field):
    refused_by_database(lambda: ActionFactory(version=version, **{field: Decimal("-1.00")}))


def test_a_strategy_may_not_end_before_it_starts():
    refused_by_database(
        lambda: StrategyFactory(period_start=dt.date(2021, 4, 1), period_end=dt.date(2016, 3, 31))
    )


def test_outcome_numbers_are_unique_within_a_strategy(strategy):
    OutcomeFactory(strategy=strategy, number=1)
    refused_by_database(lambda: Outcome.objects.create(strategy=strategy, number=1, title="Again"))
    assert OutcomeFactory(strategy=StrategyFactory(), number=1).pk


@pytest.mark.parametrize("clash", [{"number": 2, "prefix": "ZZ"}, {"number": 7, "prefix": "YC"}])
def test_theme_number_and_prefix_are_unique_within_a_version(theme, version, clash):
    refused_by_database(lambda: Theme.objects.create(version=version, name="Clash", **clash))


def test_theme_prefix_may_repeat_in_another_version(theme, strategy):
    other = PlanVersionFactory(strategy=strategy, is_current=False)
    assert ThemeFactory(version=other, number=theme.number, prefix=theme.prefix).pk


def test_one_membership_per_person_and_organisation():
    membership = MembershipFactory(role="viewer")
    refused_by_database(
        lambda: MembershipFactory(
            user=membership.user, organisation=membership.organisation, role="action_owner"
        )
    )


def test_membership_role_must_be_known():
    refused_by_database(lambda: MembershipFactory(role="emperor"))
