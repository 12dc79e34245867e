"""Django's admin for administrators. Due dates and ratings change through progress updates,
so the admin shows them read-only once an action exists: the history stays whole."""

from django.contrib import admin
from django.utils import timezone
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
from caring.plans.selectors import action_assess, rag_config, with_counts

ILLUSTRATIVE = "Illustrative demo wording"


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "slug",
        "period_start",
        "period_end",
        "disclosure_rule",
        "is_illustrative",
    ]
    readonly_fields = ["is_illustrative"]
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
    list_display = [
        "ref",
        "title",
        "theme",
        "status",
        "rag",
        "suggested_rag",
        "flags",
        "due",
        "due_text",
        "times_slipped",
        "lead_role",
        "data_note",
    ]
    list_filter = ["version__strategy", "status", "rag", "theme__name"]
    ordering = ["version__strategy__title", "theme__number", "ref"]
    search_fields = ["ref", "title", "description", "lead_role"]
    filter_horizontal = ["outcomes", "organisations"]
    inlines = [UpdateInline, EvidenceInline, DueDateChangeInline]
    readonly_fields = [
        "data_note",
        "suggested_rag",
        "flags",
        "times_slipped",
        "original_due",
        "original_due_text",
        "last_update_on",
        "revision",
        "created_at",
        "updated_at",
        "carried_from",
        "retired_at",
    ]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request).select_related("version__strategy"))

    def _assessed(self, obj):
        if not hasattr(obj, "_assessed"):
            obj._assessed = action_assess(obj, today=timezone.localdate(), config=rag_config())
        return obj._assessed

    @admin.display(description="suggested RAG")
    def suggested_rag(self, obj):
        if obj.pk is None:
            return "-"
        suggestion = self._assessed(obj).suggestion
        return f"{suggestion.rag or 'not rated'}: {suggestion.reason}"

    @admin.display(description="flags")
    def flags(self, obj):
        if obj.pk is None:
            return "-"
        return ", ".join(self._assessed(obj).flag_names) or "none"

    @admin.display(description="times slipped")
    def times_slipped(self, obj):
        return getattr(obj, "times_slipped", 0)

    @admin.display(description="data")
    def data_note(self, obj):
        if obj.pk is None:
            return "-"
        return ILLUSTRATIVE if obj.version.strategy.is_illustrative else ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["due", "due_text", "due_kind", "status", "rag", "version"]
        return fields
