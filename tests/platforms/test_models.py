"""The database keeps the invariants of the platforms template; the four types are seeded."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import translation

from platforms.models import ParticipantGroup, Platform, PlatformMembership, PlatformType
from tests.factories import (
    ActorFactory,
    ParticipantGroupFactory,
    PlatformFactory,
    PlatformMembershipFactory,
    PlatformTypeFactory,
)

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2025, 1, 1)


def test_platform_types_are_the_four_of_the_guide():
    assert list(PlatformType.objects.values_list("code", "name")) == [
        (1, "platforma mezioborové spolupráce"),
        (2, "setkávání minitýmu"),
        (3, "případové konference"),
        (4, "formálně ukotvená / oborová platforma"),
    ]


def test_platform_type_str_has_code_and_name():
    assert str(PlatformType.objects.get(code=3)) == "3. případové konference"


def test_platform_type_factory_returns_the_seeded_row():
    assert PlatformTypeFactory(code=2) == PlatformType.objects.get(code=2)
    assert PlatformType.objects.count() == 4


def test_participant_groups_are_seeded_in_order():
    assert list(ParticipantGroup.objects.values_list("code", flat=True)) == [
        "rodice",
        "dite",
        "klienti",
        "politici",
        "verejnost",
    ]


def test_participant_group_factory_adds_a_group():
    group = ParticipantGroupFactory(name="senioři")

    assert ParticipantGroup.objects.count() == 6
    assert str(group) == "senioři"


# --- check constraints ----------------------------------------------------------------------

CHECK_REFUSALS = [
    # (constraint, factory, fields of the bad row)
    ("platform_name_not_empty", PlatformFactory, {"name": ""}),
    (
        "platform_years_ordered",
        PlatformFactory,
        {"status": "ended", "since_year": 2020, "until_year": 2019},
    ),
    ("platform_active_has_no_end", PlatformFactory, {"status": "active", "until_year": 2024}),
    ("platform_active_has_no_end", PlatformFactory, {"status": "paused"}),
    ("platform_since_plausible", PlatformFactory, {"since_year": 1899}),
    ("platform_since_plausible", PlatformFactory, {"since_year": 2201}),
    ("platform_since_plausible", PlatformFactory, {"since_year": 0}),
    ("membership_role_valid", PlatformMembershipFactory, {"role": "chair"}),
    ("membership_role_valid", PlatformMembershipFactory, {"role": ""}),
    (
        "membership_dates_ordered",
        PlatformMembershipFactory,
        {"since": JAN_1, "until": JAN_1 - datetime.timedelta(days=1)},
    ),
]


@pytest.mark.parametrize(
    ("constraint", "factory_class", "fields"),
    CHECK_REFUSALS,
    ids=[f"{c}-{f}" for c, _, f in CHECK_REFUSALS],
)
def test_check_constraint_refuses_bad_row(constraint, factory_class, fields):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factory_class(**fields)


@pytest.mark.parametrize(
    ("since_year", "until_year"), [(2020, 2020), (2019, 2024), (None, 2024), (2020, None)]
)
def test_ended_platform_accepts_ordered_years(since_year, until_year):
    platform = PlatformFactory(status="ended", since_year=since_year, until_year=until_year)

    assert Platform.objects.values_list("since_year", "until_year").get(pk=platform.pk) == (
        since_year,
        until_year,
    )


@pytest.mark.parametrize("since_year", [1900, 2200, None])
def test_active_platform_accepts_plausible_start_and_no_end(since_year):
    platform = PlatformFactory(status="active", since_year=since_year)

    assert Platform.objects.values_list("status", "since_year", "until_year").get(
        pk=platform.pk
    ) == ("active", since_year, None)


@pytest.mark.parametrize("role", PlatformMembership.Role.values)
def test_membership_accepts_every_role(role):
    membership = PlatformMembershipFactory(role=role)

    assert PlatformMembership.objects.get(pk=membership.pk).role == role


def test_membership_may_start_and_end_on_one_day():
    membership = PlatformMembershipFactory(since=JAN_1, until=JAN_1)

    assert PlatformMembership.objects.values_list("since", "until").get(pk=membership.pk) == (
        JAN_1,
        JAN_1,
    )


# --- unique constraints ---------------------------------------------------------------------


def test_platform_name_unique_ignores_ascii_case():
    PlatformFactory(name="Tym pro mladez")

    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformFactory(name="TYM PRO MLADEZ")


def test_platform_name_unique_ignores_czech_case():
    PlatformFactory(name="Komise SPOD Lipová")

    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformFactory(name="KOMISE SPOD LIPOVÁ")


def test_membership_unique_refuses_second_membership_of_actor():
    membership = PlatformMembershipFactory(role="member")

    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformMembershipFactory(
            platform=membership.platform, actor=membership.actor, role="coordinator"
        )


def test_actor_may_be_member_of_two_platforms():
    actor = ActorFactory()
    PlatformMembershipFactory(actor=actor, platform=PlatformFactory(name="Minitým"))
    PlatformMembershipFactory(actor=actor, platform=PlatformFactory(name="Komise SPOD"))

    assert sorted(actor.platforms.values_list("name", flat=True)) == ["Komise SPOD", "Minitým"]


def test_platforms_constraints_all_have_a_refusal_test():
    # A new constraint in platforms/models.py needs a refusal test above and its name here.
    tested = {c for c, _, _ in CHECK_REFUSALS} | {"platform_name_unique_ci", "membership_unique"}
    declared = {
        c.name for m in apps.get_app_config("platforms").get_models() for c in m._meta.constraints
    }

    assert declared == tested


def test_membership_str_names_actor_platform_and_role():
    membership = PlatformMembershipFactory(
        actor=ActorFactory(name="OSPOD Lipová"),
        platform=PlatformFactory(name="Minitým"),
        role="coordinator",
    )

    with translation.override("en"):
        text = str(membership)

    assert text == "OSPOD Lipová – Minitým (coordinator)"
