import pytest
from django.urls import reverse

from tests.factories import PlatformFactory, TargetGroupFactory


@pytest.mark.parametrize("query", ["tym pro mladez", "TÝM", "mládež"])
def test_platform_search_ignores_diacritics_and_case(query, coordinator_client):
    PlatformFactory(name="Tým pro mládež")
    PlatformFactory(name="Komise SPOD")

    response = coordinator_client.get(reverse("admin:platforms_platform_changelist"), {"q": query})

    assert [p.name for p in response.context["cl"].result_list] == ["Tým pro mládež"]


def test_platform_list_is_in_czech_order_within_a_type(coordinator_client):
    for name in ["Chlumská skupina", "Hradní tým", "Čtvrtletní setkání", "Cechovní porada"]:
        PlatformFactory(name=name)

    response = coordinator_client.get(reverse("admin:platforms_platform_changelist"))

    assert [p.name for p in response.context["cl"].result_list] == [
        "Cechovní porada",
        "Čtvrtletní setkání",
        "Hradní tým",
        "Chlumská skupina",
    ]


def test_vocabulary_autocomplete_ignores_diacritics(coordinator_client):
    TargetGroupFactory(name="děti školního věku")
    TargetGroupFactory(name="rodiče")

    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "actors", "model_name": "actor", "field_name": "target_groups",
         "term": "skolni"},
    )  # fmt: skip

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["děti školního věku"]
