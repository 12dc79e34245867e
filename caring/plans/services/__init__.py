"""Every write to a delivery plan. Each service validates, refuses with a message that names the
field, and saves all or nothing.

Services take keyword arguments only. Dates may be given as ``datetime.date`` or as text the way
councils write them ("Dec 2018", "Q3 2018/19", "Ongoing"); the original text is kept.
"""

from caring.plans.services.actions import (
    action_create,
    action_due_change,
    action_edit,
    action_retire,
    action_update_post,
)
from caring.plans.services.base import ConflictError
from caring.plans.services.evidence import EvidenceInput, evidence_add
from caring.plans.services.versions import (
    outcome_create,
    outcome_edit,
    plan_version_create,
    plan_version_refresh,
    strategy_create,
    theme_create,
    theme_edit,
)

__all__ = [
    "ConflictError",
    "EvidenceInput",
    "action_create",
    "action_due_change",
    "action_edit",
    "action_retire",
    "action_update_post",
    "evidence_add",
    "outcome_create",
    "outcome_edit",
    "plan_version_create",
    "plan_version_refresh",
    "strategy_create",
    "theme_create",
    "theme_edit",
]
