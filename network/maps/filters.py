"""The actor filter of maps (django-filter): the facets a case manager may filter by.

Only shared data is offered: coordinator-only characteristics have no filter, so a parameter
naming one is not a filter and changes nothing. The choices of every facet come from one query
(`vocabulary_rows`).
"""

from html import escape

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from actors.filters import stated, vocabulary_rows
from actors.models import Actor, Characteristic, CharacteristicValue, TargetGroup
from actors.text import fold, folded
from needs.models import Focus

from .columns import Catalogue, ordered


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes written in one pass: Django renders a template per option, and the facets
    of a map offer hundreds of options (a third of the page's time)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value or [])}
        base = escape(str((attrs or {}).get("id") or f"id_{name}"))
        name = escape(name)
        items = [
            f'<li><label><input type="checkbox" name="{name}" value="{escape(str(option))}" '
            f'id="{base}_{index}"{" checked" if str(option) in chosen else ""}> '
            f"{escape(str(label))}</label></li>"
            for index, (option, label) in enumerate(self.choices)
        ]
        return mark_safe(f'<ul id="{base}">{"".join(items)}</ul>')  # every part escaped above


MULTIPLE = Checkboxes


def _m2m(relation: str):
    """Any of the values through an actor's many-to-many relation, without duplicate rows."""
    field = Actor._meta.get_field(relation)
    through = field.remote_field.through
    target = f"{field.m2m_reverse_field_name()}_id__in"

    def apply(qs, name, value):
        if not value:
            return qs
        ids = [int(v) for v in value]
        return qs.filter(Exists(through.objects.filter(actor_id=OuterRef("pk"), **{target: ids})))

    return apply


class ActorFilter(django_filters.FilterSet):
    hledat = django_filters.CharFilter(label=_("Search"), method="search")
    oblast = django_filters.MultipleChoiceFilter(
        label=_("need area"), method="need_area", widget=MULTIPLE
    )
    typ = django_filters.MultipleChoiceFilter(
        label=_("actor type"), field_name="actor_type_id", widget=MULTIPLE
    )
    cilova_skupina = django_filters.MultipleChoiceFilter(
        label=_("target group"), method="target_group", widget=MULTIPLE
    )
    vek = django_filters.NumberFilter(
        label=_("age of the child"), method="age", min_value=0, max_value=120
    )
    situace = django_filters.MultipleChoiceFilter(
        label=_("life situation"), method=_m2m("life_situations"), widget=MULTIPLE
    )
    obec = django_filters.MultipleChoiceFilter(
        label=_("serves the municipality"), method="municipality", widget=MULTIPLE
    )
    forma = django_filters.MultipleChoiceFilter(
        label=_("form of provision"), method=_m2m("service_forms"), widget=MULTIPLE
    )
    resort = django_filters.MultipleChoiceFilter(
        label=_("sector"), method=_m2m("resorts"), widget=MULTIPLE
    )
    zamereni = django_filters.ChoiceFilter(
        label=_("focus"),
        method="focus",
        choices=[(Focus.PREVENTION, _("prevention")), (Focus.INTERVENTION, _("intervention"))],
    )
    kapacita = django_filters.MultipleChoiceFilter(
        label=_("capacity"), field_name="capacity", choices=Actor.Capacity.choices, widget=MULTIPLE
    )
    krizova_sit = django_filters.BooleanFilter(
        label=_("crisis network"),
        field_name="crisis_network",
        widget=forms.NullBooleanSelect,
    )
    online = django_filters.BooleanFilter(
        label=_("online"), field_name="online", widget=forms.NullBooleanSelect
    )
    razeni = django_filters.CharFilter(label=_("ordering"), method="order")

    class Meta:
        model = Actor
        fields = []

    def __init__(self, data=None, *args, request, **kwargs):
        self.catalogue = Catalogue.for_request(request)
        super().__init__(data, *args, request=request, **kwargs)
        rows = vocabulary_rows(request)

        def choices(source):
            return [(str(r.pk), r.name) for r in rows[source] if not r.private]

        levels = dict(TargetGroup.Level.choices)
        self.filters["oblast"].extra["choices"] = choices("need_area")
        self.filters["typ"].extra["choices"] = choices("actor_type")
        self.filters["cilova_skupina"].extra["choices"] = [
            (str(r.pk), f"{levels.get(r.extra, r.extra)}: {r.name}")
            for r in sorted(rows["target_group"], key=lambda r: r.extra)
        ]
        self.filters["situace"].extra["choices"] = choices("life_situation")
        self.filters["obec"].extra["choices"] = choices("municipality")
        self.filters["forma"].extra["choices"] = choices("service_form")
        self.filters["resort"].extra["choices"] = choices("resort")
        self._target_groups = rows["target_group"]
        for row in rows["characteristic"]:
            if row.private:
                continue
            options = [(str(o.pk), o.name) for o in rows["option"] if o.parent == row.pk]
            found = self.filters[f"znak_{row.pk}"] = characteristic_filter(row, options)
            found.parent, found.model = self, Actor
        self.filters["razeni"] = self.filters.pop("razeni")  # last: orders what is filtered

    def search(self, qs, name, value):
        for term in value.split():
            plain = fold(term)
            qs = qs.alias(
                name_folded=folded("name"), organisation_folded=folded("organisation__name")
            ).filter(Q(name_folded__contains=plain) | Q(organisation_folded__contains=plain))
        return qs

    def need_area(self, qs, name, value):
        if not value:
            return qs
        ids = [int(v) for v in value]
        through = Actor.secondary_need_areas.through
        return qs.filter(
            Q(primary_need_area_id__in=ids)
            | Exists(through.objects.filter(actor_id=OuterRef("pk"), needarea_id__in=ids))
        )

    def target_group(self, qs, name, value):
        """A target group together with the groups below it (děti → děti s postižením)."""
        if not value:
            return qs
        children: dict[int | None, list[int]] = {}
        for row in self._target_groups:
            children.setdefault(row.parent, []).append(row.pk)
        wanted, todo = set(), [int(v) for v in value]
        while todo:
            pk = todo.pop()
            if pk not in wanted:
                wanted.add(pk)
                todo.extend(children.get(pk, []))
        through = Actor.target_groups.through
        return qs.filter(
            Exists(through.objects.filter(actor_id=OuterRef("pk"), targetgroup_id__in=wanted))
        )

    def age(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(
            Q(age_from__isnull=True) | Q(age_from__lte=value),
            Q(age_to__isnull=True) | Q(age_to__gte=value),
        )

    def municipality(self, qs, name, value):
        """Actors that serve the municipality: it is theirs, they name it, or they serve the
        whole district (or more)."""
        if not value:
            return qs
        ids = [int(v) for v in value]
        through = Actor.served_municipalities.through
        wide = [
            Actor.TerritorialScope.DISTRICT,
            Actor.TerritorialScope.REGION,
            Actor.TerritorialScope.NATIONAL,
        ]
        return qs.filter(
            Q(territorial_scope__in=wide)
            | Q(municipality_id__in=ids)
            | Exists(through.objects.filter(actor_id=OuterRef("pk"), municipality_id__in=ids))
        )

    def focus(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(focus__in=[value, Focus.BOTH])

    def order(self, qs, name, value):
        return qs  # applied by `ordered_qs`, after every filter

    def ordering(self, default: str = "name") -> str:
        """The asked ordering if it names a sortable column (`-` for descending)."""
        value = ""
        if self.is_bound:
            self.form.is_valid()  # cleaned_data holds the valid fields either way
            value = self.form.cleaned_data.get("razeni", "")
        value = value or default
        return value if value.lstrip("-") in self.catalogue.sortable() else "name"

    def ordered_qs(self, default: str = "name"):
        """The filtered actors in the asked order (a sortable column, `-` for descending)."""
        value = self.ordering(default)
        descending = value.startswith("-")
        column = self.catalogue.sortable().get(value.lstrip("-"))
        return ordered(self.qs, column, descending)


def characteristic_filter(characteristic, options: list) -> django_filters.Filter:
    """A filter of one shared characteristic: its options, yes/no, or stated / not stated."""
    kind = characteristic.extra
    if kind == Characteristic.Kind.BOOLEAN:
        choices = [("1", _("yes")), ("0", _("no")), ("none", _("not stated"))]
    elif kind in (Characteristic.Kind.CHOICE, Characteristic.Kind.MULTICHOICE):
        choices = [*options, ("none", _("not stated"))]
    else:
        choices = [("any", _("stated")), ("none", _("not stated"))]

    def apply(qs, name, value):
        values = CharacteristicValue.objects.filter(
            actor=OuterRef("pk"), characteristic_id=characteristic.pk
        )
        if value == "none":
            return qs.exclude(Exists(stated(values)))
        if value == "any":
            return qs.filter(Exists(stated(values)))
        if kind == Characteristic.Kind.BOOLEAN and value in ("1", "0"):
            return qs.filter(Exists(values.filter(boolean=value == "1")))
        if kind == Characteristic.Kind.CHOICE and value.isdigit():
            return qs.filter(Exists(values.filter(option_id=int(value))))
        if kind == Characteristic.Kind.MULTICHOICE and value.isdigit():
            return qs.filter(Exists(values.filter(options__id=int(value))))
        return qs

    return django_filters.ChoiceFilter(
        label=characteristic.name,
        choices=choices,
        method=apply,
        field_name=f"znak_{characteristic.pk}",
    )
