"""Dispute.settle_days: the days from receipt to settlement, kept on write (the figures' median)."""

from django.db import migrations, models
from django.utils import timezone


def backfill(apps, schema_editor):
    Dispute = apps.get_model("lawgov", "Dispute")
    for dispute in Dispute.objects.filter(settled_at__isnull=False).only("pk", "created_at", "settled_at"):
        days = (timezone.localdate(dispute.settled_at) - timezone.localdate(dispute.created_at)).days
        Dispute.objects.filter(pk=dispute.pk).update(settle_days=max(days, 0))


class Migration(migrations.Migration):
    dependencies = [
        ("lawgov", "0002_legal_stations"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="settle_days",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="调解用时（天）"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
