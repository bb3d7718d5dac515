"""Personas: one user per role of network/roles.py, an outsider, and a logged-in client each."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from network import roles
from tests.factories import UserFactory

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers take a quarter of a second per password; tests need no such strength."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: LocaleMiddleware leaves the language of the last
    request active in the thread, so one test reading English made later ones read English."""
    translation.deactivate()  # back to LANGUAGE_CODE
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo network once per module, in a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    """The demo network (loaded once per module); what the command printed."""
    return demo_output


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordinator", is_staff=True, groups=[roles.COORDINATOR])


@pytest.fixture
def case_manager(db):
    return UserFactory(username="case-manazer", groups=[roles.CASE_MANAGER])


@pytest.fixture
def actor_representative(db):
    """In the representatives' group; add them to `Actor.representatives` where needed."""
    return UserFactory(username="zastupce", groups=[roles.ACTOR_REPRESENTATIVE])


@pytest.fixture
def outsider(db):
    """A user who can log in but has no role."""
    return UserFactory(username="outsider")


@pytest.fixture
def coordinator_client(coordinator):
    return logged_in(coordinator)


@pytest.fixture
def case_manager_client(case_manager):
    return logged_in(case_manager)


@pytest.fixture
def representative_client(actor_representative):
    return logged_in(actor_representative)


@pytest.fixture
def outsider_client(outsider):
    return logged_in(outsider)
