"""The three role groups of network/migrations/0001_roles.py grant what DOMAIN.md §1 says."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from network import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ("needs", "actors", "platforms")


def app_permissions(*actions: str) -> set[str]:
    """'app.codename' of the model permissions of our three apps with the given actions."""
    permissions = Permission.objects.filter(content_type__app_label__in=OUR_APPS)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in permissions.select_related("content_type")
        if p.codename.split("_", 1)[0] in actions
        and p.codename != "view_private"
        # History tables are read through their record's permissions (django-simple-history).
        and not p.codename.split("_", 1)[1].startswith("historical")
    }


def test_role_groups_are_the_three_of_the_domain():
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Case manažer",
        "Koordinátor",
        "Zástupce aktéra",
    ]


def test_role_names_are_the_group_names():
    assert [roles.COORDINATOR, roles.CASE_MANAGER, roles.ACTOR_REPRESENTATIVE] == [
        "Koordinátor",
        "Case manažer",
        "Zástupce aktéra",
    ]


def test_app_permissions_cover_every_model_of_the_three_apps():
    # 5 needs + 17 actors + 4 platforms models, four actions each.
    assert len(app_permissions("add", "change", "delete", "view")) == 26 * 4


def test_coordinator_has_every_permission_of_the_three_apps(coordinator):
    expected = app_permissions("add", "change", "delete", "view") | {
        "network.add_map",
        "network.change_map",
        "network.delete_map",
        "network.view_map",
        "actors.view_private",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    }

    assert coordinator.get_all_permissions() == expected


@pytest.mark.parametrize(
    "permission",
    [
        "needs.change_needarea",
        "actors.delete_actor",
        "actors.view_private",
        "platforms.add_platformmembership",
        "actors.change_post",
    ],
)
def test_coordinator_has_perm(coordinator, permission):
    assert coordinator.has_perm(permission) is True


@pytest.mark.parametrize("permission", ["auth.delete_user", "auth.change_group"])
def test_coordinator_lacks_perm(coordinator, permission):
    assert coordinator.has_perm(permission) is False


def test_coordinator_is_staff_but_not_superuser(coordinator):
    assert (coordinator.is_staff, coordinator.is_superuser) == (True, False)


def test_case_manager_only_views_the_three_apps(case_manager):
    assert case_manager.get_all_permissions() == app_permissions("view")


def test_case_manager_has_no_private_view(case_manager):
    assert case_manager.has_perm("actors.view_private") is False


def test_case_manager_has_no_write_permission(case_manager):
    writes = app_permissions("add", "change", "delete")

    assert [p for p in sorted(writes) if case_manager.has_perm(p)] == []


def test_actor_representative_has_exactly_the_bulletin_permissions(actor_representative):
    assert actor_representative.get_all_permissions() == {
        "actors.view_actor",
        "actors.add_post",
        "actors.change_post",
        "actors.view_post",
        "platforms.view_platform",
    }


@pytest.mark.parametrize(
    "permission",
    [
        "actors.delete_post",
        "actors.change_actor",
        "actors.view_note",
        "actors.view_private",
        "platforms.view_platformmembership",
        "needs.view_need",
    ],
)
def test_actor_representative_lacks_perm(actor_representative, permission):
    assert actor_representative.has_perm(permission) is False


def test_outsider_has_no_permission(outsider):
    assert outsider.get_all_permissions() == set()


def test_role_of_names_each_persona(coordinator, case_manager, actor_representative, outsider):
    assert [
        roles.role_of(u) for u in (coordinator, case_manager, actor_representative, outsider)
    ] == [
        roles.COORDINATOR,
        roles.CASE_MANAGER,
        roles.ACTOR_REPRESENTATIVE,
        None,
    ]


def test_role_of_prefers_the_coordinator_among_several_groups():
    user = UserFactory(groups=[roles.ACTOR_REPRESENTATIVE, roles.COORDINATOR, roles.CASE_MANAGER])

    assert roles.role_of(user) == roles.COORDINATOR


def test_role_of_anonymous_user_is_none():
    assert roles.role_of(AnonymousUser()) is None


def test_persona_clients_are_logged_in_as_their_persona(coordinator_client, coordinator):
    assert coordinator_client.session["_auth_user_id"] == str(coordinator.pk)
