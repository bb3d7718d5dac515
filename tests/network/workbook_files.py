"""Workbooks for the import tests: the application's own export, then edited as people do."""

import hashlib
import io

import openpyxl
from django.apps import apps

from network.workbook.export import export_workbook

ACTORS = "Aktéři sítě"


def exported_book(**kwargs) -> openpyxl.Workbook:
    stream = io.BytesIO()
    export_workbook(stream, **kwargs)
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()))


def saved(book: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def columns(sheet, header_row: int = 1) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[header_row] if cell.value}


def row_of(sheet, name: str, header_row: int = 1) -> int:
    name_column = columns(sheet, header_row)["Název aktéra"]
    for row in range(header_row + 1, sheet.max_row + 1):
        if sheet.cell(row, name_column).value == name:
            return row
    raise LookupError(name)


def set_cell(sheet, name: str, header: str, value) -> None:
    sheet.cell(row_of(sheet, name), columns(sheet)[header]).value = value


def database_checksum() -> str:
    """A digest of every row of our apps' tables (history included)."""
    digest = hashlib.sha256()
    for label in ("needs", "actors", "platforms"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            for row in model._base_manager.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def actor_added_meanwhile(monkeypatch, name: str) -> None:
    """While the import writes, someone adds the actor `name` in the admin (which takes no
    import lock): just before the import writes its organisations."""
    from network.workbook import actor_writes
    from tests.factories import ActorFactory

    organisations = actor_writes._organisations

    def meanwhile(plan):
        ActorFactory(name=name)
        return organisations(plan)

    monkeypatch.setattr(actor_writes, "_organisations", meanwhile)
