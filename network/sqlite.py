"""SQLite functions that make it agree with PostgreSQL on Czech text.

SQLite's built-in lower() folds only ASCII, so the case-insensitive unique constraints
(`Lower("name")`) would let "ZŠ Lipová" and "zš lipová" both in. Every new SQLite connection
gets a Unicode-aware lower() instead.
"""

from django.db.backends.signals import connection_created


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def install_unicode_lower(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def connect() -> None:
    connection_created.connect(install_unicode_lower, dispatch_uid="network.sqlite.lower")
