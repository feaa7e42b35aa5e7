"""The service items' figures in the one figures registry (grassroots.core.assessments.figures): a rate per
target area for a year, each one aggregate pass over the targets' subtrees (selectors_items).

- `cogov.needs_claimed`   shares of the published needs claimed (live claims) / shares listed
- `cogov.delivered_on_time` deliveries confirmed by the planned date / deliveries confirmed
- `cogov.service_rating`  mean rating of the confirmed deliveries / 5
- `cogov.service_satisfaction` 满意率: ratings 满意 or 基本满意 / ratings
- `cogov.partner_participation` mean annual participation score (0–100, as a rate /100) of the partners
  located in the target's subtree (selectors_items.participation: agreements kept, items delivered,
  ratings, meetings attended)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.rollup import per_subtree
from grassroots.cogov import selectors_items
from grassroots.cogov.models import Partner
from grassroots.cogov.models_items import ItemKind, ServiceItem


def _url(target) -> str:
    return reverse("cogov:item_list") + f"?area={target.pk}"


def needs_claimed(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    rows = per_subtree(
        ServiceItem.objects.filter(kind=ItemKind.NEED, published=True, year=year),
        [t.path for t in targets],
        path_field="community__path",
        shares=Sum("shares"),
        taken=Sum("taken"),
    )
    out = {}
    for target in targets:
        line = rows[target.path]
        if line["shares"]:
            out[target.pk] = Figure(
                rate=Decimal(line["taken"]) / line["shares"],
                detail=_("已认领 %(taken)d / %(shares)d 份") % line,
                url=_url(target),
            )
    return out


def delivered_on_time(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    figures = selectors_items.area_figures([t.path for t in targets], year)
    out = {}
    for target in targets:
        f = figures[target.path]
        if f.delivered:
            out[target.pk] = Figure(
                rate=f.on_time_rate,
                detail=_("按期完成 %(on_time)d / %(delivered)d 项")
                % {"on_time": f.on_time, "delivered": f.delivered},
                url=_url(target),
            )
    return out


def service_rating(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    figures = selectors_items.area_figures([t.path for t in targets], year)
    out = {}
    for target in targets:
        f = figures[target.path]
        if f.rating is not None:
            out[target.pk] = Figure(
                rate=f.rating / 5,
                detail=_("平均满意度 %(rating)s（%(n)d 条评价）") % {"rating": f.rating, "n": f.ratings},
                url=_url(target),
            )
    return out


def service_satisfaction(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    figures = selectors_items.area_figures([t.path for t in targets], year)
    out = {}
    for target in targets:
        f = figures[target.path]
        if f.satisfaction is not None:
            out[target.pk] = Figure(
                rate=f.satisfaction / 100,
                detail=_("满意 %(s)d、基本满意 %(b)d、不满意 %(u)d 条")
                % {"s": f.satisfied, "b": f.basic, "u": f.unsatisfied},
                url=_url(target),
            )
    return out


def partner_participation(targets: Sequence, year: int) -> dict:
    """The mean participation score of the live partners located in each target's subtree."""
    from grassroots.areas.subtree import under_q
    from grassroots.figures.registry import Figure

    partners = list(
        Partner.objects.filter(under_q([t.path for t in targets]), retired=False).values_list(
            "pk", "area__path"
        )
    )
    scores = selectors_items.participation([pk for pk, _path in partners], year)
    out = {}
    for target in targets:
        mine = [scores[pk].score for pk, path in partners if path.startswith(target.path)]
        if mine:
            mean = sum(mine) / len(mine)
            out[target.pk] = Figure(
                rate=mean / 100,
                detail=_("%(n)d 家共建单位，平均参与度 %(score)s 分")
                % {"n": len(mine), "score": round(mean, 1)},
                url=reverse("cogov:partner_list") + f"?area={target.pk}",
            )
    return out


def register_figures() -> None:
    from grassroots.figures.registry import register_provider

    register_provider(
        "cogov.needs_claimed",
        needs_claimed,
        label=gettext_lazy("社区需求认领率"),
        description=gettext_lazy("已发布的社区需求中被共建单位认领的份数比例"),
    )
    register_provider(
        "cogov.delivered_on_time",
        delivered_on_time,
        label=gettext_lazy("双向服务按期完成率"),
        description=gettext_lazy("社区确认完成的服务中在计划日期前交付的比例"),
    )
    register_provider(
        "cogov.service_rating",
        service_rating,
        label=gettext_lazy("双向服务满意度"),
        description=gettext_lazy("社区和居民对已完成服务的平均评分（5 分制）"),
    )
    register_provider(
        "cogov.service_satisfaction",
        service_satisfaction,
        label=gettext_lazy("双向服务满意率"),
        description=gettext_lazy("社区和居民对已完成服务评价为满意或基本满意的比例"),
    )
    register_provider(
        "cogov.partner_participation",
        partner_participation,
        label=gettext_lazy("共建单位年度参与度"),
        description=gettext_lazy("共建单位履行协议、完成服务、服务评价和参加联席会议的综合得分（百分制）"),
    )


# --- the dashboard's figures in the one registry (grassroots/figures/registry.py) ---------------------------


def _claims(year, today):
    from grassroots.cogov.models_items import Claim

    return Claim.objects.filter(item__year=year)


def _hours(year, today):
    from grassroots.cogov.figures_activities import _year_bounds
    from grassroots.cogov.models import ServiceHours

    start, end = _year_bounds(year)
    return ServiceHours.objects.filter(
        reversed_at__isnull=True, confirmed_at__gte=start, confirmed_at__lt=end
    )


def register_definitions() -> None:
    from django.db.models import Count, Sum

    from grassroots.cogov.selectors_items import _claim_aggregates
    from grassroots.figures.registry import Definition, count, rate, register

    common = {
        "permission": "cogov.view",
        "part": "cogov",
        "rows": _claims,
        "counts": lambda year, today: _claim_aggregates(),
        "path_field": "item__community__path",
        "parts": (
            ("committed", gettext_lazy("承诺资源")),
            ("claimed", gettext_lazy("认领需求")),
            ("delivered", gettext_lazy("完成交付")),
            ("on_time", gettext_lazy("按期交付")),
        ),
        "month_field": "claimed_at",
        "url": "cogov:item_list",
    }
    register(
        Definition(
            name="cogov.items_delivered",
            label=gettext_lazy("双向服务完成交付"),
            unit=gettext_lazy("项"),
            definition=gettext_lazy(
                "本年度服务事项中共建单位承诺的资源、认领的需求（有效认领）与社区确认完成交付的份数；"
                "趋势按认领月份"
            ),
            value=count("delivered"),
            **common,
        )
    )
    register(
        Definition(
            name="cogov.delivered_on_time",
            label=gettext_lazy("双向服务按期完成率"),
            unit="%",
            definition=gettext_lazy("社区确认完成的服务中在计划日期前交付的比例；趋势按认领月份"),
            value=rate("on_time", "delivered"),
            **common,
        )
    )
    register(
        Definition(
            name="cogov.service_hours",
            label=gettext_lazy("志愿服务时长"),
            unit=gettext_lazy("小时"),
            definition=gettext_lazy(
                "本年度在本区域举办的活动中确认（未撤销）的志愿服务时长合计；趋势按确认月份"
            ),
            permission="cogov.view",
            part="cogov",
            rows=_hours,
            counts=lambda year, today: {"hours": Sum("hours"), "credits": Count("pk")},
            value=count("hours"),
            parts=(("credits", gettext_lazy("服务记录")),),
            month_field="confirmed_at",
            url="cogov:volunteer_list",
        )
    )
