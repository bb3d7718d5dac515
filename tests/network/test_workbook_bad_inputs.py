"""The bad-input corpus of the workbook import (../shared/BAD-INPUTS.md, cases 1-30, and more).

Every case is built here (openpyxl, xlsxwriter, zipfile, raw bytes), imported, and either
refused with its Czech message or accepted as the contract says. A checksum of the database
is the same before and after every refused case. `make benchmark` prints each case's time and
Python peak memory (tracemalloc; the Rust parser's own memory is not counted there).
"""

import datetime
import io
import re
import stat
import time
import tracemalloc
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.db import transaction

from actors.models import Actor, Characteristic, Organisation
from needs.resources import SHEET as NEEDS
from network.workbook.importer import import_workbook, preview_workbook
from platforms.resources import SHEET as PLATFORMS
from tests.factories import (
    ActorFactory,
    CharacteristicFactory,
    CharacteristicValueFactory,
    OrganisationFactory,
    PlatformFactory,
    TargetGroupFactory,
)
from tests.network.workbook_files import (
    ACTORS,
    columns,
    database_checksum,
    exported_book,
    saved,
    set_cell,
)


@pytest.fixture
def network(db):
    """A small network: two actors, one in an organisation, a number characteristic."""
    organisation = OrganisationFactory(name="Magdaléna, o.p.s.", ico="00064581")
    ActorFactory(name="Poradna Magdaléna", organisation=organisation)
    actor = ActorFactory(name="Škola Lipová")
    actor.target_groups.add(TargetGroupFactory(name="děti"))
    TargetGroupFactory(name="rodiče")
    staff = CharacteristicFactory(name="Úvazky", kind=Characteristic.Kind.NUMBER)
    CharacteristicValueFactory(actor=actor, characteristic=staff, text=None, number=2)


def clean_bytes() -> bytes:
    return saved(exported_book())


def rezip(data: bytes, replace=None, add=(), drop=()) -> bytes:
    """The zip with some parts replaced (name -> bytes or a function of the bytes)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info.filename)
            change = replace.get(info.filename)
            if change is not None:
                content = change(content) if callable(change) else change
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
        for info, content in add:
            target.writestr(info, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def forge_size(data: bytes, name: str, size: int) -> bytes:
    """Declare another uncompressed size for a part in the zip's central directory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    encoded = name.encode()
    at = data.rfind(b"PK\x01\x02", 0, data.rindex(encoded))
    assert data[at + 46 : at + 46 + len(encoded)] == encoded
    assert int.from_bytes(data[at + 24 : at + 28], "little") == info.file_size
    return data[: at + 24] + size.to_bytes(4, "little") + data[at + 28 :]


def sheet_part(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rel = re.search(r'<sheet [^>]*name="Aktéři sítě"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'Id="{rel}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rel}"', rels)
    path = target.group(1) or target.group(2)
    return path.lstrip("/") if path.startswith("/") else f"xl/{path}"


def book_with(edit) -> bytes:
    book = exported_book()
    edit(book)
    return saved(book)


def edit_actor(name: str, header: str, value):
    return lambda book: set_cell(book[ACTORS], name, header, value)


def new_row(**cells):
    def edit(book):
        sheet = book[ACTORS]
        row = sheet.max_row + 1
        for header, value in cells.items():
            sheet.cell(row, columns(sheet)[header]).value = value

    return edit


def actors_only(rows: list[list], headers=("Název aktéra", "Primární oblast potřeb")) -> bytes:
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"constant_memory": True})
    sheet = book.add_worksheet(ACTORS)
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return stream.getvalue()


# Cases --------------------------------------------------------------------------------------


def empty_file():
    return b""


def truncated():
    data = clean_bytes()
    return data[: int(len(data) * 0.6)]


def csv_renamed():
    return "ID;Název aktéra\n1;Poradna\n".encode()


def legacy_xls():
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000 + "Workbook".encode("utf-16-le")


def encrypted():
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 2000
        + "EncryptionInfo".encode("utf-16-le")
        + "EncryptedPackage".encode("utf-16-le")
    )


def html_table():
    return b"<html><body><table><tr><td>Poradna</td></tr></table></body></html>"


def with_macros():
    return rezip(
        book_with(edit_actor("Škola Lipová", "Telefon", "123")),
        add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")],
    )


def strict_open_xml():
    return rezip(
        clean_bytes(),
        replace={
            "xl/workbook.xml": lambda c: c.replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            )
        },
    )


def path_traversal():
    return rezip(clean_bytes(), add=[("../../evil", b"x")])


