"""The pages of maps: what case managers read, and where the coordinator prepares it.

A map page costs six queries: the session, the user, the map (with the audience and role
check), the names of every filter choice, the count and the page of actors with all its
columns (tests/network/test_maps.py). On PostgreSQL the count is kept while the database does
not change (`counts`), and the page costs five.
"""

import functools
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from actors.models import Actor, LocalPractice, Post
from platforms.models import Platform, PlatformMembership

from ..models import Map
from ..roles import is_coordinator
from ..workbook.export import Sheet, WorkbookWriter
from .columns import Catalogue, compiled, page_rows, rows
from .counts import DatabaseSnapshot, count
from .filters import ActorFilter
from .forms import MapForm, filter_query

PAGE_SIZE = 50
# Short values that read badly broken over lines (a phone number, an age range).
NOWRAP = {"phone", "age", "ico", "verified_on"}
# A crisis network is short, and printed whole on one or two pages.
CRISIS_PAGE_SIZE = 300


class MapActors:
    """The actors of a map, with the reader's further filters, search and ordering."""

    def __init__(self, request, map_: Map):
        self.map = map_
        self.catalogue = Catalogue.for_request(request)
        base = Actor.objects.active()
        if map_.crisis_network:
            base = base.filter(crisis_network=True)
        self.broken = False
        if map_.query:
            query = QueryDict(map_.query)
            fixed = ActorFilter(query, queryset=base, request=request)
            # A map whose own filter no longer holds shows nothing rather than everything: a
            # value was deleted, or a filter is gone (its characteristic deleted or made
            # coordinator-only; applying it anyway would tell which actors have which value).
            # The builder saves the facets left empty too: those filter nothing.
            used = {name for name, chosen in query.lists() if any(chosen)}
            self.broken = not used <= set(fixed.filters) or not fixed.is_valid()
            base = base.none() if self.broken else fixed.qs
        self.base = base
        self.request = request
        self.columns = self.catalogue.pick(map_.columns)
        # The card shows only what the map allows (its card's fields, else its list's columns)
        # and always the ways to reach the actor (issue 4).
        card = list(map_.card_fields or map_.columns)
        card += [key for key in ("phone", "email", "contacts") if key not in card]
        self.card_columns = self.catalogue.pick(card)

    @cached_property
    def filter(self) -> ActorFilter:
        """The reader's further filters, search and ordering on top of the map's filter."""
        return ActorFilter(self.request.GET or None, queryset=self.base, request=self.request)

    def ordered(self):
        return self.filter.ordered_qs(default=self.map.ordering or "name")

    def page(self, number, size: int) -> tuple[Page, list[dict]]:
        """The page of the ordered actors and their rows with the columns: a count (kept on
        PostgreSQL while the database does not change) and one query."""
        found = self.compiled()
        if found.ids is None:  # a broken map
            return Paginator([], size).get_page(1), []
        ids = found.ids
        # The paginator only numbers the actors; `page_rows` reads those of the page.
        snapshot = getattr(self.map, "db_snapshot", None)  # from `_map_for`
        total = count(found.count, snapshot, self.map._state.db, ids, db=found.db)
        paginator = Paginator(range(total), size)
        page = paginator.get_page(number)
        start = (page.number - 1) * size
        limit = connections[found.db].ops.limit_offset_sql(start, start + size)
        # One column even where DISTINCT brought the ordering's columns into the select.
        page_ids = (f'SELECT "pk" FROM ({ids[0]} {limit}) AS "page"', ids[1])
        return page, page_rows(page_ids, found.order_by, self.columns, found.db)

    def compiled(self) -> "Compiled":
        """The SQL of the ordered actors' ids, compiled once per map filter, reader's filter
        and ordering (`request.GET` but the page number) for as long as the vocabulary stays
        the same: building the filters and compiling them took longer than running them. What
        the filters read is all in the key: the map's filter, the reader's values and the
        vocabulary (the target groups below a group, the shared characteristics)."""
        db = router.db_for_read(Actor)
        data = tuple((k, tuple(v)) for k, v in sorted(self.request.GET.lists()) if k != "page")
        key = (db, self.map.crisis_network, self.map.query, self.map.ordering,
               bool(self.request.GET), data)  # fmt: skip
        kept = self.filter.vocabulary.derived.setdefault((__name__, "compiled"), Kept())
        found = kept.get(key)
        if found is None:
            ordered = self.ordered()
            try:
                ids = compiled(ordered.values("pk"))
                counted = compiled(ordered.order_by().values("pk"))
            except EmptyResultSet:  # a broken map
                ids = counted = None
            found = kept.put(key, Compiled(db, ids, ordered.query.order_by, counted))
        return found

    def table(self, actors) -> list[tuple[int, list[list[str]]]]:
        return [(row["pk"], [c.cell(row) for c in self.columns]) for row in actors]

    def table_html(self, table) -> SafeString:
        """The rows as HTML, the name linking to the card: written here in one pass, since a
        template renders a page of 50 actors with 30 columns ten times slower."""
        cards = escape(reverse("map_actor", args=[self.map.pk, 0])[: -len("0/")])
        # The card's way back keeps the reader's search, filters and page.
        shown = self.request.GET.urlencode()
        back = escape("?" + urlencode({"zpet": shown})) if shown else ""
        opening = ['<td class="nowrap">' if c.key in NOWRAP else "<td>" for c in self.columns[1:]]
        keys = [c.key for c in self.columns[1:]]
        found = []
        for pk, (name, *others) in table:
            html = [f'<tr><td><a href="{cards}{int(pk)}/{back}">{escape(name[0])}</a></td>']
            for start, key, cell in zip(opening, keys, others, strict=True):
                html += (start, cell_html(key, cell), "</td>")
            html.append("</tr>")
            found.append("".join(html))
        return SafeString("".join(found))  # every value escaped above


