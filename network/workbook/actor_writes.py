"""Writing the `Aktéři sítě` sheet's plan: new actors, changed columns and ended actors,
with their history, in a fixed number of queries however many rows there are."""

import contextlib
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from actors.history import (
    foreign_keys_checked_at_end,
    insert_rows,
    record_history,
    record_history_links,
    record_history_rows,
)
from actors.models import (
    Actor,
    Characteristic,
    CharacteristicValue,
    ContactPerson,
    Note,
    Organisation,
)

from .actor_sheet import M2M_FIELDS, TEXTS, ActorSheet
from .plan import REASON, ImportConflict, RowPlan, SheetPlan
from .reader import header_key

# From this many new actors on, the import writes as a bulk load (see `_bulk_load`).
BULK_LOAD = 5000

SCALARS = {
    **TEXTS,
    "Typ aktéra": "actor_type_id",
    "Zřizovatel": "founder",
    "Věk od": "age_from",
    "Věk do": "age_to",
    "Obec": "municipality_id",
    "On-line": "online",
    "Primární oblast potřeb": "primary_need_area_id",
    "Zaměření": "focus",
    "Krizová síť": "crisis_network",
    "Aktualizováno": "verified_on",
}


def _scalar_values(state: dict) -> dict:
    """The actor's attributes the state sets, by attname."""
    found = {attname: state[header] for header, attname in SCALARS.items() if header in state}
    if "Územní působnost" in state:
        found["territorial_scope"] = state["Územní působnost"][0]
    if "Naplněnost kapacity" in state:
        found["capacity"], found["capacity_date"] = state["Naplněnost kapacity"]
    return found


def _set_scalars(actor: Actor, state: dict) -> list[str]:
    found = _scalar_values(state)
    for attname, value in found.items():
        setattr(actor, attname, value)
    return list(found)


def apply_actors(sheet_rows: ActorSheet, plan: SheetPlan, *, user, end_missing: bool) -> None:
    """Write the plan; the caller holds the transaction. Versions are checked under lock."""
    bulk = len(plan.added) >= BULK_LOAD
    with _bulk_load() if bulk else contextlib.nullcontext():
        _apply_actors(sheet_rows, plan, user=user, end_missing=end_missing)


def _bulk_load():
    """The foreign keys of the tables the actors' import fills are checked once at the end.

    Only for thousands of new actors (a first load of a region, not the yearly revision of an
    ORP's ~150): meanwhile the actors and their lists are locked for readers, and the users'
    table is not (keys to it stay), so people can still sign in."""
    tables = [Actor, ContactPerson, Note, CharacteristicValue, CharacteristicValue.options.through]
    tables += [Actor._meta.get_field(name).remote_field.through for name in M2M_FIELDS.values()]
    return foreign_keys_checked_at_end(
        [model._meta.db_table for model in tables], keep_to=[get_user_model()._meta.db_table]
    )


def _apply_actors(sheet_rows: ActorSheet, plan: SheetPlan, *, user, end_missing: bool) -> None:
    changed_ids = [row.record_id for row in plan.changed]
    ended_ids = [pk for pk, _ in plan.missing] if end_missing else []
    locked = dict(
        Actor.objects.select_for_update()
        .filter(pk__in=changed_ids + ended_ids)
        .values_list("pk", "version")
    )
    moved = [row.name for row in plan.changed if locked.get(row.record_id) != row.version]
    if moved or len(locked) != len(changed_ids) + len(ended_ids):
        raise ImportConflict(
            "Během náhledu se v síti změnili aktéři "
            + ", ".join(f"„{name}“" for name in moved[:5])
            + ". Nahrajte soubor znovu a zkontrolujte nový náhled."
        )
    organisations = _organisations(plan)
    columns, new_rows = _new_actor_rows(plan.added, organisations, user)
    new_ids = insert_rows(Actor, columns[1:], new_rows, returning_ids=True)
    for row, pk in zip(plan.added, new_ids, strict=True):
        row.record_id = pk
    new_rows = [(pk, *row) for pk, row in zip(new_ids, new_rows, strict=True)]
    changed_actors = []
    # bulk_update() and update() leave auto_now fields as they were.
    now = timezone.now()
    fields = {"version", "updated_at"}
    current = Actor.objects.in_bulk(changed_ids)
    for row in plan.changed:
        actor = current[row.record_id]
        changed = _set_scalars(
            actor, {h: row.state[h] for h, _, _ in row.changes if h in row.state}
        )
        fields.update(changed)
        if any(h in ("Organizace", "IČO") for h, _, _ in row.changes):
            actor.organisation_id = organisations.get(id(row))
            fields.add("organisation")
        if "verified_on" in changed and actor.verified_on is not None:
            # A new `Aktualizováno` is a verification: by whom it is known only as the importer.
            actor.verified_by_id = _user_id(user)
            fields.add("verified_by")
        actor.version += 1
        actor.updated_at = now
        changed_actors.append(actor)
    if changed_actors:
        Actor.objects.bulk_update(changed_actors, sorted(fields), batch_size=500)
    # The new actors' history first, its many-to-many snapshots as their links are written
    # (none yet here): so the links need neither be read again nor be kept.
    new_records = record_history_rows(
        Actor,
        columns,
        new_rows,
        user=user,
        reason=REASON,
        history_type="+",
        links=dict.fromkeys(M2M_FIELDS.values(), ()),
    )
    del new_rows
    touched = [*plan.added, *plan.changed]
    _write_m2m(touched, new_records)
    _write_contacts(touched, user)
    _write_notes(touched, user)
    _write_characteristics(sheet_rows, touched, user)
    record_history(changed_actors, user=user, reason=REASON)
    if ended_ids:
        today = timezone.localdate()
        Actor.objects.filter(pk__in=ended_ids).update(
            status=Actor.Status.ENDED,
            ended_on=today,
            version=models.F("version") + 1,
            updated_at=now,
        )
        record_history(
            list(Actor.objects.filter(pk__in=ended_ids)),
            user=user,
            reason="Import sešitu: chybí v souboru",
        )


