from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ..models import Map
from .columns import Catalogue

# Not part of a map's filter: the ordering is a field of its own, the page is the reader's.
NOT_FILTERS = ("razeni", "page")


def filter_query(data: QueryDict, filters: dict) -> str:
    """The map's filter as it stores it: the facets of `filters` (by name) the data sets, as
    their form fields read them (a yes/no facet sends "unknown" for "any"); invalid values are
    left out, as the builder's preview leaves them out."""
    query = QueryDict(mutable=True)
    for name, facet in filters.items():
        chosen = [value for value in data.getlist(name) if value != ""]
        if not chosen or name in NOT_FILTERS:
            continue
        field = facet.field
        try:
            value = field.clean(field.widget.value_from_datadict(data, {}, name))
        except ValidationError:
            continue
        if value not in (None, "", [], ()):
            query.setlist(name, chosen)
    return query.urlencode()


class MapForm(forms.ModelForm):
    """What the coordinator saves of the filter page as a map (the view adds the filter)."""

    columns = forms.MultipleChoiceField(
        label=_("columns of the list"), widget=forms.CheckboxSelectMultiple, required=False
    )
    card_fields = forms.MultipleChoiceField(
        label=_("fields of the actor card"), widget=forms.CheckboxSelectMultiple, required=False
    )
    ordering = forms.ChoiceField(label=_("ordering"), required=False)

    class Meta:
        model = Map
        fields = [
            "name",
            "description",
            "columns",
            "card_fields",
            "ordering",
            "audience_groups",
            "audience_users",
            "order",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "audience_groups": forms.CheckboxSelectMultiple,
            "audience_users": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(k, c) for k, c in catalogue.choices() if k != "name"]
        self.fields["columns"].choices = choices
        self.fields["card_fields"].choices = choices
        self.fields["ordering"].choices = [
            option
            for key, column in catalogue.sortable().items()
            for option in (
                (key, column.label),
                (f"-{key}", _("%(column)s, descending") % {"column": column.label}),
            )
        ]
        self.fields["audience_groups"].queryset = Group.objects.order_by("name")
        self.fields["audience_users"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "username")
        )
        self.fields["audience_users"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
