"""The workbook import on the demo network: round trip, a person's edits, a hand-messed file.

These tests share the demo network loaded once for the module.
"""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actors.models import Actor
from network.workbook.importer import import_workbook, preview_workbook
from platforms.models import Platform
from tests.network.workbook_files import ACTORS, database_checksum, exported_book, saved, set_cell


def changes(preview) -> dict[str, list[tuple[str, str, str]]]:
    return {row.name: row.changes for row in preview.actors.changed}


def test_demo_network_round_trip_changes_nothing(demo, coordinator):
    data = saved(exported_book())
    before = database_checksum()

    preview, _ = preview_workbook(data)
    applied = import_workbook(data, user=coordinator)

    assert preview.errors == []
    assert (len(preview.actors.added), len(preview.actors.changed)) == (0, 0)
    assert preview.actors.unchanged == Actor.objects.active().count()
    assert preview.actors.missing == []
    assert (len(preview.platforms.added), len(preview.platforms.changed)) == (0, 0)
    assert preview.platforms.unchanged == Platform.objects.count()
    assert applied.change_count == 0
    assert database_checksum() == before


def test_edited_cells_are_exactly_the_changes(demo, coordinator):
    book = exported_book()
    sheet = book[ACTORS]
    active = Actor.objects.active().order_by("pk")
    first = active.first().name
    second = active.filter(crisis_network=False).exclude(name=first).first().name
    third = (
        active.exclude(primary_need_area__code="MATERIALNI_ZAJISTENI")
        .exclude(name__in=[first, second])
        .first()
        .name
    )
    set_cell(sheet, first, "Telefon", "+420 111 222 333")
    set_cell(sheet, second, "Krizová síť", "x")
    set_cell(sheet, third, "Primární oblast potřeb", "materialni zajisteni")
    data = saved(book)

    preview, _ = preview_workbook(data)
    assert preview.errors == []
    assert changes(preview) == {
        first: [("Telefon", Actor.objects.get(name=first).phone, "+420 111 222 333")],
        second: [("Krizová síť", "ne", "ano")],
        third: [
            (
                "Primární oblast potřeb",
                Actor.objects.get(name=third).primary_need_area.name,
                "MATERIÁLNÍ ZAJIŠTĚNÍ",
            )
        ],
    }

    import_workbook(data, user=coordinator)

    assert Actor.objects.get(name=first).phone == "+420 111 222 333"
    assert Actor.objects.get(name=second).crisis_network is True
    assert Actor.objects.get(name=third).primary_need_area.code == "MATERIALNI_ZAJISTENI"
    assert Actor.objects.get(name=first).history.first().history_user == coordinator
    again, _ = preview_workbook(data)
    assert again.change_count == 0


def test_hand_messed_workbook_reads_as_the_clean_export(demo):
    clean = exported_book()[ACTORS]
    messy = openpyxl.Workbook()
    sheet = messy.active
    sheet.title = "aktéři  sítě "
    sheet["A1"] = "Plán sítě ORP Hradiště – aktéři (revize 2026)"
    sheet["A2"] = "Vyplňte prosím do konce března."
    headers = [cell.value for cell in clean[1]]
    order = list(reversed(range(len(headers))))
    for position, index in enumerate(order, start=1):
        header = headers[index]
        sheet.cell(4, position).value = {
            "Název aktéra": " NÁZEV  AKTÉRA ",
            "Primární oblast potřeb": "primarni oblast potreb",
            "E-mail": "Email",
        }.get(header, header.upper())
    for row in range(2, clean.max_row + 1):
        for position, index in enumerate(order, start=1):
            value = clean.cell(row, index + 1).value
            if isinstance(value, str) and headers[index] == "Název aktéra":
                value = f"  {value}\u00a0"
            sheet.cell(row + 3, position).value = value
    preview, _ = preview_workbook(saved(messy))

    assert preview.errors == []
    assert preview.change_count == 0
    assert preview.actors.unchanged == Actor.objects.active().count()


def test_import_command_prints_the_preview_and_exit_codes(demo, tmp_path):
    path = tmp_path / "sesit.xlsx"
    path.write_bytes(saved(exported_book()))
    out = io.StringIO()
    call_command("import_workbook", str(path), "--dry-run", stdout=out)
    assert "0 new, 0 changed" in out.getvalue()

    path.write_bytes(b"ID;Nazev\n1;Poradna\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Refused"):
        call_command("import_workbook", str(path), stdout=out)
    assert "vypadá jako text nebo CSV" in out.getvalue()
