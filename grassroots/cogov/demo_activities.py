"""Demo step `cogov_activities` (order 325, after `cogov` and the members' dual registrations): volunteer
activities of the demo community through the services — one held last week with its hours confirmed (the
volunteers' and the member's registration's hours credited once), one ended yesterday whose hours wait for
the organizer, one next weekend open for sign-up (the demo resident signed up) and one of the street.
Idempotent: nothing is made again when the community has a volunteer activity."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from grassroots.areas.subtree import under_q
from grassroots.cogov import services_activities as activities
from grassroots.cogov.models import Volunteer
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Gathering


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@seed_step(order=325)
def cogov_activities(ctx: SeedContext) -> None:
    community, street = ctx.places.get("community"), ctx.places.get("street")
    secretary = ctx.users.get("secretary")
    if community is None or secretary is None:
        return
    kind = activities.ACTIVITY_KIND
    if Gathering.objects.filter(under_q(community.path), kind=kind).exists():
        return
    volunteers = list(
        Volunteer.objects.filter(area=community, active=True).select_related("user").order_by("pk")[:5]
    )
    today = local_today()

    def publish(title, day, hours, place, *, area=community, actor=secretary, capacity=10):
        starts = _at(day, 9)
        return gatherings.create_gathering(
            actor=actor,
            kind=kind,
            title=title,
            area=area,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            place=place,
            description="请穿志愿者马甲，提前 10 分钟到场签到。",
            capacity=capacity,
            signup_open=True,
        )

    def attend(activity, people):
        before = activity.starts_at - timedelta(days=2)
        for i, volunteer in enumerate(people):
            activities.join_activity(user=volunteer.user, gathering=activity, now=before)
            activities.record_times(
                actor=secretary,
                gathering=activity,
                person=volunteer.user,
                checked_in_at=activity.starts_at - timedelta(minutes=10),
                checked_out_at=activity.ends_at + timedelta(minutes=5 * i),
            )

    held = publish("关爱独居老人上门服务", today - timedelta(days=7), 3, "桥楼社区各院落")
    attend(held, volunteers[:4])
    credited = activities.confirm_hours(actor=secretary, gathering=held)
    waiting = publish("院落环境清洁日", today - timedelta(days=1), 2, "一号院落")
    attend(waiting, volunteers[1:4])
    coming = publish("周末义剪进社区", today + timedelta(days=5), 3, "社区党群服务中心", capacity=8)
    resident = ctx.users.get("resident")
    if resident is not None and Volunteer.objects.filter(user=resident, active=True).exists():
        activities.join_activity(user=resident, gathering=coming)
    street_actor = ctx.users.get("street")
    if street is not None and street_actor is not None:
        publish(
            "街道文明交通劝导",
            today + timedelta(days=12),
            2,
            "街道主干道路口",
            area=street,
            actor=street_actor,
            capacity=20,
        )
    ctx.log(
        f"  4 volunteer activities, {len(credited.credited)} hours credited, {len(volunteers)} volunteers"
    )
