"""Import of the `Aktéři sítě` sheet: match rows to actors, compare, and write the difference.

A matched row is first compared cell by cell with the cells the export writes for its actor;
only the cells that differ are parsed, on both sides with the same parser, so a just-exported
workbook imports with no change (the round trip) and the preview shows old and new as the
sheet writes them.
"""

import contextlib
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone, translation

from actors.history import (
    foreign_keys_checked_at_end,
    insert_rows,
    record_history,
    record_history_links,
    record_history_rows,
)
from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicValue,
    ContactPerson,
    Founder,
    LifeSituation,
    Municipality,
    Note,
    Organisation,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
)
from actors.resources import SHEET, template_column
from needs.models import Focus, NeedArea
from needs.resources import labels
from platforms.resources import NetworkActorResource

from . import values
from .reader import Problem, SheetData, SheetSpec, header_key

REQUIRED = ["Název aktéra", "Primární oblast potřeb"]
REASON = "Import sešitu"
# From this many new actors on, the import writes as a bulk load (see `_bulk_load`).
BULK_LOAD = 5000
M2M = {
    "Druh služby": ("social_service_kinds", SocialServiceKind, "druh služby"),
    "Resort": ("resorts", Resort, "Resort"),
    "Cílové skupiny": ("target_groups", TargetGroup, "Cílovou skupinu"),
    "Životní situace": ("life_situations", LifeSituation, "Životní situaci"),
    "Forma poskytování": ("service_forms", ServiceForm, "Formu poskytování"),
    "Další oblasti potřeb": ("secondary_need_areas", NeedArea, "Oblast potřeb"),
}
TEXTS = {
    "Název aktéra": "name",
    "Adresa": "address",
    "Provozní doba": "opening_hours",
    "Web": "web",
    "Telefon": "phone",
    "E-mail": "email",
    "Co aktér potřebuje od ostatních": "needs_from_others",
}
_TEXT_FIELDS = {header: Actor._meta.get_field(name) for header, name in TEXTS.items()}
CHECKED_ONLY = {"ID", "Účast v platformách"}
# Every many-to-many column, by the Actor field it writes.
M2M_FIELDS = {header: name for header, (name, _, _) in M2M.items()}
M2M_FIELDS["Územní působnost"] = "served_municipalities"
_CAPACITY = re.compile(r"^(.*?)\s*\((.+)\)$")


def spec(headers: list[str]) -> SheetSpec:
    return SheetSpec(SHEET, REQUIRED, headers)


@dataclass(slots=True)
class RowPlan:
    """What a row of the file does: add an actor, change one, or nothing."""

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


def _memo(parse):
    """`parse` remembering its results by cell (cells of a column repeat a few values)."""
    results = {}

    def parsed(value):
        key = (type(value), value)
        found = results.get(key, _NONE)
        if found is _NONE:
            found = parse(value)  # a ValueProblem is raised again for every cell
            if len(results) >= values.CACHE_SIZE:
                results.clear()
            results[key] = found
        return found

    return parsed


_NONE = object()


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


