"""Points' figure in the one figures registry (assessments' `register_provider`), summed by the one roll-up
(`areas.rollup.per_subtree`):

- `virtue.points_participation` 积分参与率: per target subtree, the share of its verified residents (by their
  address) who earned points for a deed in the year; the evidence names the points earned for deeds done in
  the subtree that year (earnings less their reversals; exchanges are spending, not counted). Only real
  deeds earn points (attendance, confirmed service hours, awards), so the figure counts no clicks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.accounts.models import User
from grassroots.areas.rollup import per_subtree
from grassroots.virtue.models_points import PointsEntry, PointsRule


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def points_participation(targets: Sequence, year: int) -> dict:
    from grassroots.core.assessments.figures import Figure

    start, end = _year_bounds(year)
    deeds = PointsEntry.objects.exclude(rule=PointsRule.EXCHANGE).filter(
        created_at__gte=start, created_at__lt=end
    )
    paths = [t.path for t in targets]
    earned = per_subtree(deeds, paths, path_field="area__path", points=Sum("points"))
    live = deeds.filter(person=OuterRef("pk"), reverses__isnull=True, reversal__isnull=True)
    people = per_subtree(
        User.objects.filter(verified_at__isnull=False, is_active=True).annotate(earned=Exists(live)),
        paths,
        path_field="home_area__path",
        residents=Count("pk"),
        earned=Count("pk", filter=Q(earned=True)),
    )
    out = {}
    for target in targets:
        line = people.get(target.path) or {}
        if not line.get("residents"):
            continue
        out[target.pk] = Figure(
            rate=line["earned"] / line["residents"],
            detail=_("本年度为实际行动记积分 %(points)s 分，%(earned)d / %(residents)d 名实名居民获得积分")
            % {"points": (earned.get(target.path) or {}).get("points") or 0, **line},
            url=reverse("virtue:store_admin") + f"?area={target.pk}",
        )
    return out


def register_figures() -> None:
    from grassroots.core.assessments.figures import register_provider

    register_provider(
        "virtue.points_participation",
        points_participation,
        label=gettext_lazy("积分参与率"),
        description=gettext_lazy("实名居民中本年度因参加活动、志愿服务或获奖而获得积分的比例"),
    )
