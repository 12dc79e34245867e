"""One action: everything about it, its history and its evidence."""

from __future__ import annotations

import rules
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from caring.plans import selectors
from caring.plans.models import Action, Evidence
from caring.web.views.base import Page, plan_or_404

HIDDEN_FIELDS = {"updated_at", "revision", "last_update_on", "extra", "outcomes", "organisations"}


def action_for(slug: str, ref: str) -> Action:
    _, version = plan_or_404(slug)
    return get_object_or_404(
        selectors.with_counts(version.actions.all()).select_related(
            "theme", "lead_person", "version__strategy"
        ),
        ref=ref,
    )


def change_history(action: Action) -> list[dict]:
    """Who changed what and when, newest first, from the action's history records."""
    records = list(action.history.select_related("history_user").order_by("history_date"))
    changes = []
    for previous, record in zip([None, *records], records, strict=False):
        if previous is None:
            what = ["added the action"]
        else:
            delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
            what = [
                f"{Action._meta.get_field(c.field).verbose_name}: "
                f"{c.old if c.old not in ('', None) else 'blank'} → "
                f"{c.new if c.new not in ('', None) else 'blank'}"
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS and hasattr(Action, c.field)
            ]
        if what:
            user = record.history_user
            changes.append(
                {
                    "when": record.history_date,
                    "who": (user.job_title or user.get_username()) if user else "the system",
                    "what": what,
                }
            )
    return list(reversed(changes))


class ActionPage(Page, TemplateView):
    permission_required = "plans.view_plan"
    template_name = "web/action.html"

    def get_context_data(self, **kwargs):
        action = action_for(self.kwargs["slug"], self.kwargs["ref"])
        assessed = selectors.action_assess(action)
        return super().get_context_data(
            page_title=f"{action.ref}: {action.title}",
            strategy=action.version.strategy,
            action=action,
            assessed=assessed,
            outcomes=list(action.outcomes.order_by("number")),
            organisations=list(action.organisations.order_by("name")),
            evidence=list(action.evidence.select_related("added_by").order_by("-added_at")),
            updates=list(action.updates.select_related("author").order_by("-reported_on", "-id")),
            due_changes=list(
                action.due_changes.select_related("changed_by").order_by("changed_at")
            ),
            history=change_history(action),
            can_update=rules.has_perm("plans.post_update", self.request.user, action),
            can_manage=rules.has_perm("plans.manage_plan", self.request.user),
            data_updated=action.updated_at,
            **kwargs,
        )


class EvidenceFile(Page, View):
    """Download an evidence file (as an attachment, never shown inline)."""

    permission_required = "plans.view_plan"

    def get(self, request, slug, ref, pk):
        action = action_for(slug, ref)
        evidence = get_object_or_404(Evidence, pk=pk, action=action, kind="file")
        if not evidence.file:
            raise Http404("No file")
        name = evidence.file.name.rsplit("/", 1)[-1]
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)
