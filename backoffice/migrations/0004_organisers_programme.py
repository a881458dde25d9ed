"""Let the "Organisers" group build the programme of the day (proposals.Slot).

Self-contained, as 0002: `ADDED` is what `backoffice.organisers.PERMISSIONS` gained, and a
test checks that 0002's list plus these make today's list.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Organisers"
ADDED = [("proposals", "slot", ["view", "add", "change", "delete"])]


def _permissions(apps, schema_editor):
    create_permissions(
        global_apps.get_app_config("proposals"),
        apps=apps,
        verbosity=0,
        using=schema_editor.connection.alias,
    )
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(
            content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}"
        )
        for app, model, actions in ADDED
        for action in actions
    ]


def add_permissions(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.add(*_permissions(apps, schema_editor))


def remove_permissions(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, schema_editor))


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0003_announcement_batch"),
        ("proposals", "0004_programme_slots"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
