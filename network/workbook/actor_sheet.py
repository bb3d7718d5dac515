"""Import of the `Aktéři sítě` sheet: parse its cells, match rows to actors and compare.

A matched row is first compared cell by cell with the cells the export writes for its actor;
only the cells that differ are parsed, on both sides with the same parser, so a just-exported
workbook imports with no change (the round trip) and the preview shows old and new as the
sheet writes them. `actor_writes` writes the plan.
"""

import functools
import re
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone, translation

from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicValue,
    ContactPerson,
    Founder,
    LifeSituation,
    Municipality,
    Organisation,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
)
from actors.resources import SHEET, template_column
from actors.validators import validate_list_item
from needs.models import Focus, NeedArea
from needs.resources import labels
from platforms.resources import NetworkActorResource

from . import values
from .plan import AddedChanges, CellParser, RowPlan, SheetPlan, as_read, same_cell
from .reader import Problem, SheetData, SheetSpec, header_key

REQUIRED = ["Název aktéra", "Primární oblast potřeb"]
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


_LIST_ITEM = re.compile(r"[^;\r\n]*")


def _plainly_valid(model_field: models.Field):
    """A check that a text surely passes the field's validation, or None."""
    patterns = []
    for validator in model_field.validators:
        if isinstance(validator, MaxLengthValidator):
            continue
        if validator is validate_list_item:
            patterns.append(_LIST_ITEM)
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
