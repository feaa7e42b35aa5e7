"""PostgreSQL: the audit trail's tables refuse TRUNCATE too (a statement trigger; grassroots/audit/dbguard.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from grassroots.audit import dbguard

    dbguard.install_truncate(schema_editor)


def uninstall(apps, schema_editor):
    from grassroots.audit import dbguard

    dbguard.uninstall_truncate(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_append_only_triggers")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