@dataclass(frozen=True)
class Compiled:
    db: str
    ids: tuple[str, tuple] | None  # None where nothing can match
    order_by: tuple
    unordered: tuple[str, tuple] | None  # the same ids in no order, to count

    def count(self) -> int:
        """`QuerySet.count()` of the ids: a count of their rows, not ordered."""
        sql, params = self.unordered
        with connections[self.db].cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM ({sql}) AS "counted"', params)
            return cursor.fetchone()[0]


class Kept:
    """The last few hundred values by key, the least recently used dropped first."""

    SIZE = 256

    def __init__(self):
        self._found: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key, value):
        with self._lock:
            self._found[key] = value
            while len(self._found) > self.SIZE:
                self._found.popitem(last=False)
        return value


def header(columns, sortable, ordering: str, query: str) -> list[tuple[str, str, str]]:
    """Per column its label, the link that sorts by it (the other way round if sorted by it
    already) and the arrow of the current ordering."""
    found = []
    for column in columns:
        label = capfirst(str(column.label))
        if column.key not in sortable:
            found.append((label, "", ""))
            continue
        descending = "-" if ordering == column.key else ""
        link = f"?{query}{'&' if query else ''}razeni={descending}{column.key}"
        arrow = " ▲" if ordering == column.key else " ▼" if ordering[1:] == column.key else ""
        found.append((label, link, arrow))
    return found


def _lines(text: str) -> str:
    """`linebreaksbr` of a plain text, without the cost of a template filter per cell."""
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


# Phone numbers, e-mails and web addresses in the cells of these columns are links: a case
# manager on a phone calls or writes with one tap.
# Czech numbers: nine digits in threes, with or without +420 (no year ranges, no short lines).
_PHONE = re.compile(
    r"(?<![\d+])(?:\+\d{3}[ \u00a0]?)?\d{3}[ \u00a0/-]?\d{3}[ \u00a0/-]?\d{3}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A sentence's full stop or comma after an address is not part of it.
_WEB = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)]", re.I)
LINKED = {
    "phone": (_PHONE,),
    "email": (_EMAIL,),
    "web": (_WEB,),
    "contacts": (_EMAIL, _PHONE),
    "crisis_contact": (_EMAIL, _PHONE),
}


