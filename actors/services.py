"""Writes on many actors at once: the coordinator's bulk actions in the workspace.

Each function takes the actors as a queryset and touches them in a fixed number of queries,
however many there are. Like a save through the workspace, every write raises the version of
the actors it changes (a form opened before it is refused, not saved over it) and is recorded in
their history under the user who did it.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .history import record_history
from .models import Actor, Characteristic, CharacteristicOption, CharacteristicValue

CharacteristicInput = bool | str | Decimal | CharacteristicOption | Iterable[CharacteristicOption]


class SetCharacteristicResult(NamedTuple):
    created: int
    updated: int


def _change_actors(actor_ids: list[int], *, user, reason: str, **changes) -> None:
    """Apply `changes` and raise the version in one UPDATE; record the new state in history."""
    Actor.objects.filter(pk__in=actor_ids).update(version=F("version") + 1, **changes)
    changed = list(Actor.objects.filter(pk__in=actor_ids).order_by("pk"))
    record_history(changed, user=user, reason=reason)


@transaction.atomic
def mark_verified(
    *, actors: QuerySet[Actor], user: AbstractBaseUser, on: datetime.date | None = None
) -> int:
    """Record that `user` verified the actors `on` a date (today by default).

    Effects: sets `verified_on` and `verified_by` and raises `version` of every actor in one
    UPDATE and records it in their history; `updated_at` stays, the data did not change.
    Returns the number of actors.
    """
    actor_ids = list(actors.values_list("pk", flat=True))
    _change_actors(
        actor_ids,
        user=user,
        reason=_("Marked as verified"),
        verified_on=on or timezone.localdate(),
        verified_by=user,
    )
    return len(actor_ids)


@transaction.atomic
def end_actors(*, actors: QuerySet[Actor], on: datetime.date, user: AbstractBaseUser) -> int:
    """End the active ones of the actors `on` a date; they stay in the database.

    Effects: sets `status` to ended, `ended_on` and `updated_at` and raises `version` of the
    active actors in one UPDATE and records it in their history; actors already ended keep
    their end date. Returns the number of actors ended.
    """
    actor_ids = list(actors.filter(status=Actor.Status.ACTIVE).values_list("pk", flat=True))
    _change_actors(
        actor_ids,
        user=user,
        reason=_("Ended"),
        status=Actor.Status.ENDED,
        ended_on=on,
        updated_at=timezone.now(),
    )
    return len(actor_ids)


def _columns(characteristic: Characteristic, value: CharacteristicInput) -> dict:
    """The typed columns of a value of the characteristic: its kind's column set, others NULL."""
    columns = {"boolean": None, "text": None, "number": None, "option": None}
    kind = characteristic.kind
    if kind == Characteristic.Kind.BOOLEAN:
        columns["boolean"] = bool(value)
    elif kind == Characteristic.Kind.TEXT:
        columns["text"] = str(value)
    elif kind == Characteristic.Kind.NUMBER:
        columns["number"] = Decimal(value)
    elif kind == Characteristic.Kind.CHOICE:
        columns["option"] = value
    return columns


def _check_options(characteristic: Characteristic, options: list[CharacteristicOption]) -> None:
    if any(option.characteristic_id != characteristic.pk for option in options):
        raise ValidationError(_("The option belongs to another characteristic."))


@transaction.atomic
def set_characteristic(
    *,
    actors: QuerySet[Actor],
    characteristic: Characteristic,
    value: CharacteristicInput,
    user: AbstractBaseUser,
) -> SetCharacteristicResult:
    """Give every actor the value of a characteristic, as update_or_create would.

    `value` is a bool, str, Decimal, one option or several options, by the characteristic's
    kind; options must belong to the characteristic (ValidationError otherwise).
    Effects: updates the existing CharacteristicValue rows of the actors in one UPDATE and
    creates the missing ones in one INSERT; for several choices, replaces the options of all
    of them (one DELETE and one INSERT in the through table). Records the values in history,
    raises the version of the actors and records them too. Returns the counts.
    """
    kind = characteristic.kind
    if kind == Characteristic.Kind.MULTICHOICE:
        options = list(value)
        columns = _columns(characteristic, None)
    else:
        options = [value] if kind == Characteristic.Kind.CHOICE else []
        columns = _columns(characteristic, value)
    _check_options(characteristic, options)

    actor_ids = list(actors.values_list("pk", flat=True))
    values = CharacteristicValue.objects.filter(characteristic=characteristic)
    existing = set(values.filter(actor_id__in=actor_ids).values_list("actor_id", flat=True))
    values.filter(actor_id__in=existing).update(**columns)
    CharacteristicValue.objects.bulk_create(
        CharacteristicValue(actor_id=actor_id, characteristic=characteristic, **columns)
        for actor_id in actor_ids
        if actor_id not in existing
    )
    stored = list(values.filter(actor_id__in=actor_ids).order_by("pk"))
    if kind == Characteristic.Kind.MULTICHOICE:
        through = CharacteristicValue.options.through
        through.objects.filter(characteristicvalue__in=stored).delete()
        through.objects.bulk_create(
            through(characteristicvalue_id=stored_value.pk, characteristicoption_id=option.pk)
            for stored_value in stored
            for option in options
        )
    reason = _("Set in bulk")
    created = [v for v in stored if v.actor_id not in existing]
    updated = [v for v in stored if v.actor_id in existing]
    record_history(created, user=user, reason=reason, history_type="+")
    record_history(updated, user=user, reason=reason, history_type="~")
    _change_actors(
        actor_ids, user=user, reason=_("Characteristic “%(name)s” set") % {"name": characteristic}
    )
    return SetCharacteristicResult(created=len(created), updated=len(updated))


@transaction.atomic
def clear_characteristic(
    *, actors: QuerySet[Actor], characteristic: Characteristic, user: AbstractBaseUser
) -> int:
    """Remove the value of a characteristic from the actors.

    Effects: records the deletion of their CharacteristicValue rows of that characteristic in
    history, deletes the rows with their options, raises the version of the actors that had a
    value and records them in history. Returns the number of values deleted.
    """
    doomed = list(
        CharacteristicValue.objects.filter(
            characteristic=characteristic, actor__in=actors.values("pk")
        ).order_by("pk")
    )
    if not doomed:
        return 0
    record_history(doomed, user=user, reason=_("Cleared in bulk"), history_type="-")
    CharacteristicValue.options.through.objects.filter(characteristicvalue__in=doomed).delete()
    # A plain delete() would send post_delete for every row, and django-simple-history would
    # answer each with two queries; the history of the deletion is already written above.
    rows = CharacteristicValue.objects.filter(pk__in=[v.pk for v in doomed])
    rows._raw_delete(router.db_for_write(CharacteristicValue))
    _change_actors(
        sorted({v.actor_id for v in doomed}),
        user=user,
        reason=_("Characteristic “%(name)s” cleared") % {"name": characteristic},
    )
    return len(doomed)
