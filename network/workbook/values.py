"""Cell values of the templates as people really write them (DOMAIN.md §3, Values)."""

import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation

from .reader import header_key


class ValueProblem(ValueError):
    """A cell that cannot mean anything; the message is Czech and names the value."""


_LIST_SPLIT = re.compile(r"[;\n]")
YES = {"ano", "a", "x", "1", "true", "yes", "y", "pravda", "✓", "✔"}
NO = {"ne", "n", "0", "false", "no", "nepravda", "-", "✗"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # the 1900 date system, leap-year bug included
SERIALS = (20_000, 80_000)  # 1954-10-03 .. 2119-01-10: plausible dates, not other numbers
# Years a date of ours can have: outside them it is a typo (1. 2. 1026), and Excel cannot even
# show a date before 1900 (the export would write one that reads back as a time).
YEARS = (1900, 2200)
LARGEST_ID = 2**63 - 1  # a bigint
CACHE_SIZE = 10_000  # results kept per vocabulary
_CZECH_DATE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$")
_DIGITS = re.compile(r"[0-9]{1,8}")


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value.day}. {value.month}. {value.year}"
    return str(value)


def split_list(value) -> list[str]:
    """`a; b`, `a;;b;` and one value per line are all the list [a, b]; never split on commas."""
    return [part.strip() for part in _LIST_SPLIT.split(text(value)) if part.strip()]


def yes_no(value) -> bool:
    """ano/ne and the usual spellings; an empty cell is `ne`."""
    if value is None:
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = text(value).strip().casefold()
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueProblem(f"„{text(value)}“ není ano ani ne.")


def date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        found = value.date()
    elif isinstance(value, datetime.date):
        found = value
    elif isinstance(value, (int, float)) and SERIALS[0] <= value <= SERIALS[1]:
        # A date cell that lost its date format reads as Excel's day number.
        found = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        found = _date_text(text(value).strip())
    if not YEARS[0] <= found.year <= YEARS[1]:
        raise ValueProblem(
            f"„{text(value)}“ není platné datum: rok musí být od {YEARS[0]} do {YEARS[1]}."
        )
    return found


def _date_text(raw: str) -> datetime.date:
    match = _CZECH_DATE.match(raw)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValueProblem(f"„{raw}“ není platné datum (pište např. 1. 2. 2026).") from None


