from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from caring.accounts.models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class CaringUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Role", {"fields": ["job_title"]})]
    list_display = ["username", "job_title", "email", "is_staff", "is_active"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "short_name", "ods_code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "ods_code"]
    inlines = [MembershipInline]
