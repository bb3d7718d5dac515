"""What map pages keep between requests: the vocabulary's derived facets, and on PostgreSQL the
count of actors. Neither may outlive a change of what it was made from."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from actors.filters import vocabulary
from actors.models import Actor, Visibility
from network import roles
from network.maps.counts import count
from network.maps.filters import ActorFilter
from network.models import Map
from tests.conftest import logged_in
from tests.factories import (
    ActorFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    MapFactory,
    TargetGroupFactory,
)

POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the count is kept on PostgreSQL only"
)


@pytest.fixture
def shared_map(db):
    return MapFactory(audience_groups=[roles.CASE_MANAGER])


def _request():
    return RequestFactory().get("/")


def _vocabulary():
    return vocabulary(_request())


@pytest.mark.django_db
def test_vocabulary_is_the_same_object_until_a_row_changes():
    group = TargetGroupFactory(name="rodiny")
    first = _vocabulary()

    assert _vocabulary() is first
    group.name = "rodiny s dětmi"
    group.save()
    assert _vocabulary() is not first


@pytest.mark.django_db
def test_renamed_target_group_reaches_the_filter_panel(case_manager_client, shared_map):
    group = TargetGroupFactory(name="Rodiny v tísni")
    url = shared_map.get_absolute_url()
    assert "Rodiny v tísni" in case_manager_client.get(url).content.decode()

    group.name = "Rodiny s malými dětmi"
    group.save()
    page = case_manager_client.get(url).content.decode()

    assert "Rodiny s malými dětmi" in page and "Rodiny v tísni" not in page


@pytest.mark.django_db
def test_characteristic_leaves_the_panel_when_made_coordinator_only(
    case_manager_client, shared_map
):
    shared = CharacteristicFactory(
        name="Bezbariérový přístup", kind="choice", visibility=Visibility.CASE_MANAGERS
    )
    option = CharacteristicOptionFactory(characteristic=shared, name="Výtah do patra")
    url = shared_map.get_absolute_url()
    before = case_manager_client.get(url).content.decode()
    assert "Bezbariérový přístup" in before and "Výtah do patra" in before
    option.name = "Plošina u vchodu"
    option.save()
    assert "Plošina u vchodu" in case_manager_client.get(url).content.decode()

    shared.visibility = Visibility.COORDINATOR
    shared.save()
    page = case_manager_client.get(url, {f"znak_{shared.pk}": "none"})

    assert "Bezbariérový přístup" not in page.content.decode()
    assert "Plošina u vchodu" not in page.content.decode()
    assert f"znak_{shared.pk}" not in page.context["filter"].form.fields


@pytest.mark.django_db
def test_chosen_values_do_not_stay_in_the_kept_panel(case_manager_client, shared_map):
    group = TargetGroupFactory(name="rodiny")
    url = shared_map.get_absolute_url()
    name = f'name="cilova_skupina" value="{group.pk}"'

    chosen = case_manager_client.get(url, {"cilova_skupina": group.pk}).content.decode()
    plain = case_manager_client.get(url).content.decode()

    assert f"{name} id=" in chosen and " checked> " in chosen.split(name)[1][:40]
    assert " checked" not in plain.split(name)[1][:40]


@pytest.mark.django_db
def test_panel_is_kept_per_language(case_manager_client, shared_map):
    url = shared_map.get_absolute_url()
    czech = case_manager_client.get(url).content.decode()
    case_manager_client.cookies["django_language"] = "en"
    english = case_manager_client.get(url).content.decode()

    assert "<summary>Cílová skupina</summary>" in czech
    assert "<summary>Target group</summary>" in english


@pytest.mark.django_db
def test_count_without_a_snapshot_counts_every_time():
    ActorFactory()
    actors = Actor.objects.active()

    with CaptureQueriesContext(connection) as queries:
        assert count(actors, None, "default") == 1
        assert count(actors, None, "default") == 1

    assert len(queries) == 2


def _snapshot(map_pk: int) -> str:
    from network.maps.counts import DatabaseSnapshot

    return Map.objects.annotate(s=DatabaseSnapshot()).values_list("s", flat=True).get(pk=map_pk)


@POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_count_is_kept_until_anything_is_written():
    shared = MapFactory()
    group = TargetGroupFactory(name="rodiny")
    ActorFactory().target_groups.add(group)
    other = ActorFactory()
    of_group = Actor.objects.active().filter(target_groups=group)

    snapshot = _snapshot(shared.pk)
    assert count(of_group, snapshot, "default") == 1
    with CaptureQueriesContext(connection) as queries:
        assert count(of_group, snapshot, "default") == 1
    assert len(queries) == 0

    other.target_groups.add(group)  # a many-to-many row, no actor saved
    assert _snapshot(shared.pk) != snapshot
    assert count(of_group, _snapshot(shared.pk), "default") == 2
    Actor.objects.filter(pk=other.pk).update(status=Actor.Status.ENDED, ended_on="2026-01-01")
    assert count(of_group, _snapshot(shared.pk), "default") == 1


@POSTGRESQL
@pytest.mark.django_db
def test_count_inside_a_transaction_is_not_kept():
    shared = MapFactory()
    ActorFactory()
    snapshot = _snapshot(shared.pk)

    with CaptureQueriesContext(connection) as queries:
        count(Actor.objects.active(), snapshot, "default")
        count(Actor.objects.active(), snapshot, "default")

    assert len(queries) == 2


def _queries_while_nothing_is_written(client, url, params, map_pk) -> int:
    """The queries of a page asked twice while nothing was written to the database server
    (other databases of the server count too: its transaction ids are shared)."""
    for _ in range(20):
        before = _snapshot(map_pk)
        client.get(url, params)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        if _snapshot(map_pk) == before:
            return len(queries)
    pytest.skip("the database server is never quiet")


@POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_map_page_counts_once_until_an_actor_changes(case_manager, django_assert_num_queries):
    group = TargetGroupFactory(name="rodiny")
    ActorFactory(name="Poradna").target_groups.add(group)
    shared = MapFactory(audience_groups=[roles.CASE_MANAGER])
    client = logged_in(case_manager)
    url, only_group = shared.get_absolute_url(), {"cilova_skupina": group.pk}
    assert client.get(url, only_group).context["page"].paginator.count == 1

    # session, user, the map with the snapshot, the filter choices, the page (count kept)
    assert _queries_while_nothing_is_written(client, url, only_group, shared.pk) == 5
    ActorFactory(name="Azylový dům").target_groups.add(group)
    with django_assert_num_queries(6):
        response = client.get(url, only_group)

    assert response.context["page"].paginator.count == 2
    assert [cells[0][0] for _, cells in response.context["table"]] == ["Azylový dům", "Poradna"]


@pytest.mark.django_db
def test_forms_of_the_kept_filter_have_fields_of_their_own():
    """The fields are copied per form as Django copies them; only the list of choices is
    copied shallowly, its pairs shared."""
    TargetGroupFactory(name="rodiny")
    first, second = (ActorFilter(None, queryset=Actor.objects.all(), request=_request()).form
                     for _ in range(2))  # fmt: skip
    kept = first.__class__.base_fields["cilova_skupina"]
    field, other = first.fields["cilova_skupina"], second.fields["cilova_skupina"]

    assert field is not kept and field.widget is not kept.widget
    assert list(field.choices) == list(kept.choices) and field.choices.field is field
    field.choices.choices.append(("0", "jiná"))
    assert list(other.choices) == list(kept.choices) != list(field.choices)


@pytest.mark.django_db
def test_compiled_filter_follows_the_vocabulary_the_map_and_the_page(
    case_manager_client, shared_map
):
    """The SQL of a map page's filter is kept per map filter, reader's filter and vocabulary:
    a group added below the chosen one, a changed map filter and another page all show."""
    families = TargetGroupFactory(name="rodiny")
    ActorFactory(name="Poradna").target_groups.add(families)
    url, chosen = shared_map.get_absolute_url(), {"cilova_skupina": families.pk}

    def shown(params) -> tuple[int, list[str]]:
        response = case_manager_client.get(url, params)
        names = [cells[0][0] for _, cells in response.context["table"]]
        return response.context["page"].paginator.count, names

    assert shown(chosen) == (1, ["Poradna"])
    below = TargetGroupFactory(name="rodiny s malými dětmi", parent=families)
    ActorFactory(name="Azylový dům").target_groups.add(below)
    assert shown(chosen) == (2, ["Azylový dům", "Poradna"])

    shared_map.query = "hledat=azyl"
    shared_map.save()
    assert shown(chosen) == (1, ["Azylový dům"])
    assert shown({**chosen, "razeni": "-name"}) == (1, ["Azylový dům"])
    shared_map.query = ""
    shared_map.save()
    assert shown({**chosen, "razeni": "-name"}) == (2, ["Poradna", "Azylový dům"])

    ActorFactory.create_batch(50)  # Aktér 1, Aktér 2...
    (total, first), second = shown({"razeni": "name"}), shown({"razeni": "name", "page": 2})
    assert total == 52 and len(first) == 50 and second == (52, ["Azylový dům", "Poradna"])
