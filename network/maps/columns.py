"""The columns a map may show of an actor, and how a page of actors is read in one query.

Every column is something a case manager may see (network.visibility): private notes and
coordinator-only characteristics have no column here. Values with several parts (target groups,
contact persons, platforms...) come as one aggregated text per actor from a correlated subquery,
so a page of any length is a single SELECT.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connections
from django.db.models import (
    Aggregate,
    Expression,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.filters import vocabulary
from actors.models import (
    Actor,
    Characteristic,
    CharacteristicValue,
    ContactPerson,
    Founder,
    Note,
)
from actors.text import CzechOrder, czech_key
from needs.models import Focus
from platforms.models import Platform, PlatformMembership

from ..visibility import shared_notes

ITEM, PART = "\x1f", "\x1e"  # separators of the aggregated values, never typed by people


class Joined(Aggregate):
    """The rows' text joined with ITEM, in no particular order (sorted in Python)."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(ITEM), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _text(expression) -> Expression:
    expression = F(expression) if isinstance(expression, str) else expression
    return Coalesce(Cast(expression, TextField()), Value(""), output_field=TextField())


def joined(queryset: QuerySet, owner: str, *parts) -> Subquery:
    """Per actor (`owner` = OuterRef pk), the parts of each related row joined by PART."""
    pieces = []
    for index, part in enumerate(parts):
        if index:
            pieces.append(Value(PART))
        pieces.append(_text(part))
    item = Concat(*pieces, output_field=TextField()) if len(pieces) > 1 else pieces[0]
    return Subquery(
        queryset.filter(**{owner: OuterRef("pk")})
        .order_by()
        .values(owner)
        .annotate(joined=Joined(item))
        .values("joined"),
        output_field=TextField(),
    )


def split(value: str | None) -> list[list[str]]:
    """The aggregated text back into rows of parts."""
    if not value:
        return []
    return [item.split(PART) for item in value.split(ITEM)]


def _in_order(value) -> list[list[str]]:
    """Rows whose first part is their order number, sorted by it and then by name in Czech."""
    rows = split(value)
    rows.sort(key=lambda r: (int(r[0] or 0), czech_key(r[1] if len(r) > 1 else "")))
    return [r[1:] for r in rows]


@dataclass(frozen=True, eq=False)  # the same column is the same object (`_page_query`)
class Column:
    key: str
    label: str
    # values() of the actor query this column reads, and annotations it adds.
    fields: tuple[str, ...] = ()
    annotations: dict = field(default_factory=dict)
    # The cell as a list of lines (text), from the row of values().
    lines: Callable[[dict], list[str]] = lambda row: []
    # An expression, a field name, or several expressions (by the first, then the next).
    ordering: Expression | str | tuple | None = None
    # Long text wraps in the list; short values stay on one line.
    wide: bool = False
    # The cell of an export where it is not the page's lines: a number or a date that a
    # spreadsheet computes with, or a "no" that the page leaves out.
    exported: Callable[[dict], object] | None = None

    def cell(self, row: dict) -> list[str]:
        return [line for line in self.lines(row) if line]

    def export_cell(self, row: dict):
        return self.exported(row) if self.exported else "\n".join(self.cell(row))


def _scalar(key, label, path=None, ordering=None, wide=False) -> Column:
    path = path or key
    return Column(
        key, label, (path,), lines=lambda row: [str(row[path] or "")], ordering=ordering,
        wide=wide,
    )  # fmt: skip


def _choice(key, label, choices) -> Column:
    names = dict(choices.choices)
    return Column(key, label, (key,), lines=lambda row: [str(names.get(row[key], ""))])


def _yes_no(key, label) -> Column:
    return Column(
        key, label, (key,), lines=lambda row: [gettext("yes") if row[key] else ""],
        exported=lambda row: gettext("yes") if row[key] else gettext("no"),
    )  # fmt: skip


def _vocabulary(key, label) -> Column:
    relation = Actor._meta.get_field(key)
    through = relation.remote_field.through
    target = relation.m2m_reverse_field_name()
    name = f"_{key}"
    annotation = joined(through.objects.all(), "actor_id", f"{target}__order", f"{target}__name")
    return Column(
        key, label, (name,), {name: annotation},
        lines=lambda row: ["; ".join(r[0] for r in _in_order(row[name]))],
    )  # fmt: skip