def symlink_entry():
    info = zipfile.ZipInfo("xl/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return rezip(clean_bytes(), add=[(info, b"/etc/passwd")])


def duplicate_entries():
    data = clean_bytes()
    out = io.BytesIO(data)
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    return out.getvalue()


def zip_bomb():
    data = clean_bytes()
    part = sheet_part(data)
    return rezip(data, replace={part: lambda c: c + b" " * (60 * 1024 * 1024)})


def declared_bomb():
    data = clean_bytes()
    return forge_size(data, sheet_part(data), 1_000_000_000)


def shared_strings_bomb():
    data = rezip(clean_bytes(), add=[("xl/sharedStrings.xml", b"<sst/>")])
    return forge_size(data, "xl/sharedStrings.xml", 100 * 1024 * 1024)


def huge_dimension():
    data = book_with(edit_actor("Škola Lipová", "Telefon", "123"))
    part = sheet_part(data)
    return rezip(
        data,
        replace={
            part: lambda c: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', c)
        },
    )


def million_styled_rows():
    data = clean_bytes()
    part = sheet_part(data)
    rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % i for i in range(10, 1_000_010))
    return rezip(data, replace={part: lambda c: c.replace(b"</sheetData>", rows + b"</sheetData>")})


def without_declaration(xml: bytes) -> bytes:
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


def billion_laughs():
    return rezip(
        clean_bytes(),
        replace={"xl/workbook.xml": lambda c: BILLION_LAUGHS + without_declaration(c)},
    )


def external_entity():
    data = clean_bytes()
    part = sheet_part(data)
    return rezip(
        data,
        replace={
            part: lambda c: (
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                b'"file:///etc/passwd">]>'
                + without_declaration(c).replace(b"Poradna Magdal", b"&e;")
            )
        },
    )


def wide_header():
    return actors_only(
        [["Poradna", "VZTAHY"]],
        ("Název aktéra", "Primární oblast potřeb", *[f"S{i}" for i in range(16_382)]),
    )


def many_styles():
    xfs = b"".join(b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' for _ in range(60_000))
    return rezip(
        book_with(edit_actor("Škola Lipová", "Telefon", "123")),
        replace={
            "xl/styles.xml": lambda c: re.sub(
                rb"<cellXfs count=\"\d+\">", b'<cellXfs count="60000">' + xfs, c
            )
        },
    )


def too_many_rows():
    return actors_only([[f"Aktér {i}", "VZTAHY"] for i in range(200_000)])


def header_only():
    return actors_only([])


def missing_required_column():
    return actors_only([["Poradna"]], ("Název aktéra", "Telefon"))


def unknown_column():
    return actors_only(
        [["Škola Lipová", "VZTAHY", "modrá"]], ("Název aktéra", "Primární oblast potřeb", "Barva")
    )


def duplicate_column():
    return actors_only(
        [["Škola Lipová", "VZTAHY", "UČENÍ"]],
        ("Název aktéra", "Primární oblast potřeb", "primarni oblast potreb"),
    )


def data_on_inactive_sheet():
    def edit(book):
        set_cell(book[ACTORS], "Škola Lipová", "Telefon", "123")
        book.active = book.sheetnames.index("O souboru")

    return book_with(edit)


def merged_cells():
    def edit(book):
        sheet = book[ACTORS]
        set_cell(sheet, "Poradna Magdaléna", "Zaměření", "intervence")
        column = openpyxl.utils.get_column_letter(columns(sheet)["Zaměření"])
        sheet.merge_cells(f"{column}2:{column}3")

    return book_with(edit)


def hidden_rows_and_sheets():
    def edit(book):
        set_cell(book[ACTORS], "Škola Lipová", "Telefon", "123")
        book[ACTORS].row_dimensions[2].hidden = True
        book["Číselníky"].sheet_state = "hidden"
        book[ACTORS].auto_filter.ref = "A1:B3"

    return book_with(edit)


def same_actor_twice():
    return book_with(new_row(**{"Název aktéra": "Škola Lipová", "Primární oblast potřeb": "UČENÍ"}))


def unknown_list_value():
    return book_with(edit_actor("Škola Lipová", "Cílové skupiny", "děti; rodičové"))


def comma_and_stray_separators():
    return book_with(edit_actor("Škola Lipová", "Cílové skupiny", ";děti;;rodiče;"))


def nfd_and_zero_width():
    def edit(book):
        import unicodedata

        set_cell(
            book[ACTORS],
            "Škola Lipová",
            "Název aktéra",
            unicodedata.normalize("NFD", "Škola\u200b Lipová"),
        )
        set_cell(
            book[ACTORS],
            "Poradna Magdaléna",
            "Organizace",
            unicodedata.normalize("NFD", "Magdaléna, o.p.s."),
        )

    return book_with(edit)


def ico_and_id_as_numbers():
    def edit(book):
        sheet = book[ACTORS]
        cols = columns(sheet)
        for row in (2, 3):
            sheet.cell(row, cols["ID"]).value = float(sheet.cell(row, cols["ID"]).value)
            if sheet.cell(row, cols["IČO"]).value:
                sheet.cell(row, cols["IČO"]).value = 64581

    return book_with(edit)


def dates_1900_and_text():
    def edit(book):
        set_cell(book[ACTORS], "Škola Lipová", "Aktualizováno", datetime.date(2026, 2, 1))
        set_cell(book[ACTORS], "Poradna Magdaléna", "Aktualizováno", "1. 2. 2026")

    return book_with(edit)


def date_serial_without_format():
    return book_with(edit_actor("Škola Lipová", "Aktualizováno", 46054))


def dates_1904():
    def edit(book):
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        set_cell(book[ACTORS], "Škola Lipová", "Aktualizováno", datetime.date(2026, 2, 1))

    return book_with(edit)


def invalid_date():
    return book_with(edit_actor("Škola Lipová", "Aktualizováno", "32. 13. 2026"))


def decimal_comma_and_ticks():
    def edit(book):
        set_cell(book[ACTORS], "Škola Lipová", "Úvazky", "1 234,5")
        set_cell(book[ACTORS], "Škola Lipová", "Krizová síť", "✓")

    return book_with(edit)


def formula_cells():
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream)
    sheet = book.add_worksheet(ACTORS)
    sheet.write_row(0, 0, ["Název aktéra", "Primární oblast potřeb", "Web", "Telefon", "E-mail"])
    sheet.write_string(1, 0, "Škola Lipová")
    sheet.write_string(1, 1, "BEZPEČÍ")
    sheet.write_formula(
        1, 2, '=HYPERLINK("https://skola.example/")', None, "https://skola.example/"
    )
    sheet.write_formula(1, 3, '=WEBSERVICE("https://evil.example/")', None, "")
    sheet.write_formula(1, 4, "=NA()", None, "#N/A")
    book.close()
    return stream.getvalue()


