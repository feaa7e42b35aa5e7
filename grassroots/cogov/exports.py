"""The 导出 Excel of the 共治 lists (grassroots.imports.lists): partners, agreements, volunteers, items, the
organizer's coming volunteer activities, an item's claims (认领, listed on the item's page), the joint
meetings and their action items (督办事项). Each list's
rows are one function, called by its page and by its export alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.areas.subtree import under_q
from grassroots.cogov import selectors, selectors_activities, selectors_items, selectors_meetings
from grassroots.cogov.forms import AgreementFilter, PartnerFilter, VolunteerFilter
from grassroots.cogov.forms_items import ItemFilter
from grassroots.cogov.forms_meetings import ActionFilter
from grassroots.cogov.models_items import HOLDING
from grassroots.ids import as_id
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.pages import year_param

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


# a claim's columns, the same in the claims' list and the board's (which adds whether it is late)
CLAIM_COLUMNS = (
    Column(_("事项名称"), "item.title", 30),
    Column(_("社区"), "item.community.name", 16),
    Column(_("共建单位"), "partner.name", 24),
    Column(_("认领份数"), "shares", 8),
    Column(_("计划完成日期"), "planned_on", 12),
)
DELIVERY_COLUMNS = (
    Column(_("交付日期"), "delivered_on", 12),
    Column(_("受益人数"), "beneficiaries", 10),
)


@register_list_export
class ClaimExport(ListExport):
    kind = "cogov-claims"
    label = _("认领情况")
    permission = VIEW
    back_url_name = "cogov:item_list"
    columns = (
        *CLAIM_COLUMNS,
        Column(_("状态"), "get_state_display", 10),
        Column(_("认领时间"), "claimed_at", 18),
        *DELIVERY_COLUMNS,
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


def meeting_rows(request):
    """(the bodies in sight, the body picked or None, its meetings) of 联席会议: ?area= narrows to a subtree
    (404 outside the scope), ?body= to one body in sight (404 otherwise); newest first, with how many units
    attended and how many action items each gave."""
    area = area_from_request(request, selectors_meetings.VIEW)
    bodies = selectors_meetings.visible_bodies(request.user)
    if area is not None:
        bodies = bodies.filter(under_q(area.path))
    body = None
    if body_id := as_id(request.GET.get("body")):
        body = get_object_or_404(bodies, pk=body_id)
    return bodies, body, selectors_meetings.meeting_list(request.user, body=body, area=area)


@register_list_export
class MeetingExport(ListExport):
    kind = "cogov-meetings"
    label = _("联席会议")
    permission = selectors_meetings.VIEW
    back_url_name = "cogov:joint_meetings"
    columns = (
        Column(_("会议名称"), "gathering.title", 30),
        Column(_("联席会议"), "body.name", 24),
        Column(_("时间"), "gathering.starts_at", 18),
        Column(_("状态"), "gathering.get_status_display", 10),
        Column(_("出席单位"), "present_count", 10),
        Column(_("督办事项"), "item_count", 10),
    )

    def rows(self, request):
        return meeting_rows(request)[2]


def action_item_rows(request):
    """(filters, rows) of 督办事项: the action items in sight, ?state=, ?overdue=1, ?area=; overdue first."""
    area = area_from_request(request, selectors_meetings.VIEW)
    filters = ActionFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors_meetings.action_item_list(
        request.user, state=data.get("state", ""), overdue=bool(data.get("overdue")), area=area
    )
    return filters, rows


@register_list_export
class ActionItemExport(ListExport):
    kind = "cogov-action-items"
    label = _("联席会议督办事项")
    permission = selectors_meetings.VIEW
    back_url_name = "cogov:action_items"
    columns = (
        Column(_("落实事项"), "text", 40),
        Column(_("责任单位（人）"), "owner_label", 20),
        Column(_("完成期限"), "due_on", 12),
        Column(_("状态"), "state_label", 10),
        Column(_("逾期"), "overdue", 8),
        Column(_("会议"), "meeting.gathering.title", 24),
    )

    def rows(self, request):
        return action_item_rows(request)[1]


def board_claim_rows(request):
    """(area, year, claims) of 共治看板's claims and services: the claims of the year's items (?year=, this
    year by default) of the communities under ?area= (the working area by default; 404 outside the scope).
    The board shows the first ten in progress and the ten latest confirmed; the export all that hold their
    shares, by planned date. For who keeps the co-governance (cogov.manage, as the board)."""
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    area = area_from_request(request, VIEW, required=True)
    year = year_param(request)
    claims = selectors_items.visible_claims(request.user).filter(
        under_q(area.path, "item__community__path"), item__year=year
    )
    return area, year, claims


@register_list_export
class BoardClaimExport(ListExport):
    kind = "cogov-board-claims"
    label = _("认领与服务落实")
    permission = MANAGE
    back_url_name = "cogov:board"
    columns = (
        *CLAIM_COLUMNS,
        Column(_("状态"), "get_state_display", 12),
        Column(_("逾期未交付"), "late", 10),
        *DELIVERY_COLUMNS,
    )

    def rows(self, request):
        return board_claim_rows(request)[2].filter(state__in=HOLDING).order_by("planned_on", "pk")
