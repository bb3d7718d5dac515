"""The `load_demo` command: idempotent, and the demo network it loads meets its promises."""

import re
from datetime import timedelta
from io import StringIO

from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicValue,
    ContactPerson,
    Founder,
    LifeSituation,
    Municipality,
    Note,
    Organisation,
    Post,
    Resort,
    TargetGroup,
    Topic,
)
from actors.validators import ico_checksum_ok
from needs.models import Activity, NeedArea
from network import roles
from platforms.models import Platform, PlatformMembership, PlatformType

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_LINE = re.compile(r"^(?P<username>\S+) {2,}(?P<role>\S.*?) {2,}(?P<password>\S+)$")
EXPECTED_GROUPS = {
    "koordinatorka": roles.COORDINATOR,
    "ospod": roles.CASE_MANAGER,
    "kurator": roles.CASE_MANAGER,
    "kotva": roles.ACTOR_REPRESENTATIVE,
}


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    """Username -> password from the table the command prints (header and rule skipped)."""
    matches = (LOGIN_LINE.match(line) for line in output.splitlines())
    return {
        m["username"]: m["password"]
        for m in matches
        if m and m["username"] != "username" and set(m["username"]) != {"-"}
    }


def table_counts() -> dict[str, int]:
    """Rows of every table of our three apps and of auth users and groups, M2M tables too."""
    models = [
        *apps.get_app_config("needs").get_models(),
        *apps.get_app_config("actors").get_models(),
        *apps.get_app_config("platforms").get_models(),
        get_user_model(),
        Group,
    ]
    counts = {}
    for model in models:
        counts[model._meta.label] = model.objects.count()
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            counts[through._meta.label] = through.objects.count()
    return counts


def test_load_demo_second_run_keeps_every_count(demo):
    before = table_counts()

    output = run_load_demo()

    assert table_counts() == before
    assert output == demo


def test_load_demo_output_lists_logins_and_url(demo):
    logins = printed_logins(demo)

    assert set(logins) == set(EXPECTED_GROUPS)
    assert "http://127.0.0.1:8000/" in demo


def test_demo_users_authenticate_with_printed_passwords(demo):
    logins = printed_logins(demo)

    assert logins
    for username, password in logins.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert [g.name for g in user.groups.all()] == [EXPECTED_GROUPS[username]]
        assert user.is_staff == (username == "koordinatorka")
        assert not user.is_superuser
        assert user.get_full_name()
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_demo_representative_represents_an_actor(demo):
    representative = get_user_model().objects.get(username="kotva")

    assert list(representative.represented_actors.values_list("name", flat=True)) == [
        "NZDM Kotva",
        "Terénní program Kotva na ulici",
    ]


def test_demo_vocabularies_meet_minimums(demo):
    assert Municipality.objects.count() >= 8
    assert list(Municipality.objects.filter(is_seat=True).values_list("name", flat=True)) == [
        "Hradiště nad Sázavou"
    ]
    assert Topic.objects.count() >= 10
    assert set(TargetGroup.objects.values_list("level", flat=True)) == {"whom", "age", "situation"}
    assert LifeSituation.objects.count() >= 10


def test_demo_actors_meet_minimums(demo):
    today = timezone.localdate()
    active = Actor.objects.active()

    assert Actor.objects.count() >= 120
    assert ActorType.objects.filter(actors__isnull=False).distinct().count() >= 40
    assert not Resort.objects.filter(actors__isnull=True).exists()
    assert set(Actor.objects.values_list("founder", flat=True)) == set(Founder.values)
    assert set(active.values_list("primary_need_area__code", flat=True)) == set(
        NeedArea.objects.values_list("code", flat=True)
    )
    assert 12 <= active.filter(crisis_network=True).count() <= 20
    assert not Actor.objects.filter(crisis_network=True, crisis_contact="").exists()
    assert Actor.objects.filter(status=Actor.Status.ENDED, ended_on__isnull=False).count() >= 3
    assert Actor.objects.filter(verified_on__lt=today - timedelta(days=365)).exists()
    assert Actor.objects.filter(verified_on__gte=today - timedelta(days=365)).exists()
    assert Actor.objects.exclude(capacity="").filter(capacity_date__isnull=False).count() >= 10
    assert Actor.objects.filter(secondary_need_areas__isnull=False).distinct().count() >= 60
    assert Actor.objects.filter(social_service_kinds__isnull=False).distinct().count() >= 20
    assert Actor.objects.filter(served_municipalities__isnull=False).distinct().exists()


