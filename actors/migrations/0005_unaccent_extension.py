from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent() for search that ignores diacritics (SQLite gets a function)."""

    dependencies = [("actors", "0004_history_and_version")]

    operations = [UnaccentExtension()]
