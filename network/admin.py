"""The whole-network additions to the admin: an actor's platforms on the actor's page."""

from django.contrib import admin

from actors.admin import ActorAdmin as BaseActorAdmin
from actors.models import Actor
from platforms.models import PlatformMembership


class ActorMembershipInline(admin.TabularInline):
    model = PlatformMembership
    fields = ["platform", "role", "representative", "since", "until"]
    autocomplete_fields = ["platform"]
    extra = 0


admin.site.unregister(Actor)


@admin.register(Actor)
class ActorAdmin(BaseActorAdmin):
    inlines = [*BaseActorAdmin.inlines, ActorMembershipInline]
