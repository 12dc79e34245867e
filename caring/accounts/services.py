"""Writes for organisations, people and memberships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from caring.accounts.models import Membership, Organisation, OrganisationType, Role, User


@transaction.atomic
def organisation_ensure(
    *, name: str, kind: str = OrganisationType.OTHER, short_name: str = "", ods_code: str = ""
) -> Organisation:
    """The organisation called ``name``, created if missing (matched without regard to case)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter the organisation's name."})
    if kind not in OrganisationType.values:
        raise ValidationError({"kind": f"{kind!r} is not a type of organisation."})
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    organisation = Organisation(name=name, kind=kind, short_name=short_name, ods_code=ods_code)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def user_ensure(
    *,
    username: str,
    job_title: str = "",
    password: str | None = None,
    is_superuser: bool = False,
    email: str = "",
) -> User:
    """The user ``username``, created if missing; ``password`` (if given) is set either way."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"job_title": job_title, "email": email}
    )
    user.job_title = job_title or user.job_title
    user.is_superuser = user.is_staff = is_superuser or user.is_superuser
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_set(*, user: User, organisation: Organisation, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``organisation`` (one role per organisation)."""
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role."})
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership
