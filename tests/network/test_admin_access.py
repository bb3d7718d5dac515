"""Every URL of the coordinator's workspace, as every persona (DOMAIN.md §1)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

OUR_APPS = ("needs", "actors", "platforms")


def workspace_urls() -> list[str]:
    """The workspace's pages with real ids from the demo network: site pages, then per model
    the list, add, change, delete and history pages and one historical version."""
    urls = [
        reverse("admin:index"),
        reverse("admin:data_quality"),
        reverse("admin:need_tree"),
        reverse("admin:workbook"),
        reverse("admin:workbook_download"),
        reverse("admin:actors_actor_export"),
        reverse("admin:autocomplete")
        + "?app_label=actors&model_name=localpractice&field_name=actors&term=skola",
        reverse("admin:jsi18n"),
        reverse("admin:password_change"),
        *(reverse("admin:app_list", args=[label]) for label in (*OUR_APPS, "auth")),
    ]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for view in ("change", "delete", "history"):
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk]))
        if hasattr(model, "history"):
            version = model.history.filter(**{model._meta.pk.attname: obj.pk}).first()
            if version is not None:
                urls.append(
                    reverse(
                        "admin:{}_{}_simple_history".format(*info),
                        args=[obj.pk, version.history_id],
                    )
                )
    return urls


@pytest.mark.parametrize(
    "persona", ["case_manager_client", "representative_client", "outsider_client"]
)
def test_workspace_refuses_every_url_to_other_roles(persona, request, demo):
    client = request.getfixturevalue(persona)
    urls = workspace_urls()

    statuses = {url: client.get(url).status_code for url in urls}

    assert len(urls) > 150
    assert {url: s for url, s in statuses.items() if s != 403} == {}


def test_workspace_sends_anonymous_users_to_login_from_every_url(client, demo):
    urls = workspace_urls()
    login = reverse("admin:login")

    wrong = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 302 or not response.url.startswith(login):
            wrong[url] = response.status_code

    assert wrong == {}


def test_workspace_opens_every_url_to_the_coordinator(coordinator_client, demo):
    urls = workspace_urls()

    statuses = {url: coordinator_client.get(url).status_code for url in urls}

    # Fixed reference data (need areas, platform types) and characteristic values (edited on
    # the actor's form) are never added or deleted here; groups are the technical
    # administrator's, and users are deactivated, not deleted: 403 is the right answer there.
    refused = sorted(re.sub(r"/\d+/", "/<id>/", url) for url, s in statuses.items() if s == 403)
    assert {url: s for url, s in statuses.items() if s not in (200, 403)} == {}
    assert refused == [
        "/admin/actors/characteristicvalue/<id>/delete/",
        "/admin/actors/characteristicvalue/add/",
        "/admin/auth/group/<id>/delete/",
        "/admin/auth/group/add/",
        "/admin/auth/user/<id>/delete/",
        "/admin/needs/needarea/<id>/delete/",
        "/admin/needs/needarea/add/",
        "/admin/platforms/platformtype/<id>/delete/",
        "/admin/platforms/platformtype/add/",
    ]


def _user_form(user, **changes) -> dict:
    """The user's change form as the workspace posts it, with some fields changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "08:00:00",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_a_coordinator_cannot_make_anyone_a_superuser_or_give_permissions(
    coordinator_client, coordinator
):
    from django.contrib.auth.models import Permission

    grant = Permission.objects.get(codename="delete_user")
    url = f"/admin/auth/user/{coordinator.pk}/change/"

    response = coordinator_client.post(
        url, _user_form(coordinator, is_superuser="on", user_permissions=[grant.pk])
    )

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    assert not coordinator.user_permissions.exists()
    assert coordinator.groups.filter(name="Koordinátor").exists()  # the rest of the form saved


@pytest.mark.django_db
def test_the_administrators_account_and_password_are_not_the_coordinators(coordinator_client):
    from tests.factories import UserFactory

    administrator = UserFactory(is_superuser=True, is_staff=True)
    administrator.set_password("puvodni-heslo-123")
    administrator.save()

    page = coordinator_client.get(f"/admin/auth/user/{administrator.pk}/change/")
    password = coordinator_client.post(
        f"/admin/auth/user/{administrator.pk}/password/",
        {"password1": "nove-heslo-456", "password2": "nove-heslo-456"},
    )

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert password.status_code == 403
    administrator.refresh_from_db()
    assert administrator.check_password("puvodni-heslo-123")


@pytest.mark.django_db
def test_the_administrator_still_gives_superuser_status(client, coordinator):
    from tests.factories import UserFactory

    administrator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(administrator)

    client.post(
        f"/admin/auth/user/{coordinator.pk}/change/", _user_form(coordinator, is_superuser="on")
    )

    coordinator.refresh_from_db()
    assert coordinator.is_superuser
