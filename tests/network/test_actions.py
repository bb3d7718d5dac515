"""The bulk actions of the actor changelist, posted as the coordinator would post them."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, Characteristic, CharacteristicValue
from platforms.models import Platform, PlatformMembership
from tests.factories import (
    ActorFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    CharacteristicValueFactory,
    PlatformFactory,
    PlatformMembershipFactory,
)

CHANGELIST = reverse("admin:actors_actor_changelist")
END = datetime.date(2025, 3, 31)


@pytest.fixture
def client(coordinator_client):
    """The coordinator, reading English so that messages compare exactly."""
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return coordinator_client


def post_action(client, action, actors, **data):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [actor.pk for actor in actors], **data},
    )


def confirm(client, action, actors, **data):
    return post_action(client, action, actors, apply="1", **data)


def shown_messages(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_changelist_offers_the_bulk_actions(client):
    response = client.get(CHANGELIST)
    choices = [name for name, _ in response.context["action_form"].fields["action"].choices]

    assert response.status_code == 200
    assert choices == [
        "",
        "mark_verified",
        "end_actors",
        "add_to_platform",
        "set_characteristic",
        "clear_characteristic",
    ]


@pytest.mark.parametrize("action", ["mark_verified", "end_actors", "add_to_platform"])
def test_bulk_actions_refused_to_case_manager(action, case_manager_client):
    actor = ActorFactory()

    response = post_action(case_manager_client, action, [actor], apply="1")

    assert response.status_code == 403
    assert Actor.objects.get().version == 1


# --- mark verified --------------------------------------------------------------------------


def test_mark_verified_action_sets_today_and_coordinator(client, coordinator):
    chosen = ActorFactory.create_batch(2)
    ActorFactory(name="Nevybraný")

    response = post_action(client, "mark_verified", chosen)

    assert response.status_code == 302
    assert response.url == CHANGELIST
    assert shown_messages(response) == [("success", "2 actors marked as verified today.")]
    assert list(
        Actor.objects.order_by("pk").values_list("verified_on", "verified_by", "version")
    ) == [
        (timezone.localdate(), coordinator.pk, 2),
        (timezone.localdate(), coordinator.pk, 2),
        (None, None, 1),
    ]


# --- end ------------------------------------------------------------------------------------


def test_end_action_shows_confirmation_page(client):
    chosen = [ActorFactory(name="Poradna Rozcestí"), ActorFactory(name="Klub Kotva", ended=True)]

    response = post_action(client, "end_actors", chosen)
    text = response.content.decode()

    assert response.status_code == 200
    assert response.templates[0].name == "admin/actors/actor/action_end.html"
    assert response.context["form"]["ended_on"].value() == timezone.localdate()
    assert [a.name for a in response.context["actors"]] == ["Klub Kotva", "Poradna Rozcestí"]
    for actor in chosen:
        assert f'<input type="hidden" name="_selected_action" value="{actor.pk}">' in text
    assert '<input type="hidden" name="action" value="end_actors">' in text
    assert 'name="apply"' in text
    assert Actor.objects.filter(status=Actor.Status.ENDED).count() == 1


def test_end_action_ends_active_and_reports_already_ended(client, coordinator):
    active = ActorFactory(name="Poradna Rozcestí")
    ended = ActorFactory(name="Klub Kotva", ended=True)

    response = confirm(client, "end_actors", [active, ended], ended_on="2025-03-31")

    assert response.status_code == 302
    assert shown_messages(response) == [
        ("success", "1 actor ended on March 31, 2025."),
        ("warning", "1 actor had already ended and was left unchanged: Klub Kotva."),
    ]
    assert list(Actor.objects.order_by("name").values_list("name", "status", "ended_on")) == [
        ("Klub Kotva", "ended", datetime.date(2024, 6, 30)),
        ("Poradna Rozcestí", "ended", END),
    ]
    assert active.history.latest().history_user == coordinator


def test_end_action_refuses_a_future_date(client):
    actor = ActorFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = confirm(client, "end_actors", [actor], ended_on=tomorrow.isoformat())

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ended_on": ["The end date cannot be in the future."]
    }
    assert Actor.objects.get().status == Actor.Status.ACTIVE


# --- add to a platform ----------------------------------------------------------------------


def test_add_to_platform_page_offers_only_active_platforms(client):
    active = PlatformFactory(name="Tým pro mládež")
    PlatformFactory(name="Starý tým", status=Platform.Status.ENDED, until_year=2020)

    response = post_action(client, "add_to_platform", [ActorFactory()])
    form = response.context["form"]

    assert response.status_code == 200
    assert response.templates[0].name == ("admin/actors/actor/action_add_to_platform.html")
    assert list(form.fields["platform"].queryset) == [active]
    assert form["role"].value() == PlatformMembership.Role.MEMBER


def test_add_to_platform_action_adds_and_reports_members(client):
    platform = PlatformFactory(name="Tým pro mládež")
    member, newcomer = ActorFactory(name="A"), ActorFactory(name="B")
    PlatformMembershipFactory(platform=platform, actor=member, role="coordinator")

    response = confirm(
        client, "add_to_platform", [member, newcomer], platform=platform.pk, role="guest"
    )

    assert response.status_code == 302
    assert shown_messages(response) == [
        (
            "success",
            "1 actor added to “Tým pro mládež” in the role “invited guest”. "
            "1 actor was already a member and was left unchanged.",
        )
    ]
    assert list(
        PlatformMembership.objects.order_by("actor__name").values_list("actor__name", "role")
    ) == [("A", "coordinator"), ("B", "guest")]


def test_add_to_platform_refuses_an_ended_platform(client):
    platform = PlatformFactory(status=Platform.Status.ENDED, until_year=2020)

    response = confirm(
        client, "add_to_platform", [ActorFactory()], platform=platform.pk, role="member"
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["platform"]
    assert PlatformMembership.objects.count() == 0


# --- characteristics ------------------------------------------------------------------------


def test_set_characteristic_page_shows_the_form(client):
    response = post_action(client, "set_characteristic", [ActorFactory()])

    assert response.status_code == 200
    assert response.templates[0].name == ("admin/actors/actor/action_characteristic.html")
    assert list(response.context["form"].fields) == [
        "characteristic",
        "value_boolean",
        "value_text",
        "value_number",
        "value_options",
    ]


def test_set_characteristic_action_sets_yes_no(client):
    characteristic = CharacteristicFactory(name="Bezbariérový", kind=Characteristic.Kind.BOOLEAN)
    actors = [ActorFactory(name="A"), ActorFactory(name="B")]
    CharacteristicValue.objects.create(actor=actors[0], characteristic=characteristic, boolean=0)

    response = confirm(
        client,
        "set_characteristic",
        actors,
        characteristic=characteristic.pk,
        value_boolean="1",
    )

    assert response.status_code == 302
    assert shown_messages(response) == [
        ("success", "“Bezbariérový” set for 2 actors: 1 added, 1 overwritten.")
    ]
    assert list(
        CharacteristicValue.objects.order_by("actor__name").values_list("actor__name", "boolean")
    ) == [("A", True), ("B", True)]


def test_set_characteristic_action_sets_one_choice(client):
    option = CharacteristicOptionFactory(name="doporučení OSPOD")
    actor = ActorFactory()

    response = confirm(
        client,
        "set_characteristic",
        [actor],
        characteristic=option.characteristic.pk,
        value_options=[option.pk],
    )

    assert response.status_code == 302
    assert list(CharacteristicValue.objects.values_list("actor", "option")) == [
        (actor.pk, option.pk)
    ]


@pytest.mark.parametrize(
    ("kind", "data", "errors"),
    [
        (
            "boolean",
            {"value_text": "ano"},
            {
                "value_boolean": ["Enter the value of a characteristic of the kind “yes/no”."],
                "value_text": ["A characteristic of the kind “yes/no” keeps no value here."],
            },
        ),
        ("number", {"value_number": "x"}, {"value_number": ["Enter a number."]}),
        (
            "text",
            {"value_text": "  "},
            {"value_text": ["Enter the value of a characteristic of the kind “text”."]},
        ),
    ],
)
def test_set_characteristic_action_refuses_value_of_another_kind(client, kind, data, errors):
    characteristic = CharacteristicFactory(kind=kind)

    response = confirm(
        client, "set_characteristic", [ActorFactory()], characteristic=characteristic.pk, **data
    )

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert CharacteristicValue.objects.count() == 0


def test_set_characteristic_action_refuses_two_options_for_one_choice(client):
    option = CharacteristicOptionFactory()
    other = CharacteristicOptionFactory(characteristic=option.characteristic)

    response = confirm(
        client,
        "set_characteristic",
        [ActorFactory()],
        characteristic=option.characteristic.pk,
        value_options=[option.pk, other.pk],
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"value_options": ["Select exactly one option."]}


def test_set_characteristic_action_refuses_option_of_another_characteristic(client):
    characteristic = CharacteristicFactory(kind=Characteristic.Kind.MULTICHOICE)
    foreign = CharacteristicOptionFactory()

    response = confirm(
        client,
        "set_characteristic",
        [ActorFactory()],
        characteristic=characteristic.pk,
        value_options=[foreign.pk],
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "value_options": ["The option belongs to another characteristic."]
    }


def test_clear_characteristic_action_deletes_values(client):
    characteristic = CharacteristicFactory(name="Poznámka ke vstupu")
    chosen, kept = ActorFactory(name="A"), ActorFactory(name="B")
    for actor in (chosen, kept):
        CharacteristicValueFactory(actor=actor, characteristic=characteristic)

    page = post_action(client, "clear_characteristic", [chosen])
    response = confirm(client, "clear_characteristic", [chosen], characteristic=characteristic.pk)

    assert page.status_code == 200
    assert list(page.context["form"].fields) == ["characteristic"]
    assert response.status_code == 302
    assert shown_messages(response) == [("success", "“Poznámka ke vstupu” cleared for 1 actor.")]
    assert list(CharacteristicValue.objects.values_list("actor__name", flat=True)) == ["B"]


# --- no query per actor ---------------------------------------------------------------------


def action_data(action):
    """What the confirmation form of each action posts, creating what it refers to."""
    if action == "add_to_platform":
        return {"platform": PlatformFactory().pk, "role": "member"}
    if action in ("set_characteristic", "clear_characteristic"):
        characteristic = CharacteristicFactory(kind=Characteristic.Kind.TEXT)
        return {"characteristic": characteristic.pk, "value_text": "ano"}
    if action == "end_actors":
        return {"ended_on": END.isoformat()}
    return {}


# Every confirmation runs the changelist's own queries (session, user, permissions, the
# changelist's count, its filter vocabularies and platforms) and the service's
# (see tests/actors/test_services.py); none per actor.
QUERIES = {
    "mark_verified": 22,
    "end_actors": 23,
    "add_to_platform": 16,
    "set_characteristic": 28,
    "clear_characteristic": 27,
}


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("action", list(QUERIES))
def test_bulk_action_queries_independent_of_actor_count(
    action, size, client, django_assert_num_queries
):
    actors = ActorFactory.create_batch(size)
    data = action_data(action)
    if action == "clear_characteristic":
        CharacteristicValue.objects.bulk_create(
            CharacteristicValue(actor=a, characteristic_id=data["characteristic"], text="x")
            for a in actors
        )
        del data["value_text"]

    with django_assert_num_queries(QUERIES[action]):
        response = confirm(client, action, actors, **data)

    assert response.status_code == 302


def test_end_action_with_select_all_over_a_filtered_list_ends_thousands(client):
    from needs.models import NeedArea

    area = NeedArea.objects.get(code="UCENI")
    Actor.objects.bulk_create(
        Actor(name=f"Škola {n:04d}", primary_need_area=area) for n in range(1200)
    )
    ActorFactory(name="Poradna mimo filtr")
    url = f"{CHANGELIST}?q=skola"
    first = Actor.objects.filter(name__startswith="Škola").first()
    chosen = {"action": "end_actors", "select_across": "1", "index": "0",
              "_selected_action": [first.pk]}  # fmt: skip

    page = client.post(url, chosen)
    applied = client.post(url, {"action": "end_actors", "select_across": "1",
                                "_selected_action": [first.pk], "ended_on": END.isoformat(),
                                "apply": "1"})  # fmt: skip

    assert page.status_code == 200
    # One input stands for the whole filtered list, not 1,200 of them.
    assert page.content.decode().count('name="_selected_action"') == 1
    assert applied.status_code == 302
    assert Actor.objects.filter(status="ended", ended_on=END).count() == 1200
    assert Actor.objects.get(name="Poradna mimo filtr").status == "active"
