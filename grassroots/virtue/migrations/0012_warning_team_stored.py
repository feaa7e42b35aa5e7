"""Warning education stores its leadership team for every session (issue 17). A 警示教育 gathering made on the
general 会议活动 form before the kind had a form of its own has no `WarningEducation`; it was counted for its
area's team on read. Here each gets its record: the team is the street or community it was held in, the
community above it when held at a grid, courtyard, compound or building (`services.team_of`, the same rule);
one held at a county or the city has no team and stays without. Its form of teaching is unknown: `mode`
blank. The read paths then use the stored team only."""

from django.db import migrations, models

STREET, COMMUNITY = 3, 4  # areas.models.Level
STEPLEN = 4  # areas.subtree.STEPLEN


def fill_teams(apps, schema_editor):
    Gathering = apps.get_model("gatherings", "Gathering")
    Area = apps.get_model("areas", "Area")
    WarningEducation = apps.get_model("virtue", "WarningEducation")
    rows = (
        Gathering.objects.filter(kind="virtue_warning", warning_education__isnull=True, area__level__gte=STREET)
        .select_related("area")
        .order_by("pk")
    )
    communities: dict[str, int] = {}
    made = []
    for gathering in rows.iterator(chunk_size=500):
        area = gathering.area
        if area.level in (STREET, COMMUNITY):
            team_id = area.pk
        else:  # below a community: its community's team
            above = [area.path[:i] for i in range(STEPLEN, len(area.path), STEPLEN)]
            key = above[-1] if above else area.path
            if key not in communities:
                community = Area.objects.filter(path__in=above, level=COMMUNITY).values_list("pk", flat=True)
                communities[key] = community.first()
            team_id = communities[key]
            if team_id is None:
                continue
        made.append(
            WarningEducation(
                gathering_id=gathering.pk,
                team_id=team_id,
                mode="",
                case_summary="",
                created_by_id=getattr(gathering, "created_by_id", None),
            )
        )
    WarningEducation.objects.bulk_create(made, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_area_depth_path_index"),
        ("gatherings", "0010_decision_photo_submission_guest_key"),
        ("virtue", "0011_nomination_party_org"),
    ]

    operations = [
        migrations.AlterField(
            model_name="warningeducation",
            name="mode",
            field=models.CharField(
                blank=True,
                choices=[("case", "以案说纪"), ("testimony", "现身说法"), ("on_site", "现场教学")],
                max_length=20,
                verbose_name="教育形式",
            ),
        ),
        migrations.RunPython(fill_teams, migrations.RunPython.noop),
    ]