def _age(row) -> list[str]:
    low, high = row["age_from"], row["age_to"]
    if low is None and high is None:
        return []
    if high is None:
        return [gettext("from %(low)s years") % {"low": low}]
    if low is None:
        return [gettext("up to %(high)s years") % {"high": high}]
    return [gettext("%(low)s–%(high)s years") % {"low": low, "high": high}]


def _capacity(row) -> list[str]:
    if not row["capacity"]:
        return []
    label = str(dict(Actor.Capacity.choices)[row["capacity"]])
    if row["capacity_date"]:
        return [
            gettext("%(capacity)s (stated %(date)s)")
            % {"capacity": label, "date": formats.date_format(row["capacity_date"])}
        ]
    return [label]


def _scope(row) -> list[str]:
    scope = str(dict(Actor.TerritorialScope.choices).get(row["territorial_scope"], ""))
    served = "; ".join(r[0] for r in _in_order(row["_served"]))
    return [": ".join(part for part in (scope, served) if part)]


def _contacts(row) -> list[str]:
    return [" – ".join(p for p in parts if p) for parts in _in_order(row["_contacts"])]


def _platforms(row) -> list[str]:
    roles = dict(PlatformMembership.Role.choices)
    found = []
    for name, role in _in_order(row["_platforms"]):
        found.append(name if role == PlatformMembership.Role.MEMBER else f"{name} ({roles[role]})")
    return found


def _notes(row) -> list[str]:
    return [r[0] for r in _in_order(row["_notes"])]


def _date(key):
    return lambda row: [formats.date_format(row[key]) if row[key] else ""]


@functools.cache
def base_columns() -> tuple[Column, ...]:
    """The actor's own columns, in the order of the actor sheet (built once: the expressions
    are resolved anew by every query that uses them)."""
    memberships = PlatformMembership.objects.filter(platform__status=Platform.Status.ACTIVE)
    return (
        _scalar("name", _("actor name"), ordering=CzechOrder("name")),
        _scalar("organisation", _("organisation"), "organisation__name",
                CzechOrder("organisation__name")),
        _scalar("ico", _("IČO"), "organisation__ico"),
        _scalar("actor_type", _("actor type"), "actor_type__name",
                CzechOrder("actor_type__name")),
        _vocabulary("social_service_kinds", _("kind of social service")),
        _choice("founder", _("founder"), Founder),
        _vocabulary("resorts", _("sector")),
        _vocabulary("target_groups", _("target groups")),
        Column("age", _("age"), ("age_from", "age_to"), lines=_age, ordering="age_from"),
        _vocabulary("life_situations", _("life situations")),
        _scalar("address", _("address"), wide=True),
        _scalar("municipality", _("municipality"), "municipality__name",
                CzechOrder("municipality__name")),
        Column(
            "territorial_scope", _("territorial scope"), ("territorial_scope", "_served"),
            {"_served": joined(
                Actor.served_municipalities.through.objects.all(), "actor_id",
                "municipality__order", "municipality__name",
            )},
            lines=_scope, wide=True,
        ),
        _vocabulary("service_forms", _("form of provision")),
        _yes_no("online", _("online")),
        _scalar("opening_hours", _("opening hours"), wide=True),
        _scalar("web", _("web")),
        _scalar("phone", _("phone")),
        _scalar("email", _("e-mail")),
        Column(
            "contacts", _("contact persons"), ("_contacts",),
            {"_contacts": joined(
                ContactPerson.objects.all(), "actor_id", "order", "name", "role", "phone",
                "email",
            )},
            lines=_contacts, wide=True,
        ),
        _scalar("primary_need_area", _("primary need area"), "primary_need_area__name",
                "primary_need_area__order"),
        _vocabulary("secondary_need_areas", _("other need areas")),
        _choice("focus", _("focus"), Focus),
        _yes_no("crisis_network", _("crisis network")),
        _scalar("crisis_contact", _("crisis contact"), wide=True),
        Column(
            "platforms", _("platform participation"), ("_platforms",),
            {"_platforms": joined(
                memberships, "actor_id", "platform__platform_type__code", "platform__name",
                "role",
            )},
            lines=_platforms, wide=True,
        ),
        _scalar("needs_from_others", _("what the actor needs from others"), wide=True),
        Column(
            "note", _("note"), ("_notes",),
            {"_notes": joined(Note.objects.filter(shared_notes()), "actor_id", "id", "text")},
            lines=_notes, wide=True,
        ),
        Column(
            "capacity", _("capacity"), ("capacity", "capacity_date"), lines=_capacity,
            ordering="capacity",
        ),
        Column("verified_on", _("last verified"), ("verified_on",), lines=_date("verified_on"),
               exported=lambda row: row["verified_on"],
               ordering="verified_on"),
    )  # fmt: skip


