"""Create the "Organisers" group with exactly the permissions the committee needs.

Self-contained (a migration must do tomorrow what it did today): the list is a copy of
`backoffice.organisers.PERMISSIONS` as it stood, and a test checks that they agree.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Organisers"
PERMISSIONS = [
    ("iness", "event", ["view", "add", "change"]),
    ("iness", "outgoingmail", ["view", "change"]),
    ("registrations", "registration", ["view", "change"]),
    ("proposals", "proposal", ["view", "change"]),
    ("proposals", "review", ["view", "add", "change"]),
    ("backoffice", "announcement", ["view", "add"]),
]


def create_group(apps, schema_editor):
    # Permissions are normally made by a post_migrate signal once every migration has run;
    # on a new database they do not exist yet at this point, so make them now.
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


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("backoffice", "0001_initial"),
        ("iness", "0002_status_change"),
        ("registrations", "0002_reminder_sent_at"),
        ("proposals", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
