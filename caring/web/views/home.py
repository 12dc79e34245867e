"""Home: the strategies a person can see."""

from __future__ import annotations

from django.db.models import Max
from django.shortcuts import redirect
from django.views.generic import TemplateView

from caring.plans.models import Action, Strategy
from caring.web.views.base import Page


class Home(Page, TemplateView):
    permission_required = "plans.view_plan"
    page_title = "Carers strategies"
    template_name = "web/home.html"

    def get(self, request, *args, **kwargs):
        strategies = list(Strategy.objects.order_by("title"))
        if len(strategies) == 1:
            return redirect("web:dashboard", slug=strategies[0].slug)
        last = Action.objects.aggregate(last=Max("updated_at"))["last"]
        return self.render_to_response(
            self.get_context_data(strategies=strategies, data_updated=last)
        )
