from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import FoldedSearchMixin
from actors.concurrency import ConcurrentEditAdminMixin
from actors.text import CzechOrder

from .forms import PlatformForm
from .models import ParticipantGroup, Platform, PlatformMembership, PlatformType


@admin.register(PlatformType)
class PlatformTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]

    # The four types of the MPSV guide are reference data from a migration.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParticipantGroup)
class ParticipantGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = PlatformMembership
    fields = ["actor", "role", "representative", "since", "until"]
    autocomplete_fields = ["actor"]
    extra = 0


@admin.register(Platform)
class PlatformAdmin(ConcurrentEditAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    form = PlatformForm
    folded_search_fields = ("name", "description", "coordinator_person")
    ordering = ["platform_type__code", CzechOrder("name").asc()]
    list_display = ["name", "platform_type", "regularity", "interval", "status", "member_count"]
    list_filter = ["platform_type", "status", "regularity", "level", "need_areas", "topics"]
    list_select_related = ["platform_type"]
    search_fields = ["name", "description", "coordinator_person"]
    autocomplete_fields = ["platform_type", "initiator", "topics", "need_areas"]
    filter_horizontal = ["other_participants"]
    inlines = [MembershipInline]
    # Verifying is separate from editing: the annual revision's checklist stamps it.
    readonly_fields = ["verified_on", "verified_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "platform_type",
                    "description",
                    "status",
                    ("since_year", "until_year"),
                    "seen_version",
                ]
            },
        ),
        (_("Frequency"), {"fields": [("regularity", "interval"), "frequency_note", "venue"]}),
        (
            _("Participants and coordination"),
            {"fields": ["coordinator_person", "initiator", "other_participants"]},
        ),
        (
            _("Topics and goals"),
            {"fields": ["topics", "need_areas", "goals", "level", "territory"]},
        ),
        (
            _("Effectiveness and outputs"),
            {
                "fields": [
                    "effectiveness",
                    "internal_evaluation",
                    ("has_minutes", "has_written_outputs"),
                    "outputs",
                    "outputs_location",
                ]
            },
        ),
        (_("Other"), {"fields": ["note", ("verified_on", "verified_by")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


@admin.register(PlatformMembership)
class PlatformMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "platform", "role", "representative"]
    list_filter = ["role", "platform__platform_type", "platform"]
    list_select_related = ["actor", "platform"]
    search_fields = ["actor__name", "platform__name", "representative"]
    autocomplete_fields = ["actor", "platform"]
