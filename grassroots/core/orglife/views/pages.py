"""Pages for reading: the compliance table of a subtree, a branch's page, the reviewer's worklist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.core.orglife import kinds, rules
from grassroots.core.orglife.exports import branch_plans, branch_reports, compliance_rows
from grassroots.core.orglife.filters import AppraisalFilter
from grassroots.core.orglife.models import Appraisal, OrgLifeReport, PlanState
from grassroots.core.orglife.periods import MONTH, QUARTER, YEAR, Period
from grassroots.core.orglife.selectors import compliance
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.views._common import period_from
from grassroots.gatherings.models import Gathering, Status
from grassroots.pages import BAD, GOOD, NEUTRAL, paginate, stack_chart


@login_required
def compliance_page(request):
    """Compliance per subtree: the roll-up per child area and the branches, those behind first."""
    # Secretaries hold orglife.view on their organizations without an area: they see their branches, no area.
    period, area, rows = compliance_rows(request)
    if area is None and not has_perm(request.user, "orglife.view"):
        raise PermissionDenied
    # One aggregate over the branches (grouped by branch); the table pages through its rows and the roll-up
    # sums them (grassroots.areas.rollup), so the reports are read once.
    figures = compliance.figures(rows, period)
    page = paginate(request, figures, 50)
    page.object_list = compliance.with_branches(page.object_list)
    rollup = compliance.rollup_of(area, figures) if area is not None else None
    context = {
        "period": period,
        "periods": _periods(),
        "area": area,
        "rollup": rollup,
        "chart": _chart(area, rollup.children) if rollup and rollup.children else None,
        "page": page,
        "rules": compliance.rules(),
        "query": f"period={period.key}" + (f"&area={area.pk}" if area else ""),
    }
    return render(request, "orglife/compliance.html", context)


def _chart(area, children) -> dict:
    """Per line of the roll-up: compliant, behind and not assessed branches stacked, the rate as a line."""
    return stack_chart(
        [c.area.name if c.area else _("%(area)s（本级）") % {"area": area.name} for c in children],
        [
            (_("达标"), [c.compliant for c in children], GOOD),
            (_("未达标"), [c.behind for c in children], BAD),
            (_("未参与考核"), [c.not_judged for c in children], NEUTRAL),
        ],
        (_("达标率"), [c.rate or 0 for c in children]),
        unit=_("个"),
    )


def _periods() -> list[Period]:
    today = timezone.localdate()
    year = Period.of(YEAR, today)
    return [year, year.previous(), *reversed(year.slots(QUARTER)), Period.of(MONTH, today)]


@login_required
def branch_page(request, pk):
    """A branch: compliance by rule, its plans (with guidance), reports and appraisal for a year."""
    branch = selectors.get_branch_or_404(request.user, pk)
    period = period_from(request)
    year = period.start.year
    user = request.user
    of_year = {"branch": branch.pk, "year": year}  # the lists' filters, as the API's (filters.py)
    plans = list(branch_plans(user, branch, year))  # as their exports (exports.py)
    reports = list(branch_reports(user, branch, year))
    waiting = list(
        Gathering.objects.filter(
            party_org=branch, kind__in=kinds.CODES, starts_at__lte=timezone.now(), orglife_report__isnull=True
        )
        .exclude(status=Status.CANCELLED)
        .order_by("-starts_at")[:20]
    )
    appraisals = list(
        AppraisalFilter(of_year, queryset=Appraisal.objects.select_related("member")).qs.order_by(
            "member__name"
        )
    )
    context = {
        "branch": branch,
        "period": period,
        "year": year,
        "years": [year + 1, year, year - 1, year - 2],
        "slots": compliance.branch_slots(branch, period),
        "plans": plans,
        "reports": reports,
        "waiting": waiting,
        "appraisals": appraisals,
        "can_act": rules.may_act_for(user, branch),
        "can_review": rules.may_review_for(user, branch),
        "plan_states": PlanState,
        "study_plan": selectors.study_plan_of(branch, year),
    }
    return render(request, "orglife/branch.html", context)


@login_required
def worklist_page(request):
    if not has_perm(request.user, "orglife.review"):
        raise Http404
    work = selectors.worklist(request.user)
    return render(
        request,
        "orglife/worklist.html",
        {
            "plans": list(work["plans"][:100]),
            "reports": list(work["reports"][:100]),
            "report_states": OrgLifeReport,
        },
    )
