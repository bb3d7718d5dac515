"""The actor filter of maps (django-filter): the facets a case manager may filter by.

Only shared data is offered: coordinator-only characteristics have no filter, so a parameter
naming one is not a filter and changes nothing. The choices of every facet come from one query
(`actors.filters.vocabulary`); what is built from them alone (the filters with their choices,
the form class, the escaped options of the panel) is kept with that vocabulary and made anew
when it changes.
"""

import copy
from dataclasses import dataclass
from html import escape

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceIterator

from actors.filters import (
    Vocabulary,
    characteristic_choices,
    vocabulary,
    with_characteristic,
    with_target_groups,
)
from actors.models import Actor, TargetGroup
from actors.text import fold, folded
from needs.models import Focus

from .columns import Catalogue, ordered

# Rendered by `Facets`, never by Django's widget templates (a template per option).
MULTIPLE = forms.CheckboxSelectMultiple


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


class YesNoSelect(forms.NullBooleanSelect):
    """Yes/no/any in the words of the characteristics' facets ("ano", "ne"), not Django's
    capitalised "Ano", "Ne" beside them."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("unknown")), ("true", _("yes")), ("false", _("no")))


class ActorFilter(django_filters.FilterSet):
    hledat = django_filters.CharFilter(label=_("Search"), method="search")
    oblast = django_filters.MultipleChoiceFilter(
        label=_("need area"), method="need_area", widget=MULTIPLE
    )
    # Columns of the actor itself: no duplicate rows, so no DISTINCT (django-filter's default
    # for several choices), which PostgreSQL refuses beside an ordering by a subquery.
    typ = django_filters.MultipleChoiceFilter(
        label=_("actor type"), field_name="actor_type_id", widget=MULTIPLE, distinct=False
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
        label=_("capacity"),
        field_name="capacity",
        choices=Actor.Capacity.choices,
        widget=MULTIPLE,
        distinct=False,
    )
    krizova_sit = django_filters.BooleanFilter(
        label=_("crisis network"),
        field_name="crisis_network",
        widget=YesNoSelect,
    )
    online = django_filters.BooleanFilter(
        label=_("online"), field_name="online", widget=YesNoSelect
    )
    razeni = django_filters.CharFilter(label=_("ordering"), method="order")

    class Meta:
        model = Actor
        fields = []

    def __init__(self, data=None, *args, request, **kwargs):
        self.vocabulary = vocabulary(request)
        self.catalogue = Catalogue.for_request(request)
        self.facets = Facets.of(self.vocabulary, type(self))
        self.base_filters = {}  # FilterSet deep-copies them, choices and all; `Facets.copy`
        super().__init__(data, *args, request=request, **kwargs)
        self.filters = self.facets.copy(self)

    def get_form_class(self):
        return self.facets.form_class

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
        groups = self.vocabulary.rows["target_group"]
        return with_target_groups(qs, groups, [int(v) for v in value])

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

    def panel(self) -> list["Facet"]:
        """The facets of the filter panel in the form's order, with what the reader chose."""
        errors = self.form.errors
        found = []
        for part in self.facets.panel(get_language()):
            name = part.name
            if part.kind == "text":
                value = self.data.get(name)
                found.append(Facet(name, part.label, value, mark_safe(""), bool(value)))
                continue
            invalid = name in errors
            if part.kind == "checkboxes":
                value = self.data.getlist(name)
                html = part.checkboxes(value)
            elif part.kind == "yes_no":
                value = YES_NO.get(self.data.get(name))
                html = part.select(YES_NO_VALUE.get(value, "unknown"), invalid)
            else:
                value = self.data.get(name)
                html = part.select("" if value is None else value, invalid)
            if invalid:
                html += str(errors[name])  # an ErrorList escapes itself
            opening = "<details open>" if value else "<details>"
            summary = f"<summary>{escape(part.label)}</summary>"
            html = mark_safe(f"{opening}{summary}{html}</details>")  # escaped above and in `of`
            found.append(Facet(name, part.label, value, html, bool(value)))
        return found

    def described(self, data) -> list[tuple[str, str]]:
        """A filter's query (a map's own) in words: (facet, what it takes), as the panel
        names them."""
        found = []
        for part in self.facets.panel(get_language()):
            chosen = [value for value in data.getlist(part.name) if value]
            if not chosen or part.name == "razeni":
                continue
            if part.kind == "yes_no":
                chosen = [YES_NO_VALUE[YES_NO[v]] for v in chosen if v in YES_NO]
            # A value no option has filters nothing (the filter leaves it out): not said.
            texts = dict(part.texts)
            shown = [texts[value] for value in chosen if value in texts] if texts else chosen
            if shown:
                found.append((part.label, "; ".join(shown)))
        return found

    def panel_html(self) -> SafeString:
        """The facets of the panel as HTML, the text inputs with them: written here, since
        the template's loop over them cost more than the rest of the panel."""
        html = []
        for facet in self.panel():
            value = "" if facet.html else escape(str(facet.value or ""))
            if facet.html:
                html.append(f"\n    {facet.html}\n    ")
            elif facet.name == "hledat":
                placeholder = escape(gettext("name or organisation"))
                html.append(
                    f'\n    \n      <label for="id_hledat">{escape(facet.label)}</label>\n      '
                    f'<input type="search" name="hledat" id="id_hledat" value="{value}" '
                    f'placeholder="{placeholder}">\n    '
                )
            elif facet.name == "vek":
                html.append(
                    f'\n    \n      <label for="id_vek">{escape(facet.label)}</label>\n      '
                    f'<input type="number" name="vek" id="id_vek" min="0" max="120" '
                    f'value="{value}">\n    '
                )
            else:
                html.append(
                    f'\n    \n      <input type="hidden" name="{escape(facet.name)}" '
                    f'value="{value}">\n    '
                )
            html.append("\n  ")
        return SafeString("".join(html))  # every value escaped above or in `PanelPart.of`


