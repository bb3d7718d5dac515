"""Writes of the annual revision: open it, verify and end records, close it into a snapshot."""

import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from actors import services as actor_services
from actors.history import record_history
from actors.models import Actor
from needs.models import Activity
from platforms.models import Platform

from ..models import Revision, Snapshot
from . import compare, pack, snapshot

ACTOR, PLATFORM, ACTIVITY = compare.ACTOR, compare.PLATFORM, compare.ACTIVITY


def user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def take_snapshot(
    *,
    year: int,
    kind: str,
    user,
    content: dict,
    workbook: bytes = b"",
    platform: str = "",
    discussed_on: datetime.date | None = None,
) -> Snapshot:
    return Snapshot.objects.create(
        year=year,
        kind=kind,
        taken_at=timezone.now(),
        taken_by=user_name(user),
        platform=platform,
        discussed_on=discussed_on,
        data=snapshot.encode(content),
        workbook=workbook,
    )


@transaction.atomic
def open_revision(*, year: int, user) -> Revision:
    """Open the revision of `year`.

    Effects: freezes today's templates as the revision's baseline snapshot (what the checklist
    and the meeting pack compare with) and creates the revision in preparation.
    """
    if Revision.objects.filter(status=Revision.Status.OPEN).exists():
        raise ValidationError(_("Another revision is already open; close it first."))
    if Revision.objects.filter(year=year).exists():
        raise ValidationError(_("The revision of %(year)s already exists.") % {"year": year})
    sheets, _characteristics = snapshot.current_sheets()
    content = snapshot.content_of(sheets)
    baseline = take_snapshot(year=year, kind=Snapshot.Kind.BASELINE, user=user, content=content)
    return Revision.objects.create(year=year, opened_by=user, baseline=baseline)


@transaction.atomic
def verify(*, kind: str, ids: list[int], user, on: datetime.date | None = None) -> int:
    """Record that `user` verified the records `on` a date (today by default).

    Effects: sets `verified_on` and `verified_by` of the active records among `ids` of `kind`
    (actors, platforms or activities), raises the version where the model has one and records
    it in their history. Nothing else of the records changes. Returns their number.
    """
    on = on or timezone.localdate()
    if kind == ACTOR:
        return actor_services.mark_verified(
            actors=Actor.objects.active().filter(pk__in=ids), user=user, on=on
        )
    if kind == PLATFORM:
        records = Platform.objects.filter(pk__in=ids, status=Platform.Status.ACTIVE)
        changes = {"version": F("version") + 1}
    elif kind == ACTIVITY:
        records = Activity.objects.filter(pk__in=ids)
        changes = {}
    else:
        raise ValueError(kind)
    found = list(records.values_list("pk", flat=True))
    records.model.objects.filter(pk__in=found).update(verified_on=on, verified_by=user, **changes)
    record_history(
        list(records.model.objects.filter(pk__in=found).order_by("pk")),
        user=user,
        reason=_("Marked as verified"),
    )
    return len(found)


@transaction.atomic
def end(*, kind: str, ids: list[int], user, on: datetime.date | None = None) -> int:
    """End active actors or platforms found out of date in the revision.

    Effects: actors through `actors.services.end_actors`; platforms get the status ended,
    a raised version and a historical record. Returns the number of records ended.
    """
    on = on or timezone.localdate()
    if kind == ACTOR:
        return actor_services.end_actors(
            actors=Actor.objects.active().filter(pk__in=ids), on=on, user=user
        )
    if kind != PLATFORM:
        raise ValueError(kind)
    found = list(
        Platform.objects.filter(pk__in=ids, status=Platform.Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    Platform.objects.filter(pk__in=found).update(
        status=Platform.Status.ENDED, version=F("version") + 1
    )
    record_history(
        list(Platform.objects.filter(pk__in=found).order_by("pk")),
        user=user,
        reason=_("Ended in the revision"),
    )
    return len(found)


def previous_snapshot(revision: Revision) -> Snapshot:
    """What the revision's changes are counted from: the latest earlier closed revision, or the
    revision's own baseline when there is none."""
    earlier = (
        Revision.objects.filter(status=Revision.Status.CLOSED, year__lt=revision.year)
        .select_related("snapshot")
        .order_by("-year")
        .first()
    )
    return earlier.snapshot if earlier else revision.baseline


def meeting_pack(
    revision: Revision, *, user, platform_name: str | None = None
) -> tuple[bytes, dict]:
    """The revision's workbook (the three templates, `Změny`, `Číselníky`, `O souboru`) and the
    snapshot content of the same rows."""
    sheets, characteristics = snapshot.current_sheets()
    content = snapshot.content_of(sheets)
    since = previous_snapshot(revision)
    changes = compare.compare(since.content(), content)
    if platform_name is None:
        platform_name = revision.platform.name if revision.platform else ""
    stream = io.BytesIO()
    pack.write(
        stream,
        sheets=sheets,
        characteristics=characteristics,
        changes=changes,
        year=revision.year,
        since=since,
        platform=platform_name,
        user=user,
    )
    return stream.getvalue(), content


@transaction.atomic
def close_revision(
    *, revision: Revision, user, platform: Platform | None, discussed_on: datetime.date
) -> Snapshot:
    """Close the revision as discussed at `platform` on `discussed_on`.

    Effects: locks the revision, writes its meeting pack from today's templates and freezes it
    with the templates' content into a closed snapshot that never changes, then marks the
    revision closed, by `user`.
    """
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if not revision.is_open:
        raise ValidationError(_("The revision is already closed."))
    name = platform.name if platform else ""
    workbook, content = meeting_pack(revision, user=user, platform_name=name)
    frozen = take_snapshot(
        year=revision.year,
        kind=Snapshot.Kind.CLOSED,
        user=user,
        content=content,
        workbook=workbook,
        platform=name,
        discussed_on=discussed_on,
    )
    revision.platform = platform
    revision.closed_by = user
    revision.snapshot = frozen
    revision.status = Revision.Status.CLOSED
    revision.save()
    return frozen
