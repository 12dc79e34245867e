"""Organisations, people and memberships: matched without duplicates, one role per organisation."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError

from caring.accounts.models import Membership, Organisation, User
from caring.accounts.services import membership_set, organisation_ensure, user_ensure
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_organisation_ensure_creates_an_organisation():
    organisation = organisation_ensure(
        name="  Barnardo's ", kind="charity", short_name="Barnardo's", ods_code=""
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind) == ("Barnardo's", "charity")
    assert organisation.short_name == "Barnardo's"


@pytest.mark.parametrize("spelling", ["Barnardo's", "BARNARDO'S", "barnardo's", " Barnardo's  "])
def test_organisation_ensure_matches_whatever_the_case(spelling):
    first = organisation_ensure(name="Barnardo's", kind="charity")
    assert organisation_ensure(name=spelling, kind="charity") == first
    assert Organisation.objects.count() == 1
    assert Organisation.objects.get().name == "Barnardo's"


def test_organisation_ensure_keeps_an_existing_organisation_as_it_is():
    first = organisation_ensure(name="Age UK Rotherham", kind="charity", short_name="Age UK")
    again = organisation_ensure(name="age uk rotherham", kind="other", short_name="AUK")
    again.refresh_from_db()
    assert again == first
    assert (again.kind, again.short_name) == ("charity", "Age UK")


def test_organisation_ensure_refuses_an_unknown_kind():
    with pytest.raises(ValidationError) as info:
        organisation_ensure(name="Somewhere", kind="pub")
    assert "kind" in info.value.message_dict
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", None])
def test_organisation_ensure_refuses_a_blank_name(name):
    with pytest.raises(ValidationError) as info:
        organisation_ensure(name=name)
    assert "name" in info.value.message_dict
    assert not Organisation.objects.exists()


def test_organisation_ensure_refuses_a_name_too_long():
    with pytest.raises(ValidationError) as info:
        organisation_ensure(name="x" * 201)
    assert "name" in info.value.message_dict
    assert not Organisation.objects.exists()


def test_membership_set_gives_one_role_per_organisation():
    person, organisation = UserFactory(), OrganisationFactory()
    first = membership_set(user=person, organisation=organisation, role="viewer")
    second = membership_set(user=person, organisation=organisation, role="action_owner")
    assert second.pk == first.pk
    assert Membership.objects.get().role == "action_owner"


def test_membership_set_allows_roles_in_several_organisations():
    person = UserFactory()
    membership_set(user=person, organisation=OrganisationFactory(), role="viewer")
    membership_set(user=person, organisation=OrganisationFactory(), role="strategy_lead")
    assert sorted(person.memberships.values_list("role", flat=True)) == ["strategy_lead", "viewer"]


def test_membership_set_refuses_an_unknown_role():
    person, organisation = UserFactory(), OrganisationFactory()
    with pytest.raises(ValidationError) as info:
        membership_set(user=person, organisation=organisation, role="emperor")
    assert "role" in info.value.message_dict
    assert not Membership.objects.exists()


def test_user_ensure_creates_a_user_with_a_password():
    person = user_ensure(username="lead", job_title="Change Leader", password=PASSWORD)
    person.refresh_from_db()
    assert person.job_title == "Change Leader"
    assert person.check_password(PASSWORD)
    assert not person.is_superuser and not person.is_staff
    assert authenticate(username="lead", password=PASSWORD) == person
    assert authenticate(username="lead", password="wrong password") is None


def test_user_ensure_sets_the_password_of_an_existing_user():
    user_ensure(username="lead", password=PASSWORD)
    user_ensure(username="lead", password="a different long password")
    person = User.objects.get(username="lead")
    assert person.check_password("a different long password")
    assert not person.check_password(PASSWORD)
    assert User.objects.count() == 1


def test_user_ensure_without_a_password_keeps_the_old_one():
    user_ensure(username="lead", job_title="Change Leader", password=PASSWORD)
    again = user_ensure(username="lead")
    again.refresh_from_db()
    assert again.check_password(PASSWORD)
    assert again.job_title == "Change Leader"


def test_user_ensure_without_a_password_for_a_new_user_cannot_sign_in():
    person = user_ensure(username="someone")
    assert authenticate(username="someone", password="") is None
    assert not person.check_password("")


def test_user_ensure_makes_a_superuser_staff():
    person = user_ensure(username="admin", password=PASSWORD, is_superuser=True)
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff


def test_user_ensure_refuses_a_bad_username_and_saves_nothing():
    with pytest.raises(ValidationError) as info:
        user_ensure(username="no spaces allowed!", password=PASSWORD)
    assert "username" in info.value.message_dict
    assert not User.objects.exists()
