"""The `Aktéři sítě` sheet of the workbook (DOMAIN.md §3) as a django-import-export resource.

The fields declare the sheet's columns for django-import-export (admin export, the default
import path). `sheet_rows` is the resource's bulk path: a query per relation instead of a query
per row, which the workbook export and import use.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation
from import_export import fields, widgets

from needs.models import Focus, NeedArea
from needs.resources import (
    ActivityResource,
    ChoiceLabelWidget,
    SheetResource,
    YesNoWidget,
    labels,
    lines,
    listed,
    yes_no,
)

from .models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicValue,
    ContactPerson,
    Founder,
    LifeSituation,
    LocalPractice,
    Municipality,
    Note,
    Organisation,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
    Visibility,
)
from .text import CzechOrder, column_key

SHEET = "Aktéři sítě"


def contact_line(name: str, role: str, phone: str, email: str) -> str:
    """One contact person on one line: `name – role – phone – e-mail`, empty parts left out."""
    return " – ".join(part for part in (name, role, phone, email) if part)


def capacity_text(capacity: str, stated_on, capacities: dict[str, str]) -> str:
    if not capacity:
        return ""
    label = capacities[capacity]
    return f"{label} ({stated_on.day}. {stated_on.month}. {stated_on.year})" if stated_on else label


def scope_text(scope: str, served: list[str], scopes: dict[str, str]) -> str:
    label = scopes.get(scope, "")
    if served:
        return f"{label}: {listed(served)}" if label else listed(served)
    return label


class CapacityField(fields.Field):
    """`omezená kapacita (2. 3. 2026)`: the capacity and the date it was stated, one cell."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        cell = row.get(self.column_name)
        instance.capacity = self.widget.clean(cell)
        stated = re.search(r"\((\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\)", str(cell or ""))
        instance.capacity_date = (
            datetime.date(int(stated[3]), int(stated[2]), int(stated[1])) if stated else None
        )


def _m2m(vocabulary_model, name: str, column: str) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=column,
        widget=widgets.ManyToManyWidget(vocabulary_model, separator=";", field="name"),
    )


def _fk(model, name: str, column: str) -> fields.Field:
    return fields.Field(
        attribute=name, column_name=column, widget=widgets.ForeignKeyWidget(model, "name")
    )


