"""Drop the owner's single-column index of the actors' many-to-many link tables.

Django gives each foreign key of an auto-created link table its own index, and the table a
unique (owner, target) index as well; the latter serves every lookup by owner, so the former
only costs each written link an index entry (a large import writes ~75,000 links at 10,000
actors). Django's model state keeps db_index on those keys: it looks indexes up in the database
when it alters a field, so a later migration finds none to drop and goes on.
"""

from django.db import migrations

OWNERS = {"actor": "actor_id", "characteristicvalue": "characteristicvalue_id"}


def _link_tables(apps):
    for model_name in OWNERS:
        model = apps.get_model("actors", model_name)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                yield through, OWNERS[model_name]


def _owner_indexes(schema_editor, through, column):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, through._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["columns"] == [column]
        and info["index"]
        and not info["unique"]
        and not info["primary_key"]
    ]


def drop(apps, schema_editor):
    for through, column in _link_tables(apps):
        for name in _owner_indexes(schema_editor, through, column):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create(apps, schema_editor):
    for through, column in _link_tables(apps):
        if _owner_indexes(schema_editor, through, column):
            continue
        field = next(f for f in through._meta.local_fields if f.column == column)
        schema_editor.execute(schema_editor._create_index_sql(through, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [("actors", "0009_bulk_history_user_and_value_index")]

    operations = [migrations.RunPython(drop, create, elidable=False)]
