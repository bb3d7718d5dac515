"""Year-over-year changes: what was added, ended and changed between two snapshot contents.

Records are matched by ID: actors and platforms by the sheet's, memberships by platform and
actor, needs and activities by the IDs their texts had when the snapshot was taken (a renamed
one is changed, not ended and added). Fields compare as the sheet's text; the lists of actor
names (`Koordinátor`, `Zapojení aktéři`) by the actors' IDs, so renaming an actor changes no
platform or activity. The verification date and the two membership columns (`Účast v
platformách`, `Složení účastníků`) are left out: memberships are records of their own.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import pgettext_lazy

from actors.resources import SHEET as ACTORS
from actors.text import czech_key
from needs.resources import SHEET as NEEDS
from platforms.models import Platform
from platforms.resources import SHEET as PLATFORMS

ACTOR, PLATFORM, MEMBERSHIP, NEED, ACTIVITY = "actor", "platform", "membership", "need", "activity"
KINDS = {
    ACTOR: pgettext_lazy("revision record", "actor"),
    PLATFORM: pgettext_lazy("revision record", "platform"),
    MEMBERSHIP: pgettext_lazy("revision record", "platform membership"),
    NEED: pgettext_lazy("revision record", "need"),
    ACTIVITY: pgettext_lazy("revision record", "activity"),
}
# In a summary of counts: "Aktéři: přidáno 2, změněno 1".
KIND_PLURALS = {
    ACTOR: pgettext_lazy("revision records", "actors"),
    PLATFORM: pgettext_lazy("revision records", "platforms"),
    MEMBERSHIP: pgettext_lazy("revision records", "platform memberships"),
    NEED: pgettext_lazy("revision records", "needs"),
    ACTIVITY: pgettext_lazy("revision records", "activities"),
}
ADDED, ENDED, CHANGED = "added", "ended", "changed"
ACTIONS = {
    ADDED: pgettext_lazy("revision change", "added"),
    ENDED: pgettext_lazy("revision change", "ended"),
    CHANGED: pgettext_lazy("revision change", "changed"),
}
# The column of a record's own name (memberships are labelled by their actor and platform).
TITLES = {
    ACTOR: "Název aktéra",
    PLATFORM: "Název platformy",
    NEED: "Potřeba",
    ACTIVITY: "Činnost",
}

IGNORED = {"ID", "Aktualizováno", "Účast v platformách", "Složení účastníků"}
NEED_FIELDS = ("Naplňování potřeby", "Rizika nenaplnění")
ACTIVITY_FIELDS = (
    "Zaměření činnosti",
    "Kdo může činnost uskutečnit",
    "Praxe v lokalitě",
    "Zapojení aktéři",
)
ROLE = "Role v platformě"
# Columns that list actors by name (the platform's coordinating actors, the local practice's).
ACTOR_LISTS = ("Koordinátor", "Zapojení aktéři")
LIST_SPLIT = re.compile(r";\s*|\n")


@dataclass(frozen=True)
class Change:
    kind: str
    key: str
    label: str
    action: str
    field: str = ""
    old: str = ""
    new: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


@dataclass
class Record:
    label: str
    fields: dict[str, str]


def records(content: dict) -> dict[str, dict[str, Record]]:
    """The records of a snapshot content by kind and key."""
    sheets = content["sheets"]
    found = {kind: {} for kind in KINDS}
    for kind, sheet, title in (
        (ACTOR, ACTORS, "Název aktéra"),
        (PLATFORM, PLATFORMS, "Název platformy"),
    ):
        for row in _rows(sheets.get(sheet)):
            found[kind][row.get("ID", "")] = Record(
                row.get(title, ""),
                {h: v for h, v in row.items() if h not in IGNORED and h != title},
            )
    for platform_id, actor_id, role in content.get("memberships", []):
        platform = found[PLATFORM].get(str(platform_id))
        actor = found[ACTOR].get(str(actor_id))
        found[MEMBERSHIP][f"{platform_id}:{actor_id}"] = Record(
            f"{platform.label if platform else f'#{platform_id}'} – "
            f"{actor.label if actor else f'#{actor_id}'}",
            {ROLE: role},
        )
    need_ids, activity_ids = content.get("needs", {}), content.get("activities", {})
    for row in _rows(sheets.get(NEEDS)):
        area, need, activity = (
            row.get("Oblast potřeb", ""),
            row.get("Potřeba", ""),
            row.get("Činnost", ""),
        )
        need_label = f"{area} / {need}"
        need_key = str(need_ids.get(need_label, need_label))
        if need_key not in found[NEED]:
            found[NEED][need_key] = Record(need_label, {f: row.get(f, "") for f in NEED_FIELDS})
        if activity:
            label = f"{need_label} / {activity}"
            fields = {f: row.get(f, "") for f in ACTIVITY_FIELDS}
            found[ACTIVITY][str(activity_ids.get(label, label))] = Record(label, fields)
    return found


def _as_ids(text: str, by_name: dict[str, str]) -> list[str]:
    """A list of actor names as their IDs (names of no actor stay as they are)."""
    return sorted(by_name.get(part, part) for part in LIST_SPLIT.split(text) if part)


def _rows(sheet: dict | None) -> Iterator[dict[str, str]]:
    if not sheet:
        return
    headers = sheet["headers"]
    for row in sheet["rows"]:
        yield dict(zip(headers, row, strict=False))


def compare(old: dict, new: dict) -> list[Change]:
    """The changes from content `old` to content `new`, by kind, then action and name."""
    before, after = records(old), records(new)
    # Names of both, the newer winning: an actor renamed or ended between them keeps its ID.
    by_name = {
        record.label: f"#{key}"
        for actors in (before[ACTOR], after[ACTOR])
        for key, record in actors.items()
    }
    with translation.override("cs"):
        platform_ended = str(Platform.Status.ENDED.label)
    changes = []
    for kind in KINDS:
        was, now = before[kind], after[kind]
        for key in now.keys() - was.keys():
            changes.append(Change(kind, key, now[key].label, ADDED))
        for key in was.keys() - now.keys():
            changes.append(Change(kind, key, was[key].label, ENDED))
        for key in was.keys() & now.keys():
            changes.extend(_changed(kind, key, was[key], now[key], platform_ended, by_name))
    order = {kind: index for index, kind in enumerate(KINDS)}
    actions = {ADDED: 0, ENDED: 1, CHANGED: 2}
    changes.sort(key=lambda c: (order[c.kind], actions[c.action], czech_key(c.label), c.key))
    return changes


def _changed(
    kind: str, key: str, was: Record, now: Record, platform_ended: str, by_name: dict[str, str]
) -> Iterator[Change]:
    label = now.label
    if kind in TITLES and was.label != now.label:
        yield Change(kind, key, label, CHANGED, TITLES[kind], was.label, now.label)
    for field in sorted(was.fields.keys() | now.fields.keys(), key=_field_order(now, was)):
        old, new = was.fields.get(field, ""), now.fields.get(field, "")
        if old == new or (field in ACTOR_LISTS and _as_ids(old, by_name) == _as_ids(new, by_name)):
            continue
        if kind == PLATFORM and field == "Stav":
            old = platform_ended if old == Platform.ENDED_FORMERLY else old
            if old == new:
                continue
        if kind == PLATFORM and field == "Stav" and new == platform_ended:
            yield Change(kind, key, label, ENDED, field, old, new)
        else:
            yield Change(kind, key, label, CHANGED, field, old, new)


def _field_order(now: Record, was: Record):
    """Fields in the sheet's column order; those only in the older snapshot last."""
    position = {field: index for index, field in enumerate([*now.fields, *was.fields])}
    return lambda field: position[field]
