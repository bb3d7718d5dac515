from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, FulfilmentSign, Need, NeedArea, Risk


class NeedInline(admin.TabularInline):
    model = Need
    fields = ["name", "order"]
    extra = 0
    show_change_link = True


@admin.register(NeedArea)
class NeedAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]
    inlines = [NeedInline]

    # The six areas are reference data from a migration: described, never added or removed.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FulfilmentSignInline(admin.TabularInline):
    model = FulfilmentSign
    extra = 0


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["name", "focus", "order"]
    extra = 0
    show_change_link = True


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "order"]
    list_filter = ["area"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name"]
    autocomplete_fields = ["area"]
    inlines = [FulfilmentSignInline, RiskInline, ActivityInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "need", "focus", "verified_on"]
    list_filter = ["focus", "need__area"]
    list_select_related = ["need", "need__area"]
    search_fields = ["name", "need__name"]
    autocomplete_fields = ["need"]
    # Verified through the annual revision's checklist, not typed in.
    readonly_fields = ["verified_on", "verified_by"]


@admin.register(FulfilmentSign)
class FulfilmentSignAdmin(SimpleHistoryAdmin):
    list_display = ["text", "need"]
    list_select_related = ["need"]
    list_filter = ["need__area"]
    search_fields = ["text", "need__name"]
    autocomplete_fields = ["need"]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["text", "need"]
    list_select_related = ["need"]
    list_filter = ["need__area"]
    search_fields = ["text", "need__name"]
    autocomplete_fields = ["need"]
