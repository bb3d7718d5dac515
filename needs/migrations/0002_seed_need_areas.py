from django.db import migrations

# The six need areas of the Standards of the children's services network (P:74-75, P:141).
NEED_AREAS = [
    ("VZTAHY", "VZTAHY", "Vztahy s rodiči, sourozenci, širší rodinou, vrstevníky a komunitou."),
    ("BEZPECI", "BEZPEČÍ", "Ochrana před násilím, zneužíváním a zanedbáváním; bezpečný domov."),
    ("ZDRAVI", "ZDRAVÍ", "Tělesné a duševní zdraví, zdravotní péče, výživa a hygiena."),
    ("UCENI", "UČENÍ", "Vzdělávání, školní docházka, rozvoj a podněty."),
    ("CHOVANI", "CHOVÁNÍ", "Hranice, výchovné vedení, smysluplný volný čas."),
    (
        "MATERIALNI_ZAJISTENI",
        "MATERIÁLNÍ ZAJIŠTĚNÍ",
        "Bydlení, příjem rodiny, strava, oblečení a školní potřeby.",
    ),
]


def seed(apps, schema_editor):
    NeedArea = apps.get_model("needs", "NeedArea")
    for order, (code, name, description) in enumerate(NEED_AREAS, start=1):
        NeedArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
