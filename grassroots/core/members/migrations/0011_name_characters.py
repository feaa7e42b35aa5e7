from django.db import migrations, models


def create_triggers(apps, schema_editor):
    """The triggers that keep the table, then the table from every member's name (backfill)."""
    from grassroots.core.members import name_index

    name_index.create_triggers(schema_editor.connection)
    name_index.refill(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from grassroots.core.members import name_index

    name_index.create_triggers(schema_editor.connection, drop=True)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_member_status_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameCharacter",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "character", "member_id", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("character", models.CharField(max_length=1)),
                ("member_id", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "姓名用字",
                "verbose_name_plural": "姓名用字",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
