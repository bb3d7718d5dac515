"""The coordinator's data-quality page: each check finds exactly the planted records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network import quality
from platforms.models import PlatformMembership
from tests.factories import (
    ActorFactory,
    ContactPersonFactory,
    OrganisationFactory,
    PlatformFactory,
    PlatformMembershipFactory,
    UserFactory,
)

URL = reverse("admin:data_quality")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def names(records) -> list[str]:
    return [record.name for record in records]


def group_names(groups) -> list[list[str]]:
    return [[row.name for row in group.actors] for group in groups]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Poradna Kotva, z.s.", "poradna kotva"),
        ("PORADNA  KOTVA z. s.", "poradna kotva"),
        ("Poradna – Kotva", "poradna kotva"),
        ("Poradna Kotva 2", "poradna kotva 2"),
        ("Magdaléna, o.p.s.", "magdalena"),
        ("Stavby s. r. o.", "stavby"),
        ("Základní škola Lipová, příspěvková organizace", "zakladni skola lipova"),
        ("ZŠ Lipová", "zs lipova"),
        ("Klub rodičů, spolek, z. s.", "klub rodicu"),
        ("Spolek", "spolek"),
    ],
)
def test_normalised_name_drops_case_diacritics_punctuation_and_legal_form(name, expected):
    assert quality.normalised_name(name) == expected


def test_stale_actors_lists_never_and_long_ago_verified_oldest_first(db):
    ActorFactory(name="Ověřen před 100 dny", verified_on=days_ago(100))
    ActorFactory(name="Ověřen právě před rokem", verified_on=days_ago(365))
    ActorFactory(name="Ověřen před 400 dny", verified_on=days_ago(400))
    ActorFactory(name="Ověřen před 800 dny", verified_on=days_ago(800))
    ActorFactory(name="Nikdy neověřen")
    ActorFactory(name="Ukončený neověřený", ended=True)

    found = quality.stale_actors(timezone.localdate())

    assert names(found) == ["Nikdy neověřen", "Ověřen před 800 dny", "Ověřen před 400 dny"]


def test_stale_platforms_lists_never_and_long_ago_verified_oldest_first(db):
    PlatformFactory(name="Ověřená před 100 dny", verified_on=days_ago(100))
    PlatformFactory(name="Ověřená před 400 dny", verified_on=days_ago(400))
    PlatformFactory(name="Nikdy neověřená")
    PlatformFactory(name="Ukončená", status="ended", until_year=2024)

    found = quality.stale_platforms(timezone.localdate())

    assert names(found) == ["Nikdy neověřená", "Ověřená před 400 dny"]


def test_actors_without_platform_lists_only_active_actors_in_no_platform(db):
    PlatformMembershipFactory(actor=ActorFactory(name="Člen platformy"))
    PlatformMembershipFactory(
        actor=ActorFactory(name="Host platformy"), role=PlatformMembership.Role.GUEST
    )
    ActorFactory(name="Mimo platformy")
    ActorFactory(name="Ukončený mimo platformy", ended=True)

    assert names(quality.actors_without_platform()) == ["Mimo platformy"]


def test_actors_without_contact_lists_only_active_actors_with_no_way_to_reach(db):
    ContactPersonFactory(actor=ActorFactory(name="S kontaktní osobou"))
    ActorFactory(name="S telefonem", phone="+420 123 456 789")
    ActorFactory(name="S e-mailem", email="info@example.cz")
    ActorFactory(name="Bez kontaktu")
    ActorFactory(name="Ukončený bez kontaktu", ended=True)

    assert names(quality.actors_without_contact()) == ["Bez kontaktu"]


def test_duplicate_actors_groups_names_equal_after_normalising(db):
    ActorFactory(name="Poradna Kotva, z.s.")
    ActorFactory(name="poradna kotva")
    ActorFactory(name="Poradna Kotva 2")
    ActorFactory(name="PORADNA KOTVA o.p.s.", ended=True)
    ActorFactory(name="Rodinné centrum Vlnka")
    ActorFactory(name="Rodinne centrum VLNKA, spolek")

    same_names, same_organisations = quality.duplicate_actors()

    assert group_names(same_names) == [
        ["poradna kotva", "Poradna Kotva, z.s."],
        # Czech order: the shorter name first, as in any Czech dictionary.
        ["Rodinné centrum Vlnka", "Rodinne centrum VLNKA, spolek"],
    ]
    assert same_organisations == []


def test_duplicate_actors_groups_actors_of_different_organisations_alike(db):
    first = OrganisationFactory(name="Magdaléna, o.p.s.")
    second = OrganisationFactory(name="MAGDALENA")
    other = OrganisationFactory(name="Magdaléna Plus")
    ActorFactory(name="Azylový dům", organisation=first)
    ActorFactory(name="Terapeutická komunita", organisation=first)
    ActorFactory(name="Poradna pro závislé", organisation=second)
    ActorFactory(name="Ukončený projekt", organisation=second, ended=True)
    ActorFactory(name="Kontaktní centrum", organisation=other)
    one_row = OrganisationFactory(name="Slunce, z.s.")
    ActorFactory(name="Klub Slunce", organisation=one_row)
    ActorFactory(name="Poradna Slunce", organisation=one_row)

    same_names, same_organisations = quality.duplicate_actors()

    assert same_names == []
    assert group_names(same_organisations) == [
        ["Azylový dům", "Poradna pro závislé", "Terapeutická komunita"]
    ]
    assert [row.organisation_name for row in same_organisations[0].actors] == [
        "Magdaléna, o.p.s.",
        "MAGDALENA",
        "Magdaléna, o.p.s.",
    ]


def test_platforms_without_coordinator_lists_only_active_platforms_lacking_one(db):
    PlatformMembershipFactory(
        platform=PlatformFactory(name="Koordinovaná"), role=PlatformMembership.Role.COORDINATOR
    )
    PlatformMembershipFactory(platform=PlatformFactory(name="Jen členové"))
    PlatformFactory(name="Bez členů")
    PlatformFactory(name="Ukončená bez koordinátora", status="ended", until_year=2024)

    found = quality.platforms_without_coordinator()

    assert [(p.name, p.member_count) for p in found] == [("Bez členů", 0), ("Jen členové", 1)]


def test_data_quality_page_shows_planted_records_to_coordinator(coordinator_client):
    stale = ActorFactory(name="Poradna Kotva, z.s.", verified_on=days_ago(400))
    ActorFactory(name="poradna kotva", phone="123", verified_on=days_ago(10))
    ended = ActorFactory(name="Ukončená poradna", ended=True)
    platform = PlatformFactory(name="Tým pro mládež")

    response = coordinator_client.get(URL)
    text = response.content.decode()
    sections = {s.slug: s for s in response.context["sections"]}

    assert response.status_code == 200
    assert {slug: s.count for slug, s in sections.items()} == {
        "stale-actors": 1,
        "stale-platforms": 1,
        "without-platform": 2,
        "without-contact": 1,
        "duplicate-names": 1,
        "duplicate-organisations": 0,
        "without-coordinator": 1,
    }
    assert text.count(reverse("admin:actors_actor_change", args=[stale.pk])) == 4
    assert text.count(reverse("admin:platforms_platform_change", args=[platform.pk])) == 2
    assert reverse("admin:actors_actor_change", args=[ended.pk]) not in text
    assert "Ukončená poradna" not in text


def test_data_quality_page_cuts_long_tables_and_keeps_the_count(coordinator_client):
    ActorFactory.create_batch(quality.ROWS_SHOWN + 1, phone="123", verified_on=days_ago(10))

    response = coordinator_client.get(URL)
    section = next(s for s in response.context["sections"] if s.slug == "without-platform")

    assert response.status_code == 200
    assert (section.count, len(section.rows), section.cut) == (201, 200, True)


@pytest.mark.parametrize(
    "slug", ["stale-actors", "stale-platforms", "without-platform", "without-contact"]
)
def test_data_quality_links_open_changelists_with_the_same_records(slug, coordinator_client):
    ContactPersonFactory(actor=ActorFactory(name="Ověřený člen", verified_on=days_ago(5)))
    PlatformMembershipFactory(actor=ActorFactory(name="Neověřený člen"))
    ActorFactory(name="Dávno ověřený", verified_on=days_ago(500), email="a@example.cz")
    ActorFactory(name="Neověřený bez kontaktu")
    ActorFactory(name="Ukončený", ended=True)
    PlatformFactory(name="Ověřená", verified_on=days_ago(5))
    PlatformFactory(name="Dávno ověřená", verified_on=days_ago(500))
    PlatformFactory(name="Neověřená ukončená", status="ended", until_year=2024)
    section = next(s for s in coordinator_client.get(URL).context["sections"] if s.slug == slug)

    listed = set()
    for _label, url in section.links:
        changelist = coordinator_client.get(url)
        assert changelist.status_code == 200
        listed |= {record.name for record in changelist.context["cl"].queryset}

    assert listed == set(names(section.rows))


def test_admin_index_links_to_data_quality(coordinator_client):
    response = coordinator_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["case_manager_client", "representative_client", "outsider_client"]
)
def test_data_quality_page_refuses_other_roles(persona, request, db):
    # `db` orders it among the database tests, before any transactional test empties the roles.
    response = request.getfixturevalue(persona).get(URL)

    assert response.status_code == 403


def test_data_quality_page_sends_anonymous_users_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={URL}"


def plant_problems(count: int) -> None:
    """`count` records for every section, with every relation the page shows filled in."""
    verifier = UserFactory()
    recently = {"verified_on": days_ago(10), "verified_by": verifier, "phone": "123"}
    for i in range(count):
        ActorFactory(
            name=f"Neověřený sirotek {i}, z.s.",
            verified_on=days_ago(400),
            verified_by=verifier,
            organisation=OrganisationFactory(name=f"Spolek {i}, z.s."),
        )
        ActorFactory(name=f"neověřený sirotek {i}", **recently)
        ActorFactory(organisation=OrganisationFactory(name=f"SPOLEK {i}"), **recently)
        PlatformMembershipFactory(
            platform=PlatformFactory(verified_on=days_ago(400), verified_by=verifier),
            actor=ActorFactory(**recently),
        )


@pytest.mark.parametrize("count", [1, 5])
def test_data_quality_page_query_count_does_not_grow(
    count, coordinator_client, django_assert_num_queries
):
    plant_problems(count)

    # 1 session, 2 user, 3 the coordinator's group (the admin guard), 4 every active actor's
    # name and organisation (both duplicate checks), 5-14 a count and the first rows each for
    # stale actors, stale platforms, actors in no platform, actors without a contact and
    # platforms without a coordinator, 15-16 the user's and the groups' permissions (app list).
    with django_assert_num_queries(16):
        response = coordinator_client.get(URL)

    assert response.status_code == 200
    assert {s.slug: s.count for s in response.context["sections"]} == {
        "stale-actors": count,
        "stale-platforms": count,
        "without-platform": 3 * count,
        "without-contact": count,
        "duplicate-names": count,
        "duplicate-organisations": count,
        "without-coordinator": count,
    }