def _number(text: str) -> str:
    try:
        return formats.number_format(Decimal(text).normalize())
    except InvalidOperation:
        return text


@dataclass(frozen=True)
class Shared:
    """What a column needs of a shared characteristic (a row of the vocabulary)."""

    pk: int
    name: str
    kind: str


@functools.lru_cache(maxsize=1024)
def characteristic_column(characteristic: Shared) -> Column:
    """A shared characteristic as a column; its values in one aggregated text."""
    kind = Characteristic.Kind
    name = f"_characteristic_{characteristic.pk}"
    values = CharacteristicValue.objects.filter(characteristic_id=characteristic.pk)
    if characteristic.kind == kind.MULTICHOICE:
        annotation = joined(
            CharacteristicValue.options.through.objects.filter(
                characteristicvalue__characteristic_id=characteristic.pk
            ),
            "characteristicvalue__actor_id",
            "characteristicoption__order",
            "characteristicoption__name",
        )
    else:
        value = {
            kind.BOOLEAN: "boolean",
            kind.CHOICE: "option__name",
            kind.NUMBER: "number",
            kind.TEXT: "text",
        }[characteristic.kind]
        annotation = joined(values, "actor_id", Value("0"), value)

    # Sorted like the built-in columns: by the value (no before yes), texts in Czech order,
    # choices in the options' order (several: by the first of them); actors without one last.
    own = CharacteristicValue.objects.filter(
        characteristic_id=characteristic.pk, actor_id=OuterRef("pk")
    )
    if characteristic.kind == kind.MULTICHOICE:
        first = own.filter(options__isnull=False).order_by("options__order", "options__name")
        ordering = (
            Subquery(first.values("options__order")[:1]),
            CzechOrder(Subquery(first.values("options__name")[:1])),
        )
    elif characteristic.kind == kind.CHOICE:
        ordering = (
            Subquery(own.values("option__order")[:1]),
            CzechOrder(Subquery(own.values("option__name")[:1])),
        )
    elif characteristic.kind == kind.TEXT:
        ordering = CzechOrder(Subquery(own.values("text")[:1]))
    else:
        ordering = Subquery(own.values(value)[:1])

    def lines(row) -> list[str]:
        found = [r[0] for r in _in_order(row[name])]
        if characteristic.kind == kind.BOOLEAN:
            truthy = {"1", "true", "t"}
            return [gettext("yes") if v.lower() in truthy else gettext("no") for v in found if v]
        if characteristic.kind == kind.NUMBER:
            return [_number(v) for v in found if v]
        return ["; ".join(found)] if characteristic.kind == kind.MULTICHOICE else found

    def number(row) -> float | None:
        found = [r[0] for r in _in_order(row[name]) if r[0]]
        return float(Decimal(found[0])) if found else None  # one value per actor

    return Column(
        f"characteristic_{characteristic.pk}",
        characteristic.name,
        (name,),
        {name: annotation},
        lines=lines,
        ordering=ordering,
        wide=characteristic.kind == kind.TEXT,
        exported=number if characteristic.kind == kind.NUMBER else None,
    )


