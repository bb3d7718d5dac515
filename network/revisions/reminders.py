"""The coordinator's reminders on the home page: what the open revision has not verified yet, and
what nobody verified for more than a year (DOMAIN.md §1, "which records were not verified")."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from actors.models import Actor
from needs.models import Activity
from platforms.models import Platform

from ..models import Revision
from ..quality import STALE_AFTER


@dataclass
class Reminders:
    revision: Revision | None
    # Per kind ("actor", "platform", "activity"): not verified since the revision opened.
    unverified: dict[str, int]
    # Per kind: not verified for more than a year, or never.
    stale: dict[str, int]
    # This year's revision when it is closed already (none is open then).
    closed: Revision | None = None

    @property
    def unverified_total(self) -> int:
        return sum(self.unverified.values())

    @property
    def stale_total(self) -> int:
        return sum(self.stale.values())


def reminders(today: datetime.date | None = None) -> Reminders:
    """Four queries: the open revision and one count per kind of record; with none open, one
    more for this year's, closed."""
    today = today or timezone.localdate()
    revision = Revision.objects.filter(status=Revision.Status.OPEN).first()
    closed = None if revision else Revision.objects.filter(year=today.year).first()
    since = timezone.localtime(revision.opened_at).date() if revision else today
    never = Q(verified_on__isnull=True)
    unverified, stale = {}, {}
    for kind, queryset in (
        ("actor", Actor.objects.active()),
        ("platform", Platform.objects.filter(status=Platform.Status.ACTIVE)),
        ("activity", Activity.objects.all()),
    ):
        counts = queryset.aggregate(
            unverified=Count("pk", filter=never | Q(verified_on__lt=since)),
            stale=Count("pk", filter=never | Q(verified_on__lt=today - STALE_AFTER)),
        )
        unverified[kind] = counts["unverified"] if revision else 0
        stale[kind] = counts["stale"]
    return Reminders(revision, unverified, stale, closed)
