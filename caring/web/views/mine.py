"""My actions: the actions an owner's organisations lead, those needing an update first."""

from __future__ import annotations

from django.views.generic import TemplateView

from caring.accounts.models import Membership, Role
from caring.plans import selectors
from caring.web.views.base import Page, plan_or_404


class MyActions(Page, TemplateView):
    permission_required = "plans.view_my_actions"
    template_name = "web/my_actions.html"

    def get_context_data(self, **kwargs):
        strategy, version = plan_or_404(self.kwargs["slug"])
        memberships = Membership.objects.filter(user=self.request.user).select_related(
            "organisation"
        )
        owned = {m.organisation_id for m in memberships if m.role == Role.ACTION_OWNER}
        return super().get_context_data(
            page_title=f"{strategy.title}: my actions",
            strategy=strategy,
            version=version,
            organisations=[m.organisation for m in memberships if m.role == Role.ACTION_OWNER],
            assessed=selectors.actions_for_organisations(version=version, organisation_ids=owned),
            data_updated=selectors.plan_last_changed(version=version),
            **kwargs,
        )
