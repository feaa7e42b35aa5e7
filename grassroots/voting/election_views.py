"""Pages of the resident representatives' election records (居民代表推选记录): the list with the form to
record one, a record's page (who was elected, the vote or meeting, the term), and its document through a
scoped view. For `voting.manage` on the community; thin: services/elections.py decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.files.serve import serve_file
from grassroots.pages import attach_errors, paginate
from grassroots.voting.exports import election_rows
from grassroots.voting.forms import ElectionCorrectionForm, ElectionForm
from grassroots.voting.models import TERM_NOTICE_DAYS, RepresentativeElection
from grassroots.voting.services import elections

MANAGE = "voting.manage"


def _queryset():
    return RepresentativeElection.objects.select_related("community", "vote", "gathering")


@login_required
@require_http_methods(["GET", "POST"])
def election_list(request):
    """The communities' election records, the latest first; record a new one."""
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    form = ElectionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            election = elections.record_election(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记居民代表推选记录。"))
            return redirect(election.get_absolute_url())
    queryset = election_rows(request)  # as its export (exports.py)
    return render(
        request,
        "voting/elections.html",
        {
            "page_obj": paginate(request, queryset),
            "form": form,
            "today": timezone.localdate(),
            "notice_days": TERM_NOTICE_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def election_detail(request, pk):
    election = get_scoped_or_404(_queryset(), request.user, MANAGE, pk=pk)
    elected = election.representatives.select_related("user__home_area").order_by("user__full_name")
    corrections = election.corrections.select_related("corrected_by")
    context = {
        "election": election,
        "elected": elected,
        "corrections": corrections,
        "today": timezone.localdate(),
    }
    return render(request, "voting/election_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def election_correct(request, pk):
    """更正: correct a wrong entry of the record with the reason (services/elections.correct_election); a
    refusal is shown at its field (400), nothing written."""
    election = get_scoped_or_404(_queryset(), request.user, MANAGE, pk=pk)
    form = ElectionCorrectionForm(request.POST or None, user=request.user, election=election)
    if request.method == "POST" and form.is_valid():
        try:
            elections.correct_election(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已更正居民代表推选记录。"))
            return redirect(election.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "voting/election_correct.html", {"election": election, "form": form}, status=status
    )


@login_required
def election_document(request, pk):
    election = get_scoped_or_404(RepresentativeElection.objects.all(), request.user, MANAGE, pk=pk)
    return serve_file(election.document, filename=election.document_name or "election")