def over_long_text():
    # Writers cut text at Excel's 32,767 characters; a longer cell comes only from raw XML.
    data = book_with(edit_actor("Škola Lipová", "Provozní doba", "PLACEHOLDER"))
    part = sheet_part(data)
    return rezip(data, replace={part: lambda c: c.replace(b"PLACEHOLDER", b"x" * 40_000)})


def control_characters():
    # Excel stores control characters escaped as _x0001_; openpyxl refuses to write them.
    data = book_with(edit_actor("Škola Lipová", "Provozní doba", "PLACEHOLDER"))
    part = sheet_part(data)
    return rezip(data, replace={part: lambda c: c.replace(b"PLACEHOLDER", b"Po_x0001_Ut")})


def right_to_left_override():
    return book_with(edit_actor("Škola Lipová", "Název aktéra", "Škola \u202eávopiL"))


def platform_cell(header: str, value):
    """A platform in the network, its exported row with one cell changed."""
    PlatformFactory()  # one more for each case built, where the cases share a database

    def edit(book):
        sheet = book[PLATFORMS]
        sheet.cell(2, columns(sheet)[header]).value = value

    return book_with(edit)


def needs_only(rows: list[list]) -> bytes:
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream)
    sheet = book.add_worksheet(NEEDS)
    sheet.write_row(0, 0, ["Oblast potřeb", "Potřeba", "Činnost"])
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return stream.getvalue()


@dataclass
class Case:
    build: object
    refused: bool
    message: str = ""


