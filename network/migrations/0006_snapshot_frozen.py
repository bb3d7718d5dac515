"""Revision snapshots never change: the database refuses it, whatever path the change takes.

PostgreSQL refuses UPDATE and DELETE of a snapshot row (TRUNCATE, which only a test database
flush uses, is not a row change). SQLite refuses UPDATE; its test flush deletes rows with DELETE,
so there deletes are refused by the model and its queryset only.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION network_snapshot_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A revision snapshot never changes (% refused).', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER network_snapshot_frozen BEFORE UPDATE OR DELETE ON network_snapshot
    FOR EACH ROW EXECUTE FUNCTION network_snapshot_frozen();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER network_snapshot_frozen ON network_snapshot;
DROP FUNCTION network_snapshot_frozen();
"""
SQLITE_FORWARD = """
CREATE TRIGGER network_snapshot_frozen BEFORE UPDATE ON network_snapshot
BEGIN
    SELECT RAISE(ABORT, 'A revision snapshot never changes (UPDATE refused).');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER network_snapshot_frozen;"


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def _run(schema_editor, postgres: str, sqlite: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(sqlite, params=None)


class Migration(migrations.Migration):
    dependencies = [("network", "0005_revision")]

    operations = [migrations.RunPython(forward, backward)]
