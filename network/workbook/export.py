"""The annual workbook of the three SPOD3 templates, written in the contract's layout.

DOMAIN.md §3 fixes the sheets and columns; each template sheet's rows come from its app's
django-import-export resource (`sheet_rows`, a constant number of queries), and xlsxwriter
writes them row by row (constant memory), styled for people: frozen header, autofilter,
column widths, wrapped text, drop-downs from `Číselníky`, and `O souboru`.
"""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.utils import timezone, translation
from import_export.formats import base_formats

from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    Founder,
    LifeSituation,
    Municipality,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
    Topic,
)
from actors.resources import SHEET as ACTORS
from actors.resources import NeedActivityResource
from needs.models import Focus, Need, NeedArea
from needs.resources import SHEET as NEEDS
from needs.resources import labels
from platforms.models import ParticipantGroup, Platform, PlatformMembership, PlatformType
from platforms.resources import SHEET as PLATFORMS
from platforms.resources import NetworkActorResource, PlatformResource

TEMPLATE_SHEETS = (NEEDS, ACTORS, PLATFORMS)
VOCABULARIES = "Číselníky"
ABOUT = "O souboru"
YES_NO = ["ano", "ne"]

# Text that a spreadsheet would run as a formula (or DDE) if typed (BAD-INPUTS.md 31).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

WIDE, MEDIUM, NARROW = 42, 24, 10
WIDTHS = {
    "ID": 7, "Věk od": NARROW, "Věk do": NARROW, "On-line": NARROW, "Krizová síť": NARROW,
    "IČO": 11, "Aktualizováno": 14, "Stav": NARROW, "Zaměření": 16, "Zaměření činnosti": 16,
    "Název aktéra": WIDE, "Název platformy": WIDE, "Potřeba": 32, "Činnost": WIDE,
    "Naplňování potřeby": WIDE, "Rizika nenaplnění": WIDE, "Kontaktní osoby": WIDE,
    "Poznámka": WIDE, "Soukromá poznámka": WIDE, "Cíle": WIDE, "Zhodnocení efektivity": WIDE,
    "Výstupy ze setkání": WIDE, "Praxe v lokalitě": WIDE, "Složení účastníků": WIDE,
    "Co aktér potřebuje od ostatních": WIDE, "Provozní doba": 28,
}  # fmt: skip


@dataclass
class Vocabulary:
    """A column of `Číselníky`; `strict` lists refuse other values in Excel, others warn."""

    title: str
    values: list[str]
    strict: bool = False
    column: int = 0


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: Iterable[list]
    # Header -> the vocabulary offered as a drop-down in that column.
    drop_downs: dict[str, str] = field(default_factory=dict)


def workbook_filename(year: int | None = None) -> str:
    year = year or timezone.localdate().year
    return f"Plán sítě – ORP {settings.NETWORK_ORP_NAME} – {year}.xlsx"


def vocabularies(characteristics: list[Characteristic]) -> dict[str, Vocabulary]:
    """Allowed values of the enumerated columns, in Czech, by title."""

    def names(model) -> list[str]:
        return list(model.objects.order_by("order", "name").values_list("name", flat=True))

    found = [
        Vocabulary("Oblast potřeb", [a.name for a in NeedArea.objects.all()], strict=True),
        Vocabulary("Zaměření", list(labels(Focus).values()), strict=True),
        Vocabulary("Ano / ne", YES_NO, strict=True),
        Vocabulary("Typ aktéra", names(ActorType)),
        Vocabulary("Druh služby", names(SocialServiceKind)),
        Vocabulary("Zřizovatel", list(labels(Founder).values()), strict=True),
        Vocabulary("Resort", names(Resort)),
        Vocabulary("Cílové skupiny", names(TargetGroup)),
        Vocabulary("Životní situace", names(LifeSituation)),
        Vocabulary("Obec", names(Municipality)),
        Vocabulary("Územní působnost", list(labels(Actor.TerritorialScope).values())),
        Vocabulary("Forma poskytování", names(ServiceForm)),
        Vocabulary("Naplněnost kapacity", list(labels(Actor.Capacity).values())),
        Vocabulary(
            "Typ platformy", list(PlatformType.objects.values_list("name", flat=True)), True
        ),
        Vocabulary(
            "Frekvence setkávání",
            [*labels(Platform.Regularity).values(), *labels(Platform.Interval).values()],
        ),
        Vocabulary("Role v platformě", list(labels(PlatformMembership.Role).values())),
        Vocabulary("Další účastníci", names(ParticipantGroup)),
        Vocabulary("Témata", names(Topic)),
        Vocabulary("Stav platformy", list(labels(Platform.Status).values()), strict=True),
    ]
    for characteristic in characteristics:
        if characteristic.kind in (Characteristic.Kind.CHOICE, Characteristic.Kind.MULTICHOICE):
            found.append(
                Vocabulary(characteristic.name, [o.name for o in characteristic.options.all()])
            )
    for column, vocabulary in enumerate(found):
        vocabulary.column = column
    return {vocabulary.title: vocabulary for vocabulary in found}


