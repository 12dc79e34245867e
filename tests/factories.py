"""factory_boy factories for the models (they write rows directly, not through the services)."""

from __future__ import annotations

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory, Password

from caring.accounts.models import Membership, Organisation, OrganisationType, Role, User
from caring.plans.models import Action, Outcome, PlanVersion, Strategy, Theme
from caring.plans.services import EvidenceInput

TEST_PASSWORD = "a-long-test-password-42"
PDF_BYTES = b"%PDF-1.4\n% a tiny test document\n%%EOF\n"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    job_title = factory.Sequence(lambda n: f"Carers Officer {n}")
    password = Password(TEST_PASSWORD)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"Org{n}")
    kind = OrganisationType.CHARITY


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER


class StrategyFactory(DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Carers Strategy {n}")
    slug = factory.Sequence(lambda n: f"carers-strategy-{n}")
    period_start = dt.date(2016, 4, 1)
    period_end = dt.date(2021, 3, 31)


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Carers are supported ({n})")


class PlanVersionFactory(DjangoModelFactory):
    class Meta:
        model = PlanVersion

    strategy = factory.SubFactory(StrategyFactory)
    name = factory.Sequence(lambda n: f"Action Plan {n}")
    created = dt.date(2018, 1, 31)
    reason = "First plan."
    is_current = True


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    version = factory.SubFactory(PlanVersionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Theme {n}")
    prefix = factory.Sequence(lambda n: f"T{n}")


class ActionFactory(DjangoModelFactory):
    """An action with a theme of its own version; ``outcomes``/``organisations`` take lists."""

    class Meta:
        model = Action
        skip_postgeneration_save = True

    version = factory.SubFactory(PlanVersionFactory)
    theme = factory.SubFactory(ThemeFactory, version=factory.SelfAttribute("..version"))
    ref = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Do useful thing number {n}")
    lead_role = "Carers Lead"
    status = "in_progress"
    rag = "green"

    @factory.post_generation
    def outcomes(self, create, extracted, **kwargs):
        if create and extracted:
            self.outcomes.set(extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


def pdf_file(name: str = "minutes.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def text_evidence(title: str = "Minutes of the Delivery Group") -> EvidenceInput:
    return EvidenceInput(kind="text", title=title, text="Item 3 agreed the new form.")
