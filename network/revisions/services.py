"""Writes of the annual revision: open it, verify and end records, close it into a snapshot."""

import dataclasses
import datetime
import io
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from actors import services as actor_services
from actors.history import record_history
from actors.models import Actor, Characteristic, Visibility
from actors.resources import SHEET as ACTORS
from needs.models import Activity
from platforms.models import Platform

from ..models import Revision, Snapshot
from . import compare, pack, snapshot

SHARED_NOTE, PRIVATE_NOTE = "Poznámka", "Soukromá poznámka"  # the actors' sheet's headers
SHARED = Visibility.CASE_MANAGERS

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
    if Revision.objects.filter(status=Revision.Status.CLOSED, year__gt=year).exists():
        raise ValidationError(
            _("A later year's revision is already closed; a revision follows the last one.")
        )
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

    Effects: actors through `actors.services.end_actors`; platforms get the status ended, the
    year as their last, a raised version and a historical record. Returns how many ended.
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
        status=Platform.Status.ENDED,
        until_year=Platform.last_year(on.year),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    record_history(
        list(Platform.objects.filter(pk__in=found).order_by("pk")),
        user=user,
        reason=_("Ended in the revision"),
    )
    return len(found)


def previous_snapshot(revision: Revision, *, content: bool = True) -> Snapshot:
    """What the revision's changes are counted from: the latest earlier closed revision, or the
    revision's own baseline when there is none. Without `content`, its stored bytes are left in
    the database (for the pages that only name it)."""
    blobs = [] if content else ["data", "workbook"]
    earlier = (
        Snapshot.objects.filter(kind=Snapshot.Kind.CLOSED, revision__year__lt=revision.year)
        .order_by("-revision__year")
        .defer(*blobs)
        .first()
    )
    if earlier is not None:
        return earlier
    return Snapshot.objects.defer(*blobs).get(pk=revision.baseline_id)


def meeting_pack(
    revision: Revision, *, user, platform_name: str | None = None
) -> tuple[bytes, dict]:
    """The revision's workbook and the snapshot content of the same rows.

    The content holds everything (the coordinator compares it later); the workbook, which goes
    to the platform's meeting, holds the three templates, `Změny`, `Číselníky` and `O souboru`
    without private notes and coordinator-only characteristics, or any change of them.
    """
    sheets, _characteristics = snapshot.current_sheets()
    content = snapshot.content_of(sheets)
    since = previous_snapshot(revision)
    shared, characteristics = snapshot.shared_sheets(sheets)
    headers = {sheet.name: set(sheet.headers) for sheet in shared}
    changes = [
        change
        for change in compare.compare(since.content(), content)
        if change.kind != compare.ACTOR or not change.field or change.field in headers[ACTORS]
    ]
    changes = _without_notes_made_private(changes, content)
    changes = _without_values_private_then(changes, characteristics, since.taken_at)
    if platform_name is None:
        platform_name = revision.platform.name if revision.platform else ""
    stream = io.BytesIO()
    pack.write(
        stream,
        sheets=shared,
        characteristics=characteristics,
        changes=changes,
        year=revision.year,
        since=since,
        platform=platform_name,
        user=user,
    )
    return stream.getvalue(), content


def _without_notes_made_private(changes: list, content: dict) -> list:
    """The changes of shared notes without the old texts that are private notes today: a note
    the coordinator has since made private is not read out at the platform's meeting."""
    if not any(c.kind == compare.ACTOR and c.field == SHARED_NOTE for c in changes):
        return changes  # the records below are read again only when notes changed
    actors = compare.records(content)[compare.ACTOR]
    found = []
    for change in changes:
        if change.kind == compare.ACTOR and change.field == SHARED_NOTE:
            record = actors.get(change.key)
            private = set(_paragraphs(record.fields.get(PRIVATE_NOTE, ""))) if record else set()
            old = "\n\n".join(p for p in _paragraphs(change.old) if p not in private)
            if old == change.new:
                continue
            change = dataclasses.replace(change, old=old)
        found.append(change)
    return found


def _without_values_private_then(
    changes: list, characteristics: list, taken_at: datetime.datetime
) -> list:
    """The changes of characteristics shared today whose column held no shared characteristic
    when the earlier snapshot was taken, without their old values: the snapshot holds them,
    but they were never meant for the platform's meeting. By the column's name then (a
    characteristic may have been renamed since, and another given its name)."""
    columns = {c.name for c in characteristics}
    if not any(c.kind == compare.ACTOR and c.field in columns for c in changes):
        return changes
    then = (
        Characteristic.history.filter(history_date__lte=taken_at)
        .latest_of_each()
        .values_list("name", "visibility", "history_type")
    )
    shared_then = {name for name, visibility, kind in then if kind != "-" and visibility == SHARED}
    found = []
    for change in changes:
        if change.kind == compare.ACTOR and change.field in columns - shared_then:
            if not change.new:
                continue  # a value that was not shared then, removed since
            change = dataclasses.replace(change, old="")
        found.append(change)
    return found


def _paragraphs(text: str) -> list[str]:
    # As the sheet writes notes: one per paragraph.
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


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
