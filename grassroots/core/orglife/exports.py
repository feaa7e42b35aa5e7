"""The 导出 Excel of 三会一课落实情况 (grassroots.imports.lists): the page's branch table — every branch of
the period and area (all pages), those behind first, met/required per rule — through one function of the
request for the page and the export (the branches from `visible_branches`, the one scoping function behind
it). The columns follow the rules in force (settings.ORGLIFE_FREQUENCY), as the page's do."""

from __future__ import annotations

from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, working_area
from grassroots.areas.subtree import under_q
from grassroots.core.orglife.selectors import compliance
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.views._common import period_from
from grassroots.imports.lists import Column, ListExport, register_list_export

VIEW = "orglife.view"


def compliance_rows(request):
    """(period, area or None, branches) of the compliance page: ?period= (this year by default), ?area= (the
    working area by default; secretaries, holding orglife.view on their organizations only, get none)."""
    period = period_from(request)
    user = request.user
    area = area_from_request(request, VIEW) or working_area(user, VIEW)
    rows = selectors.visible_branches(user)
    if area is not None:
        rows = rows.filter(under_q(area.path))
    return period, area, rows


def _cell(index: int):
    def value(branch) -> str:
        met, required = branch.cells[index]
        return f"{met}/{required}" if required else "—"

    return value


@register_list_export
class ComplianceExport(ListExport):
    kind = "orglife-compliance"
    label = _("三会一课落实情况")
    permission = VIEW
    back_url_name = "orglife:compliance"

    @classproperty
    def columns(cls):
        return (
            Column(_("党支部"), "name", 30),
            Column(_("所在区域"), "area.name", 16),
            *(Column(rule.label, _cell(i), 10) for i, rule in enumerate(compliance.rules())),
            Column(_("已开"), "met", 8),
            Column(_("应开"), "required", 8),
        )

    def rows(self, request):
        period, _area, branches = compliance_rows(request)
        return compliance.with_branches(compliance.figures(branches, period))
