"""The annual revision: open, verify, edit, end, import, close; the frozen snapshot; compare."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, CharacteristicValue, Note, Visibility
from needs.models import Activity
from network.models import FrozenSnapshot, Revision, Snapshot
from network.revisions import checklist, compare, services, snapshot
from network.revisions.pack import CHANGE_HEADERS, CHANGES
from network.workbook.importer import import_workbook, preview_workbook
from platforms.models import Platform, PlatformMembership
from tests.factories import (
    ActivityFactory,
    ActorFactory,
    CharacteristicFactory,
    CharacteristicValueFactory,
    FulfilmentSignFactory,
    NoteFactory,
    PlatformFactory,
    PlatformMembershipFactory,
)
from tests.network.workbook_files import ACTORS, database_checksum, saved, set_cell

YEAR = 2026


def today_content() -> dict:
    sheets, _characteristics = snapshot.current_sheets()
    return snapshot.content_of(sheets)


def summary(changes) -> set[tuple]:
    return {(c.kind, c.label, c.action, c.field, c.old, c.new) for c in changes}


def states(revision: Revision) -> dict[tuple[str, str], str]:
    return {(i.kind, i.label): i.state for i in checklist.build(revision).items}


def frozen_bytes(frozen: Snapshot) -> tuple:
    row = Snapshot.objects.get(pk=frozen.pk)
    return bytes(row.data), bytes(row.workbook), row.sha256


@pytest.fixture
def revision(demo, coordinator):
    return services.open_revision(year=YEAR, user=coordinator)


def test_full_revision_walk_lists_exactly_the_changes(revision, coordinator):
    ended = Actor.objects.active().filter(memberships__isnull=False).order_by("pk").first()
    actors = list(Actor.objects.active().exclude(pk=ended.pk).order_by("pk"))
    verified, edited, importer = actors[0], actors[1], actors[2]
    old_phone = edited.phone
    # A platform the ended actor is not in: ending a member changes a platform's composition.
    platform = (
        Platform.objects.filter(status=Platform.Status.ACTIVE)
        .exclude(memberships__actor=ended)
        .order_by("pk")
        .first()
    )
    activity = Activity.objects.select_related("need__area").order_by("pk").first()

    services.verify(kind=compare.ACTOR, ids=[verified.pk], user=coordinator)
    services.verify(kind=compare.PLATFORM, ids=[platform.pk], user=coordinator)
    services.verify(kind=compare.ACTIVITY, ids=[activity.pk], user=coordinator)
    edited.phone = "+420 777 000 111"
    edited.save()
    services.end(kind=compare.ACTOR, ids=[ended.pk], user=coordinator)
    # The meeting's edits come back in the meeting pack through the normal import.
    data, _content = services.meeting_pack(revision, user=coordinator)
    book = openpyxl.load_workbook(io.BytesIO(data))
    set_cell(book[ACTORS], importer.name, "Web", "https://nova-adresa.example/")
    upload = saved(book)
    preview, _ = preview_workbook(upload)
    assert preview.errors == []
    assert [row.name for row in preview.actors.changed] == [importer.name]
    assert import_workbook(upload, user=coordinator).change_count == 1

    found = states(revision)
    assert found[compare.ACTOR, verified.name] == checklist.VERIFIED
    assert found[compare.ACTOR, edited.name] == checklist.UPDATED
    assert found[compare.ACTOR, ended.name] == checklist.ENDED
    assert found[compare.ACTOR, importer.name] == checklist.UPDATED
    assert found[compare.ACTOR, actors[3].name] == checklist.PENDING
    assert found[compare.PLATFORM, platform.name] == checklist.VERIFIED
    activity_key = f"{activity.need.area.name} / {activity.need.name} / {activity.name}"
    assert found[compare.ACTIVITY, activity_key] == checklist.VERIFIED

    discussed = datetime.date(YEAR, 11, 20)
    frozen = services.close_revision(
        revision=revision, user=coordinator, platform=platform, discussed_on=discussed
    )

    expected = {
        (compare.ACTOR, ended.name, compare.ENDED, "", "", ""),
        (compare.ACTOR, edited.name, compare.CHANGED, "Telefon", old_phone, "+420 777 000 111"),
        (
            compare.ACTOR,
            importer.name,
            compare.CHANGED,
            "Web",
            importer.web,
            "https://nova-adresa.example/",
        ),
    }
    ended_memberships = {
        (compare.MEMBERSHIP, f"{m.platform.name} – {ended.name}", compare.ENDED, "", "", "")
        for m in PlatformMembership.objects.filter(actor=ended).select_related("platform")
    }
    # An ended actor's memberships end with it (the sheets hold active actors only).
    assert ended_memberships
    assert summary(compare.compare(revision.baseline.content(), frozen.content())) == (
        expected | ended_memberships
    )
    revision.refresh_from_db()
    assert (revision.status, revision.closed_by, revision.platform) == (
        Revision.Status.CLOSED,
        coordinator,
        platform,
    )
    assert (frozen.platform, frozen.discussed_on, frozen.kind) == (
        platform.name,
        discussed,
        Snapshot.Kind.CLOSED,
    )

    # Later edits, an import and a history restore leave the snapshot byte for byte.
    before = frozen_bytes(frozen)
    edited.phone = "+420 600 000 000"
    edited.save()
    book = openpyxl.load_workbook(io.BytesIO(bytes(frozen.workbook)))
    set_cell(book[ACTORS], importer.name, "Web", "https://jeste-jinak.example/")
    import_workbook(saved(book), user=coordinator)
    edited.history.order_by("history_date").first().instance.save()
    assert frozen_bytes(frozen) == before
    assert frozen.sha256 == frozen.checksum()


def test_verifying_stamps_the_record_and_changes_nothing_else(revision, coordinator):
    actor = Actor.objects.active().order_by("pk").first()
    content_before = today_content()

    assert services.verify(kind=compare.ACTOR, ids=[actor.pk], user=coordinator) == 1

    actor.refresh_from_db()
    assert (actor.verified_on, actor.verified_by) == (timezone.localdate(), coordinator)
    assert actor.history.first().history_user == coordinator
    # The sheet's `Aktualizováno` moved, which the comparison leaves out.
    assert compare.compare(content_before, today_content()) == []
    assert states(revision)[compare.ACTOR, actor.name] == checklist.VERIFIED


def test_verifying_an_activity_records_its_history(revision, coordinator):
    activity = Activity.objects.order_by("pk").first()

    services.verify(kind=compare.ACTIVITY, ids=[activity.pk], user=coordinator)

    activity.refresh_from_db()
    assert (activity.verified_on, activity.verified_by) == (timezone.localdate(), coordinator)
    assert activity.history.first().history_user == coordinator


def test_new_records_are_updated_and_marked_new(revision, coordinator):
    actor = ActorFactory(name="Nový spolek Benešov")

    item = next(i for i in checklist.build(revision).items if i.label == actor.name)

    assert (item.state, item.new) == (checklist.UPDATED, True)


def test_ending_an_actor_leaves_its_platforms_not_yet_reviewed(revision, coordinator):
    member = PlatformMembership.objects.filter(actor__status="active").first()
    platforms = set(member.actor.memberships.values_list("platform__name", flat=True))
    services.end(kind=compare.ACTOR, ids=[member.actor_id], user=coordinator)

    found = states(revision)

    assert found[(compare.ACTOR, member.actor.name)] == checklist.ENDED
    assert {found[(compare.PLATFORM, name)] for name in platforms} == {checklist.PENDING}


def test_progress_counts_every_active_record(revision, coordinator):
    actor = Actor.objects.active().order_by("pk").first()
    services.verify(kind=compare.ACTOR, ids=[actor.pk], user=coordinator)

    progress = {row["kind"]: row for row in checklist.build(revision).progress()}

    assert progress[compare.ACTOR]["total"] == Actor.objects.active().count()
    assert progress[compare.ACTOR]["done"] == 1
    assert progress[compare.PLATFORM]["total"] == Platform.objects.filter(status="active").count()
    assert progress[compare.ACTIVITY]["total"] == Activity.objects.count()


def test_only_one_revision_per_year_and_one_open(revision, coordinator):
    with pytest.raises(Exception, match="už otevřená"):
        services.open_revision(year=YEAR + 1, user=coordinator)
    services.close_revision(
        revision=revision, user=coordinator, platform=None, discussed_on=timezone.localdate()
    )
    with pytest.raises(Exception, match="už existuje"):
        services.open_revision(year=YEAR, user=coordinator)
    with pytest.raises(Exception, match="už uzavřená"):
        services.close_revision(
            revision=revision, user=coordinator, platform=None, discussed_on=timezone.localdate()
        )


# --- the frozen snapshot -------------------------------------------------------------------


@pytest.fixture
def closed(revision, coordinator) -> Snapshot:
    return services.close_revision(
        revision=revision, user=coordinator, platform=None, discussed_on=timezone.localdate()
    )


def test_a_snapshot_cannot_be_saved_again(closed):
    closed.platform = "Jiná platforma"
    with pytest.raises(FrozenSnapshot):
        closed.save()


def test_a_snapshot_cannot_be_deleted(closed):
    with pytest.raises(FrozenSnapshot):
        closed.delete()
    with pytest.raises(FrozenSnapshot):
        Snapshot.objects.filter(pk=closed.pk).delete()


def test_a_snapshot_cannot_be_updated_through_the_queryset(closed):
    with pytest.raises(FrozenSnapshot):
        Snapshot.objects.filter(pk=closed.pk).update(platform="Jiná platforma")


def test_a_snapshot_cannot_be_bulk_updated(closed):
    closed.platform = "Jiná platforma"
    with pytest.raises(FrozenSnapshot):
        Snapshot.objects.bulk_update([closed], ["platform"])


def test_the_database_refuses_to_update_a_snapshot(closed):
    before = frozen_bytes(closed)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE network_snapshot SET platform = 'x' WHERE id = %s", [closed.pk])
    assert frozen_bytes(closed) == before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's test flush deletes rows, see migration"
)
def test_postgresql_refuses_to_delete_a_snapshot(closed):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM network_snapshot WHERE id = %s", [closed.pk])
    assert Snapshot.objects.filter(pk=closed.pk).exists()


def test_a_closed_revision_cannot_be_changed_or_deleted(closed):
    revision = Revision.objects.get(snapshot=closed)
    revision.platform = Platform.objects.first()
    with pytest.raises(FrozenSnapshot):
        revision.save()
    with pytest.raises(FrozenSnapshot):
        revision.delete()


def test_the_workspace_offers_no_way_to_edit_snapshots(closed, coordinator_client):
    response = coordinator_client.get(f"/admin/network/snapshot/{closed.pk}/change/")
    assert response.status_code == 404
    response = coordinator_client.get(f"/admin/network/revision/{closed.pk}/delete/")
    assert response.status_code == 404


def test_the_frozen_workbook_downloads_identical(closed, coordinator_client):
    ActorFactory(name="Přidaný po uzavření")

    response = coordinator_client.get(reverse("admin:revision_workbook", args=[YEAR]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bytes(closed.workbook)


def test_a_snapshot_of_the_same_network_is_the_same_bytes(demo):
    assert snapshot.encode(today_content()) == snapshot.encode(today_content())


# --- the meeting pack ----------------------------------------------------------------------


def test_meeting_pack_holds_the_templates_and_the_changes(revision, coordinator):
    actor = Actor.objects.active().order_by("pk").first()
    old_phone = actor.phone
    actor.phone = "+420 777 123 456"
    actor.save()

    data, _content = services.meeting_pack(revision, user=coordinator)

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == [
        "Potřeby a činnosti",
        ACTORS,
        "Mezioborové platformy",
        "Číselníky",
        CHANGES,
        "O souboru",
    ]
    rows = list(book[CHANGES].iter_rows(values_only=True))
    assert rows == [
        tuple(CHANGE_HEADERS),
        ("aktér", str(actor.pk), actor.name, "změněno", "Telefon", old_phone, "+420 777 123 456"),
    ]
    about = dict(book["O souboru"].iter_rows(values_only=True))
    assert about["Rok"] == str(YEAR)
    # In Czech whatever the coordinator's language: the pack goes to a Czech meeting.
    assert about["Změny oproti"].startswith(f"stavu při otevření revize {YEAR} (")


def test_meeting_pack_imports_back_with_no_changes(revision, coordinator):
    data, _content = services.meeting_pack(revision, user=coordinator)
    before = database_checksum()

    preview, _ = preview_workbook(data)
    applied = import_workbook(data, user=coordinator)

    assert preview.errors == []
    assert applied.change_count == 0
    assert database_checksum() == before


# --- comparison ----------------------------------------------------------------------------


def test_compare_lists_memberships_needs_and_activities(demo, coordinator):
    old = today_content()
    platform = Platform.objects.filter(status=Platform.Status.ACTIVE).order_by("pk").first()
    outsider = Actor.objects.active().exclude(memberships__platform=platform).order_by("pk").first()
    membership = PlatformMembershipFactory(platform=platform, actor=outsider)
    first_activity = Activity.objects.select_related("need__area").order_by("pk").first()
    new_activity = ActivityFactory(need=first_activity.need, name="Nová činnost pro rodiny")
    FulfilmentSignFactory(need=first_activity.need, text="Dítě má kam se vrátit.", order=99)
    Platform.objects.filter(pk=platform.pk).update(status=Platform.Status.ENDED)

    changes = summary(compare.compare(old, today_content()))

    need_key = f"{first_activity.need.area.name} / {first_activity.need.name}"
    assert (
        compare.MEMBERSHIP,
        f"{platform.name} – {outsider.name}",
        compare.ADDED,
        "",
        "",
        "",
    ) in changes
    assert (
        compare.ACTIVITY,
        f"{need_key} / {new_activity.name}",
        compare.ADDED,
        "",
        "",
        "",
    ) in changes
    ended = {(c[0], c[1], c[2], c[3]) for c in changes if c[0] == compare.PLATFORM}
    assert ended == {(compare.PLATFORM, platform.name, compare.ENDED, "Stav")}
    need_changes = [c for c in changes if c[0] == compare.NEED]
    assert [(c[1], c[3]) for c in need_changes] == [(need_key, "Naplňování potřeby")]
    assert need_changes[0][5].endswith("Dítě má kam se vrátit.")
    assert membership.role == PlatformMembership.Role.MEMBER


def test_compare_of_the_same_content_is_empty(demo):
    content = today_content()
    assert compare.compare(content, content) == []


def test_comparing_two_snapshots_takes_two_queries(
    revision, coordinator, django_assert_num_queries
):
    frozen = services.close_revision(
        revision=revision, user=coordinator, platform=None, discussed_on=timezone.localdate()
    )
    # The two snapshots' rows; the comparison itself is in memory.
    with django_assert_num_queries(2):
        old = Snapshot.objects.get(pk=revision.baseline_id).content()
        new = Snapshot.objects.get(pk=frozen.pk).content()
        assert compare.compare(old, new) == []


# --- review fixes: privacy of the pack, renames, closed revisions, platforms ended ------------


def test_meeting_pack_shares_no_private_note_nor_its_change(revision, coordinator):
    actor = Actor.objects.active().order_by("pk").first()
    NoteFactory(actor=actor, text="TAJNÉ interní", visibility=Note.Visibility.PRIVATE)
    secret = CharacteristicFactory(name="Jen pro koordinátora", visibility=Visibility.COORDINATOR)
    CharacteristicValueFactory(actor=actor, characteristic=secret, text="TAJNÝ znak")

    data, content = services.meeting_pack(revision, user=coordinator)

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert not [cell for cell in cells if "TAJN" in cell]
    assert "Soukromá poznámka" not in cells and "Jen pro koordinátora" not in cells
    # The frozen content keeps them for the coordinator's comparisons.
    assert "TAJNÉ interní" in str(content) and "TAJNÝ znak" in str(content)


def test_meeting_pack_does_not_read_out_a_note_made_private_since(demo, coordinator):
    actor = Actor.objects.active().order_by("pk").first()
    actor.notes.all().delete()
    note = NoteFactory(actor=actor, text="DŘÍVE sdílené", visibility=Note.Visibility.SHARED)
    NoteFactory(actor=actor, text="Zůstává sdílená", visibility=Note.Visibility.SHARED)
    revision = services.open_revision(year=YEAR, user=coordinator)  # its baseline has both
    Note.objects.filter(pk=note.pk).update(visibility=Note.Visibility.PRIVATE)
    NoteFactory(actor=actor, text="Nová sdílená", visibility=Note.Visibility.SHARED)

    data, _content = services.meeting_pack(revision, user=coordinator)

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)[CHANGES].values)
    cells = [str(value) for row in rows for value in row if value is not None]
    assert not [cell for cell in cells if "DŘÍVE" in cell]
    # The change of the shared notes itself is still there, with what stays shared.
    assert [cell for cell in cells if "Nová sdílená" in cell]
    assert [cell for cell in cells if cell == "Zůstává sdílená"]


def test_meeting_pack_does_not_read_out_values_of_a_characteristic_shared_since(demo, coordinator):
    first, second = Actor.objects.active().order_by("pk")[:2]
    works = CharacteristicFactory(name="Spolupráce s OSPOD", visibility=Visibility.COORDINATOR)
    CharacteristicValueFactory(actor=first, characteristic=works, text="DŘÍVE jen koordinátor")
    CharacteristicValueFactory(actor=second, characteristic=works, text="TAKÉ jen koordinátor")
    revision = services.open_revision(year=YEAR, user=coordinator)  # its baseline has both
    works.visibility = Visibility.CASE_MANAGERS
    works.save()
    CharacteristicValue.objects.filter(actor=first, characteristic=works).update(
        text="Sdílené nyní"
    )
    CharacteristicValue.objects.filter(actor=second, characteristic=works).delete()

    data, _content = services.meeting_pack(revision, user=coordinator)

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)[CHANGES].values)
    found = [row for row in rows if "Spolupráce s OSPOD" in row]
    assert len(found) == 1
    assert "Sdílené nyní" in found[0]
    cells = [str(value) for row in rows for value in row if value is not None]
    assert [cell for cell in cells if "koordinátor" in cell] == []


def test_meeting_pack_reads_no_private_value_out_under_a_name_passed_on(demo, coordinator):
    """A coordinator-only characteristic renamed, and a shared one given its old name: the
    snapshot's column of that name held the private values."""
    actor = Actor.objects.active().order_by("pk").first()
    secret = CharacteristicFactory(name="Kapacita", visibility=Visibility.COORDINATOR)
    shared = CharacteristicFactory(name="Spolupráce", visibility=Visibility.CASE_MANAGERS)
    CharacteristicValueFactory(actor=actor, characteristic=secret, text="TAJNÁ kapacita")
    CharacteristicValueFactory(actor=actor, characteristic=shared, text="sdílená")
    revision = services.open_revision(year=YEAR, user=coordinator)
    secret.name = "Stará kapacita"
    secret.save()
    shared.name = "Kapacita"
    shared.save()

    data, _content = services.meeting_pack(revision, user=coordinator)

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)[CHANGES].values)
    cells = [str(value) for row in rows for value in row if value is not None]
    assert [cell for cell in cells if "TAJN" in cell] == []
    assert [cell for cell in cells if cell == "sdílená"]


