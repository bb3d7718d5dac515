"""SQLite functions that make it agree with PostgreSQL on Czech text.

SQLite's built-in lower() folds only ASCII, so the case-insensitive unique constraints
(`Lower("name")`) would let "ZŠ Lipová" and "zš lipová" both in. Every new SQLite connection
gets a Unicode-aware lower(), an unaccent() like PostgreSQL's extension, and a "cs" collation.
"""

from django.db.backends.signals import connection_created

from actors.text import czech_compare, fold


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _unaccent(value):
    return fold(value) if isinstance(value, str) else value


def install_czech_text(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("lower", 1, _unicode_lower, deterministic=True)
        raw.create_function("unaccent", 1, _unaccent, deterministic=True)
        raw.create_collation("cs", czech_compare)


def connect() -> None:
    connection_created.connect(install_czech_text, dispatch_uid="network.sqlite.czech_text")
