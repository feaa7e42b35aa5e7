"""Gatherings became workflow records (0002): give every existing gathering its timeline, so its page shows
when it was created and, when held or cancelled, that step (gatherings.history). Rows already logged are
skipped, so running it on a database that has some is harmless."""

from django.db import migrations

from grassroots.gatherings.history import timeline_rows

BATCH = 2000


def forwards(apps, schema_editor):
    Gathering = apps.get_model("gatherings", "Gathering")
    TransitionLog = apps.get_model("workflow", "TransitionLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="gatherings", model="gathering")
    logged = set(
        TransitionLog.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    batch = []
    for gathering in Gathering.objects.order_by("pk").iterator(chunk_size=BATCH):
        if gathering.pk in logged:
            continue
        batch.append(gathering)
        if len(batch) == BATCH:
            _write(TransitionLog, batch, content_type.pk)
            batch = []
    _write(TransitionLog, batch, content_type.pk)


def _write(TransitionLog, gatherings, content_type_id):
    rows = timeline_rows(gatherings, log_model=TransitionLog, content_type_id=content_type_id)
    TransitionLog.objects.bulk_create(rows, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("gatherings", "0002_gathering_workflow"),
        ("workflow", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
