"""Browser tests: Debian's Chromium, headless, driven by Playwright against `live_server`.

A test asks for the `page` fixture (tests/browser/conftest.py): a fresh browser context in
Czech, Prague time and a 1280x900 window, whose relative URLs go to the live server. `page`
brings the transactional database the live server needs, with the data migrations' rows kept.
Mark the module with `pytestmark = pytest.mark.browser`.

    def test_something(page, case_manager):
        log_in(page, case_manager)
        expect(page.locator("h1")).to_have_text("Síť služeb pro děti a rodiny")
        screenshot(page, "home-case-manager")
"""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page

from tests.factories import TEST_PASSWORD

SCREENSHOTS = Path(__file__).parent / "screenshots"


def submit_login_form(page: Page, username: str, password: str) -> None:
    """Open the login page, fill in the form and submit it; waits for nothing after."""
    page.goto(reverse("login"))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def log_in(page: Page, user, password: str = TEST_PASSWORD) -> None:
    """Log `user` (a User or a username) in through the login form; fails if it stays there."""
    login_path = reverse("login")
    submit_login_form(page, getattr(user, "username", user), password)
    page.wait_for_url(lambda url: not url.split("?")[0].endswith(login_path))


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as tests/browser/screenshots/<name>.png (git-ignored) to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
