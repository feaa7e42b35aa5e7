import secrets

from django.db import migrations, models


def create_triggers(apps, schema_editor):
    from grassroots.core.orglife import kept

    kept.create_triggers(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {kept.TABLE} (id, token) VALUES (1, %s)", [secrets.token_hex(16)])


def drop_triggers(apps, schema_editor):
    from grassroots.core.orglife import kept

    kept.create_triggers(schema_editor.connection, drop=True)


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_area_depth_path_index"),
        ("orglife", "0002_submission_tokens"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplianceVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
