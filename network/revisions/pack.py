"""The revision's meeting pack: the annual workbook with the sheet `Změny` (DOMAIN.md §3)."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from ..models import Snapshot
from ..workbook.export import WIDE, WorkbookWriter, about_rows, vocabularies
from .compare import Change

CHANGES = "Změny"
CHANGE_HEADERS = ["Záznam", "ID / klíč", "Název", "Změna", "Pole", "Dříve", "Nyní"]
CHANGE_WIDTHS = [18, 14, WIDE, 10, 24, WIDE, WIDE]


def since_label(since: Snapshot) -> str:
    """What the changes are counted from, in the active language, to follow "Changes
    compared with" (in Czech the dative: "oproti stavu při otevření revize …")."""
    when = formats.date_format(timezone.localtime(since.taken_at), "DATE_FORMAT")
    if since.kind == Snapshot.Kind.CLOSED:
        return gettext("the closed revision %(year)s (%(date)s)") % {
            "year": since.year,
            "date": when,
        }
    return gettext("the state when the revision %(year)s was opened (%(date)s)") % {
        "year": since.year,
        "date": when,
    }


def write(
    output,
    *,
    sheets,
    characteristics,
    changes: list[Change],
    year: int,
    since: Snapshot,
    platform: str,
    user,
) -> None:
    """Write the template sheets, `Číselníky`, `Změny` and `O souboru` to `output`."""
    with translation.override("cs"):
        lists = vocabularies(characteristics)
        writer = WorkbookWriter(output)
        counts = {sheet.name: writer.write_sheet(sheet, lists) for sheet in sheets}
        writer.write_vocabularies(lists)
        write_changes(writer, changes)
        rows = about_rows(user=user, counts=counts, include_private=False, year=year)
        rows[3:3] = [
            ("Revize", f"revize šablon {year}"),
            ("Projednává platforma", platform or "–"),
            ("Změny oproti", since_label(since)),
            ("Počet změn", str(len(changes))),
        ]
        rows.append(("List Změny", "Jen pro čtení: při importu sešitu se nečte."))
        writer.write_about(rows)
        writer.close()


def write_changes(writer: WorkbookWriter, changes: list[Change]) -> None:
    worksheet = writer.book.add_worksheet(CHANGES)
    for column, (header, width) in enumerate(zip(CHANGE_HEADERS, CHANGE_WIDTHS, strict=True)):
        worksheet.set_column(column, column, width)
        worksheet.write_string(0, column, header, writer.header)
    worksheet.freeze_panes(1, 0)
    for index, change in enumerate(changes, start=1):
        writer.write_row(worksheet, index, change_row(change))
    worksheet.autofilter(0, 0, max(len(changes), 1), len(CHANGE_HEADERS) - 1)


def change_row(change: Change) -> list[str]:
    return [
        change.kind_label,
        change.key,
        change.label,
        change.action_label,
        change.field,
        change.old,
        change.new,
    ]
