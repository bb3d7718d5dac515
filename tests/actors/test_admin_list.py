"""The coordinator's actor list: diacritics-free search, Czech order, filters, characteristics."""

import datetime
import io

import openpyxl
import pytest
from django.http import QueryDict
from django.urls import reverse

from actors.models import Actor, Characteristic, CharacteristicValue
from network.workbook.export import export_workbook
from tests.admin_forms import change_form_data
from tests.factories import (
    ActorFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    ContactPersonFactory,
    OrganisationFactory,
    ResortFactory,
    TargetGroupFactory,
)

LIST = reverse("admin:actors_actor_changelist")


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [a.name for a in response.context["cl"].result_list]


@pytest.mark.parametrize("query", ["skola", "ŠKOLA", "škola", "Skola lipova"])
def test_actor_search_ignores_diacritics_and_case(query, coordinator_client):
    ActorFactory(name="Základní škola Lipová")
    ActorFactory(name="Mateřské centrum Sluníčko")

    assert listed(coordinator_client, q=query) == ["Základní škola Lipová"]


def test_actor_search_finds_organisation_ico_and_contacts(coordinator_client):
    organisation = OrganisationFactory(name="Magdalénka, o.p.s.", ico="25596641")
    ActorFactory(name="NZDM Kotva", organisation=organisation)
    counsellor = ActorFactory(name="Poradna Rozcestí")
    ContactPersonFactory(actor=counsellor, name="Jiřina Nováčková")
    ContactPersonFactory(actor=counsellor, name="Petr Dvořák")

    assert listed(coordinator_client, q="magdalenka") == ["NZDM Kotva"]
    assert listed(coordinator_client, q="2559") == ["NZDM Kotva"]
    assert listed(coordinator_client, q="novackova") == ["Poradna Rozcestí"]


def test_actor_list_is_in_czech_order(coordinator_client):
    for name in [
        "Chlum – knihovna",
        "Hradiště – ZŠ",
        "Čáslavská poradna",
        "Cihelna – klub",
        "Řemeslná dílna",
        "Rodinné centrum",
        "Ábel – spolek",
        "Adam – mentoring",
    ]:
        ActorFactory(name=name)

    assert listed(coordinator_client) == [
        "Ábel – spolek", "Adam – mentoring", "Cihelna – klub", "Čáslavská poradna",
        "Hradiště – ZŠ", "Chlum – knihovna", "Rodinné centrum", "Řemeslná dílna",
    ]  # fmt: skip


def test_actor_list_filters_by_age_band(coordinator_client):
    ActorFactory(name="Raná péče", age_from=0, age_to=7)
    ActorFactory(name="NZDM", age_from=9, age_to=26)
    ActorFactory(name="Pro všechny")

    assert listed(coordinator_client, vek="0-3") == ["Pro všechny", "Raná péče"]
    assert listed(coordinator_client, vek="15-18") == ["NZDM", "Pro všechny"]


def test_actor_list_filters_stale_and_this_year(coordinator_client):
    today = datetime.date.today()
    ActorFactory(name="Ověřený", verified_on=today)
    ActorFactory(name="Starý", verified_on=today - datetime.timedelta(days=400))
    ActorFactory(name="Nikdy")

    assert listed(coordinator_client, overeni="stale") == ["Nikdy", "Starý"]
    assert listed(coordinator_client, overeni="this_year") == ["Ověřený"]


def test_actor_list_target_group_includes_groups_below(coordinator_client):
    children = TargetGroupFactory(name="děti")
    disabled = TargetGroupFactory(name="děti s postižením", level="situation", parent=children)
    parents = TargetGroupFactory(name="rodiče")
    for name, group in [
        ("Raná péče", disabled),
        ("Škola", children),
        ("Poradna pro rodiče", parents),
    ]:
        ActorFactory(name=name).target_groups.set([group])

    assert listed(coordinator_client, cilova_skupina=children.pk) == ["Raná péče", "Škola"]


def test_new_characteristic_is_a_filter_and_a_field_without_restart(coordinator_client):
    add = coordinator_client.post(
        reverse("admin:actors_characteristic_add"),
        {
            "name": "Pověření k výkonu SPOD",
            "kind": "boolean",
            "visibility": "case_managers",
            "order": "0",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
        },
    )
    characteristic = Characteristic.objects.get(name="Pověření k výkonu SPOD")
    accredited = ActorFactory(name="SAS Rodina")
    ActorFactory(name="Sportovní klub")
    url = reverse("admin:actors_actor_change", args=[accredited.pk])

    page = coordinator_client.get(url)
    field = f"znak_{characteristic.pk}"
    saved = coordinator_client.post(url, change_form_data(page, **{field: "true"}))
    filter_titles = [f.title for f in coordinator_client.get(LIST).context["cl"].filter_specs]

    assert add.status_code == 302
    assert field in page.context["adminform"].form.fields
    assert saved.status_code == 302
    assert CharacteristicValue.objects.get(actor=accredited).boolean is True
    assert "Pověření k výkonu SPOD" in filter_titles
    assert listed(coordinator_client, **{field: "1"}) == ["SAS Rodina"]
    assert listed(coordinator_client, **{field: "none"}) == ["Sportovní klub"]
    # ...and a column of the workbook and of the list's export.
    stream = io.BytesIO()
    export_workbook(stream)
    sheet = openpyxl.load_workbook(stream)["Aktéři sítě"]
    columns = {row[1]: row[-1] for row in sheet.iter_rows(values_only=True)}
    assert columns["Název aktéra"] == "Pověření k výkonu SPOD"
    assert columns["SAS Rodina"] == "ano"
    export_form = coordinator_client.get(reverse("admin:actors_actor_export")).content.decode()
    assert f"characteristic_{characteristic.pk}" in export_form


