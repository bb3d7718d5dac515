"""Bulk actions of the actor changelist, and the forms of their confirmation pages.

An action with a form is posted twice: from the changelist it renders its page (the form, the
selected actors as hidden `_selected_action` inputs), and with `apply` it writes and returns to
the changelist with a message.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Actor, Characteristic, CharacteristicOption

APPLY = "apply"
SHOWN = 100  # names listed on a confirmation page for "select all"


def action_page(modeladmin, request, queryset, *, action, form, template, title, submit):
    """The confirmation page of an action: its form and the actors it will touch.

    With "select all" on a filtered list the page posts `select_across` back to the same URL
    (same filters) instead of one hidden input per actor, which for thousands of actors would
    exceed Django's limit of form fields.
    """
    actors = queryset.select_related(None).order_by("name")
    select_across = request.POST.get("select_across") == "1"
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "media": modeladmin.media + form.media,
        "actors": actors[:SHOWN] if select_across else actors,
        "actor_count": actors.count() if select_across else None,
        "select_across": select_across,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "apply": APPLY,
        "submit": submit,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, template, context)


def bound_form(form_class, request):
    """The form bound to the POST when the page was confirmed, else unbound."""
    return form_class(request.POST if APPLY in request.POST else None)


@admin.action(permissions=["change"], description=_("Mark as verified today"))
def mark_verified(modeladmin, request, queryset):
    count = services.mark_verified(actors=queryset, user=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d actor marked as verified today.",
            "%(count)d actors marked as verified today.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class EndActorsForm(forms.Form):
    ended_on = forms.DateField(
        label=_("ended on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > timezone.localdate():
            raise ValidationError(_("The end date cannot be in the future."))
        return ended_on


@admin.action(permissions=["change"], description=pgettext_lazy("admin action", "End"))
def end_actors(modeladmin, request, queryset):
    form = bound_form(EndActorsForm, request)
    if not (form.is_bound and form.is_valid()):
        return action_page(
            modeladmin,
            request,
            queryset,
            action="end_actors",
            form=form,
            template="admin/actors/actor/action_end.html",
            title=_("End actors"),
            submit=pgettext_lazy("admin action", "End"),
        )
    ended_on = form.cleaned_data["ended_on"]
    already = list(
        queryset.filter(status=Actor.Status.ENDED).order_by("name").values_list("name", flat=True)
    )
    count = services.end_actors(actors=queryset, on=ended_on, user=request.user)
    modeladmin.message_user(
        request,
        ngettext("%(count)d actor ended on %(date)s.", "%(count)d actors ended on %(date)s.", count)
        % {"count": count, "date": formats.date_format(ended_on)},
        messages.SUCCESS,
    )
    if already:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d actor had already ended and was left unchanged: %(names)s.",
                "%(count)d actors had already ended and were left unchanged: %(names)s.",
                len(already),
            )
            % {"count": len(already), "names": "; ".join(already)},
            messages.WARNING,
        )


class OptionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.characteristic}: {obj}"


class ClearCharacteristicForm(forms.Form):
    characteristic = forms.ModelChoiceField(Characteristic.objects.all(), label=_("characteristic"))


class SetCharacteristicForm(ClearCharacteristicForm):
    """The characteristic and its value, in the field its kind uses."""

    value_boolean = forms.TypedChoiceField(
        label=_("yes/no"),
        choices=[("", "---------"), ("1", _("yes")), ("0", _("no"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    value_text = forms.CharField(
        label=_("text"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    value_number = forms.DecimalField(
        label=_("number"), max_digits=14, decimal_places=4, required=False
    )
    value_options = OptionField(
        CharacteristicOption.objects.select_related("characteristic"),
        label=_("choices"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a characteristic with one choice, select exactly one option."),
    )

    FIELD_OF_KIND = {
        Characteristic.Kind.BOOLEAN: "value_boolean",
        Characteristic.Kind.TEXT: "value_text",
        Characteristic.Kind.NUMBER: "value_number",
        Characteristic.Kind.CHOICE: "value_options",
        Characteristic.Kind.MULTICHOICE: "value_options",
    }

    def kinds(self) -> dict:
        """For the page's script: the value field of each characteristic, and each option's
        characteristic (only those fields are shown)."""
        return {
            "fields": {
                str(pk): self.FIELD_OF_KIND[kind]
                for pk, kind in Characteristic.objects.values_list("pk", "kind")
            },
            "options": {
                str(pk): str(owner)
                for pk, owner in CharacteristicOption.objects.values_list("pk", "characteristic")
            },
        }

    def clean(self):
        cleaned = super().clean()
        characteristic = cleaned.get("characteristic")
        if characteristic is None:
            return cleaned
        kind = characteristic.kind
        kind_display = {"kind": characteristic.get_kind_display()}
        field = self.FIELD_OF_KIND[kind]
        values = {
            "value_boolean": cleaned.get("value_boolean"),
            "value_text": (cleaned.get("value_text") or "").strip() or None,
            "value_number": cleaned.get("value_number"),
            "value_options": list(cleaned.get("value_options") or []) or None,
        }
        for name, value in values.items():
            if name != field and value is not None and name not in self.errors:
                self.add_error(
                    name,
                    gettext("A characteristic of the kind “%(kind)s” keeps no value here.")
                    % kind_display,
                )
        value = values[field]
        if value is None:
            if field not in self.errors:
                self.add_error(
                    field,
                    gettext("Enter the value of a characteristic of the kind “%(kind)s”.")
                    % kind_display,
                )
            return cleaned
        if field == "value_options":
            if any(option.characteristic_id != characteristic.pk for option in value):
                self.add_error(field, gettext("The option belongs to another characteristic."))
                return cleaned
            if kind == Characteristic.Kind.CHOICE:
                if len(value) != 1:
                    self.add_error(field, gettext("Select exactly one option."))
                    return cleaned
                value = value[0]
        cleaned["value"] = value
        return cleaned


def _characteristic_page(modeladmin, request, queryset, *, action, form, title, submit):
    return action_page(
        modeladmin,
        request,
        queryset,
        action=action,
        form=form,
        template="admin/actors/actor/action_characteristic.html",
        title=title,
        submit=submit,
    )


@admin.action(permissions=["change"], description=_("Set a characteristic"))
def set_characteristic(modeladmin, request, queryset):
    form = bound_form(SetCharacteristicForm, request)
    if not (form.is_bound and form.is_valid()):
        return _characteristic_page(
            modeladmin,
            request,
            queryset,
            action="set_characteristic",
            form=form,
            title=_("Set a characteristic"),
            submit=_("Set"),
        )
    characteristic = form.cleaned_data["characteristic"]
    result = services.set_characteristic(
        actors=queryset,
        characteristic=characteristic,
        value=form.cleaned_data["value"],
        user=request.user,
    )
    count = result.created + result.updated
    modeladmin.message_user(
        request,
        ngettext(
            "“%(characteristic)s” set for %(count)d actor: %(created)d added, "
            "%(updated)d overwritten.",
            "“%(characteristic)s” set for %(count)d actors: %(created)d added, "
            "%(updated)d overwritten.",
            count,
        )
        % {
            "characteristic": characteristic,
            "count": count,
            "created": result.created,
            "updated": result.updated,
        },
        messages.SUCCESS,
    )


@admin.action(permissions=["change"], description=_("Clear a characteristic"))
def clear_characteristic(modeladmin, request, queryset):
    form = bound_form(ClearCharacteristicForm, request)
    if not (form.is_bound and form.is_valid()):
        return _characteristic_page(
            modeladmin,
            request,
            queryset,
            action="clear_characteristic",
            form=form,
            title=_("Clear a characteristic"),
            submit=_("Clear"),
        )
    characteristic = form.cleaned_data["characteristic"]
    count = services.clear_characteristic(
        actors=queryset, characteristic=characteristic, user=request.user
    )
    modeladmin.message_user(
        request,
        ngettext(
            "“%(characteristic)s” cleared for %(count)d actor.",
            "“%(characteristic)s” cleared for %(count)d actors.",
            count,
        )
        % {"characteristic": characteristic, "count": count},
        messages.SUCCESS,
    )
