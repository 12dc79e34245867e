"""Shared fixtures: a strategy with a current plan version and a theme, a person, and helpers."""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from caring.accounts.models import Membership, Organisation, User
from caring.plans import services
from caring.plans.models import (
    Action,
    DueDateChange,
    Evidence,
    Outcome,
    PlanVersion,
    Strategy,
    Theme,
    Update,
)
from tests.factories import PlanVersionFactory, StrategyFactory, ThemeFactory, UserFactory

COUNTED = (
    Strategy,
    Outcome,
    PlanVersion,
    Theme,
    Action,
    Update,
    Evidence,
    DueDateChange,
    Organisation,
    User,
    Membership,
)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def user(db):
    return UserFactory(username="jbloggs", first_name="Joanna", job_title="Carers Lead, ASC")


@pytest.fixture
def strategy(db):
    return StrategyFactory(slug="carers", title="Carers Strategy")


@pytest.fixture
def version(strategy):
    return PlanVersionFactory(strategy=strategy, name="Action Plan January 2018")


@pytest.fixture
def theme(version):
    return ThemeFactory(version=version, number=2, name="Young Carers", prefix="YC")


@pytest.fixture
def row_counts(db):
    """A callable giving the number of rows of every model a service might write."""

    def counts() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in COUNTED}

    return counts


@pytest.fixture
def make_action(version, theme):
    """Create an action through ``services.action_create`` (sensible defaults, refs YC1..)."""
    refs = itertools.count(1)

    def make(**kwargs) -> Action:
        kwargs.setdefault("version", version)
        kwargs.setdefault("theme", theme if kwargs["version"] == version else None)
        kwargs.setdefault("ref", f"YC{next(refs)}")
        kwargs.setdefault("title", "Capture data on young carers known to services")
        kwargs.setdefault("lead_role", "Young Carers Service Manager")
        kwargs.setdefault("status", "in_progress")
        return services.action_create(**kwargs)

    return make


@pytest.fixture
def refuses(row_counts):
    """``with refuses("field"):`` expects a ValidationError naming ``field`` and no new rows."""

    @contextmanager
    def check(field: str):
        before = row_counts()
        with pytest.raises(ValidationError) as info:
            yield info
        assert field in info.value.message_dict, info.value.message_dict
        assert row_counts() == before

    return check
