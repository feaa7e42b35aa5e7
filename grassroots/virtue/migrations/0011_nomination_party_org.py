"""A nomination by an organization names a Party organization (`nominating_org`, a PartyOrg) instead of a
typed name. The typed names are kept (`nominating_org_name`); where one is exactly the name of a single
live Party organization inside the campaign's area, that organization is linked too. An objection's time is
the service's (`raise_objection(now=)`), no longer the row's insertion."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def link_typed_names(apps, schema_editor):
    Nomination = apps.get_model("virtue", "Nomination")
    PartyOrg = apps.get_model("areas", "PartyOrg")
    rows = (
        Nomination.objects.exclude(nominating_org_name="")
        .filter(nominating_org__isnull=True)
        .select_related("campaign__area")
    )
    for nomination in rows.iterator(chunk_size=500):
        matches = list(
            PartyOrg.objects.filter(
                name=nomination.nominating_org_name.strip(),
                retired=False,
                area__path__startswith=nomination.campaign.area.path,
            ).values_list("pk", flat=True)[:2]
        )
        if len(matches) == 1:
            Nomination.objects.filter(pk=nomination.pk).update(nominating_org_id=matches[0])


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_area_depth_path_index"),
        ("virtue", "0010_campaign_submission"),
    ]

    operations = [
        migrations.RenameField(
            model_name="nomination", old_name="nominating_org", new_name="nominating_org_name"
        ),
        migrations.AlterField(
            model_name="nomination",
            name="nominating_org_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="提名单位（原填写）"),
        ),
        migrations.AddField(
            model_name="nomination",
            name="nominating_org",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.partyorg",
                verbose_name="提名单位",
            ),
        ),
        migrations.RunPython(link_typed_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="objection",
            name="raised_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="提出时间"),
        ),
    ]
