"""The 导出 Excel of the members' lists of their own pages (grassroots.imports.lists): 流动与失联党员,
党员关爱, 学习教育, 党费欠缴, 预备党员转正, 组织关系转接 and 双报到. Each list's rows are one function of the
request, called by its page and by its export alike; the columns are what the page shows of each member
(name, branch, the figures of the list) — never an identity number or a phone, which only the member list's
own export offers (members:export, with its own permission for the unmasked file)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.core.members.models import MemberStatus
from grassroots.core.members.selectors import care, dues, educate, find, manage, records
from grassroots.core.members.selectors import registration as registrations
from grassroots.core.members.selectors.records import VIEW
from grassroots.core.members.views._precisions import branch_or_404
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.pages import year_param


def find_rows(request):
    """(status, area, rows) of 流动与失联党员: the members of ?status= (mobile by default; pinned by the
    button) in scope and `?area=`, the longest in that status first."""
    status = request.GET.get("status")
    if status not in find.FIND_STATUSES:
        status = MemberStatus.MOBILE
    area = area_from_request(request, VIEW)
    return status, area, find.find_list(request.user, status, area)


@register_list_export
class FindExport(ListExport):
    kind = "members-find"
    label = _("流动与失联党员")
    permission = VIEW
    back_url_name = "members:find"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("党支部"), "branch.name", 24),
        Column(_("状态"), "get_status_display", 10),
        Column(_("状态变更时间"), "status_changed_at", 18),
        Column(_("流动去向（现居住地）"), "mobile_location", 20),
        Column(_("流动去向（现工作单位）"), "mobile_work", 20),
    )

    def rows(self, request):
        return find_rows(request)[2]


def care_rows(request):
    """(area, unvisited, rows) of 党员关爱: the members needing care (`?area=`, `?unvisited=1`), those not
    visited this year first."""
    area = area_from_request(request, VIEW)
    unvisited = request.GET.get("unvisited") == "1"
    rows = care.care_list(request.user, area=area, unvisited_only=unvisited, today=timezone.localdate())
    return area, unvisited, rows


@register_list_export
class CareExport(ListExport):
    kind = "members-care"
    label = _("党员关爱")
    permission = VIEW
    back_url_name = "members:care"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("党支部"), "branch.name", 24),
        Column(_("居住区域"), "home_area.name", 16),
        Column(_("80周岁以上"), "aged", 10),
        Column(_("关爱标签"), lambda m: [tag.name for tag in m.care_tags], 20),
        Column(_("今年已走访"), "visited_this_year", 10),
        Column(_("上次走访"), "last_visit_on", 12),
    )

    def rows(self, request):
        return care_rows(request)[2]


def study_rows(request):
    """(year, area, branch, behind, rows) of 学习教育's members: their hours in ?year= (this year by default,
    pinned by the button), `?area=`, `?branch=` (404 outside the scope), `?behind=1`; the fewest first."""
    year = year_param(request)
    area = area_from_request(request, VIEW)
    branch = branch_or_404(request, request.GET.get("branch"))
    behind = request.GET.get("behind") == "1"
    rows = educate.study_list(
        request.user, year=year, area=area, branch_id=branch.pk if branch else None, behind_only=behind
    )
    return year, area, branch, behind, rows


@register_list_export
class StudyExport(ListExport):
    kind = "members-study"
    label = _("学习教育")
    permission = VIEW
    back_url_name = "members:study"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("党支部"), "branch.name", 24),
        Column(_("学时"), "study_hours", 8),
        Column(_("达标"), lambda m: m.study_hours >= educate.required_hours(), 8),
    )

    def rows(self, request):
        return study_rows(request)[4]


def dues_rows(request):
    """(area, branch, rows) of 党费欠缴: the members with months unpaid this year (`?area=`, `?branch=`), most
    first."""
    area = area_from_request(request, VIEW)
    branch = branch_or_404(request, request.GET.get("branch"))
    rows = dues.arrears_list(
        request.user, branch_id=branch.pk if branch else None, area=area, today=timezone.localdate()
    )
    return area, branch, rows


@register_list_export
class DuesExport(ListExport):
    kind = "members-dues"
    label = _("党费欠缴")
    permission = VIEW
    back_url_name = "members:dues"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("党支部"), "branch.name", 24),
        Column(_("月交党费（元）"), lambda m: m.dues_monthly or _("未核定"), 12),
        Column(_("欠缴月数"), "arrears_months", 10),
    )

    def rows(self, request):
        return dues_rows(request)[2]


def conversion_rows(request):
    """(days, area, rows) of 预备党员转正: the probationary members due within ?days= (60 by default, up to
    366), overdue first; each row's due date by `conversion_due_on` below."""
    try:
        days = max(0, min(int(request.GET.get("days", manage.CONVERSION_WINDOW_DAYS)), 366))
    except ValueError:
        days = manage.CONVERSION_WINDOW_DAYS
    area = area_from_request(request, VIEW)
    return days, area, manage.conversions_due(request.user, within_days=days, area=area)


