from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import characteristics
from .concurrency import ConcurrentEditFormMixin
from .models import Actor

# Links typed without a scheme ("www.poradna.cz") are https today; Django 6 makes this the default.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def https_urls(db_field, **kwargs):
    kwargs.update(HTTPS_URLS.get(type(db_field), {}))
    return db_field.formfield(**kwargs)


class ActorForm(ConcurrentEditFormMixin, forms.ModelForm):
    """The actor's form, with the rules the database cannot state across a many-to-many."""

    class Meta:
        model = Actor
        formfield_callback = https_urls
        fields = [
            "name", "kind", "organisation", "status", "ended_on", "actor_type",
            "social_service_kinds", "founder", "resorts", "target_groups", "age_from", "age_to",
            "life_situations", "service_forms", "online", "opening_hours", "address",
            "municipality", "territorial_scope", "served_municipalities", "web", "phone", "email",
            "primary_need_area", "secondary_need_areas", "focus", "crisis_network",
            "crisis_contact", "needs_from_others", "capacity", "capacity_date", "verified_on",
            "verified_by", "representatives",
        ]  # fmt: skip

    characteristic_list = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin hands over the characteristics it fetched for the fieldsets.
        self.characteristics = self.characteristic_list
        if self.characteristics is None:
            self.characteristics = characteristics.characteristics_with_options()
        for characteristic in self.characteristics:
            name = characteristics.field_name(characteristic)
            self.fields[name] = characteristics.form_field(characteristic)
        if not self.is_bound:
            self.initial.update(characteristics.initial_values(self.instance, self.characteristics))

    def _save_m2m(self):
        super()._save_m2m()
        # Only the fields this user changed: a value set meanwhile elsewhere stays.
        changed = [
            c for c in self.characteristics if characteristics.field_name(c) in self.changed_data
        ]
        characteristics.save_values(self.instance, changed, self.cleaned_data)

    def clean(self):
        cleaned = super().clean()
        primary = cleaned.get("primary_need_area")
        secondary = cleaned.get("secondary_need_areas")
        if primary is not None and secondary is not None and primary in secondary:
            self.add_error(
                "secondary_need_areas",
                _("The primary need area %(area)s cannot also be another need area.")
                % {"area": primary},
            )
        return cleaned
