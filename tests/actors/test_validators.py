"""validate_ico: eight digits with the mod-11 check digit of the Czech business register."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from actors.validators import ico_checksum_ok, validate_ico
from tests.factories import OrganisationFactory, ico_with_check_digit


def error_codes(excinfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in excinfo.value.error_dict.items()}


@pytest.mark.parametrize("ico", ["00064581", "27082440", "25596641", "00006947"])
def test_ico_checksum_ok_accepts_registered_icos(ico):
    assert ico_checksum_ok(ico) is True


@pytest.mark.parametrize("ico", ["00064582", "27082441", "0006458", "", "abcdefgh"])
def test_ico_checksum_ok_refuses_wrong_check_digit_or_shape(ico):
    assert ico_checksum_ok(ico) is False


@pytest.mark.parametrize("ico", ["00064581", "27082440", ""])
def test_validate_ico_accepts_valid_or_empty(ico):
    assert validate_ico(ico) is None


@pytest.mark.parametrize(
    ("first_seven", "ico"),
    [("0006458", "00064581"), ("2708244", "27082440"), ("0000000", "00000001")],
)
def test_ico_with_check_digit_matches_the_register(first_seven, ico):
    # Remainder 0 gives check digit 1 and remainder 1 gives 0.
    assert ico_with_check_digit(first_seven) == ico


@pytest.mark.parametrize("ico", ["00064582", "00064580", "27082441", "27082449"])
def test_validate_ico_refuses_wrong_check_digit(ico):
    with pytest.raises(ValidationError) as excinfo:
        validate_ico(ico)

    assert (excinfo.value.code, excinfo.value.params) == ("ico_checksum", {"ico": ico})


def test_validate_ico_names_the_number_in_its_message():
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validate_ico("00064582")
        messages = excinfo.value.messages

    assert messages == ["IČO 00064582 has a wrong check digit."]


@pytest.mark.parametrize(
    "ico",
    ["0006458", "000645810", "64581", "0006458a", "ABCDEFGH", " 0064581", "0006-581", "0006458.1"],
)
def test_validate_ico_refuses_wrong_length_or_non_digits(ico):
    with pytest.raises(ValidationError) as excinfo:
        validate_ico(ico)

    assert excinfo.value.code == "ico_format"


def test_validate_ico_refuses_superscript_digit():
    with pytest.raises(ValidationError) as excinfo:
        validate_ico("0006458²")

    assert excinfo.value.code == "ico_format"


def test_validate_ico_refuses_full_width_digits():
    with pytest.raises(ValidationError):
        validate_ico("０００６４５８１")


@pytest.mark.django_db
def test_organisation_full_clean_accepts_valid_ico():
    organisation = OrganisationFactory.build(name="Město Lipová", ico="00064581")

    assert organisation.full_clean() is None


@pytest.mark.django_db
def test_organisation_factory_default_ico_passes_validation():
    assert OrganisationFactory().full_clean() is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ico", "code"),
    [("00064582", "ico_checksum"), ("0006458", "ico_format"), ("0006458a", "ico_format")],
)
def test_organisation_full_clean_refuses_invalid_ico(ico, code):
    organisation = OrganisationFactory.build(name="Město Lipová", ico=ico)

    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()

    assert error_codes(excinfo) == {"ico": [code]}


@pytest.mark.django_db
def test_organisation_full_clean_refuses_ico_of_another_organisation():
    OrganisationFactory(name="Město Lipová", ico="00064581")
    duplicate = OrganisationFactory.build(name="Obec Lipová", ico="00064581")

    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            duplicate.full_clean()
        messages = excinfo.value.message_dict

    assert messages == {"__all__": ["An organisation with this IČO already exists."]}
