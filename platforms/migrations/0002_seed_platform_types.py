from django.db import migrations

# The four types of the MPSV guide "Průvodce síťováním služeb pro děti a jejich rodiny" (P:237).
PLATFORM_TYPES = [
    (
        1,
        "platforma mezioborové spolupráce",
        "Široké setkávání: OSPOD, školy, sociální služby, policie, lékaři, rodiče, dítě…",
    ),
    (
        2,
        "setkávání minitýmu",
        "OSPOD a několik dalších aktérů (škola, sociální služba, policie, lékař).",
    ),
    (
        3,
        "případové konference",
        "Praxe konání případových konferencí: kdo svolává, jak často, kdo se účastní. "
        "Nikdy údaje o konkrétním dítěti.",
    ),
    (
        4,
        "formálně ukotvená / oborová platforma",
        "Komise SPOD, komise prevence kriminality, tým pro mládež, setkání pediatrů, "
        "školních metodiků prevence, terénních pracovníků…",
    ),
]

PARTICIPANT_GROUPS = [
    ("rodice", "rodiče"),
    ("dite", "dítě"),
    ("klienti", "klienti / obyvatelé lokality"),
    ("politici", "politici / zastupitelé"),
    ("verejnost", "veřejnost"),
]


def seed(apps, schema_editor):
    PlatformType = apps.get_model("platforms", "PlatformType")
    ParticipantGroup = apps.get_model("platforms", "ParticipantGroup")
    for code, name, description in PLATFORM_TYPES:
        PlatformType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
    for order, (code, name) in enumerate(PARTICIPANT_GROUPS, start=1):
        ParticipantGroup.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