def _href(found: str) -> str:
    if found.lower().startswith(("http://", "https://")):
        return found  # before e-mails: https://www.youtube.com/@poradna is an address
    if "@" in found:
        return f"mailto:{found}"
    return "tel:" + re.sub(r"[^\d+]", "", found)


def _linked_lines(text: str, patterns) -> str:
    """`_lines` of a text whose phone numbers, e-mails or web addresses are links."""
    # By start, the longest first: 123456789@sms.cz is an e-mail, not a phone number.
    spans = sorted(
        (m.span() for pattern in patterns for m in pattern.finditer(text)),
        key=lambda span: (span[0], -span[1]),
    )
    html, end = [], 0
    for start, stop in spans:
        if start < end:
            continue  # inside a link already made
        found = text[start:stop]
        html += (_lines(text[end:start]), f'<a href="{escape(_href(found))}">{escape(found)}</a>')
        end = stop
    html.append(_lines(text[end:]))
    return "".join(html)


def cell_html(key: str, lines: list[str]) -> SafeString:
    """A cell's lines as HTML, with links where the column holds contacts."""
    patterns = LINKED.get(key)
    if patterns is None:
        return SafeString("<br>".join(map(_lines, lines)))
    return SafeString("<br>".join(_linked_lines(line, patterns) for line in lines))


