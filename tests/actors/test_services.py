import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actors import services
from actors.models import Actor, Characteristic, CharacteristicValue
from tests.factories import (
    ActorFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    CharacteristicValueFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 3, 31)


@pytest.fixture
def user():
    return UserFactory(username="koordinatorka")


def actors_by_pk(actors):
    return Actor.objects.filter(pk__in=[actor.pk for actor in actors])


@pytest.fixture
def multichoice():
    characteristic = CharacteristicFactory(name="Jazyky", kind=Characteristic.Kind.MULTICHOICE)
    options = [
        CharacteristicOptionFactory(characteristic=characteristic, name=name)
        for name in ("čeština", "romština", "ukrajinština")
    ]
    return characteristic, options


def stored(characteristic):
    """The values of the characteristic as (actor name, columns, option names), by actor."""
    return [
        (
            value.actor.name,
            (value.boolean, value.text, value.number, value.option_id),
            sorted(option.name for option in value.options.all()),
        )
        for value in CharacteristicValue.objects.filter(characteristic=characteristic)
        .select_related("actor")
        .prefetch_related("options")
        .order_by("actor__name")
    ]


# --- mark_verified ---------------------------------------------------------------------------


def test_mark_verified_sets_today_and_user(user):
    chosen = ActorFactory.create_batch(2, verified_on=datetime.date(2023, 1, 1))
    ActorFactory(verified_on=datetime.date(2023, 1, 1))

    count = services.mark_verified(actors=actors_by_pk(chosen), user=user)

    assert count == 2
    assert list(Actor.objects.order_by("pk").values_list("verified_on", "verified_by")) == [
        (timezone.localdate(), user.pk),
        (timezone.localdate(), user.pk),
        (datetime.date(2023, 1, 1), None),
    ]


def test_mark_verified_keeps_updated_at(user):
    actor = ActorFactory()
    before = Actor.objects.get().updated_at

    services.mark_verified(actors=Actor.objects.all(), user=user)

    assert Actor.objects.get(pk=actor.pk).updated_at == before


def test_mark_verified_raises_version_and_records_history(user):
    actor = ActorFactory(version=4)
    actor.target_groups.set([TargetGroupFactory(name="rodiče")])

    services.mark_verified(actors=Actor.objects.all(), user=user)

    latest = actor.history.latest()
    assert Actor.objects.get().version == 5
    assert (
        latest.version,
        latest.verified_on,
        latest.history_user,
        latest.history_type,
        latest.history_change_reason,
        [link.targetgroup.name for link in latest.target_groups.all()],
    ) == (5, timezone.localdate(), user, "~", "Označeno jako ověřené", ["rodiče"])


@pytest.mark.parametrize("size", [1, 20])
def test_mark_verified_queries_independent_of_actor_count(size, user, django_assert_num_queries):
    actors = actors_by_pk(ActorFactory.create_batch(size))

    # savepoint, actor ids, UPDATE, SELECT actors, INSERT history, SELECT the links of its 7
    # many-to-many fields, release
    with django_assert_num_queries(13):
        services.mark_verified(actors=actors, user=user)


# --- end_actors -----------------------------------------------------------------------------


def test_end_actors_ends_active_ones_on_the_date(user):
    active = ActorFactory.create_batch(2)

    count = services.end_actors(actors=actors_by_pk(active), on=END, user=user)

    assert count == 2
    assert list(Actor.objects.values_list("status", "ended_on")) == [("ended", END), ("ended", END)]


def test_end_actors_leaves_already_ended_alone(user):
    ActorFactory(name="A", ended=True)
    ActorFactory(name="B")

    count = services.end_actors(actors=Actor.objects.all(), on=END, user=user)

    assert count == 1
    assert list(Actor.objects.order_by("name").values_list("name", "status", "ended_on")) == [
        ("A", "ended", datetime.date(2024, 6, 30)),
        ("B", "ended", END),
    ]


def test_end_actors_leaves_unselected_active(user):
    ActorFactory(name="A")
    ActorFactory(name="B")

    services.end_actors(actors=Actor.objects.filter(name="A"), on=END, user=user)

    assert list(Actor.objects.order_by("name").values_list("name", "status")) == [
        ("A", "ended"),
        ("B", "active"),
    ]


def test_end_actors_bumps_updated_at(user):
    actor = ActorFactory()
    before = Actor.objects.get().updated_at

    services.end_actors(actors=Actor.objects.all(), on=END, user=user)

    assert Actor.objects.get(pk=actor.pk).updated_at > before


