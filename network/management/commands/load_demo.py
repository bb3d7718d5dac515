"""Load the demo network of the fictional ORP Hradiště nad Sázavou.

The data live in ``fixtures/demo/*.json`` (see ``fixtures/demo/README.md``); this command only
reads them, fills in what is derived (contacts, phone numbers, verification dates, values of the
custom characteristics) deterministically, and writes everything in one transaction.

Running it again changes no counts: every row is keyed on a natural key (names, IČO, username)
and many-to-many relations are replaced with ``.set()``. Dates are relative to today, so current
posts stay current and some records are always older than twelve months.
"""

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.text import slugify

from actors.history import record_history
from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicOption,
    CharacteristicValue,
    ContactPerson,
    LifeSituation,
    LocalPractice,
    Municipality,
    Note,
    Organisation,
    Post,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
    Topic,
)
from needs.models import Activity, FulfilmentSign, Need, NeedArea, Risk
from network.models import Map
from network.roles import ACTOR_REPRESENTATIVE, CASE_MANAGER
from platforms.models import ParticipantGroup, Platform, PlatformMembership, PlatformType

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
APP_URL = "http://127.0.0.1:8000/"
SEED = "load_demo"
CAPACITIES = ["free", "limited", "full", "waiting_list"]
CAPACITY_WEIGHTS = [3, 3, 2, 2]
TITLES = ["Mgr. ", "Bc. ", "", "", "", "Ing. "]


def read(name: str) -> Any:
    path = DEMO_DIR / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"Demo data file {path} is missing.") from exc


def rng(*parts: object) -> random.Random:
    """A generator seeded by a stable key, so each record gets the same values on every run."""
    return random.Random(":".join([SEED, *map(str, parts)]))


def pick(lookup: dict[str, Any], keys: list[str] | None, what: str, where: str) -> list[Any]:
    """Resolve names or codes from the data files; an unknown one is an error in the data."""
    missing = [key for key in keys or [] if key not in lookup]
    if missing:
        raise CommandError(f"{where}: unknown {what}: {', '.join(missing)}")
    return [lookup[key] for key in keys or []]


def one(lookup: dict[str, Any], key: str | None, what: str, where: str) -> Any:
    """Resolve one optional name or code (None stays None)."""
    return pick(lookup, [key], what, where)[0] if key else None


