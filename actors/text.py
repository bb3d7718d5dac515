"""Czech text in queries: search that ignores diacritics and case, and Czech ordering.

PostgreSQL uses its `unaccent` extension and the ICU collation `cs-x-icu`; SQLite gets the same
behaviour from Python functions that `network.sqlite` installs on every connection.
"""

import functools
import re
import unicodedata

from django.db.models import CharField, Func
from django.db.models.functions import Lower

_MARKS = re.compile(r"[\u0300-\u036f]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def column_key(text: str) -> str:
    """A spreadsheet header as the workbook import matches it: `Název aktéra`, ` NAZEV  AKTERA `,
    `nazev_aktera` and `Název aktéra:` are one header."""
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()
    return _NOT_ALNUM.sub("", folded)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Škola' -> 'skola'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Unaccent(Func):
    function = "UNACCENT"
    output_field = CharField()


def folded(field: str) -> Func:
    """The expression of `field` folded like `fold()`, for `__contains` lookups."""
    return Unaccent(Lower(field))


class CzechOrder(Func):
    """`field` under Czech collation: ch after h, č after c, ř after r, á with a."""

    template = '%(expressions)s COLLATE "cs"'
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template='%(expressions)s COLLATE "cs-x-icu"')


# Czech alphabet order; letters with only a secondary accent (á, ď, é, ...) sort with their base
# letter and break ties after it, while č, ř, š, ž and ch are letters of their own.
_ALPHABET = "a b c č d e f g h ch i j k l m n o p q r ř s š t u v w x y z ž"
_PRIMARY = _ALPHABET.split(" ")
_RANK = {letter: rank for rank, letter in enumerate(_PRIMARY)}
_OWN_LETTERS = {"č", "ř", "š", "ž"}


@functools.lru_cache(maxsize=65536)
def czech_key(text: str) -> tuple:
    primary, secondary = [], []
    lowered = text.lower()
    i = 0
    while i < len(lowered):
        if lowered.startswith("ch", i):
            primary.append(_RANK["ch"] + 1000)
            secondary.append(0)
            i += 2
            continue
        char = lowered[i]
        base = char if char in _OWN_LETTERS else fold(char) or char
        rank = _RANK.get(base)
        # Digits, spaces and punctuation sort before letters, in code-point order.
        primary.append((rank + 1000) if rank is not None else ord(base[0]) if base else 0)
        secondary.append(0 if base == char else 1)
        i += 1
    return tuple(primary), tuple(secondary), text


def czech_compare(a: str, b: str) -> int:
    key_a, key_b = czech_key(a), czech_key(b)
    return (key_a > key_b) - (key_a < key_b)
