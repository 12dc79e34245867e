"""Reads for organisations, people and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from caring.accounts.models import Membership, Organisation, User


def user_roles(*, user: User) -> dict[int, str]:
    """Organisation id -> the user's role in it."""
    return dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))


def organisation_list(*, active_only: bool = True) -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    return organisations.filter(is_active=True) if active_only else organisations
