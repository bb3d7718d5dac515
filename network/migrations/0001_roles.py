"""Create the three role groups of DOMAIN.md §1 with their permissions."""

from django.db import migrations

ALL_ACTIONS = ("add", "change", "delete", "view")

NEEDS_MODELS = ["needarea", "need", "fulfilmentsign", "risk", "activity"]
ACTORS_MODELS = [
    "actortype", "socialservicekind", "resort", "serviceform", "targetgroup", "lifesituation",
    "topic", "municipality", "organisation", "actor", "contactperson", "note", "characteristic",
    "characteristicoption", "characteristicvalue", "post", "localpractice",
]
PLATFORMS_MODELS = ["platformtype", "participantgroup", "platform", "platformmembership"]


def _codes(app, models, actions):
    return [(app, f"{action}_{model}") for model in models for action in actions]


COORDINATOR = (
    _codes("needs", NEEDS_MODELS, ALL_ACTIONS)
    + _codes("actors", ACTORS_MODELS, ALL_ACTIONS)
    + _codes("platforms", PLATFORMS_MODELS, ALL_ACTIONS)
    + [("actors", "view_private")]
    + _codes("auth", ["user"], ("add", "change", "view"))
    + [("auth", "view_group")]
)
# Case managers read; what each may see of a record is decided by the visibility policy.
CASE_MANAGER = (
    _codes("needs", NEEDS_MODELS, ("view",))
    + _codes("actors", ACTORS_MODELS, ("view",))
    + _codes("platforms", PLATFORMS_MODELS, ("view",))
)
ACTOR_REPRESENTATIVE = [
    ("actors", "view_actor"),
    ("actors", "add_post"),
    ("actors", "change_post"),
    ("actors", "view_post"),
    ("platforms", "view_platform"),
]

ROLES = {
    "Koordinátor": COORDINATOR,
    "Case manažer": CASE_MANAGER,
    "Zástupce aktéra": ACTOR_REPRESENTATIVE,
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for app_label, codename in codes:
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("needs", "0002_seed_need_areas"),
        ("actors", "0002_seed_reference_lists"),
        ("platforms", "0002_seed_platform_types"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