def test_importing_the_shared_pack_keeps_private_notes(revision, coordinator):
    actor = Actor.objects.active().order_by("pk").first()
    NoteFactory(actor=actor, text="TAJNÉ interní", visibility=Note.Visibility.PRIVATE)
    data, _content = services.meeting_pack(revision, user=coordinator)

    applied = import_workbook(data, user=coordinator)

    assert applied.change_count == 0
    assert actor.notes.filter(text="TAJNÉ interní").exists()


def test_renaming_an_actor_changes_only_the_actor(demo):
    old = today_content()
    actor = Actor.objects.active().filter(memberships__role="coordinator").order_by("pk").first()
    old_name = actor.name
    actor.name = "Přejmenovaný aktér"
    actor.save()

    changes = summary(compare.compare(old, today_content()))

    assert changes == {
        (compare.ACTOR, "Přejmenovaný aktér", compare.CHANGED, "Název aktéra", old_name, actor.name)
    }


def test_renaming_an_activity_is_a_change_not_an_end(revision, coordinator):
    activity = Activity.objects.select_related("need__area").order_by("pk").first()
    total = Activity.objects.count()
    old_name = activity.name
    activity.name = "Přejmenovaná činnost"
    activity.save()

    built = checklist.build(revision)

    need = f"{activity.need.area.name} / {activity.need.name}"
    assert summary(built.changes) == {
        (
            compare.ACTIVITY,
            f"{need} / Přejmenovaná činnost",
            compare.CHANGED,
            "Činnost",
            f"{need} / {old_name}",
            f"{need} / Přejmenovaná činnost",
        )
    }
    activities = [i for i in built.items if i.kind == compare.ACTIVITY]
    assert len(activities) == total
    assert {i.state for i in activities if i.pk == activity.pk} == {checklist.UPDATED}


