from django import forms

from actors.concurrency import ConcurrentEditFormMixin

from .models import Platform


class PlatformForm(ConcurrentEditFormMixin, forms.ModelForm):
    class Meta:
        model = Platform
        fields = [
            "name", "platform_type", "description", "status", "since_year", "until_year",
            "regularity", "interval", "frequency_note", "venue", "coordinator_person",
            "initiator", "other_participants", "topics", "need_areas", "goals", "level",
            "territory", "effectiveness", "internal_evaluation", "has_minutes",
            "has_written_outputs", "outputs", "outputs_location", "note", "verified_on",
            "verified_by",
        ]  # fmt: skip
