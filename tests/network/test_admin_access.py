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
