"""Playwright, one headless Debian Chromium for the browser tests, and a fresh page per test."""

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# Failing fast beats Playwright's 30 s: every page here is served from this machine.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def playwright(django_db_setup, django_db_blocker):
    """Playwright's sync API, started once for this package; the database left as migrated.

    While it runs, its asyncio loop counts as running in this thread, and Django reacts twice:
    it takes every ORM call (the test's, and pytest-django's flush after it) for one made from
    async code and raises SynchronousOnlyOperation, though the calls are synchronous in truth;
    and it hands out a second set of connections (asgiref's Local keys them by context then).
    So the async check is off for this package only, and the second set gets the serialized
    data migrations that serialized rollback restores, is closed at the end, and puts those
    rows back once more: pytest-django flushes after the last test, which would leave later
    tests without role groups, need areas and platform types.
    """
    serialized = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            yield pw
            with django_db_blocker.unblock():
                for alias, contents in serialized.items():
                    connections[alias].creation.deserialize_db_from_string(contents)
                connections.close_all()


@pytest.fixture(scope="package")
def browser(playwright):
    # Debian's Chromium with a temporary profile; Playwright's own browser download is not used.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A page in a new context (Czech, Prague time, 1280x900); relative URLs go to live_server.

    live_server needs a transactional database, which Django empties after each test; serialized
    rollback reloads the data migrations' rows before the next one.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="cs-CZ",
        timezone_id="Europe/Prague",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()
