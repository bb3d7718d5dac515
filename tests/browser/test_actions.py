"""The coordinator's bulk actions on the actor list, in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actors.models import Characteristic, CharacteristicValue
from tests.browser import log_in, screenshot
from tests.factories import ActorFactory, CharacteristicFactory, CharacteristicOptionFactory

pytestmark = pytest.mark.browser


def test_setting_a_characteristic_shows_only_the_field_and_options_of_its_kind(page, coordinator):
    staff = CharacteristicFactory(name="Úvazky", kind=Characteristic.Kind.NUMBER)
    languages = CharacteristicFactory(name="Jazyky", kind=Characteristic.Kind.MULTICHOICE)
    english = CharacteristicOptionFactory(characteristic=languages, name="angličtina")
    CharacteristicOptionFactory(name="měsíčně")  # an option of another characteristic
    actor = ActorFactory(name="Poradna Most")
    log_in(page, coordinator)
    page.goto(reverse("admin:actors_actor_changelist"))
    page.locator(f"input[name=_selected_action][value='{actor.pk}']").check()
    page.locator("select[name=action]").select_option("set_characteristic")
    page.locator("button[name=index]").click()

    characteristic = page.locator("#id_characteristic")
    characteristic.select_option(str(staff.pk))
    expect(page.locator(".field-value_number")).to_be_visible()
    for hidden in ("value_boolean", "value_text", "value_options"):
        expect(page.locator(f".field-{hidden}")).to_be_hidden()
    characteristic.select_option(str(languages.pk))
    expect(page.locator(".field-value_number")).to_be_hidden()
    expect(page.get_by_label("Jazyky: angličtina")).to_be_visible()
    expect(page.get_by_text("měsíčně")).to_be_hidden()
    screenshot(page, "action-set-characteristic")

    page.get_by_label("Jazyky: angličtina").check()
    page.locator("input[type=submit].default").click()
    expect(page.locator(".messagelist")).to_contain_text("Jazyky")
    value = CharacteristicValue.objects.get(actor=actor, characteristic=languages)
    assert list(value.options.all()) == [english]
