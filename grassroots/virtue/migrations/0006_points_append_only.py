"""The points ledger refuses UPDATE and DELETE in the database (the audit trail's triggers, audit/dbguard.py;
`LEDGER_GUARD` in virtue/models_points.py), and a person or a reversed line with ledger lines cannot be
deleted (PROTECT: the ledger stays)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install(apps, schema_editor):
    from grassroots.virtue.models_points import LEDGER_GUARD

    LEDGER_GUARD.install(schema_editor)


def uninstall(apps, schema_editor):
    from grassroots.virtue.models_points import LEDGER_GUARD

    LEDGER_GUARD.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("virtue", "0005_brands_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="pointsentry",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="points_entries",
                to=settings.AUTH_USER_MODEL,
                verbose_name="积分人",
            ),
        ),
        migrations.AlterField(
            model_name="pointsentry",
            name="reverses",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversal",
                to="virtue.pointsentry",
                verbose_name="冲销的流水",
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
