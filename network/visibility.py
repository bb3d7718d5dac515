"""The one visibility policy: what of the network each role may see (DOMAIN.md decision 7).

The coordinator sees everything, in the workspace. Everyone else sees the network only through
the pages of `network.maps`, and those read actors, platforms and their values only through the
names below: private notes, coordinator-only characteristics (their names, options and values)
and the internal evaluation of platforms are never selected for them, so no page, filter,
ordering, export or error message can show them.
"""

from django.db.models import Q, QuerySet

from actors.models import Characteristic, Note, Visibility
from platforms.models import Platform

from .roles import is_coordinator

# Platform fields for everyone with a role: never `internal_evaluation`, never the note.
PLATFORM_FIELDS = (
    "id", "name", "platform_type__name", "platform_type__code", "description", "regularity",
    "interval", "frequency_note", "coordinator_person", "initiator__name", "goals",
    "effectiveness", "has_minutes", "has_written_outputs", "outputs", "outputs_location",
    "level", "territory", "venue", "since_year", "status",
)  # fmt: skip


def may_see_private(user) -> bool:
    """Private notes, coordinator-only characteristics and internal evaluations."""
    return is_coordinator(user)


def shared_notes() -> Q:
    """Notes a case manager may read."""
    return Q(visibility=Note.Visibility.SHARED)


def shared_characteristics() -> QuerySet:
    """Characteristics whose names and values case managers may see."""
    return Characteristic.objects.filter(visibility=Visibility.CASE_MANAGERS)


def shared_platforms() -> QuerySet:
    """Active platforms with only the fields everyone with a role may read."""
    return Platform.objects.filter(status=Platform.Status.ACTIVE).values(*PLATFORM_FIELDS)
