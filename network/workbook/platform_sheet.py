"""Import of the `Mezioborové platformy` sheet: match rows to platforms, compare, write.

Works like the actor sheet (`actor_sheet`): rows match by ID, else by name; cells are compared
with what the export writes before anything is parsed. Coordinators and members name actors,
including actors the same file adds; memberships keep their representative and dates when
only their role changes.
"""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation

from actors.history import record_history
from actors.models import Actor, Topic
from actors.validators import validate_list_item
from needs.models import NeedArea
from needs.resources import labels
from platforms.models import ParticipantGroup, Platform, PlatformMembership, PlatformType
from platforms.resources import PERSON_PREFIX, SHEET, PlatformResource, coordinating_people

from . import values
from .plan import REASON, CellParser, ImportConflict, RowPlan, SheetPlan, as_read, same_cell
from .reader import Problem, SheetData, SheetSpec, header_key

REQUIRED = ["Název platformy", "Typ platformy"]
TEXTS = {
    "Název platformy": "name",
    "Cíle": "goals",
    "Zhodnocení efektivity": "effectiveness",
    "Výstupy ze setkání": "outputs",
    "Poznámka": "note",
}
M2M = {
    "Další účastníci": ("other_participants", ParticipantGroup, "Další účastníky"),
    "Témata": ("topics", Topic, "Téma"),
    "Oblasti potřeb": ("need_areas", NeedArea, "Oblast potřeb"),
}
ROLE_SUFFIXES = (PlatformMembership.Role.GUEST, PlatformMembership.Role.OCCASIONAL)
# A coordinating person, as the export writes it (PERSON_PREFIX), in any case and spacing.
_PERSON = re.compile(re.escape(PERSON_PREFIX.strip()).replace(":", r"\s*:"), re.I)
# The longest texts the database takes, by field.
_LIMITS = {
    name: Platform._meta.get_field(name).max_length
    for name in ("name", "frequency_note", "coordinator_person")
}


def spec() -> SheetSpec:
    return SheetSpec(SHEET, REQUIRED, PlatformResource().get_export_headers())


