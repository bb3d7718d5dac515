"""The whole-network additions to the admin: an actor's platforms on the actor's page, and the
coordinator's bulk actions on the actor list."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from actors import actions as actor_actions
from actors.admin import ActorAdmin as BaseActorAdmin
from actors.filters import QuickChoicesFilter
from actors.models import Actor
from platforms.models import Platform, PlatformMembership
from platforms.resources import NetworkActorResource

from . import actions
from .models import Map
from .workbook.export import InertXLSX


class ActorMembershipInline(admin.TabularInline):
    model = PlatformMembership
    fields = ["platform", "role", "representative", "since", "until"]
    extra = 0

    def get_queryset(self, request):
        # Each row's title is "actor – platform (role)".
        return super().get_queryset(request).select_related("actor", "platform")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "platform":
            # One query for the platforms of all rows, not one per membership row.
            cached = getattr(request, "_platform_choices", None)
            if cached is None:
                cached = request._platform_choices = list(field.choices)
            field.choices = cached
        return field


class InPlatformFilter(QuickChoicesFilter):
    title = _("takes part in a platform")
    parameter_name = "v_platforme"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no, in none"))]

    def queryset(self, request, queryset):
        memberships = PlatformMembership.objects.filter(actor=OuterRef("pk"))
        if self.value() == "yes":
            return queryset.filter(Exists(memberships))
        if self.value() == "no":
            return queryset.exclude(Exists(memberships))
        return queryset


class PlatformFilter(QuickChoicesFilter):
    title = _("platform")
    parameter_name = "platforma"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Platform.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            memberships = PlatformMembership.objects.filter(
                actor=OuterRef("pk"), platform_id=int(self.value())
            )
            return queryset.filter(Exists(memberships))
        return queryset


admin.site.unregister(Actor)


class ColumnExportForm(SelectableFieldsExportForm):
    """The export's column choice labelled with the sheet's Czech headers only.

    django-import-export labels a column with its field name from the resource class, which
    knows neither Czech nor the characteristics added per instance.
    """

    def _create_boolean_fields(self, resource, index):
        self._headers = {name: field.column_name for name, field in resource().fields.items()}
        return super()._create_boolean_fields(resource, index)

    def _get_field_label(self, resource, field_name):
        return self._headers.get(field_name, field_name)


@admin.register(Actor)
class ActorAdmin(ExportMixin, BaseActorAdmin):
    # The list exports what it shows (filters, search), in the sheet's columns, custom
    # characteristics included; the coordinator may leave columns out.
    change_list_template = "admin/actors/actor/change_list.html"
    resource_classes = [NetworkActorResource]
    formats = [InertXLSX]
    export_form_class = ColumnExportForm

    def get_export_filename(self, request, queryset, file_format):
        # django-import-export writes the name as is into the header: keep it ASCII.
        orp = slugify(settings.NETWORK_ORP_NAME)
        return f"akteri-site-{orp}-{timezone.localdate():%Y-%m-%d}.xlsx"

    inlines = [*BaseActorAdmin.inlines, ActorMembershipInline]
    list_display = [*BaseActorAdmin.list_display[:-1], "platform_count", "verified_on"]
    list_filter = [*BaseActorAdmin.list_filter, InPlatformFilter, PlatformFilter]
    actions = [
        actor_actions.mark_verified,
        actor_actions.end_actors,
        actions.add_to_platform,
        actor_actions.set_characteristic,
        actor_actions.clear_characteristic,
    ]

    def get_queryset(self, request):
        platforms = (
            PlatformMembership.objects.filter(actor=OuterRef("pk"))
            .order_by()
            .values("actor")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(platform_total=Coalesce(Subquery(platforms), 0, output_field=IntegerField()))
        )

    @admin.display(description=_("platforms"), ordering="platform_total")
    def platform_count(self, obj):
        return obj.platform_total

    def get_actions(self, request):
        # Actors end, they are not deleted in bulk: an ended actor stays in the network's record.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Map)
class MapAdmin(SimpleHistoryAdmin):
    """The maps and their audience at a glance; a map's filter and columns are built on its own
    page (`Upravit` on the map), which the admin links to as "view on site"."""

    list_display = ["name", "crisis_network", "status", "order", "created_by", "updated_at"]
    list_filter = ["status", "crisis_network"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    filter_horizontal = ["audience_groups", "audience_users"]
    fields = [
        "name",
        "description",
        "status",
        "order",
        "audience_groups",
        "audience_users",
        ("created_by", "created_at", "updated_at"),
    ]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_select_related = ["created_by"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class NetworkUserAdmin(UserAdmin):
    """Coordinators manage the other users: their roles (groups), names and access (DOMAIN.md
    §1). What only the technical administrator may give stays the administrator's: the
    superuser's status and permissions beside the roles, and the administrator's own account
    and password (a coordinator could otherwise make themselves one)."""

    ADMINISTRATOR_ONLY = ("is_superuser", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        found = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return found
        return (*found, *self.ADMINISTRATOR_ONLY)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # viewed only, its password included
        return super().has_change_permission(request, obj)
