"""Download the plan as an Excel workbook."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import View

from caring.plans.export import plan_export
from caring.web.views.base import Page, plan_or_404
from caring.workbooks.writer import write_plan_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DownloadWorkbook(Page, View):
    permission_required = "plans.view_plan"

    def get(self, request, slug):
        strategy, _ = plan_or_404(slug)
        out = io.BytesIO()
        send_back = "a strategy lead imports it at " + request.build_absolute_uri(
            reverse("web:import-workbook", kwargs={"slug": slug})
        )
        now = timezone.localtime()
        write_plan_workbook(plan_export(strategy=strategy), out, exported_at=now,
                            send_back_to=send_back)  # fmt: skip
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        name = f"{slug}-action-plan-{now:%Y-%m-%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
