"""Dispute.start_level: the level that received the case (issue 16, intake at any level). Every case filed
before it was received at its community's committee: the default fills the existing rows with the community
level (4), so the figures' escalations, Σ (start_level − level), are unchanged for them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lawgov", "0005_pairings"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="start_level",
            field=models.PositiveSmallIntegerField(
                choices=[(2, "县（区）级"), (3, "街道（乡镇）级"), (4, "社区级")],
                default=4,
                editable=False,
                verbose_name="受理层级",
            ),
        ),
    ]
