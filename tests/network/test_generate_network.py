import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from actors.models import Actor, Characteristic, CharacteristicValue, Organisation
from platforms.models import Platform, PlatformMembership, PlatformType

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def test_generate_network_makes_exactly_n_actors():
    call_command("generate_network", "237", "--seed", "3", stdout=None)

    assert Actor.objects.count() == 237


def test_generate_network_adds_to_an_existing_network():
    call_command("generate_network", "40", stdout=None)
    call_command("generate_network", "60", stdout=None)

    assert Actor.objects.count() == 100
    assert Actor.objects.values("name").distinct().count() == 100


def test_generate_network_clear_replaces_the_network():
    call_command("generate_network", "50", stdout=None)
    call_command("generate_network", "20", "--clear", stdout=None)

    assert Actor.objects.count() == 20


def test_generate_network_refuses_zero_actors():
    with pytest.raises(CommandError):
        call_command("generate_network", "0")


def test_generate_network_distributions_are_realistic():
    from network.synthetic import generate_network

    counts = generate_network(actors=3000, seed=11, today=TODAY)

    assert counts["actors"] == 3000
    assert Platform.objects.count() == 50
    assert set(Platform.objects.values_list("platform_type__code", flat=True)) == set(
        PlatformType.objects.values_list("code", flat=True)
    )
    without_platform = Actor.objects.filter(memberships__isnull=True).count()
    assert 0.25 * 3000 < without_platform < 0.45 * 3000
    crisis = Actor.objects.filter(crisis_network=True).count()
    assert 0.02 * 3000 < crisis < 0.25 * 3000
    ended = Actor.objects.filter(status=Actor.Status.ENDED).count()
    assert 0.02 * 3000 < ended < 0.10 * 3000
    # Every platform has a coordinator; every characteristic kind has values.
    coordinated = (
        PlatformMembership.objects.filter(role="coordinator").values("platform").distinct().count()
    )
    assert coordinated == 50
    assert set(
        CharacteristicValue.objects.values_list("characteristic__kind", flat=True).distinct()
    ) == set(Characteristic.Kind.values)
    # Types follow a long tail: the most common type has several times the median count.
    per_type = sorted(
        Actor.objects.values("actor_type").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert per_type[-1] > 3 * per_type[len(per_type) // 2]


def test_generate_network_organisation_icos_pass_the_checksum():
    from actors.validators import ico_checksum_ok
    from network.synthetic import generate_network

    generate_network(actors=200, seed=1, today=TODAY)

    icos = list(Organisation.objects.values_list("ico", flat=True))
    assert len(icos) == 50
    assert all(ico_checksum_ok(ico) for ico in icos)