class PlatformSheet(CellParser):
    def __init__(self, actors: SheetPlan | None):
        with translation.override("cs"):
            self.resource = PlatformResource()
            self.headers = self.resource.get_export_headers()
            self.types = values.Names(
                PlatformType.objects.values_list("pk", "name"), "Typ platformy"
            )
            self.names = {
                header: values.Names(model.objects.values_list("pk", "name"), what)
                for header, (_, model, what) in M2M.items()
            }
            self.statuses = values.Names(labels(Platform.Status).items(), "Stav")
            self.statuses.alias(Platform.Status.ENDED, Platform.ENDED_FORMERLY)
            self.regularities = labels(Platform.Regularity)
            self.intervals = labels(Platform.Interval)
            self.roles = labels(PlatformMembership.Role)
        # Actors by name: the network's (ended ones stay members) and those the file adds.
        self.actors = values.Names(Actor.objects.values_list("pk", "name"), "Aktéra")
        for row in actors.added if actors else []:
            self.actors.add(("new", header_key(row.name)), row.name)

    def _parse(self, header: str, value):
        if header == "Název platformy":
            name = values.at_most(values.text(value).strip(), _LIMITS["name"], header)
            try:
                validate_list_item(name)
            except ValidationError as error:
                raise values.ValueProblem(error.messages[0]) from None
            return name
        if header in TEXTS:
            return values.text(value).strip()
        if header in M2M:
            return self.names[header].many(value)
        if header == "Typ platformy":
            if value is None:
                raise values.ValueProblem("Typ platformy je povinný.")
            return self.types.get(values.text(value))
        if header == "Stav":
            return self.statuses.get(values.text(value)) if value else Platform.Status.ACTIVE
        if header == "Frekvence setkávání":
            return self._frequency(value)
        if header == "Koordinátor":
            people, actors = [], set()
            for item in values.split_list(value):
                # "osoba: Jana Nová" (in any case, with or without a space before the colon);
                # "Osoba blízká, z. s." or "osoba Jana Nová" is an actor's name.
                person = _PERSON.match(item)
                if person:
                    if item[person.end() :].strip():  # "osoba:" alone names no one
                        people.append(item[person.end() :].strip())
                else:
                    actors.add(self.actors.get(item))
            person = values.at_most("; ".join(people), _LIMITS["coordinator_person"], header)
            return (frozenset(actors), person)
        if header == "Složení účastníků":
            return frozenset(self._member(item) for item in values.split_list(value))
        return None  # ID: matching only

    def _frequency(self, value):
        regularity = interval = ""
        rest = []
        by_label = {header_key(v): k for k, v in self.regularities.items()}
        by_interval = {header_key(v): k for k, v in self.intervals.items()}
        for item in values.split_list(value):
            key = header_key(item)
            if key in by_label and not regularity:
                regularity = by_label[key]
            elif key in by_interval and not interval:
                interval = by_interval[key]
            else:
                rest.append(item)
        note = values.at_most("; ".join(rest), _LIMITS["frequency_note"], "Frekvence setkávání")
        return (regularity, interval, note)

    def _member(self, item: str):
        name, role = member_role(item, self.roles)
        if role == PlatformMembership.Role.COORDINATOR:
            raise values.ValueProblem(
                f"Koordinátora „{name}“ uveďte ve sloupci „Koordinátor“, ne mezi účastníky."
            )
        return (self.actors.get(name), role)

    def show(self, header: str, value) -> str:
        if value is None or value == "":
            return ""
        if header in M2M:
            return self.names[header].show(value)
        if header == "Typ platformy":
            return self.types.show(value)
        if header == "Stav":
            return self.statuses.show(value)
        if header == "Frekvence setkávání":
            regularity, interval, note = value
            parts = [self.regularities.get(regularity, ""), self.intervals.get(interval, ""), note]
            return "; ".join(p for p in parts if p)
        if header == "Koordinátor":
            actors, person = value
            names = sorted(self.actors.show(frozenset(actors)).split("; ")) if actors else []
            return "; ".join([*names, *coordinating_people(person)])
        if header == "Složení účastníků":
            shown = [
                self.actors.names.get(pk, str(pk))
                + (f" ({self.roles[role]})" if role in ROLE_SUFFIXES else "")
                for pk, role in value
            ]
            return "; ".join(sorted(shown))
        return values.text(value)

    def current_cells(self) -> dict[int, tuple[dict, int]]:
        versions = dict(Platform.objects.values_list("pk", "version"))
        found = {}
        for row in self.resource.sheet_rows(Platform.objects.all()):
            cells = {
                h: as_read(v) for h, v in zip(self.headers, row, strict=True) if v not in ("", None)
            }
            found[row[0]] = (cells, versions[row[0]])
        return found