def number(value) -> Decimal | None:
    """`1 234,5`, `1234.5` and numeric cells."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return _finite(Decimal(str(value)), value)
    raw = text(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        parsed = Decimal(raw)
    except InvalidOperation:
        raise ValueProblem(f"„{text(value)}“ není číslo.") from None
    return _finite(parsed, value)


def _finite(parsed: Decimal, value) -> Decimal:
    if not parsed.is_finite():  # NaN, Infinity: Decimal reads them, no column can hold them
        raise ValueProblem(f"„{text(value)}“ není číslo.")
    return parsed


def at_most(found: str, limit: int, what: str) -> str:
    """The text, if it fits its column (a longer one the database would refuse at the end)."""
    if len(found) > limit:
        raise ValueProblem(f"{what} má {len(found)} znaků, vejde se nejvýše {limit}.")
    return found


def whole_number(value, low: int = 0, high: int = 150) -> int | None:
    parsed = number(value)
    if parsed is None:
        return None
    if parsed != parsed.to_integral_value() or not low <= parsed <= high:
        raise ValueProblem(f"„{text(value)}“ není celé číslo od {low} do {high}.")
    return int(parsed)


def ico(value) -> str:
    """IČO as eight digits; a number cell lost its leading zeros (64581 is 00064581)."""
    if value is None:
        return ""
    raw = re.sub(r"\s", "", text(value))
    if not _DIGITS.fullmatch(raw):  # not str.isdigit(): it takes ² and other scripts' digits
        raise ValueProblem(f"„{text(value)}“ není IČO (nejvýše osm číslic).")
    return raw.zfill(8)


def record_id(value) -> int | None:
    """The ID column; a float (`12.0`) read back from a spreadsheet is the same ID."""
    if value is None:
        return None
    try:
        parsed = Decimal(text(value).strip())
    except InvalidOperation:
        parsed = None
    # Finite and in range before any comparison or int(): sNaN raises on comparing, and
    # int() of 1e999999999 would build a billion digits.
    if (
        parsed is None
        or not parsed.is_finite()
        or not 0 < parsed <= LARGEST_ID
        or parsed != parsed.to_integral_value()
    ):
        raise ValueProblem(f"„{text(value)}“ není ID záznamu (celé číslo).")
    return int(parsed)


class Names:
    """Resolves names of one vocabulary (or of actors) ignoring case, spaces and diacritics;
    a name written exactly (but for case) wins over others it resembles so."""

    def __init__(self, pairs, what: str):
        self.ids: dict[str, object] = {}
        self.names: dict[object, str] = {}
        self.what = what
        # By the name as written, then in lower case where no other name has it (PostgreSQL
        # keeps names unique in lower case, SQLite folds only ASCII), and the loose keys that
        # several names share ("Charita Opava" and "Charita-Opava" are two actors).
        self.exact: dict[str, object] = {}
        self.lowered: dict[str, object] = {}
        self.shared: dict[str, list[str]] = {}
        # Cells repeat a few combinations: each is resolved (and shown) once, and equal
        # cells share one result.
        self._many: dict[object, frozenset] = {}
        self._shown: dict[frozenset, str] = {}
        for key, name in pairs:
            self._add(key, name)

    def _add(self, key, name: str) -> None:
        loose = header_key(name)
        first = self.ids.setdefault(loose, key)
        if first != key:
            self.shared.setdefault(loose, [self.names[first]]).append(name)
        self.exact.setdefault(name.strip(), key)
        lowered = name.strip().lower()
        if self.lowered.setdefault(lowered, key) != key:
            self.lowered[lowered] = None  # "ČEZ" and "čez": only as written
        self.names[key] = name

    def add(self, key, name: str) -> None:
        self._add(key, name)
        self._many.clear()
        self._shown.clear()

    def alias(self, key, name: str) -> None:
        """Another name read as the key's (an older spelling), never shown."""
        shown = self.names[key]
        self.add(key, name)
        self.names[key] = shown

    def get(self, name: str):
        found = self.find(name)
        if found is None:
            raise ValueProblem(self.unknown(name))
        return found

    def find(self, name: str):
        """The key of the name, or None if no name is like it; ValueProblem if several are."""
        found = self.exact.get(name.strip())
        if found is None:
            found = self.lowered.get(name.strip().lower())
        if found is not None:
            return found
        loose = header_key(name)
        if loose in self.shared:
            alike = [f"„{n}“" for n in self.shared[loose]]
            alike = ", ".join(alike[:-1]) + " a " + alike[-1]
            raise ValueProblem(
                f"{self.what} „{name}“ nelze určit jednoznačně: podobně se jmenují {alike}. "
                "Napište název přesně."
            )
        return self.ids.get(loose)

    def unknown(self, name: str) -> str:
        message = f"{self.what} „{name}“ neznám."
        # "děti, mládež": a list separated the way names themselves are written.
        parts = [part.strip() for part in name.split(",") if part.strip()]
        if len(parts) > 1 and all(header_key(part) in self.ids for part in parts):
            return message + f" Hodnoty oddělte středníkem, ne čárkou: „{'; '.join(parts)}“."
        guesses = difflib.get_close_matches(header_key(name), list(self.ids), n=1, cutoff=0.7)
        if guesses:
            message += f" Měli jste na mysli „{self.names[self.ids[guesses[0]]]}“?"
        return message

    def many(self, value) -> frozenset:
        key = (type(value), value)
        found = self._many.get(key)
        if found is None:
            found = frozenset(self.get(name) for name in split_list(value))
            if len(self._many) >= CACHE_SIZE:
                self._many.clear()
            self._many[key] = found
        return found

    def show(self, keys) -> str:
        if keys is None:
            return ""
        if isinstance(keys, frozenset):
            found = self._shown.get(keys)
            if found is None:
                found = "; ".join(sorted(self.names.get(k, str(k)) for k in keys))
                if len(self._shown) >= CACHE_SIZE:
                    self._shown.clear()
                self._shown[keys] = found
            return found
        return self.names.get(keys, str(keys))
