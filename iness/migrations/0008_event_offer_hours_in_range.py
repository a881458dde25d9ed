from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("iness", "0007_history_kinds_and_offer_hours")]

    operations = [
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("offer_hours__gte", 1), ("offer_hours__lte", 1440)),
                name="event_offer_hours_in_range",
            ),
        ),
    ]