class ActorSheet(CellParser):
    """Parses actor rows into states (header -> value) and writes states back."""

    def __init__(self, include_private: bool = True):
        with translation.override("cs"):
            self.resource = NetworkActorResource(include_private=include_private)
            self.headers = self.resource.get_export_headers()
            self.characteristics = {c.name: c for c in self.resource.characteristics}
            self.names = {
                header: values.Names(model.objects.values_list("pk", "name"), what)
                for header, (_, model, what) in M2M.items()
            }
            self.actor_types = values.Names(
                ActorType.objects.values_list("pk", "name"), "Typ aktéra"
            )
            self.municipalities = values.Names(
                Municipality.objects.values_list("pk", "name"), "Obec"
            )
            self.areas = values.Names(NeedArea.objects.values_list("pk", "name"), "Oblast potřeb")
            self.founders = _choices(Founder, "Zřizovatele")
            self.scopes = _choices(Actor.TerritorialScope, "Územní působnost")
            self.focuses = _choices(Focus, "Zaměření")
            self.capacities = _choices(Actor.Capacity, "Naplněnost kapacity")
            self.options = {
                c.pk: values.Names(
                    [(o.pk, o.name) for o in c.options.all()], f"Možnost znaku {c.name}"
                )
                for c in self.resource.characteristics
            }
            # Characteristics named like a column of the template (made before their names
            # were checked): the import cannot tell the two columns apart.
            self.clashing = [name for name in self.characteristics if template_column(name)]
        self.parsers = self._parsers()

    # Parsing ------------------------------------------------------------------------------

    def _parsers(self) -> dict:
        """The parser of each column's cells; those of columns that repeat values remember."""

        def text(value):
            return values.text(value).strip()

        def primary_area(value):
            if value is None:
                raise values.ValueProblem("Primární oblast potřeb je povinná.")
            return self.areas.get(values.text(value))

        def chosen(names: values.Names, empty):
            return lambda value: names.get(values.text(value)) if value is not None else empty

        def ages(value):
            return values.whole_number(value, high=120)

        def contacts(value):
            lines = values.text(value).split("\n")
            return tuple(_checked_contact(line) for line in lines if line.strip())

        def organisation(value):
            return values.at_most(text(value), _ORGANISATION_NAME, "Název organizace")

        def notes(value):
            return tuple(p.strip() for p in re.split(r"\n\s*\n", values.text(value)) if p.strip())

        found = dict.fromkeys(TEXTS, text)
        found |= {header: self.names[header].many for header in M2M}
        found |= {"Organizace": organisation, "IČO": values.ico, "Kontaktní osoby": contacts}
        repeating = {
            "Typ aktéra": chosen(self.actor_types, None),
            "Obec": chosen(self.municipalities, None),
            "Primární oblast potřeb": primary_area,
            "Zřizovatel": chosen(self.founders, ""),
            "Zaměření": chosen(self.focuses, Focus.PREVENTION),
            "Věk od": ages,
            "Věk do": ages,
            "On-line": values.yes_no,
            "Krizová síť": values.yes_no,
            "Aktualizováno": values.date,
            "Územní působnost": self._scope,
            "Naplněnost kapacity": self._capacity,
            "Poznámka": notes,
            "Soukromá poznámka": notes,
        }
        for name, characteristic in self.characteristics.items():
            repeating[name] = functools.partial(self._characteristic, characteristic)
        found |= {header: _memo(parse) for header, parse in repeating.items()}
        return found

    def parse(self, cells: dict, problems: list[Problem], where: dict, headers: list[str]) -> dict:
        state = {}
        parsers = self.parsers
        for header in headers:
            try:
                state[header] = parsers[header](cells.get(header))
            except values.ValueProblem as problem:
                problems.append(Problem(str(problem), column=header, **where))
        return state

    def _parse(self, header: str, value):
        return self.parsers[header](value)

    def _scope(self, value):
        if value is None:
            return ("", frozenset())
        raw = values.text(value).strip()
        label, _, rest = raw.partition(":")
        code = self.scopes.ids.get(header_key(label))
        if code is None:  # only names: the selected municipalities
            return (Actor.TerritorialScope.SELECTED, self.municipalities.many(raw))
        return (code, self.municipalities.many(rest))

    def _capacity(self, value):
        if value is None:
            return ("", None)
        raw = values.text(value).strip()
        match = _CAPACITY.match(raw)
        if match:
            return (self.capacities.get(match.group(1)), values.date(match.group(2)))
        # A capacity is stated on a day; without one written, it is stated today.
        return (self.capacities.get(raw), timezone.localdate())

    def _characteristic(self, characteristic: Characteristic, value):
        kind = Characteristic.Kind
        if value is None:
            return None
        if characteristic.kind == kind.BOOLEAN:
            return values.yes_no(value)
        if characteristic.kind == kind.NUMBER:
            found = values.number(value)
            # numeric(14, 4): the database refuses more digits before the decimal point.
            if abs(found) >= _LARGEST_NUMBER:
                raise values.ValueProblem(
                    f"„{values.text(value)}“ je příliš velké číslo: vejde se nejvýše "
                    f"{_NUMBER_DIGITS} číslic před desetinnou čárkou."
                )
            return found
        if characteristic.kind == kind.CHOICE:
            return self.options[characteristic.pk].get(values.text(value))
        if characteristic.kind == kind.MULTICHOICE:
            return self.options[characteristic.pk].many(value) or None
        return values.text(value).strip() or None

    def show(self, header: str, value) -> str:
        """A state's value as the sheet writes it, for the preview."""
        if value is None or value == "" or value == ():
            return ""
        if header in M2M:
            return self.names[header].show(value)
        if header == "Typ aktéra":
            return self.actor_types.show(value)
        if header == "Obec":
            return self.municipalities.show(value)
        if header == "Primární oblast potřeb":
            return self.areas.show(value)
        if header == "Zřizovatel":
            return self.founders.show(value)
        if header == "Zaměření":
            return self.focuses.show(value)
        if isinstance(value, bool):
            return "ano" if value else "ne"
        if header == "Územní působnost":
            scope = self.scopes.show(value[0]) if value[0] else ""
            served = self.municipalities.show(value[1]) if value[1] else ""
            return ": ".join(part for part in (scope, served) if part)
        if header == "Naplněnost kapacity":
            return self.capacities.show(value[0]) + (
                f" ({values.text(value[1])})" if value[1] else ""
            )
        if header == "Kontaktní osoby":
            return "\n".join(" – ".join(p for p in person if p) for person in value)
        if header in ("Poznámka", "Soukromá poznámka"):
            return "\n\n".join(value)
        characteristic = self.characteristics.get(header)
        if characteristic is not None and characteristic.kind in (
            Characteristic.Kind.CHOICE,
            Characteristic.Kind.MULTICHOICE,
        ):
            return self.options[characteristic.pk].show(value)
        return values.text(value)

    def current_cells(self) -> dict[int, tuple[dict, int]]:
        """Every active actor's cells as the export writes them (cleaned like a file's), and
        its version."""
        headers = self.headers
        versions = dict(Actor.objects.active().values_list("pk", "version"))
        found = {}
        for row in self.resource.sheet_rows(self.resource.get_queryset()):
            cells = {
                h: as_read(v) for h, v in zip(headers, row, strict=True) if v not in ("", None)
            }
            found[row[0]] = (cells, versions[row[0]])
        return found


