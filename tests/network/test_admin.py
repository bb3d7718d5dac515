"""The coordinator reaches every admin page of the three templates; nobody else does."""

import pytest
from django.contrib import admin
from django.urls import reverse

OUR_APPS = {"needs", "actors", "platforms"}
# Fixed reference data, and characteristic values (edited only on the actor's form).
FIXED = {"needs.NeedArea", "platforms.PlatformType", "actors.CharacteristicValue"}


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


@pytest.mark.parametrize("rows", [1, 3])
def test_actor_change_form_query_count_is_constant(
    rows, coordinator_client, django_assert_num_queries
):
    from tests.factories import (
        ActorFactory,
        CharacteristicOptionFactory,
        ContactPersonFactory,
        NoteFactory,
        OrganisationFactory,
        PlatformFactory,
        PostFactory,
        TargetGroupFactory,
    )

    CharacteristicOptionFactory()  # characteristics with options: their prefetch is a query
    actor = ActorFactory(organisation=OrganisationFactory())
    actor.target_groups.set([TargetGroupFactory() for _ in range(rows)])
    for _ in range(rows):
        ContactPersonFactory(actor=actor)
        NoteFactory(actor=actor)
        PostFactory(actor=actor)
        PlatformFactory().memberships.create(actor=actor)

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the first test in a process would pay for it alone
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        response = coordinator_client.get(admin_url(actor.__class__, "change", actor.pk))

    assert response.status_code == 200


# session, user, coordinator role, 2 permissions, the actor, the characteristics (once for
# the fieldsets and the form) and their options, its version and values, the selected values of
# the 8 autocomplete many-to-many fields and 2 foreign keys (verified_by is read-only), the
# platforms (count and
# choices, once for all rows),
# the 4 inline querysets (contacts, notes, posts, memberships with actor and platform), the
# content type, the history user and the version check: 28, whatever the number of rows.
CHANGE_FORM_QUERIES = 28


def test_maps_are_listed_and_their_changes_kept_in_history(coordinator_client, coordinator):
    from network.models import Map
    from tests.factories import MapFactory

    map_ = MapFactory(name="Volná kapacita")

    listed = coordinator_client.get(admin_url(Map, "changelist"))
    changed = coordinator_client.post(
        admin_url(Map, "change", map_.pk),
        {"name": "Volná kapacita v ORP", "description": "", "status": "active", "order": 3},
    )

    assert listed.status_code == 200
    assert "Volná kapacita" in listed.content.decode()
    assert changed.status_code == 302
    record = map_.history.order_by("-history_date").first()
    assert (record.name, record.order, record.history_user) == (
        "Volná kapacita v ORP",
        3,
        coordinator,
    )
