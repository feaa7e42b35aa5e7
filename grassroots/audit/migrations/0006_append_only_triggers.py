"""The audit trail's tables refuse UPDATE and DELETE in the database (grassroots/audit/dbguard.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from grassroots.audit import dbguard

    dbguard.install(schema_editor)


def uninstall(apps, schema_editor):
    from grassroots.audit import dbguard

    dbguard.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_chain_scopes"),
        ("auditlog", "__latest__"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