def characteristic_filter(characteristic, options: list) -> django_filters.Filter:
    """A filter of one shared characteristic: its options, yes/no, or stated / not stated."""

    def apply(qs, name, value):
        return with_characteristic(qs, characteristic, value)

    return django_filters.ChoiceFilter(
        label=characteristic.name,
        choices=characteristic_choices(characteristic.extra, options),
        method=apply,
        field_name=f"znak_{characteristic.pk}",
    )


# How `forms.NullBooleanSelect` reads a value and which of its options shows it.
YES_NO = {"True": True, "true": True, "2": True, "False": False, "false": False, "3": False}
YES_NO_VALUE = {True: "true", False: "false"}


@dataclass(frozen=True)
class Facet:
    """A facet of the panel: its label, the reader's value, and its rendered input (empty for
    the search, the age and the ordering, which the template writes)."""

    name: str
    label: str
    value: object
    html: SafeString
    open: bool


@dataclass(frozen=True)
class PanelPart:
    """A facet of the panel rendered without the reader's values: each option escaped, as it
    reads unchosen and chosen."""

    name: str
    kind: str  # "text" (search, age, ordering), "checkboxes", "select", "yes_no"
    label: str
    start: str = ""
    end: str = ""
    options: tuple[tuple[str, str, str], ...] = ()  # value, unchosen, chosen
    texts: tuple[tuple[str, str], ...] = ()  # value, its text (unescaped)

    @classmethod
    def of(cls, name: str, field: forms.Field) -> "PanelPart":
        label = capfirst(str(field.label))
        widget = field.widget
        base = f"id_{name}"
        if isinstance(widget, forms.CheckboxSelectMultiple):
            options, texts = [], []
            for index, (value, text) in enumerate(field.choices):
                texts.append((str(value), str(text)))
                start = (
                    f'<li><label><input type="checkbox" name="{escape(name)}" '
                    f'value="{escape(str(value))}" id="{base}_{index}"'
                )
                end = f"> {escape(str(text))}</label></li>"
                options.append((str(value), start + end, start + " checked" + end))
            return cls(
                name, "checkboxes", label, f'<ul id="{base}">', "</ul>", tuple(options),
                tuple(texts),
            )  # fmt: skip
        if isinstance(widget, forms.Select):
            options, texts = [], []
            for value, text in widget.choices:
                if str(value) in ("", "unknown"):  # "---------" and "Unknown" mean any here
                    text = pgettext("filter value", "any")
                texts.append((str(value), str(text)))
                start = f'<option value="{escape(str(value))}"'
                end = f">{escape(str(text))}</option>"
                options.append((str(value), start + end, start + " selected" + end))
            kind = "yes_no" if isinstance(widget, forms.NullBooleanSelect) else "select"
            start = f'<select name="{escape(name)}" id="{base}">'
            return cls(name, kind, label, start, "</select>", tuple(options), tuple(texts))
        return cls(name, "text", label)

    def checkboxes(self, chosen: list[str]) -> SafeString:
        chosen = set(chosen)
        items = (picked if value in chosen else plain for value, plain, picked in self.options)
        return mark_safe(self.start + "".join(items) + self.end)  # every part escaped in `of`

    def select(self, chosen: str, invalid: bool = False) -> SafeString:
        start = self.start
        if invalid:
            start = start.replace(
                " id=", f' aria-invalid="true" aria-describedby="id_{self.name}_error" id=', 1
            )
        items, done = [], False
        for value, plain, picked in self.options:
            if not done and value == chosen:
                items.append(picked)
                done = True  # the first matching option, as Django's Select
            else:
                items.append(plain)
        return mark_safe(start + "".join(items) + self.end)  # every part escaped in `of`


