"""Maps as case managers read them: audience, filters, ordering, card, export, queries."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, Characteristic, Note, Visibility
from network import roles
from network.maps.columns import Catalogue
from network.maps.views import _map_for, _map_query, cell_html
from network.models import Map
from tests.conftest import logged_in
from tests.factories import (
    ActorFactory,
    ActorTypeFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    CharacteristicValueFactory,
    ContactPersonFactory,
    LocalPracticeFactory,
    MapFactory,
    MunicipalityFactory,
    NoteFactory,
    OrganisationFactory,
    PlatformMembershipFactory,
    PostFactory,
    TargetGroupFactory,
    UserFactory,
)


def names(response) -> list[str]:
    """The actor names of a map page, in their order (the first cell of each row)."""
    return [cells[0][0] for _, cells in response.context["table"]]


@pytest.fixture
def shared_map(db):
    return MapFactory(audience_groups=[roles.CASE_MANAGER])


@pytest.mark.django_db
def test_crisis_network_map_exists_and_is_first_on_home(case_manager_client, shared_map):
    crisis = Map.objects.get(crisis_network=True)

    maps = list(case_manager_client.get(reverse("home")).context["maps"])

    assert maps == [crisis, shared_map]


@pytest.mark.django_db
def test_map_outside_audience_is_404(case_manager_client, representative_client):
    other = MapFactory(audience_groups=[roles.ACTOR_REPRESENTATIVE])

    assert case_manager_client.get(reverse("map", args=[other.pk])).status_code == 404
    assert representative_client.get(reverse("map", args=[other.pk])).status_code == 200
    assert case_manager_client.get(reverse("map_export", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_map_for_one_user_and_retired_map(case_manager, case_manager_client, coordinator_client):
    personal = MapFactory(audience_users=[case_manager])
    retired = MapFactory(audience_groups=[roles.CASE_MANAGER], status=Map.Status.RETIRED)
    someone_else = logged_in(UserFactory(groups=[roles.CASE_MANAGER]))

    assert case_manager_client.get(personal.get_absolute_url()).status_code == 200
    assert someone_else.get(personal.get_absolute_url()).status_code == 404
    assert case_manager_client.get(retired.get_absolute_url()).status_code == 404
    assert coordinator_client.get(retired.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_map_for_reads_what_for_user_reads(case_manager, coordinator, outsider):
    """`_map_for` runs the SQL of `Map.objects.for_user` compiled once: the same maps, fields
    and role check for every kind of viewer, and 404 where `for_user` has no map."""
    superuser = UserFactory(is_superuser=True)
    by_role = MapFactory(
        audience_groups=[roles.CASE_MANAGER],
        columns=["phone", "email"],
        card_fields=["email"],
        query="typ=1",
        ordering="-municipality",
    )
    by_name = MapFactory(audience_users=[case_manager])
    retired = MapFactory(audience_groups=[roles.CASE_MANAGER], status=Map.Status.RETIRED)
    for user in (case_manager, coordinator, outsider, superuser):
        request = RequestFactory().get("/")
        request.user = user
        for map_ in (by_role, by_name, retired):
            expected = Map.objects.for_user(user).filter(pk=map_.pk).first()
            if expected is None:
                with pytest.raises(Http404):
                    _map_for(request, map_.pk)
                continue
            found = _map_for(request, map_.pk)
            fields = [f.attname for f in Map._meta.concrete_fields]
            assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields]
            assert found.viewer_is_coordinator is expected.viewer_is_coordinator
            assert found._state.db == "default" and found._state.adding is False
    request.user = outsider
    with pytest.raises(Http404):
        _map_for(request, by_role.pk + by_name.pk + retired.pk)
    assert _map_query("default", False) is not None and _map_query("default", True) is not None


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client, shared_map):
    response = client.get(shared_map.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_map_filter_limits_the_actors(case_manager_client):
    school = ActorTypeFactory(name="Základní škola")
    ActorFactory(name="ZŠ Lipová", actor_type=school)
    ActorFactory(name="Poradna Most")
    ActorFactory(name="ZŠ Stará", actor_type=school, ended=True)
    schools = MapFactory(audience_groups=[roles.CASE_MANAGER], query=f"typ={school.pk}")

    response = case_manager_client.get(schools.get_absolute_url())

    assert names(response) == ["ZŠ Lipová"]


@pytest.mark.django_db
def test_search_ignores_diacritics_and_case(case_manager_client, shared_map):
    ActorFactory(name="Škola Lipová")
    ActorFactory(name="Poradna", organisation=OrganisationFactory(name="ŠKOLNÍ spolek"))
    ActorFactory(name="Jiný aktér")

    response = case_manager_client.get(shared_map.get_absolute_url(), {"hledat": "skol"})

    assert names(response) == ["Poradna", "Škola Lipová"]


@pytest.mark.django_db
def test_names_are_ordered_in_czech(case_manager_client, shared_map):
    for name in ("Chata", "Cibulka", "Čáp", "Hora", "Řeka", "Rak"):
        ActorFactory(name=name)

    url = shared_map.get_absolute_url()
    assert names(case_manager_client.get(url)) == ["Cibulka", "Čáp", "Hora", "Chata", "Rak", "Řeka"]
    descending = names(case_manager_client.get(url, {"razeni": "-name"}))
    assert descending == ["Řeka", "Rak", "Chata", "Hora", "Čáp", "Cibulka"]


@pytest.mark.django_db
def test_age_municipality_and_target_group_filters(case_manager_client, shared_map):
    here, there = MunicipalityFactory(name="Lhota"), MunicipalityFactory(name="Ves")
    children = TargetGroupFactory(name="děti")
    disabled = TargetGroupFactory(name="děti s postižením", parent=children)
    teen = ActorFactory(name="Klub 12–18", age_from=12, age_to=18, municipality=here)
    ActorFactory(name="Školka", age_from=3, age_to=6, municipality=here)
    district = ActorFactory(
        name="Okresní služba", territorial_scope=Actor.TerritorialScope.DISTRICT
    )
    served = ActorFactory(name="Terénní služba", territorial_scope=Actor.TerritorialScope.SELECTED)
    served.served_municipalities.add(here)
    ActorFactory(name="Jinde", municipality=there)
    teen.target_groups.add(disabled)
    url = shared_map.get_absolute_url()

    by_age = names(case_manager_client.get(url, {"vek": 14}))
    by_place = names(case_manager_client.get(url, {"obec": here.pk}))
    by_group = names(case_manager_client.get(url, {"cilova_skupina": children.pk}))

    assert "Klub 12–18" in by_age and "Školka" not in by_age
    assert by_place == ["Klub 12–18", "Okresní služba", "Školka", "Terénní služba"]
    assert by_group == ["Klub 12–18"]
    assert district.pk and served.pk


@pytest.mark.django_db
def test_card_shows_the_maps_fields_platforms_and_current_posts(case_manager_client):
    actor = ActorFactory(name="Poradna", phone="+420 111 222 333", address="Náměstí 1")
    ContactPersonFactory(actor=actor, name="Jana Nová", phone="777 000 111")
    PlatformMembershipFactory(actor=actor, platform__name="Tým pro mládež")
    PostFactory(actor=actor, title="Nový kroužek")
    PostFactory(
        actor=actor,
        title="Volná místa",
        kind="capacity",
        capacity=Actor.Capacity.FREE,
        valid_from=datetime.date(2026, 11, 1),
    )
    PostFactory(actor=actor, title="Skončená akce", valid_until=datetime.date(2025, 2, 1))
    phones_only = MapFactory(audience_groups=[roles.CASE_MANAGER], card_fields=["phone"])

    page = case_manager_client.get(reverse("map_actor", args=[phones_only.pk, actor.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    # A phone number is a link to call it (a case manager on a phone taps it).
    assert '<dd><a href="tel:+420111222333">+420 111 222 333</a></dd>' in text
    assert 'Jana Nová – <a href="tel:777000111">777 000 111</a>' in text
    assert "Náměstí 1" not in text  # not a field of this map's card
    assert "Tým pro mládež" in text
    assert "Nový kroužek" in text and "Volná místa" in text
    assert "1. listopadu 2026" in text
    assert "Skončená akce" not in text


@pytest.mark.django_db
def test_map_links_phones_e_mails_and_web_and_escapes_the_rest(case_manager_client):
    ActorFactory(
        name="Poradna",
        phone="317 000 111, 602 111 222",
        email="info@poradna.example.cz",
        web="https://poradna.example.cz/kontakt",
        crisis_contact="<b>po–pá</b> 777 123 456, v letech 2024-2026 linka 158",
    )
    map_ = MapFactory(
        audience_groups=[roles.CASE_MANAGER], columns=["phone", "email", "web", "crisis_contact"]
    )

    text = case_manager_client.get(map_.get_absolute_url()).content.decode()

    assert (
        '<td class="nowrap"><a href="tel:317000111">317 000 111</a>, '
        '<a href="tel:602111222">602 111 222</a></td>'
        '<td><a href="mailto:info@poradna.example.cz">info@poradna.example.cz</a></td>'
        '<td><a href="https://poradna.example.cz/kontakt">https://poradna.example.cz/kontakt</a>'
        '</td><td>&lt;b&gt;po–pá&lt;/b&gt; <a href="tel:777123456">777 123 456</a>, v letech '
        "2024-2026 linka 158</td>"
    ) in text


@pytest.mark.parametrize(
    ("key", "line", "html"),
    [
        (
            "web",
            "https://www.youtube.com/@poradna",
            '<a href="https://www.youtube.com/@poradna">https://www.youtube.com/@poradna</a>',
        ),
        (
            "web",
            "Web: https://poradna.example.cz/kontakt.",
            'Web: <a href="https://poradna.example.cz/kontakt">'
            "https://poradna.example.cz/kontakt</a>.",
        ),
        (
            "contacts",
            "Jana – 123456789@sms.example.cz",
            'Jana – <a href="mailto:123456789@sms.example.cz">123456789@sms.example.cz</a>',
        ),
    ],
)
def test_links_take_the_longest_match_and_leave_a_sentence_s_full_stop(key, line, html):
    assert cell_html(key, [line]) == html


@pytest.mark.django_db
def test_a_card_without_fields_of_its_own_shows_the_maps_columns(case_manager_client):
    actor = ActorFactory(
        name="Poradna", phone="+420 111 222 333", address="Náměstí 1", opening_hours="Po 8-12"
    )
    hours = MapFactory(audience_groups=[roles.CASE_MANAGER], columns=["opening_hours"])

    text = case_manager_client.get(reverse("map_actor", args=[hours.pk, actor.pk])).content

    assert "Po 8-12" in text.decode() and "+420 111 222 333" in text.decode()
    assert "Náměstí 1" not in text.decode()  # the map shows no addresses


@pytest.mark.django_db
def test_card_of_an_actor_outside_the_map_is_404(case_manager_client):
    school = ActorTypeFactory(name="Škola")
    outside = ActorFactory(name="Poradna")
    schools = MapFactory(audience_groups=[roles.CASE_MANAGER], query=f"typ={school.pk}")

    response = case_manager_client.get(reverse("map_actor", args=[schools.pk, outside.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "values", "ascending"),
    [
        ("number", {"Alfa": 7.5, "Beta": 12, "Gama": None}, ["Alfa", "Beta", "Gama"]),
        ("text", {"Alfa": "čtvrtek", "Beta": "Cukrárna", "Gama": None}, ["Beta", "Alfa", "Gama"]),
        ("boolean", {"Alfa": True, "Beta": False, "Gama": None}, ["Beta", "Alfa", "Gama"]),
        # Options unnumbered (order 0): by their names, in Czech order.
        (
            "option",
            {"Alfa": "čtvrtletně", "Beta": "cyklicky", "Gama": None},
            ["Beta", "Alfa", "Gama"],
        ),
        (
            "options",
            {"Alfa": "čtvrtletně", "Beta": "cyklicky", "Gama": None},
            ["Beta", "Alfa", "Gama"],
        ),
    ],
)
def test_maps_sort_by_a_shared_characteristic(case_manager_client, kind, values, ascending):
    kinds = {"option": "choice", "options": "multichoice"}
    shared = CharacteristicFactory(
        name="Úvazky", kind=kinds.get(kind, kind), visibility=Visibility.CASE_MANAGERS
    )
    school = ActorTypeFactory(name="Základní škola")
    for name, value in values.items():
        actor = ActorFactory(name=name, actor_type=school)
        if value is None:
            continue
        if kind not in kinds:
            columns = {"text": None, kind: value}
            CharacteristicValueFactory(actor=actor, characteristic=shared, **columns)
            continue
        option = CharacteristicOptionFactory(characteristic=shared, name=value)
        chosen = {"option": option} if kind == "option" else {}
        made = CharacteristicValueFactory(actor=actor, characteristic=shared, text=None, **chosen)
        if kind == "options":
            made.options.set([option])
    key = f"characteristic_{shared.pk}"
    map_ = MapFactory(audience_groups=[roles.CASE_MANAGER], columns=["phone", key])

    up = case_manager_client.get(map_.get_absolute_url(), {"razeni": key})
    # With a facet of several choices too (PostgreSQL refuses DISTINCT beside this ordering).
    down = case_manager_client.get(map_.get_absolute_url(), {"razeni": f"-{key}", "typ": school.pk})

    assert names(up) == ascending
    assert names(down) == [*reversed(ascending[:2]), ascending[2]]


@pytest.mark.django_db
def test_the_any_choice_of_every_select_facet_reads_the_same(case_manager_client, shared_map):
    CharacteristicFactory(kind=Characteristic.Kind.BOOLEAN, visibility=Visibility.CASE_MANAGERS)

    page = case_manager_client.get(shared_map.get_absolute_url()).content.decode()

    assert '<option value="unknown" selected>nezáleží</option>' in page  # yes/no facets
    assert '<option value="" selected>nezáleží</option>' in page  # the characteristic's
    assert "---------" not in page and "Neznámé" not in page


@pytest.mark.django_db
def test_a_card_opened_from_a_search_leads_back_to_that_search(case_manager_client, shared_map):
    actor = ActorFactory(name="Krizové centrum", crisis_network=True)
    ActorFactory(name="Poradna", crisis_network=True)

    listed = case_manager_client.get(shared_map.get_absolute_url(), {"hledat": "krizov"})
    card_url = reverse("map_actor", args=[shared_map.pk, actor.pk])
    link = f'<a href="{card_url}?zpet=hledat%3Dkrizov">Krizové centrum</a>'
    card = case_manager_client.get(card_url, {"zpet": "hledat=krizov"})

    assert link in listed.content.decode()
    assert f'<a href="{shared_map.get_absolute_url()}?hledat=krizov">' in card.content.decode()


@pytest.mark.django_db
def test_export_holds_the_visible_columns_and_rows(case_manager_client):
    ActorFactory(name="Alfa", phone="=1+1")
    ActorFactory(name="Beta", phone="222")
    ActorFactory(name="Gama", phone="333")
    only_phone = MapFactory(audience_groups=[roles.CASE_MANAGER], columns=["phone"])

    response = case_manager_client.get(
        reverse("map_export", args=[only_phone.pk]), {"hledat": "a", "razeni": "-name"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active

    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Název aktéra", "Telefon"],
        ["Gama", "333"],
        ["Beta", "222"],
        ["Alfa", "=1+1"],
    ]
    assert sheet["B4"].data_type == "s"


@pytest.mark.django_db
def test_export_writes_a_number_characteristic_as_numbers(case_manager_client):
    staff = CharacteristicFactory(
        name="Úvazky", kind=Characteristic.Kind.NUMBER, visibility=Visibility.CASE_MANAGERS
    )
    for name, number in (("Alfa", "7.5"), ("Beta", "12"), ("Gama", None)):
        actor = ActorFactory(name=name)
        if number is not None:
            CharacteristicValueFactory(actor=actor, characteristic=staff, text=None, number=number)
    key = f"characteristic_{staff.pk}"
    map_ = MapFactory(audience_groups=[roles.CASE_MANAGER], columns=[key])

    page = case_manager_client.get(map_.get_absolute_url()).content.decode()
    response = case_manager_client.get(reverse("map_export", args=[map_.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active

    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Název aktéra", "Úvazky"],
        ["Alfa", 7.5],
        ["Beta", 12],
        ["Gama", None],
    ]
    assert sheet["B2"].data_type == "n"
    assert "<td>7,5</td>" in page  # the page shows it the Czech way


@pytest.mark.django_db
def test_export_writes_yes_and_no_and_the_verification_date_as_a_date(case_manager_client):
    ActorFactory(
        name="Alfa", online=True, crisis_network=False, verified_on=datetime.date(2026, 6, 4)
    )
    ActorFactory(name="Beta", online=False, crisis_network=True, verified_on=None)
    map_ = MapFactory(
        audience_groups=[roles.CASE_MANAGER], columns=["online", "crisis_network", "verified_on"]
    )

    page = case_manager_client.get(map_.get_absolute_url()).content.decode()
    response = case_manager_client.get(reverse("map_export", args=[map_.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active

    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Název aktéra", "On-line", "Krizová síť", "Naposledy ověřeno"],
        ["Alfa", "ano", "ne", datetime.datetime(2026, 6, 4)],
        ["Beta", "ne", "ano", None],
    ]
    assert sheet["D2"].number_format == "d. m. yyyy"
    # The page: the date the Czech way, and no "ne" in every row.
    assert (
        '<td>ano</td><td></td><td class="nowrap">4. června 2026</td></tr><tr><td><a href="/mapy/'
    ) in page


@pytest.mark.django_db
def test_private_notes_never_reach_the_map(case_manager_client):
    actor = ActorFactory(name="Poradna")
    NoteFactory(actor=actor, text="SDÍLENÁ poznámka", visibility=Note.Visibility.SHARED)
    NoteFactory(actor=actor, text="TAJNÁ poznámka")
    with_notes = MapFactory(
        audience_groups=[roles.CASE_MANAGER], columns=["note"], card_fields=["note"]
    )

    page = case_manager_client.get(with_notes.get_absolute_url()).content.decode()
    card = case_manager_client.get(reverse("map_actor", args=[with_notes.pk, actor.pk]))

    assert "SDÍLENÁ poznámka" in page and "TAJNÁ" not in page
    assert "SDÍLENÁ poznámka" in card.content.decode() and "TAJNÁ" not in card.content.decode()


def _plant(count: int) -> None:
    group = TargetGroupFactory(name="rodiny")
    place = MunicipalityFactory(name="Lhota")
    for index in range(count):
        actor = ActorFactory(name=f"Aktér {index:03}", municipality=place)
        actor.target_groups.add(group)
        ContactPersonFactory(actor=actor)
        PlatformMembershipFactory(actor=actor)
        NoteFactory(actor=actor, visibility=Note.Visibility.SHARED)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_map_page_queries_are_constant(case_manager, django_assert_num_queries, count):
    _plant(count)
    every_column = MapFactory(
        audience_groups=[roles.CASE_MANAGER],
        columns=list(Catalogue([]).columns),
    )
    client = logged_in(case_manager)
    client.get(reverse("home"))
    # session, user, the map with its audience check, the filter choices, count, the page
    with django_assert_num_queries(6):
        response = client.get(every_column.get_absolute_url(), {"obec": 1, "vek": 10})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_card_and_export_queries_are_constant(case_manager, django_assert_num_queries, count):
    _plant(count)
    actor = Actor.objects.order_by("pk").first()
    shared = MapFactory(audience_groups=[roles.CASE_MANAGER], columns=["contacts", "platforms"])
    client = logged_in(case_manager)
    # session, user, map, choices, the actor's row, memberships, practice, posts
    with django_assert_num_queries(8):
        client.get(reverse("map_actor", args=[shared.pk, actor.pk]))
    # session, user, map, choices, the rows
    with django_assert_num_queries(5):
        client.get(reverse("map_export", args=[shared.pk]))


@pytest.mark.django_db
def test_coordinator_saves_the_filter_page_as_a_map(coordinator_client, case_manager_client):
    school = ActorTypeFactory(name="Základní škola")
    ActorFactory(name="ZŠ Lipová", actor_type=school, phone="111")
    ActorFactory(name="Poradna")
    builder = coordinator_client.get(reverse("map_new"), {"typ": school.pk})
    assert [cells[0][0] for _, cells in builder.context["table"]] == ["ZŠ Lipová"]

    response = coordinator_client.post(
        reverse("map_new"),
        {
            "name": "Školy",
            "description": "Základní školy v ORP",
            # The facets ticked in the same form (the empty ones as a browser sends them).
            "typ": [school.pk],
            "hledat": "",
            "page": 2,
            "razeni": "-name",
            "action": "save",
            "columns": ["phone"],
            "card_fields": ["phone"],
            "ordering": "name",
            "audience_groups": [Group.objects.get(name=roles.CASE_MANAGER).pk],
            "order": 1,
        },
    )
    saved = Map.objects.get(name="Školy")

    assert response.status_code == 302
    assert saved.query == f"typ={school.pk}"
    home = case_manager_client.get(reverse("home"))
    assert saved in home.context["maps"]
    assert names(case_manager_client.get(saved.get_absolute_url())) == ["ZŠ Lipová"]


@pytest.mark.django_db
def test_coordinator_retires_a_map_and_readers_lose_it(
    coordinator_client, case_manager_client, shared_map
):
    response = coordinator_client.post(reverse("map_retire", args=[shared_map.pk]), follow=True)

    assert response.redirect_chain == [(reverse("map_edit", args=[shared_map.pk]), 302)]
    page = response.content.decode()
    assert f"Mapa „{shared_map.name}“ je vyřazená: její čtenáři ji už nevidí." in page
    assert "Obnovit mapu" in page
    assert case_manager_client.get(shared_map.get_absolute_url()).status_code == 404
    assert shared_map not in case_manager_client.get(reverse("home")).context["maps"]


@pytest.mark.django_db
def test_readers_cannot_build_maps(case_manager_client, shared_map):
    assert case_manager_client.get(reverse("map_new")).status_code == 403
    assert case_manager_client.post(reverse("map_new"), {"name": "x"}).status_code == 403
    assert case_manager_client.post(reverse("map_retire", args=[shared_map.pk])).status_code == 403
    assert Map.objects.filter(name="x").count() == 0


@pytest.mark.django_db
def test_map_whose_filter_names_a_deleted_value_shows_nothing(case_manager_client):
    ActorFactory(name="Poradna")
    broken = MapFactory(audience_groups=[roles.CASE_MANAGER], query="typ=999999")

    response = case_manager_client.get(broken.get_absolute_url())

    assert response.context["broken"] is True
    assert names(response) == []


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["made coordinator-only", "deleted"])
def test_map_whose_characteristic_filter_went_away_shows_nothing(case_manager_client, change):
    """A characteristic the map filters by that is no longer shared leaves the map without
    that filter: it shows nothing, not the whole network (and not who has which value)."""
    works = CharacteristicFactory(
        name="Spolupráce s OSPOD",
        kind=Characteristic.Kind.BOOLEAN,
        visibility=Visibility.CASE_MANAGERS,
    )
    inside = ActorFactory(name="Uvnitř mapy")
    CharacteristicValueFactory(actor=inside, characteristic=works, text=None, boolean=True)
    outside = ActorFactory(name="Mimo mapu")
    other = CharacteristicFactory(name="Jiný znak", visibility=Visibility.CASE_MANAGERS)
    # As the builder saves it: every facet, the empty ones too.
    query = f"hledat=&znak_{other.pk}=&znak_{works.pk}=1"
    map_ = MapFactory(audience_groups=[roles.CASE_MANAGER], query=query)
    unfiltered = MapFactory(audience_groups=[roles.CASE_MANAGER], query=f"znak_{other.pk}=")
    assert names(case_manager_client.get(map_.get_absolute_url())) == ["Uvnitř mapy"]

    for characteristic in (works, other):
        if change == "deleted":
            characteristic.delete()
        else:
            characteristic.visibility = Visibility.COORDINATOR
            characteristic.save()
    response = case_manager_client.get(map_.get_absolute_url())
    card = case_manager_client.get(reverse("map_actor", args=[map_.pk, outside.pk]))
    export = case_manager_client.get(reverse("map_export", args=[map_.pk]))

    assert response.context["broken"] is True
    assert names(response) == []
    assert card.status_code == 404
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == []
    # A map that never filtered by them keeps its actors.
    kept = case_manager_client.get(unfiltered.get_absolute_url())
    assert kept.context["broken"] is False
    assert names(kept) == ["Mimo mapu", "Uvnitř mapy"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_platform_and_need_pages_queries_are_constant(
    case_manager, django_assert_num_queries, count
):
    platform = PlatformMembershipFactory().platform
    for _ in range(count):
        PlatformMembershipFactory(platform=platform)
        PlatformMembershipFactory()
        practice = LocalPracticeFactory()
        practice.actors.add(ActorFactory())
        ActorTypeFactory().activities.add(practice.activity)
    client = logged_in(case_manager)
    # session, user, role, the platforms with their member counts
    with django_assert_num_queries(4):
        client.get(reverse("platforms"))
    # session, user, role, the platform, its three vocabularies, its members
    with django_assert_num_queries(8):
        client.get(reverse("platform", args=[platform.pk]))
    # session, user, role, areas, needs, activities, actor types, practice, practice actors
    with django_assert_num_queries(9):
        client.get(reverse("needs"))


@pytest.mark.django_db
def test_platform_page_never_shows_the_internal_evaluation(case_manager_client):
    membership = PlatformMembershipFactory(
        platform__internal_evaluation="INTERNÍ hodnocení", platform__effectiveness="Funguje"
    )

    page = case_manager_client.get(reverse("platform", args=[membership.platform.pk]))

    assert "Funguje" in page.content.decode()
    assert "INTERNÍ" not in page.content.decode()


@pytest.mark.django_db
def test_export_sheet_is_named_as_excel_allows(case_manager_client):
    ActorFactory(name="Alfa")
    odd = MapFactory(
        audience_groups=[roles.CASE_MANAGER], name="Bezpečí: prevence / rodiny [ORP] a další"
    )

    response = case_manager_client.get(reverse("map_export", args=[odd.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["Bezpečí- prevence - rodiny -ORP", "O souboru"]


@pytest.mark.django_db
def test_a_map_named_like_the_about_sheet_still_exports(case_manager_client):
    ActorFactory(name="Alfa")
    named = MapFactory(audience_groups=[roles.CASE_MANAGER], name="o souboru")

    response = case_manager_client.get(reverse("map_export", args=[named.pk]))

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["o souboru – mapa", "O souboru"]


@pytest.mark.django_db
def test_a_map_s_export_says_whose_it_is_when_and_what_it_holds(case_manager, client):
    case_manager.first_name, case_manager.last_name = "Tereza", "Malinová"
    case_manager.save()
    school = ActorTypeFactory(name="Základní škola")
    ActorFactory(name="ZŠ Lipová", actor_type=school)
    ActorFactory(name="ZŠ Horní", actor_type=school)
    map_ = MapFactory(name="Školy", audience_groups=[roles.CASE_MANAGER], query=f"typ={school.pk}")
    client.force_login(case_manager)

    # A value no option has (a crafted URL) filters nothing, and is not said either.
    response = client.get(reverse("map_export", args=[map_.pk]), {"hledat": "lip", "typ": "999"})
    about = dict(openpyxl.load_workbook(io.BytesIO(response.content))["O souboru"].values)

    assert about.pop("Exportováno").startswith(f"{timezone.localdate().day}. ")
    assert about == {
        "ORP": "Hradiště nad Sázavou",
        "Mapa": "Školy",
        "Exportoval(a)": "Tereza Malinová",
        "Počet aktérů": "1",
        "Mapa sama vybírá": "Typ aktéra: Základní škola",
        "Další filtry": "Hledat: lip",
    }


@pytest.mark.django_db
def test_editing_a_map_starts_from_its_filter(coordinator_client):
    school = ActorTypeFactory(name="Základní škola")
    ActorFactory(name="ZŠ Lipová", actor_type=school)
    ActorFactory(name="Poradna")
    schools = MapFactory(query=f"typ={school.pk}")

    page = coordinator_client.get(reverse("map_edit", args=[schools.pk]))

    assert page.context["filter"].form["typ"].value() == [str(school.pk)]
    assert [cells[0][0] for _, cells in page.context["table"]] == ["ZŠ Lipová"]
    assert page.context["stale"] == []


@pytest.mark.django_db
def test_filtering_in_the_builder_keeps_what_was_typed_and_saving_takes_the_facets_ticked(
    coordinator_client,
):
    school = ActorTypeFactory(name="Základní škola")
    ActorFactory(name="ZŠ Lipová", actor_type=school)
    ActorFactory(name="Poradna")
    typed = {"name": "Školy", "description": "Základní školy v ORP", "columns": ["phone"]}

    filtered = coordinator_client.post(
        reverse("map_new"), {**typed, "typ": [school.pk], "action": "filter"}
    )
    assert filtered.status_code == 200
    assert Map.objects.filter(name="Školy").exists() is False
    assert [cells[0][0] for _, cells in filtered.context["table"]] == ["ZŠ Lipová"]
    form = filtered.context["form"]
    assert (form["name"].value(), form["columns"].value()) == ("Školy", ["phone"])
    assert form.errors == {}
    cleared = coordinator_client.post(
        reverse("map_new"), {**typed, "typ": [school.pk], "action": "clear"}
    )
    assert [cells[0][0] for _, cells in cleared.context["table"]] == ["Poradna", "ZŠ Lipová"]
    assert cleared.context["form"]["name"].value() == "Školy"
    # Saved without pressing "filter" first: the facets ticked are the map's filter.
    # An invalid value (a crafted age) is left out, as the preview leaves it out.
    saved = coordinator_client.post(
        reverse("map_new"),
        {**typed, "typ": [school.pk], "vek": "abc", "order": 1, "action": "save"},
    )
    assert saved.status_code == 302
    assert Map.objects.get(name="Školy").query == f"typ={school.pk}"


@pytest.mark.django_db
def test_editing_a_map_whose_characteristic_went_away_says_so_and_saving_mends_it(
    coordinator_client,
):
    works = CharacteristicFactory(
        kind=Characteristic.Kind.BOOLEAN, visibility=Visibility.COORDINATOR
    )
    ActorFactory(name="Poradna")
    broken = MapFactory(query=f"znak_{works.pk}=1&hledat=poradna")

    page = coordinator_client.get(reverse("map_edit", args=[broken.pk]))

    assert page.context["stale"] == [f"znak_{works.pk}"]
    assert "už neexistují nebo už nejsou sdílené" in page.content.decode()
    assert [cells[0][0] for _, cells in page.context["table"]] == ["Poradna"]


@pytest.mark.django_db
def test_a_header_link_replaces_the_ordering_and_keeps_the_search(case_manager_client):
    map_ = MapFactory(audience_groups=[roles.CASE_MANAGER], columns=["phone", "municipality"])

    response = case_manager_client.get(
        map_.get_absolute_url(), {"hledat": "škola", "razeni": "municipality", "page": "2"}
    )

    assert [link for _, link, _ in response.context["header"]] == [
        "?hledat=%C5%A1kola&razeni=name",
        "",  # phones do not sort
        "?hledat=%C5%A1kola&razeni=-municipality",
    ]


@pytest.mark.django_db
def test_the_builder_filters_before_a_name_is_typed_and_says_its_preview_is_partial(
    coordinator_client,
):
    ActorFactory.create_batch(51)

    new = coordinator_client.get(reverse("map_new")).content.decode()
    filtered = coordinator_client.post(reverse("map_new"), {"name": "", "action": "filter"})

    # The browser checks the required name only when saving.
    assert '<button type="submit" name="action" value="filter" formnovalidate>' in new
    assert '<button type="submit" name="action" value="clear" formnovalidate>' in new
    assert filtered.status_code == 200
    assert filtered.context["form"].errors == {}
    assert "<strong>51 aktérů</strong>\n      · ukázka prvních 50; mapa ukáže všechny" in (
        filtered.content.decode()
    )


@pytest.mark.django_db
def test_editing_a_map_saves_it_and_leads_back_to_it(coordinator_client):
    map_ = MapFactory(name="Školy")

    page = coordinator_client.get(reverse("map_edit", args=[map_.pk])).content.decode()

    assert '<button type="submit" name="action" value="save">Uložit mapu</button>' in page
    assert f'<a href="{map_.get_absolute_url()}">Zpět na mapu</a>' in page


@pytest.mark.django_db
def test_a_printed_map_says_whose_it_is_and_from_when(case_manager_client):
    ActorFactory(name="Poradna")
    map_ = MapFactory(audience_groups=[roles.CASE_MANAGER])

    page = case_manager_client.get(map_.get_absolute_url()).content.decode()

    today = timezone.localdate()
    assert (
        '<p class="print-only">ORP Hradiště nad Sázavou · 1 aktér · vytištěno '
        f"{today.day}. {today.month}. {today.year} "
    ) in page


@pytest.mark.django_db
def test_a_map_says_what_its_own_filter_chooses(case_manager_client):
    school = ActorTypeFactory(name="Základní škola")
    ActorFactory(name="ZŠ Lipová", actor_type=school, focus="prevention", online=True)
    map_ = MapFactory(
        audience_groups=[roles.CASE_MANAGER],
        query=f"typ={school.pk}&zamereni=prevention&online=true&hledat=lip&razeni=-name",
    )
    plain = MapFactory(audience_groups=[roles.CASE_MANAGER])

    page = case_manager_client.get(map_.get_absolute_url()).content.decode()

    assert (
        '<p class="fixed">Mapa sama vybírá: <strong>Hledat</strong>: lip; '
        "<strong>Typ aktéra</strong>: Základní škola; <strong>Zaměření</strong>: prevence; "
        "<strong>On-line</strong>: ano</p>"
    ) in page
    # Yes/no facets speak as the characteristics' do: "ano", "ne", not "Ano", "Ne".
    assert '<option value="true">ano</option><option value="false">ne</option>' in page
    assert 'class="fixed"' not in case_manager_client.get(plain.get_absolute_url()).content.decode()
