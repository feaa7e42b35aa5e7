"""The 导出 Excel of the 共治 lists (grassroots.imports.lists): partners, agreements, volunteers, items, the
organizer's coming volunteer activities, and an item's claims (认领, listed on the item's page). Each list's
rows are one function, called by its page and by its export alike."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.cogov import selectors, selectors_activities, selectors_items
from grassroots.cogov.forms import AgreementFilter, PartnerFilter, VolunteerFilter
from grassroots.cogov.forms_items import ItemFilter
from grassroots.ids import as_id
from grassroots.imports.lists import Column, ListExport, register_list_export

VIEW, MANAGE = selectors.VIEW, selectors.MANAGE


def partner_rows(request):
    area = area_from_request(request, VIEW)
    filters = PartnerFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    return selectors.partner_list(request.user, q=data.get("q", ""), kind=data.get("kind", ""), area=area)


def agreement_rows(request):
    area = area_from_request(request, VIEW)
    filters = AgreementFilter(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    return selectors.agreement_list(request.user, status=status, area=area)


def volunteer_rows(request):
    area = area_from_request(request, VIEW)
    filters = VolunteerFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    return selectors.volunteer_list(request.user, q=data.get("q", ""), skill=data.get("skill", ""), area=area)


@register_list_export
class PartnerExport(ListExport):
    kind = "cogov-partners"
    label = _("共建单位")
    permission = VIEW
    back_url_name = "cogov:partner_list"
    columns = (
        Column(_("单位名称"), "name", 30),
        Column(_("单位类型"), "get_kind_display"),
        Column(_("所在区域"), "area.name"),
        Column(_("可提供资源"), "resources", 40),
        Column(_("共建协议"), "agreement_count", 10),
        Column(_("已退出"), "retired", 8),
    )

    def rows(self, request):
        return partner_rows(request)


@register_list_export
class AgreementExport(ListExport):
    kind = "cogov-agreements"
    label = _("共建协议")
    permission = VIEW
    back_url_name = "cogov:agreement_list"
    columns = (
        Column(_("协议名称"), "title", 30),
        Column(_("街道（社区）党组织"), "party_org.name", 24),
        Column(_("共建单位"), "partner.name", 24),
        Column(_("开始日期"), "starts_on", 12),
        Column(_("结束日期"), "ends_on", 12),
        Column(_("状态"), "get_status_display", 10),
    )

    def rows(self, request):
        return agreement_rows(request)


@register_list_export
class VolunteerExport(ListExport):
    kind = "cogov-volunteers"
    label = _("志愿者")
    permission = MANAGE
    back_url_name = "cogov:volunteer_list"
    columns = (
        Column(_("姓名"), lambda v: str(v)),
        Column(_("服务社区"), "area.name"),
        Column(_("技能特长"), "skills", 30),
        Column(_("可服务时间"), "get_availability_display"),
        Column(_("服务时长（小时）"), "hours", 12),
    )

    def rows(self, request):
        return volunteer_rows(request)


def item_rows(request):
    """(year, rows) of 双向服务事项: ?year= (this year by default), ?kind=, ?area=."""
    area = area_from_request(request, VIEW)
    filters = ItemFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    return year, selectors_items.item_list(request.user, year=year, kind=data.get("kind", ""), area=area)


def _item_state(item) -> str:
    if not item.published:
        return str(_("未发布"))
    return str(_("可认领") if item.open_shares else _("已认领完"))


@register_list_export
class ItemExport(ListExport):
    kind = "cogov-items"
    label = _("双向服务事项")
    permission = VIEW
    back_url_name = "cogov:item_list"
    columns = (
        Column(_("社区"), "community.name", 16),
        Column(_("类型"), "get_kind_display", 10),
        Column(_("共建单位"), "partner.name", 24),
        Column(_("事项名称"), "title", 30),
        Column(_("类别"), "get_category_display", 12),
        Column(_("已认领"), "taken", 8),
        Column(_("份数"), "shares", 8),
        Column(_("单位"), "unit", 8),
        Column(_("完成期限"), "ends_on", 12),
        Column(_("状态"), _item_state, 10),
    )

    def rows(self, request):
        return item_rows(request)[1]


def item_claims(user, item):
    """The claims of `item` as its page lists them (the user's scope), first claimed first."""
    return selectors_items.visible_claims(user).filter(item=item).order_by("claimed_at", "pk")


def claim_rows(request):
    """(item, claims) of an item's page: ?item=<id> (404 if the user may not see the item)."""
    pk = as_id(request.GET.get("item"))
    if pk is None:
        raise Http404
    item = get_object_or_404(selectors_items.visible_items(request.user), pk=pk)
    return item, item_claims(request.user, item)


@register_list_export
class ClaimExport(ListExport):
    kind = "cogov-claims"
    label = _("认领情况")
    permission = VIEW
    back_url_name = "cogov:item_list"
    columns = (
        Column(_("事项名称"), "item.title", 30),
        Column(_("社区"), "item.community.name", 16),
        Column(_("共建单位"), "partner.name", 24),
        Column(_("认领份数"), "shares", 8),
        Column(_("计划完成日期"), "planned_on", 12),
        Column(_("状态"), "get_state_display", 10),
        Column(_("认领时间"), "claimed_at", 18),
        Column(_("交付日期"), "delivered_on", 12),
        Column(_("受益人数"), "beneficiaries", 10),
    )

    def rows(self, request):
        return claim_rows(request)[1]


def organizer_rows(request):
    """The organizer's coming volunteer activities (志愿活动组织: not ended, not cancelled), first first, each
    with its sign-up counts."""
    coming = (
        selectors_activities.managed_activities(request.user)
        .filter(ends_at__gte=timezone.now())
        .exclude(status="cancelled")
        .select_related("area")
        .order_by("starts_at", "pk")
    )
    return selectors_activities.gatherings.with_counts(coming, request.user)


@register_list_export
class OrganizerExport(ListExport):
    kind = "cogov-activities"
    label = _("即将开展的志愿活动")
    permission = selectors_activities.MANAGE
    back_url_name = "cogov:activity_organizer"
    columns = (
        Column(_("活动名称"), "title", 30),
        Column(_("开始时间"), "starts_at", 18),
        Column(_("结束时间"), "ends_at", 18),
        Column(_("所在区域"), "area.name", 16),
        Column(_("地点"), "place", 24),
        Column(_("名额"), "capacity", 8),
        Column(_("已报名"), "signed_up_count", 8),
    )

    def rows(self, request):
        return organizer_rows(request)