def test_a_closed_revision_cannot_be_changed_through_the_queryset(closed):
    revisions = Revision.objects.filter(snapshot=closed)
    with pytest.raises(FrozenSnapshot):
        revisions.update(status=Revision.Status.OPEN, snapshot=None)
    with pytest.raises(FrozenSnapshot):
        revisions.delete()


def test_the_database_refuses_to_reopen_a_closed_revision(closed):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE network_revision SET status = 'open', snapshot_id = NULL")
    assert Revision.objects.get(snapshot=closed).status == Revision.Status.CLOSED


def test_deleting_the_platform_or_user_of_a_closed_revision_is_refused(revision, coordinator):
    platform = Platform.objects.order_by("pk").first()
    services.close_revision(
        revision=revision, user=coordinator, platform=platform, discussed_on=timezone.localdate()
    )
    with pytest.raises(ProtectedError):
        platform.delete()
    with pytest.raises(ProtectedError):
        coordinator.delete()


def test_ending_a_platform_in_the_revision_records_its_last_year(revision, coordinator):
    platform = Platform.objects.filter(status=Platform.Status.ACTIVE).order_by("pk").first()

    services.end(kind=compare.PLATFORM, ids=[platform.pk], user=coordinator)

    platform.refresh_from_db()
    assert (platform.status, platform.until_year) == (
        Platform.Status.ENDED,
        max(platform.since_year or 0, timezone.localdate().year),
    )