@pytest.mark.parametrize("size", [1, 20])
def test_end_actors_queries_independent_of_actor_count(size, user, django_assert_num_queries):
    actors = actors_by_pk(ActorFactory.create_batch(size))

    # savepoint, actor ids, UPDATE, SELECT actors, INSERT history, SELECT the links of its 7
    # many-to-many fields, release
    with django_assert_num_queries(13):
        services.end_actors(actors=actors, on=END, user=user)


def test_end_actors_records_history_of_ended_only(user):
    ended = ActorFactory(ended=True)
    active = ActorFactory()

    services.end_actors(actors=Actor.objects.all(), on=END, user=user)

    assert list(ended.history.values_list("history_type", flat=True)) == ["+"]
    assert list(active.history.values_list("history_type", "status", "ended_on", "version")) == [
        ("~", "ended", END, 2),
        ("+", "active", None, 1),
    ]


# --- set_characteristic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "columns"),
    [
        ("boolean", True, (True, None, None, None)),
        ("boolean", False, (False, None, None, None)),
        ("text", "Bezbariérový vstup", (None, "Bezbariérový vstup", None, None)),
        ("number", Decimal("12.5"), (None, None, Decimal("12.5"), None)),
    ],
)
def test_set_characteristic_creates_value_in_kind_column(kind, value, columns, user):
    characteristic = CharacteristicFactory(kind=kind)
    ActorFactory(name="A")

    result = services.set_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, value=value, user=user
    )

    assert result == (1, 0)
    assert stored(characteristic) == [("A", columns, [])]


def test_set_characteristic_choice_stores_the_option(user):
    option = CharacteristicOptionFactory(name="doporučení OSPOD")
    ActorFactory(name="A")

    services.set_characteristic(
        actors=Actor.objects.all(), characteristic=option.characteristic, value=option, user=user
    )

    assert stored(option.characteristic) == [("A", (None, None, None, option.pk), [])]


def test_set_characteristic_overwrites_existing_and_creates_missing(user):
    characteristic = CharacteristicFactory(kind=Characteristic.Kind.TEXT)
    first = ActorFactory(name="A")
    ActorFactory(name="B")
    CharacteristicValueFactory(actor=first, characteristic=characteristic, text="staré")

    result = services.set_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, value="nové", user=user
    )

    assert result == services.SetCharacteristicResult(created=1, updated=1)
    assert stored(characteristic) == [
        ("A", (None, "nové", None, None), []),
        ("B", (None, "nové", None, None), []),
    ]
    assert CharacteristicValue.objects.count() == 2


def test_set_characteristic_leaves_other_characteristics_and_actors(user):
    characteristic = CharacteristicFactory(kind=Characteristic.Kind.TEXT)
    other = CharacteristicFactory(kind=Characteristic.Kind.TEXT)
    chosen = ActorFactory(name="A")
    unselected = ActorFactory(name="B")
    CharacteristicValueFactory(actor=chosen, characteristic=other, text="jiný znak")
    CharacteristicValueFactory(actor=unselected, characteristic=characteristic, text="jiný aktér")

    services.set_characteristic(
        actors=Actor.objects.filter(pk=chosen.pk),
        characteristic=characteristic,
        value="nové",
        user=user,
    )

    assert stored(characteristic) == [
        ("A", (None, "nové", None, None), []),
        ("B", (None, "jiný aktér", None, None), []),
    ]
    assert stored(other) == [("A", (None, "jiný znak", None, None), [])]


def test_set_characteristic_multichoice_replaces_options(multichoice, user):
    characteristic, (czech, romani, ukrainian) = multichoice
    first = ActorFactory(name="A")
    ActorFactory(name="B")
    value = CharacteristicValue.objects.create(actor=first, characteristic=characteristic)
    value.options.set([czech, ukrainian])

    result = services.set_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, value=[czech, romani], user=user
    )

    assert result == (1, 1)
    assert stored(characteristic) == [
        ("A", (None, None, None, None), ["romština", "čeština"]),
        ("B", (None, None, None, None), ["romština", "čeština"]),
    ]


def test_set_characteristic_refuses_option_of_another_characteristic(multichoice, user):
    characteristic, _ = multichoice
    foreign = CharacteristicOptionFactory()
    ActorFactory()

    with pytest.raises(ValidationError):
        services.set_characteristic(
            actors=Actor.objects.all(), characteristic=characteristic, value=[foreign], user=user
        )

    assert CharacteristicValue.objects.count() == 0


