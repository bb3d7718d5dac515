"""The revision pages of the coordinator's workspace: access, checklist, actions, close, compare."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from actors.models import Actor
from network.models import Revision, Snapshot
from network.revisions import services
from network.revisions.pack import CHANGE_HEADERS
from platforms.models import Platform
from tests.factories import ActivityFactory, ActorFactory, PlatformFactory

YEAR = 2026
LIST = reverse("admin:revisions")
PAGE = reverse("admin:revision", args=[YEAR])


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def revision(db, coordinator):
    return services.open_revision(year=YEAR, user=coordinator)


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        PAGE,
        reverse("admin:revision_workbook", args=[YEAR]),
        reverse("admin:revision_compare") + "?od=1&do=dnes",
    ],
)
def test_case_managers_and_representatives_are_refused(
    revision, url, case_manager_client, representative_client
):
    assert case_manager_client.get(url).status_code == 403
    assert representative_client.get(url).status_code == 403


def test_a_guest_is_sent_to_log_in(revision, client):
    response = client.get(PAGE)
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("admin:login"))


def test_writes_are_refused_to_case_managers(revision, case_manager_client):
    actor = ActorFactory()
    response = case_manager_client.post(
        reverse("admin:revision_records", args=[YEAR]),
        {"action": "verify", "pk": f"actor:{actor.pk}"},
    )
    assert response.status_code == 403
    actor.refresh_from_db()
    assert actor.verified_on is None


def test_coordinator_opens_the_revision_of_the_year(db, coordinator_client, coordinator):
    ActorFactory(name="Poradna pro rodinu")

    response = coordinator_client.post(LIST, {"year": YEAR})

    assert response.url == PAGE
    revision = Revision.objects.get()
    assert (revision.year, revision.status, revision.opened_by) == (YEAR, "open", coordinator)
    assert revision.baseline.kind == Snapshot.Kind.BASELINE
    page = body(coordinator_client.get(PAGE))
    assert "Poradna pro rodinu" in page
    assert "zatím neprověřeno" in page
    coordinator.first_name, coordinator.last_name = "Lenka", "Vacková"
    coordinator.save()
    opened = timezone.localtime(revision.opened_at)
    listed = body(coordinator_client.get(LIST))
    assert f"<td>{opened.day}. {opened.month}. {opened.year}, Lenka Vacková</td>" in listed


def test_a_second_open_revision_is_refused_with_a_message(revision, coordinator_client):
    response = coordinator_client.post(LIST, {"year": YEAR + 1}, follow=True)

    assert "Jiná revize je už otevřená" in body(response)
    assert Revision.objects.count() == 1


def test_checklist_verifies_and_ends_the_ticked_records(db, coordinator_client, coordinator):
    kept, gone = ActorFactory(name="Ověřená služba"), ActorFactory(name="Zaniklá služba")
    platform = PlatformFactory(name="Tým pro mládež")
    services.open_revision(year=YEAR, user=coordinator)
    records = reverse("admin:revision_records", args=[YEAR])

    verified = coordinator_client.post(
        records,
        {
            "action": "verify",
            "pk": [f"actor:{kept.pk}", f"platform:{platform.pk}"],
            "next": "?stav=verified",
        },
    )
    ended = coordinator_client.post(records, {"action": "end", "pk": f"actor:{gone.pk}"})

    assert verified.url == PAGE + "?stav=verified"
    assert ended.url == PAGE
    kept.refresh_from_db()
    gone.refresh_from_db()
    platform.refresh_from_db()
    assert (kept.verified_on, kept.verified_by) == (timezone.localdate(), coordinator)
    assert (platform.verified_on, platform.verified_by) == (timezone.localdate(), coordinator)
    assert gone.status == Actor.Status.ENDED
    listed = coordinator_client.get(PAGE, {"stav": "verified"})
    names = [item.label for item in listed.context["page"]]
    assert names == ["Ověřená služba", "Tým pro mládež"]
    ended_items = coordinator_client.get(PAGE, {"stav": "ended"}).context["page"]
    assert [(i.label, i.state) for i in ended_items] == [("Zaniklá služba", "ended")]


def test_checklist_without_a_selection_says_so(revision, coordinator_client):
    response = coordinator_client.post(
        reverse("admin:revision_records", args=[YEAR]), {"action": "verify"}, follow=True
    )
    assert "Nebyl vybrán žádný záznam." in body(response)


def test_ending_the_selected_asks_first(revision, coordinator_client):
    page = body(coordinator_client.get(PAGE))

    assert (
        'data-confirm="Ukončit vybrané aktéry a platformy? Z map a seznamů zmizí; obnovit je lze '
        'v administraci." onclick="return confirm(this.dataset.confirm)">Ukončit vybrané'
    ) in page


def test_not_verified_filter_lists_what_the_reminder_counts(db, coordinator_client, coordinator):
    first, second = ActorFactory(name="První"), ActorFactory(name="Druhá")
    services.open_revision(year=YEAR, user=coordinator)
    services.verify(kind="actor", ids=[first.pk], user=coordinator)

    response = coordinator_client.get(PAGE, {"overeni": "ne", "zaznam": "actor"})

    assert [item.label for item in response.context["page"]] == [second.name]
    home = coordinator_client.get(reverse("home"))
    assert home.context["reminders"].unverified["actor"] == 1
    assert "Zatím neověřeno v revizi 2026" in body(home)


def test_home_reminds_of_records_not_verified_for_a_year(db, coordinator_client):
    old = ActorFactory(name="Dlouho neověřená")
    Actor.objects.filter(pk=old.pk).update(
        verified_on=timezone.localdate() - timezone.timedelta(days=400)
    )
    ActorFactory(name="Nedávno ověřená", verified_on=timezone.localdate())
    ActivityFactory()

    reminders = coordinator_client.get(reverse("home")).context["reminders"]

    assert reminders.revision is None
    assert reminders.stale == {"actor": 1, "platform": 0, "activity": 1}


def test_home_points_to_this_years_closed_revision_instead_of_opening_one(
    db, coordinator_client, coordinator
):
    today = timezone.localdate()
    revision = services.open_revision(year=today.year, user=coordinator)
    services.close_revision(revision=revision, user=coordinator, platform=None, discussed_on=today)

    page = body(coordinator_client.get(reverse("home")))

    link = reverse("admin:revision", args=[today.year])
    assert f'<a href="{link}">Revize {today.year} je uzavřená.</a>' in page
    assert "Otevřít revizi letošního roku" not in page


def test_case_managers_home_has_no_reminders(db, case_manager_client):
    response = case_manager_client.get(reverse("home"))
    assert response.context["reminders"] is None
    assert 'id="reminders"' not in body(response)


def test_close_form_offers_today_in_the_date_inputs_format(revision, coordinator_client):
    page = body(coordinator_client.get(PAGE))

    today = timezone.localdate().isoformat()
    assert f'type="date" name="discussed_on" value="{today}"' in page


def test_close_needs_the_confirmation(revision, coordinator_client):
    platform = PlatformFactory(name="Tým pro mládež", status=Platform.Status.ACTIVE)
    response = coordinator_client.post(
        reverse("admin:revision_close", args=[YEAR]),
        {"discussed_on": "2026-11-20", "platform": platform.pk},
        follow=True,
    )
    revision.refresh_from_db()
    assert revision.status == Revision.Status.OPEN
    assert response.redirect_chain == [(f"{PAGE}#revision-close", 302)]
    page = body(response)
    assert "Toto pole je třeba vyplnit." in page
    # What was chosen stays chosen, once: the page after is as usual.
    assert 'type="date" name="discussed_on" value="2026-11-20"' in page
    assert f'<option value="{platform.pk}" selected>Tým pro mládež</option>' in page
    again = body(coordinator_client.get(PAGE))
    assert "Toto pole je třeba vyplnit." not in again


def test_close_freezes_the_revision(revision, coordinator_client, coordinator):
    platform = PlatformFactory(name="Komunitní plánování – pracovní skupina Rodina")

    response = coordinator_client.post(
        reverse("admin:revision_close", args=[YEAR]),
        {"platform": platform.pk, "discussed_on": "2026-11-20", "confirm": "on"},
        follow=True,
    )

    revision.refresh_from_db()
    assert (revision.status, revision.closed_by) == (Revision.Status.CLOSED, coordinator)
    page = body(response)
    assert "Revize 2026 je uzavřená a zmrazená." in page
    assert platform.name in page and revision.snapshot.sha256 in page
    workbook = coordinator_client.get(reverse("admin:revision_workbook", args=[YEAR]))
    assert b"".join(workbook.streaming_content) == bytes(revision.snapshot.workbook)
    again = coordinator_client.post(
        reverse("admin:revision_records", args=[YEAR]), {"action": "verify"}
    )
    assert again.status_code == 404


def test_meeting_pack_download_of_an_open_revision(revision, coordinator_client):
    ActorFactory(name="Nová služba")

    response = coordinator_client.get(reverse("admin:revision_workbook", args=[YEAR]))

    assert response.status_code == 200
    assert "Revize" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Změny"].iter_rows(values_only=True))
    assert rows[0] == tuple(CHANGE_HEADERS)
    assert [row[2:4] for row in rows[1:]] == [("Nová služba", "přidáno")]


def test_compare_page_and_sheet(revision, coordinator_client):
    ActorFactory(name="Nová služba")
    url = reverse("admin:revision_compare")

    page = coordinator_client.get(url, {"od": revision.baseline_id, "do": "dnes"})
    sheet = coordinator_client.get(
        url, {"od": revision.baseline_id, "do": "dnes", "format": "xlsx"}
    )

    assert [(c.label, c.action) for c in page.context["page"]] == [("Nová služba", "added")]
    assert page.context["counts"] == {"aktéři": {"přidáno": 1}}
    assert "<li>Aktéři: přidáno 1</li>" in body(page)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))
    assert list(book["Změny"].iter_rows(values_only=True))[1][2:4] == ("Nová služba", "přidáno")


def test_compare_of_an_unknown_snapshot_is_404(revision, coordinator_client):
    url = reverse("admin:revision_compare")
    assert coordinator_client.get(url, {"od": 999999}).status_code == 404
    assert coordinator_client.get(url, {"od": "x"}).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_checklist_queries_do_not_grow_with_the_network(
    revision, coordinator_client, count, django_assert_num_queries
):
    ActorFactory.create_batch(count)
    PlatformFactory.create_batch(count)
    ActivityFactory.create_batch(count)
    # Session, user, role, the revision with its baseline; the template sheets: the custom
    # characteristics, 7 need-sheet, 10 actor-sheet and 5 platform-sheet queries, the
    # memberships, the needs' and activities' IDs; the actors, platforms and activities with
    # their verification; the previous snapshot (2: closed revisions, the baseline); the
    # workspace's permissions (2) and the platform choices of the two forms (2).
    with django_assert_num_queries(40):
        response = coordinator_client.get(PAGE)
    assert response.status_code == 200


def test_platform_choice_is_kept_for_the_pack(revision, coordinator_client):
    platform = PlatformFactory(name="Tým pro mládež", status=Platform.Status.ACTIVE)

    response = coordinator_client.post(
        PAGE, {"platform-form": "1", "platform": platform.pk}, follow=True
    )

    revision.refresh_from_db()
    assert revision.platform == platform
    assert "Revize se bude projednávat na platformě „Tým pro mládež“." in body(response)


def test_platform_choice_offers_active_platforms_and_the_one_chosen(revision, coordinator_client):
    chosen = PlatformFactory(name="Komise SPOD")
    PlatformFactory(name="Tým pro mládež")
    PlatformFactory(name="Skončená skupina", status=Platform.Status.ENDED)
    revision.platform = chosen
    revision.save()
    Platform.objects.filter(pk=chosen.pk).update(status=Platform.Status.ENDED)

    offered = coordinator_client.get(PAGE).context["platform_form"].fields["platform"].queryset

    assert sorted(offered.values_list("name", flat=True)) == ["Komise SPOD", "Tým pro mládež"]


def test_checklist_search_ignores_case_and_diacritics(db, coordinator_client, coordinator):
    ActorFactory(name="Poradna Žirafa")
    ActorFactory(name="Škola U Lípy")
    services.open_revision(year=YEAR, user=coordinator)

    response = coordinator_client.get(PAGE, {"hledat": "zIRAFA"})

    assert [item.label for item in response.context["page"]] == ["Poradna Žirafa"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cs", "<td>stavu při otevření revize {year} ({date})</td>"),
        ("en", "<td>the state when the revision {year} was opened ({date})</td>"),
    ],
)
def test_a_closed_revision_says_what_it_is_compared_with_in_the_readers_language(
    revision, coordinator, coordinator_client, language, expected
):
    today = timezone.localdate()
    services.close_revision(revision=revision, user=coordinator, platform=None, discussed_on=today)
    coordinator_client.cookies["django_language"] = language

    page = body(coordinator_client.get(PAGE))

    with translation.override(language):
        date = formats.date_format(timezone.localtime(revision.opened_at), "DATE_FORMAT")
    assert expected.format(year=YEAR, date=date) in page
