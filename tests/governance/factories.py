"""factory_boy factories for the scrutiny models (rows written directly, not through services)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from caring.governance.models import Body, InformationRequest, Meeting, Resolution
from tests.factories import StrategyFactory


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Select Commission {n}")
    slug = factory.Sequence(lambda n: f"select-commission-{n}")
    short_name = factory.Sequence(lambda n: f"SC{n}")
    kind = "scrutiny"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    strategy = factory.SubFactory(StrategyFactory)
    body = factory.SubFactory(BodyFactory)
    date = dt.date(2018, 3, 1)
    status = "held"


class ResolutionFactory(DjangoModelFactory):
    """A recommendation of its meeting, numbered in sequence, with a lead and a due date."""

    class Meta:
        model = Resolution

    meeting = factory.SubFactory(MeetingFactory)
    strategy = factory.SelfAttribute("meeting.strategy")
    number = factory.Sequence(lambda n: n + 1)
    ref = factory.LazyAttribute(lambda o: f"{o.meeting.body.label} {o.meeting.date}/{o.number}")
    text = factory.Sequence(lambda n: f"That carers be supported in way number {n}.")
    kind = "recommendation"
    lead_role = "Change Leader, Adult Social Care"
    due = dt.date(2019, 3, 31)
    due_text = "31/03/2019"
    original_due = dt.date(2019, 3, 31)


class InformationRequestFactory(DjangoModelFactory):
    class Meta:
        model = InformationRequest

    meeting = factory.SubFactory(MeetingFactory)
    strategy = factory.SelfAttribute("meeting.strategy")
    number = factory.Sequence(lambda n: n + 1)
    asked_by = "Members of the Select Commission"
    question = factory.Sequence(lambda n: f"How many carers were reached in area {n}?")
    answerer_role = "Change Leader, Adult Social Care"
    due = dt.date(2018, 4, 12)
    due_text = "in 6 weeks"
