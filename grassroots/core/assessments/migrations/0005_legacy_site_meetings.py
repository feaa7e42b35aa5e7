"""Gatherings of kind 现场会 made before on-site meetings had their own record (a kind with free text for the
site) get their SiteMeeting, so that every 现场会 is on the meetings' list, page and API.

What such a gathering showed was never recorded, so each becomes a meeting showing a community's practice
(社区经验做法), hosted by the gathering's area: the community is the one the gathering's place or title names
(under its area), else the gathering's own area when it is a community, else the first community under the
area, and then the practice text says the community is to be confirmed (观摩社区待核实). The practice text
keeps the old free text (the place and the description). The organizer edits it on the meeting's page.
Gatherings under an area with no community at all are left (none in practice). Reversing deletes nothing."""

from django.db import migrations

COMMUNITY = 4  # areas.Level.COMMUNITY


def _under(Area, path):
    return Area.objects.filter(path__startswith=path, level=COMMUNITY, retired=False).order_by("path")


def adopt(apps, schema_editor):
    Gathering = apps.get_model("gatherings", "Gathering")
    SiteMeeting = apps.get_model("assessments", "SiteMeeting")
    Area = apps.get_model("areas", "Area")
    legacy = Gathering.objects.filter(kind="site_meeting", site_meeting__isnull=True).select_related("area")
    for gathering in legacy.iterator():
        area = gathering.area
        candidates = list(_under(Area, area.path))
        if not candidates:
            continue
        text = f"{gathering.place} {gathering.title}"
        named = [c for c in sorted(candidates, key=lambda c: -len(c.name)) if c.name and c.name in text]
        if named:
            community, sure = named[0], True
        elif area.level == COMMUNITY:
            community, sure = area, True
        else:
            community, sure = candidates[0], False
        lines = [f"现场：{gathering.place}" if gathering.place else "", gathering.description]
        if not sure:
            lines.append("（观摩社区待核实）")
        SiteMeeting.objects.create(
            gathering=gathering,
            shows="practice",
            practice_area=community,
            practice="\n".join(line for line in lines if line) or gathering.title,
            host_area=area,
            created_by_id=gathering.organizer_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_site_meetings"),
        ("gatherings", "0003_gathering_timelines"),
        ("areas", "0004_area_depth_path_index"),
    ]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
