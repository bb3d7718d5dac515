"""A synthetic network of any size, for benchmarks and load tests.

The distributions follow what a real ORP network looks like: a few actor types (schools,
kindergartens, sports clubs) are common and many are rare, most actors sit in the ORP's seat,
a third of the actors take part in no platform, and only a small part is in the crisis network.
Everything is written with bulk inserts, so 50,000 actors take seconds, not minutes.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction

from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicOption,
    CharacteristicValue,
    ContactPerson,
    Founder,
    LifeSituation,
    Municipality,
    Note,
    Organisation,
    Resort,
    ServiceForm,
    TargetGroup,
    Topic,
)
from actors.validators import ico_checksum_ok
from needs.models import Focus, NeedArea
from platforms.models import Platform, PlatformMembership, PlatformType

BATCH = 2000
NAME_PREFIX = "Syntetický aktér"

ACTOR_TYPES = [
    "Mateřská škola",
    "Základní škola",
    "Sportovní oddíl",
    "Praktický lékař pro děti a dorost",
    "Sbor dobrovolných hasičů",
    "Obecní úřad",
    "Farnost",
    "Střední škola",
    "Knihovna",
    "Junák – středisko",
    "Mateřské centrum",
    "Základní umělecká škola",
    "Dům dětí a mládeže",
    "NZDM",
    "SAS pro rodiny s dětmi",
    "Terénní program",
    "Odborné sociální poradenství",
    "Dluhová poradna",
    "Pedagogicko-psychologická poradna",
    "Speciálně pedagogické centrum",
    "Středisko výchovné péče",
    "Dětský domov",
    "Klinický psycholog",
    "Dětská psychiatrie",
    "Adiktologická ambulance",
    "Raná péče",
    "Osobní asistence",
    "Denní stacionář",
    "Doprovázející organizace pěstounů",
    "Azylový dům",
    "Krizové centrum",
    "Intervenční centrum",
    "Městská policie",
    "Policie ČR",
    "Probační a mediační služba",
    "OSPOD",
    "Úřad práce",
    "Charita",
    "Dobrovolnické centrum",
    "Nemocnice",
]
CRISIS_TYPES = {
    "Krizové centrum",
    "Intervenční centrum",
    "Azylový dům",
    "Policie ČR",
    "OSPOD",
    "Nemocnice",
}
MUNICIPALITIES = [
    "Hradiště nad Sázavou",
    "Lhotka",
    "Dubová",
    "Kamenný Újezd",
    "Zahrádky",
    "Březina",
    "Podlesí",
    "Vranov u Hradiště",
    "Chlum",
    "Olešná",
    "Ratměřice",
    "Bystřice u Hradiště",
]
TARGET_GROUPS = [
    ("děti", "whom"),
    ("mládež", "whom"),
    ("rodiče", "whom"),
    ("rodiny s dětmi", "whom"),
    ("pěstouni", "whom"),
    ("pedagogové", "whom"),
    ("0–3 roky", "age"),
    ("3–6 let", "age"),
    ("6–15 let", "age"),
    ("15–18 let", "age"),
    ("18–26 let", "age"),
    ("děti s postižením", "situation"),
    ("rodiny v rozvodové situaci", "situation"),
    ("oběti domácího násilí", "situation"),
]
LIFE_SITUATIONS = [
    "rozvod rodičů",
    "zdravotní postižení",
    "dluhy",
    "domácí násilí",
    "ztráta bydlení",
    "závislost v rodině",
    "šikana",
    "úmrtí v rodině",
]
TOPICS = [
    "sdílení informací / mlčenlivost",
    "záškoláctví",
    "bydlení",
    "prevence kriminality",
    "participace dětí",
    "duševní zdraví",
    "rizikové chování",
    "náhradní rodinná péče",
]
CHARACTERISTICS = [
    ("Pověření k výkonu SPOD", Characteristic.Kind.BOOLEAN, "case_managers", []),
    (
        "Způsob vstupu",
        Characteristic.Kind.CHOICE,
        "case_managers",
        ["sám klient", "doporučení OSPOD", "nařízeno OSPOD", "nařízeno soudem"],
    ),
    (
        "Jazyky",
        Characteristic.Kind.MULTICHOICE,
        "case_managers",
        ["čeština", "angličtina", "ukrajinština", "romština", "vietnamština"],
    ),
    ("Počet pracovníků", Characteristic.Kind.NUMBER, "case_managers", []),
    ("Interní hodnocení spolupráce", Characteristic.Kind.TEXT, "coordinator", []),
]
FIRST_NAMES = [
    "Jana",
    "Petr",
    "Lucie",
    "Tomáš",
    "Eva",
    "Martin",
    "Hana",
    "Jiří",
    "Klára",
    "Pavel",
    "Tereza",
    "Ondřej",
]
SURNAMES = [
    "Nováková",
    "Dvořák",
    "Černá",
    "Procházka",
    "Veselá",
    "Kučera",
    "Horáková",
    "Marek",
    "Pokorná",
    "Beneš",
    "Králová",
    "Fiala",
]


@dataclass
class Vocabularies:
    actor_types: list
    municipalities: list
    need_areas: list
    resorts: list
    service_forms: list
    target_groups: list
    life_situations: list
    topics: list
    platform_types: list
    characteristics: list
    options: dict


def _ensure_vocabularies() -> Vocabularies:
    """Reuse the coordinator's vocabularies, adding the synthetic ones that are missing."""

    def ensure(model, names, **extra):
        existing = {o.name.lower(): o for o in model.objects.all()}
        missing = [
            model(name=n, order=i, **extra)
            for i, n in enumerate(names)
            if n.lower() not in existing
        ]
        model.objects.bulk_create(missing)
        return list(model.objects.order_by("order", "id"))

    municipalities = ensure(Municipality, MUNICIPALITIES)
    existing_tg = {t.name.lower() for t in TargetGroup.objects.all()}
    TargetGroup.objects.bulk_create(
        TargetGroup(name=n, level=level, order=i)
        for i, (n, level) in enumerate(TARGET_GROUPS)
        if n.lower() not in existing_tg
    )
    existing_ch = {c.name.lower() for c in Characteristic.objects.all()}
    for order, (name, kind, visibility, options) in enumerate(CHARACTERISTICS):
        if name.lower() in existing_ch:
            continue
        characteristic = Characteristic.objects.create(
            name=name, kind=kind, visibility=visibility, order=order
        )
        CharacteristicOption.objects.bulk_create(
            CharacteristicOption(characteristic=characteristic, name=o, order=i)
            for i, o in enumerate(options)
        )
    options: dict[int, list] = {}
    for option in CharacteristicOption.objects.all():
        options.setdefault(option.characteristic_id, []).append(option)
    return Vocabularies(
        actor_types=ensure(ActorType, ACTOR_TYPES),
        municipalities=municipalities,
        need_areas=list(NeedArea.objects.all()),
        resorts=list(Resort.objects.all()),
        service_forms=list(ServiceForm.objects.all()),
        target_groups=list(TargetGroup.objects.all()),
        life_situations=ensure(LifeSituation, LIFE_SITUATIONS),
        topics=ensure(Topic, TOPICS),
        platform_types=list(PlatformType.objects.all()),
        characteristics=list(Characteristic.objects.all()),
        options=options,
    )


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def _fictional_ico(rng: random.Random, used: set[str]) -> str:
    while True:
        base = f"{rng.randrange(10**6, 10**7):07d}"
        for digit in "0123456789":
            candidate = base + digit
            if ico_checksum_ok(candidate):
                break
        if candidate not in used:
            used.add(candidate)
            return candidate


