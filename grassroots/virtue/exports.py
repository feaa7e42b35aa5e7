"""The 导出 Excel of 廉洁文化阵地 (?area= narrows to a subtree), of 警示教育 (?year=), of 文化品牌
(?area=), of 绿美雅安·党员先行 (the environmental actions), of 评选活动, of a campaign's results (on its page,
?campaign=) and of 积分商城管理 (its pick-up list and its goods, ?area=) (grassroots.imports.lists): each
list's rows, one function of the request for the page and the export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.ids import as_id
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.virtue import selectors, selectors_brands, selectors_campaigns, selectors_points
from grassroots.virtue.forms import YearFilter
from grassroots.virtue.models import VenueKind
from grassroots.virtue.models_campaigns import CampaignStatus, Nomination


def venue_rows(request):
    """(area or None, rows) of the venues list."""
    area = area_from_request(request, selectors.VIEW)
    rows = selectors.venues(request.user).order_by("area__path", "name", "pk")
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    return area, rows


@register_list_export
class VenueExport(ListExport):
    kind = "virtue-venues"
    label = _("廉洁文化阵地")
    permission = selectors.VIEW
    back_url_name = "virtue:venue_list"
    columns = (
        Column(_("名称"), "name", 30),
        Column(_("类型"), "get_kind_display", 14),
        Column(_("区域"), "area.name", 16),
        Column(_("位置"), "address", 30),
        Column(_("照片"), "photo_count", 8),
    )

    def rows(self, request):
        return venue_rows(request)[1]


def warning_rows(request):
    """(year filter, year, sessions) of 警示教育: the sessions of the teams in scope held in ?year= (this year
    by default), each with how many attended."""
    year_filter = YearFilter(request.GET or None)
    year = (
        year_filter.cleaned_data.get("year") if year_filter.is_valid() else None
    ) or timezone.localdate().year
    return (
        year_filter,
        year,
        selectors.warning_educations(request.user).filter(gathering__starts_at__year=year),
    )


@register_list_export
class WarningExport(ListExport):
    kind = "virtue-warnings"
    label = _("警示教育")
    permission = selectors.VIEW
    back_url_name = "virtue:warning_list"
    columns = (
        Column(_("主题"), "gathering.title", 36),
        Column(_("受教育班子"), "team.name", 20),
        Column(_("形式"), "get_mode_display", 12),
        Column(_("开始时间"), "gathering.starts_at", 18),
        Column(_("状态"), "gathering.get_status_display", 10),
        Column(_("出席人数"), "attended", 10),
    )

    def rows(self, request):
        return warning_rows(request)[2]


def brand_rows(request):
    """(area or None, rows) of 文化品牌: the brands in scope, ?area= narrowing them to a subtree (404 outside
    the scope), each with its number of activities."""
    area = area_from_request(request, selectors_brands.VIEW)
    rows = selectors_brands.brands(request.user)
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    return area, rows


@register_list_export
class BrandExport(ListExport):
    kind = "virtue-brands"
    label = _("文化品牌")
    permission = selectors_brands.VIEW
    back_url_name = "virtue:brand_list"
    columns = (
        Column(_("品牌名称"), "name", 30),
        Column(_("类型"), "get_kind_display", 12),
        Column(_("社区"), "area.name", 16),
        Column(_("活动数"), "activity_count", 8),
    )

    def rows(self, request):
        return brand_rows(request)[1]


def action_rows(request):
    """The environmental actions the user may see (gatherings of their kinds), newest first, with their
    sign-up counts."""
    return selectors_brands.environmental_actions(request.user)


@register_list_export
class ActionExport(ListExport):
    kind = "virtue-actions"
    label = _("环保行动")
    permission = "gatherings.view"
    back_url_name = "virtue:action_list"
    columns = (
        Column(_("活动名称"), "title", 30),
        Column(_("类型"), "kind_label", 12),
        Column(_("所在区域"), "area.name", 16),
        Column(_("开始时间"), "starts_at", 18),
        Column(_("地点"), "place", 24),
        Column(_("名额"), "capacity", 8),
        Column(_("已报名"), "signed_up_count", 8),
        Column(_("状态"), "get_status_display", 10),
    )

    def rows(self, request):
        return action_rows(request)


def campaign_rows(request):
    """The campaigns the user sees (selectors_campaigns.visible_campaigns), newest first."""
    return selectors_campaigns.visible_campaigns(request.user)


@register_list_export
class CampaignExport(ListExport):
    kind = "virtue-campaigns"
    label = _("评选活动")
    permission = selectors_campaigns.TAKE_PART
    back_url_name = "virtue:campaign_list"
    columns = (
        Column(_("评选名称"), "title", 30),
        Column(_("类型"), "get_kind_display", 14),
        Column(_("区域"), "area.name", 16),
        Column(_("状态"), "get_status_display", 10),
        Column(_("提名数"), "nomination_count", 8),
        Column(_("名额"), "places", 8),
        Column(_("发起时间"), "created_at", 18),
    )

    def rows(self, request):
        return campaign_rows(request)


def result_rows(request):
    """(campaign, nominations) of a campaign's results: ?campaign=<id> (404 if the user may not see it). The
    nominations as its page lists them (`visible_nominations`: the staff all, others the qualified and their
    own), by candidate number, each with `rank` — 1 + the candidates with more votes (ties share a rank) —
    once the votes are counted."""
    pk = as_id(request.GET.get("campaign"))
    if pk is None:
        raise Http404
    campaign = selectors_campaigns.get_campaign_or_404(request.user, pk)
    above = (
        Nomination.objects.filter(
            campaign=OuterRef("campaign"), option__isnull=False, votes__gt=OuterRef("votes")
        )
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        selectors_campaigns.visible_nominations(request.user)
        .filter(campaign=campaign)
        .annotate(above=Coalesce(Subquery(above, output_field=IntegerField()), Value(0)))
        .select_related("campaign", "nominating_org")
        .order_by("number", "pk")
    )
    return campaign, rows


def _rank(nomination) -> int | None:
    return nomination.above + 1 if nomination.votes is not None and nomination.option_id else None


def _outcome(nomination) -> str:
    if nomination.campaign.status == CampaignStatus.CANCELLED:
        return nomination.campaign.get_status_display()
    if nomination.winner:
        awarded = nomination.campaign.status == CampaignStatus.AWARDED
        return str(_("当选") if awarded else _("拟评定"))
    if nomination.votes is not None and nomination.option_id:
        return str(_("未当选"))
    return nomination.get_status_display()


@register_list_export
class CampaignResultExport(ListExport):
    kind = "virtue-campaign-results"
    label = _("评选结果")
    permission = selectors_campaigns.TAKE_PART
    back_url_name = "virtue:campaign_list"
    columns = (
        Column(_("评选名称"), "campaign.title", 30),
        Column(_("候选编号"), "number", 8),
        Column(_("被提名人或集体"), "nominee", 24),
        Column(_("提名单位"), "nominating_unit", 24),
        Column(_("审查结果"), "get_status_display", 14),
        Column(_("得票数"), "votes", 8),
        Column(_("名次"), _rank, 6),
        Column(_("结果"), _outcome, 10),
    )

    def rows(self, request):
        return result_rows(request)[1]


def store_rows(request):
    """(area or None, goods, pick-ups) of 积分商城管理: the goods of the communities whose store the user runs
    and their exchanges waiting for pick-up, ?area= narrowing both to a subtree (404 outside the scope)."""
    user = request.user
    area = area_from_request(request, selectors_points.MANAGE)
    items = selectors_points.store_items(user).filter(area__in=selectors_points.store_areas(user))
    if area is not None:
        items = items.filter(area__path__startswith=area.path)
    return area, items, selectors_points.pickups(user, area)


@register_list_export
class PickupExport(ListExport):
    kind = "virtue-pickups"
    label = _("积分兑换待领取")
    permission = selectors_points.MANAGE
    back_url_name = "virtue:store_admin"
    columns = (
        Column(_("社区"), "area.name", 16),
        Column(_("兑换人"), "person.display_name", 16),
        Column(_("商品名称"), "item.name", 24),
        Column(_("积分"), "points", 8),
        Column(_("兑换时间"), "created_at", 18),
        Column(_("状态"), "get_state_display", 10),
    )

    def rows(self, request):
        return store_rows(request)[2]


@register_list_export
class StockExport(ListExport):
    kind = "virtue-stock"
    label = _("积分商城商品库存")
    permission = selectors_points.MANAGE
    back_url_name = "virtue:store_admin"
    columns = (
        Column(_("社区"), "area.name", 16),
        Column(_("商品名称"), "name", 24),
        Column(_("兑换所需积分"), "price", 12),
        Column(_("库存"), "stock", 8),
        Column(_("上架"), "active", 8),
    )

    def rows(self, request):
        return store_rows(request)[1]


def coverage_rows(request):
    """(area, rows) of 阵地覆盖: per child area of ?area= (the working area by default; 404 outside the
    scope), its own line and the total, the communities with and without each kind of venue (one roll-up)."""
    if not has_perm(request.user, selectors.VIEW):
        raise PermissionDenied
    area = area_from_request(request, selectors.VIEW, required=True)
    return area, selectors.coverage_lines(selectors.coverage(area))


def _coverage_area(row):
    if row["total"]:
        return gettext("合计")
    return row["area"].name if row["area"] else gettext("本级")


def _kind_label(kind_label, template):
    return lazy(lambda: template() % {"kind": kind_label}, str)()


@register_list_export
class CoverageExport(ListExport):
    kind = "virtue-coverage"
    label = _("阵地覆盖")
    permission = selectors.VIEW
    back_url_name = "virtue:coverage"
    columns = (
        Column(_("区域"), _coverage_area, 20),
        Column(_("社区数"), "communities", 10),
        *(
            Column(
                _kind_label(label, template),
                lambda row, index=index, key=key: row["kinds"][index][key],
                14,
            )
            for index, (_kind, label) in enumerate(VenueKind.choices)
            for key, template in (
                ("with", lambda: gettext("%(kind)s（有）")),
                ("without", lambda: gettext("%(kind)s（无）")),
            )
        ),
    )

    def rows(self, request):
        return coverage_rows(request)[1]


def ledger_rows(request):
    """(area or None, rows) of 积分台账: the lines of the user's scope (`?area=` narrowing it), newest first,
    each with whether it is reversed (selectors_points.ledger_page)."""
    if not has_perm(request.user, selectors_points.VIEW):
        raise PermissionDenied
    area = area_from_request(request, selectors_points.VIEW)
    return area, selectors_points.ledger_page(request.user, area)


def _ledger_state(entry):
    if entry.reverses_id:
        return gettext("冲销记录")
    return gettext("已冲销") if entry.reversed else ""


@register_list_export
class LedgerExport(ListExport):
    kind = "virtue-points-ledger"
    label = _("积分台账")
    permission = selectors_points.VIEW
    back_url_name = "virtue:points_ledger"
    columns = (
        Column(_("时间"), "created_at", 18),
        Column(_("人员"), "person.display_name", 12),
        Column(_("区域"), "area.name", 16),
        Column(_("类别"), "get_rule_display", 12),
        Column(_("事由"), "reason", 30),
        Column(_("积分"), "points", 8),
        Column(_("冲销"), _ledger_state, 10),
    )

    def rows(self, request):
        return ledger_rows(request)[1]