def test_no_revision_opens_before_a_later_closed_one(closed, coordinator):
    with pytest.raises(ValidationError, match="pozdějšího roku"):
        services.open_revision(year=YEAR - 1, user=coordinator)


def test_an_imported_verification_date_is_verified_by_the_importer(revision, coordinator):
    data, _content = services.meeting_pack(revision, user=coordinator)
    book = openpyxl.load_workbook(io.BytesIO(data))
    actors = list(Actor.objects.active().order_by("pk")[:2])
    confirmed, untouched = actors
    before = (untouched.verified_on, untouched.verified_by_id)
    assert confirmed.verified_on != timezone.localdate()
    set_cell(book[ACTORS], confirmed.name, "Aktualizováno", timezone.localdate())

    import_workbook(saved(book), user=coordinator)

    confirmed.refresh_from_db()
    untouched.refresh_from_db()
    assert (confirmed.verified_on, confirmed.verified_by) == (timezone.localdate(), coordinator)
    assert (untouched.verified_on, untouched.verified_by_id) == before
    assert states(revision)[compare.ACTOR, confirmed.name] == checklist.VERIFIED


def test_a_platform_ended_before_its_label_agreed_with_platforma_is_no_change(db):
    """Snapshots taken before wrote an ended platform's `Stav` as an actor's ("ukončený")."""
    import copy

    PlatformFactory(name="Stará platforma", status=Platform.Status.ENDED, until_year=2024)
    new = today_content()
    old = copy.deepcopy(new)
    sheet = old["sheets"]["Mezioborové platformy"]
    status, name = sheet["headers"].index("Stav"), sheet["headers"].index("Název platformy")
    (row,) = [row for row in sheet["rows"] if row[name] == "Stará platforma"]
    assert row[status] == "ukončená"
    row[status] = "ukončený"

    assert compare.compare(old, new) == []