class FieldsOfForms(dict):
    """The fields of a form class, which each form copies as `Field.__deepcopy__` does, but
    with their choices' list copied shallowly: pairs of text that nothing changes in place,
    whose deep copies (all the municipalities, per request) took longer than the filtering."""

    def __deepcopy__(self, memo):
        found = {}
        for name, field in self.items():
            choices = getattr(field, "_choices", None)
            if not isinstance(field, forms.ChoiceField) or not isinstance(choices, ChoiceIterator):
                found[name] = copy.deepcopy(field, memo)
                continue
            copied = found[name] = forms.Field.__deepcopy__(field, memo)
            copied._choices = copy.copy(choices)
            copied._choices.field, copied._choices.choices = copied, list(choices.choices)
        return found


class Facets:
    """What an actor filter class builds from a vocabulary alone: its filters with their
    choices and the shared characteristics, the form class and the panel's options."""

    @classmethod
    def of(cls, vocabulary: Vocabulary, filter_class: type) -> "Facets":
        key = (__name__, filter_class)
        found = vocabulary.derived.get(key)
        if found is None:
            found = vocabulary.derived[key] = cls(vocabulary, filter_class)
        return found

    def __init__(self, vocabulary: Vocabulary, filter_class: type):
        rows = vocabulary.rows

        def choices(source):
            return [(str(r.pk), r.name) for r in rows[source] if not r.private]

        filters = copy.deepcopy(filter_class.base_filters)
        levels = dict(TargetGroup.Level.choices)
        filters["oblast"].extra["choices"] = choices("need_area")
        filters["typ"].extra["choices"] = choices("actor_type")
        filters["cilova_skupina"].extra["choices"] = [
            (str(r.pk), format_lazy("{}: {}", levels.get(r.extra, r.extra), r.name))
            for r in sorted(rows["target_group"], key=lambda r: r.extra)
        ]
        filters["situace"].extra["choices"] = choices("life_situation")
        filters["obec"].extra["choices"] = choices("municipality")
        filters["forma"].extra["choices"] = choices("service_form")
        filters["resort"].extra["choices"] = choices("resort")
        for row in rows["characteristic"]:
            if row.private:
                continue
            options = [(str(o.pk), o.name) for o in rows["option"] if o.parent == row.pk]
            filters[f"znak_{row.pk}"] = characteristic_filter(row, options)
        filters["razeni"] = filters.pop("razeni")  # last: orders what is filtered
        self.filters = filters
        # The fields come from copies, so that each instance's copy of the filters stays small.
        fields = {name: copy.copy(f).field for name, f in filters.items()}
        self.form_class = type(f"{filter_class.__name__}Form", (filter_class._meta.form,), fields)
        self.form_class.base_fields = FieldsOfForms(self.form_class.base_fields)
        self._panels: dict[str, tuple[PanelPart, ...]] = {}

    def copy(self, parent: ActorFilter) -> dict[str, django_filters.Filter]:
        """The filters for one filter instance: shallow copies, since only their parent and
        model differ (the choices and fields stay shared)."""
        found = {}
        for name, shared in self.filters.items():
            filter_ = found[name] = copy.copy(shared)
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod of the copy, not the original
            filter_.model, filter_.parent = parent.queryset.model, parent
        return found

    def panel(self, language: str) -> tuple[PanelPart, ...]:
        """The panel's facets in the form's order, their labels and options in `language`."""
        found = self._panels.get(language)
        if found is None:
            fields = self.form_class.base_fields
            found = self._panels[language] = tuple(PanelPart.of(n, f) for n, f in fields.items())
        return found
