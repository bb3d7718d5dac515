import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: str.isdigit() would let "²" and full-width digits through.
ICO_PATTERN = re.compile(r"[0-9]{8}")


def ico_checksum_ok(ico: str) -> bool:
    """The mod-11 check digit of a Czech IČO (eight digits)."""
    if not ICO_PATTERN.fullmatch(ico):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(ico[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 10
    return check == int(ico[7])


def validate_ico(value: str) -> None:
    if not value:
        return
    if not ICO_PATTERN.fullmatch(value):
        raise ValidationError(_("IČO has exactly eight digits."), code="ico_format")
    if not ico_checksum_ok(value):
        raise ValidationError(
            _("IČO %(ico)s has a wrong check digit."), code="ico_checksum", params={"ico": value}
        )


def validate_list_item(value: str) -> None:
    """A name that workbook cells list (actors, platforms, vocabularies, options): the cells
    separate their names with `;` or a line break, so a name holds neither."""
    if ";" in value or "\n" in value or "\r" in value:
        raise ValidationError(
            _("A name cannot contain a semicolon or a line break: the workbook separates lists "
              "of names with them."),
            code="list_separator",
        )  # fmt: skip
