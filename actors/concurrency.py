"""No lost update: a form saved over a version that someone else has changed is refused.

Versioned models carry a `version` number. The form remembers the version its user saw
(`seen_version`, a hidden field filled when the form is shown); on save the version must still
be the same, and it is raised by one in a conditional UPDATE, so even two saves racing on SQLite
cannot both win. The refusal names who changed what meanwhile, from the record's history.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .history import restored_m2m_initial


class ConcurrentEditError(Exception):
    """The record changed between the form's check and its save."""


def current_version(instance: models.Model, *, lock: bool = False) -> int | None:
    queryset = type(instance)._default_manager.filter(pk=instance.pk)
    if lock:
        queryset = queryset.select_for_update()
    return queryset.values_list("version", flat=True).first()


def changes_since(instance: models.Model, seen: int) -> str:
    """'who, when: field: old → new; …' for the changes after version `seen`, from history."""
    history = instance.history.order_by("history_date", "history_id")
    base = history.filter(version=seen).last()
    latest = history.last()
    if base is None or latest is None or latest.version == seen:
        return ""
    delta = latest.diff_against(base, foreign_keys_are_objs=True)
    fields = type(instance)._meta
    parts = []
    for change in delta.changes:
        field = fields.get_field(change.field)
        old, new = change.old, change.new
        if field.many_to_many:
            old, new = _names(field, old), _names(field, new)
        parts.append(f"{field.verbose_name}: {old or '–'} → {new or '–'}")
    user = latest.history_user
    who = (user.get_full_name() or user.username) if user else gettext("someone")
    when = formats.date_format(timezone.localtime(latest.history_date), "SHORT_DATETIME_FORMAT")
    return gettext("%(who)s, %(when)s: %(changes)s") % {
        "who": who,
        "when": when,
        "changes": "; ".join(parts) or gettext("no field of this form"),
    }


def _names(field: models.ManyToManyField, links: list[dict]) -> str:
    """The linked records of a many-to-many snapshot (its through rows, with objects)."""
    target = field.m2m_reverse_field_name()
    return ", ".join(str(link[target]) for link in links)


class ConcurrentEditFormMixin(forms.Form):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # The version now in the database, not the instance's: a history revert shows an
            # old instance, and saving it is still a change on top of today's version.
            self.initial["seen_version"] = current_version(self.instance)
            # A revert from history starts from the links the record had then, too.
            self.initial.update(restored_m2m_initial(self.instance))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        seen = cleaned.get("seen_version")
        current = current_version(self.instance, lock=True)
        if current is not None and seen != current:
            detail = changes_since(self.instance, seen) if seen else ""
            message = gettext(
                "Someone else saved this record after you opened it, so your changes were "
                "not saved. Open the record again to see the current data."
            )
            if detail:
                meanwhile = gettext("Changed meanwhile:")
                message = f"{message} {meanwhile} {detail}"
            raise ValidationError(message, code="concurrent_edit")
        if current is not None:
            self.instance.version = current + 1
        return cleaned


class ConcurrentEditAdminMixin:
    """Admin side: the conditional UPDATE at save, and a clear answer if it loses a race."""

    def save_model(self, request, obj, form, change):
        if change:
            won = (
                type(obj)
                ._default_manager.filter(pk=obj.pk, version=obj.version - 1)
                .update(version=obj.version)
            )
            if not won:
                raise ConcurrentEditError
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            self.message_user(request, CONCURRENT_EDIT_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's revert saves outside a transaction; the version check locks
        # the row, which PostgreSQL allows only inside one, and a lost race must roll back.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ConcurrentEditError:
            self.message_user(request, CONCURRENT_EDIT_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.path)


CONCURRENT_EDIT_MESSAGE = _(
    "Someone else saved this record at the same moment, so your changes were not saved. "
    "The form now shows the current data."
)
