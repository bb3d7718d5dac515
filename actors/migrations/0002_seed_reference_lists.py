from django.db import migrations

RESORTS = [
    ("mpsv", "MPSV – sociální věci"),
    ("msmt", "MŠMT – školství a volný čas"),
    ("mz", "MZ – zdravotnictví"),
    ("msp", "MSp – justice"),
    ("mv", "MV – bezpečnost"),
    ("samosprava", "samospráva"),
    ("cirkevni", "církevní"),
    ("dobrovolnicky", "občanský / dobrovolnický"),
    ("jine", "jiné"),
]

SERVICE_FORMS = [
    ("ambulantni", "ambulantní"),
    ("terenni", "terénní"),
    ("pobytova", "pobytová"),
]

# Druhy sociálních služeb, zákon 108/2006 Sb., the ones a children's network meets most.
SOCIAL_SERVICE_KINDS = [
    ("§37", "odborné sociální poradenství"),
    ("§39", "osobní asistence"),
    ("§44", "odlehčovací služby"),
    ("§46", "denní stacionáře"),
    ("§54", "raná péče"),
    ("§55", "telefonická krizová pomoc"),
    ("§57", "azylové domy"),
    ("§58", "domy na půl cesty"),
    ("§59", "kontaktní centra"),
    ("§60", "krizová pomoc"),
    ("§60a", "intervenční centra"),
    ("§62", "nízkoprahová zařízení pro děti a mládež"),
    ("§65", "sociálně aktivizační služby pro rodiny s dětmi"),
    ("§69", "terénní programy"),
    ("§70", "sociální rehabilitace"),
]


def seed(apps, schema_editor):
    Resort = apps.get_model("actors", "Resort")
    ServiceForm = apps.get_model("actors", "ServiceForm")
    SocialServiceKind = apps.get_model("actors", "SocialServiceKind")
    for order, (code, name) in enumerate(RESORTS, start=1):
        Resort.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(SERVICE_FORMS, start=1):
        ServiceForm.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (paragraph, name) in enumerate(SOCIAL_SERVICE_KINDS, start=1):
        SocialServiceKind.objects.update_or_create(
            name=name, defaults={"paragraph": paragraph, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
