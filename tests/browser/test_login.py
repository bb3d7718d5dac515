"""The login page, in a real browser: the case manager lands on the home page in Czech."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import log_in, screenshot, submit_login_form

pytestmark = pytest.mark.browser


def test_login_case_manager_lands_on_home(page, case_manager):
    log_in(page, case_manager)

    assert page.url.removeprefix(page.evaluate("location.origin")) == reverse("home")
    expect(page).to_have_title(f"Úvod – ORP {settings.NETWORK_ORP_NAME}")
    expect(page.locator("h1")).to_have_text("Síť služeb pro děti a rodiny")
    expect(page.get_by_text("Case manažer")).to_be_visible()
    expect(page.get_by_role("button", name="Odhlásit se")).to_be_visible()
    # The six need areas come from a data migration, so they are there without demo data.
    need_areas = page.locator(".card", has=page.get_by_role("heading", name="Oblasti potřeb"))
    expect(need_areas.locator("li")).to_have_count(6)
    screenshot(page, "home-case-manager")


def test_login_wrong_password_shows_error(page, case_manager):
    submit_login_form(page, case_manager.username, "spatne-heslo")

    expect(page.locator(".errorlist.nonfield")).to_have_text(
        "Zadejte správnou hodnotu pole uživatelské jméno a heslo."
        " Pozor, obě pole mohou rozlišovat malá a velká písmena."
    )
    assert page.url.removeprefix(page.evaluate("location.origin")) == reverse("login")
    screenshot(page, "login-wrong-password")
