"""Selectors behind the pages: an organisation's actions, needing an update first."""

import datetime as dt

import pytest
from django.utils import timezone

from caring.plans import selectors, services
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_actions_needing_an_update_come_first(version, make_action, user):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    today = timezone.localdate()
    fine = make_action(ref="YC1", organisations=[ours], due=today + dt.timedelta(days=200))
    services.action_update_post(action=fine, by=user, narrative="Going well.", status="in_progress")
    make_action(ref="YC2", organisations=[ours], due=today - dt.timedelta(days=3))
    make_action(ref="YC3", organisations=[theirs], due=today - dt.timedelta(days=30))
    found = selectors.actions_for_organisations(version=version, organisation_ids={ours.pk})
    assert [item.action.ref for item in found] == ["YC2", "YC1"]
    assert "overdue" in found[0].flag_names and found[1].flag_names == []