def test_characteristic_fields_show_and_save_every_kind(coordinator_client):
    languages = CharacteristicFactory(name="Jazyky", kind="multichoice")
    english = CharacteristicOptionFactory(characteristic=languages, name="angličtina")
    romani = CharacteristicOptionFactory(characteristic=languages, name="romština")
    staff = CharacteristicFactory(name="Počet pracovníků", kind="number")
    note = CharacteristicFactory(name="Interní hodnocení", kind="text", visibility="coordinator")
    actor = ActorFactory()
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    page = coordinator_client.get(url)

    response = coordinator_client.post(url, change_form_data(page, **{
        f"znak_{languages.pk}": [str(english.pk), str(romani.pk)],
        f"znak_{staff.pk}": "12",
        f"znak_{note.pk}": "Spolehlivý partner.",
    }))  # fmt: skip
    reopened = coordinator_client.get(url).context["adminform"].form

    assert response.status_code == 302
    assert reopened.initial[f"znak_{languages.pk}"] == [english.pk, romani.pk]
    assert reopened.initial[f"znak_{staff.pk}"] == 12
    assert reopened.initial[f"znak_{note.pk}"] == "Spolehlivý partner."
    assert "(jen koordinátor)" in reopened.fields[f"znak_{note.pk}"].help_text


def test_clearing_a_characteristic_field_deletes_the_value(coordinator_client):
    staff = CharacteristicFactory(name="Počet pracovníků", kind="number")
    actor = ActorFactory()
    CharacteristicValue.objects.create(actor=actor, characteristic=staff, number=3)
    url = reverse("admin:actors_actor_change", args=[actor.pk])

    page = coordinator_client.get(url)
    response = coordinator_client.post(url, change_form_data(page, **{f"znak_{staff.pk}": ""}))

    assert response.status_code == 302, response.context["errors"]
    assert CharacteristicValue.objects.filter(actor=actor).count() == 0
    assert Actor.objects.get(pk=actor.pk).version == 2


def populated_actors(count: int) -> list[Actor]:
    from tests.factories import PlatformFactory

    groups = [TargetGroupFactory(), TargetGroupFactory()]
    platform = PlatformFactory()
    actors = []
    for _ in range(count):
        actor = ActorFactory(organisation=OrganisationFactory(), verified_on=datetime.date.today())
        actor.target_groups.set(groups)
        ContactPersonFactory(actor=actor)
        platform.memberships.create(actor=actor)
        actors.append(actor)
    return actors


@pytest.mark.parametrize("count", [1, 30])
def test_actor_list_query_count_is_constant(count, coordinator_client, django_assert_num_queries):
    populated_actors(count)
    CharacteristicOptionFactory()

    # session, user, coordinator role, user and group permissions, all filter vocabularies
    # (one UNION), the platforms (their filter), the COUNT, the page of actors: 9 in all.
    with django_assert_num_queries(9):
        response = coordinator_client.get(LIST, {"q": "akter", "status__exact": "active"})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count


def test_saving_an_actor_keeps_a_characteristic_value_set_meanwhile(coordinator_client):
    staff = CharacteristicFactory(name="Počet pracovníků", kind="number")
    actor = ActorFactory(phone="+420 311 000 111")
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    page = coordinator_client.get(url)
    # Someone else records the value (e.g. by a bulk action) after this form was opened.
    CharacteristicValue.objects.create(actor=actor, characteristic=staff, number=7)

    response = coordinator_client.post(url, change_form_data(page, phone="+420 311 000 222"))

    assert response.status_code == 302
    assert CharacteristicValue.objects.get(actor=actor).number == 7


@pytest.mark.django_db
def test_filter_choice_links_keep_the_other_parameters(coordinator_client):
    resort = ResortFactory(name="Školství & sport")
    ActorFactory(name="Gymnázium")
    response = coordinator_client.get(LIST, {"q": "škola", "status__exact": "active"})
    specs = response.context["cl"].filter_specs
    spec = next(spec for spec in specs if getattr(spec, "parameter_name", "") == "resorts")
    choices = {choice["display"]: choice for choice in spec.choices(response.context["cl"])}

    link = QueryDict(choices[resort.name]["query_string"][1:])
    assert link.dict() == {"q": "škola", "status__exact": "active", "resorts": str(resort.pk)}
    assert QueryDict(choices["Vše"]["query_string"][1:]).dict() == {
        "q": "škola",
        "status__exact": "active",
    }