class Command(BaseCommand):
    help = "Load (or refresh) the demo network of the fictional ORP Hradiště nad Sázavou."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default=APP_URL, help="where the app runs, for the sign-in line printed"
        )

    def handle(self, *args, url: str = APP_URL, **options) -> None:
        self.url = url
        self.today = timezone.localdate()
        with transaction.atomic():
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                self.load_users()
                self.load_reference()
                self.load_actor_types()
                self.load_organisations()
                self.load_actors()
                self.load_characteristic_values()
                self.load_needs()
                self.load_platforms()
                self.load_bulletin()
                self.load_maps()
            # Demo rows are fixtures, not anyone's edits: each record gets one initial history
            # entry (only if it has none yet), and re-runs add nothing to the audit trail.
            record_initial_history()
        self.report()

    # Users ------------------------------------------------------------------------------------

    def load_users(self) -> None:
        user_model = get_user_model()
        self.user_rows = read("users.json")
        self.users = {}
        for row in self.user_rows:
            try:
                group = Group.objects.get(name=row["group"])
            except Group.DoesNotExist as exc:
                raise CommandError(
                    f"Group {row['group']!r} is missing; run the migrations first."
                ) from exc
            user, created = user_model.objects.get_or_create(username=row["username"])
            user.first_name = row["first_name"]
            user.last_name = row["last_name"]
            user.email = row["email"]
            user.is_staff = row["is_staff"]
            user.is_superuser = False
            user.is_active = True
            # Hash only when needed: a rerun keeps the stored hash and its salt.
            if created or not user.check_password(row["password"]):
                validate_password(row["password"], user)
                user.set_password(row["password"])
            user.save()
            user.groups.set([group])
            self.users[row["username"]] = user
        coordinators = [r["username"] for r in self.user_rows if r["is_staff"]]
        self.coordinator = self.users[coordinators[0]]

    # Vocabularies ----------------------------------------------------------------------------

    def load_reference(self) -> None:
        data = read("reference.json")
        self.municipalities = {}
        for order, row in enumerate(data["municipalities"], start=1):
            self.municipalities[row["name"]], _ = Municipality.objects.update_or_create(
                name=row["name"],
                defaults={
                    "code": row.get("code", ""),
                    "in_district": row["in_district"],
                    "is_seat": row["is_seat"],
                    "order": order,
                },
            )
        self.target_groups = {}
        for order, row in enumerate(data["target_groups"], start=1):
            parent = one(self.target_groups, row["parent"], "parent group", row["name"])
            self.target_groups[row["name"]], _ = TargetGroup.objects.update_or_create(
                name=row["name"],
                defaults={
                    "level": row["level"],
                    "parent": parent,
                    "age_from": row["age_from"],
                    "age_to": row["age_to"],
                    "description": row["description"],
                    "order": order,
                },
            )
        self.life_situations = {}
        for order, name in enumerate(data["life_situations"], start=1):
            self.life_situations[name], _ = LifeSituation.objects.update_or_create(
                name=name, defaults={"order": order}
            )
        self.topics = {}
        for order, row in enumerate(data["topics"], start=1):
            self.topics[row["name"]], _ = Topic.objects.update_or_create(
                name=row["name"], defaults={"description": row["description"], "order": order}
            )
        self.characteristic_rows = data["characteristics"]
        self.characteristics = {}
        self.options = {}
        for order, row in enumerate(self.characteristic_rows, start=1):
            characteristic, _ = Characteristic.objects.update_or_create(
                name=row["name"],
                defaults={
                    "kind": row["kind"],
                    "visibility": row["visibility"],
                    "description": row["description"],
                    "order": order,
                },
            )
            self.characteristics[row["name"]] = characteristic
            for option_order, option in enumerate(row.get("options", []), start=1):
                self.options[row["name"], option], _ = (
                    CharacteristicOption.objects.update_or_create(
                        characteristic=characteristic,
                        name=option,
                        defaults={"order": option_order},
                    )
                )
        self.contact_names = data["contact_names"]
        # Rows seeded by the migrations.
        self.resorts = {r.code: r for r in Resort.objects.all()}
        self.forms = {f.code: f for f in ServiceForm.objects.all()}
        self.service_kinds = {k.paragraph: k for k in SocialServiceKind.objects.all()}
        self.areas = {a.code: a for a in NeedArea.objects.all()}
        self.platform_types = {t.code: t for t in PlatformType.objects.all()}
        self.participant_groups = {g.code: g for g in ParticipantGroup.objects.all()}

    def load_actor_types(self) -> None:
        self.type_rows = {row["key"]: row for row in read("actor_types.json")}
        self.actor_types = {}
        for order, row in enumerate(self.type_rows.values(), start=1):
            self.actor_types[row["key"]], _ = ActorType.objects.update_or_create(
                name=row["name"], defaults={"order": order}
            )

    def load_organisations(self) -> None:
        self.organisations = {}
        self.domains = {}
        for row in read("organisations.json"):
            self.organisations[row["key"]], _ = Organisation.objects.update_or_create(
                ico=row["ico"],
                defaults={
                    "name": row["name"],
                    "legal_form": row["legal_form"],
                    "founder": row["founder"],
                    "web": row["web"],
                },
            )
            self.domains[row["key"]] = row["domain"]

    # Actors -----------------------------------------------------------------------------------

    def load_actors(self) -> None:
        self.actors = {}
        self.actor_specs = {}
        self.first_contacts = {}
        for index, row in enumerate(read("actors.json"), start=1):
            type_row = one(self.type_rows, row["type"], "actor type", row["name"])
            spec = {**type_row["defaults"], **row}
            actor = self.save_actor(index, spec)
            self.actors[actor.name] = actor
            self.actor_specs[actor.name] = spec

    def save_actor(self, index: int, spec: dict[str, Any]) -> Actor:
        name = spec["name"]
        org_key = spec.get("organisation")
        organisation = one(self.organisations, org_key, "organisation", name)
        domain = spec.get("domain", self.domains.get(org_key, ""))
        municipality = one(self.municipalities, spec.get("municipality"), "municipality", name)
        age = spec.get("age") or [None, None]
        ended_days = spec.get("ended_days_ago")
        ended_on = self.today - timedelta(days=ended_days) if ended_days else None
        crisis = bool(spec.get("crisis"))
        capacity, capacity_date = self.capacity_of(spec, ended_on)
        verified_on = self.verified_on(name)
        web = organisation.web if organisation else f"https://www.{domain}/" if domain else ""
        actor, _ = Actor.objects.update_or_create(
            name=name,
            defaults={
                "kind": spec.get("kind", Actor.Kind.SERVICE),
                "organisation": organisation,
                "actor_type": self.actor_types[spec["type"]],
                "founder": spec["founder"],
                "age_from": age[0],
                "age_to": age[1],
                "address": spec.get("address", ""),
                "municipality": municipality,
                "territorial_scope": spec.get("scope", Actor.TerritorialScope.MUNICIPALITY),
                "online": spec.get("online", False),
                "opening_hours": spec.get("hours", ""),
                "web": web,
                "phone": f"+420 399 {100 + index:03d} {(index * 137 + 11) % 1000:03d}",
                "email": f"{spec.get('mail', 'info')}@{domain}" if domain else "",
                "primary_need_area": one(self.areas, spec["area"], "need area", name),
                "focus": spec["focus"],
                "crisis_network": crisis,
                "crisis_contact": spec.get("crisis_contact", "") if crisis else "",
                "needs_from_others": spec.get("needs_from_others", ""),
                "capacity": capacity,
                "capacity_date": capacity_date,
                "status": Actor.Status.ENDED if ended_on else Actor.Status.ACTIVE,
                "ended_on": ended_on,
                "verified_on": verified_on,
                "verified_by": self.coordinator if verified_on else None,
            },
        )
        actor.resorts.set(pick(self.resorts, spec.get("resorts"), "sector", name))
        actor.target_groups.set(pick(self.target_groups, spec.get("tg"), "target group", name))
        actor.life_situations.set(
            pick(self.life_situations, spec.get("ls"), "life situation", name)
        )
        actor.service_forms.set(pick(self.forms, spec.get("forms"), "service form", name))
        actor.social_service_kinds.set(
            pick(self.service_kinds, spec.get("ssk"), "social service kind", name)
        )
        secondary = [code for code in spec.get("areas2", []) if code != spec["area"]]
        actor.secondary_need_areas.set(pick(self.areas, secondary, "need area", name))
        served = spec.get("served") or []
        if not served and spec.get("scope") == "selected" and spec.get("municipality"):
            served = [spec["municipality"]]
        actor.served_municipalities.set(pick(self.municipalities, served, "municipality", name))
        self.save_contacts(index, actor, spec, domain)
        return actor

    def capacity_of(self, spec: dict[str, Any], ended_on: date | None) -> tuple[str, date | None]:
        if not spec.get("reports_capacity") or ended_on:
            return "", None
        r = rng("capacity", spec["name"])
        capacity = r.choices(CAPACITIES, weights=CAPACITY_WEIGHTS)[0]
        return capacity, self.today - timedelta(days=r.randint(2, 75))

    def verified_on(self, key: str) -> date | None:
        """Most records verified this year, a fifth older than twelve months, a few never."""
        r = rng("verified", key)
        draw = r.random()
        if draw < 0.04:
            return None
        if draw < 0.24:
            return self.today - timedelta(days=r.randint(380, 720))
        return self.today - timedelta(days=r.randint(3, 330))

    def save_contacts(self, index: int, actor: Actor, spec: dict, domain: str) -> None:
        contacts = spec.get("contacts_explicit")
        if contacts is None:
            contacts = self.generated_contacts(actor.name, spec)
        for order, (name, role) in enumerate(contacts):
            email = ""
            if domain:
                plain = slugify(name.split(". ")[-1]).replace("-", ".")
                email = f"{plain}@{domain}"
            ContactPerson.objects.update_or_create(
                actor=actor,
                name=name,
                defaults={
                    "role": role,
                    "phone": f"+420 399 {500 + index:03d} {(index * 53 + order * 7) % 1000:03d}",
                    "email": email,
                    "order": order,
                },
            )
            if order == 0:
                self.first_contacts[actor.name] = name

    def generated_contacts(self, actor_name: str, spec: dict) -> list[tuple[str, str]]:
        names = self.contact_names
        r = rng("contacts", actor_name)
        roles = [
            spec.get("contact_role", "kontaktní osoba"),
            spec.get("contact_role_2", "kontaktní osoba pro spolupráci v síti"),
        ]
        result: list[tuple[str, str]] = []
        while len(result) < spec.get("contacts", 1):
            female = r.random() < names["female_share"]
            first = r.choice(names["female_first" if female else "male_first"])
            surname = r.choice(names["surnames"])[1 if female else 0]
            name = f"{r.choice(TITLES)}{first} {surname}"
            if name not in [n for n, _ in result]:
                result.append((name, roles[min(len(result), 1)]))
        return result

    def load_characteristic_values(self) -> None:
        """Values of the custom characteristics, drawn by the rule of each characteristic."""
        for row in self.characteristic_rows:
            characteristic = self.characteristics[row["name"]]
            rule = row["rule"]
            for name, spec in self.actor_specs.items():
                if spec.get("ended_days_ago") or not self.rule_applies(rule, spec):
                    continue
                r = rng("characteristic", row["name"], name)
                if r.random() >= rule["share"]:
                    continue
                self.save_value(characteristic, row, self.actors[name], spec, r)

    @staticmethod
    def rule_applies(rule: dict, spec: dict) -> bool:
        if "types" in rule and spec["type"] not in rule["types"]:
            return False
        if rule.get("capacity_types") and not spec.get("reports_capacity"):
            return False
        return not (rule.get("social_services") and not spec.get("ssk"))

    def save_value(self, characteristic, row, actor, spec, r: random.Random) -> None:
        rule = row["rule"]
        values: dict[str, Any] = {"boolean": None, "text": None, "number": None, "option": None}
        chosen: list[str] = []
        kind = row["kind"]
        if kind == Characteristic.Kind.BOOLEAN:
            values["boolean"] = r.random() < rule.get("true_share", 0.5)
        elif kind == Characteristic.Kind.TEXT:
            values["text"] = r.choice(rule["texts"])
        elif kind == Characteristic.Kind.NUMBER:
            steps = int((rule["max"] - rule["min"]) / rule["step"])
            values["number"] = Decimal(str(rule["min"] + rule["step"] * r.randint(0, steps)))
        elif kind == Characteristic.Kind.CHOICE:
            capacity = actor.capacity
            option = rule.get("by_capacity", {}).get(capacity) or r.choice(row["options"])
            values["option"] = self.options[row["name"], option]
        else:
            chosen = r.sample(row["options"], k=r.randint(1, rule.get("max", 1)))
        value, _ = CharacteristicValue.objects.update_or_create(
            actor=actor, characteristic=characteristic, defaults=values
        )
        if kind == Characteristic.Kind.MULTICHOICE:
            value.options.set([self.options[row["name"], option] for option in chosen])

    # Needs and activities ---------------------------------------------------------------------

    def load_needs(self) -> None:
        for area_code, needs in read("needs.json").items():
            area = one(self.areas, area_code, "need area", "needs.json")
            for need_order, row in enumerate(needs, start=1):
                need, _ = Need.objects.update_or_create(
                    area=area,
                    name=row["name"],
                    defaults={"order": need_order, "description": row.get("description", "")},
                )
                for order, text in enumerate(row["signs"], start=1):
                    FulfilmentSign.objects.update_or_create(
                        need=need, text=text, defaults={"order": order}
                    )
                for order, text in enumerate(row["risks"], start=1):
                    Risk.objects.update_or_create(need=need, text=text, defaults={"order": order})
                for order, activity_row in enumerate(row["activities"], start=1):
                    self.save_activity(need, order, activity_row)

    def save_activity(self, need: Need, order: int, row: dict) -> None:
        activity, _ = Activity.objects.update_or_create(
            need=need,
            name=row["name"],
            defaults={
                "focus": row["focus"],
                "description": row["description"],
                "cooperation_note": row["cooperation"],
                "order": order,
            },
        )
        activity.actor_types.set(
            pick(self.actor_types, row["actor_types"], "actor type", row["name"])
        )
        practice, _ = LocalPractice.objects.update_or_create(
            activity=activity, defaults={"description": row["practice"]["description"]}
        )
        practice.actors.set(pick(self.actors, row["practice"]["actors"], "actor", row["name"]))

    # Platforms --------------------------------------------------------------------------------

    def load_platforms(self) -> None:
        for row in read("platforms.json"):
            name = row["name"]
            coordinators = [m["actor"] for m in row["memberships"] if m["role"] == "coordinator"]
            if not coordinators:
                raise CommandError(f"{name}: a platform needs a coordinator membership.")
            ended = row.get("status") == Platform.Status.ENDED
            platform, _ = Platform.objects.update_or_create(
                name=name,
                defaults={
                    "platform_type": one(self.platform_types, row["type"], "platform type", name),
                    "description": row.get("description", ""),
                    "regularity": row.get("regularity", ""),
                    "interval": row.get("interval", ""),
                    "frequency_note": row.get("frequency_note", ""),
                    "coordinator_person": row.get("coordinator_person", ""),
                    "initiator": one(self.actors, coordinators[0], "actor", name),
                    "goals": row.get("goals", ""),
                    "effectiveness": row.get("effectiveness", ""),
                    "internal_evaluation": row.get("internal", ""),
                    "has_minutes": row.get("minutes", False),
                    "has_written_outputs": row.get("written", False),
                    "outputs": row.get("outputs", ""),
                    "outputs_location": row.get("location", ""),
                    "level": row.get("level", ""),
                    "territory": row.get("territory", ""),
                    "venue": row.get("venue", ""),
                    "note": row.get("note", ""),
                    "status": Platform.Status.ENDED if ended else Platform.Status.ACTIVE,
                    "since_year": row.get("since"),
                    "until_year": row.get("until") if ended else None,
                    "verified_on": self.verified_on(f"platform:{name}"),
                },
            )
            platform.topics.set(pick(self.topics, row.get("topics"), "topic", name))
            platform.need_areas.set(pick(self.areas, row.get("areas"), "need area", name))
            platform.other_participants.set(
                pick(self.participant_groups, row.get("participants"), "participant group", name)
            )
            for member in row["memberships"]:
                actor = one(self.actors, member["actor"], "actor", name)
                until = None
                if "until_days_ago" in member:
                    until = self.today - timedelta(days=member["until_days_ago"])
                PlatformMembership.objects.update_or_create(
                    platform=platform,
                    actor=actor,
                    defaults={
                        "role": member["role"],
                        "representative": self.first_contacts.get(actor.name, ""),
                        "since": date.fromisoformat(member["since"]) if "since" in member else None,
                        "until": until,
                    },
                )

    # Notes, posts and representatives ---------------------------------------------------------

    def load_bulletin(self) -> None:
        data = read("bulletin.json")
        for row in data["notes"]:
            Note.objects.update_or_create(
                actor=one(self.actors, row["actor"], "actor", "notes"),
                text=row["text"],
                defaults={"visibility": row["visibility"], "author": self.coordinator},
            )
        representative_of = {}
        for row in self.user_rows:
            user = self.users[row["username"]]
            for actor in pick(self.actors, row.get("represents"), "actor", row["username"]):
                actor.representatives.set([user])
                representative_of[actor.name] = user
        for row in data["posts"]:
            actor = one(self.actors, row["actor"], "actor", "posts")
            until_days = row["valid_until_days"]
            Post.objects.update_or_create(
                actor=actor,
                title=row["title"],
                defaults={
                    "kind": row["kind"],
                    "text": row["text"],
                    "capacity": row["capacity"],
                    "valid_from": self.today + timedelta(days=row["valid_from_days"]),
                    "valid_until": (
                        self.today + timedelta(days=until_days) if until_days is not None else None
                    ),
                    "author": representative_of.get(actor.name, self.coordinator),
                },
            )

    # Output -----------------------------------------------------------------------------------

    def load_maps(self) -> None:
        """Two maps for the readers besides the crisis network (made by a migration)."""
        safety = NeedArea.objects.get(code="BEZPECI")
        maps = [
            (
                "Bezpečí: prevence pro rodiny",
                "Kdo v ORP pracuje preventivně na bezpečí dětí a rodin.",
                f"oblast={safety.pk}&zamereni=prevention",
                ["actor_type", "municipality", "phone", "email", "target_groups", "capacity"],
                [CASE_MANAGER],
            ),
            (
                "Volná kapacita",
                "Služby, které nyní uvádějí volnou nebo omezenou kapacitu.",
                "kapacita=free&kapacita=limited",
                ["actor_type", "phone", "capacity", "opening_hours", "territorial_scope"],
                [CASE_MANAGER, ACTOR_REPRESENTATIVE],
            ),
        ]
        for order, (name, description, query, columns, audience) in enumerate(maps, start=1):
            found, _ = Map.objects.update_or_create(
                name=name,
                defaults={
                    "description": description,
                    "query": query,
                    "columns": columns,
                    "order": order,
                    "status": Map.Status.ACTIVE,
                },
            )
            found.audience_groups.set(Group.objects.filter(name__in=audience))

    def report(self) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo network loaded: {len(self.actors)} actors, "
                f"{Platform.objects.count()} platforms, {Need.objects.count()} needs, "
                f"{Activity.objects.count()} activities."
            )
        )
        rows = [("username", "role", "password")]
        rows += [(r["username"], r["role_label"], r["password"]) for r in self.user_rows]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for number, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(f"Sign in at {self.url}")


def record_initial_history() -> None:
    """One "+" history record, with its many-to-many snapshot, for each record without one.

    django-simple-history's `populate_history` keeps no snapshot of the links: the first real
    edit of a demo actor then showed all its links as changed."""
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is None:
            continue
        recorded = getattr(model, manager).values("id")
        missing = list(model._default_manager.exclude(pk__in=recorded))
        record_history(missing, user=None, reason="Ukázková data", history_type="+")
