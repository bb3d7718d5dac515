import pytest
from django.urls import reverse

from actors.models import Actor


def test_home_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_home_shows_the_network_counts(demo, case_manager_client):
    response = case_manager_client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["active_actor_count"] == Actor.objects.active().count()
    assert response.context["crisis_actor_count"] == Actor.objects.crisis_network().count()
    assert response.context["is_coordinator"] is False
    assert reverse("admin:index") not in response.content.decode()


def test_home_links_the_coordinator_to_the_workspace(coordinator_client):
    response = coordinator_client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["is_coordinator"] is True
    assert reverse("admin:index") in response.content.decode()


def test_home_offers_english_in_english(case_manager_client):
    response = case_manager_client.get(reverse("home"))

    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("count", "label"), [(1, "aktivní aktér"), (3, "aktivní aktéři"), (5, "aktivních aktérů")]
)
def test_home_counts_use_czech_plurals(count, label, rf, case_manager):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = case_manager
    context = {"active_actor_count": count, "crisis_actor_count": 0, "active_platform_count": 0}
    html = render_to_string("network/home.html", context, request=request)

    assert f"<strong>{count}</strong>\n    {label}</div>" in html


def test_login_with_demo_password_reaches_home(demo, client):
    response = client.post(
        reverse("login"), {"username": "ospod", "password": "Mapa-Site-2026!o"}, follow=True
    )

    assert response.redirect_chain == [("/", 302)]
    assert response.context["user"].username == "ospod"


def test_refused_and_missing_pages_speak_czech_and_lead_home(case_manager_client):
    refused = case_manager_client.get(reverse("map_new"))
    missing = case_manager_client.get("/mapy/999999/")

    assert refused.status_code == 403
    assert "<h1>Přístup odepřen</h1>" in refused.content.decode()
    assert missing.status_code == 404
    assert "<h1>Stránka nenalezena</h1>" in missing.content.decode()
    for page in (refused, missing):
        assert '<a href="/">Zpět na úvodní stránku</a>' in page.content.decode()


def test_server_error_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render()

    assert '<html lang="cs">' in html
    assert "<h1>Chyba serveru</h1>" in html
