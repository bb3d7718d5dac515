"""Personas: one user per role of network/roles.py, an outsider, and a logged-in client each."""

import pytest
from django.test import Client

from network import roles
from tests.factories import UserFactory


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
