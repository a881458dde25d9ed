"""Organisers add sign-ups (through the sign-up service: guests, walk-ins on the day) and
read the day's feedback.

Self-contained like 0002: the list is a copy of `backoffice.organisers.PERMISSIONS` as it
stands, and a test checks that they agree.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Organisers"
PERMISSIONS = [
    ("iness", "event", ["view", "add", "change"]),
    ("iness", "person", ["view", "change"]),
    ("iness", "outgoingmail", ["view", "change"]),
    ("registrations", "registration", ["view", "add", "change"]),
    ("registrations", "feedback", ["view"]),
    ("proposals", "proposal", ["view", "change"]),
    ("proposals", "review", ["view", "add", "change"]),
    ("backoffice", "announcement", ["view", "add"]),
    ("proposals", "slot", ["view", "add", "change", "delete"]),
]


def forwards(apps, schema_editor):
    # As 0002: permissions are made by a post_migrate signal once every migration has run.
    for label in sorted({app for app, _model, _actions in PERMISSIONS}):
        create_permissions(
            global_apps.get_app_config(label),
            apps=apps,
            verbosity=0,
            using=schema_editor.connection.alias,
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(
        [
            Permission.objects.get(
                content_type__app_label=app,
                content_type__model=model,
                codename=f"{action}_{model}",
            )
            for app, model, actions in PERMISSIONS
            for action in actions
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0005_people"),
        ("registrations", "0007_day_itself"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