def test_set_characteristic_records_history_and_raises_actor_version(multichoice, user):
    characteristic, (czech, romani, _) = multichoice
    actor = ActorFactory()

    services.set_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, value=[czech, romani], user=user
    )

    value = CharacteristicValue.objects.get()
    record = value.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        user,
        "Nastaveno hromadně",
    )
    assert sorted(link.characteristicoption.name for link in record.options.all()) == [
        "romština",
        "čeština",
    ]
    assert Actor.objects.get().version == 2
    assert actor.history.latest().history_change_reason == "Nastaven znak „Jazyky“"


@pytest.mark.parametrize("size", [1, 20])
def test_set_characteristic_queries_independent_of_actor_count(
    size, multichoice, user, django_assert_num_queries
):
    characteristic, options = multichoice
    CharacteristicValue.objects.create(actor=ActorFactory(), characteristic=characteristic)
    ActorFactory.create_batch(size)  # without a value yet

    # savepoint, actor ids, actors with a value, UPDATE values, INSERT values, SELECT values,
    # DELETE options, INSERT options; history of the added and of the updated values: INSERT,
    # SELECT options, INSERT options (x2); UPDATE actors, SELECT actors, INSERT history,
    # SELECT the links of its 7 many-to-many fields; release
    with django_assert_num_queries(25):
        services.set_characteristic(
            actors=Actor.objects.all(), characteristic=characteristic, value=options[:2], user=user
        )

    assert CharacteristicValue.options.through.objects.count() == (size + 1) * 2


# --- clear_characteristic -------------------------------------------------------------------


def test_clear_characteristic_deletes_values_of_selected_actors(multichoice, user):
    characteristic, options = multichoice
    chosen, unselected = ActorFactory(name="A"), ActorFactory(name="B")
    for actor in (chosen, unselected):
        value = CharacteristicValue.objects.create(actor=actor, characteristic=characteristic)
        value.options.set(options)

    count = services.clear_characteristic(
        actors=Actor.objects.filter(pk=chosen.pk), characteristic=characteristic, user=user
    )

    assert count == 1
    assert stored(characteristic) == [
        ("B", (None, None, None, None), ["romština", "ukrajinština", "čeština"])
    ]
    assert CharacteristicValue.options.through.objects.count() == 3


def test_clear_characteristic_keeps_other_characteristics(user):
    characteristic, other = CharacteristicFactory(), CharacteristicFactory()
    actor = ActorFactory(name="A")
    CharacteristicValueFactory(actor=actor, characteristic=characteristic)
    CharacteristicValueFactory(actor=actor, characteristic=other, text="zůstane")

    count = services.clear_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, user=user
    )

    assert count == 1
    assert stored(characteristic) == []
    assert stored(other) == [("A", (None, "zůstane", None, None), [])]


def test_clear_characteristic_records_deletion_in_history(multichoice, user):
    characteristic, options = multichoice
    actor = ActorFactory()
    value = CharacteristicValue.objects.create(actor=actor, characteristic=characteristic)
    value.options.set(options[:1])

    services.clear_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, user=user
    )

    record = CharacteristicValue.history.filter(id=value.pk).latest()
    assert (record.history_type, record.history_user) == ("-", user)
    assert [link.characteristicoption.name for link in record.options.all()] == ["čeština"]
    assert Actor.objects.get().version == 2


def test_clear_characteristic_without_values_changes_nothing(user):
    characteristic = CharacteristicFactory()
    ActorFactory()

    count = services.clear_characteristic(
        actors=Actor.objects.all(), characteristic=characteristic, user=user
    )

    assert (count, Actor.objects.get().version) == (0, 1)


@pytest.mark.parametrize("size", [1, 20])
def test_clear_characteristic_queries_independent_of_actor_count(
    size, multichoice, user, django_assert_num_queries
):
    characteristic, options = multichoice
    for actor in ActorFactory.create_batch(size):
        value = CharacteristicValue.objects.create(actor=actor, characteristic=characteristic)
        value.options.set(options)

    # savepoint, SELECT values, history of the values: INSERT, SELECT options, INSERT options;
    # DELETE options, DELETE values; UPDATE actors, SELECT actors, INSERT history, SELECT the
    # links of its 7 many-to-many fields; release
    with django_assert_num_queries(18):
        services.clear_characteristic(
            actors=Actor.objects.all(), characteristic=characteristic, user=user
        )

    assert CharacteristicValue.objects.count() == 0
