"""Revision snapshots and closed revisions never change: the database refuses it, whatever path
the change takes.

PostgreSQL refuses UPDATE and DELETE of a snapshot row and of a closed revision (TRUNCATE, which
only a test database flush uses, is not a row change). SQLite refuses the UPDATEs; its test flush
deletes rows with DELETE, so there deletes are refused by the models and their querysets only.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION network_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A revision snapshot or closed revision never changes (% of % refused).',
        TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER network_snapshot_frozen BEFORE UPDATE OR DELETE ON network_snapshot
    FOR EACH ROW EXECUTE FUNCTION network_frozen();
CREATE TRIGGER network_revision_frozen BEFORE UPDATE OR DELETE ON network_revision
    FOR EACH ROW WHEN (OLD.status = 'closed') EXECUTE FUNCTION network_frozen();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER network_revision_frozen ON network_revision;
DROP TRIGGER network_snapshot_frozen ON network_snapshot;
DROP FUNCTION network_frozen();
"""
SQLITE_FORWARD = [
    """
    CREATE TRIGGER network_snapshot_frozen BEFORE UPDATE ON network_snapshot
    BEGIN
        SELECT RAISE(ABORT, 'A revision snapshot never changes (UPDATE refused).');
    END;
    """,
    """
    CREATE TRIGGER network_revision_frozen BEFORE UPDATE ON network_revision
    WHEN OLD.status = 'closed'
    BEGIN
        SELECT RAISE(ABORT, 'A closed revision never changes (UPDATE refused).');
    END;
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER network_revision_frozen;", "DROP TRIGGER network_snapshot_frozen;"]


def forward(apps, schema_editor):
    _run(schema_editor, [POSTGRES_FORWARD], SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, [POSTGRES_BACKWARD], SQLITE_BACKWARD)


def _run(schema_editor, postgres: list[str], sqlite: list[str]) -> None:
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("network", "0005_revision")]

    operations = [migrations.RunPython(forward, backward)]
