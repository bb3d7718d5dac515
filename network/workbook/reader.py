"""Reads the template sheets of an uploaded workbook into plain rows (DOMAIN.md §3, import rules).

python-calamine parses the file (Rust, about ten times faster than openpyxl here) after
`limits.check_container` has accepted it. This module finds each template sheet by name or by
its headers, skips title rows above the header row, matches headers ignoring case, spaces,
punctuation and diacritics, spreads merged cells, and cleans every cell to text, a number,
a date or None, so that the importer never sees Excel's quirks.
"""

import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field

import python_calamine

from actors.text import column_key

from .limits import MAX_COLUMNS, MAX_ROWS, WorkbookRefused, check_container

HEADER_SEARCH_ROWS = 20
TEXT_CACHE = 50_000
_UNSEEN = object()
MAX_CELL_CHARS = 32_767
# Invisible characters people paste along with names; removed without a word.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Control characters and bidirectional overrides can disguise a name: refused.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


_key = functools.lru_cache(maxsize=65_536)(column_key)


def header_key(text: object) -> str:
    """`Název aktéra`, ` NAZEV  AKTERA `, `nazev_aktera` and `Název aktéra:` are one header."""
    return _key(str(text))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class Problem:
    """Something wrong in the file, located for the person who will fix it."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    # A warning is shown in the preview but does not stop the import.
    warning: bool = False

    def located(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(f"řádek {self.row}")
        if self.column:
            where.append(f"sloupec „{self.column}“")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class SheetData:
    """A template sheet: its headers as written, and the data rows as {header key: value}."""

    name: str
    title: str
    headers: dict[str, str]  # header key -> header as written
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)


def clean_cell(value: object, problems: list[Problem], where: dict) -> object:
    """Text (NFC, trimmed, no invisible characters), int, float, date, or None."""
    if value is None or value == "":
        return None
    if type(value) is str:  # most cells: skip the other types' checks
        return _clean_text(value, problems, where)
    if isinstance(value, bool):
        return "ano" if value else "ne"
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (datetime.time, datetime.timedelta)):
        return str(value)
    return _clean_text(str(value), problems, where)


def _clean_text(text: str, problems: list[Problem], where: dict) -> str | None:
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if _HAS_INVISIBLE.search(text):
            text = text.translate(_INVISIBLE)
        text = text.replace("\u00a0", " ")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if len(text) > MAX_CELL_CHARS:
        problems.append(Problem(f"Text je delší než {MAX_CELL_CHARS} znaků.", **where))
        return None
    if _FORBIDDEN.search(text):
        problems.append(
            Problem(
                "Buňka obsahuje neviditelné řídicí znaky nebo znaky měnící směr textu; "
                "přepište ji ručně.",
                **where,
            )
        )
        return None
    return text or None


@dataclass
class SheetSpec:
    """What the reader must know of a template sheet to find it."""

    title: str
    required: list[str]
    known: list[str]


def read_workbook(
    data: bytes, specs: list[SheetSpec], extra_headers: list[str] = ()
) -> tuple[list[SheetData], list[Problem], bool]:
    """The template sheets found in the file, the problems, and whether it held macros.

    A sheet is the template whose title its name matches, else the template whose required
    headers it holds (a sheet saved alone keeps no name). `extra_headers` are accepted beside
    a sheet's own (custom characteristics); other unknown headers are reported.
    """
    container = check_container(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own and zip errors
        raise WorkbookRefused(
            "Sešit nejde přečíst (je poškozený nebo v nepodporované podobě). "
            "Uložte ho znovu v Excelu nebo LibreOffice jako Sešit Excelu (.xlsx)."
        ) from error
    problems: list[Problem] = []
    by_title = {header_key(spec.title): spec for spec in specs}
    found: dict[str, SheetData] = {}
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
        except Exception as error:
            raise WorkbookRefused(f"List „{meta.name}“ nejde přečíst.") from error
        spec = by_title.get(header_key(meta.name))
        candidates = [spec] if spec else [s for s in specs if s.title not in found]
        data_sheet = _read_sheet(sheet, candidates, extra_headers, problems, bool(spec))
        if data_sheet is None:
            continue
        if data_sheet.title in found:
            problems.append(
                Problem(
                    f"Šablona je v souboru dvakrát (i na listu „{found[data_sheet.title].name}“).",
                    sheet=meta.name,
                )
            )
            continue
        found[data_sheet.title] = data_sheet
    if not found and any(not p.warning for p in problems):
        return [], problems, container.has_macros
    if not found:
        titles = ", ".join(f"„{spec.title}“" for spec in specs)
        raise WorkbookRefused(
            f"V souboru není žádná šablona ({titles}): žádný list nemá takový název "
            "ani záhlaví se sloupci šablony."
        )
    return list(found.values()), problems, container.has_macros


def _read_sheet(sheet, specs, extra_headers, problems, named) -> SheetData | None:
    start_row, start_column = sheet.start or (0, 0)
    if sheet.height > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise WorkbookRefused(
            f"List „{sheet.name}“ má víc než {MAX_ROWS} datových řádků; "
            "import takového souboru nepřijímám."
        )
    rows = sheet.iter_rows()
    head: list[list] = []
    spec = header_index = None
    for index, values in enumerate(rows):
        head.append(values)
        keys = {header_key(v) for v in values if isinstance(v, str)}
        matching = [s for s in specs if {header_key(h) for h in s.required} <= keys]
        if matching:
            spec, header_index = matching[0], index
            break
        if index + 1 >= HEADER_SEARCH_ROWS:
            break
    if spec is None:
        if named:
            missing = ", ".join(f"„{h}“" for h in specs[0].required)
            problems.append(
                Problem(
                    f"Nenašel jsem řádek záhlaví: v prvních {HEADER_SEARCH_ROWS} řádcích "
                    f"chybí povinné sloupce {missing}.",
                    sheet=sheet.name,
                )
            )
        return None
    header_cells = head[header_index]
    if sum(1 for v in header_cells if v not in (None, "")) > MAX_COLUMNS:
        raise WorkbookRefused(
            f"List „{sheet.name}“ má v záhlaví přes {MAX_COLUMNS} sloupců; není to šablona sítě."
        )
    known = {header_key(h): h for h in (*spec.known, *extra_headers)}
    columns: dict[int, str] = {}
    data = SheetData(sheet.name, spec.title, {})
    for position, value in enumerate(header_cells):
        if value in (None, ""):
            continue
        key = header_key(value)
        written = str(value).strip()
        if key in known:
            if key in data.headers:
                problems.append(
                    Problem(
                        f"Sloupec „{written}“ je v záhlaví dvakrát; nechte v souboru jen jeden.",
                        sheet=sheet.name,
                        row=start_row + header_index + 1,
                    )
                )
                continue
            data.headers[key] = written
            columns[position] = key
        else:
            data.unknown_headers.append(written)
    merged = _merged_values(sheet, start_row, start_column)
    count = 0
    positions = list(columns.items())
    # Most cells repeat a value of a few (vocabularies, yes/no): each text is cleaned once,
    # and equal cells share one string. Bounded, for the unique texts.
    texts: dict[str, str | None] = {}
    for offset, values in enumerate(rows, start=header_index + 1):
        excel_row = start_row + offset + 1
        row: dict[str, object] = {}
        width = len(values)
        for position, key in positions:
            value = values[position] if position < width else None
            if value is None or value == "":
                if not merged:
                    continue
                value = merged.get((excel_row, position), value)
                if value is None or value == "":
                    continue
            if type(value) is str:
                cleaned = texts.get(value, _UNSEEN)
                if cleaned is _UNSEEN:
                    reported = len(problems)
                    where = {"sheet": sheet.name, "row": excel_row, "column": data.headers[key]}
                    cleaned = _clean_text(value, problems, where)
                    if len(problems) == reported:
                        if len(texts) >= TEXT_CACHE:
                            texts.clear()
                        texts[value] = cleaned
            else:
                where = {"sheet": sheet.name, "row": excel_row, "column": data.headers[key]}
                cleaned = clean_cell(value, problems, where)
            if cleaned is not None:
                row[key] = cleaned
        if not row:
            continue
        count += 1
        if count > MAX_ROWS:
            raise WorkbookRefused(
                f"List „{sheet.name}“ má víc než {MAX_ROWS} datových řádků; "
                "import takového souboru nepřijímám."
            )
        data.rows.append((excel_row, row))
    return data


def _merged_values(sheet, start_row, start_column) -> dict[tuple[int, int], object]:
    """(Excel row, column position) -> the value of the merged area's top-left cell."""
    ranges = sheet.merged_cell_ranges or []
    if not ranges:
        return {}
    wanted = {}
    for (top, left), (bottom, right) in ranges:
        if (bottom - top + 1) * (right - left + 1) > MAX_ROWS:
            continue  # a merged band over a whole column holds no data of ours
        wanted[(top, left)] = [
            (row, column)
            for row in range(top, bottom + 1)
            for column in range(left, right + 1)
            if (row, column) != (top, left)
        ]
    if not wanted:
        return {}
    corners = {}
    for index, values in enumerate(sheet.to_python(skip_empty_area=False)):
        for column, value in enumerate(values):
            if (index, column) in wanted:
                corners[(index, column)] = value
    spread = {}
    for corner, cells in wanted.items():
        for row, column in cells:
            spread[(row + 1, column - start_column)] = corners.get(corner)
    return spread
