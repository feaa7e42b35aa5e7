"""Demo step `virtue`: cultivation by virtue (一化) in the demo community and street — a warning education
session of the community's leadership team held three days ago with its attendance (the members present get
their study record through the members app), one of the street's team planned ahead, an integrity lecture
and a moral lecture hall; integrity venues with photos in the demo community and in some of its street's
communities (others without: the coverage page shows both)."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Visibility
from grassroots.virtue import services
from grassroots.virtue.kinds import INTEGRITY_LECTURE, MORAL_HALL
from grassroots.virtue.models import Venue, VenueKind, WarningMode

VENUES = [
    (VenueKind.READING_ROOM, "廉政书屋", "社区党群服务中心二楼", (40, 90, 160)),
    (VenueKind.CULTURE_WALL, "清风廉洁文化墙", "社区广场东侧", (160, 60, 50)),
    (VenueKind.WARNING_BOARD, "警示教育栏", "社区办公楼一楼大厅", (200, 150, 40)),
]


def photo(name: str, color) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@seed_step(order=460)
def virtue(ctx: SeedContext) -> None:
    worker, street_user, city = ctx.users.get("worker"), ctx.users.get("street"), ctx.users.get("city")
    community, street = ctx.places.get("community"), ctx.places.get("street")
    if None in (worker, street_user, city, community, street) or Venue.objects.exists():
        return
    today = local_today()
    team = [u for u in (ctx.users.get("secretary"), worker, ctx.users.get("member")) if u is not None]
    held = services.record_warning_education(
        actor=worker,
        team=community,
        mode=WarningMode.CASE,
        title="以案说纪警示教育会",
        starts_at=at(today - timedelta(days=3), 9),
        ends_at=at(today - timedelta(days=3), 11),
        place="社区党群服务中心会议室",
        case_summary="通报近年基层“微腐败”典型案例，逐案剖析，举一反三。",
        attendees=team,
    )
    gatherings.mark_held(actor=worker, gathering=held.gathering)
    marks = [(person, True, "") for person in team[:-1]] + [(team[-1], False, "外出培训，已请假")]
    gatherings.record_attendance_sheet(actor=worker, gathering=held.gathering, marks=marks)
    services.record_warning_education(
        actor=street_user,
        team=street,
        mode=WarningMode.ON_SITE,
        title="廉政教育基地现场教学",
        starts_at=at(today + timedelta(days=10), 14),
        ends_at=at(today + timedelta(days=10), 17),
        place="雅安市廉政教育基地",
        attendees=[street_user],
    )
    for kind, title, days in (
        (INTEGRITY_LECTURE, "廉洁文化大讲堂：清廉家风", 5),
        (MORAL_HALL, "道德讲堂：孝老爱亲", -7),
    ):
        gathering = gatherings.create_gathering(
            actor=worker,
            area=community,
            kind=kind,
            title=title,
            starts_at=at(today + timedelta(days=days), 19),
            ends_at=at(today + timedelta(days=days), 21),
            place="社区党群服务中心",
            visibility=Visibility.PUBLIC,
            signup_open=True,
        )
        if days < 0:
            gatherings.mark_held(actor=worker, gathering=gathering)
    count = 0
    for kind, name, address, color in VENUES[:2]:
        venue = services.create_venue(actor=worker, area=community, kind=kind, name=name, address=address)
        services.add_venue_photo(actor=worker, venue=venue, image=photo(f"{kind}.jpg", color), caption=name)
        count += 1
    # some other communities of the street have venues, others none (the coverage page shows both)
    others = Area.objects.filter(under_q(street.path, "path"), level=Level.COMMUNITY, retired=False).exclude(
        pk=community.pk
    )
    for i, other in enumerate(others.order_by("path")[:4]):
        for kind, name, address, _color in VENUES[i % 3 : i % 3 + (1 if i % 2 else 2)]:
            services.create_venue(actor=city, area=other, kind=kind, name=name, address=address)
            count += 1
    ctx.log(f"  2 warning education sessions, 2 lectures, {count} integrity venues")


# The steps `virtue_brands` (462), `virtue_campaigns` (465) and `virtue_points` (470) live beside this one.
from grassroots.virtue import demo_brands, demo_campaigns, demo_points  # noqa: E402, F401