def _new_actor_rows(
    rows: list[RowPlan], organisations: dict, user
) -> tuple[list[str], list[tuple]]:
    """Every column of the new actors (the pk first), and their rows without the pk (still
    to come) for insert_rows. A verification date comes with its verifier: the importer."""
    template = Actor(status=Actor.Status.ACTIVE)
    now = timezone.now()
    template.created_at = template.updated_at = now
    columns = [field.attname for field in Actor._meta.concrete_fields]
    defaults = {name: getattr(template, name) for name in columns}
    found = []
    for row in rows:
        values_ = {**defaults, **_scalar_values(row.state)}
        values_["organisation_id"] = organisations.get(id(row))
        if values_["verified_on"] is not None:
            values_["verified_by_id"] = _user_id(user)
        found.append(tuple(values_[name] for name in columns[1:]))
    return columns, found


def _user_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _existing(rows: list[RowPlan]) -> list[int]:
    """The actors of the rows that were in the network before: only they have old values."""
    return [row.record_id for row in rows if row.version is not None]


def _writes(row: RowPlan, header: str) -> bool:
    """Whether the row writes the column: a new row that fills it, a changed row that changes
    it (asked for every column of every row: no set is built for a new row)."""
    if header not in row.state:
        return False
    return row.version is None or any(h == header for h, _, _ in row.changes)


def _affected(rows: list[RowPlan], header: str) -> list[RowPlan]:
    return [row for row in rows if _writes(row, header)]


def _organisations(plan: SheetPlan) -> dict[int, int | None]:
    """The organisation (its pk) of each row that names one (by IČO, else by name), created if
    new."""
    wanted = {}
    for row in (*plan.added, *plan.changed):
        if not (_writes(row, "Organizace") or _writes(row, "IČO")):
            continue
        wanted[id(row)] = (row.state.get("IČO", ""), row.state.get("Organizace", ""), row.name)
    if not wanted:
        return {}
    # Plain values: instances of every organisation of a large network cost more than the rest.
    by_ico, by_name = {}, {}
    for pk, name, ico in Organisation.objects.values_list("pk", "name", "ico"):
        if ico:
            by_ico[ico] = pk
        by_name[header_key(name)] = pk
    result, created = {}, {}
    for row_id, (ico, name, actor_name) in wanted.items():
        found = by_ico.get(ico) if ico else (by_name.get(header_key(name)) if name else None)
        if found is None and (ico or name):
            key = ico or header_key(name)
            found = created.get(key)
            if found is None:
                found = created[key] = Organisation(name=name or actor_name, ico=ico)
        result[row_id] = found
    Organisation.objects.bulk_create(created.values())
    return {
        row_id: found.pk if isinstance(found, Organisation) else found
        for row_id, found in result.items()
    }