def as_read(value):
    """An exported value as the reader would return it from the file."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip() or None
    return value


def _choices(choices, what: str) -> values.Names:
    return values.Names(labels(choices).items(), what)


def _contact(line: str) -> tuple[str, str, str, str]:
    """`name – role – phone – e-mail`, parts recognised by their look."""
    name = role = phone = email = ""
    for part in (p.strip() for p in line.split(" – ") if p.strip()):
        if "@" in part and not email:
            email = part
        elif re.fullmatch(r"[+\d][\d\s/()-]{5,}", part) and not phone:
            phone = part
        elif not name:
            name = part
        else:
            role = f"{role} – {part}" if role else part
    return (name, role, phone, email)


_ORGANISATION_NAME = Organisation._meta.get_field("name").max_length
_CONTACT_FIELDS = [ContactPerson._meta.get_field(n) for n in ("name", "role", "phone", "email")]
_CONTACT_PARTS = ("jméno", "funkce", "telefon", "e-mail")
_NUMBER = CharacteristicValue._meta.get_field("number")
_NUMBER_DIGITS = _NUMBER.max_digits - _NUMBER.decimal_places
_LARGEST_NUMBER = Decimal(10) ** _NUMBER_DIGITS


def _checked_contact(line: str) -> tuple[str, str, str, str]:
    """`_contact`, refused with a Czech message where the database would refuse it."""
    contact = _contact(line)
    if not contact[0]:
        raise values.ValueProblem(
            f"Kontaktní osoba „{line.strip()}“ nemá jméno; pište jméno – funkce – telefon – e-mail."
        )
    for part, model_field, label in zip(contact, _CONTACT_FIELDS, _CONTACT_PARTS, strict=True):
        values.at_most(part, model_field.max_length, f"Kontaktní osoba: {label}")
    email = contact[3]
    if email and not _PLAIN["EmailValidator"].fullmatch(email):
        try:
            _CONTACT_FIELDS[3].run_validators(email)
        except ValidationError:
            raise values.ValueProblem(
                f"Kontaktní osoba „{contact[0]}“: „{email}“ není platný e-mail."
            ) from None
    return contact


# Texts that are certainly valid for Django's URL and e-mail validators (a strict subset of
# what they accept): most cells, checked without the validators' costlier rules.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PLAIN = {
    "URLValidator": re.compile(
        rf"https?://{_LABEL}(?:\.{_LABEL})*\.[a-z]{{2,63}}(?:/[a-z0-9._~/-]*)?", re.I | re.A
    ),
    "EmailValidator": re.compile(
        rf"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:{_LABEL}\.)+[a-z]{{2,63}}", re.I | re.A
    ),
}


def _plainly_valid(model_field: models.Field):
    """A check that a text surely passes the field's validation, or None."""
    patterns = []
    for validator in model_field.validators:
        if isinstance(validator, MaxLengthValidator):
            continue
        pattern = _PLAIN.get(type(validator).__name__)
        if pattern is None or type(validator).__module__ != "django.core.validators":
            return None
        if not {"http", "https"} <= set(getattr(validator, "schemes", ["http", "https"])):
            return None
        patterns.append(pattern)
    # 253: the longest host name the URL validator accepts; a shorter text has no longer one.
    limit = min(model_field.max_length or 253, 253)

    def check(value: str) -> bool:
        return len(value) <= limit and all(p.fullmatch(value) for p in patterns)

    return check


