"""The annual revision in the coordinator's browser: open, verify, export the meeting pack,
close; the closed revision's workbook downloads again unchanged."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from network import roles
from network.models import Revision
from tests.browser import log_in, screenshot
from tests.factories import ActivityFactory, ActorFactory, PlatformFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def network_data(page):
    ActorFactory(name="Rodinné centrum Hnízdo", phone="+420 111 222 333")
    school = ActorFactory(name="ZŠ Lipová")
    ActivityFactory(name="Podpora rodičovství")
    return {"platform": PlatformFactory(name="Tým pro mládež"), "school": school}


# This year's revision: once it is closed, home points to it.
TODAY = timezone.localdate()
YEAR = TODAY.year


def test_coordinator_runs_the_revision(page, network_data):
    coordinator = UserFactory(username="koordinace", is_staff=True, groups=[roles.COORDINATOR])
    log_in(page, coordinator)
    expect(page.locator("#reminders")).to_contain_text("Žádná revize není otevřená")

    page.goto(reverse("admin:index"))
    page.get_by_role("link", name="Roční revize", exact=True).click()
    page.get_by_label("Rok").fill(str(YEAR))
    page.get_by_role("button", name="Otevřít revizi").click()
    expect(page.locator("h1")).to_have_text(f"Revize {YEAR}")
    expect(page.locator("#revision-progress")).to_contain_text("0 / 2 (0 %)")

    page.get_by_role("checkbox", name="Rodinné centrum Hnízdo").check()
    page.get_by_role("button", name="Označit vybrané jako ověřené").click()
    expect(page.locator(".messagelist")).to_contain_text("Dnes označeno jako ověřené: 1.")
    expect(page.locator("#revision-progress")).to_contain_text("1 / 2 (50 %)")
    row = page.locator("#revision-items tr", has_text="Rodinné centrum Hnízdo")
    expect(row).to_contain_text("ověřeno beze změny")
    screenshot(page, "revision-checklist")

    network_data["school"].phone = "+420 222 333 444"
    network_data["school"].save()
    page.get_by_role("link", name="Změny od otevření revize").click()
    expect(page.locator("#revision-changes tbody tr")).to_have_count(1)
    expect(page.locator("#revision-changes")).to_contain_text("+420 222 333 444")
    screenshot(page, "revision-compare")
    page.go_back()

    page.locator("#revision-platform select").select_option(label="Tým pro mládež")
    page.locator("#revision-platform").get_by_role("button", name="Uložit").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Stáhnout podklady pro jednání").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert "Změny" in book.sheetnames
    about = {row[0].value: row[1].value for row in book["O souboru"].iter_rows()}
    assert about["Projednává platforma"] == "Tým pro mládež"

    close = page.locator("#revision-close")
    close.get_by_label("Projednáno dne").fill(TODAY.isoformat())
    close.get_by_label("Beru na vědomí").check()
    close.get_by_role("button", name="Uzavřít a zmrazit revizi").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Revize {YEAR} je uzavřená a zmrazená.")
    discussed = f"Tým pro mládež ({TODAY.day}. {TODAY.month}. {TODAY.year})"
    expect(page.locator("#revision-closed")).to_contain_text(discussed)
    screenshot(page, "revision-closed")

    with page.expect_download() as download:
        page.get_by_role("link", name="Stáhnout zmrazený sešit").click()
    frozen = Revision.objects.get(year=YEAR).snapshot
    assert download.value.path().read_bytes() == bytes(frozen.workbook)

    page.goto(reverse("home"))
    expect(page.locator("#reminders")).to_contain_text(f"Revize {YEAR} je uzavřená.")
    screenshot(page, "revision-home-reminders")