def _map_for(request, pk: int) -> Map:
    """The map if the user may open it, with the database's snapshot of that moment."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        raise Http404  # as `Map.objects.for_user` shows them nothing
    db = router.db_for_read(Map)
    query = _map_query(db, bool(user.is_superuser))
    if query is None:
        maps = Map.objects.for_user(user).annotate(db_snapshot=DatabaseSnapshot())
        return get_object_or_404(maps, pk=pk)
    params = list(query.params)
    for index in query.user_at:
        params[index] = user.pk
    params[query.map_at] = pk
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(query.sql, params)
        found = cursor.fetchone()
    if found is None:  # as get_object_or_404 says it
        raise Http404(f"No {Map._meta.object_name} matches the given query.")
    values = list(found)
    for index, (converters, expression) in query.converters:
        for converter in converters:  # as the queryset converts, say JSON or SQLite's booleans
            values[index] = converter(values[index], expression, connection)
    map_ = Map.from_db(db, query.fields, values[: len(query.fields)])
    for name, index in query.annotations:
        setattr(map_, name, values[index])
    return map_


# Ids no row has, where the user's and the map's ids go in the compiled SQL of `_map_for`.
USER_SENTINEL, MAP_SENTINEL = -918_273_645, -546_372_819


@dataclass(frozen=True)
class _MapQuery:
    sql: str
    params: tuple
    user_at: tuple[int, ...]
    map_at: int
    fields: tuple[str, ...]
    annotations: tuple[tuple[str, int], ...]
    converters: tuple


@functools.lru_cache(maxsize=8)
def _map_query(db: str, superuser: bool) -> _MapQuery | None:
    """The SQL of `Map.objects.for_user` for one map with the snapshot, compiled once per
    database and kind of user (compiling its subqueries took longer than running them)."""
    viewer = get_user_model()(pk=USER_SENTINEL, is_active=True, is_superuser=superuser)
    queryset = (
        Map.objects.using(db)
        .for_user(viewer)
        .annotate(db_snapshot=DatabaseSnapshot())
        .filter(pk=MAP_SENTINEL)
        .order_by()
    )
    compiler = queryset.query.get_compiler(db)
    sql, params = compiler.as_sql()

    def at(sentinel):
        return tuple(i for i, p in enumerate(params) if type(p) is int and p == sentinel)

    user_at, map_at = at(USER_SENTINEL), at(MAP_SENTINEL)
    select = compiler.select[: compiler.col_count]
    fields = [select[i][0].target.attname for i in compiler.klass_info["select_fields"]]
    if (
        len(map_at) != 1
        or bool(user_at) == superuser
        or sql.replace("%%", "").count("%s") != len(params)
        or list(compiler.klass_info["select_fields"]) != list(range(len(fields)))
    ):
        return None  # not the SQL this was written for: `_map_for` compiles every time
    return _MapQuery(
        sql,
        tuple(params),
        user_at,
        map_at[0],
        tuple(fields),
        tuple(compiler.annotation_col_map.items()),
        tuple(compiler.get_converters([s[0] for s in select]).items()),
    )


@login_required
def map_view(request, pk: int):
    map_ = _map_for(request, pk)
    actors = MapActors(request, map_)
    size = CRISIS_PAGE_SIZE if map_.crisis_network else PAGE_SIZE
    page, found = actors.page(request.GET.get("page"), size)
    table = actors.table(found)
    query = request.GET.copy()
    query.pop("page", None)
    sortable = actors.catalogue.sortable()
    ordering = actors.filter.ordering(map_.ordering or "name")
    unordered = query.copy()
    unordered.pop("razeni", None)  # a header's link replaces the ordering, adds none
    context = {
        "map": map_,
        "filter": actors.filter,
        "columns": actors.columns,
        "header": header(actors.columns, sortable, ordering, unordered.urlencode()),
        "sortable": sortable,
        "ordering": ordering,
        "table": table,
        "table_html": actors.table_html(table),
        "page": page,
        "query": query.urlencode(),
        "broken": actors.broken,
        # The map's own filter, said: a reader filtering further knows what is left out.
        "fixed": actors.filter.described(QueryDict(map_.query)) if not actors.broken else [],
    }
    return render(request, "network/map.html", context)


@login_required
def actor_card(request, pk: int, actor_pk: int):
    """An actor of the map with the fields the map allows, its platforms, activities and
    current posts."""
    map_ = _map_for(request, pk)
    actors = MapActors(request, map_)
    found = rows(actors.base.filter(pk=actor_pk), actors.card_columns)
    if not found:
        raise Http404(gettext("The actor is not on this map."))
    row = found[0]
    today = timezone.localdate()
    memberships = (
        PlatformMembership.objects.filter(
            actor_id=actor_pk, platform__status=Platform.Status.ACTIVE
        )
        .select_related("platform__platform_type")
        .only("role", "platform__name", "platform__platform_type__name")
        .order_by("platform__platform_type__code", "platform__name")
    )
    practices = (
        LocalPractice.objects.filter(actors=actor_pk)
        .select_related("activity__need__area")
        .order_by("activity__need__area__order", "activity__need__order", "activity__order")
    )
    posts = Post.objects.filter(actor_id=actor_pk, valid_from__lte=today).exclude(
        valid_until__lt=today
    )
    context = {
        "map": map_,
        "name": row["name"],
        "fields": [
            (c.label, cell_html(c.key, lines))
            for c in actors.card_columns[1:]
            if (lines := c.cell(row))
        ],
        "memberships": memberships,
        "practices": practices,
        "posts": posts,
        "back": request.GET.get("zpet", ""),
    }
    return render(request, "network/actor_card.html", context)


@login_required
def map_export(request, pk: int):
    """The map as the reader sees it (filters, search, ordering) to xlsx: its columns, all
    its rows."""
    map_ = _map_for(request, pk)
    actors = MapActors(request, map_)
    columns = actors.columns
    stream = io.BytesIO()
    writer = WorkbookWriter(stream)
    cells = ([c.export_cell(row) for c in columns] for row in rows(actors.ordered(), columns))
    about = gettext("About the file")
    name = sheet_name(map_.name)
    if name.lower() == about.lower():  # Excel's sheet names differ in more than case
        name = sheet_name(f"{map_.name} – {gettext('map')}")
    count = writer.write_sheet(
        Sheet(name, [capfirst(str(c.label)) for c in columns], cells, {}), {}
    )
    writer.write_about(_export_about(request, map_, actors, count), about)
    writer.close()
    response = HttpResponse(
        stream.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mapa-{map_.pk}-{stamp}.xlsx"'
    return response


def _export_about(request, map_: Map, actors: MapActors, count: int) -> list[tuple[str, str]]:
    """Where a map's file comes from: a file passed on still says whose, when and what."""
    user = request.user
    found = [
        (gettext("ORP"), settings.NETWORK_ORP_NAME),
        (gettext("Map"), map_.name),
        (gettext("Exported"), formats.date_format(timezone.localtime(), "DATETIME_FORMAT")),
        (gettext("Exported by"), user.get_full_name() or user.get_username()),
        (gettext("Number of actors"), str(count)),
    ]
    own = QueryDict(map_.query) if not actors.broken else QueryDict()
    for label, query in (
        (gettext("Chosen by the map itself"), own),
        (gettext("Further filters"), request.GET),
    ):
        if described := actors.filter.described(query):
            found.append((label, "; ".join(f"{facet}: {chosen}" for facet, chosen in described)))
    return found


