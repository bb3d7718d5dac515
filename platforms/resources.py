"""The `Mezioborové platformy` sheet (DOMAIN.md §3) as a django-import-export resource, and the
actor sheet with the platform participation that only this app knows."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation
from import_export import fields, widgets

from actors.resources import ActorResource
from actors.text import CzechOrder
from needs.resources import ChoiceLabelWidget, SheetResource, labels, listed

from .models import Platform, PlatformMembership, PlatformType

SHEET = "Mezioborové platformy"
PERSON_PREFIX = "osoba: "


def coordinating_people(stored: str) -> list[str]:
    """The coordinating people of a platform's field, each written as `osoba: Jana Nová` (the
    import joins several with `; `)."""
    return [PERSON_PREFIX + person.strip() for person in stored.split(";") if person.strip()]


def member_text(name: str, role: str, roles: dict[str, str]) -> str:
    """An actor with its role in a platform; standing members go without it."""
    if role == PlatformMembership.Role.MEMBER:
        return name
    return f"{name} ({roles[role]})"


class PlatformResource(SheetResource):
    id = fields.Field(attribute="id", column_name="ID", widget=widgets.IntegerWidget())
    name = fields.Field(attribute="name", column_name="Název platformy")
    platform_type = fields.Field(
        attribute="platform_type",
        column_name="Typ platformy",
        widget=widgets.ForeignKeyWidget(PlatformType, "name"),
    )
    frequency = fields.Field(column_name="Frekvence setkávání", readonly=True)
    coordinator = fields.Field(column_name="Koordinátor", readonly=True)
    members = fields.Field(column_name="Složení účastníků", readonly=True)
    other_participants = fields.Field(
        attribute="other_participants",
        column_name="Další účastníci",
        widget=widgets.ManyToManyWidget(
            Platform._meta.get_field("other_participants").related_model, ";", "name"
        ),
    )
    topics = fields.Field(
        attribute="topics",
        column_name="Témata",
        widget=widgets.ManyToManyWidget(
            Platform._meta.get_field("topics").related_model, ";", "name"
        ),
    )
    need_areas = fields.Field(
        attribute="need_areas",
        column_name="Oblasti potřeb",
        widget=widgets.ManyToManyWidget(
            Platform._meta.get_field("need_areas").related_model, ";", "name"
        ),
    )
    goals = fields.Field(attribute="goals", column_name="Cíle")
    effectiveness = fields.Field(attribute="effectiveness", column_name="Zhodnocení efektivity")
    outputs = fields.Field(attribute="outputs", column_name="Výstupy ze setkání")
    status = fields.Field(
        attribute="status", column_name="Stav", widget=ChoiceLabelWidget(Platform.Status)
    )
    note = fields.Field(attribute="note", column_name="Poznámka")

    class Meta:
        model = Platform
        fields = (
            "id", "name", "platform_type", "frequency", "coordinator", "members",
            "other_participants", "topics", "need_areas", "goals", "effectiveness", "outputs",
            "status", "note",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ["id"]
        skip_unchanged = True

    def sheet_rows(self, queryset: QuerySet) -> Iterator[list]:
        with translation.override("cs"):
            yield from self._rows(queryset)

    def _rows(self, queryset: QuerySet) -> Iterator[list]:
        ids = queryset.values("pk")
        many = {}
        for name in ("other_participants", "topics", "need_areas"):
            field = Platform._meta.get_field(name)
            target = field.m2m_reverse_field_name()
            by_platform = defaultdict(list)
            for platform_id, value in (
                field.remote_field.through.objects.filter(platform__in=ids)
                .order_by(f"{target}__order", f"{target}__name")
                .values_list("platform_id", f"{target}__name")
            ):
                by_platform[platform_id].append(value)
            many[name] = by_platform
        roles = labels(PlatformMembership.Role)
        coordinators, members = defaultdict(list), defaultdict(list)
        for platform_id, name, role in (
            PlatformMembership.objects.filter(platform__in=ids)
            .order_by(CzechOrder("actor__name"), "actor_id")
            .values_list("platform_id", "actor__name", "role")
        ):
            if role == PlatformMembership.Role.COORDINATOR:
                coordinators[platform_id].append(name)
            else:
                members[platform_id].append(member_text(name, role, roles))
        regularities, intervals = labels(Platform.Regularity), labels(Platform.Interval)
        statuses = labels(Platform.Status)
        names = self.sheet_fields()
        for platform in queryset.order_by("platform_type__code", CzechOrder("name"), "pk").values(
            "pk", "name", "platform_type__name", "regularity", "interval", "frequency_note",
            "coordinator_person", "goals", "effectiveness", "outputs", "status", "note",
        ):  # fmt: skip
            pk = platform["pk"]
            coordinator = list(coordinators.get(pk, []))
            coordinator += coordinating_people(platform["coordinator_person"])
            row = {
                "id": pk,
                "name": platform["name"],
                "platform_type": platform["platform_type__name"],
                "frequency": listed(
                    [
                        text
                        for text in (
                            regularities.get(platform["regularity"], ""),
                            intervals.get(platform["interval"], ""),
                            platform["frequency_note"],
                        )
                        if text
                    ]
                ),
                "coordinator": listed(coordinator),
                "members": listed(members.get(pk)),
                "other_participants": listed(many["other_participants"].get(pk)),
                "topics": listed(many["topics"].get(pk)),
                "need_areas": listed(many["need_areas"].get(pk)),
                "goals": platform["goals"],
                "effectiveness": platform["effectiveness"],
                "outputs": platform["outputs"],
                "status": statuses.get(platform["status"], ""),
                "note": platform["note"],
            }
            yield [row[name] for name in names]


class NetworkActorResource(ActorResource):
    """The actor sheet with `Účast v platformách` derived from the memberships (decision 5)."""

    def platform_participation(self, actors: QuerySet) -> dict[int, list[str]]:
        roles = labels(PlatformMembership.Role)
        by_actor = defaultdict(list)
        for actor_id, name, role in (
            PlatformMembership.objects.filter(actor__in=actors)
            .order_by("platform__platform_type__code", CzechOrder("platform__name"))
            .values_list("actor_id", "platform__name", "role")
        ):
            by_actor[actor_id].append(member_text(name, role, roles))
        return by_actor
