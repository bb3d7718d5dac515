"""The coordinator's import in the browser: upload, preview, confirm; refusals and conflicts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actors.models import Actor
from network.models import WorkbookUpload
from tests.factories import ActorFactory
from tests.network.workbook_files import (
    ACTORS,
    actor_added_meanwhile,
    database_checksum,
    exported_book,
    saved,
    set_cell,
)

PAGE = reverse("admin:workbook")


def upload(client, data: bytes, name="sesit.xlsx", **fields):
    return client.post(PAGE, {"file": SimpleUploadedFile(name, data), **fields})


@pytest.mark.django_db
def test_upload_preview_and_confirm(coordinator_client, coordinator):
    ActorFactory(name="Poradna", phone="111")
    ActorFactory(name="Zmizelá služba")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Telefon", "222")
    book[ACTORS].delete_rows(3)

    response = upload(coordinator_client, saved(book), end_missing="on")
    record = WorkbookUpload.objects.get()
    assert response.url == reverse("admin:workbook_preview", args=[record.pk])
    preview = coordinator_client.get(response.url)
    page = preview.content.decode()
    assert "Změněné: 1" in page
    assert "Telefon" in page and "111" in page and "222" in page
    assert "Zmizelá služba" in page and "budou ukončeni" in page
    assert Actor.objects.get(name="Poradna").phone == "111"

    confirmed = coordinator_client.post(response.url, {"digest": preview.context["digest"]})

    assert confirmed.url == PAGE
    assert Actor.objects.get(name="Poradna").phone == "222"
    assert Actor.objects.get(name="Zmizelá služba").status == Actor.Status.ENDED
    record.refresh_from_db()
    assert record.applied_at is not None
    assert record.uploaded_by == coordinator
    assert record.summary.startswith("Aktéři sítě: přidáno 0, změněno 1, ukončeno 1")
    assert "Import these changes" not in coordinator_client.get(response.url).content.decode()


@pytest.mark.django_db
def test_refused_file_shows_problems_and_offers_no_confirmation(coordinator_client):
    ActorFactory(name="Poradna")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Krizová síť", "<script>alert(1)</script>")
    response = upload(coordinator_client, saved(book))
    page = coordinator_client.get(response.url).content.decode()

    assert "Problémy" in page
    assert "„&lt;script&gt;alert(1)&lt;/script&gt;“ není ano ani ne." in page
    assert "<script>alert(1)" not in page
    assert f'<a href="{PAGE}" class="closelink">Nahrát opravený soubor</a>' in page
    assert 'name="digest"' not in page


@pytest.mark.django_db
def test_csv_upload_is_refused_with_a_czech_message(coordinator_client):
    before = database_checksum()
    response = upload(coordinator_client, b"a;b\n1;2\n", name="data.xlsx")
    page = coordinator_client.get(response.url).content.decode()
    assert "vypadá jako text nebo CSV" in page
    assert database_checksum() == before


@pytest.mark.django_db
def test_confirming_a_preview_that_no_longer_holds_changes_nothing(coordinator_client):
    actor = ActorFactory(name="Poradna", phone="111")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Telefon", "222")
    response = upload(coordinator_client, saved(book))
    digest = coordinator_client.get(response.url).context["digest"]
    Actor.objects.filter(pk=actor.pk).update(phone="333", version=actor.version + 1)

    page = coordinator_client.post(response.url, {"digest": digest}, follow=True)

    assert "Od náhledu se síť změnila" in page.content.decode()
    assert Actor.objects.get(pk=actor.pk).phone == "333"
    assert WorkbookUpload.objects.get().applied_at is None


@pytest.mark.django_db
def test_a_write_the_database_refuses_at_confirm_is_said_and_changes_nothing(
    coordinator_client, monkeypatch
):
    ActorFactory(name="Poradna")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "ID", None)
    set_cell(book[ACTORS], "Poradna", "Název aktéra", "Poradna Vlašim")
    response = upload(coordinator_client, saved(book))
    digest = coordinator_client.get(response.url).context["digest"]
    actor_added_meanwhile(monkeypatch, "poradna vlašim")
    before = database_checksum()

    page = coordinator_client.post(response.url, {"digest": digest}, follow=True)

    assert "Mezitím někdo přidal do sítě aktéra se stejným názvem" in page.content.decode()
    assert database_checksum() == before
    assert WorkbookUpload.objects.get().applied_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["case_manager_client", "representative_client"])
def test_only_the_coordinator_reaches_an_upload(persona, request, coordinator):
    record = WorkbookUpload.objects.create(name="x.xlsx", content=b"PK", uploaded_by=coordinator)
    client = request.getfixturevalue(persona)
    url = reverse("admin:workbook_preview", args=[record.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"digest": ""}).status_code == 403
    assert client.post(PAGE, {}).status_code == 403
