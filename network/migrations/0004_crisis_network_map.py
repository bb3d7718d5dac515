"""The crisis network map (issue 4): always there, first on every reader's home page."""

from django.db import migrations

COLUMNS = ["phone", "crisis_contact", "opening_hours", "age", "territorial_scope", "contacts"]


def create(apps, schema_editor):
    Map = apps.get_model("network", "Map")
    Group = apps.get_model("auth", "Group")
    if Map.objects.filter(crisis_network=True).exists():
        return
    crisis = Map.objects.create(
        name="Krizová síť",
        description="Aktéři, kteří pomohou v krizi i mimo úřední hodiny: telefony, provozní "
        "doba a obce, kterým slouží.",
        crisis_network=True,
        columns=COLUMNS,
        card_fields=[],
        ordering="name",
    )
    crisis.audience_groups.set(Group.objects.filter(name__in=["Case manažer", "Koordinátor"]))


class Migration(migrations.Migration):
    dependencies = [("network", "0003_map"), ("network", "0001_roles")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
