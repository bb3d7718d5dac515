import pytest
from django.utils import translation

from actors.forms import ActorForm
from needs.models import NeedArea

pytestmark = pytest.mark.django_db


def actor_data(**overrides):
    data = {
        "name": "Poradna Rozcestí",
        "kind": "service",
        "status": "active",
        "territorial_scope": "municipality",
        "primary_need_area": NeedArea.objects.get(code="VZTAHY").pk,
        "focus": "both",
    }
    data.update(overrides)
    return data


def test_actor_form_accepts_other_areas_without_the_primary():
    form = ActorForm(data=actor_data(secondary_need_areas=[NeedArea.objects.get(code="ZDRAVI").pk]))

    assert form.is_valid(), form.errors


def test_actor_form_refuses_primary_area_among_other_areas():
    vztahy = NeedArea.objects.get(code="VZTAHY")
    with translation.override("cs"):
        form = ActorForm(data=actor_data(secondary_need_areas=[vztahy.pk]))
        valid = form.is_valid()
        errors = form.errors["secondary_need_areas"]

    assert valid is False
    assert errors == ["Primární oblast potřeb VZTAHY nemůže být zároveň další oblastí potřeb."]


def test_actor_form_refuses_ended_actor_without_end_date():
    with translation.override("cs"):
        form = ActorForm(data=actor_data(status="ended"))
        valid = form.is_valid()
        errors = form.errors["__all__"]

    assert valid is False
    assert errors == ["Ukončený aktér potřebuje datum ukončení; aktivní žádné nemá."]
