"""Compiled-once reads: real values reach the parameters, or the read refuses to run."""

import pytest
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from caring.plans import compiled
from caring.plans.models import Action, PlanVersion
from tests.factories import ActionFactory, PlanVersionFactory

pytestmark = pytest.mark.django_db


def _refs(alias):
    return (
        Action.objects.using(alias)
        .filter(version_id=compiled.STAND_IN_VERSION)
        .order_by("ref")
        .values_list("ref")
    )


def _inlined(alias):
    # A stand-in written into the SQL text cannot be swapped: this must be refused.
    return PlanVersion.objects.using(alias).annotate(
        plan=RawSQL(str(compiled.STAND_IN_VERSION), [], output_field=IntegerField())
    )


def test_the_real_plan_replaces_the_stand_in(version):
    other = PlanVersionFactory(is_current=False)
    ActionFactory(version=version, ref="A1")
    ActionFactory(version=other, ref="B1")
    for plan, expected in ((version, [("A1",)]), (other, [("B1",)])):
        rows = compiled.run(
            _refs, alias="default", swaps={compiled.STAND_IN_VERSION: plan.pk}, expect=1
        )
        assert rows == expected


def test_a_read_that_did_not_swap_enough_refuses_to_run(version):
    with pytest.raises(RuntimeError, match="did not reach the parameters"):
        compiled.run(_refs, alias="default", swaps={}, expect=1)


def test_a_stand_in_inlined_into_the_sql_is_refused():
    with pytest.raises(RuntimeError, match="inlined"):
        compiled.statement(_inlined, "default")