def test_demo_actors_mostly_have_contacts_and_organisations(demo):
    total = Actor.objects.count()

    with_contacts = Actor.objects.filter(contacts__isnull=False).distinct().count()
    assert with_contacts > total * 0.8
    assert Actor.objects.filter(organisation__isnull=False).count() >= 40
    assert all(ico_checksum_ok(ico) for ico in Organisation.objects.values_list("ico", flat=True))


def test_demo_data_passes_model_validation(demo):
    for model in (Organisation, Actor, ContactPerson, Platform, PlatformMembership, Post, Note):
        for instance in model.objects.all():
            instance.full_clean()


def test_demo_notes_include_shared_and_private(demo):
    assert Note.objects.filter(visibility=Note.Visibility.PRIVATE).count() >= 5
    assert Note.objects.filter(visibility=Note.Visibility.SHARED).count() >= 5


def test_demo_characteristics_have_values_of_several_kinds(demo):
    characteristics = Characteristic.objects.all()

    assert characteristics.count() >= 3
    assert len(set(characteristics.values_list("kind", flat=True))) >= 3
    assert set(characteristics.values_list("visibility", flat=True)) == {
        "coordinator",
        "case_managers",
    }
    for characteristic in characteristics:
        assert characteristic.values.count() >= 5, characteristic.name
    assert not Characteristic.objects.filter(
        kind__in=["choice", "multichoice"], options__isnull=True
    ).exists()
    multichoice = CharacteristicValue.objects.filter(characteristic__kind="multichoice")
    assert all(value.options.exists() for value in multichoice)


def test_demo_platforms_cover_all_types_with_coordinators(demo):
    platforms = Platform.objects.all()

    assert platforms.count() >= 15
    assert set(platforms.values_list("platform_type__code", flat=True)) == set(
        PlatformType.objects.values_list("code", flat=True)
    )
    assert set(PlatformMembership.objects.values_list("role", flat=True)) == set(
        PlatformMembership.Role.values
    )
    for platform in platforms:
        roles_used = list(platform.memberships.values_list("role", flat=True))
        assert "coordinator" in roles_used, platform.name
        assert len(roles_used) >= 3, platform.name
        assert platform.topics.exists(), platform.name
        assert platform.need_areas.exists(), platform.name
        assert platform.goals, platform.name
    assert platforms.exclude(internal_evaluation="").count() >= 3
    assert platforms.filter(other_participants__isnull=False).distinct().exists()


def test_demo_needs_have_signs_risks_and_activities(demo):
    for area in NeedArea.objects.all():
        needs = area.needs.all()
        assert needs.count() >= 3, area.code
        for need in needs:
            assert need.signs.exists(), need.name
            assert need.risks.exists(), need.name
            assert need.activities.count() >= 2, need.name


def test_demo_activities_have_actor_types_and_practice(demo):
    for activity in Activity.objects.select_related("practice"):
        assert activity.actor_types.exists(), activity.name
        assert activity.practice.description, activity.name
        assert activity.practice.actors.exists(), activity.name
    focuses = set(Activity.objects.values_list("focus", flat=True))
    assert focuses == {"prevention", "intervention", "both"}


def test_demo_posts_cover_all_kinds_and_validity(demo):
    today = timezone.localdate()
    posts = Post.objects.all()

    assert set(posts.values_list("kind", flat=True)) == {"project", "event", "capacity"}
    assert not posts.filter(kind="capacity", capacity="").exists()
    assert not posts.exclude(kind="capacity").exclude(capacity="").exists()
    assert posts.filter(valid_until__lt=today).exists()
    assert posts.filter(valid_from__lte=today, valid_until__gte=today).exists()


def test_demo_records_have_one_initial_history_with_their_links(demo):
    """The first edit of a demo actor shows only what it changed, not all its links."""
    actors = Actor.objects.prefetch_related("target_groups")
    for actor in actors:
        (initial,) = actor.history.all()
        assert initial.history_type == "+"
        assert initial.history_change_reason == "Ukázková data"
        assert {link.targetgroup_id for link in initial.target_groups.all()} == {
            group.pk for group in actor.target_groups.all()
        }
    linked = PlatformMembership.objects.first().platform
    assert linked.history.get().topics.count() == linked.topics.count()
