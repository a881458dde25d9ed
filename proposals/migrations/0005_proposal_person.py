"""Proposals get a speaker, a person (filled in by 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("iness", "0007_history_kinds_and_offer_hours"),
        ("proposals", "0004_programme_slots"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proposals",
                to="iness.person",
                verbose_name="speaker",
            ),
        ),
    ]
