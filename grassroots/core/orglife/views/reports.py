"""Report forms (报告单): opening one for a held gathering, filling it in (attendance, minutes, resolutions,
photos, and at the organizational life meeting the appraisal grades), reading it; the "two studies, one
action" study plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.orglife import kinds, rules
from grassroots.core.orglife.forms import (
    PhotoForm,
    ReportTextForm,
    StudyPlanForm,
    StudySessionForm,
    UnplannedForm,
    _aware,
)
from grassroots.core.orglife.models import Appraisal, Grade
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.services import appraisal as appraisal_services
from grassroots.core.orglife.services import reports as services
from grassroots.core.orglife.views._common import flash_errors, require_branch_side
from grassroots.gatherings import selectors as gathering_selectors
from grassroots.gatherings.models import Gathering
from grassroots.pages import attach_errors


@login_required
@require_POST
def report_start(request, gathering_pk):
    gathering = gathering_selectors.get_visible_or_404(request.user, gathering_pk)
    if gathering.party_org is None or gathering.kind not in kinds.CODES:
        raise PermissionDenied
    require_branch_side(request, gathering.party_org)
    try:
        report = services.start_report(actor=request.user, gathering=gathering)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("orglife:branch", pk=gathering.party_org_id)
    return redirect("orglife:report_edit", pk=report.pk)


@login_required
def report_unplanned(request, branch_pk):
    branch = selectors.get_branch_or_404(request.user, branch_pk)
    require_branch_side(request, branch)
    form = UnplannedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = services.report_unplanned(
                actor=request.user,
                branch=branch,
                kind=d["kind"],
                title=d["title"],
                starts_at=_aware(d["day"], d["start"]),
                ends_at=_aware(d["day"], d["end"]),
                place=d["place"],
                submission=d["submission"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("orglife:report_edit", pk=report.pk)
    return render(request, "orglife/report_unplanned.html", {"branch": branch, "form": form})


def _report_context(request, report) -> dict:
    photos = list(report.gathering.photos.all())
    appraisals = []
    if report.kind == kinds.REVIEW_MEETING:
        appraisals = list(
            Appraisal.objects.filter(report=report).select_related("member").order_by("member__name")
        )
    return {
        "report": report,
        "attendance": list(selectors.attendance_of(report)),
        "photos": photos,
        "appraisals": appraisals,
        "can_edit": report.editable and rules.may_act_for(request.user, report.branch),
    }


@login_required
def report_detail(request, pk):
    report = selectors.get_report_or_404(request.user, pk)
    return render(request, "orglife/report_detail.html", _report_context(request, report))


def _marks(post, roster) -> list:
    """Everyone on the roster is present but those ticked absent (`absent_<id>`, with `reason_<id>`):
    "全部出席" and then mark the absent. A post without the roster (`attendance`) changes no mark."""
    if "attendance" not in post:
        return []
    return [(m, not post.get(f"absent_{m.pk}"), post.get(f"reason_{m.pk}", "")) for m in roster]


def _row_errors(exc: ValidationError) -> tuple[dict, list]:
    """The service's errors split into those of one member's row (by `params["member"]`) and the rest."""
    at_rows, rest = {}, []
    if hasattr(exc, "error_dict"):
        listed = [error for errors in exc.error_dict.values() for error in errors]
    else:
        listed = exc.error_list
    for error in listed:
        member = (error.params or {}).get("member")
        message = next(iter(error))
        if member is not None:
            at_rows[member] = message
        else:
            rest.append(message)
    return at_rows, rest


def _grades(post, roster) -> dict:
    return {m: post[f"grade_{m.pk}"] for m in roster if post.get(f"grade_{m.pk}")}


@login_required
def report_edit(request, pk):
    """The report form: attendance from the branch's member list, minutes, resolutions (and grades)."""
    report = selectors.get_report_or_404(request.user, pk)
    require_branch_side(request, report.branch)
    if not report.editable:
        messages.error(request, _("只有草稿或被退回的报告单可以修改。"))
        return redirect(report)
    roster = list(services.roster(report.branch))
    marks = {a.member_id: a for a in report.attendance.all()}
    grades = {a.member_id: a.grade for a in Appraisal.objects.filter(report=report)}
    form = ReportTextForm(
        request.POST or None, initial={"minutes": report.minutes, "resolutions": report.resolutions}
    )
    errors: list[str] = []
    row_errors: dict[int, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # attendance and grades together, or neither
                services.save_report(
                    actor=request.user, report=report, marks=_marks(request.POST, roster), **form.cleaned_data
                )
                if report.kind == kinds.REVIEW_MEETING:
                    appraisal_services.record_appraisals(
                        actor=request.user, report=report, grades=_grades(request.POST, roster)
                    )
        except ValidationError as exc:
            row_errors, errors = _row_errors(exc)
        else:
            messages.success(request, _("报告单已保存。"))
            return redirect(report)
    posted = request.method == "POST" and "attendance" in request.POST
    rows = []
    for m in roster:
        mark = marks.get(m.pk)
        if posted:  # a refused form shows what was typed, not what is saved
            absent, reason = bool(request.POST.get(f"absent_{m.pk}")), request.POST.get(f"reason_{m.pk}", "")
            grade = request.POST.get(f"grade_{m.pk}", "")
        else:
            absent, reason = bool(mark and not mark.present), mark.absence_reason if mark else ""
            grade = grades.get(m.pk, "")
        error = row_errors.get(m.pk)
        # shaped like a bound field for templates/forms/errors.html
        reason_field = {"auto_id": f"reason_{m.pk}", "errors": [error] if error else []}
        rows.append(
            {
                "member": m,
                "absent": absent,
                "reason": reason,
                "reason_field": reason_field,
                "grade": grade,
            }
        )
    return render(
        request,
        "orglife/report_edit.html",
        {
            "report": report,
            "form": form,
            "rows": rows,
            "errors": errors,
            "grades": Grade.choices,
            "appraise": report.kind == kinds.REVIEW_MEETING,
            "photo_form": PhotoForm(),
        },
    )


@login_required
@require_POST
def report_photo(request, pk):
    report = selectors.get_report_or_404(request.user, pk)
    require_branch_side(request, report.branch)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_report_photo(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("照片已上传。"))
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return redirect("orglife:report_edit", pk=report.pk)


@login_required
def study_plan(request, branch_pk, year):
    """The branch's "two studies, one action" plan: its sessions and who attended each."""
    branch = selectors.get_branch_or_404(request.user, branch_pk)
    plan = selectors.study_plan_of(branch, year)
    can_act = rules.may_act_for(request.user, branch)
    gatherings = list(
        Gathering.objects.filter(party_org=branch, kind__in=kinds.CODES, starts_at__year=year).order_by(
            "starts_at"
        )
    )
    plan_form = StudyPlanForm(request.POST or None if plan is None else None)
    session_form = StudySessionForm(request.POST or None if plan is not None else None, gatherings=gatherings)
    if request.method == "POST":
        require_branch_side(request, branch)
        try:
            if plan is None and plan_form.is_valid():
                appraisal_services.create_study_plan(
                    actor=request.user, branch=branch, year=year, **plan_form.cleaned_data
                )
                return redirect("orglife:study_plan", branch_pk=branch.pk, year=year)
            if plan is not None and session_form.is_valid():
                d = session_form.cleaned_data
                gathering = (
                    get_object_or_404(Gathering, pk=d["gathering"], party_org=branch)
                    if d["gathering"]
                    else None
                )
                appraisal_services.add_study_session(
                    actor=request.user,
                    plan=plan,
                    topic=d["topic"],
                    planned_on=d["planned_on"],
                    gathering=gathering,
                )
                return redirect("orglife:study_plan", branch_pk=branch.pk, year=year)
        except ValidationError as exc:
            attach_errors(session_form if plan is not None else plan_form, exc)
    sessions = list(plan.sessions.all()) if plan else []
    attendees = selectors.attendees_by_gathering(s.gathering_id for s in sessions if s.gathering_id)
    return render(
        request,
        "orglife/study_plan.html",
        {
            "branch": branch,
            "year": year,
            "plan": plan,
            "sessions": [(s, attendees.get(s.gathering_id, [])) for s in sessions],
            "can_act": can_act,
            "plan_form": plan_form,
            "session_form": session_form,
            "today": timezone.localdate(),
        },
    )
