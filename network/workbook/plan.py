"""What an import of a template sheet plans, shared by the three sheets.

Each sheet matches its rows to records and compares them with what the export writes; the
plan (`SheetPlan` of `RowPlan`s) is what the preview shows and what the import then writes.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import values
from .reader import MAX_CELL_CHARS, Problem

REASON = "Import sešitu"


@dataclass(slots=True)
class RowPlan:
    """What a row of the file does: add a record, change one, or nothing."""

    row: int
    name: str
    record_id: int | None
    state: dict
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    version: int | None = None
    # The admin page of the record, where a sheet holds records of two kinds.
    url_name: str = ""


class AddedChanges(Sequence):
    """A new row's changes, (column, "", value as the sheet writes it) for every column with a
    value: made from the state whenever read (preview, digest), not kept beside it."""

    __slots__ = ("_show", "_state")

    def __init__(self, show, state: dict):
        self._show, self._state = show, state

    def _items(self) -> list[tuple[str, str, str]]:
        return [(h, "", shown) for h, v in self._state.items() if (shown := self._show(h, v))]

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __getitem__(self, index):
        return self._items()[index]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and self._items() == list(other)

    def __repr__(self) -> str:
        return repr(self._items())


class CellParser:
    """Turns a row's cells into a state {header: canonical value} with `_parse(header, value)`."""

    def parse(self, cells: dict, problems: list[Problem], where: dict, headers: list[str]) -> dict:
        """A state of the given headers; a cell that means nothing is reported, not kept."""
        state = {}
        for header in headers:
            try:
                state[header] = self._parse(header, cells.get(header))
            except values.ValueProblem as problem:
                problems.append(Problem(str(problem), column=header, **where))
        return state


def as_read(value):
    """An exported value as the reader would return it from the file."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip() or None
    return value


@dataclass
class SheetPlan:
    """What the import does to one template sheet's records."""

    added: list[RowPlan] = field(default_factory=list)
    changed: list[RowPlan] = field(default_factory=list)
    unchanged: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)

    def missing_links(self, url_name: str) -> list[tuple[int, str, str]]:
        """The records missing from the file with the URL name of their admin page."""
        return [(pk, name, url_name) for pk, name in self.missing]


class ImportConflict(Exception):
    """The database changed between the preview and the confirmation."""


def same_cell(new, old) -> bool:
    """Whether a file's cell holds what the export wrote (numbers and text as typed)."""
    if new == old:
        return True
    if isinstance(new, str) and isinstance(old, str) and len(old) > MAX_CELL_CHARS:
        # The export cut a longer text at Excel's limit: the cut as read back is no change
        # (the text stays whole); any other text, a shorter one too, is an edit.
        return new == as_read(old[:MAX_CELL_CHARS])
    if isinstance(old, str) and not isinstance(new, str):
        return False
    if isinstance(new, (int, float)) and isinstance(old, (int, float, Decimal)):
        return Decimal(str(new)) == Decimal(old)
    return False
