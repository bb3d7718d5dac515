"""List filters of the coordinator's actor list that Django's field filters cannot express."""

import dataclasses
import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote_plus

from django.contrib import admin
from django.db import connections, router
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from needs.models import NeedArea

from .models import (
    ActorType,
    Characteristic,
    CharacteristicOption,
    CharacteristicValue,
    LifeSituation,
    Municipality,
    Resort,
    ServiceForm,
    TargetGroup,
    Visibility,
)
from .text import czech_key

AGE_BANDS = {
    "0-3": (0, 3),
    "3-6": (3, 6),
    "6-15": (6, 15),
    "15-18": (15, 18),
    "18-26": (18, 26),
}


class QuickChoicesFilter(admin.SimpleListFilter):
    """A list filter whose choice links share one encoding of the other parameters.

    Django encodes the whole query string once per choice; the actor list offers over a
    thousand choices at 50,000 actors (833 platforms), and that encoding was a third of the
    page's time. The links are the same parameters, the filter's own one last; the template
    renders them in one pass and keeps long lists closed until used.
    """

    template = "admin/actors/quick_filter.html"

    def choices(self, changelist):
        if changelist.add_facets:
            yield from super().choices(changelist)
            return
        others = changelist.get_query_string({self.parameter_name: None})
        yield {"selected": self.value() is None, "query_string": others, "display": _("All")}
        prefix = others + ("&" if others != "?" else "") + self.parameter_name + "="
        current = self.value()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": prefix + quote_plus(str(lookup)),
                "display": title,
            }


class AgeFilter(QuickChoicesFilter):
    """Actors whose age range overlaps the band; an open end counts as open."""

    title = _("age of the child")
    parameter_name = "vek"

    def lookups(self, request, model_admin):
        return [(key, _("%(low)s–%(high)s years") % {"low": lo, "high": hi})
                for key, (lo, hi) in AGE_BANDS.items()]  # fmt: skip

    def queryset(self, request, queryset):
        if self.value() not in AGE_BANDS:
            return queryset
        low, high = AGE_BANDS[self.value()]
        return queryset.filter(
            Q(age_from__isnull=True) | Q(age_from__lt=high),
            Q(age_to__isnull=True) | Q(age_to__gte=low),
        )


class VerifiedFilter(QuickChoicesFilter):
    title = _("verification")
    parameter_name = "overeni"

    def lookups(self, request, model_admin):
        return [
            ("this_year", _("verified this year")),
            ("stale", _("not verified for over 12 months")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "this_year":
            return queryset.filter(verified_on__year=today.year)
        if self.value() == "stale":
            year_ago = today - datetime.timedelta(days=365)
            return queryset.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=year_ago))
        return queryset


class TargetGroupFilter(QuickChoicesFilter):
    """A target group together with the groups below it (děti → děti s postižením)."""

    title = _("target group")
    parameter_name = "cilova_skupina"

    def lookups(self, request, model_admin):
        levels = dict(TargetGroup.Level.choices)
        rows = sorted(vocabulary_rows(request)["target_group"], key=lambda r: r.extra)
        return [(str(r.pk), f"{levels.get(r.extra, r.extra)}: {r.name}") for r in rows]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        return with_target_groups(
            queryset, vocabulary_rows(request)["target_group"], [int(self.value())]
        )


def characteristic_filters(request) -> list[type[admin.SimpleListFilter]]:
    """A list filter for each custom characteristic, made when the list is shown."""
    rows = vocabulary_rows(request)
    return [characteristic_filter(row, rows["option"]) for row in rows["characteristic"]]


def characteristic_filter(characteristic: "Row", all_options: list) -> type:
    options = [(str(o.pk), o.name) for o in all_options if o.parent == characteristic.pk]

    class CharacteristicFilter(QuickChoicesFilter):
        title = characteristic.name
        parameter_name = f"znak_{characteristic.pk}"

        def lookups(self, request, model_admin):
            return characteristic_choices(characteristic.extra, options)

        def queryset(self, request, queryset):
            return with_characteristic(queryset, characteristic, self.value())

    return CharacteristicFilter


