"""Private data never reaches case managers or actor representatives (DOMAIN.md decision 7).

A sentinel is planted in every private field and private characteristic of the demo network;
then every page a reader can reach is crawled with real ids (every map, every filter value,
every card, every export, every platform) and no response may hold the sentinel.
"""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, get_resolver, reverse

from actors.models import (
    Actor,
    Characteristic,
    CharacteristicOption,
    CharacteristicValue,
    Note,
    Visibility,
)
from network import roles
from network.maps.columns import Catalogue
from network.models import Map
from platforms.models import Platform
from tests.conftest import logged_in
from tests.factories import MapFactory, UserFactory

SENTINEL = "XSECRETX"


def plant_sentinels() -> dict[str, int]:
    """A sentinel in every private note, coordinator-only characteristic (name, options,
    values) and internal evaluation of the demo network."""
    for note in Note.objects.filter(visibility=Note.Visibility.PRIVATE):
        note.text = f"{SENTINEL} poznámka {note.pk}"
        note.save()
    private = Characteristic.objects.create(
        name=f"{SENTINEL} znak volba", kind=Characteristic.Kind.CHOICE,
        visibility=Visibility.COORDINATOR,
    )  # fmt: skip
    option = CharacteristicOption.objects.create(characteristic=private, name=f"{SENTINEL} volba")
    text = Characteristic.objects.create(
        name=f"{SENTINEL} znak text", kind=Characteristic.Kind.TEXT,
        visibility=Visibility.COORDINATOR,
    )  # fmt: skip
    actors = list(Actor.objects.active().order_by("pk")[:20])
    for actor in actors:
        CharacteristicValue.objects.create(actor=actor, characteristic=private, option=option)
        CharacteristicValue.objects.create(
            actor=actor, characteristic=text, text=f"{SENTINEL} hodnota"
        )
    for characteristic in Characteristic.objects.filter(visibility=Visibility.COORDINATOR):
        if SENTINEL not in characteristic.name:
            characteristic.name = f"{SENTINEL} {characteristic.name}"[:100]
            characteristic.save()
        characteristic.options.update(name=f"{SENTINEL} možnost")
        characteristic.values.filter(text__isnull=False).update(text=f"{SENTINEL} text")
    Platform.objects.update(internal_evaluation=f"{SENTINEL} hodnocení")
    assert Note.objects.filter(visibility=Note.Visibility.PRIVATE).count() > 0
    return {"private": private.pk, "option": option.pk, "text": text.pk}


def contents(response) -> str:
    """The response as text; an xlsx unzipped, every part of it."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


def reader_urls() -> set[str]:
    """The names of every URL pattern outside the workspace (admin) and the auth pages."""
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                if pattern.name:
                    found.add(pattern.name)
            elif getattr(pattern, "app_name", None) != "admin":
                walk(pattern.url_patterns)

    walk(get_resolver().url_patterns)
    return found - {"login", "logout", "set_language"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.CASE_MANAGER, roles.ACTOR_REPRESENTATIVE])
def test_no_private_data_in_any_response(demo, role):
    ids = plant_sentinels()
    everything = MapFactory(
        name="Vše",
        columns=[*Catalogue([]).columns, "private_note", f"characteristic_{ids['text']}"],
        card_fields=[*Catalogue([]).columns, f"characteristic_{ids['private']}"],
    )
    for map_ in Map.objects.all():
        map_.audience_groups.add(Group.objects.get(name=role))
    client = logged_in(UserFactory(groups=[role]))
    visited, leaks = set(), []

    def get(name, *args, params=None, status=200):
        response = client.get(reverse(name, args=args), params or {})
        visited.add(name)
        assert response.status_code == status, (name, args, params)
        if SENTINEL in contents(response):
            leaks.append((name, args, params))
        return response

    get("home")
    get("platforms")
    get("needs")
    for pk in Platform.objects.values_list("pk", flat=True):
        get("platform", pk, status=200 if Platform.objects.get(pk=pk).status == "active" else 404)
    for map_ in Map.objects.all():
        page = get("map", map_.pk)
        get("map_export", map_.pk)
        for field in page.context["filter"].form:
            # Every value on the map that shows every column; the same filter on the others.
            choices = [v for v, _ in getattr(field.field, "choices", []) if v != ""]
            for value in choices if map_ == everything else choices[:1]:
                get("map", map_.pk, params={field.name: value})
            get("map_export", map_.pk, params={field.name: "1"})
        for column in page.context["sortable"]:
            get("map", map_.pk, params={"razeni": f"-{column}"})
    actors = Actor.objects.values_list("pk", "status")
    for pk, status in actors:
        get("map_actor", everything.pk, pk, status=200 if status == Actor.Status.ACTIVE else 404)
    # The builder is the coordinator's: refused before anything is read.
    get("map_new", status=403)
    get("map_edit", everything.pk, status=403)
    visited.add("map_retire")
    assert client.post(reverse("map_retire", args=[everything.pk])).status_code == 403
    # The workspace refuses readers without a word of the network.
    for path in ("/admin/", "/admin/actors/note/", "/admin/actors/characteristic/"):
        response = client.get(path)
        assert response.status_code == 403
        assert SENTINEL not in contents(response)

    assert leaks == []
    assert visited == reader_urls()


@pytest.mark.django_db
def test_filtering_or_ordering_by_private_data_is_impossible(demo, case_manager_client):
    ids = plant_sentinels()
    shared = MapFactory(audience_groups=[roles.CASE_MANAGER])
    url = shared.get_absolute_url()
    plain = case_manager_client.get(url)

    by_private = case_manager_client.get(url, {f"znak_{ids['private']}": ids["option"]})
    ordered = case_manager_client.get(url, {"razeni": f"characteristic_{ids['private']}"})
    by_note = case_manager_client.get(url, {"razeni": "private_note", "hledat": SENTINEL})

    assert by_private.context["page"].paginator.count == plain.context["page"].paginator.count
    assert by_private.context["table"] == plain.context["table"]
    assert ordered.context["table"] == plain.context["table"]
    assert by_note.context["page"].paginator.count == 0
    assert f"znak_{ids['private']}" not in by_private.context["filter"].form.fields
