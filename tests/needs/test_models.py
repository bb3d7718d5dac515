"""The database keeps the invariants of the needs template; the six need areas are seeded."""

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from needs.models import Activity, Focus, Need, NeedArea
from tests.factories import (
    ActivityFactory,
    FulfilmentSignFactory,
    NeedAreaFactory,
    NeedFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db


def test_need_areas_are_the_six_of_the_standards_in_order():
    rows = list(NeedArea.objects.values_list("order", "code", "name"))

    assert rows == [
        (1, "VZTAHY", "VZTAHY"),
        (2, "BEZPECI", "BEZPEČÍ"),
        (3, "ZDRAVI", "ZDRAVÍ"),
        (4, "UCENI", "UČENÍ"),
        (5, "CHOVANI", "CHOVÁNÍ"),
        (6, "MATERIALNI_ZAJISTENI", "MATERIÁLNÍ ZAJIŠTĚNÍ"),
    ]


def test_need_areas_all_have_a_description():
    assert NeedArea.objects.filter(description="").count() == 0


def test_need_area_factory_returns_the_seeded_row():
    area = NeedAreaFactory(code="ZDRAVI")

    assert area == NeedArea.objects.get(code="ZDRAVI")
    assert NeedArea.objects.count() == 6


def test_need_area_factory_refuses_to_invent_an_area():
    with pytest.raises(TypeError):
        NeedAreaFactory(code="ZDRAVI", name="jiné zdraví")


def test_need_area_str_is_its_name():
    assert str(NeedArea.objects.get(code="MATERIALNI_ZAJISTENI")) == "MATERIÁLNÍ ZAJIŠTĚNÍ"


# --- check constraints ----------------------------------------------------------------------

CHECK_REFUSALS = [
    # (constraint, factory, fields of the bad row)
    ("need_name_not_empty", NeedFactory, {"name": ""}),
    ("sign_text_not_empty", FulfilmentSignFactory, {"text": ""}),
    ("risk_text_not_empty", RiskFactory, {"text": ""}),
    ("activity_name_not_empty", ActivityFactory, {"name": ""}),
    ("activity_focus_valid", ActivityFactory, {"focus": "cure"}),
    ("activity_focus_valid", ActivityFactory, {"focus": ""}),
]


@pytest.mark.parametrize(
    ("constraint", "factory_class", "fields"),
    CHECK_REFUSALS,
    ids=[f"{c}-{f}" for c, _, f in CHECK_REFUSALS],
)
def test_check_constraint_refuses_bad_row(constraint, factory_class, fields):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factory_class(**fields)


@pytest.mark.parametrize("focus", Focus.values)
def test_activity_focus_accepts_every_choice(focus):
    activity = ActivityFactory(focus=focus)

    assert Activity.objects.get(pk=activity.pk).focus == focus


# --- unique constraints ---------------------------------------------------------------------


def test_need_name_unique_in_area_refuses_same_name():
    area = NeedAreaFactory(code="BEZPECI")
    NeedFactory(area=area, name="Bezpečný domov")

    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(area=area, name="Bezpečný domov")


def test_need_name_unique_in_area_ignores_ascii_case():
    area = NeedAreaFactory(code="BEZPECI")
    NeedFactory(area=area, name="Safe home")

    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(area=area, name="SAFE HOME")


def test_need_name_unique_in_area_ignores_czech_case():
    area = NeedAreaFactory(code="BEZPECI")
    NeedFactory(area=area, name="Bezpečí doma")

    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(area=area, name="BEZPEČÍ DOMA")


def test_need_name_may_repeat_in_another_area():
    NeedFactory(area=NeedAreaFactory(code="BEZPECI"), name="Podpora")
    NeedFactory(area=NeedAreaFactory(code="UCENI"), name="podpora")

    assert Need.objects.filter(name__iexact="podpora").count() == 2


def test_activity_name_unique_in_need_refuses_other_case():
    need = NeedFactory()
    ActivityFactory(need=need, name="Doučování")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(need=need, name="doučování")


def test_activity_name_unique_in_need_ignores_czech_case():
    need = NeedFactory()
    ActivityFactory(need=need, name="Účast na schůzce")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(need=need, name="účast na schůzce")


def test_activity_name_may_repeat_under_another_need():
    ActivityFactory(name="Doučování")
    ActivityFactory(name="Doučování")

    assert Activity.objects.filter(name="Doučování").count() == 2


def test_needs_constraints_all_have_a_refusal_test():
    # A new constraint in needs/models.py needs a refusal test above and its name here.
    tested = {c for c, _, _ in CHECK_REFUSALS} | {
        "need_name_unique_in_area",
        "activity_name_unique_in_need",
    }
    declared = {
        c.name for m in apps.get_app_config("needs").get_models() for c in m._meta.constraints
    }

    assert declared == tested
