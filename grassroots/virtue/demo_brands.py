"""Demo step `virtue_brands` (after `virtue`): the demo community's three culture brands (红色文化,
道德文化, 邻里文化) with an activity each, one held with its photo; the “绿美雅安·党员先行” actions — a
clean-up ahead open for sign-up (the resident and the member signed up), a waste-sorting action held last
week with attendance and a photo, a publicity action ahead in the street; and coordinates for the venues
without (the venue map)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.gatherings import services as gatherings
from grassroots.virtue import services as venue_services
from grassroots.virtue import services_brands as services
from grassroots.virtue.brands_setup import ENV_CLEANUP, ENV_PUBLICITY, ENV_SORTING
from grassroots.virtue.demo import at, photo
from grassroots.virtue.models import Venue
from grassroots.virtue.models_brands import BrandKind, CultureBrand

BRANDS = [
    (
        BrandKind.RED,
        "红色记忆·初心课堂",
        "讲述雅安红色故事，组织党员群众参观红军长征纪念地。",
        "重温入党誓词主题活动",
        -14,
    ),
    (BrandKind.MORAL, "善美东大街", "评议身边好人好事，传承孝老爱亲家风。", "身边好人故事分享会", 6),
    (BrandKind.NEIGHBOURHOOD, "邻里一家亲", "邻里互助、百家宴和院落议事，拉近邻里距离。", "院落百家宴", 12),
]


@seed_step(order=462)
def virtue_brands(ctx: SeedContext) -> None:
    worker, street_user = ctx.users.get("worker"), ctx.users.get("street")
    community, street = ctx.places.get("community"), ctx.places.get("street")
    if None in (worker, street_user, community, street) or CultureBrand.objects.exists():
        return
    today = local_today()
    for kind, name, description, activity, days in BRANDS:
        brand = services.create_brand(
            actor=worker, area=community, kind=kind, name=name, description=description
        )
        made = services.add_brand_activity(
            actor=worker,
            brand=brand,
            title=activity,
            starts_at=at(today + timedelta(days=days), 15),
            ends_at=at(today + timedelta(days=days), 17),
            place="社区党群服务中心",
            signup_open=days > 0,
        )
        if days < 0:
            gatherings.mark_held(actor=worker, gathering=made.gathering)
            gatherings.add_photo(
                actor=worker,
                gathering=made.gathering,
                image=photo("brand.jpg", (180, 30, 30)),
                caption=activity,
            )
    cleanup = services.create_environmental_action(
        actor=worker,
        area=community,
        kind=ENV_CLEANUP,
        title="绿美雅安·党员先行：青衣江畔清洁行动",
        starts_at=at(today + timedelta(days=4), 9),
        ends_at=at(today + timedelta(days=4), 11),
        place="东大街社区广场集合",
        description="清理河岸垃圾，党员带头、居民参与；请自备手套。",
        capacity=30,
    )
    for username in ("resident", "member"):
        person = ctx.users.get(username)
        if person is not None:
            gatherings.sign_up(user=person, gathering=cleanup.gathering)
    sorting = services.create_environmental_action(
        actor=worker,
        area=community,
        kind=ENV_SORTING,
        title="垃圾分类入户宣传与分拣",
        starts_at=at(today - timedelta(days=6), 9),
        ends_at=at(today - timedelta(days=6), 11),
        place="各院落垃圾分类投放点",
        capacity=20,
    )
    people = [ctx.users.get(name) for name in ("member", "secretary")]
    people = [person for person in people if person is not None]
    for person in people:  # signed up the day before
        gatherings.sign_up(
            user=person, gathering=sorting.gathering, now=sorting.gathering.starts_at - timedelta(days=1)
        )
    gatherings.mark_held(actor=worker, gathering=sorting.gathering)
    gatherings.record_attendance_sheet(
        actor=worker, gathering=sorting.gathering, marks=[(person, True, "") for person in people]
    )
    gatherings.add_photo(
        actor=worker,
        gathering=sorting.gathering,
        image=photo("sorting.jpg", (40, 140, 60)),
        caption="分拣现场",
    )
    services.create_environmental_action(
        actor=street_user,
        area=street,
        kind=ENV_PUBLICITY,
        title="绿美雅安环保宣传进街区",
        starts_at=at(today + timedelta(days=9), 14),
        ends_at=at(today + timedelta(days=9), 16),
        place="东城街道文化广场",
    )
    located = 0
    for i, venue in enumerate(Venue.objects.filter(latitude__isnull=True).order_by("pk")[:40]):
        venue_services.update_venue(
            actor=ctx.users.get("city") or worker,
            venue=venue,
            latitude=Decimal("29.98") + Decimal(i % 7) / 200,
            longitude=Decimal("103.00") + Decimal(i // 7) / 150 + Decimal(i % 3) / 400,
        )
        located += 1
    ctx.log(
        f"  {len(BRANDS)} culture brands with activities, 3 environmental actions, {located} venues located"
    )
