"""Work report pages: the list, the reviewers' worklist, a report (with the scoring form for reviewers and
the steps of its workflow), writing and editing, organizing the review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.core.assessments.exports import report_rows
from grassroots.core.assessments.forms import (
    ReportCreateForm,
    ReportEditForm,
    ReviewScoreForm,
    StartReviewForm,
)
from grassroots.core.assessments.models import ReportState
from grassroots.core.assessments.rules import may_organize_review, may_write_report
from grassroots.core.assessments.selectors import reports as selectors
from grassroots.core.assessments.services import reports as services
from grassroots.core.assessments.views._common import require_view
from grassroots.pages import attach_errors, paginate, year_param


@login_required
def report_list(request):
    require_view(request)
    # the page's own check (404 outside the scope, the name shown); the filter narrows the list
    area, filterset = report_rows(request)
    page = paginate(request, filterset.qs)
    year, state = filterset.form.cleaned_data.get("year"), filterset.form.cleaned_data.get("state") or None
    for report in page.object_list:
        report.show_scores = selectors.can_see_scores(request.user, report)
    return render(
        request,
        "assessments/report_list.html",
        {
            "page_obj": page,
            "year": year,
            "state": state,
            "area": area,
            "states": ReportState.choices,
            "may_write": may_write_report(request.user),
        },
    )


@login_required
def worklist(request):
    require_view(request)
    year = year_param(request)
    return render(
        request,
        "assessments/worklist.html",
        {"work": selectors.worklist(request.user, year), "year": year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    initial = {"party_org": request.GET.get("party_org"), "year": request.GET.get("year") or None}
    form = ReportCreateForm(
        request.POST or None, user=request.user, initial={k: v for k, v in initial.items() if v}
    )
    if not form.fields["party_org"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已创建述职报告草稿。"))
            return redirect(report.get_absolute_url())
    return render(
        request, "assessments/form.html", {"form": form, "title": _("撰写述职报告"), "icon": "pencil"}
    )


@login_required
def report_detail(request, pk):
    report = selectors.report_or_404(request.user, pk)
    show_scores = selectors.can_see_scores(request.user, report)
    mine = selectors.my_review(request.user, report)
    score_form = None
    if mine is not None and report.state == ReportState.UNDER_REVIEW:
        score_form = ReviewScoreForm(initial={"score": mine.score, "comment": mine.comment})
    return render(
        request,
        "assessments/report_detail.html",
        {
            "report": report,
            "show_scores": show_scores,
            "reviews": selectors.review_rows(report) if show_scores else [],
            "mine": mine,
            "score_form": score_form,
            "can_edit": report.reporter_id == request.user.pk and report.state == ReportState.DRAFT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = selectors.report_or_404(request.user, pk)
    if report.reporter_id != request.user.pk or report.state != ReportState.DRAFT:
        raise PermissionDenied
    form = ReportEditForm(request.POST or None, initial={"title": report.title, "content": report.content})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("修改述职报告"),
            "icon": "pencil",
            "subtitle": report.party_org.name,
            "cancel_url": report.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_start_review(request, pk):
    """Name the review meeting and the reviewers (the step 组织评议 has a page of its own)."""
    report = selectors.report_or_404(request.user, pk)
    if report.state != ReportState.SUBMITTED or not may_organize_review(report, request.user):
        raise PermissionDenied
    form = StartReviewForm(
        request.POST or None,
        meetings=selectors.meeting_choices(report),
        reviewers=selectors.reviewer_choices(report),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.start_review(
                actor=request.user,
                report=report,
                meeting=form.cleaned_data["meeting"],
                reviewers=form.cleaned_data["reviewers"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已进入评议，评议人已收到通知。"))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "assessments/start_review.html",
        {"form": form, "report": report, "today": timezone.localdate()},
    )


@login_required
@require_POST
def report_score(request, pk):
    report = selectors.report_or_404(request.user, pk)
    if selectors.my_review(request.user, report) is None:
        raise PermissionDenied
    form = ReviewScoreForm(request.POST)
    if form.is_valid():
        try:
            services.score_report(reviewer=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已评分。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(report.get_absolute_url())