class Catalogue:
    """The columns of maps as they are today (shared characteristics come and go)."""

    @classmethod
    def for_request(cls, request) -> "Catalogue":
        """From the request's vocabulary: the shared characteristics, no query more (and made
        once for as long as the vocabulary stays the same)."""
        found = vocabulary(request)
        key = (__name__, cls)
        cached = found.derived.get(key)
        if cached is None:
            cached = found.derived[key] = cls(
                Shared(r.pk, r.name, r.extra) for r in found.rows["characteristic"] if not r.private
            )
        return cached

    def __init__(self, characteristics: Iterable[Shared]):
        self.columns = {c.key: c for c in base_columns()}
        for characteristic in characteristics:
            column = characteristic_column(characteristic)
            self.columns[column.key] = column
        self._sortable = {k: c for k, c in self.columns.items() if c.ordering is not None}

    def pick(self, keys: Iterable[str]) -> list[Column]:
        """The known columns among `keys`, in their order; the name always first."""
        picked = [self.columns["name"]]
        picked += [
            self.columns[k] for k in dict.fromkeys(keys) if k in self.columns and k != "name"
        ]
        return picked

    def choices(self) -> list[tuple[str, str]]:
        return [(c.key, c.label) for c in self.columns.values()]

    def sortable(self) -> dict[str, Column]:
        return self._sortable


def rows(queryset: QuerySet, columns: list[Column]) -> list[dict]:
    """The actors of the queryset as values() with what the columns read, in one query."""
    annotations, names = {}, ["pk"]
    for column in columns:
        annotations.update(column.annotations)
        names += column.fields
    return list(queryset.annotate(**annotations).values(*dict.fromkeys(names)))


def compiled(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL and parameters of the queryset."""
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    return sql, tuple(params)


def page_rows(ids: tuple[str, tuple], order_by: tuple, columns: list[Column], db: str):
    """Like `rows` for the actors that the SQL `ids` selects (one page: ordered, sliced), in
    the order `order_by`; one query too. The SQL of the columns around those ids is compiled
    once per columns and ordering: compiling their subqueries took longer than running them."""
    page = _page_query(db, tuple(columns), order_by)
    if page is None:
        found = Actor.objects.using(db).filter(pk__in=RawSQL(*ids)).order_by(*order_by)
        return rows(found, columns)
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(
            page.before + ids[0] + page.after, page.before_params + ids[1] + page.after_params
        )
        fetched = cursor.fetchall()
    found = []
    for values in fetched:
        values = list(values)
        for index, (converters, expression) in page.converters:
            for converter in converters:  # as QuerySet.values() converts, say SQLite's dates
                values[index] = converter(values[index], expression, connection)
        found.append(dict(zip(page.names, values, strict=True)))
    return found


@dataclass(frozen=True)
class _PageQuery:
    before: str
    after: str
    before_params: tuple
    after_params: tuple
    names: tuple[str, ...]
    converters: tuple


PAGE_MARKER = "SELECT NULL AS page_of_actors"


@functools.lru_cache(maxsize=256)
def _page_query(db: str, columns: tuple[Column, ...], order_by: tuple) -> _PageQuery | None:
    """The SQL of `rows` over the actors of a page, split where the page's ids go."""
    annotations, names = {}, ["pk"]
    for column in columns:
        annotations.update(column.annotations)
        names += column.fields
    queryset = (
        Actor.objects.using(db)
        .filter(pk__in=RawSQL(PAGE_MARKER, ()))
        .annotate(**annotations)
        .order_by(*order_by)
        .values(*dict.fromkeys(names))
    )
    compiler = queryset.query.get_compiler(db)
    sql, params = compiler.as_sql()
    before, marker, after = sql.partition(PAGE_MARKER)
    split = before.replace("%%", "").count("%s")
    if not marker or PAGE_MARKER in after or sql.replace("%%", "").count("%s") != len(params):
        return None  # not the SQL this was written for: `page_rows` compiles every time
    query = queryset.query
    selected = [s[0] for s in compiler.select[: compiler.col_count]]
    return _PageQuery(
        before,
        after,
        tuple(params[:split]),
        tuple(params[split:]),
        tuple(
            query.selected or (*query.extra_select, *query.values_select, *query.annotation_select)
        ),
        tuple(compiler.get_converters(selected).items()),
    )


def ordered(queryset: QuerySet, column: Column | None, descending: bool) -> QuerySet:
    """By the column's ordering (Czech for text), then by name; newest id first on ties."""
    name = CzechOrder("name")
    if column is None or column.key == "name":
        return queryset.order_by(name.desc() if descending else name.asc(), "-pk")
    orderings = column.ordering if isinstance(column.ordering, tuple) else (column.ordering,)
    primary = []
    for expression in orderings:
        expression = F(expression) if isinstance(expression, str) else expression
        primary.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return queryset.order_by(*primary, name.asc(), "-pk")