def plan_platforms(sheet: PlatformSheet, data: SheetData, problems: list[Problem]) -> SheetPlan:
    current = sheet.current_cells()
    present = [h for h in sheet.headers if header_key(h) in data.headers]
    key_of = {header_key(h): h for h in present}
    compared = [h for h in present if h != "ID"]
    # Rows without an ID match by name: as written (but for case), else the one name alike.
    by_name = values.Names(Platform.objects.values_list("pk", "name"), "Platformu")
    plan, seen, new_rows = SheetPlan(), {}, {}
    for number, cells_by_key in data.rows:
        cells = {key_of[k]: v for k, v in cells_by_key.items() if k in key_of}
        where = {"sheet": data.name, "row": number}
        name = values.text(cells.get("Název platformy")).strip()
        if not name:
            problems.append(
                Problem("Název platformy je povinný.", column="Název platformy", **where)
            )
            continue
        try:
            platform_id = values.record_id(cells.get("ID"))
        except values.ValueProblem as problem:
            problems.append(Problem(str(problem), column="ID", **where))
            continue
        if platform_id is not None and platform_id not in current:
            problems.append(
                Problem(
                    f"Platforma s ID {platform_id} v síti není; u nové platformy nechte ID "
                    "prázdné.",
                    column="ID",
                    **where,
                )
            )
            continue
        if platform_id is None:
            try:
                platform_id = by_name.find(name)
            except values.ValueProblem as problem:
                problems.append(Problem(str(problem), column="Název platformy", **where))
                continue
        if platform_id is None:
            if header_key(name) in new_rows:
                problems.append(
                    Problem(
                        f"Nová platforma „{name}“ je v souboru dvakrát: řádky "
                        f"{new_rows[header_key(name)]} a {number}.",
                        **where,
                    )
                )
                continue
            new_rows[header_key(name)] = number
            state = sheet.parse(cells, problems, where, compared)
            changes = [(h, "", shown) for h, v in state.items() if (shown := sheet.show(h, v))]
            plan.added.append(RowPlan(number, name, None, state, changes))
            continue
        if platform_id in seen:
            problems.append(
                Problem(
                    f"Tatáž platforma „{name}“ je v souboru dvakrát: řádky {seen[platform_id]} "
                    f"a {number}.",
                    **where,
                )
            )
            continue
        seen[platform_id] = number
        old_cells, version = current[platform_id]
        differing = [h for h in compared if not same_cell(cells.get(h), old_cells.get(h))]
        if not differing:
            plan.unchanged += 1
            continue
        state = sheet.parse(cells, problems, where, differing)
        old = sheet.parse(old_cells, [], where, differing)
        changes = [
            (h, sheet.show(h, old.get(h)), sheet.show(h, v))
            for h, v in state.items()
            if v != old.get(h)
        ]
        if changes:
            plan.changed.append(RowPlan(number, name, platform_id, state, changes, version))
        else:
            plan.unchanged += 1
    names = dict(Platform.objects.filter(status=Platform.Status.ACTIVE).values_list("pk", "name"))
    plan.missing = [(pk, names[pk]) for pk in names if pk not in seen]
    return plan


def _resolve(actor, new_ids: dict) -> int:
    return new_ids[actor] if isinstance(actor, tuple) else actor


def apply_platforms(plan: SheetPlan, actors: SheetPlan | None, *, user, end_missing: bool):
    """Write the plan after the actors (new actors have their ids by then)."""
    new_ids = {("new", header_key(r.name)): r.record_id for r in (actors.added if actors else [])}
    changed_ids = [row.record_id for row in plan.changed]
    ended_ids = [pk for pk, _ in plan.missing] if end_missing else []
    locked = dict(
        Platform.objects.select_for_update()
        .filter(pk__in=changed_ids + ended_ids)
        .values_list("pk", "version")
    )
    moved = [row.name for row in plan.changed if locked.get(row.record_id) != row.version]
    if moved:
        raise ImportConflict(
            "Během náhledu se v síti změnily platformy "
            + ", ".join(f"„{name}“" for name in moved[:5])
            + ". Nahrajte soubor znovu a zkontrolujte nový náhled."
        )
    created = []
    for row in plan.added:
        platform = Platform(status=Platform.Status.ACTIVE)
        _set_scalars(platform, row.state)
        created.append(platform)
    Platform.objects.bulk_create(created)
    for row, platform in zip(plan.added, created, strict=True):
        row.record_id = platform.pk
    current = Platform.objects.in_bulk(changed_ids)
    # bulk_update() and update() leave auto_now fields as they were.
    now = timezone.now()
    changed, fields = [], {"version", "updated_at"}
    for row in plan.changed:
        platform = current[row.record_id]
        fields.update(_set_scalars(platform, row.state))
        platform.version += 1
        platform.updated_at = now
        changed.append(platform)
    if changed:
        Platform.objects.bulk_update(changed, sorted(fields), batch_size=500)
    rows = [*plan.added, *plan.changed]
    for header, (name, _, _) in M2M.items():
        affected = [r for r in rows if header in r.state]
        if not affected:
            continue
        relation = Platform._meta.get_field(name)
        through = relation.remote_field.through
        target = relation.m2m_reverse_field_name()
        through.objects.filter(platform_id__in=[r.record_id for r in affected]).delete()
        through.objects.bulk_create(
            through(platform_id=r.record_id, **{f"{target}_id": pk})
            for r in affected
            for pk in r.state[header]
        )
    _write_memberships(rows, new_ids, user)
    record_history(created, user=user, reason=REASON, history_type="+")
    record_history(changed, user=user, reason=REASON)
    if ended_ids:
        Platform.objects.filter(pk__in=ended_ids).update(
            status=Platform.Status.ENDED,
            until_year=Platform.last_year(timezone.localdate().year),
            version=models.F("version") + 1,
            updated_at=now,
        )
        record_history(
            list(Platform.objects.filter(pk__in=ended_ids)),
            user=user,
            reason="Import sešitu: chybí v souboru",
        )


