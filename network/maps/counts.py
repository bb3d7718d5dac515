"""How many actors a map page shows, counted once for as long as the database stays the same.

Counting the actors of a filtered map takes PostgreSQL longer than the rest of the page's SQL.
The count is kept under the database's snapshot: PostgreSQL's list of the transactions a
statement sees (`pg_current_snapshot()`: the oldest still running, the next to start, those
running between). Two statements with the same snapshot see exactly the same data, and any
write that commits changes every later snapshot, so a count kept under a snapshot is never
stale, whoever wrote what, by whatever path (the admin, the workbook import, plain SQL). The
snapshot comes with the map's own query, at no query more.

Only SQL that reads nothing but the database may be counted here: NOW() or CURRENT_DATE would
change its answer without any write. Other databases, and a request inside a transaction (which
sees its own writes), count every time.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func, QuerySet, TextField

KEPT = 512  # counts kept per process, the least recently used dropped first

_counts: OrderedDict = OrderedDict()
_lock = threading.Lock()


class DatabaseSnapshot(Func):
    """The statement's snapshot as text on PostgreSQL, NULL elsewhere."""

    template = "NULL"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="pg_current_snapshot()::text", **extra)


def count(
    queryset: QuerySet | Callable[[], int],
    snapshot: str | None,
    snapshot_db: str,
    sql: tuple[str, tuple] | None = None,
    db: str | None = None,
) -> int:
    """`queryset.count()`, kept under the `snapshot` that an earlier statement of the request
    read from the database `snapshot_db`; `sql` (of the queryset, if compiled already) tells
    one queryset from another. `queryset` may instead be a function that counts it on the
    database `db`, called only when the count is not kept (`sql` is then required)."""
    if callable(queryset):
        counted, db = queryset, db or DEFAULT_DB_ALIAS
    else:
        counted, db = queryset.count, queryset.db
    connection = connections[db]
    if snapshot is None or snapshot_db != db or connection.in_atomic_block:
        return counted()
    if sql is None:
        sql = queryset.values("pk").query.get_compiler(db).as_sql()
    sql, params = sql
    try:
        key = (db, snapshot, sql, tuple((type(p), p) for p in params))
        hash(key)
    except TypeError:  # a parameter that is not hashable: count as usual
        return counted()
    with _lock:
        found = _counts.get(key)
        if found is not None:
            _counts.move_to_end(key)
            return found
    # Counted under a snapshot at least as new as `snapshot`: what it adds committed after
    # `snapshot` was taken, so no later statement will show `snapshot` again.
    found = counted()
    with _lock:
        _counts[key] = found
        while len(_counts) > KEPT:
            _counts.popitem(last=False)
    return found
