"""Who may do what: every permission is a ``rules`` predicate, defined here and nowhere else.

Roles are held per organisation (``accounts.Membership``):
- administrator: everything, including organisations, people and roles;
- strategy lead: everything in the plans (add, edit and retire actions, themes, outcomes);
- action owner: reads all plan data; edits and updates the actions their organisation leads;
- viewer (a scrutiny member or partner): reads all plan data, changes nothing;
- data officer: reads all plan data (indicator and carers' data come in later work).
Carers known to services: members read the published (suppressed and rounded) figures; only data
officers upload carers' records, delete a source, or see figures without suppression (not even
administrators or leads: least access); data officers and administrators read the access log.
Scrutiny records (meetings, recommendations, information requests) follow the same pattern:
everyone reads; leads manage; owners update the items assigned to their organisation.
Anonymous visitors may only sign in.
"""

from __future__ import annotations

import rules

from caring.accounts.models import Role


def _roles(user) -> set[str]:
    """The user's roles, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_caring_roles", None)
    if cached is None:
        cached = set(user.memberships.values_list("role", flat=True))
        user._caring_roles = cached
    return cached


def _organisations(user, role: str) -> set[int]:
    key = f"_caring_orgs_{role}"
    cached = getattr(user, key, None)
    if cached is None:
        cached = set(user.memberships.filter(role=role).values_list("organisation_id", flat=True))
        setattr(user, key, cached)
    return cached


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.ADMINISTRATOR in _roles(user)


@rules.predicate
def is_strategy_lead(user) -> bool:
    return Role.STRATEGY_LEAD in _roles(user)


@rules.predicate
def is_member(user) -> bool:
    """Signed in and holding any role in any organisation."""
    return bool(_roles(user)) or bool(getattr(user, "is_superuser", False))


@rules.predicate
def owns_action(user, action) -> bool:
    """An action owner in one of the organisations that lead ``action``."""
    if action is None or Role.ACTION_OWNER not in _roles(user):
        return False
    led_by = {o.pk for o in action.organisations.all()}
    return bool(led_by & _organisations(user, Role.ACTION_OWNER))


@rules.predicate
def leads_item(user, item) -> bool:
    """An action owner in one of the organisations responsible for a scrutiny ``item`` (a
    recommendation to deliver or a question to answer)."""
    if item is None or Role.ACTION_OWNER not in _roles(user):
        return False
    responsible = {o.pk for o in item.organisations.all()}
    return bool(responsible & _organisations(user, Role.ACTION_OWNER))


can_lead = is_administrator | is_strategy_lead

rules.add_perm("plans.view_plan", is_member)
rules.add_perm("plans.post_update", can_lead | owns_action)
rules.add_perm("plans.manage_plan", can_lead)
rules.add_perm("plans.import_workbook", can_lead)
rules.add_perm("plans.view_my_actions", is_member)

# Scrutiny and governance: members read; leads manage meetings and what they resolved; the
# owners an item is assigned to (through their organisation) update it or answer it.
rules.add_perm("governance.view", is_member)
rules.add_perm("governance.manage", can_lead)
rules.add_perm("governance.update_item", can_lead | leads_item)
rules.add_perm("governance.answer_request", can_lead | leads_item)

# The progress report pack: members read drafts, downloads and issued reports (and the plan as
# it was on a past day); leads write the report's narrative and issue it.
rules.add_perm("reports.view", is_member)
rules.add_perm("reports.manage", can_lead)


@rules.predicate
def is_data_officer(user) -> bool:
    return Role.DATA_OFFICER in _roles(user)


@rules.predicate
def owns_indicator(user, indicator) -> bool:
    """The indicator's owner, who approves its values before they are published."""
    return (
        indicator is not None
        and indicator.owner_id is not None
        and (indicator.owner_id == getattr(user, "pk", None))
    )


# Indicators: members read approved figures; data officers and leads enter values, registers
# and training sessions, and set indicators up; an indicator's owner (or a lead) approves.
rules.add_perm("indicators.view", is_member)
rules.add_perm("indicators.enter", can_lead | is_data_officer)
rules.add_perm("indicators.manage", can_lead | is_data_officer)
rules.add_perm("indicators.approve", can_lead | owns_indicator)


# Carers known to services (record-level data never shown): members read figures protected by
# the strategy's disclosure rule; data officers alone upload extracts, delete a source and see
# exact figures; the access log (uploads, exact views, downloads) is for data officers and
# administrators.
rules.add_perm("carers.view", is_member)
rules.add_perm("carers.upload", is_data_officer)
rules.add_perm("carers.exact", is_data_officer)
rules.add_perm("carers.view_access_log", is_data_officer | is_administrator)
