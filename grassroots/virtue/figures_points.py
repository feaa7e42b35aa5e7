"""Points' figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md), summed by the
one roll-up (`areas.rollup`), on the dashboard, /api/figures/ and the assessments alike:

- `virtue.points_earned` 积分获得: the points earned for deeds done in the subtree in the year (earnings less
  their reversals, by the ledger line's area; exchanges are spending, not counted); trend by the month the
  line was written (a reversal counts in its own month);
- `virtue.points_participation` 积分参与率: the verified residents (by their address) and those of them who
  earned points for a deed in the year and kept them (additive counts, the rate from their sums); trend: who
  earned in each month. The assessments' provider of the same name gives, per target subtree, the share
  of its verified residents who earned points for a deed in the year; the evidence names the points earned
  for deeds done in the subtree that year. Only real deeds earn points (attendance, confirmed service
  hours, awards), so the figures count no clicks."""

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


VIEW = "virtue.view"


def _deeds(year: int):
    return PointsEntry.objects.exclude(rule=PointsRule.EXCHANGE).filter(created_at__year=year)


def _kept(deeds):
    """Has the person (the outer row) an earning among `deeds` that was neither reversed nor a reversal?"""
    return Exists(deeds.filter(person=OuterRef("pk"), reverses__isnull=True, reversal__isnull=True))


def _residents(deeds):
    return User.objects.filter(verified_at__isnull=False, is_active=True).annotate(earned=_kept(deeds))


def _participation_counts(year, today) -> dict:
    return {"residents": Count("pk"), "earned": Count("pk", filter=Q(earned=True))}


def register_figures() -> None:
    from grassroots.core.assessments.figures import register_provider
    from grassroots.figures.registry import Definition, count, rate, register

    register(
        Definition(
            name="virtue.points_earned",
            label=gettext_lazy("积分获得"),
            unit=gettext_lazy("分"),
            definition=gettext_lazy(
                "本年度在本区域因参加活动、志愿服务或获奖获得的积分（扣除冲销，不含兑换）；趋势按记分月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=lambda year, today: _deeds(year),
            counts=lambda year, today: {"points": Sum("points")},
            value=count("points"),
            month_field="created_at",
            url="virtue:store_admin",
        )
    )
    register(
        Definition(
            name="virtue.points_participation",
            label=gettext_lazy("积分参与率"),
            unit="%",
            definition=gettext_lazy(
                "实名居民（按居住地）中本年度因参加活动、志愿服务或获奖而获得积分的比例；趋势按当月获得积分"
            ),
            permission=VIEW,
            part="virtue",
            rows=lambda year, today: _residents(_deeds(year)),
            path_field="home_area__path",
            counts=_participation_counts,
            value=rate("earned", "residents"),
            parts=(("residents", gettext_lazy("实名居民")), ("earned", gettext_lazy("获得积分"))),
            month_rows=lambda year, month, today: _residents(_deeds(year).filter(created_at__month=month)),
            url="virtue:store_admin",
        )
    )

    register_provider(
        "virtue.points_participation",
        points_participation,
        label=gettext_lazy("积分参与率"),
        description=gettext_lazy("实名居民中本年度因参加活动、志愿服务或获奖而获得积分的比例"),
    )
