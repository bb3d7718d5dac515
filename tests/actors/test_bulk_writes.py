"""Bulk writes of plain rows (actors/history.py): COPY and multi-row INSERT store the same values.

Imports of more than FEW_ROWS rows go by COPY on PostgreSQL, in binary where psycopg knows every
column's type; the tests' small networks would never reach it, so it is forced here.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from actors import history
from actors.models import Actor, CharacteristicValue, ContactPerson
from tests.factories import (
    ActorFactory,
    ActorTypeFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PATHS = {"copy": 0, "insert": 10**9}


@pytest.fixture(params=sorted(PATHS))
def path(request, monkeypatch):
    monkeypatch.setattr(history, "FEW_ROWS", PATHS[request.param])
    return request.param


def every_column(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def full_actor() -> Actor:
    return ActorFactory(
        name="Rodinné centrum Benešov",
        kind="service",
        organisation=OrganisationFactory(ico="00000001"),
        actor_type=ActorTypeFactory(),
        municipality=MunicipalityFactory(),
        age_from=3,
        age_to=18,
        online=True,
        capacity="full",
        capacity_date=datetime.date(2026, 2, 1),
        verified_on=datetime.date(2026, 3, 15),
        verified_by=UserFactory(),
        email="info@example.cz",
        phone="+420 777 000 111",
        territorial_scope="district",
    )


def test_rows_of_every_column_type_read_back_alike(path):
    source = full_actor()
    columns = [f.attname for f in Actor._meta.concrete_fields][1:]
    row = [getattr(source, name) for name in columns]
    row[columns.index("name")] = "Kopie centra"

    (pk,) = history.insert_rows(Actor, columns, [row], returning_ids=True)

    copy = Actor.objects.get(pk=pk)
    expected = {**every_column(source), "id": pk, "name": "Kopie centra"}
    assert every_column(copy) == expected
    # The copy's history, written the same way, holds the same values.
    record_of = history.record_history_rows(
        Actor, ["id", *columns], [(pk, *row)], user=None, reason="test", history_type="+"
    )
    record = Actor.history.get(history_id=record_of[pk])
    assert {name: getattr(record, name) for name in expected} == expected


def test_values_of_every_characteristic_kind_read_back_alike(path):
    actor = ActorFactory()
    options = CharacteristicFactory(name="Jazyky", kind="multichoice")
    option = CharacteristicOptionFactory(characteristic=options, name="němčina")
    columns = ["actor_id", "characteristic_id", "boolean", "text", "number", "option_id"]
    kinds = {
        "boolean": (True, None, None, None),
        "text": (None, "po domluvě", None, None),
        "number": (None, None, Decimal("1234.5"), None),
        "choice": (None, None, None, option.pk),
    }
    rows = [
        (actor.pk, CharacteristicFactory(name=kind, kind=kind).pk, *values)
        for kind, values in kinds.items()
    ]

    ids = history.insert_rows(CharacteristicValue, columns, rows, returning_ids=True)
    links = history.insert_rows(
        CharacteristicValue.options.through,
        ["characteristicvalue_id", "characteristicoption_id"],
        [(ids[0], option.pk)],
        returning_ids=True,
    )

    stored = CharacteristicValue.objects.in_bulk(ids)
    assert [(v.boolean, v.text, v.number, v.option_id) for v in (stored[pk] for pk in ids)] == list(
        kinds.values()
    )
    assert list(stored[ids[0]].options.all()) == [option]
    assert len(links) == 1


def test_links_and_their_history_snapshot(path):
    actor = ActorFactory()
    groups = [TargetGroupFactory(), TargetGroupFactory()]
    through = Actor.target_groups.through
    pairs = [(actor.pk, group.pk) for group in groups]
    ids = history.insert_rows(through, ["actor_id", "targetgroup_id"], pairs, returning_ids=True)
    record_of = history.record_history_rows(
        Actor,
        [f.attname for f in Actor._meta.concrete_fields],
        [tuple(every_column(actor).values())],
        user=None,
        reason="test",
        history_type="~",
    )

    assert sorted(actor.target_groups.all(), key=lambda g: g.pk) == groups
    record = Actor.history.get(history_id=record_of[actor.pk])
    assert sorted(link.targetgroup_id for link in record.target_groups.all()) == sorted(
        g.pk for g in groups
    )
    assert len(ids) == 2


def test_copy_is_binary_where_every_type_is_known():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    assert history._copy_types(Actor._meta.concrete_fields)
    assert history._copy_types(Actor.history.model._meta.concrete_fields)
    assert history._copy_types(CharacteristicValue._meta.concrete_fields)


def test_a_date_time_keeps_its_time_zone(path):
    actor = ActorFactory()
    moment = timezone.now().replace(microsecond=0)
    columns = [f.attname for f in Actor._meta.concrete_fields][1:]
    row = [getattr(actor, name) for name in columns]
    row[columns.index("name")] = "Jiné jméno"
    row[columns.index("created_at")] = moment

    (pk,) = history.insert_rows(Actor, columns, [row], returning_ids=True)

    assert Actor.objects.get(pk=pk).created_at == moment


def test_deleting_a_user_empties_who_made_the_history():
    """The bulk-written histories keep their user without a database constraint; Django
    still applies on_delete=SET_NULL."""
    user = UserFactory()
    actor = ActorFactory()
    columns = [f.attname for f in Actor._meta.concrete_fields]
    record_of = history.record_history_rows(
        Actor, columns, [tuple(every_column(actor).values())], user=user, reason="test"
    )

    user.delete()

    assert Actor.history.get(history_id=record_of[actor.pk]).history_user_id is None


def foreign_keys(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return cursor.fetchall()


def test_foreign_keys_dropped_for_a_bulk_load_come_back_and_refuse_a_bad_row():
    if connection.vendor != "postgresql":
        pytest.skip("the keys are dropped on PostgreSQL only")
    contacts, actors = ContactPerson._meta.db_table, Actor._meta.db_table
    before = {table: foreign_keys(table) for table in (contacts, actors)}
    # Checks of these rows are still pending (deferred): the helper must cope with them.
    actor = ActorFactory(verified_by=UserFactory())
    kept = [key for key in before[actors] if "auth_user" in key[1]]
    assert kept

    with history.foreign_keys_checked_at_end([contacts, actors], keep_to=["auth_user"]):
        assert foreign_keys(contacts) == []
        assert foreign_keys(actors) == kept
        ContactPerson.objects.create(actor=actor, name="Jana Nováková")
    assert {table: foreign_keys(table) for table in before} == before

    refused = pytest.raises(IntegrityError)
    with refused, transaction.atomic(), history.foreign_keys_checked_at_end([contacts]):
        ContactPerson.objects.create(actor_id=actor.pk + 1000, name="Nikdo")
    assert {table: foreign_keys(table) for table in before} == before
    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["Jana Nováková"]


def test_rows_written_in_a_bulk_load_block_stay():
    with history.foreign_keys_checked_at_end([ContactPerson._meta.db_table]):
        ContactPerson.objects.create(actor=ActorFactory(), name="Jana Nováková")
    assert ContactPerson.objects.count() == 1


def test_a_row_the_database_refuses_raises_djangos_integrity_error(path):
    """Whichever way the rows go, a refused one raises what the import turns into its
    "nothing changed" message (IntegrityError of Django, not of the driver)."""
    taken = ActorFactory(name="Rodinné centrum Benešov")
    columns = [f.attname for f in Actor._meta.concrete_fields][1:]
    row = [getattr(taken, name) for name in columns]

    with pytest.raises(IntegrityError), transaction.atomic():
        history.insert_rows(Actor, columns, [row], returning_ids=True)
    assert list(Actor.objects.values_list("name", flat=True)) == ["Rodinné centrum Benešov"]