_TEXT_CHECKS = {header: _plainly_valid(f) for header, f in _TEXT_FIELDS.items()}


def validate_texts(state: dict) -> list[tuple[str, str]]:
    """Model field validation (length, e-mail, URL) of the state's texts: (column, Czech
    message) for each text refused."""
    messages = []
    for header, model_field in _TEXT_FIELDS.items():
        value = state.get(header)
        if value is None:
            continue
        if value == "":
            if model_field.blank:
                continue
        else:
            check = _TEXT_CHECKS[header]
            if check is not None and check(value):
                continue
        try:
            model_field.clean(value, None)
        except ValidationError as error:
            messages.extend((header, m) for m in error.messages)
    return messages


SCALARS = {
    **TEXTS,
    "Typ aktéra": "actor_type_id",
    "Zřizovatel": "founder",
    "Věk od": "age_from",
    "Věk do": "age_to",
    "Obec": "municipality_id",
    "On-line": "online",
    "Primární oblast potřeb": "primary_need_area_id",
    "Zaměření": "focus",
    "Krizová síť": "crisis_network",
    "Aktualizováno": "verified_on",
}


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


_KEPT = {header_key(h) for h in ("ID", "Název aktéra", "Účast v platformách")}


def plan_actors(sheet_rows: ActorSheet, data: SheetData, problems: list[Problem]) -> SheetPlan:
    """Match every row to an actor (ID, else IČO + name, else name) and compare.

    A matched row is compared cell by cell with what the export writes for its actor first;
    only the cells that differ are parsed (on both sides), so an unchanged row costs little.
    Effect on `data`: each row keeps only its ID, name and platform participation.
    """
    current = sheet_rows.current_cells()
    present = [h for h in sheet_rows.headers if header_key(h) in data.headers]
    key_of = {header_key(h): h for h in present}
    compared = [h for h in present if h not in CHECKED_ONLY]
    by_name, by_ico_name, names, ended = defaultdict(list), {}, {}, {}
    for pk, name, ico, status in Actor.objects.values_list(
        "pk", "name", "organisation__ico", "status"
    ):
        if status != Actor.Status.ACTIVE:
            ended[name.lower()] = name  # names are unique among all actors, ended ones too
            continue
        names[pk] = name
        by_name[header_key(name)].append(pk)
        if ico:
            by_ico_name[(ico, header_key(name))] = pk
    plan, seen, new_rows = SheetPlan(), {}, {}
    rows = data.rows
    for index, (number, cells_by_key) in enumerate(rows):
        # Of a row read, only what `check_participation` reads again stays: at tens of
        # thousands of rows the cells took as much memory as the plan.
        rows[index] = (number, {k: v for k, v in cells_by_key.items() if k in _KEPT})
        cells = {key_of[k]: v for k, v in cells_by_key.items() if k in key_of}
        where = {"sheet": data.name, "row": number}
        name = values.text(cells.get("Název aktéra")).strip()
        if not name:
            problems.append(Problem("Název aktéra je povinný.", column="Název aktéra", **where))
            continue
        try:
            actor_id = values.record_id(cells.get("ID"))
            ico = values.ico(cells.get("IČO"))
        except values.ValueProblem as problem:
            problems.append(Problem(str(problem), **where))
            continue
        key = header_key(name)
        if actor_id is not None:
            if actor_id not in current:
                problems.append(
                    Problem(
                        f"Aktér s ID {actor_id} v síti není (nebo je ukončený); "
                        "u nového aktéra nechte ID prázdné.",
                        column="ID",
                        **where,
                    )
                )
                continue
        elif ico and (ico, key) in by_ico_name:
            actor_id = by_ico_name[(ico, key)]
        elif len(by_name.get(key, [])) == 1:
            actor_id = by_name[key][0]
        elif len(by_name.get(key, [])) > 1:
            problems.append(
                Problem(f"Aktérů jménem „{name}“ je v síti víc; doplňte sloupec ID.", **where)
            )
            continue
        if actor_id is None:
            if key in new_rows:
                problems.append(
                    Problem(
                        f"Nový aktér „{name}“ je v souboru dvakrát: řádky {new_rows[key]} "
                        f"a {number}.",
                        **where,
                    )
                )
                continue
            if name.lower() in ended:
                problems.append(
                    Problem(
                        f"Aktér „{ended[name.lower()]}“ už v síti je, ale je ukončený; obnovte ho "
                        "v pracovně, nebo novému aktérovi dejte jiný název.",
                        column="Název aktéra",
                        **where,
                    )
                )
                continue
            new_rows[key] = number
            state = sheet_rows.parse(cells, problems, where, compared)
            changes = AddedChanges(sheet_rows.show, state)
            plan.added.append(RowPlan(number, name, None, state, changes))
            continue
        if actor_id in seen:
            problems.append(
                Problem(
                    f"Tentýž aktér „{name}“ je v souboru dvakrát: řádky {seen[actor_id]} "
                    f"a {number}.",
                    **where,
                )
            )
            continue
        seen[actor_id] = number
        old_cells, version = current[actor_id]
        differing = [h for h in compared if not same_cell(cells.get(h), old_cells.get(h))]
        if not differing:
            plan.unchanged += 1
            continue
        # Columns read together: the organisation by IČO and name, the age range's two ends.
        for pair in (("Organizace", "IČO"), ("Věk od", "Věk do")):
            if set(pair) & set(differing):
                differing = list(dict.fromkeys([*differing, *pair]))
        differing = [h for h in differing if h in compared]
        state = sheet_rows.parse(cells, problems, where, differing)
        old = sheet_rows.parse(old_cells, [], where, differing)
        changes = [
            (h, sheet_rows.show(h, old.get(h)), sheet_rows.show(h, v))
            for h, v in state.items()
            if v != old.get(h) and not (h == "Organizace" and _same_org(old, state))
        ]
        if changes:
            plan.changed.append(RowPlan(number, name, actor_id, state, changes, version))
        else:
            plan.unchanged += 1
    plan.missing = [(pk, names[pk]) for pk in current if pk not in seen]
    _validate(plan, problems, data.name)
    return plan


