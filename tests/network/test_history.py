"""Every change is recorded with who and when, shown as a diff, and restorable."""

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from actors.models import Actor
from network import roles
from tests.admin_forms import change_form_data
from tests.factories import ActorFactory, PlatformFactory, TargetGroupFactory, UserFactory


@pytest.fixture
def actor(db):
    return ActorFactory(name="Poradna Rozcestí", phone="+420 311 000 111")


def save_through_admin(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    return client.post(url, change_form_data(page, **changes))


def test_history_records_who_changed_an_actor(actor, coordinator, coordinator_client):
    response = save_through_admin(coordinator_client, actor, name="Poradna Na Rozcestí")

    assert response.status_code == 302
    latest = actor.history.latest()
    assert (latest.name, latest.history_user, latest.history_type) == (
        "Poradna Na Rozcestí",
        coordinator,
        "~",
    )


def test_history_page_shows_the_change_as_a_diff(actor, coordinator_client):
    save_through_admin(coordinator_client, actor, name="Poradna Na Rozcestí")

    response = coordinator_client.get(reverse("admin:actors_actor_history", args=[actor.pk]))
    text = response.content.decode()

    assert response.status_code == 200
    assert "Poradna Rozcestí" in text
    assert "Poradna Na Rozcestí" in text
    # django-simple-history's own texts, in Czech (its catalogue is for cs_CZ only).
    assert '<th scope="col">Změny</th>' in text
    assert '<th scope="col">Změnil(a)</th>' in text
    assert "<td>Změněno</td>" in text and "<td>Vytvořeno</td>" in text


def test_history_restores_an_actor_to_an_earlier_version(actor, coordinator_client):
    save_through_admin(coordinator_client, actor, name="Poradna Na Rozcestí", phone="")
    first = actor.history.earliest()
    url = reverse("admin:actors_actor_simple_history", args=[actor.pk, first.history_id])

    page = coordinator_client.get(url)
    response = coordinator_client.post(url, change_form_data(page))

    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.phone, actor.version) == ("Poradna Rozcestí", "+420 311 000 111", 3)
    assert actor.history.count() == 3


def test_history_records_platform_changes(db, coordinator_client):
    platform = PlatformFactory(name="Tým pro mládež")

    save_through_admin(coordinator_client, platform, goals="Společná prevence.")

    assert list(platform.history.values_list("goals", flat=True)) == ["Společná prevence.", ""]


def test_second_of_two_concurrent_edits_is_refused(actor, coordinator_client):
    other = UserFactory(
        username="druha",
        first_name="Eva",
        last_name="Druhá",
        is_staff=True,
        groups=[roles.COORDINATOR],
    )
    from django.test import Client

    second_client = Client()
    second_client.force_login(other)
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    mine = coordinator_client.get(url)
    theirs = second_client.get(url)

    groups = [TargetGroupFactory(name="Děti"), TargetGroupFactory(name="Rodiče")]
    first = second_client.post(
        url,
        change_form_data(
            theirs, phone="+420 311 999 999", target_groups=[str(g.pk) for g in groups]
        ),
    )
    with translation.override("cs"):
        refused = coordinator_client.post(url, change_form_data(mine, name="Poradna X"))

    actor.refresh_from_db()
    assert first.status_code == 302
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Někdo jiný tento záznam uložil" in text
    # Who and when (local time), and what: the links by name.
    when = formats.date_format(
        timezone.localtime(actor.history.latest().history_date), "SHORT_DATETIME_FORMAT"
    )
    assert (
        f"Mezitím změnil(a): Eva Druhá, {when}: telefon: +420 311 000 111 → +420 311 999 999; "
        "cílové skupiny: – → Děti, Rodiče"
    ) in text
    assert (actor.name, actor.phone, actor.version) == ("Poradna Rozcestí", "+420 311 999 999", 2)


def test_concurrent_edit_check_lets_sequential_saves_through(actor, coordinator_client):
    save_through_admin(coordinator_client, actor, phone="+420 311 000 222")
    response = save_through_admin(coordinator_client, actor, phone="+420 311 000 333")

    actor.refresh_from_db()
    assert response.status_code == 302
    assert (actor.phone, actor.version) == ("+420 311 000 333", 3)


def test_concurrent_edit_is_refused_for_platforms(db, coordinator_client):
    platform = PlatformFactory(name="Minitým OSPOD")
    url = reverse("admin:platforms_platform_change", args=[platform.pk])
    stale = coordinator_client.get(url)
    save_through_admin(coordinator_client, platform, goals="Nové cíle.")

    refused = coordinator_client.post(url, change_form_data(stale, goals="Staré cíle."))

    platform.refresh_from_db()
    assert refused.status_code == 200
    assert (platform.goals, platform.version) == ("Nové cíle.", 2)


def test_save_that_loses_the_race_is_refused(actor, coordinator, rf):
    from django.contrib import admin

    from actors.concurrency import ConcurrentEditError

    # The form checked version 1 and will write 2, but another save wrote 2 in between.
    actor.version = 2
    Actor.objects.filter(pk=actor.pk).update(version=2, phone="+420 311 555 555")
    request = rf.post("/")
    request.user = coordinator

    with pytest.raises(ConcurrentEditError):
        admin.site._registry[Actor].save_model(request, actor, form=None, change=True)

    actor.refresh_from_db()
    assert (actor.phone, actor.version) == ("+420 311 555 555", 2)


def test_history_restore_saves_inside_its_own_transaction(actor, coordinator_client):
    """The revert locks the row for the version check, which PostgreSQL allows only inside a
    transaction; django-simple-history's view opens none, so ours must (seen as a savepoint
    inside the test's own transaction).
    """
    from django.db import connection
    from django.db.models.signals import pre_save

    save_through_admin(coordinator_client, actor, name="Poradna Na Rozcestí")
    first = actor.history.earliest()
    url = reverse("admin:actors_actor_simple_history", args=[actor.pk, first.history_id])
    data = change_form_data(coordinator_client.get(url))
    depths = []

    def record_depth(sender, **kwargs):
        depths.append(len(connection.savepoint_ids))

    baseline = len(connection.savepoint_ids)
    pre_save.connect(record_depth, sender=Actor)
    try:
        response = coordinator_client.post(url, data)
    finally:
        pre_save.disconnect(record_depth, sender=Actor)

    assert response.status_code == 302
    assert depths == [baseline + 1]


def test_history_restores_many_to_many_links_too(actor, coordinator_client):
    from actors.models import Resort

    mpsv, msmt = Resort.objects.get(code="mpsv"), Resort.objects.get(code="msmt")
    save_through_admin(coordinator_client, actor, resorts=[str(mpsv.pk)])
    before = actor.history.latest()
    save_through_admin(coordinator_client, actor, resorts=[str(msmt.pk)])
    url = reverse("admin:actors_actor_simple_history", args=[actor.pk, before.history_id])

    page = coordinator_client.get(url)
    response = coordinator_client.post(url, change_form_data(page))

    assert page.context["adminform"].form.initial["resorts"] == [mpsv.pk]
    assert response.status_code == 302
    assert list(actor.resorts.values_list("code", flat=True)) == ["mpsv"]
