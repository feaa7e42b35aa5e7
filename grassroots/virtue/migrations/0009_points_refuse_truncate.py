"""PostgreSQL: the points ledger refuses TRUNCATE too (a statement trigger, as the audit trail's audit.0007;
grassroots/audit/dbguard.py). SQLite has no TRUNCATE: its `DELETE FROM t` meets virtue.0006's row triggers."""

from django.db import migrations


def install(apps, schema_editor):
    from grassroots.virtue.models_points import LEDGER_GUARD

    LEDGER_GUARD.install_truncate(schema_editor)


def uninstall(apps, schema_editor):
    from grassroots.virtue.models_points import LEDGER_GUARD

    LEDGER_GUARD.uninstall_truncate(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("virtue", "0008_campaign_cancel_withdraw")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