def template_sheets(include_private: bool, only: Iterable[str] | None = None):
    """The three template sheets (or the named ones) and the resources' characteristics."""
    wanted = set(only or TEMPLATE_SHEETS)
    actors = NetworkActorResource(include_private=include_private)
    sheets = []
    if NEEDS in wanted:
        resource = NeedActivityResource()
        sheets.append(
            Sheet(
                NEEDS,
                resource.get_export_headers(),
                resource.sheet_rows(Need.objects.all()),
                {"Oblast potřeb": "Oblast potřeb", "Zaměření činnosti": "Zaměření"},
            )
        )
    if ACTORS in wanted:
        drop_downs = {
            "Typ aktéra": "Typ aktéra",
            "Zřizovatel": "Zřizovatel",
            "Obec": "Obec",
            "On-line": "Ano / ne",
            "Primární oblast potřeb": "Oblast potřeb",
            "Zaměření": "Zaměření",
            "Krizová síť": "Ano / ne",
        }
        for characteristic in actors.characteristics:
            if characteristic.kind == Characteristic.Kind.BOOLEAN:
                drop_downs[characteristic.name] = "Ano / ne"
            elif characteristic.kind == Characteristic.Kind.CHOICE:
                drop_downs[characteristic.name] = characteristic.name
        sheets.append(
            Sheet(
                ACTORS,
                actors.get_export_headers(),
                actors.sheet_rows(actors.get_queryset()),
                drop_downs,
            )
        )
    if PLATFORMS in wanted:
        resource = PlatformResource()
        sheets.append(
            Sheet(
                PLATFORMS,
                resource.get_export_headers(),
                resource.sheet_rows(Platform.objects.all()),
                {"Typ platformy": "Typ platformy", "Stav": "Stav platformy"},
            )
        )
    return sheets, actors.characteristics


def inert(value: str) -> bool:
    """Whether a spreadsheet would read the text as a formula when typed."""
    return value.startswith(FORMULA_STARTS)


class WorkbookWriter:
    """Writes sheets with xlsxwriter; every text is a text cell, never a formula."""

    def __init__(self, output):
        self.book = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.book.set_properties({"title": "Plán sítě", "comments": "Mapa sítě"})
        base = {"text_wrap": True, "valign": "top", "font_size": 10}
        self.header = self.book.add_format(
            {**base, "bold": True, "bg_color": "#DCE6F1", "border": 1}
        )
        self.text = self.book.add_format(base)
        # quote_prefix: shown and kept as typed text even if edited (no formula, no DDE).
        self.quoted = self.book.add_format({**base, "quote_prefix": True})
        self.date = self.book.add_format({**base, "num_format": "d. m. yyyy"})
        self.count = 0

    def write_sheet(self, sheet: Sheet, vocabularies: dict[str, Vocabulary]) -> int:
        worksheet = self.book.add_worksheet(sheet.name)
        for column, header in enumerate(sheet.headers):
            worksheet.set_column(column, column, WIDTHS.get(header, MEDIUM))
            worksheet.write_string(0, column, header, self.header)
        worksheet.freeze_panes(1, 0)
        last = 0
        for last, row in enumerate(sheet.rows, start=1):
            self.write_row(worksheet, last, row)
        worksheet.autofilter(0, 0, max(last, 1), len(sheet.headers) - 1)
        for column, header in enumerate(sheet.headers):
            vocabulary = vocabularies.get(sheet.drop_downs.get(header, ""))
            if vocabulary is None or not vocabulary.values:
                continue
            letter = xlsxwriter.utility.xl_col_to_name(vocabulary.column)
            cells = f"${letter}$2:${letter}${len(vocabulary.values) + 1}"
            worksheet.data_validation(
                1,
                column,
                max(last, 1) + 1000,
                column,
                {
                    "validate": "list",
                    "source": f"='{VOCABULARIES}'!{cells}",
                    "error_type": "stop" if vocabulary.strict else "warning",
                    "error_title": "Hodnota mimo číselník",
                    "error_message": (
                        f"Vyberte hodnotu z listu {VOCABULARIES}, sloupec „{vocabulary.title}“."
                    ),
                },
            )
        return last

    def write_row(self, worksheet, index: int, row: list) -> None:
        # xlsxwriter's undecorated writers (the public ones only first try to read the row as
        # "A1" notation): a tenth of the writing time of a large sheet.
        string = worksheet._write_string
        text, quoted = self.text, self.quoted
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                string(index, column, value, quoted if value.startswith(FORMULA_STARTS) else text)
            elif isinstance(value, bool):
                string(index, column, "ano" if value else "ne", text)
            elif isinstance(value, datetime.date):
                worksheet._write_datetime(index, column, value, self.date)
            else:
                worksheet._write_number(index, column, value, text)

    def write_vocabularies(self, vocabularies: dict[str, Vocabulary]) -> None:
        worksheet = self.book.add_worksheet(VOCABULARIES)
        for vocabulary in vocabularies.values():
            column = vocabulary.column
            worksheet.set_column(column, column, MEDIUM)
        worksheet.freeze_panes(1, 0)
        # Row by row (constant memory): the lists side by side, one value per row.
        depth = max((len(v.values) for v in vocabularies.values()), default=0)
        worksheet.write_row(0, 0, [v.title for v in vocabularies.values()], self.header)
        for index in range(depth):
            for vocabulary in vocabularies.values():
                if index < len(vocabulary.values):
                    value = vocabulary.values[index]
                    worksheet.write_string(
                        index + 1,
                        vocabulary.column,
                        value,
                        self.quoted if inert(value) else self.text,
                    )

    def write_about(self, rows: list[tuple[str, str]], name: str = ABOUT) -> None:
        worksheet = self.book.add_worksheet(name)
        worksheet.set_column(0, 0, 28)
        worksheet.set_column(1, 1, 90)
        for index, (key, value) in enumerate(rows):
            worksheet.write_string(index, 0, key, self.header)
            worksheet.write_string(index, 1, value, self.quoted if inert(value) else self.text)

    def close(self) -> None:
        self.book.close()


