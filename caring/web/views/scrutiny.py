"""Scrutiny pages everyone signed in can read: meetings, a meeting, a body, the recommendations
tracker (with CSV and Excel downloads), one recommendation, and members' information requests."""

from __future__ import annotations

import csv

import rules
from django import forms
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from caring.governance import selectors
from caring.governance.choices import TRACKED_KINDS
from caring.governance.models import Body, Meeting, Resolution
from caring.governance.tracker_export import tracker_rows, write_tracker_workbook
from caring.governance.tracking import ITEM_FLAG_LABELS, ITEM_FLAG_NAMES
from caring.plans.choices import Rag
from caring.plans.models import PlanVersion
from caring.plans.rag import FLAG_LABELS as ACTION_FLAG_LABELS
from caring.plans.selectors import version_current_by_slug
from caring.web.views.actions import _Echo, _safe
from caring.web.views.base import Page

VIEW = "governance.view"
MANAGE = "governance.manage"
FLAG_LABELS = {**ACTION_FLAG_LABELS, **ITEM_FLAG_LABELS}


def strategy_or_404(slug: str):
    try:
        version = version_current_by_slug(slug=slug)
    except PlanVersion.DoesNotExist as exc:
        raise Http404(str(exc)) from None
    return version.strategy, version


class ScrutinyPage(Page, TemplateView):
    permission_required = VIEW

    def load(self):
        self.strategy, self.version = strategy_or_404(self.kwargs["slug"])

    def base_context(self, **extra):
        user = self.request.user
        return self.get_context_data(
            strategy=self.strategy,
            can_manage=rules.has_perm(MANAGE, user),
            today=timezone.localdate(),
            **extra,
        )


class MeetingList(ScrutinyPage):
    template_name = "web/scrutiny/meetings.html"

    def get(self, request, *args, **kwargs):
        self.load()
        meetings = list(selectors.meetings(strategy=self.strategy))
        today = timezone.localdate()
        return self.render_to_response(
            self.base_context(
                page_title=f"{self.strategy.title}: meetings",
                upcoming=[m for m in reversed(meetings) if m.date >= today],
                past=[m for m in meetings if m.date < today],
                bodies=list(selectors.bodies_for(strategy=self.strategy)),
            )
        )


class MeetingPage(ScrutinyPage):
    template_name = "web/scrutiny/meeting.html"

    def get(self, request, *args, **kwargs):
        self.load()
        try:
            meeting = selectors.meeting_detail(strategy=self.strategy, pk=kwargs["pk"])
        except Meeting.DoesNotExist:
            raise Http404("No such meeting") from None
        today = timezone.localdate()
        items = [
            selectors.assess(r, today)
            for r in selectors.resolutions_with_children(meeting.resolutions.all())
        ]
        requests = [
            i
            for i in selectors.information_requests(strategy=self.strategy, today=today)
            if i.request.meeting_id == meeting.pk
        ]
        signed = selectors.resolutions_with_children(meeting.signed_off.all())
        return self.render_to_response(
            self.base_context(
                page_title=meeting.title,
                meeting=meeting,
                items=items,
                requests=requests,
                signed_off_here=[selectors.assess(r, today) for r in signed],
                requirements_met=list(meeting.requirements_met.select_related("resolution")),
                illustrative=meeting.is_illustrative
                or any(i.resolution.is_illustrative for i in items),
            )
        )


class BodyPage(ScrutinyPage):
    template_name = "web/scrutiny/body.html"

    def get(self, request, *args, **kwargs):
        self.load()
        body = get_object_or_404(Body.objects.select_related("organisation"), slug=kwargs["body"])
        today = timezone.localdate()
        return self.render_to_response(
            self.base_context(
                page_title=body.name,
                body=body,
                members=list(body.members.filter(left__isnull=True).select_related("organisation")),
                meetings=list(selectors.meetings(strategy=self.strategy).filter(body=body)),
                next_meeting=selectors.next_meeting(strategy=self.strategy, body=body, today=today),
                review_due=body.terms_next_review is not None and body.terms_next_review < today,
                requirements=selectors.requirements_outstanding(strategy=self.strategy, body=body),
            )
        )


class TrackerFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    body = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Body")
    year = forms.ChoiceField(required=False, label="Municipal year (May to April)")
    state = forms.ChoiceField(required=False, label="Status")
    rag = forms.ChoiceField(required=False, label="Lead's rating")
    flag = forms.ChoiceField(required=False, label="Needs attention")

    def __init__(self, *args, bodies, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "All bodies")] + [(b.pk, b.name) for b in bodies]
        self.fields["year"].choices = [("", "All years")] + [(y, y) for y in years]
        self.fields["state"].choices = [("", "Any status"), *selectors.STATE_CHOICES]
        self.fields["rag"].choices = [("", "Any rating")] + [
            ("none" if value == "" else value, label) for value, label in Rag.choices
        ]
        self.fields["flag"].choices = [("", "Anything")] + [
            (name, FLAG_LABELS[name]) for name in ITEM_FLAG_NAMES
        ]


class Tracker(ScrutinyPage):
    template_name = "web/scrutiny/tracker.html"

    def get(self, request, *args, **kwargs):
        self.load()
        today = timezone.localdate()
        bodies = list(selectors.bodies_for(strategy=self.strategy))
        form = TrackerFilterForm(
            request.GET, bodies=bodies, years=selectors.municipal_years(self.strategy)
        )
        filters = form.cleaned_data if form.is_valid() else {}
        rag = filters.get("rag") or None
        items = selectors.tracker(
            strategy=self.strategy,
            today=today,
            body=filters.get("body"),
            year=filters.get("year") or None,
            state=filters.get("state") or None,
            rag="" if rag == "none" else rag,
            flag=filters.get("flag") or None,
            text=filters.get("q") or "",
        )
        fmt = request.GET.get("format")
        if fmt == "csv":
            return self.csv(items)
        if fmt == "xlsx":
            return self.xlsx(items)
        everything = selectors.tracker(strategy=self.strategy, today=today)
        query = request.GET.copy()
        query.pop("format", None)
        base = query.urlencode()
        return self.render_to_response(
            self.base_context(
                page_title=f"{self.strategy.title}: recommendations tracker",
                form=form,
                items=items,
                summary=selectors.summarise(everything),
                awaiting_response=selectors.awaiting_response_count(everything),
                flag_labels=FLAG_LABELS,
                csv_query=(base + "&" if base else "") + "format=csv",
                xlsx_query=(base + "&" if base else "") + "format=xlsx",
                illustrative=any(i.resolution.is_illustrative for i in items),
            )
        )

    def csv(self, items):
        writer = csv.writer(_Echo())
        rows = tracker_rows(items, today=timezone.localdate())
        response = StreamingHttpResponse(
            (writer.writerow(_safe(row)) for row in rows), content_type="text/csv"
        )
        name = f"{self.strategy.slug}-recommendations.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def xlsx(self, items):
        content = write_tracker_workbook(
            tracker_rows(items, today=timezone.localdate()), title=self.strategy.title
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"{self.strategy.slug}-recommendations.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def resolution_for(strategy, pk: int) -> Resolution:
    return get_object_or_404(
        selectors.resolutions_with_children(Resolution.objects.filter(strategy=strategy)), pk=pk
    )


class ItemPage(ScrutinyPage):
    template_name = "web/scrutiny/item.html"

    def get(self, request, *args, **kwargs):
        self.load()
        resolution = resolution_for(self.strategy, kwargs["pk"])
        item = selectors.assess(resolution, timezone.localdate())
        user = request.user
        return self.render_to_response(
            self.base_context(
                page_title=f"{resolution.ref}: {resolution.get_kind_display().lower()}",
                item=item,
                r=resolution,
                tracked=resolution.kind in TRACKED_KINDS,
                updates=list(
                    resolution.updates.select_related("author").order_by("-reported_on", "-id")
                ),
                can_update=rules.has_perm("governance.update_item", user, resolution),
                data_updated=resolution.updated_at,
            )
        )


class RequestList(ScrutinyPage):
    template_name = "web/scrutiny/requests.html"

    def get(self, request, *args, **kwargs):
        self.load()
        outstanding = request.GET.get("show") == "outstanding"
        items = selectors.information_requests(
            strategy=self.strategy, today=timezone.localdate(), outstanding=outstanding
        )
        user = request.user
        return self.render_to_response(
            self.base_context(
                page_title=f"{self.strategy.title}: information requests",
                items=items,
                outstanding=outstanding,
                can_answer={
                    i.request.pk
                    for i in items
                    if rules.has_perm("governance.answer_request", user, i.request)
                },
                overdue=sum(1 for i in items if "overdue" in i.assessment.flag_names),
            )
        )
