"""The list of a plan's actions: filter, search, sort, page through, download as CSV."""

from __future__ import annotations

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from caring.plans import selectors
from caring.plans.choices import ActionStatus, Rag
from caring.plans.rag import FLAG_NAMES
from caring.web.views.base import Page, plan_or_404
from caring.web.views.dashboard import FLAG_HEADINGS

PAGE_SIZE = 25
SORT_CHOICES = [
    ("ref", "Theme and ref"),
    ("due", "Due date, soonest first"),
    ("-due", "Due date, latest first"),
    ("updated", "Most recently updated"),
    ("status", "Status"),
]


class ActionFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    theme = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Theme")
    organisation = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Organisation"
    )
    status = forms.ChoiceField(required=False, label="Status")
    rag = forms.ChoiceField(required=False, label="Owner's rating")
    flag = forms.ChoiceField(required=False, label="Needs attention")
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="Sort by")

    def __init__(self, *args, themes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "All themes")] + [
            (t.number, f"{t.number}. {t.name}") for t in themes
        ]
        self.fields["organisation"].choices = [("", "All organisations")] + [
            (o.pk, o.name) for o in organisations
        ]
        self.fields["status"].choices = [("", "Any status"), *ActionStatus.choices]
        self.fields["rag"].choices = [("", "Any rating")] + [
            ("none" if value == "" else value, label) for value, label in Rag.choices
        ]
        self.fields["flag"].choices = [("", "Anything")] + [
            (name, FLAG_HEADINGS[name]) for name in FLAG_NAMES
        ]


class ActionList(Page, TemplateView):
    permission_required = "plans.view_plan"
    template_name = "web/actions.html"

    def get(self, request, *args, **kwargs):
        self.strategy, self.version = plan_or_404(kwargs["slug"])
        themes, organisations = selectors.action_filter_options(version=self.version)
        form = ActionFilterForm(request.GET, themes=themes, organisations=organisations)
        filters = form.cleaned_data if form.is_valid() else {}
        rag = filters.get("rag") or None
        actions = selectors.action_search(
            version=self.version,
            today=timezone.localdate(),
            theme=filters.get("theme"),
            organisation=filters.get("organisation"),
            status=filters.get("status") or None,
            rag="" if rag == "none" else rag,
            flag=filters.get("flag") or None,
            text=filters.get("q") or "",
            sort=filters.get("sort") or "ref",
        )
        if request.GET.get("format") == "csv":
            return self.csv(actions)
        page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
        assessed = [selectors.action_assess(a) for a in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        return self.render_to_response(
            self.get_context_data(
                page_title=f"{self.strategy.title}: actions",
                strategy=self.strategy,
                version=self.version,
                form=form,
                page=page,
                assessed=assessed,
                query=query.urlencode(),
                action_prefix=request.path,
                csv_query=(query.urlencode() + "&" if query else "") + "format=csv",
                data_updated=selectors.plan_last_changed(version=self.version),
            )
        )

    def csv(self, actions):
        header = [
            "ref", "theme", "title", "lead", "organisations", "commenced", "due",
            "timescale as written", "status", "owner's rating", "suggested rating", "flags",
        ]  # fmt: skip

        def rows():
            yield header
            for action in actions.prefetch_related("organisations"):
                assessed = selectors.action_assess(action)
                yield [
                    action.ref,
                    action.theme.name if action.theme else "",
                    action.title,
                    action.lead_display,
                    "; ".join(o.name for o in action.organisations.all()),
                    action.commenced or "",
                    action.due or "",
                    action.due_text,
                    action.get_status_display(),
                    action.rag or "not rated",
                    assessed.suggestion.rag or "not rated",
                    " ".join(assessed.flag_names),
                ]

        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(_safe(row)) for row in rows()), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.strategy.slug}-actions.csv"'
        return response


class _Echo:
    def write(self, value):
        return value


def _safe(row: list) -> list:
    """Stop spreadsheet formula injection: text starting =, +, - or @ is quoted."""
    return [f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row]
