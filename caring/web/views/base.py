"""What every page shares: a declared permission, a title, the navigation and the strategy."""

from __future__ import annotations

import rules
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import reverse
from rules.contrib.views import PermissionRequiredMixin

from caring.plans.models import PlanVersion
from caring.plans.selectors import version_current_by_slug

PUBLIC = "public"  # the permission of the sign-in page: anyone may see it


class Page(PermissionRequiredMixin):
    """A page. Subclasses must set ``permission_required`` (a test walks the URLs to check)."""

    page_title = ""
    permission_required: str | None = None
    raise_exception = False  # anonymous visitors are sent to sign in; others get 403

    def has_permission(self) -> bool:
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission.")
        if self.permission_required == PUBLIC:
            return True
        return super().has_permission()

    def handle_no_permission(self):
        # Signed-in people without the right see 403, not a sign-in loop.
        self.raise_exception = self.request.user.is_authenticated
        return super().handle_no_permission()

    def navigation(self) -> list[dict]:
        user = self.request.user
        if not user.is_authenticated:
            return []
        items = [("Home", reverse("web:home"))]
        slug = self.kwargs.get("slug") if hasattr(self, "kwargs") else None
        if slug:
            items += [
                ("Dashboard", reverse("web:dashboard", kwargs={"slug": slug})),
                ("Actions", reverse("web:actions", kwargs={"slug": slug})),
                ("My actions", reverse("web:my-actions", kwargs={"slug": slug})),
                ("Meetings", reverse("web:meetings", kwargs={"slug": slug})),
                ("Recommendations", reverse("web:tracker", kwargs={"slug": slug})),
                ("Reports", reverse("web:reports", kwargs={"slug": slug})),
                ("Indicators", reverse("web:indicators", kwargs={"slug": slug})),
                ("Carers", reverse("web:carers", kwargs={"slug": slug})),
            ]
            if rules.has_perm("plans.manage_plan", user):  # rules only: no model-permission query
                items.append(("Manage plan", reverse("web:manage-plan", kwargs={"slug": slug})))
        here = self.request.path
        return [{"text": text, "href": href, "active": here == href} for text, href in items]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title)
        context["navigation"] = self.navigation()
        return context


def plan_or_404(slug: str):
    """The strategy and its current plan version for a page, or 404: one query."""
    try:
        version = version_current_by_slug(slug=slug)
    except PlanVersion.DoesNotExist as exc:
        raise Http404(str(exc)) from None
    return version.strategy, version
