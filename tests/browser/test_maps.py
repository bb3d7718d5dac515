"""Maps in a real browser: a case manager reads, filters, opens a card, prints and exports;
the coordinator saves a new map that the case manager then sees."""

import io

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actors.models import Actor
from network import roles
from network.models import Map
from tests.browser import log_in, screenshot
from tests.factories import (
    ActorFactory,
    ActorTypeFactory,
    ContactPersonFactory,
    MapFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def network_data(page):
    school = ActorTypeFactory(name="Základní škola")
    counselling = ActorTypeFactory(name="Poradna")
    lhota = MunicipalityFactory(name="Lhota")
    lipova = ActorFactory(name="ZŠ Lipová", actor_type=school, phone="+420 111 222 333")
    ContactPersonFactory(actor=lipova, name="Jana Nová", role="výchovná poradkyně")
    ActorFactory(name="Poradna Most", actor_type=counselling, municipality=lhota)
    ActorFactory(
        name="Krizové centrum",
        crisis_network=True,
        phone="+420 999 000 111",
        opening_hours="nonstop",
        territorial_scope=Actor.TerritorialScope.DISTRICT,
    )
    everyone = MapFactory(
        name="Služby v ORP",
        audience_groups=[roles.CASE_MANAGER],
        columns=["actor_type", "municipality", "phone"],
    )
    return {"school": school, "map": everyone}


def test_case_manager_reads_filters_opens_prints_and_exports(page, network_data, case_manager):
    log_in(page, case_manager)
    maps = page.locator("ul.maps li")
    expect(maps).to_have_count(2)
    expect(maps.first).to_contain_text("Krizová síť")
    screenshot(page, "maps-home")

    page.get_by_role("link", name="Služby v ORP").click()
    expect(page.locator("table.actors tbody tr")).to_have_count(3)
    page.locator("form.filters summary", has_text="Typ aktéra").click()
    page.get_by_label("Základní škola").check()
    page.get_by_role("button", name="Filtrovat").click()
    expect(page.locator("table.actors tbody tr")).to_have_count(1)
    expect(page.locator("table.actors tbody")).to_contain_text("+420 111 222 333")
    screenshot(page, "maps-map-filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export do Excelu").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Název aktéra", "Typ aktéra", "Obec", "Telefon"],
        ["ZŠ Lipová", "Základní škola", None, "+420 111 222 333"],
    ]

    page.get_by_role("link", name="ZŠ Lipová").click()
    expect(page.locator("h1")).to_have_text("ZŠ Lipová")
    expect(page.locator("main")).to_contain_text("Jana Nová – výchovná poradkyně")
    screenshot(page, "maps-actor-card")

    page.goto(reverse("home"))
    page.get_by_role("link", name="Krizová síť").click()
    expect(page.locator("table.actors tbody tr")).to_have_count(1)
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("table.actors")).to_contain_text("nonstop")
    screenshot(page, "maps-crisis-print")
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1


def test_coordinator_saves_a_map_the_case_manager_then_sees(page, network_data, browser):
    coordinator = UserFactory(username="koordinace", is_staff=True, groups=[roles.COORDINATOR])
    reader = UserFactory(username="ctenar", groups=[roles.CASE_MANAGER])
    log_in(page, coordinator)
    page.goto(reverse("map_new") + f"?typ={network_data['school'].pk}")
    expect(page.locator("table.actors tbody tr")).to_have_count(1)
    page.get_by_label("Název", exact=True).fill("Školy v ORP")
    page.get_by_text("Komu je určena: role").click()
    page.get_by_label(roles.CASE_MANAGER).check()
    page.get_by_role("button", name="Uložit jako mapu").click()
    expect(page.locator("h1")).to_have_text("Školy v ORP")
    assert Map.objects.get(name="Školy v ORP").query == f"typ={network_data['school'].pk}"

    other = browser.new_context(base_url=page.url.split("/mapy/")[0], locale="cs-CZ")
    reader_page = other.new_page()
    log_in(reader_page, reader)
    reader_page.get_by_role("link", name="Školy v ORP").click()
    expect(reader_page.locator("table.actors tbody tr")).to_have_count(1)
    expect(reader_page.locator("table.actors")).to_contain_text("ZŠ Lipová")
    screenshot(reader_page, "maps-saved-map-reader")
    other.close()