def _write_m2m(rows: list[RowPlan], new_records: dict[int, int]) -> None:
    """Replace the links of the columns the rows change; those of new actors go to their
    historical records `new_records` (by actor) as well."""
    for header, name in M2M_FIELDS.items():
        affected = _affected(rows, header)
        if not affected:
            continue
        relation = Actor._meta.get_field(name)
        through = relation.remote_field.through
        target = f"{relation.m2m_reverse_field_name()}_id"
        through.objects.filter(actor_id__in=_existing(affected)).delete()
        pairs = []
        for row in affected:
            chosen = row.state[header][1] if header == "Územní působnost" else row.state[header]
            pairs += [(row.record_id, pk) for pk in chosen]
        # Plain pairs: the ORM's per-object cost dominated large imports.
        ids = insert_rows(through, ["actor_id", target], pairs, returning_ids=True)
        record_history_links(
            Actor,
            name,
            ((pk, *pair) for pk, pair in zip(ids, pairs, strict=True) if pair[0] in new_records),
            new_records,
        )


def _write_contacts(rows: list[RowPlan], user) -> None:
    affected = _affected(rows, "Kontaktní osoby")
    if not affected:
        return
    ContactPerson.objects.filter(actor_id__in=_existing(affected)).delete()
    columns = ["actor_id", "name", "role", "phone", "email", "order"]
    rows = [
        (r.record_id, name, role, phone, email, i)
        for r in affected
        for i, (name, role, phone, email) in enumerate(r.state["Kontaktní osoby"])
    ]
    ids = insert_rows(ContactPerson, columns, rows, returning_ids=True)
    rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    record_history_rows(
        ContactPerson, ["id", *columns], rows, user=user, reason=REASON, history_type="+"
    )


def _write_notes(rows: list[RowPlan], user) -> None:
    columns = ["actor_id", "text", "visibility", "author_id", "created_at"]
    author, now = _user_id(user), timezone.now()
    for header, visibility in (
        ("Poznámka", Note.Visibility.SHARED),
        ("Soukromá poznámka", Note.Visibility.PRIVATE),
    ):
        affected = _affected(rows, header)
        if not affected:
            continue
        existing = defaultdict(dict)
        for note in Note.objects.filter(actor_id__in=_existing(affected), visibility=visibility):
            existing[note.actor_id].setdefault(note.text.strip(), note.pk)
        stale, new = [], []
        for row in affected:
            kept = existing.get(row.record_id, {})
            wanted = set(row.state[header])
            stale += [pk for text, pk in kept.items() if text not in wanted]
            new += [
                (row.record_id, text, visibility.value, author, now)
                for text in row.state[header]
                if text not in kept
            ]
        Note.objects.filter(pk__in=stale).delete()
        ids = insert_rows(Note, columns, new, returning_ids=True)
        new = [(pk, *row) for pk, row in zip(ids, new, strict=True)]
        record_history_rows(Note, ["id", *columns], new, user=user, reason=REASON, history_type="+")


def _write_characteristics(sheet_rows: ActorSheet, rows: list[RowPlan], user) -> None:
    kind = Characteristic.Kind
    for header, characteristic in sheet_rows.characteristics.items():
        affected = _affected(rows, header)
        if not affected:
            continue
        CharacteristicValue.objects.filter(
            characteristic=characteristic, actor_id__in=_existing(affected)
        ).delete()
        columns = ["actor_id", "characteristic_id", "boolean", "text", "number", "option_id"]
        created, options = [], []
        for row in affected:
            value = row.state[header]
            if value is None:
                continue
            fields = dict.fromkeys(columns[2:])
            if characteristic.kind == kind.BOOLEAN:
                fields["boolean"] = value
            elif characteristic.kind == kind.NUMBER:
                fields["number"] = value
            elif characteristic.kind == kind.CHOICE:
                fields["option_id"] = value
            elif characteristic.kind == kind.TEXT:
                fields["text"] = value
            created.append((row.record_id, characteristic.pk, *fields.values()))
            options.append(value if characteristic.kind == kind.MULTICHOICE else ())
        ids = insert_rows(CharacteristicValue, columns, created, returning_ids=True)
        created = [(pk, *row) for pk, row in zip(ids, created, strict=True)]
        through = CharacteristicValue.options.through
        pairs = [(pk, o) for pk, chosen in zip(ids, options, strict=True) for o in chosen]
        link_ids = insert_rows(
            through,
            ["characteristicvalue_id", "characteristicoption_id"],
            pairs,
            returning_ids=True,
        )
        record_history_rows(
            CharacteristicValue,
            ["id", *columns],
            created,
            user=user,
            reason=REASON,
            history_type="+",
            links={"options": [(pk, *pair) for pk, pair in zip(link_ids, pairs, strict=True)]},
        )