def _set_scalars(platform: Platform, state: dict) -> list[str]:
    changed = []
    for header, attname in TEXTS.items():
        if header in state:
            setattr(platform, attname, state[header])
            changed.append(attname)
    if "Typ platformy" in state:
        platform.platform_type_id = state["Typ platformy"]
        changed.append("platform_type")
    if "Frekvence setkávání" in state:
        platform.regularity, platform.interval, platform.frequency_note = state[
            "Frekvence setkávání"
        ]
        changed += ["regularity", "interval", "frequency_note"]
    if "Koordinátor" in state:
        platform.coordinator_person = state["Koordinátor"][1]
        changed.append("coordinator_person")
    if "Stav" in state:
        platform.status = state["Stav"]
        if platform.status == Platform.Status.ACTIVE:
            platform.until_year = None
        changed += ["status", "until_year"]
    return changed


def _write_memberships(rows: list[RowPlan], new_ids: dict, user) -> None:
    """Memberships from `Koordinátor` and `Složení účastníků`; kept ones keep their details."""
    affected = [r for r in rows if {"Koordinátor", "Složení účastníků"} & set(r.state)]
    if not affected:
        return
    existing = defaultdict(dict)
    for membership in PlatformMembership.objects.filter(
        platform_id__in=[r.record_id for r in affected]
    ):
        existing[membership.platform_id][membership.actor_id] = membership
    stale, updated, created = [], [], []
    for row in affected:
        have = existing.get(row.record_id, {})
        wanted = {
            _resolve(actor, new_ids): role
            for actor, role in row.state.get("Složení účastníků", frozenset())
        }
        if "Složení účastníků" not in row.state:  # only the coordinators changed
            wanted = {
                pk: m.role
                for pk, m in have.items()
                if m.role != PlatformMembership.Role.COORDINATOR
            }
        if "Koordinátor" in row.state:
            for actor in row.state["Koordinátor"][0]:
                wanted[_resolve(actor, new_ids)] = PlatformMembership.Role.COORDINATOR
        else:
            wanted.update(
                {
                    pk: m.role
                    for pk, m in have.items()
                    if m.role == PlatformMembership.Role.COORDINATOR
                }
            )
        for actor_id, membership in have.items():
            if actor_id not in wanted:
                stale.append(membership.pk)
            elif membership.role != wanted[actor_id]:
                membership.role = wanted[actor_id]
                updated.append(membership)
        created += [
            PlatformMembership(platform_id=row.record_id, actor_id=actor_id, role=role)
            for actor_id, role in wanted.items()
            if actor_id not in have
        ]
    PlatformMembership.objects.filter(pk__in=stale).delete()
    PlatformMembership.objects.bulk_update(updated, ["role"])
    record_history(updated, user=user, reason=REASON)
    created = PlatformMembership.objects.bulk_create(created)
    record_history(created, user=user, reason=REASON, history_type="+")


PARTICIPATION = "Účast v platformách"