def same_cell(new, old) -> bool:
    """Whether a file's cell holds what the export wrote (numbers and text as typed)."""
    if new == old:
        return True
    if isinstance(old, str) and not isinstance(new, str):
        return False
    if isinstance(new, (int, float)) and isinstance(old, (int, float, Decimal)):
        return Decimal(str(new)) == Decimal(old)
    return False


def _same_org(old: dict, new: dict) -> bool:
    # An IČO names the organisation; its name in the row is only for people.
    return bool(new.get("IČO")) and new.get("IČO") == old.get("IČO")


def _validate(plan: SheetPlan, problems: list[Problem], sheet: str) -> None:
    for row in (*plan.added, *plan.changed):
        for column, message in validate_texts(row.state):
            problems.append(Problem(message, sheet=sheet, row=row.row, column=column))
        age_from, age_to = row.state.get("Věk od"), row.state.get("Věk do")
        if age_from is not None and age_to is not None and age_from > age_to:
            problems.append(
                Problem("Věk od je vyšší než věk do.", sheet=sheet, row=row.row, column="Věk do")
            )


def _scalar_values(state: dict) -> dict:
    """The actor's attributes the state sets, by attname."""
    found = {attname: state[header] for header, attname in SCALARS.items() if header in state}
    if "Územní působnost" in state:
        found["territorial_scope"] = state["Územní působnost"][0]
    if "Naplněnost kapacity" in state:
        found["capacity"], found["capacity_date"] = state["Naplněnost kapacity"]
    return found


