"""Custom characteristics as fields of the actor form: made from data, saved as values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Characteristic, CharacteristicValue, Visibility

FIELD_PREFIX = "znak_"


def field_name(characteristic: Characteristic) -> str:
    return f"{FIELD_PREFIX}{characteristic.pk}"


def characteristics_with_options() -> list[Characteristic]:
    """Every characteristic with its options, in two queries."""
    return list(Characteristic.objects.prefetch_related("options"))


def form_field(characteristic: Characteristic) -> forms.Field:
    help_text = characteristic.description
    if characteristic.visibility == Visibility.COORDINATOR:
        help_text = f"{help_text} ({_('coordinator only')})".strip()
    # show_hidden_initial: the form posts back the value its user saw, so a save changes only
    # what this user changed, not a value someone else set meanwhile.
    common = {
        "label": characteristic.name,
        "required": False,
        "help_text": help_text,
        "show_hidden_initial": True,
    }
    choices = [(o.pk, o.name) for o in characteristic.options.all()]
    match characteristic.kind:
        case Characteristic.Kind.BOOLEAN:
            return forms.NullBooleanField(**common)
        case Characteristic.Kind.CHOICE:
            return forms.TypedChoiceField(
                choices=[("", "---------"), *choices], coerce=int, empty_value=None, **common
            )
        case Characteristic.Kind.MULTICHOICE:
            return forms.TypedMultipleChoiceField(
                choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        case Characteristic.Kind.NUMBER:
            return forms.DecimalField(max_digits=14, decimal_places=4, **common)
        case _:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)


def initial_values(actor, characteristics: list[Characteristic]) -> dict:
    if actor.pk is None:
        return {}
    by_characteristic = {
        v.characteristic_id: v
        for v in CharacteristicValue.objects.filter(actor=actor).prefetch_related("options")
    }
    initial = {}
    for characteristic in characteristics:
        value = by_characteristic.get(characteristic.pk)
        if value is None:
            continue
        initial[field_name(characteristic)] = {
            Characteristic.Kind.BOOLEAN: value.boolean,
            Characteristic.Kind.CHOICE: value.option_id,
            Characteristic.Kind.MULTICHOICE: [o.pk for o in value.options.all()],
            Characteristic.Kind.NUMBER: value.number,
            Characteristic.Kind.TEXT: value.text,
        }[characteristic.kind]
    return initial


def save_values(actor, characteristics: list[Characteristic], cleaned_data: dict) -> None:
    """Write the actor's characteristic values from the form; an empty field deletes one."""
    existing = {v.characteristic_id: v for v in CharacteristicValue.objects.filter(actor=actor)}
    for characteristic in characteristics:
        name = field_name(characteristic)
        if name not in cleaned_data:
            continue
        data = cleaned_data[name]
        value = existing.get(characteristic.pk)
        if data in (None, "", []):
            if value is not None:
                value.delete()
            continue
        if value is None:
            value = CharacteristicValue(actor=actor, characteristic=characteristic)
        column = {
            Characteristic.Kind.BOOLEAN: "boolean",
            Characteristic.Kind.CHOICE: "option_id",
            Characteristic.Kind.NUMBER: "number",
            Characteristic.Kind.TEXT: "text",
        }.get(characteristic.kind)
        if column:
            setattr(value, column, data)
        value.save()
        if characteristic.kind == Characteristic.Kind.MULTICHOICE:
            value.options.set(data)
