"""The database keeps the invariants of the actors template; reference lists are seeded."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from actors.models import (
    MAX_AGE,
    Actor,
    CharacteristicOption,
    CharacteristicValue,
    Municipality,
    Organisation,
    Post,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
)
from needs.models import Focus
from tests.factories import (
    ActivityFactory,
    ActorFactory,
    ActorTypeFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    CharacteristicValueFactory,
    ContactPersonFactory,
    LifeSituationFactory,
    LocalPracticeFactory,
    MunicipalityFactory,
    NeedAreaFactory,
    NoteFactory,
    OrganisationFactory,
    PostFactory,
    ResortFactory,
    ServiceFormFactory,
    SocialServiceKindFactory,
    TargetGroupFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
JAN_1 = datetime.date(2025, 1, 1)

VOCABULARY_FACTORIES = {
    "actortype": ActorTypeFactory,
    "socialservicekind": SocialServiceKindFactory,
    "resort": ResortFactory,
    "serviceform": ServiceFormFactory,
    "targetgroup": TargetGroupFactory,
    "lifesituation": LifeSituationFactory,
    "topic": TopicFactory,
    "municipality": MunicipalityFactory,
    "characteristic": CharacteristicFactory,
}


# --- reference lists seeded by actors/migrations/0002 -------------------------------------


def test_resorts_are_seeded_in_order():
    assert list(Resort.objects.values_list("code", flat=True)) == [
        "mpsv",
        "msmt",
        "mz",
        "msp",
        "mv",
        "samosprava",
        "cirkevni",
        "dobrovolnicky",
        "jine",
    ]


def test_service_forms_are_seeded_in_order():
    assert list(ServiceForm.objects.values_list("code", "name")) == [
        ("ambulantni", "ambulantní"),
        ("terenni", "terénní"),
        ("pobytova", "pobytová"),
    ]


def test_social_service_kinds_are_seeded_in_order_of_the_act():
    assert list(SocialServiceKind.objects.values_list("paragraph", flat=True)) == [
        "§37",
        "§39",
        "§44",
        "§46",
        "§54",
        "§55",
        "§57",
        "§58",
        "§59",
        "§60",
        "§60a",
        "§62",
        "§65",
        "§69",
        "§70",
    ]


def test_social_service_kind_names_match_their_paragraphs():
    kinds = dict(SocialServiceKind.objects.values_list("paragraph", "name"))

    assert kinds["§62"] == "nízkoprahová zařízení pro děti a mládež"
    assert kinds["§65"] == "sociálně aktivizační služby pro rodiny s dětmi"


# --- check constraints ----------------------------------------------------------------------

CHECK_REFUSALS = [
    # (constraint, factory, fields of the bad row)
    *(
        (f"{name}_name_not_empty", factory, {"name": ""})
        for name, factory in VOCABULARY_FACTORIES.items()
    ),
    ("targetgroup_level_valid", TargetGroupFactory, {"level": "family"}),
    ("targetgroup_age_range_ordered", TargetGroupFactory, {"age_from": 7, "age_to": 6}),
    ("organisation_name_not_empty", OrganisationFactory, {"name": ""}),
    ("organisation_ico_eight_digits", OrganisationFactory, {"ico": "0006458"}),
    ("organisation_ico_eight_digits", OrganisationFactory, {"ico": "0006458a"}),
    ("organisation_ico_eight_digits", OrganisationFactory, {"ico": "0006458 "}),
    ("organisation_ico_eight_digits", OrganisationFactory, {"ico": "-0064581"}),
    ("organisation_ico_eight_digits", OrganisationFactory, {"ico": "０００６４５８１"}),
    ("actor_name_not_empty", ActorFactory, {"name": ""}),
    ("actor_age_range_ordered", ActorFactory, {"age_from": 15, "age_to": 14}),
    ("actor_age_at_most_120", ActorFactory, {"age_from": 121}),
    ("actor_age_at_most_120", ActorFactory, {"age_to": 121}),
    ("actor_ended_iff_end_date", ActorFactory, {"status": "ended"}),
    ("actor_ended_iff_end_date", ActorFactory, {"status": "active", "ended_on": JAN_1}),
    ("actor_ended_iff_end_date", ActorFactory, {"status": "paused"}),
    ("actor_ended_iff_end_date", ActorFactory, {"status": "paused", "ended_on": JAN_1}),
    ("actor_focus_valid", ActorFactory, {"focus": "cure"}),
    ("actor_capacity_has_date", ActorFactory, {"capacity": "full"}),
    ("contact_name_not_empty", ContactPersonFactory, {"name": ""}),
    ("note_text_not_empty", NoteFactory, {"text": ""}),
    ("note_visibility_valid", NoteFactory, {"visibility": "public"}),
    ("characteristic_kind_valid", CharacteristicFactory, {"kind": "date"}),
    ("characteristic_visibility_valid", CharacteristicFactory, {"visibility": "everyone"}),
    ("option_name_not_empty", CharacteristicOptionFactory, {"name": ""}),
    ("post_title_not_empty", PostFactory, {"title": ""}),
    ("post_kind_valid", PostFactory, {"kind": "news"}),
    ("post_validity_ordered", PostFactory, {"valid_from": JAN_1, "valid_until": JAN_1 - DAY}),
    ("post_capacity_iff_capacity_kind", PostFactory, {"kind": "capacity", "capacity": ""}),
    ("post_capacity_iff_capacity_kind", PostFactory, {"kind": "capacity", "capacity": "huge"}),
    ("post_capacity_iff_capacity_kind", PostFactory, {"kind": "project", "capacity": "free"}),
    ("post_capacity_iff_capacity_kind", PostFactory, {"kind": "event", "capacity": "full"}),
]


@pytest.mark.parametrize(
    ("constraint", "factory_class", "fields"),
    CHECK_REFUSALS,
    ids=[f"{c}-{f}" for c, _, f in CHECK_REFUSALS],
)
def test_check_constraint_refuses_bad_row(constraint, factory_class, fields):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factory_class(**fields)


def test_target_group_refuses_itself_as_parent():
    group = TargetGroupFactory()

    with (
        pytest.raises(IntegrityError, match="targetgroup_not_own_parent"),
        transaction.atomic(),
    ):
        TargetGroup.objects.filter(pk=group.pk).update(parent=group)


def test_target_group_accepts_another_group_as_parent():
    parent = TargetGroupFactory(name="děti")
    child = TargetGroupFactory(name="děti 6-15 let", level="age", parent=parent)

    assert list(parent.children.all()) == [child]


def test_target_group_accepts_one_year_range():
    group = TargetGroupFactory(level="age", age_from=6, age_to=6)

    assert TargetGroup.objects.get(pk=group.pk).age_to == 6


@pytest.mark.parametrize(
    ("age_from", "age_to"),
    [(0, 0), (0, MAX_AGE), (MAX_AGE, MAX_AGE), (6, None), (None, 18), (None, None)],
)
def test_actor_accepts_age_range(age_from, age_to):
    actor = ActorFactory(age_from=age_from, age_to=age_to)

    assert Actor.objects.values_list("age_from", "age_to").get(pk=actor.pk) == (age_from, age_to)


def test_actor_ended_with_end_date_is_accepted():
    actor = ActorFactory(status="ended", ended_on=JAN_1)

    assert Actor.objects.values_list("status", "ended_on").get(pk=actor.pk) == ("ended", JAN_1)


@pytest.mark.parametrize("focus", Focus.values)
def test_actor_accepts_every_focus(focus):
    actor = ActorFactory(focus=focus)

    assert Actor.objects.get(pk=actor.pk).focus == focus


@pytest.mark.parametrize("capacity", Actor.Capacity.values)
def test_actor_capacity_with_date_is_accepted(capacity):
    actor = ActorFactory(capacity=capacity, capacity_date=JAN_1)

    assert Actor.objects.values_list("capacity", "capacity_date").get(pk=actor.pk) == (
        capacity,
        JAN_1,
    )


def test_actor_without_capacity_needs_no_date():
    actor = ActorFactory(capacity="", capacity_date=None)

    assert Actor.objects.get(pk=actor.pk).capacity_date is None


@pytest.mark.parametrize("ico", ["", "00064581", "27082440", "12345678"])
def test_organisation_ico_constraint_accepts_eight_digits_or_nothing(ico):
    # The checksum is the validator's job; the database only checks the shape.
    organisation = OrganisationFactory(ico=ico)

    assert Organisation.objects.get(pk=organisation.pk).ico == ico


def test_organisation_ico_constraint_refuses_trailing_newline():
    # PostgreSQL refuses the nine characters already for the column length (DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        OrganisationFactory(ico="00064581\n")


def test_post_ending_on_its_first_day_is_accepted():
    post = PostFactory(valid_from=JAN_1, valid_until=JAN_1)

    assert Post.objects.get(pk=post.pk).valid_until == JAN_1


@pytest.mark.parametrize("capacity", Actor.Capacity.values)
def test_capacity_post_with_capacity_is_accepted(capacity):
    post = PostFactory(kind="capacity", capacity=capacity)

    assert Post.objects.values_list("kind", "capacity").get(pk=post.pk) == ("capacity", capacity)


@pytest.mark.parametrize("kind", ["project", "event"])
def test_other_post_without_capacity_is_accepted(kind):
    post = PostFactory(kind=kind, capacity="")

    assert Post.objects.values_list("kind", "capacity").get(pk=post.pk) == (kind, "")


def _column_values(columns):
    values = {"text": "ano", "boolean": True, "number": Decimal("3.5")}
    if "option" in columns:
        values["option"] = CharacteristicOptionFactory()
    return {column: values[column] for column in columns}


@pytest.mark.parametrize(
    "columns",
    [
        ("text", "boolean"),
        ("text", "number"),
        ("text", "option"),
        ("boolean", "number"),
        ("boolean", "option"),
        ("number", "option"),
        ("text", "boolean", "number", "option"),
    ],
)
def test_characteristic_value_refuses_two_columns(columns):
    fields = {"text": None, **_column_values(columns)}

    with (
        pytest.raises(IntegrityError, match="characteristic_value_one_column"),
        transaction.atomic(),
    ):
        CharacteristicValueFactory(**fields)


def test_characteristic_value_counts_empty_text_as_a_used_column():
    # NULL, not "", marks an unused column.
    with (
        pytest.raises(IntegrityError, match="characteristic_value_one_column"),
        transaction.atomic(),
    ):
        CharacteristicValueFactory(text="", boolean=False)


@pytest.mark.parametrize("column", [(), ("text",), ("boolean",), ("number",), ("option",)])
def test_characteristic_value_accepts_one_column_or_none(column):
    fields = {"text": None, **_column_values(column)}
    value = CharacteristicValueFactory(**fields)

    stored = CharacteristicValue.objects.get(pk=value.pk)
    used = [c for c in ("text", "boolean", "number", "option") if getattr(stored, c) is not None]
    assert used == list(column)


# --- unique constraints ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory_class", VOCABULARY_FACTORIES.values(), ids=VOCABULARY_FACTORIES.keys()
)
def test_vocabulary_name_unique_ignores_case(factory_class):
    factory_class(name="Poradna")

    with pytest.raises(IntegrityError), transaction.atomic():
        factory_class(name="PORADNA")


def test_actor_name_unique_refuses_same_name():
    ActorFactory(name="ZŠ Lipová")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(name="ZŠ Lipová")


def test_actor_name_unique_ignores_ascii_case():
    ActorFactory(name="ZS Lipova")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(name="zs lipova")


def test_actor_name_unique_ignores_czech_case():
    ActorFactory(name="ZŠ Lipová")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(name="zš lipová")


def test_actor_names_differing_in_more_than_case_are_accepted():
    ActorFactory(name="ZŠ Lipová")
    ActorFactory(name="ZŠ Lipová – družina")

    assert Actor.objects.count() == 2


def test_municipality_code_unique_refuses_same_code():
    MunicipalityFactory(code="594156")

    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(code="594156")


def test_municipalities_without_code_are_accepted():
    MunicipalityFactory(code="")
    MunicipalityFactory(code="")

    assert Municipality.objects.filter(code="").count() == 2


def test_municipality_one_seat_refuses_second_seat():
    MunicipalityFactory(is_seat=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(is_seat=True)


def test_municipalities_that_are_not_the_seat_are_accepted():
    MunicipalityFactory(is_seat=True)
    MunicipalityFactory(is_seat=False)
    MunicipalityFactory(is_seat=False)

    assert list(Municipality.objects.values_list("is_seat", flat=True).order_by("pk")) == [
        True,
        False,
        False,
    ]


def test_organisation_ico_unique_refuses_same_ico():
    OrganisationFactory(name="Město Lipová", ico="00064581")

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="Jiná organizace", ico="00064581")


def test_organisations_without_ico_are_accepted():
    OrganisationFactory(ico="")
    OrganisationFactory(ico="")

    assert Organisation.objects.filter(ico="").count() == 2


def test_option_name_unique_in_characteristic_ignores_case():
    characteristic = CharacteristicFactory(kind="choice")
    CharacteristicOptionFactory(characteristic=characteristic, name="Ano")

    with pytest.raises(IntegrityError), transaction.atomic():
        CharacteristicOptionFactory(characteristic=characteristic, name="ANO")


def test_option_name_may_repeat_in_another_characteristic():
    CharacteristicOptionFactory(name="Ano")
    CharacteristicOptionFactory(name="Ano")

    assert CharacteristicOption.objects.filter(name="Ano").count() == 2


def test_one_value_per_actor_characteristic_refuses_second_value():
    value = CharacteristicValueFactory(text="první")

    with pytest.raises(IntegrityError), transaction.atomic():
        CharacteristicValueFactory(
            actor=value.actor, characteristic=value.characteristic, text="druhá"
        )


def test_actor_may_have_values_of_two_characteristics():
    actor = ActorFactory()
    CharacteristicValueFactory(actor=actor)
    CharacteristicValueFactory(actor=actor)

    assert actor.characteristic_values.count() == 2


def test_actors_constraints_all_have_a_refusal_test():
    # A new constraint in actors/models.py needs a refusal test above and its name here.
    tested = {c for c, _, _ in CHECK_REFUSALS} | {
        *(f"{name}_name_unique_ci" for name in VOCABULARY_FACTORIES),
        "targetgroup_not_own_parent",
        "characteristic_value_one_column",
        "actor_name_unique_ci",
        "municipality_code_unique",
        "municipality_one_seat",
        "organisation_ico_unique",
        "option_name_unique_in_characteristic",
        "one_value_per_actor_characteristic",
    }
    declared = {
        c.name for m in apps.get_app_config("actors").get_models() for c in m._meta.constraints
    }

    assert declared == tested


# --- model validation -----------------------------------------------------------------------


def test_actor_full_clean_refuses_age_over_120():
    actor = ActorFactory.build(age_from=0, age_to=121, primary_need_area=NeedAreaFactory())

    with pytest.raises(ValidationError) as excinfo:
        actor.full_clean()

    assert {k: [e.code for e in v] for k, v in excinfo.value.error_dict.items()} == {
        "age_to": ["max_value"]
    }


@pytest.mark.parametrize("name", ["Poradna A; poradna B", "ZŠ Lipová\nodloučené pracoviště"])
def test_names_that_workbook_cells_list_hold_no_list_separator(name):
    """A `;` or a line break in a name would split it in every cell that lists names."""
    actor = ActorFactory.build(name=name, primary_need_area=NeedAreaFactory())
    group = TargetGroupFactory.build(name=name)

    for record in (actor, group):
        with pytest.raises(ValidationError) as excinfo:
            record.full_clean()
        assert excinfo.value.message_dict["name"] == [
            "Název nesmí obsahovat středník ani zalomení řádku: sešit jimi odděluje seznamy názvů."
        ]


def test_municipality_full_clean_refuses_five_digit_code():
    municipality = MunicipalityFactory.build(name="Lipová", code="59415")

    with pytest.raises(ValidationError) as excinfo:
        municipality.full_clean()

    assert list(excinfo.value.error_dict) == ["code"]


# --- queries --------------------------------------------------------------------------------


def test_actor_queryset_active_leaves_out_ended_actors():
    ActorFactory(name="Běžící služba")
    ActorFactory(name="Ukončená služba", ended=True)
    ActorFactory(name="Another active")

    assert list(Actor.objects.active().values_list("name", flat=True)) == [
        "Another active",
        "Běžící služba",
    ]


def test_actor_queryset_crisis_network_keeps_active_crisis_actors_only():
    ActorFactory(name="Krizové centrum", crisis_network=True)
    ActorFactory(name="Intervenční centrum", crisis_network=True)
    ActorFactory(name="Zaniklá linka", crisis_network=True, ended=True)
    ActorFactory(name="Kroužek", crisis_network=False)

    assert list(Actor.objects.crisis_network().values_list("name", flat=True)) == [
        "Intervenční centrum",
        "Krizové centrum",
    ]


def test_actor_queryset_methods_chain_after_filter():
    ActorFactory(name="Krize bezpečí", crisis_network=True, primary_need_area__code="BEZPECI")
    ActorFactory(name="Krize zdraví", crisis_network=True, primary_need_area__code="ZDRAVI")

    names = Actor.objects.filter(primary_need_area__code="ZDRAVI").crisis_network()

    assert list(names.values_list("name", flat=True)) == ["Krize zdraví"]


def test_actor_queryset_active_of_nothing_is_empty():
    ActorFactory(ended=True)

    assert list(Actor.objects.active()) == []


# --- __str__ --------------------------------------------------------------------------------


def test_organisation_str_shows_ico_when_known():
    assert str(OrganisationFactory.build(name="Město Lipová", ico="00064581")) == (
        "Město Lipová (00064581)"
    )


def test_organisation_str_without_ico_is_the_name():
    assert str(OrganisationFactory.build(name="Spolek Kotva", ico="")) == "Spolek Kotva"


def test_contact_person_str_adds_role_when_known():
    person = ContactPersonFactory(name="Jana Nováková", role="metodička prevence")

    assert str(person) == "Jana Nováková, metodička prevence"
    assert str(ContactPersonFactory(name="Petr Svoboda", role="")) == "Petr Svoboda"


def test_note_str_is_the_first_60_characters():
    note = NoteFactory(text="x" * 59 + "yz")

    assert str(note) == "x" * 59 + "y"


def test_characteristic_value_str_names_characteristic_and_actor():
    value = CharacteristicValueFactory(
        characteristic=CharacteristicFactory(name="Bezbariérovost"),
        actor=ActorFactory(name="Poradna Rozcestí"),
    )

    assert str(value) == "Bezbariérovost: Poradna Rozcestí"


def test_local_practice_str_is_its_activity():
    practice = LocalPracticeFactory(activity=ActivityFactory(name="Případové konference"))

    assert str(practice) == "Případové konference"
