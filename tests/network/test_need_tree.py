"""The need tree page: area -> need -> signs, risks, activities, walkable from one page."""

import pytest
from django.urls import reverse

from needs.models import NeedArea
from tests.factories import (
    ActivityFactory,
    ActorFactory,
    ActorTypeFactory,
    FulfilmentSignFactory,
    LocalPracticeFactory,
    NeedFactory,
    RiskFactory,
)

URL = reverse("admin:need_tree")


def plant_need(area: NeedArea, suffix: str):
    need = NeedFactory(area=area, name=f"Potřeba {suffix}")
    FulfilmentSignFactory(need=need, text=f"Podoba {suffix}")
    RiskFactory(need=need, text=f"Riziko {suffix}")
    activity = ActivityFactory(need=need, name=f"Činnost {suffix}")
    ActorTypeFactory(name=f"Typ {suffix}").activities.add(activity)
    practice = LocalPracticeFactory(activity=activity)
    practice.actors.add(ActorFactory(), ActorFactory())
    ActivityFactory(need=need, name=f"Bez praxe {suffix}")
    return need, activity


@pytest.mark.django_db
def test_need_tree_shows_every_level_with_links(coordinator_client):
    area = NeedArea.objects.get(code="BEZPECI")
    need, activity = plant_need(area, "A")

    page = coordinator_client.get(URL).content.decode()

    for text in ("Potřeba A", "Podoba A", "Riziko A", "Činnost A", "Typ A", "Bez praxe A"):
        assert text in page
    assert "2 zapojení aktéři" in page
    assert reverse("admin:needs_need_change", args=[need.pk]) in page
    assert reverse("admin:needs_activity_change", args=[activity.pk]) in page
    assert page.index("Potřeba A") > page.index(area.name)
    for other in NeedArea.objects.exclude(pk=area.pk):
        assert other.name in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_need_tree_query_count_is_constant(count, coordinator_client, django_assert_num_queries):
    for index, area in enumerate(NeedArea.objects.all()[:count]):
        plant_need(area, str(index))
    # session, user, role, the user's and the group's permissions (the admin's context), then
    # areas, needs, signs, risks, activities, actor types, practice
    with django_assert_num_queries(12):
        assert coordinator_client.get(URL).status_code == 200
