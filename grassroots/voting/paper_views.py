"""Ways to vote without a phone (docs/voting.md): paper codes printed for the voters who ask, with their
signature record and a printable sheet; the code page where a code is entered with its ballot (by the
voter, no sign-in needed, or by a worker from the paper ballot handed in); a ballot given in person and
entered with a witness. Each way writes the voter's one turnout row: whichever comes second is refused."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.pages import attach_errors
from grassroots.voting import selectors
from grassroots.voting.forms import BallotForm, CodeForm, PaperCodesForm, WitnessedForm
from grassroots.voting.services import ballots
from grassroots.voting.views import throttled


def _managed_vote(request, pk):
    vote = selectors.get_visible_or_404(request.user, pk)
    if not has_perm(request.user, "voting.manage", vote.area):
        raise PermissionDenied
    return vote


@login_required
@require_http_methods(["GET", "POST"])
def paper_codes(request, pk):
    """Print codes for voters who asked (the sheet, shown once, has a signature line per code); the
    signature records of the codes handed out so far."""
    vote = _managed_vote(request, pk)
    form = PaperCodesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            issued = ballots.issue_paper_codes(actor=request.user, vote=vote, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return render(
                request,
                "voting/paper_sheet.html",
                {
                    "vote": vote,
                    "issued": issued,
                    "received_by": form.cleaned_data["received_by"],
                    "now": timezone.now(),
                },
            )
    records = vote.paper_codes.select_related("voter", "issued_by").order_by("-issued_at", "-pk")
    return render(
        request,
        "voting/paper_codes.html",
        {"vote": vote, "form": form, "records": records},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def witnessed(request, pk):
    """A ballot given in person, entered by the worker with a witness (an account or a person named)."""
    vote = _managed_vote(request, pk)
    form = WitnessedForm(request.POST or None, user=request.user, vote=vote)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _ballot, code = ballots.cast_witnessed(
                actor=request.user,
                vote=vote,
                voter=data["voter"],
                option_ids=form.chosen(),
                witness=data["witness"],
                witness_user=data["witness_user"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return render(request, "voting/receipt.html", {"vote": vote, "code": code, "in_person": True})
    return render(
        request,
        "voting/witnessed.html",
        {"vote": vote, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def code_entry(request):
    """The code page: the code first (its vote and options then shown), then the ballot with the code
    carried in the form (never in the URL). No sign-in needed; limited per address (or per worker)."""
    code_form = CodeForm(request.POST or None)
    if request.method == "GET":
        return render(request, "voting/code.html", {"code_form": code_form})
    if limited := throttled(request, "code"):
        return limited
    paper = ballots.find_code(request.POST.get("code", "")) if code_form.is_valid() else None
    if paper is None:
        if code_form.is_valid():
            code_form.add_error("code", _("投票码无效或已使用。"))
        return render(request, "voting/code.html", {"code_form": code_form}, status=400)
    vote = paper.vote
    if "cast" not in request.POST:
        return render(
            request,
            "voting/code.html",
            {"code_form": code_form, "vote": vote, "ballot_form": BallotForm(vote=vote)},
        )
    ballot_form = BallotForm(request.POST, vote=vote)
    if ballot_form.is_valid():
        worker = request.user if has_perm(request.user, "voting.manage", vote.area) else None
        try:
            _ballot, receipt = ballots.cast_with_code(
                code=code_form.cleaned_data["code"], option_ids=ballot_form.chosen(), entered_by=worker
            )
        except ValidationError as exc:
            attach_errors(ballot_form, exc)
        else:
            return render(request, "voting/receipt.html", {"vote": vote, "code": receipt, "by_code": True})
    return render(
        request,
        "voting/code.html",
        {"code_form": code_form, "vote": vote, "ballot_form": ballot_form},
        status=400,
    )