CASES = {
    "01 empty file": Case(empty_file, True, "Soubor je prázdný"),
    "02 truncated xlsx": Case(truncated, True, "poškozený nebo neúplný"),
    "03 CSV renamed": Case(csv_renamed, True, "vypadá jako text nebo CSV"),
    "04 legacy xls": Case(legacy_xls, True, "starém formátu Excelu 97–2003"),
    "05 encrypted": Case(encrypted, True, "zašifrovaný heslem"),
    "06 HTML table": Case(html_table, True, "HTML tabulka"),
    "07 xlsm with macros": Case(with_macros, False, "makra se nespouštějí"),
    "08 strict open xml": Case(strict_open_xml, True, "Striktní Open XML"),
    "09a path traversal": Case(path_traversal, True, "neplatnou cestu"),
    "09b symlink": Case(symlink_entry, True, "symbolický odkaz"),
    "09c duplicate entries": Case(duplicate_entries, True, "dvakrát tutéž část"),
    "10a zip bomb": Case(zip_bomb, True, "zip bomba"),
    "10b declared 1 GB": Case(declared_bomb, True, "zip bomba"),
    "11 shared strings bomb": Case(shared_strings_bomb, True, "sharedStrings.xml“ je příliš velká"),
    "12 dimension A1:XFD1048576": Case(huge_dimension, False),
    "13 million styled rows": Case(million_styled_rows, False),
    "14 billion laughs": Case(billion_laughs, True, "definici DTD"),
    "15 external entity": Case(external_entity, True, "definici DTD"),
    "16a 16384 header columns": Case(wide_header, True, "přes 200 sloupců"),
    "16b 60000 cell formats": Case(many_styles, False),
    "17 200000 rows": Case(too_many_rows, True, "víc než 100000 datových řádků"),
    "18 header only": Case(header_only, True, "Soubor neobsahuje žádná data"),
    "19a missing required column": Case(missing_required_column, True, "Primární oblast potřeb"),
    "19b unknown column": Case(unknown_column, False, "Neznámý sloupec „Barva“ se neimportuje"),
    "19c duplicate column": Case(duplicate_column, True, "je v záhlaví dvakrát"),
    "20 data on a sheet not active": Case(data_on_inactive_sheet, False),
    "21 merged cells": Case(merged_cells, False),
    "22 hidden rows and sheets, autofilter": Case(hidden_rows_and_sheets, False),
    "23 same actor twice": Case(
        same_actor_twice, True, "Tentýž aktér „Škola Lipová“ je v souboru dvakrát: řádky 3 a 4"
    ),
    "24a unknown list value": Case(unknown_list_value, True, "Měli jste na mysli „rodiče“?"),
    "24b comma and stray separators": Case(comma_and_stray_separators, False),
    "25 NFD and zero-width": Case(nfd_and_zero_width, False),
    "26 IČO and ID as numbers": Case(ico_and_id_as_numbers, False),
    "27a dates 1900 and text": Case(dates_1900_and_text, False),
    "27b dates 1904": Case(dates_1904, False),
    "27d date serial without format": Case(date_serial_without_format, False),
    "27c invalid date": Case(invalid_date, True, "není platné datum"),
    "28 decimal comma, tick": Case(decimal_comma_and_ticks, False),
    "29 formulas and errors": Case(formula_cells, False),
    "30a text over 32767": Case(over_long_text, True, "delší než 32767 znaků"),
    "30b control characters": Case(control_characters, True, "řídicí znaky"),
    "30c right-to-left override": Case(right_to_left_override, True, "měnící směr textu"),
    # Values the database would refuse (or no column could hold) only at the end of an
    # import: refused in the preview with the cell named.
    "31a NaN as a number": Case(
        lambda: book_with(edit_actor("Škola Lipová", "Úvazky", "NaN")), True, "„NaN“ není číslo."
    ),
    "31b number beyond its column": Case(
        lambda: book_with(edit_actor("Škola Lipová", "Úvazky", "1e20")),
        True,
        "„1e20“ je příliš velké číslo",
    ),
    "31c infinite ID": Case(
        lambda: book_with(edit_actor("Škola Lipová", "ID", "inf")), True, "„inf“ není ID záznamu"
    ),
    "31d signalling NaN as an age": Case(
        lambda: book_with(edit_actor("Škola Lipová", "Věk od", "sNaN")), True, "„sNaN“ není číslo"
    ),
    "31e ID of a billion digits": Case(
        lambda: book_with(edit_actor("Škola Lipová", "ID", "1e999999999")),
        True,
        "„1e999999999“ není ID záznamu",
    ),
    "32a organisation name over its column": Case(
        lambda: book_with(edit_actor("Poradna Magdaléna", "Organizace", "o" * 301)),
        True,
        "Název organizace má 301 znaků, vejde se nejvýše 300.",
    ),
    "32b contact without a name": Case(
        lambda: book_with(edit_actor("Škola Lipová", "Kontaktní osoby", "info@lipova.cz")),
        True,
        "Kontaktní osoba „info@lipova.cz“ nemá jméno",
    ),
    "32c contact e-mail not valid": Case(
        lambda: book_with(edit_actor("Škola Lipová", "Kontaktní osoby", "Jana Nová – jana@@x")),
        True,
        "Kontaktní osoba „Jana Nová“: „jana@@x“ není platný e-mail.",
    ),
    "32d contact phone over its column": Case(
        lambda: book_with(
            edit_actor("Škola Lipová", "Kontaktní osoby", "Jana – +420 " + "1" * 100)
        ),
        True,
        "Kontaktní osoba: telefon má 105 znaků, vejde se nejvýše 100.",
    ),
    "33 date before 1900 as text": Case(
        lambda: book_with(edit_actor("Škola Lipová", "Aktualizováno", "1. 2. 1026")),
        True,
        "rok musí být od 1900 do 2200",
    ),
    "34 IČO in other scripts' digits": Case(
        lambda: book_with(edit_actor("Poradna Magdaléna", "IČO", "²³")), True, "není IČO"
    ),
    "35a platform name over its column": Case(
        lambda: platform_cell("Název platformy", "P" * 301),
        True,
        "Název platformy má 301 znaků, vejde se nejvýše 300.",
    ),
    "35b coordinating person without a colon": Case(
        lambda: platform_cell("Koordinátor", "Osoba Jan Novák"), True, "„Osoba Jan Novák“"
    ),
    "35c coordinating person over its column": Case(
        lambda: platform_cell("Koordinátor", "osoba: " + "J" * 201),
        True,
        "Koordinátor má 201 znaků, vejde se nejvýše 200.",
    ),
    "36a need name over its column": Case(
        lambda: needs_only([["VZTAHY", "N" * 301, "Společné čtení"]]),
        True,
        "Potřeba má 301 znaků, vejde se nejvýše 300.",
    ),
    "36b activity name over its column": Case(
        lambda: needs_only([["VZTAHY", "Blízký vztah", "A" * 301]]),
        True,
        "Činnost má 301 znaků, vejde se nejvýše 300.",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name, network):
    case = CASES[name]
    data = case.build()
    before = database_checksum()

    preview = import_workbook(data, user=None)

    messages = " | ".join(problem.located() for problem in preview.problems)
    assert preview.refused is case.refused, messages
    assert case.message in messages
    if case.refused:
        assert database_checksum() == before


@pytest.mark.benchmark
def test_bad_input_time_and_memory(network, capsys):
    """Prints each case's import time and Python peak memory (targets: 1 s, 100 MB)."""
    lines = []
    for name, case in CASES.items():
        data = case.build()
        with transaction.atomic():
            started = time.perf_counter()
            import_workbook(data, user=None)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        # Memory apart: tracemalloc slows Python down several times.
        with transaction.atomic():
            tracemalloc.start()
            try:
                preview_workbook(data)
                peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
            finally:
                tracemalloc.stop()
            transaction.set_rollback(True)
        over = " OVER TARGET" if elapsed > 1 or peak > 100 else ""
        lines.append(f"{name:42} {elapsed * 1000:7.0f} ms {peak:7.1f} MB{over}")
    with capsys.disabled():
        print("\nbad-input corpus: import time, Python peak memory of the preview")
        print("\n".join(lines))


def test_accepted_cases_import_what_people_meant(network):
    """What some accepted cases wrote: the values people meant, nothing else."""
    import_workbook(merged_cells(), user=None)
    assert set(Actor.objects.values_list("focus", flat=True)) == {"intervention"}

    import_workbook(comma_and_stray_separators(), user=None)
    school = Actor.objects.get(name="Škola Lipová")
    assert sorted(school.target_groups.values_list("name", flat=True)) == ["děti", "rodiče"]

    before = database_checksum()
    for build in (nfd_and_zero_width, ico_and_id_as_numbers):
        import_workbook(build(), user=None)
    assert database_checksum() == before
    assert Organisation.objects.get().name == "Magdaléna, o.p.s."

    import_workbook(dates_1904(), user=None)
    school.refresh_from_db()
    assert school.verified_on == datetime.date(2026, 2, 1)

    import_workbook(date_serial_without_format(), user=None)
    school.refresh_from_db()
    assert school.verified_on == datetime.date(2026, 2, 1)

    import_workbook(decimal_comma_and_ticks(), user=None)
    school.refresh_from_db()
    assert school.crisis_network is True
    assert school.characteristic_values.get().number == Decimal("1234.5")

    import_workbook(formula_cells(), user=None)
    school.refresh_from_db()
    assert school.web == "https://skola.example/"
    assert school.email == ""
