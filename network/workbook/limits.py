"""Checks an uploaded workbook's container before any parser sees it (BAD-INPUTS.md 1-17).

Everything here reads the zip directory and at most the first bytes of a few parts, so a
refusal costs milliseconds and no memory whatever the file claims to hold.
"""

import io
import re
import stat
import zipfile
from dataclasses import dataclass

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_PART_BYTES = {"xl/sharedStrings.xml": 64 * 1024 * 1024, "xl/styles.xml": 8 * 1024 * 1024}
# Spreadsheet XML compresses 5-30x; a bomb compresses thousands of times.
MAX_RATIO = 150
RATIO_CHECKED_ABOVE = 16 * 1024 * 1024  # style bloat compresses well and stays smaller
MAX_ROWS = 100_000
MAX_COLUMNS = 200

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_ROOT = re.compile(rb"<[A-Za-z]")


class WorkbookRefused(Exception):
    """The file cannot be read as a workbook; the message is for the person who sent it."""


@dataclass
class Container:
    """What the checks learnt about an accepted file."""

    has_macros: bool = False


def _kind_of_non_zip(head: bytes) -> str:
    if head.startswith(OLE_MAGIC):
        return "ole"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<table" in text:
        return "html"
    return "text"


def _ole_is_encrypted(data: bytes) -> bool:
    # An encrypted xlsx is an OLE file with the streams EncryptionInfo and EncryptedPackage.
    return "EncryptedPackage".encode("utf-16-le") in data[: 1024 * 1024] or (
        "EncryptionInfo".encode("utf-16-le") in data[: 1024 * 1024]
    )


def check_container(data: bytes) -> Container:
    """Refuse what is not a plain, sane xlsx; raise WorkbookRefused with a Czech message."""
    if not data:
        raise WorkbookRefused("Soubor je prázdný (0 bajtů).")
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRefused(
            f"Soubor je příliš velký ({len(data) // (1024 * 1024)} MB); "
            f"nejvýše {MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    if not data.startswith(ZIP_MAGIC):
        kind = _kind_of_non_zip(data[:4096])
        if kind == "ole":
            if _ole_is_encrypted(data):
                raise WorkbookRefused(
                    "Soubor je zašifrovaný heslem. Otevřete ho v Excelu, heslo odstraňte "
                    "(Soubor → Informace → Zamknout sešit) a uložte znovu jako .xlsx."
                )
            raise WorkbookRefused(
                "Soubor je ve starém formátu Excelu 97–2003 (.xls). "
                "Otevřete ho a uložte jako Sešit Excelu (.xlsx)."
            )
        if kind == "html":
            raise WorkbookRefused(
                "Soubor je webová stránka (HTML tabulka) s příponou .xlsx, ne sešit Excelu. "
                "Otevřete ho v Excelu a uložte jako Sešit Excelu (.xlsx)."
            )
        raise WorkbookRefused(
            "Soubor není sešit Excelu (vypadá jako text nebo CSV). "
            "Otevřete ho v Excelu a uložte jako Sešit Excelu (.xlsx)."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise WorkbookRefused(
            "Soubor je poškozený nebo neúplný (nejde otevřít jako sešit .xlsx). "
            "Zkuste ho znovu uložit nebo nahrát."
        ) from error
    with archive:
        return _check_entries(archive, entries)


def _check_entries(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> Container:
    if len(entries) > MAX_ENTRIES:
        raise WorkbookRefused(
            f"Soubor má příliš mnoho částí ({len(entries)}); není to běžný sešit."
        )
    names = set()
    total = 0
    for entry in entries:
        name = entry.filename
        if name in names:
            raise WorkbookRefused(f"Soubor obsahuje dvakrát tutéž část „{name}“; je poškozený.")
        names.add(name)
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise WorkbookRefused("Soubor obsahuje neplatnou cestu k části; nelze ho přijmout.")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise WorkbookRefused("Soubor obsahuje symbolický odkaz; nelze ho přijmout.")
        total += entry.file_size
        limit = MAX_PART_BYTES.get(name)
        if limit is not None and entry.file_size > limit:
            raise WorkbookRefused(
                f"Část souboru „{name}“ je příliš velká ({entry.file_size // (1024 * 1024)} MB)."
            )
        if entry.file_size > RATIO_CHECKED_ABOVE and (
            entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        ):
            raise WorkbookRefused(
                "Soubor se po rozbalení nafoukne na nepřiměřenou velikost (zip bomba); "
                "nelze ho přijmout."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRefused(
            f"Soubor by po rozbalení měl {total // (1024 * 1024)} MB; "
            f"nejvýše {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB."
        )
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookRefused(
            "Soubor je zip, ale ne sešit Excelu (chybí v něm list sešitu). "
            "Uložte ho v Excelu nebo LibreOffice jako Sešit Excelu (.xlsx)."
        )
    for name in sorted(names):
        if name.endswith((".xml", ".rels")):
            _check_xml_head(archive, name)
    return Container(has_macros="xl/vbaProject.bin" in names)


def _check_xml_head(archive: zipfile.ZipFile, name: str) -> None:
    """No DTD (entities, billion laughs, external files) and no Strict Open XML."""
    with archive.open(name) as part:
        head = part.read(64 * 1024)
    # A DTD can only come before the root element, which a real part opens at once.
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or not _ROOT.search(head):
        raise WorkbookRefused(
            f"Soubor obsahuje v části „{name}“ definici DTD (entity); "
            "z bezpečnostních důvodů ho nelze přijmout."
        )
    if name == "xl/workbook.xml" and STRICT_NAMESPACE in head:
        raise WorkbookRefused(
            "Sešit je uložen ve formátu „Striktní Open XML“. "
            "Uložte ho jako běžný Sešit Excelu (.xlsx)."
        )
