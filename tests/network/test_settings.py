import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with the given environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    clean.update(env)
    code = f"import network.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_settings_default_to_sqlite_and_czech():
    result = settings_value("s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.TIME_ZONE")

    assert result.stdout.strip() == ("django.db.backends.sqlite3 cs Europe/Prague")


def test_settings_database_url_selects_postgresql():
    result = settings_value(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mapa",
    )

    assert result.stdout.strip() == "django.db.backends.postgresql mapa"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "mapa.example.cz"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL must start with"),
    ],
)
def test_settings_refuse_bad_environment(env, message):
    result = settings_value("s.DEBUG", **env)

    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_settings_production_values_come_from_environment():
    result = settings_value(
        "s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE",
        DEBUG="0",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="mapa.example.cz, www.mapa.example.cz",
    )

    assert result.stdout.strip() == "False ['mapa.example.cz', 'www.mapa.example.cz'] True"


def test_error_pages_do_not_show_the_database_password():
    code = (
        "import django; django.setup(); "
        "from django.views.debug import get_default_exception_reporter_filter as f; "
        "print(repr(f().get_safe_settings()))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "network.settings",
            "DATABASE_URL": "postgres://mapa:tajne-heslo@127.0.0.1:5432/mapa",
        },
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "'ENGINE': 'django.db.backends.postgresql'" in result.stdout
    assert "tajne-heslo" not in result.stdout