def _set_scalars(actor: Actor, state: dict) -> list[str]:
    found = _scalar_values(state)
    for attname, value in found.items():
        setattr(actor, attname, value)
    return list(found)


def apply_actors(sheet_rows: ActorSheet, plan: SheetPlan, *, user, end_missing: bool) -> None:
    """Write the plan; the caller holds the transaction. Versions are checked under lock."""
    bulk = len(plan.added) >= BULK_LOAD
    with _bulk_load() if bulk else contextlib.nullcontext():
        _apply_actors(sheet_rows, plan, user=user, end_missing=end_missing)


def _bulk_load():
    """The foreign keys of the tables the actors' import fills are checked once at the end.

    Only for thousands of new actors (a first load of a region, not the yearly revision of an
    ORP's ~150): meanwhile the actors and their lists are locked for readers, and the users'
    table is not (keys to it stay), so people can still sign in."""
    tables = [Actor, ContactPerson, Note, CharacteristicValue, CharacteristicValue.options.through]
    tables += [Actor._meta.get_field(name).remote_field.through for name in M2M_FIELDS.values()]
    return foreign_keys_checked_at_end(
        [model._meta.db_table for model in tables], keep_to=[get_user_model()._meta.db_table]
    )


def _apply_actors(sheet_rows: ActorSheet, plan: SheetPlan, *, user, end_missing: bool) -> None:
    changed_ids = [row.record_id for row in plan.changed]
    ended_ids = [pk for pk, _ in plan.missing] if end_missing else []
    locked = dict(
        Actor.objects.select_for_update()
        .filter(pk__in=changed_ids + ended_ids)
        .values_list("pk", "version")
    )
    moved = [row.name for row in plan.changed if locked.get(row.record_id) != row.version]
    if moved or len(locked) != len(changed_ids) + len(ended_ids):
        raise ImportConflict(
            "Během náhledu se v síti změnili aktéři "
            + ", ".join(f"„{name}“" for name in moved[:5])
            + ". Nahrajte soubor znovu a zkontrolujte nový náhled."
        )
    organisations = _organisations(plan)
    columns, new_rows = _new_actor_rows(plan.added, organisations, user)
    new_ids = insert_rows(Actor, columns[1:], new_rows, returning_ids=True)
    for row, pk in zip(plan.added, new_ids, strict=True):
        row.record_id = pk
    new_rows = [(pk, *row) for pk, row in zip(new_ids, new_rows, strict=True)]
    changed_actors = []
    # bulk_update() and update() leave auto_now fields as they were.
    now = timezone.now()
    fields = {"version", "updated_at"}
    current = Actor.objects.in_bulk(changed_ids)
    for row in plan.changed:
        actor = current[row.record_id]
        changed = _set_scalars(
            actor, {h: row.state[h] for h, _, _ in row.changes if h in row.state}
        )
        fields.update(changed)
        if any(h in ("Organizace", "IČO") for h, _, _ in row.changes):
            actor.organisation_id = organisations.get(id(row))
            fields.add("organisation")
        if "verified_on" in changed and actor.verified_on is not None:
            # A new `Aktualizováno` is a verification: by whom it is known only as the importer.
            actor.verified_by_id = _user_id(user)
            fields.add("verified_by")
        actor.version += 1
        actor.updated_at = now
        changed_actors.append(actor)
    if changed_actors:
        Actor.objects.bulk_update(changed_actors, sorted(fields), batch_size=500)
    # The new actors' history first, its many-to-many snapshots as their links are written
    # (none yet here): so the links need neither be read again nor be kept.
    new_records = record_history_rows(
        Actor,
        columns,
        new_rows,
        user=user,
        reason=REASON,
        history_type="+",
        links=dict.fromkeys(M2M_FIELDS.values(), ()),
    )
    del new_rows
    touched = [*plan.added, *plan.changed]
    _write_m2m(touched, new_records)
    _write_contacts(touched, user)
    _write_notes(touched, user)
    _write_characteristics(sheet_rows, touched, user)
    record_history(changed_actors, user=user, reason=REASON)
    if ended_ids:
        today = timezone.localdate()
        Actor.objects.filter(pk__in=ended_ids).update(
            status=Actor.Status.ENDED,
            ended_on=today,
            version=models.F("version") + 1,
            updated_at=now,
        )
        record_history(
            list(Actor.objects.filter(pk__in=ended_ids)),
            user=user,
            reason="Import sešitu: chybí v souboru",
        )


