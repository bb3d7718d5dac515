from django.db import migrations

INDEX = "actor_name_cs_idx"


def create(apps, schema_editor):
    # The actor list is ordered by name in Czech collation (newest id first on ties); with this
    # index PostgreSQL reads the first page instead of sorting 50,000 names. SQLite has no
    # ICU collation to index on.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON actors_actor (name COLLATE "cs-x-icu", id DESC)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("actors", "0005_unaccent_extension")]

    operations = [migrations.RunPython(create, drop)]
