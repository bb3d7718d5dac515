"""History of bulk writes: what django-simple-history records per save, for many rows at once.

QuerySet.update(), bulk_create() and raw deletes send no signals, so the bulk services record
the history themselves, with the many-to-many snapshot each record carries, in a fixed number of
queries however many rows there are. The rows are plain tuples written by `insert_rows`: at
tens of thousands of records, building a model instance per row cost more than the database.
"""

import contextlib
import functools
import operator
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone
from psycopg.postgres import types as postgres_types

# Columns whose Python values the backend's own adaptation must turn into database values.
_PREPARED = {
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "JSONField",
    "TimeField",
    "UUIDField",
}
# Fewer rows than this with `returning_ids` go by INSERT ... RETURNING instead of COPY.
FEW_ROWS = 1000
# What psycopg takes as it is (the backend's adaptation returns these values unchanged).
_NATIVE = {"DateField", "DateTimeField", "DecimalField", "TimeField"}
Link = tuple[int, int, int]  # a many-to-many row: (its id, owner id, target id)


def _adapter(field: models.Field):
    """How a column's Python values become parameters, or None where they already are.

    Choices need none: Django's are str or int enums, which psycopg and sqlite3 take as the
    str or int they are (as the ORM passes them). Converting each took a tenth of the Python
    time of a large import (every history row has a choice: its type)."""
    kind = field.get_internal_type()
    if kind in _PREPARED and not (connection.vendor == "postgresql" and kind in _NATIVE):
        return functools.partial(field.get_db_prep_save, connection=connection)
    return None


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    returning_ids: bool = False,
) -> list[int]:
    """Insert plain rows (values in the order of `columns`, attnames) into the model's table.

    No model instances, defaults or signals: every column the caller wants is given. COPY on
    PostgreSQL, multi-row INSERTs elsewhere (and for a few rows with `returning_ids`). With
    `returning_ids`, the new primary keys in the order of the rows (for COPY reserved from
    the sequence first).
    """
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [(i, adapt) for i, field in enumerate(fields) if (adapt := _adapter(field))]
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    ids = []
    # A sequence round trip costs more than it saves for a few rows, and keeps query counts.
    use_copy = connection.vendor == "postgresql" and (not returning_ids or len(rows) > FEW_ROWS)
    with connection.cursor() as cursor:
        if use_copy:
            # The rows go to COPY as they are made (adapted, with their new ids): at tens of
            # thousands of rows, copies of them all cost memory and time.
            written = (_adapted(row, adapters) for row in rows) if adapters else rows
            if returning_ids:
                # The sequence is looked up once: as an argument of nextval() the lookup ran
                # for every row and took eight times as long as the values themselves.
                cursor.execute(
                    "WITH sequence AS MATERIALIZED "
                    "(SELECT pg_get_serial_sequence(%s, %s)::regclass AS name) "
                    "SELECT nextval(sequence.name) FROM sequence, generate_series(1, %s)",
                    [table, pk.column, len(rows)],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                fields = [pk, *fields]
                written = ((pk, *row) for pk, row in zip(ids, written, strict=True))
            names = ", ".join(quote(field.column) for field in fields)
            _copy(cursor, table, names, _copy_types(fields), written, len(rows))
        else:
            # Multi-row INSERTs within the backend's parameter limit, as bulk_create does.
            names = ", ".join(quote(field.column) for field in fields)
            marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
            returning = f" RETURNING {quote(pk.column)}" if returning_ids else ""
            limit = connection.features.max_query_params
            size = max(1, limit // len(fields)) if limit else len(rows)
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                if adapters:
                    batch = [_adapted(row, adapters) for row in batch]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(batch))}"
                    + returning,
                    [value for row in batch for value in row],
                )
                if returning_ids:
                    ids += [pk for (pk,) in cursor.fetchall()]
    return ids


def _adapted(row: Sequence, adapters: list) -> tuple:
    row = list(row)
    for i, adapt in adapters:
        row[i] = adapt(row[i])
    return tuple(row)


def _copy_types(fields: list[models.Field]) -> list[str] | None:
    """The columns' types for a binary COPY, or None where one has no type psycopg knows."""
    found = []
    for field in fields:
        # "varchar(200)" -> "varchar", "numeric(5, 2)" -> "numeric"; a check is not the type.
        name = (field.db_type(connection) or "").split("(")[0].split(" CHECK")[0].strip()
        if postgres_types.get(name) is None:
            return None
        found.append(name)
    return found


def _copy(cursor, table: str, names: str, types, rows: Iterable[Sequence], count: int) -> None:
    """COPY the rows, through the connection's execute wrappers like any query.

    In binary where every column's type is known: the server then parses no text (a tenth of
    a large import's database time, and less Python to format the rows)."""
    sql = f"COPY {table} ({names}) FROM STDIN" + (" (FORMAT BINARY)" if types else "")

    def copy(sql, params, many, context):
        with context["cursor"].cursor.copy(sql) as stream:
            if types:
                stream.set_types(types)
            for row in rows:
                stream.write_row(row)

    executor = copy
    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    # Under a debug cursor (DEBUG, or tests counting queries) it is logged like any query.
    logged = getattr(cursor, "debug_sql", None)
    # The driver's errors become Django's, as for any query: a refused row must reach the
    # import's "nothing changed" message, not end the request with a server error.
    with (
        logged(f"{sql} -- {count} rows") if logged else contextlib.nullcontext(),
        connection.wrap_database_errors,
    ):
        executor(sql, None, False, {"connection": connection, "cursor": cursor})