def _new_actor_rows(
    rows: list[RowPlan], organisations: dict, user
) -> tuple[list[str], list[tuple]]:
    """Every column of the new actors (the pk first), and their rows without the pk (still
    to come) for insert_rows. A verification date comes with its verifier: the importer."""
    template = Actor(status=Actor.Status.ACTIVE)
    now = timezone.now()
    template.created_at = template.updated_at = now
    columns = [field.attname for field in Actor._meta.concrete_fields]
    defaults = {name: getattr(template, name) for name in columns}
    found = []
    for row in rows:
        values_ = {**defaults, **_scalar_values(row.state)}
        values_["organisation_id"] = organisations.get(id(row))
        if values_["verified_on"] is not None:
            values_["verified_by_id"] = _user_id(user)
        found.append(tuple(values_[name] for name in columns[1:]))
    return columns, found


def _user_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _existing(rows: list[RowPlan]) -> list[int]:
    """The actors of the rows that were in the network before: only they have old values."""
    return [row.record_id for row in rows if row.version is not None]


def _writes(row: RowPlan, header: str) -> bool:
    """Whether the row writes the column: a new row that fills it, a changed row that changes
    it (asked for every column of every row: no set is built for a new row)."""
    if header not in row.state:
        return False
    return row.version is None or any(h == header for h, _, _ in row.changes)


def _affected(rows: list[RowPlan], header: str) -> list[RowPlan]:
    return [row for row in rows if _writes(row, header)]


def _organisations(plan: SheetPlan) -> dict[int, int | None]:
    """The organisation (its pk) of each row that names one (by IČO, else by name), created if
    new."""
    wanted = {}
    for row in (*plan.added, *plan.changed):
        if not (_writes(row, "Organizace") or _writes(row, "IČO")):
            continue
        wanted[id(row)] = (row.state.get("IČO", ""), row.state.get("Organizace", ""), row.name)
    if not wanted:
        return {}
    # Plain values: instances of every organisation of a large network cost more than the rest.
    by_ico, by_name = {}, {}
    for pk, name, ico in Organisation.objects.values_list("pk", "name", "ico"):
        if ico:
            by_ico[ico] = pk
        by_name[header_key(name)] = pk
    result, created = {}, {}
    for row_id, (ico, name, actor_name) in wanted.items():
        found = by_ico.get(ico) if ico else (by_name.get(header_key(name)) if name else None)
        if found is None and (ico or name):
            key = ico or header_key(name)
            found = created.get(key)
            if found is None:
                found = created[key] = Organisation(name=name or actor_name, ico=ico)
        result[row_id] = found
    Organisation.objects.bulk_create(created.values())
    return {
        row_id: found.pk if isinstance(found, Organisation) else found
        for row_id, found in result.items()
    }


def _write_m2m(rows: list[RowPlan], new_records: dict[int, int]) -> None:
    """Replace the links of the columns the rows change; those of new actors go to their
    historical records `new_records` (by actor) as well."""
    for header, name in M2M_FIELDS.items():
        affected = _affected(rows, header)
        if not affected:
            continue
        relation = Actor._meta.get_field(name)
        through = relation.remote_field.through
        target = f"{relation.m2m_reverse_field_name()}_id"
        through.objects.filter(actor_id__in=_existing(affected)).delete()
        pairs = []
        for row in affected:
            chosen = row.state[header][1] if header == "Územní působnost" else row.state[header]
            pairs += [(row.record_id, pk) for pk in chosen]
        # Plain pairs: the ORM's per-object cost dominated large imports.
        ids = insert_rows(through, ["actor_id", target], pairs, returning_ids=True)
        record_history_links(
            Actor,
            name,
            ((pk, *pair) for pk, pair in zip(ids, pairs, strict=True) if pair[0] in new_records),
            new_records,
        )