def check_participation(
    actors: SheetData, platforms: SheetData | None, problems: list[Problem]
) -> None:
    """Warn where a row's `Účast v platformách` differs from what the file's platforms sheet
    (authoritative when present) or else the network says; nothing is written from it."""
    if header_key(PARTICIPATION) not in actors.headers:
        return
    with translation.override("cs"):  # the file's labels, whatever the interface's language
        roles = labels(PlatformMembership.Role)
    actor_key = _identity(Actor.objects.values_list("pk", "name"))
    platform_key = _identity(Platform.objects.values_list("pk", "name"))
    from_sheet = platforms is not None and bool(platforms.rows)
    if from_sheet:
        expected = _sheet_participation(platforms, roles, actor_key, platform_key)
        source = f"listu „{platforms.name}“"
    else:
        expected = _network_participation(roles)
        source = "síti"
    for number, cells in actors.rows:
        name = values.text(cells.get(header_key("Název aktéra")))
        try:
            actor_id = values.record_id(cells.get(header_key("ID")))
        except values.ValueProblem:
            continue  # reported by the actor sheet
        wanted = expected.get(actor_id if actor_id and not from_sheet else actor_key(name), {})
        items = values.split_list(cells.get(header_key(PARTICIPATION)))
        found = {(platform_key(item), role) for item, role in _roles(items, roles)}
        if found != set(wanted):
            shown = "; ".join(sorted(wanted.values())) or "žádná"
            problems.append(
                Problem(
                    f"Účast v platformách neodpovídá {source} (tam: „{shown}“). Sloupec se jen "
                    "kontroluje a nic se z něj nezapisuje; účast se mění na listu "
                    "„Mezioborové platformy“.",
                    sheet=actors.name,
                    row=number,
                    column=PARTICIPATION,
                    warning=True,
                )
            )


def _identity(pairs):
    """A name's record as the import resolves it (`values.Names`: as written, else the one
    alike), else its loose key: names alike but for punctuation stay apart where both exist."""
    names = values.Names(pairs, "")

    def key(name: str):
        try:
            found = names.find(name.strip())
        except values.ValueProblem:
            found = None
        return found if found is not None else header_key(name)

    return key


def member_role(item: str, roles: dict) -> tuple[str, str]:
    """The name and role of `Name (role)`, the role's label in any case; without a role, or
    with something else in the brackets (`Charita (Benešov)`), a standing member."""
    start = item.rfind(" (")
    if start > 0 and item.endswith(")"):
        label = header_key(item[start + 2 : -1])
        for role, text in roles.items():
            if header_key(text) == label:
                return item[:start].strip(), role
    return item, PlatformMembership.Role.MEMBER


def _roles(items: list[str], roles: dict) -> list[tuple[str, str]]:
    """(name, role) of `Name (role)` items; without a role, a standing member."""
    return [member_role(item, roles) for item in items]


def _shown(platform: str, role: str, roles: dict) -> str:
    return platform if role == PlatformMembership.Role.MEMBER else f"{platform} ({roles[role]})"


def _network_participation(roles: dict) -> dict[int, dict]:
    """Actor pk -> {(platform pk, role): as written} of the network's memberships."""
    found = defaultdict(dict)
    for actor, platform_id, platform, role in PlatformMembership.objects.values_list(
        "actor_id", "platform_id", "platform__name", "role"
    ):
        found[actor][(platform_id, role)] = _shown(platform, role, roles)
    return found


def _sheet_participation(data: SheetData, roles: dict, actor_key, platform_key) -> dict:
    """The same from the platforms sheet's coordinators and members, by `_identity` keys."""
    found = defaultdict(dict)
    for _, cells in data.rows:
        platform = values.text(cells.get(header_key("Název platformy"))).strip()
        if not platform:
            continue
        members = [
            (item, PlatformMembership.Role.COORDINATOR)
            for item in values.split_list(cells.get(header_key("Koordinátor")))
            if not _PERSON.match(item)
        ]
        members += _roles(values.split_list(cells.get(header_key("Složení účastníků"))), roles)
        for name, role in members:
            found[actor_key(name)][(platform_key(platform), role)] = _shown(platform, role, roles)
    return found
