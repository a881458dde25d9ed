"""Sign-ups get a person (filled in by 0005); the old one-per-address rule goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("iness", "0007_history_kinds_and_offer_hours"),
        ("registrations", "0003_personal_data_erasure"),
    ]

    operations = [
        # Replaced in 0006 by one active sign-up per person and day; dropped before the data
        # moves so that 0005 can be undone (the old one needs the addresses back first).
        migrations.RemoveConstraint(
            model_name="registration",
            name="registration_one_active_per_email_and_event",
        ),
        migrations.AddField(
            model_name="registration",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="iness.person",
                verbose_name="person",
            ),
        ),
    ]
