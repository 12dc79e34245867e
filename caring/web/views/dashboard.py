"""A strategy's dashboard: where the plan stands, honestly."""

from __future__ import annotations

import rules
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caring.governance import selectors as scrutiny
from caring.indicators import selectors as indicators
from caring.plans import selectors
from caring.plans.rag import FLAG_DESCRIPTIONS
from caring.web.charts import rag_by_theme_chart, rag_by_theme_table
from caring.web.views.base import Page, plan_or_404
from caring.web.views.carers import dashboard_panel

FLAG_HEADINGS = {
    "overdue": "Overdue",
    "missing-owner": "No owner",
    "missing-timescale": "No timescale",
    "rag-disagrees": "Rating better than suggested",
    "slipped": "Due date moved later",
    "stale": "No recent update",
    "unparsed-date": "Date not readable",
}


class Dashboard(Page, TemplateView):
    permission_required = "plans.view_plan"
    template_name = "web/dashboard.html"

    def get_context_data(self, **kwargs):
        strategy, version = plan_or_404(self.kwargs["slug"])
        today = timezone.localdate()
        rows = selectors.rag_counts_by_theme(version=version)
        counts = selectors.flag_counts(version=version, today=today)
        actions_url = reverse("web:actions", kwargs={"slug": strategy.slug})
        table_head, table_rows = rag_by_theme_table(rows)
        flags = [
            {
                "name": name,
                "heading": heading,
                "count": counts[name],
                "description": FLAG_DESCRIPTIONS[name],
                "href": f"{actions_url}?flag={name}",
            }
            for name, heading in FLAG_HEADINGS.items()
        ]
        tracker_url = reverse("web:tracker", kwargs={"slug": strategy.slug})
        items = scrutiny.tracker(strategy=strategy, today=today)
        summary = scrutiny.summarise(items)
        questions = scrutiny.information_requests(strategy=strategy, today=today, outstanding=True)
        requests_url = reverse("web:information-requests", kwargs={"slug": strategy.slug})
        scrutiny_panel = [
            (summary.flags["overdue"], "recommendations overdue", f"{tracker_url}?flag=overdue"),
            (
                summary.flags["awaiting-response"],
                "with no executive response after two months",
                f"{tracker_url}?flag=awaiting-response",
            ),
            (
                summary.flags["awaiting-sign-off"],
                "complete and awaiting the committee's sign-off",
                f"{tracker_url}?flag=awaiting-sign-off",
            ),
            (
                len(questions),
                "members' questions awaiting an answer",
                f"{requests_url}?show=outstanding",
            ),
        ]
        indicator_rows = indicators.overview(strategy=strategy, today=today)
        user = self.request.user
        approvable = [
            r for r in indicator_rows if rules.has_perm("indicators.approve", user, r.indicator)
        ]
        return super().get_context_data(
            carers=dashboard_panel(strategy),
            indicators_overdue=sorted(
                (r for r in indicator_rows if r.freshness.overdue),
                key=lambda r: selectors.natural_key(r.indicator.code),
            ),
            indicators_count=len(indicator_rows),
            values_awaiting=sum(r.drafts for r in approvable) if approvable else None,
            scrutiny_panel=scrutiny_panel,
            scrutiny_open=summary.open,
            page_title=f"{strategy.title}: dashboard",
            strategy=strategy,
            version=version,
            rows=rows,
            chart=rag_by_theme_chart(rows),
            table_head=table_head,
            table_rows=table_rows,
            flags=flags,
            recent=selectors.recent_updates(version=version),
            actions_url=actions_url,
            today=today,
            data_updated=selectors.plan_last_changed(version=version),
            **kwargs,
        )
