import pytest
from django.core.exceptions import ValidationError

from actors.models import Characteristic, CharacteristicOption, CharacteristicValue
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def choice():
    characteristic = Characteristic.objects.create(name="Způsob vstupu", kind="choice")
    return characteristic, CharacteristicOption.objects.create(
        characteristic=characteristic, name="doporučení OSPOD"
    )


def test_characteristic_value_in_its_kind_column_is_valid(choice):
    characteristic, option = choice
    value = CharacteristicValue(actor=ActorFactory(), characteristic=characteristic, option=option)

    value.full_clean()


def test_characteristic_value_in_another_column_is_refused(choice):
    characteristic, _ = choice
    value = CharacteristicValue(actor=ActorFactory(), characteristic=characteristic, text="ano")

    with pytest.raises(ValidationError) as error:
        value.full_clean()

    assert list(error.value.message_dict) == ["text"]


def test_characteristic_value_with_option_of_another_characteristic_is_refused(choice):
    characteristic, _ = choice
    other = Characteristic.objects.create(name="Jazyky", kind="choice")
    foreign = CharacteristicOption.objects.create(characteristic=other, name="romština")
    value = CharacteristicValue(actor=ActorFactory(), characteristic=characteristic, option=foreign)

    with pytest.raises(ValidationError) as error:
        value.full_clean()

    assert list(error.value.message_dict) == ["option"]


def test_characteristic_value_empty_text_is_no_text():
    staff = Characteristic.objects.create(name="Počet pracovníků", kind="number")
    value = CharacteristicValue(actor=ActorFactory(), characteristic=staff, number=4, text="")

    value.full_clean()
    value.save()

    assert value.text is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Poznámka", "soukroma  poznamka", "WEB", "Účast v platformách"])
def test_a_characteristic_named_as_a_column_of_the_actors_sheet_is_refused(name):
    """The import would read the two columns under one header (the notes as the
    characteristic's text, or the file refused as one with a column twice)."""
    with pytest.raises(ValidationError) as refused:
        Characteristic(name=name, kind=Characteristic.Kind.TEXT).full_clean()
    assert list(refused.value.message_dict) == ["name"]


@pytest.mark.django_db
def test_a_saved_characteristic_keeps_its_own_name_valid():
    staff = Characteristic.objects.create(name="Úvazky", kind=Characteristic.Kind.NUMBER)
    staff.full_clean()


def test_the_kind_of_a_characteristic_with_values_cannot_change(choice):
    characteristic, option = choice
    CharacteristicValue.objects.create(
        actor=ActorFactory(), characteristic=characteristic, option=option
    )
    characteristic.kind = Characteristic.Kind.TEXT

    with pytest.raises(ValidationError) as refused:
        characteristic.full_clean()

    assert refused.value.message_dict == {
        "kind": ["1 aktér má hodnotu tohoto znaku; druh lze změnit, až když hodnotu odstraníte."]
    }
    CharacteristicValue.objects.all().delete()
    characteristic.full_clean()  # without values it may change
