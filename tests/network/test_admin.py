"""The coordinator reaches every admin page of the three templates; nobody else does."""

import pytest
from django.contrib import admin
from django.urls import reverse

OUR_APPS = {"needs", "actors", "platforms"}
FIXED = {"needs.NeedArea", "platforms.PlatformType"}


def our_admins():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
        key=lambda m: m._meta.label,
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_admin_registers_every_model_of_the_three_templates():
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    models = {
        m
        for label in OUR_APPS
        for m in apps.get_app_config(label).get_models()
        if not issubclass(m, HistoricalChanges)  # shown on each record's history page
    }
    assert models - set(admin.site._registry) == set()


@pytest.mark.parametrize("model", our_admins(), ids=lambda m: m._meta.label)
def test_admin_pages_open_for_coordinator(model, demo, coordinator_client):
    changelist = coordinator_client.get(admin_url(model, "changelist"))
    obj = model._default_manager.order_by("pk").first()

    assert changelist.status_code == 200
    assert obj is not None, f"the demo network has no {model._meta.label}"
    change = coordinator_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    add = coordinator_client.get(admin_url(model, "add"))
    # The six need areas and the four platform types are fixed: described, never added.
    assert add.status_code == (403 if model._meta.label in FIXED else 200)


def test_admin_actor_page_shows_czech_labels(demo, coordinator_client):
    from actors.models import Actor

    actor = Actor.objects.order_by("pk").first()
    response = coordinator_client.get(admin_url(Actor, "change", actor.pk))
    text = response.content.decode()

    assert response.status_code == 200
    for label in ("Primární oblast potřeb", "Krizová síť", "Zřizovatel", "Kontaktní osoby"):
        assert label in text


@pytest.mark.parametrize(
    "persona", ["case_manager_client", "representative_client", "outsider_client"]
)
@pytest.mark.parametrize("url", ["admin:index", "admin:login", "admin:actors_actor_changelist"])
def test_admin_refuses_everyone_but_the_coordinator(persona, url, request, db):
    client = request.getfixturevalue(persona)
    response = client.get(reverse(url))

    assert response.status_code == 403


def test_admin_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={reverse('admin:index')}"