def characteristic_choices(kind: str, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a filter of one characteristic offers: its options, yes/no, or stated / not stated."""
    if kind == Characteristic.Kind.BOOLEAN:
        return [("1", _("yes")), ("0", _("no")), ("none", _("not stated"))]
    if kind in (Characteristic.Kind.CHOICE, Characteristic.Kind.MULTICHOICE):
        return [*options, ("none", _("not stated"))]
    return [("any", _("stated")), ("none", _("not stated"))]


def with_characteristic(queryset: QuerySet, characteristic: "Row", value: str | None) -> QuerySet:
    """Actors whose value of the characteristic is `value` of `characteristic_choices`; any
    other value filters nothing."""
    kind = characteristic.extra
    values = CharacteristicValue.objects.filter(
        actor=OuterRef("pk"), characteristic_id=characteristic.pk
    )
    if value == "none":
        return queryset.exclude(Exists(stated(values)))
    if value == "any":
        return queryset.filter(Exists(stated(values)))
    if kind == Characteristic.Kind.BOOLEAN and value in ("1", "0"):
        return queryset.filter(Exists(values.filter(boolean=value == "1")))
    if kind == Characteristic.Kind.CHOICE and value and value.isdigit():
        return queryset.filter(Exists(values.filter(option_id=int(value))))
    if kind == Characteristic.Kind.MULTICHOICE and value and value.isdigit():
        return queryset.filter(Exists(values.filter(options__id=int(value))))
    return queryset


def with_target_groups(queryset: QuerySet, groups: Iterable["Row"], ids: list[int]) -> QuerySet:
    """Actors of any of the target groups or of a group below one (děti → děti s postižením);
    `groups` are the target group rows of `vocabulary_rows`."""
    children: dict[int | None, list[int]] = {}
    for row in groups:
        children.setdefault(row.parent, []).append(row.pk)
    wanted, todo = set(), list(ids)
    while todo:
        pk = todo.pop()
        if pk not in wanted:
            wanted.add(pk)
            todo.extend(children.get(pk, []))
    through = TargetGroup.actors.through
    return queryset.filter(
        Exists(through.objects.filter(actor_id=OuterRef("pk"), targetgroup_id__in=wanted))
    )


def stated(values):
    """Values that hold something: a yes/no, a text, a number or at least one choice."""
    return values.filter(
        Q(boolean__isnull=False)
        | (Q(text__isnull=False) & ~Q(text=""))
        | Q(number__isnull=False)
        | Q(option__isnull=False)
        | Q(options__isnull=False)
    )


# One query for the choices of every vocabulary filter of the actor list, instead of one each.
VOCABULARY_SOURCES = {
    "need_area": NeedArea,
    "actor_type": ActorType,
    "resort": Resort,
    "target_group": TargetGroup,
    "life_situation": LifeSituation,
    "municipality": Municipality,
    "service_form": ServiceForm,
    "characteristic": Characteristic,
    "option": CharacteristicOption,
}


@dataclass(frozen=True)
class Row:
    source: str
    pk: int
    name: str
    order: int
    parent: int | None
    extra: str
    # Coordinator-only (a characteristic or an option of one): never offered to case managers.
    private: bool


@dataclass(eq=False)
class Vocabulary:
    """The rows of all filter vocabularies, the same object for as long as they do not change.

    What other modules build from the rows alone (choices, rendered options, columns) they may
    keep in `derived`: it lives exactly as long as the rows it was made from are current.
    """

    rows: dict[str, tuple[Row, ...]]
    derived: dict = dataclasses.field(default_factory=dict)


def vocabulary(request) -> Vocabulary:
    """The vocabularies as they are now: one query per request."""
    cached = getattr(request, "_vocabulary", None)
    if cached is None:
        alias = router.db_for_read(Characteristic)
        sql, params = _vocabulary_sql(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = tuple(tuple(values) for values in cursor.fetchall())
        cached = request._vocabulary = _vocabulary_of(fetched)
    return cached


def vocabulary_rows(request) -> dict[str, tuple[Row, ...]]:
    """Rows of all filter vocabularies, in their order, fetched once per request."""
    return vocabulary(request).rows


@functools.cache
def _vocabulary_sql(alias: str) -> tuple[str, tuple]:
    """The one query of all vocabularies, compiled once: building it took longer than running
    it."""
    columns = ("source", "pk", "name", "order", "parent_ref", "extra", "private")
    coordinator_only = {
        "characteristic": Q(visibility=Visibility.COORDINATOR),
        "option": Q(characteristic__visibility=Visibility.COORDINATOR),
    }
    parts = []
    for source, model in VOCABULARY_SOURCES.items():
        parent = {"target_group": F("parent_id"), "option": F("characteristic_id")}.get(
            source, Value(None)
        )
        extra = {"target_group": F("level"), "characteristic": F("kind")}.get(
            source, Value("", output_field=CharField())
        )
        parts.append(
            model.objects.using(alias)
            .order_by()
            .annotate(
                source=Value(source, output_field=CharField()),
                # Typed on both databases: PostgreSQL reads an untyped NULL as text.
                parent_ref=Cast(parent, BigIntegerField()),
                extra=Cast(extra, CharField()),
                private=ExpressionWrapper(
                    coordinator_only.get(source, Value(False)), output_field=BooleanField()
                ),
            )
            .values_list(*columns)
        )
    union = parts[0].union(*parts[1:], all=True)
    sql, params = union.query.get_compiler(alias).as_sql()
    return sql, tuple(params)


@functools.lru_cache(maxsize=4)
def _vocabulary_of(fetched: tuple[tuple, ...]) -> Vocabulary:
    """The vocabulary of these fetched rows: the same rows give the same object back, so what
    was derived from it stays valid, and any change (a name, an order, a visibility, a new or
    deleted row) gives a new one."""
    rows: dict[str, list[Row]] = {source: [] for source in VOCABULARY_SOURCES}
    for source, pk, name, order, parent, extra, private in fetched:
        rows[source].append(Row(source, pk, name, order, parent, extra, bool(private)))
    for source_rows in rows.values():
        source_rows.sort(key=lambda r: (r.order, czech_key(r.name)))
    return Vocabulary({source: tuple(found) for source, found in rows.items()})


def vocabulary_filter(field: str, source: str, title) -> type[admin.SimpleListFilter]:
    """A list filter over `field` whose choices come from `vocabulary_rows`."""

    class VocabularyFilter(QuickChoicesFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return [(str(r.pk), r.name) for r in vocabulary_rows(request)[source]]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{f"{field}__id": int(self.value())})
            return queryset

    VocabularyFilter.title = title
    VocabularyFilter.__name__ = f"{field.title().replace('_', '')}Filter"
    return VocabularyFilter