class ActorResource(SheetResource):
    """One row per active actor; private columns only for the coordinator."""

    id = fields.Field(attribute="id", column_name="ID", widget=widgets.IntegerWidget())
    name = fields.Field(attribute="name", column_name="Název aktéra")
    organisation = _fk(Organisation, "organisation", "Organizace")
    ico = fields.Field(attribute="organisation__ico", column_name="IČO", readonly=True)
    actor_type = _fk(ActorType, "actor_type", "Typ aktéra")
    social_service_kinds = _m2m(SocialServiceKind, "social_service_kinds", "Druh služby")
    founder = fields.Field(
        attribute="founder", column_name="Zřizovatel", widget=ChoiceLabelWidget(Founder)
    )
    resorts = _m2m(Resort, "resorts", "Resort")
    target_groups = _m2m(TargetGroup, "target_groups", "Cílové skupiny")
    age_from = fields.Field(
        attribute="age_from", column_name="Věk od", widget=widgets.IntegerWidget()
    )
    age_to = fields.Field(attribute="age_to", column_name="Věk do", widget=widgets.IntegerWidget())
    life_situations = _m2m(LifeSituation, "life_situations", "Životní situace")
    address = fields.Field(attribute="address", column_name="Adresa")
    municipality = _fk(Municipality, "municipality", "Obec")
    territorial_scope = fields.Field(
        attribute="territorial_scope",
        column_name="Územní působnost",
        widget=ChoiceLabelWidget(Actor.TerritorialScope),
    )
    service_forms = _m2m(ServiceForm, "service_forms", "Forma poskytování")
    online = fields.Field(attribute="online", column_name="On-line", widget=YesNoWidget())
    opening_hours = fields.Field(attribute="opening_hours", column_name="Provozní doba")
    web = fields.Field(attribute="web", column_name="Web")
    phone = fields.Field(attribute="phone", column_name="Telefon")
    email = fields.Field(attribute="email", column_name="E-mail")
    contacts = fields.Field(column_name="Kontaktní osoby", readonly=True)
    primary_need_area = fields.Field(
        attribute="primary_need_area",
        column_name="Primární oblast potřeb",
        widget=widgets.ForeignKeyWidget(NeedArea, "name"),
    )
    secondary_need_areas = _m2m(NeedArea, "secondary_need_areas", "Další oblasti potřeb")
    focus = fields.Field(attribute="focus", column_name="Zaměření", widget=ChoiceLabelWidget(Focus))
    crisis_network = fields.Field(
        attribute="crisis_network", column_name="Krizová síť", widget=YesNoWidget()
    )
    platforms = fields.Field(column_name="Účast v platformách", readonly=True)
    needs_from_others = fields.Field(
        attribute="needs_from_others", column_name="Co aktér potřebuje od ostatních"
    )
    note = fields.Field(column_name="Poznámka", readonly=True)
    private_note = fields.Field(column_name="Soukromá poznámka", readonly=True)
    capacity = CapacityField(
        attribute="capacity",
        column_name="Naplněnost kapacity",
        widget=ChoiceLabelWidget(Actor.Capacity),
    )
    verified_on = fields.Field(
        attribute="verified_on", column_name="Aktualizováno", widget=widgets.DateWidget()
    )

    PRIVATE_FIELDS = ("private_note",)

    class Meta:
        model = Actor
        fields = (
            "id", "name", "organisation", "ico", "actor_type", "social_service_kinds",
            "founder", "resorts", "target_groups", "age_from", "age_to", "life_situations",
            "address", "municipality", "territorial_scope", "service_forms", "online",
            "opening_hours", "web", "phone", "email", "contacts", "primary_need_area",
            "secondary_need_areas", "focus", "crisis_network", "platforms",
            "needs_from_others", "note", "private_note", "capacity", "verified_on",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ["id"]
        skip_unchanged = True

    def __init__(self, include_private: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.include_private = include_private
        if not include_private:
            for name in self.PRIVATE_FIELDS:
                del self.fields[name]
        visible = Characteristic.objects.order_by("order", "name")
        if not include_private:
            visible = visible.filter(visibility=Visibility.CASE_MANAGERS)
        self.characteristics = list(visible.prefetch_related("options"))
        for characteristic in self.characteristics:
            self.fields[f"characteristic_{characteristic.pk}"] = fields.Field(
                column_name=characteristic.name, readonly=True
            )

    def get_export_order(self):
        # The sheet's columns, then one per characteristic (added per instance, so the
        # admin's column choice and the headers see them as well).
        return (
            *(name for name in self._meta.export_order if name in self.fields),
            *(f"characteristic_{c.pk}" for c in self.characteristics),
        )

    def get_queryset(self) -> QuerySet:
        return Actor.objects.active()

    def platform_participation(self, actors: QuerySet) -> dict[int, list[str]]:
        """`Účast v platformách`: platforms live in a later app, which fills this in."""
        return {}

    def sheet_rows(self, queryset: QuerySet) -> Iterator[list]:
        """The sheet's rows in Czech, a constant number of queries for any number of actors."""
        with translation.override("cs"):
            yield from self._rows(queryset)

    def _rows(self, queryset: QuerySet) -> Iterator[list]:
        ids = queryset.values("pk")
        many = {
            name: _names_by_actor(Actor._meta.get_field(name), ids)
            for name in (
                "social_service_kinds", "resorts", "target_groups", "life_situations",
                "service_forms", "secondary_need_areas", "served_municipalities",
            )
        }  # fmt: skip
        contacts = defaultdict(list)
        for actor_id, *parts in (
            ContactPerson.objects.filter(actor__in=ids)
            .order_by("actor", "order", "name")
            .values_list("actor_id", "name", "role", "phone", "email")
        ):
            contacts[actor_id].append(contact_line(*parts))
        notes = {
            Note.Visibility.SHARED: defaultdict(list),
            Note.Visibility.PRIVATE: defaultdict(list),
        }
        for actor_id, visibility, text in (
            Note.objects.filter(actor__in=ids)
            .order_by("actor", "created_at", "id")
            .values_list("actor_id", "visibility", "text")
        ):
            notes[visibility][actor_id].append(text)
        characteristic_values = self._characteristic_values(ids)
        platforms = self.platform_participation(ids)
        founders, focuses = labels(Founder), labels(Focus)
        scopes, capacities = labels(Actor.TerritorialScope), labels(Actor.Capacity)
        names = self.sheet_fields()
        for actor in (
            queryset.order_by(CzechOrder("name"), "pk")
            .values(
                "pk", "name", "organisation__name", "organisation__ico", "actor_type__name",
                "founder", "age_from", "age_to", "address", "municipality__name",
                "territorial_scope", "online", "opening_hours", "web", "phone", "email",
                "primary_need_area__name", "focus", "crisis_network", "needs_from_others",
                "capacity", "capacity_date", "verified_on",
            )
            .iterator(chunk_size=2000)
        ):  # fmt: skip
            pk = actor["pk"]
            row = {
                "id": pk,
                "name": actor["name"],
                "organisation": actor["organisation__name"] or "",
                "ico": actor["organisation__ico"] or "",
                "actor_type": actor["actor_type__name"] or "",
                "social_service_kinds": listed(many["social_service_kinds"].get(pk)),
                "founder": founders.get(actor["founder"], ""),
                "resorts": listed(many["resorts"].get(pk)),
                "target_groups": listed(many["target_groups"].get(pk)),
                "age_from": actor["age_from"],
                "age_to": actor["age_to"],
                "life_situations": listed(many["life_situations"].get(pk)),
                "address": actor["address"],
                "municipality": actor["municipality__name"] or "",
                "territorial_scope": scope_text(
                    actor["territorial_scope"], many["served_municipalities"].get(pk, []), scopes
                ),
                "service_forms": listed(many["service_forms"].get(pk)),
                "online": yes_no(actor["online"]),
                "opening_hours": actor["opening_hours"],
                "web": actor["web"],
                "phone": actor["phone"],
                "email": actor["email"],
                "contacts": lines(contacts.get(pk)),
                "primary_need_area": actor["primary_need_area__name"] or "",
                "secondary_need_areas": listed(many["secondary_need_areas"].get(pk)),
                "focus": focuses.get(actor["focus"], ""),
                "crisis_network": yes_no(actor["crisis_network"]),
                "platforms": listed(platforms.get(pk)),
                "needs_from_others": actor["needs_from_others"],
                "note": paragraphs(notes[Note.Visibility.SHARED].get(pk)),
                "private_note": paragraphs(notes[Note.Visibility.PRIVATE].get(pk)),
                "capacity": capacity_text(actor["capacity"], actor["capacity_date"], capacities),
                "verified_on": actor["verified_on"],
            }
            for characteristic in self.characteristics:
                row[f"characteristic_{characteristic.pk}"] = characteristic_values[
                    characteristic.pk
                ].get(pk, "")
            yield [row[name] for name in names]

    def _characteristic_values(self, ids) -> dict[int, dict[int, object]]:
        """Cell values by characteristic and actor, as the sheet shows them."""
        shown = {c.pk: c for c in self.characteristics}
        values: dict[int, dict[int, object]] = {pk: {} for pk in shown}
        if not shown:
            return values
        rows = CharacteristicValue.objects.filter(
            actor__in=ids, characteristic__in=list(shown)
        ).values_list(
            "pk", "actor_id", "characteristic_id", "boolean", "text", "number", "option__name"
        )
        value_ids = {}
        for pk, actor_id, characteristic_id, boolean, text, number, option in rows:
            kind = shown[characteristic_id].kind
            if kind == Characteristic.Kind.MULTICHOICE:
                value_ids[pk] = (characteristic_id, actor_id)
                continue
            values[characteristic_id][actor_id] = {
                Characteristic.Kind.BOOLEAN: None if boolean is None else yes_no(boolean),
                Characteristic.Kind.CHOICE: option or "",
                Characteristic.Kind.TEXT: text or "",
                Characteristic.Kind.NUMBER: number,
            }[kind]
        if value_ids:
            chosen = defaultdict(list)
            through = CharacteristicValue.options.through
            multichoice = [
                pk for pk, c in shown.items() if c.kind == Characteristic.Kind.MULTICHOICE
            ]
            for value_id, name in (
                # By the actors' subquery, not a list of thousands of value ids.
                through.objects.filter(
                    characteristicvalue__actor__in=ids,
                    characteristicvalue__characteristic__in=multichoice,
                )
                .order_by("characteristicoption__order", "characteristicoption__name")
                .values_list("characteristicvalue_id", "characteristicoption__name")
            ):
                chosen[value_id].append(name)
            for value_id, (characteristic_id, actor_id) in value_ids.items():
                values[characteristic_id][actor_id] = listed(chosen.get(value_id))
        return values


def paragraphs(texts: list[str] | None) -> str:
    """Several notes in one cell, separated by an empty line."""
    return "\n\n".join(texts) if texts else ""


def _names_by_actor(field, ids) -> dict[int, list[str]]:
    """Names of an actor's many-to-many vocabulary, in the vocabulary's order, by actor."""
    through = field.remote_field.through
    target = field.m2m_reverse_field_name()
    names = defaultdict(list)
    for actor_id, name in (
        through.objects.filter(actor__in=ids)
        .order_by(f"{target}__order", f"{target}__name")
        .values_list("actor_id", f"{target}__name")
    ):
        names[actor_id].append(name)
    return names


class NeedActivityResource(ActivityResource):
    """`Potřeby a činnosti` with the columns that name actor types and actors."""

    actor_types = fields.Field(column_name="Kdo může činnost uskutečnit", readonly=True)
    practice = fields.Field(column_name="Praxe v lokalitě", readonly=True)
    involved_actors = fields.Field(column_name="Zapojení aktéři", readonly=True)

    class Meta(ActivityResource.Meta):
        fields = (*ActivityResource.Meta.fields, "actor_types", "practice", "involved_actors")
        export_order = fields

    def activity_columns(self, activity_ids) -> dict[int, dict[str, str]]:
        types = defaultdict(list)
        through = ActorType.activities.through
        for activity_id, name in (
            through.objects.filter(activity__in=activity_ids)
            .order_by("actortype__order", "actortype__name")
            .values_list("activity_id", "actortype__name")
        ):
            types[activity_id].append(name)
        practice = dict(
            LocalPractice.objects.filter(activity__in=activity_ids).values_list(
                "activity_id", "description"
            )
        )
        involved = defaultdict(list)
        for activity_id, name in (
            LocalPractice.actors.through.objects.filter(localpractice__activity__in=activity_ids)
            .order_by("actor__name")
            .values_list("localpractice__activity_id", "actor__name")
        ):
            involved[activity_id].append(name)
        return {
            activity_id: {
                "actor_types": listed(types.get(activity_id)),
                "practice": practice.get(activity_id, ""),
                "involved_actors": listed(involved.get(activity_id)),
            }
            for activity_id in set(types) | set(practice) | set(involved)
        }


def template_column(name: str) -> str | None:
    """The template's own column of the actors' sheet (as written) that a header `name` would
    be read as by the workbook import, if any: a characteristic must not be named so."""
    with translation.override("cs"):
        columns = {str(f.column_name) for f in ActorResource.fields.values()}
    return next((c for c in columns if column_key(c) == column_key(name)), None)
