"""The volunteer activities' figures in the one figures registry (assessments' `register_provider`), summed
by the one roll-up (`areas.rollup.per_subtree`):

- `cogov.volunteer_hours` 志愿服务参与率: per target subtree, the share of its active volunteers (by their
  community) with hours credited in the year; the evidence names the hours credited for activities held in
  the subtree that year.
- `cogov.activities_held` 志愿活动举办率: of the volunteer activities of the subtree that ended in the year
  (cancelled ones left out), the share held (marked held, or with hours confirmed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.rollup import per_subtree
from grassroots.cogov.models import ServiceHours, Volunteer
from grassroots.cogov.services_activities import ACTIVITY_KIND
from grassroots.gatherings.models import Gathering, Status


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def volunteer_hours(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    start, end = _year_bounds(year)
    live = ServiceHours.objects.filter(
        reversed_at__isnull=True, confirmed_at__gte=start, confirmed_at__lt=end
    )
    paths = [t.path for t in targets]
    hours = per_subtree(live, paths, path_field="area__path", hours=Sum("hours"))
    served = live.filter(volunteer=OuterRef("pk"))
    people = per_subtree(
        Volunteer.objects.filter(active=True).annotate(served=Exists(served)),
        paths,
        path_field="area__path",
        volunteers=Count("pk"),
        served=Count("pk", filter=Q(served=True)),
    )
    out = {}
    for target in targets:
        line = people.get(target.path) or {}
        if not line.get("volunteers"):
            continue
        out[target.pk] = Figure(
            rate=line["served"] / line["volunteers"],
            detail=_("志愿服务 %(hours)s 小时，%(served)d / %(volunteers)d 名志愿者参与")
            % {"hours": (hours.get(target.path) or {}).get("hours") or 0, **line},
            url=reverse("cogov:volunteer_list") + f"?area={target.pk}",
        )
    return out


def activities_held(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    start, end = _year_bounds(year)
    now = timezone.now()
    ended = Gathering.objects.filter(
        kind=ACTIVITY_KIND, ends_at__gte=start, ends_at__lt=min(end, now)
    ).exclude(status=Status.CANCELLED)
    counts = per_subtree(
        ended,
        [t.path for t in targets],
        path_field="area__path",
        ended=Count("pk"),
        held=Count("pk", filter=Q(status=Status.HELD)),
    )
    out = {}
    for target in targets:
        line = counts.get(target.path) or {}
        if not line.get("ended"):
            continue
        out[target.pk] = Figure(
            rate=line["held"] / line["ended"],
            detail=_("举办志愿活动 %(held)d 场（已结束 %(ended)d 场）") % line,
            url=reverse("gatherings:list") + f"?kind={ACTIVITY_KIND}&area={target.pk}",
        )
    return out