def sheet_name(name: str) -> str:
    """A map's name as Excel allows a sheet to be named: no []:*?/\\, at most 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", name).strip(" '")[:31].strip(" '")
    return cleaned or "Mapa"


def _coordinator(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


@login_required
def map_builder(request, pk: int | None = None):
    """The filter page where the coordinator prepares a map and saves it ("save as map").

    One form holds the facets and the map's fields: filtering or clearing the filter keeps
    what is typed and ticked, and saving takes the facets as they are ticked."""
    _coordinator(request)
    map_ = get_object_or_404(Map, pk=pk) if pk else None
    catalogue = Catalogue.for_request(request)
    facets = ActorFilter(None, queryset=Actor.objects.none(), request=request).filters
    stale = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = QueryDict() if action == "clear" else request.POST
        form = MapForm(request.POST, instance=map_, catalogue=catalogue)
        if action == "save" and form.is_valid():
            saved = form.save(commit=False)
            saved.query = filter_query(data, facets)
            if saved.created_by_id is None:
                saved.created_by = request.user
            saved.save()
            form.save_m2m()
            messages.success(request, gettext("The map “%(name)s” was saved.") % {"name": saved})
            return redirect(saved)
        if action != "save":  # what was typed stays, without errors of a form not yet sent
            entered = {name: form[name].data for name in form.fields}
            form = MapForm(instance=map_, initial=entered, catalogue=catalogue)
    else:
        data = request.GET if (request.GET or map_ is None) else QueryDict(map_.query)
        # Filters of the map that no longer exist (a characteristic deleted or no longer
        # shared): the preview below goes without them, and so will the map once saved.
        stale = [name for name, chosen in data.lists() if any(chosen) and name not in facets]
        initial = {}
        if map_ is None:
            initial.update(columns=["actor_type", "municipality", "phone", "target_groups"])
        form = MapForm(instance=map_, initial=initial, catalogue=catalogue)
    preview = Map(
        name=map_.name if map_ else "",
        columns=form["columns"].value() or [],
        crisis_network=bool(map_ and map_.crisis_network),
    )
    actors = MapActors(request, preview)
    # The filter panel shows (and changes) the map's own filter here.
    actors.filter = ActorFilter(
        QueryDict(filter_query(data, facets)) or None, queryset=actors.base, request=request
    )
    page = Paginator(actors.ordered(), PAGE_SIZE).get_page(1)
    context = {
        "map": map_,
        "form": form,
        "filter": actors.filter,
        "stale": stale,
        "columns": actors.columns,
        "table": actors.table(rows(page.object_list, actors.columns)),
        "page": page,
    }
    return render(request, "network/map_builder.html", context)


@require_POST
@login_required
def map_retire(request, pk: int):
    _coordinator(request)
    map_ = get_object_or_404(Map, pk=pk)
    map_.status = Map.Status.ACTIVE if map_.status == Map.Status.RETIRED else Map.Status.RETIRED
    map_.save(update_fields=["status", "updated_at"])
    if map_.status == Map.Status.RETIRED:
        text = gettext("The map “%(name)s” is retired: its readers no longer see it.")
    else:
        text = gettext("The map “%(name)s” is in use again.")
    messages.success(request, text % {"name": map_})
    # Where it can be restored (or retired again): a retired map is on no list of home.
    return redirect("map_edit", pk=map_.pk)