def record_history(
    objs: list[models.Model],
    *,
    user,
    reason: str,
    history_type: str = "~",
    links: dict[str, list[Link]] | None = None,
) -> None:
    """One historical record per object ("+" added, "~" changed, "-" deleted) by `user`.

    Effects: one INSERT of the records, and per many-to-many field of the history one SELECT
    of the current links (unless `links` gives them, by field name) and one INSERT of their
    snapshot.
    """
    if not objs:
        return
    model = type(objs[0])
    columns = [field.attname for field in model.history.model.tracked_fields]
    rows = [tuple(getattr(obj, name) for name in columns) for obj in objs]
    record_history_rows(
        model, columns, rows, user=user, reason=reason, history_type=history_type, links=links
    )


def record_history_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    user,
    reason: str,
    history_type: str = "~",
    links: dict[str, list[Link]] | None = None,
) -> dict[int, int]:
    """`record_history` of records given as plain rows (values in the order of `columns`,
    which holds every tracked field), as just written with `insert_rows`.

    Returns the new historical record of each record, by its pk (for `record_history_links`).
    """
    if not rows:
        return {}
    history_model = model.history.model
    history_fields = {"history_id", "history_date", "history_change_reason", "history_type"}
    history_fields.add("history_user_id")
    tracked = [field.attname for field in history_model.tracked_fields]
    untracked = {f.attname for f in history_model._meta.concrete_fields} - set(tracked)
    if untracked != history_fields:
        raise ValueError(f"Unexpected history fields of {model.__name__}: {untracked}")
    # The tracked values of a row, as a tuple: every history tracks its id and more.
    pick = operator.itemgetter(*(list(columns).index(name) for name in tracked))
    pk_index = list(columns).index(model._meta.pk.attname)
    # The reason column is varchar(100); a long characteristic name must not break the action.
    reason = str(reason)[: history_model._meta.get_field("history_change_reason").max_length]
    stamp = (timezone.now(), reason, history_type, user.pk if user is not None else None)
    history_ids = insert_rows(
        history_model,
        [*tracked, "history_date", "history_change_reason", "history_type", "history_user_id"],
        (pick(row) + stamp for row in rows),
        returning_ids=True,
    )
    record_of = {row[pk_index]: record for row, record in zip(rows, history_ids, strict=True)}
    for field in history_model._history_m2m_fields:
        known = (links or {}).get(field.name)
        if known is None:
            through = field.remote_field.through
            own, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            known = _links(through, own, target, list(record_of))
        record_history_links(model, field.name, known, record_of)
    return record_of


def record_history_links(
    model: type[models.Model], name: str, links: Iterable[Link], record_of: dict[int, int]
) -> None:
    """The snapshot of the many-to-many field `name` in the historical records `record_of`
    (by the record's pk, from `record_history_rows`): the links given, of those records."""
    history_model = model.history.model
    field = next(f for f in history_model._history_m2m_fields if f.name == name)
    own, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    insert_rows(
        getattr(history_model, name).model,
        ["id", own, target, "history_id"],
        ((pk, owner, other, record_of[owner]) for pk, owner, other in links),
    )


def _links(through, own: str, target: str, owners: list[int]) -> list[Link]:
    found = []
    size = connection.features.max_query_params or len(owners) or 1
    for start in range(0, len(owners), size):
        found += through.objects.filter(**{f"{own}__in": owners[start : start + size]}).values_list(
            "id", own, target
        )
    return found


def restored_m2m_initial(instance: models.Model) -> dict[str, list[int]]:
    """For a record rebuilt from history (the revert form): its many-to-many values then.

    django-simple-history's revert shows today's links in the form; the snapshot each history
    record keeps of its many-to-many fields is what the form should start from.
    """
    record = getattr(instance, "_history", None)
    if record is None:
        return {}
    initial = {}
    for field in getattr(record, "_history_m2m_fields", []):
        target = field.m2m_reverse_field_name()
        initial[field.name] = [
            getattr(row, f"{target}_id") for row in getattr(record, field.name).all()
        ]
    return initial


@contextlib.contextmanager
def foreign_keys_checked_at_end(tables: Sequence[str], *, keep_to: Sequence[str] = ()):
    """Within the block, the tables' foreign keys are dropped, and added back at its end.

    For a bulk load on PostgreSQL, as its manual advises ("Populating a Database"): adding a
    key back checks every row in one join, where a kept key checks each written row by itself
    (1.6 million checks for 50,000 actors, a third of the import). The price: until the
    transaction ends, the tables and the ones they refer to are locked for everyone, readers
    too; keys to the tables `keep_to` stay (their readers are not held up). A row the keys
    refuse raises IntegrityError at the end, and the caller's rollback restores the keys.
    Elsewhere nothing changes. Must run inside a transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "AND NOT confrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [list(tables), list(keep_to)],
        )
        keys = cursor.fetchall()
        if keys:
            # A table with checks still pending cannot be altered: they run now, not later.
            cursor.execute(
                "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED; "
                + "; ".join(
                    f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}" for table, name, _ in keys
                )
            )
    yield
    if keys:
        with connection.cursor() as cursor:
            # The keys kept have checks pending on the written tables too (see above).
            cursor.execute(
                "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED; "
                + "; ".join(
                    f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                    for table, name, definition in keys
                )
            )