def rows_text(count: int) -> str:
    """`1 řádek`, `3 řádky`, `5 řádků`: the sheet is Czech whatever the reader's language."""
    if count == 1:
        return "1 řádek"
    if 2 <= count <= 4:
        return f"{count} řádky"
    return f"{count} řádků"


def about_rows(
    *, user, counts: dict[str, int], include_private: bool, year: int | None = None
) -> list[tuple[str, str]]:
    """The sheet `O souboru`: the network, the year, when and by whom, what the file holds."""
    now = timezone.localtime()
    if user is not None:
        by = user.get_full_name() or user.get_username()
    else:
        by = "správce aplikace (příkazem export_workbook)"
    return [
        ("ORP", settings.NETWORK_ORP_NAME),
        ("Kraj", settings.NETWORK_REGION_NAME),
        ("Rok", str(year or now.year)),
        ("Exportováno", f"{now.day}. {now.month}. {now.year} {now:%H:%M}"),
        ("Exportoval(a)", by),
        ("Listy", "; ".join(f"{name} ({rows_text(count)})" for name, count in counts.items())),
        (
            "Soukromé údaje",
            "ano: soukromé poznámky a znaky jen pro koordinátora, soubor nesdílejte"
            if include_private
            else "ne",
        ),
        (
            "Jak vyplňovat",
            "Více hodnot v jedné buňce oddělujte středníkem nebo novým řádkem. "
            "Ano/ne pište jako „ano“ a „ne“, data jako 1. 2. 2026. "
            "Sloupec ID neměňte: podle něj se řádek při importu spáruje se záznamem. "
            "Nové řádky nechte bez ID. Povolené hodnoty jsou na listu Číselníky.",
        ),
    ]


def export_workbook(
    output, *, user=None, include_private: bool = True, sheets: Iterable[str] | None = None
) -> dict[str, int]:
    """Write the workbook (or only the named template sheets) to a path or a binary stream.

    Returns the number of data rows per template sheet.
    """
    with translation.override("cs"):
        template, characteristics = template_sheets(include_private, sheets)
        lists = vocabularies(characteristics)
        writer = WorkbookWriter(output)
        counts = {sheet.name: writer.write_sheet(sheet, lists) for sheet in template}
        writer.write_vocabularies(lists)
        writer.write_about(about_rows(user=user, counts=counts, include_private=include_private))
        writer.close()
    return counts


class InertXLSX(base_formats.XLSX):
    """django-import-export's xlsx format, written by `WorkbookWriter`.

    tablib writes through openpyxl, which stores text starting with `=` as a formula; its
    escape option drops the `=` instead. Here text stays text, exactly as stored.
    """

    def export_data(self, dataset, **kwargs) -> bytes:
        stream = io.BytesIO()
        writer = WorkbookWriter(stream)
        rows = (list(row) for row in dataset)
        writer.write_sheet(Sheet(dataset.title or ACTORS, list(dataset.headers), rows), {})
        writer.close()
        return stream.getvalue()
