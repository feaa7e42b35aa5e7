"""Demo step `virtue_points` (order 470, after `virtue` and the volunteer activities): the demo community's
points store with a few goods (one sold out, two with a photo), and points from real deeds only — the demo
resident (and member) checked in at a moral lecture hall held four days ago earn the attendance points
(`earn_for_attendance`, the attendance signal's function); the award of 廉洁模范之星 earned the resident
theirs (`virtue_campaigns`), the volunteers' confirmed hours theirs (cogov's step). The resident exchanges
a good while the balance allows, up to three times: one picked up, one cancelled (its points back), one
waiting.
Idempotent: nothing is made again when the community has store items."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.gatherings import services as gatherings
from grassroots.virtue import services_points as points
from grassroots.virtue.demo import photo
from grassroots.virtue.kinds import MORAL_HALL
from grassroots.virtue.models_points import StoreItem

GOODS = [
    ("洗衣液", "2 千克装", 20, 10),
    ("大米", "5 千克装", 60, 5),
    ("环保购物袋", "可折叠", 5, 30),
    ("理发券", "社区志愿理发一次", 10, 0),
]


@seed_step(order=470)
def virtue_points(ctx: SeedContext) -> None:
    worker, community = ctx.users.get("worker"), ctx.places.get("community")
    if worker is None or community is None or StoreItem.objects.filter(area=community).exists():
        return
    items = [
        points.create_item(
            actor=worker, area=community, name=name, description=about, price=price, stock=stock
        )
        for name, about, price, stock in GOODS
    ]
    for item, color in ((items[0], (40, 110, 200)), (items[1], (230, 220, 190))):  # photos of two goods
        points.set_item_photo(actor=worker, item=item, image=photo(f"{item.pk}.jpg", color))
    people = [u for u in (ctx.users.get("resident"), ctx.users.get("member")) if u is not None]
    if people:
        day = local_today() - timedelta(days=4)
        hall = gatherings.create_gathering(
            actor=worker,
            area=community,
            kind=MORAL_HALL,
            title="道德讲堂：邻里守望",
            starts_at=timezone.make_aware(datetime.combine(day, time(19))),
            ends_at=timezone.make_aware(datetime.combine(day, time(21))),
            place="社区党群服务中心",
        )
        gatherings.invite(actor=worker, gathering=hall, users=people)
        gatherings.mark_held(actor=worker, gathering=hall)
        for person in people:  # checked in at the door, left at the end: present (the organizer's record)
            gatherings.record_times(
                actor=worker,
                gathering=hall,
                person=person,
                checked_in_at=hall.starts_at - timedelta(minutes=5),
                checked_out_at=hall.ends_at,
            )
        for person in people:  # the signal's function (the signal runs after commit); once per deed
            points.earn_for_attendance(gathering=hall, user=person, present=True, previous=None)
    resident = ctx.users.get("resident")
    exchanges = 0
    if resident is not None and points.may_exchange_in(resident, community):
        bag = items[2]
        for _ in range(3):
            if points.balance(resident) >= bag.price:
                points.exchange(person=resident, item=bag)
                exchanges += 1
        mine = list(resident.points_exchanges.order_by("pk"))
        if len(mine) >= 2:
            points.pick_up(actor=worker, exchange=mine[0])
            points.cancel_exchange(actor=resident, exchange=mine[1])
    ctx.log(f"  {len(items)} store items, {exchanges} exchanges")
