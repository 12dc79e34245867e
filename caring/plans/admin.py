"""Django's admin for administrators. Due dates and ratings change through progress updates,
so the admin shows them read-only once an action exists: the history stays whole."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from caring.plans.models import (
    Action,
    DueDateChange,
    Evidence,
    Outcome,
    PlanVersion,
    Strategy,
    Theme,
    Update,
)


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "period_start", "period_end", "is_illustrative"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [OutcomeInline]


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(PlanVersion)
class PlanVersionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "strategy", "created", "is_current"]
    list_filter = ["strategy", "is_current"]
    inlines = [ThemeInline]


class UpdateInline(admin.StackedInline):
    model = Update
    extra = 0
    can_delete = False
    readonly_fields = ["reported_on", "author", "narrative", "status", "rag", "rag_rationale"]

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "title", "text", "url", "file", "added_by", "added_at"]

    def has_add_permission(self, request, obj=None):
        return False


class DueDateChangeInline(admin.TabularInline):
    model = DueDateChange
    extra = 0
    can_delete = False
    readonly_fields = [
        "old_due",
        "old_text",
        "new_due",
        "new_text",
        "reason",
        "changed_by",
        "changed_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "title", "theme", "status", "rag", "due", "due_text", "lead_role"]
    list_filter = ["version__strategy", "status", "rag", "theme__name"]
    search_fields = ["ref", "title", "description", "lead_role"]
    filter_horizontal = ["outcomes", "organisations"]
    inlines = [UpdateInline, EvidenceInline, DueDateChangeInline]
    readonly_fields = [
        "original_due",
        "original_due_text",
        "last_update_on",
        "revision",
        "created_at",
        "updated_at",
        "carried_from",
        "retired_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["due", "due_text", "due_kind", "status", "rag", "version"]
        return fields