def conversion_due_on(member):
    return manage.with_due_dates([member])[0].conversion_due_on


@register_list_export
class ConversionExport(ListExport):
    kind = "members-conversions"
    label = _("预备党员转正")
    permission = VIEW
    back_url_name = "members:conversions"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("党支部"), "branch.name", 24),
        Column(_("入党日期"), "joined_probationary_on", 12),
        Column(_("转正日期"), conversion_due_on, 12),
    )

    def rows(self, request):
        return conversion_rows(request)[2]


def transfer_rows(request):
    """(tab, rows) of 组织关系转接: the transfers the user may see, open ones or ?tab=history, newest
    first."""
    tab = "history" if request.GET.get("tab") == "history" else "open"
    return tab, manage.transfers_for(request.user, tab=tab)


@register_list_export
class TransferExport(ListExport):
    kind = "members-transfers"
    label = _("组织关系转接")
    permission = VIEW  # the officials' list; a member sees their own transfer on their page, with no button
    back_url_name = "members:transfers"
    columns = (
        Column(_("党员"), "member.name", 12),
        Column(_("转出党组织"), "from_branch.name", 24),
        Column(_("转入党组织"), "to_branch.name", 24),
        Column(_("状态"), "state_label", 10),
        Column(_("申请日期"), lambda t: timezone.localdate(t.created_at), 12),
    )

    def rows(self, request):
        return transfer_rows(request)[1]


def registration_rows(request):
    """The RegistrationFilter of 双报到 (open ones by default: ?state=, ?kind=, ?community=, ?q=), rows by
    community, then state and date."""
    data = request.GET.copy()
    data.setdefault("state", "open")
    return registrations.RegistrationFilter(
        data, queryset=registrations.registrations_for(request.user), request=request
    )


def registration_subject(registration):
    return registration.member.name if registration.member_id else registration.party_org.name


@register_list_export
class RegistrationExport(ListExport):
    kind = "members-registrations"
    label = _("双报到")
    permission = VIEW
    back_url_name = "members:registrations"
    columns = (
        Column(_("报到对象"), registration_subject, 20),
        Column(_("党支部"), "member.branch.name", 24),
        Column(_("类别"), lambda r: _("在职党员") if r.member_id else _("单位党组织"), 12),
        Column(_("报到社区"), "community.name", 16),
        Column(_("可提供的服务"), "services_offered", 30),
        Column(_("状态"), "get_state_display", 10),
        Column(_("服务时长（小时）"), "service_hours", 12),
    )

    def rows(self, request):
        return registration_rows(request).qs.order_by("community__path", "-state", "-created_at", "pk")


def anniversary_rows(request):
    """(month, area, rows) of 政治生日: the open members in scope and `?area=` who joined the Party in
    ?month= (this month by default, pinned by the button), by day."""
    today = timezone.localdate()
    try:
        month = int(request.GET.get("month", today.month))
    except ValueError:
        month = today.month
    month = month if 1 <= month <= 12 else today.month
    area = area_from_request(request, VIEW)
    return month, area, care.anniversaries(request.user, month=month, area=area, today=today)


@register_list_export
class AnniversaryExport(ListExport):
    kind = "members-anniversaries"
    label = _("政治生日")
    permission = VIEW
    back_url_name = "members:anniversaries"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("党支部"), "branch.name", 24),
        Column(_("入党日期"), "joined_probationary_on", 12),
        Column(_("入党周年"), lambda m: care.party_years(m, timezone.localdate().year), 10),
    )

    def rows(self, request):
        return anniversary_rows(request)[2]


def branch_rows(request):
    """The rows of 各支部信息完整度: per branch in scope, its members, average completeness, the records below
    LOW_COMPLETENESS and how many lack each counted field (one aggregate query, in tree order)."""
    return records.completeness_by_branch(request.user)


def _missing_label(name):
    """缺<the field's label>, as the page's column heads, in the reader's language."""
    return lazy(lambda: gettext("缺%(what)s") % {"what": records.field_label(name)}, str)()


@register_list_export
class BranchExport(ListExport):
    kind = "members-branches"
    label = _("各支部信息完整度")
    permission = VIEW
    back_url_name = "members:branches"
    columns = (
        Column(_("党支部"), "branch__name", 24),
        Column(_("所在区域"), "branch__area__name", 16),
        Column(_("党员数"), "total", 10),
        Column(_("平均完整度（%）"), lambda row: round(row["average"] or 0), 14),
        Column(
            lazy(lambda: gettext("低于 %(low)s%%") % {"low": records.LOW_COMPLETENESS}, str)(), "below", 10
        ),
        *(
            Column(_missing_label(name), lambda row, key=f"missing_{name}": row[key] or "", 10)
            for name, _condition in records.MISSING_CONDITIONS
        ),
    )

    def rows(self, request):
        return branch_rows(request)