def _write_contacts(rows: list[RowPlan], user) -> None:
    affected = _affected(rows, "Kontaktní osoby")
    if not affected:
        return
    ContactPerson.objects.filter(actor_id__in=_existing(affected)).delete()
    columns = ["actor_id", "name", "role", "phone", "email", "order"]
    rows = [
        (r.record_id, name, role, phone, email, i)
        for r in affected
        for i, (name, role, phone, email) in enumerate(r.state["Kontaktní osoby"])
    ]
    ids = insert_rows(ContactPerson, columns, rows, returning_ids=True)
    rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    record_history_rows(
        ContactPerson, ["id", *columns], rows, user=user, reason=REASON, history_type="+"
    )


def _write_notes(rows: list[RowPlan], user) -> None:
    columns = ["actor_id", "text", "visibility", "author_id", "created_at"]
    author, now = _user_id(user), timezone.now()
    for header, visibility in (
        ("Poznámka", Note.Visibility.SHARED),
        ("Soukromá poznámka", Note.Visibility.PRIVATE),
    ):
        affected = _affected(rows, header)
        if not affected:
            continue
        existing = defaultdict(dict)
        for note in Note.objects.filter(actor_id__in=_existing(affected), visibility=visibility):
            existing[note.actor_id].setdefault(note.text.strip(), note.pk)
        stale, new = [], []
        for row in affected:
            kept = existing.get(row.record_id, {})
            wanted = set(row.state[header])
            stale += [pk for text, pk in kept.items() if text not in wanted]
            new += [
                (row.record_id, text, visibility.value, author, now)
                for text in row.state[header]
                if text not in kept
            ]
        Note.objects.filter(pk__in=stale).delete()
        ids = insert_rows(Note, columns, new, returning_ids=True)
        new = [(pk, *row) for pk, row in zip(ids, new, strict=True)]
        record_history_rows(Note, ["id", *columns], new, user=user, reason=REASON, history_type="+")


def _write_characteristics(sheet_rows: ActorSheet, rows: list[RowPlan], user) -> None:
    kind = Characteristic.Kind
    for header, characteristic in sheet_rows.characteristics.items():
        affected = _affected(rows, header)
        if not affected:
            continue
        CharacteristicValue.objects.filter(
            characteristic=characteristic, actor_id__in=_existing(affected)
        ).delete()
        columns = ["actor_id", "characteristic_id", "boolean", "text", "number", "option_id"]
        created, options = [], []
        for row in affected:
            value = row.state[header]
            if value is None:
                continue
            fields = dict.fromkeys(columns[2:])
            if characteristic.kind == kind.BOOLEAN:
                fields["boolean"] = value
            elif characteristic.kind == kind.NUMBER:
                fields["number"] = value
            elif characteristic.kind == kind.CHOICE:
                fields["option_id"] = value
            elif characteristic.kind == kind.TEXT:
                fields["text"] = value
            created.append((row.record_id, characteristic.pk, *fields.values()))
            options.append(value if characteristic.kind == kind.MULTICHOICE else ())
        ids = insert_rows(CharacteristicValue, columns, created, returning_ids=True)
        created = [(pk, *row) for pk, row in zip(ids, created, strict=True)]
        through = CharacteristicValue.options.through
        pairs = [(pk, o) for pk, chosen in zip(ids, options, strict=True) for o in chosen]
        link_ids = insert_rows(
            through,
            ["characteristicvalue_id", "characteristicoption_id"],
            pairs,
            returning_ids=True,
        )
        record_history_rows(
            CharacteristicValue,
            ["id", *columns],
            created,
            user=user,
            reason=REASON,
            history_type="+",
            links={"options": [(pk, *pair) for pk, pair in zip(link_ids, pairs, strict=True)]},
        )
