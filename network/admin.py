"""The whole-network additions to the admin: an actor's platforms on the actor's page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from actors.admin import ActorAdmin as BaseActorAdmin
from actors.models import Actor
from platforms.models import PlatformMembership

admin.site.site_header = admin.site.site_title = _("Network map")
admin.site.index_title = _("Coordinator's workspace")


class ActorMembershipInline(admin.TabularInline):
    model = PlatformMembership
    fields = ["platform", "role", "representative", "since", "until"]
    autocomplete_fields = ["platform"]
    extra = 0


admin.site.unregister(Actor)


@admin.register(Actor)
class ActorAdmin(BaseActorAdmin):
    inlines = [*BaseActorAdmin.inlines, ActorMembershipInline]
