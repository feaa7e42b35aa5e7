"""我的走访日志: my visits (filter by month) and the form to log one. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.audit.actor import log_access
from grassroots.gridwork import selectors, services
from grassroots.gridwork.exports import visit_rows
from grassroots.gridwork.forms import CloseFollowUpForm, VisitForm
from grassroots.pages import attach_errors, paginate


@login_required
@require_http_methods(["GET", "POST"])
def visit_list(request):
    if not has_perm(request.user, services.RECORD):
        raise PermissionDenied
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_visit(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("走访已记录。"))
            return redirect("gridwork:visit_list")
    month_filter, rows = visit_rows(request)  # as its export (exports.py)
    return render(
        request,
        "gridwork/visit_list.html",
        {
            "form": form,
            "month_filter": month_filter,
            "page_obj": paginate(request, rows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request, pk):
    """One visit of the log (the to-do links here): what was heard and, when it needs following up, the form
    that closes it with a note (services.close_follow_up)."""
    visit = get_scoped_or_404(selectors.visible_visits(request.user), request.user, selectors.VIEW, pk=pk)
    may_close = visit.awaits_follow_up and has_perm(request.user, selectors.RECORD, visit)
    form = CloseFollowUpForm(request.POST or None) if may_close else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.close_follow_up(actor=request.user, visit=visit, note=form.cleaned_data["note"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("跟进已办结。"))
                return redirect(visit.get_absolute_url())
    # what was heard may be a dispute: the worker files it for the resident (lawgov's intake, prefilled)
    may_file_dispute = visit.worker_id == request.user.pk and has_perm(request.user, "lawgov.intake", visit)
    if request.method == "GET" and visit.resident_id != request.user.pk:
        log_access(actor=request.user, instance=visit)  # what a resident said on the rounds: 查看
    return render(
        request,
        "gridwork/visit_detail.html",
        {"visit": visit, "form": form, "may_file_dispute": may_file_dispute},
    )
