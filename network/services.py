"""Writes across the templates: actors joined to platforms in bulk."""

from typing import NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from actors.history import record_history
from actors.models import Actor
from platforms.models import Platform, PlatformMembership


class AddToPlatformResult(NamedTuple):
    added: int
    already_members: int


@transaction.atomic
def add_to_platform(
    *,
    actors: QuerySet[Actor],
    platform: Platform,
    user: AbstractBaseUser,
    role: str = PlatformMembership.Role.MEMBER,
) -> AddToPlatformResult:
    """Make the actors members of a platform in a role.

    Effects: creates a PlatformMembership for every actor not yet a member, in one INSERT, and
    records them in history; existing memberships keep their role and dates. Returns the counts.
    """
    actor_ids = list(actors.values_list("pk", flat=True))
    members = set(
        PlatformMembership.objects.filter(platform=platform, actor_id__in=actor_ids).values_list(
            "actor_id", flat=True
        )
    )
    added = PlatformMembership.objects.bulk_create(
        PlatformMembership(platform=platform, actor_id=actor_id, role=role)
        for actor_id in actor_ids
        if actor_id not in members
    )
    record_history(added, user=user, reason=_("Added in bulk"), history_type="+")
    return AddToPlatformResult(added=len(added), already_members=len(members))