def _sample(rng: random.Random, population: list, low: int, high: int) -> list:
    return rng.sample(population, min(len(population), rng.randint(low, high)))


@transaction.atomic
def generate_network(*, actors: int, seed: int = 2026, today: datetime.date | None = None) -> dict:
    """Add `actors` synthetic actors with organisations, M2M categories, contacts, notes,
    characteristic values, and platforms with memberships. Returns the counts it wrote.
    """
    rng = random.Random(seed)
    today = today or datetime.date.today()
    vocab = _ensure_vocabularies()
    start = Actor.objects.count()
    type_weights = _zipf_weights(len(vocab.actor_types), 0.9)
    municipality_weights = [6.0] + [1.0] * (len(vocab.municipalities) - 1)
    area_weights = [3, 3, 2, 3, 2, 2][: len(vocab.need_areas)]
    focus_values = [Focus.PREVENTION, Focus.INTERVENTION, Focus.BOTH]
    founders = [f.value for f in Founder]
    founder_weights = [1, 1, 5, 3, 1, 2, 1]
    scopes = [s.value for s in Actor.TerritorialScope]
    scope_weights = [5, 2, 3, 1, 0.3]
    used_icos = set(Organisation.objects.exclude(ico="").values_list("ico", flat=True))

    organisations = [
        Organisation(
            name=f"Synt. organizace {start + i + 1:06d}",
            ico=_fictional_ico(rng, used_icos),
            legal_form=rng.choice(Organisation.LegalForm.values),
            founder=rng.choices(founders, founder_weights)[0],
        )
        for i in range(max(1, actors // 4))
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)

    actor_rows = []
    for i in range(actors):
        actor_type = rng.choices(vocab.actor_types, type_weights)[0]
        municipality = rng.choices(vocab.municipalities, municipality_weights)[0]
        age_from = rng.choice([None, 0, 0, 3, 6, 6, 12, 15])
        age_to = None if age_from is None else rng.choice([6, 15, 18, 18, 26, 99])
        ended = rng.random() < 0.05
        verified = today - datetime.timedelta(days=rng.randint(0, 900))
        in_crisis = actor_type.name in CRISIS_TYPES or rng.random() < 0.03
        capacity = rng.choice(["", "", "free", "limited", "full", "waiting_list"])
        actor_rows.append(
            Actor(
                name=f"{NAME_PREFIX} {start + i + 1:06d} – {actor_type.name}, {municipality.name}",
                kind=rng.choices(Actor.Kind.values, [2, 6, 1, 1, 0.5])[0],
                organisation=rng.choice(organisations) if rng.random() < 0.6 else None,
                actor_type=actor_type,
                founder=rng.choices(founders, founder_weights)[0],
                age_from=age_from,
                age_to=max(age_to, age_from) if age_to is not None else None,
                address=f"Náměstí {rng.randint(1, 400)}, {municipality.name}",
                municipality=municipality,
                territorial_scope=rng.choices(scopes, scope_weights)[0],
                online=rng.random() < 0.2,
                opening_hours="Po–Pá 8:00–16:00",
                web=f"https://akter{start + i + 1}.example.cz",
                phone=f"+420 300 {rng.randint(100, 999)} {rng.randint(100, 999)}",
                email=f"info{start + i + 1}@example.cz",
                primary_need_area=rng.choices(vocab.need_areas, area_weights)[0],
                focus=rng.choices(focus_values, [5, 2, 3])[0],
                crisis_network=in_crisis,
                crisis_contact="nonstop linka" if in_crisis else "",
                capacity=capacity,
                capacity_date=today - datetime.timedelta(days=rng.randint(0, 60))
                if capacity
                else None,
                status=Actor.Status.ENDED if ended else Actor.Status.ACTIVE,
                ended_on=today - datetime.timedelta(days=rng.randint(1, 400)) if ended else None,
                verified_on=verified if rng.random() < 0.9 else None,
            )
        )
    created = Actor.objects.bulk_create(actor_rows, batch_size=BATCH)

    def link(field, choose):
        m2m = getattr(Actor, field)
        through = m2m.through
        source, target = m2m.field.m2m_column_name(), m2m.field.m2m_reverse_name()
        pairs = [(actor.pk, obj.pk) for actor in created for obj in choose(actor)]
        return insert_pairs(through, source, target, pairs)

    links = {
        "resorts": link("resorts", lambda a: _sample(rng, vocab.resorts, 1, 2)),
        "service_forms": link("service_forms", lambda a: _sample(rng, vocab.service_forms, 1, 2)),
        "target_groups": link("target_groups", lambda a: _sample(rng, vocab.target_groups, 1, 3)),
        "life_situations": link(
            "life_situations", lambda a: _sample(rng, vocab.life_situations, 0, 3)
        ),
        "secondary_need_areas": link(
            "secondary_need_areas",
            lambda a: [
                x for x in _sample(rng, vocab.need_areas, 0, 2) if x.pk != a.primary_need_area_id
            ],
        ),
        "served_municipalities": link(
            "served_municipalities",
            lambda a: (
                _sample(rng, vocab.municipalities, 2, 5)
                if a.territorial_scope == Actor.TerritorialScope.SELECTED
                else []
            ),
        ),
    }

    contacts = [
        ContactPerson(
            actor=actor,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            role=rng.choice(["vedoucí", "sociální pracovnice", "metodik prevence", "ředitel"]),
            phone=f"+420 300 {rng.randint(100, 999)} {rng.randint(100, 999)}",
            email=f"kontakt{actor.pk}.{n}@example.cz",
            order=n,
        )
        for actor in created
        for n in range(rng.choices([0, 1, 2], [1, 6, 3])[0])
    ]
    ContactPerson.objects.bulk_create(contacts, batch_size=BATCH)

    notes = [
        Note(
            actor=actor,
            text=rng.choice(
                [
                    "Ochotně spolupracuje na případových konferencích.",
                    "Kapacita se na podzim obvykle rychle naplní.",
                    "Kontakt ověřen telefonicky.",
                    "Zvažuje zapojení do týmu pro mládež.",
                ]
            ),
            visibility=rng.choice([Note.Visibility.SHARED, Note.Visibility.PRIVATE]),
        )
        for actor in created
        if rng.random() < 0.3
    ]
    Note.objects.bulk_create(notes, batch_size=BATCH)

    values, multi = [], []
    for actor in created:
        for characteristic in vocab.characteristics:
            if rng.random() > 0.6:
                continue
            value = CharacteristicValue(actor=actor, characteristic=characteristic)
            kind = characteristic.kind
            options = vocab.options.get(characteristic.pk, [])
            if kind == Characteristic.Kind.BOOLEAN:
                value.boolean = rng.random() < 0.4
            elif kind == Characteristic.Kind.NUMBER:
                value.number = rng.randint(1, 40)
            elif kind == Characteristic.Kind.TEXT:
                value.text = rng.choice(["spolehlivě odpovídá", "obtížně dostupný", "nový tým"])
            elif kind == Characteristic.Kind.CHOICE and options:
                value.option = rng.choice(options)
            elif kind == Characteristic.Kind.MULTICHOICE and options:
                multi.append((value, _sample(rng, options, 1, 2)))
            else:
                continue
            values.append(value)
    CharacteristicValue.objects.bulk_create(values, batch_size=BATCH)
    insert_pairs(
        CharacteristicValue.options.through,
        "characteristicvalue_id",
        "characteristicoption_id",
        [(value.pk, option.pk) for value, chosen in multi for option in chosen],
    )

    platform_count = max(15, actors // 60)
    platform_start = Platform.objects.count()
    platforms = Platform.objects.bulk_create(
        (
            Platform(
                name=f"Synt. platforma {platform_start + n + 1:05d}",
                platform_type=vocab.platform_types[n % len(vocab.platform_types)],
                regularity=rng.choice(Platform.Regularity.values),
                interval=rng.choice(Platform.Interval.values),
                goals="Sdílet informace a domlouvat postupy.",
                has_minutes=rng.random() < 0.7,
            )
            for n in range(platform_count)
        ),
        batch_size=BATCH,
    )
    topic_through = Platform.topics.through
    topic_through.objects.bulk_create(
        topic_through(platform_id=p.pk, topic_id=t.pk)
        for p in platforms
        for t in _sample(rng, vocab.topics, 1, 3)
    )
    platform_weights = _zipf_weights(len(platforms), 0.6)
    memberships = []
    for actor in created:
        # About a third of a real network takes part in no platform (P:149).
        count = rng.choices([0, 1, 2, 3, 4], [35, 35, 17, 9, 4])[0]
        chosen = {p.pk: p for p in rng.choices(platforms, platform_weights, k=count)}
        memberships.extend(
            PlatformMembership(
                platform_id=pk,
                actor=actor,
                role=rng.choices(PlatformMembership.Role.values, [1, 12, 3, 4])[0],
            )
            for pk in chosen
        )
    PlatformMembership.objects.bulk_create(memberships, batch_size=BATCH)
    coordinators = [
        PlatformMembership(platform=p, actor=rng.choice(created), role="coordinator")
        for p in platforms
    ]
    taken = set(
        PlatformMembership.objects.filter(platform__in=platforms).values_list(
            "platform_id", "actor_id"
        )
    )
    PlatformMembership.objects.bulk_create(
        [m for m in coordinators if (m.platform.pk, m.actor.pk) not in taken]
    )

    return {
        "actors": len(created),
        "organisations": len(organisations),
        "contacts": len(contacts),
        "notes": len(notes),
        "characteristic_values": len(values),
        "platforms": len(platforms),
        "memberships": len(memberships),
        **links,
    }


def insert_pairs(through, source: str, target: str, pairs: list[tuple[int, int]]) -> int:
    """Insert rows of an M2M table with executemany: the ORM's per-object cost is the bottleneck
    at hundreds of thousands of rows, and these rows need nothing the ORM adds.
    """
    table = connection.ops.quote_name(through._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (source, target))
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), BATCH * 5):
            cursor.executemany(sql, pairs[start : start + BATCH * 5])
    return len(pairs)
