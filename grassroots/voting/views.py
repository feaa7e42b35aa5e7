"""The voting pages: the list, creating a vote, a vote's page (ballot, receipt check, result; for officials
publishing, closing and the chain's check). Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import Throttled

from grassroots.access.scoping import has_perm
from grassroots.pages import attach_errors, paginate
from grassroots.voting import limits, selectors
from grassroots.voting.exports import vote_rows
from grassroots.voting.forms import BallotForm, ReceiptForm, VoteForm
from grassroots.voting.models import Turnout, VoteStatus
from grassroots.voting.results import results_of
from grassroots.voting.services import ballots, votes
from grassroots.voting.services.chain import verify_ballot_chain


def throttled(request, scope: str, back: str = ""):
    """None, or the 429 page when `request` is past the rate of `scope` (voting/limits.py); its link leads
    to `back` (the votes' list unless given)."""
    try:
        limits.check(request, scope)
    except Throttled as exc:
        return render(request, "voting/limited.html", {"message": exc.detail, "back": back}, status=429)
    return None


@login_required
def vote_list(request):
    queryset = vote_rows(request)
    return render(
        request,
        "voting/list.html",
        {
            "page_obj": paginate(request, queryset),
            "can_create": has_perm(request.user, "voting.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote_create(request):
    if not has_perm(request.user, "voting.manage"):
        raise PermissionDenied
    form = VoteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            vote = votes.create_vote(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("voting:detail", vote.pk)
    return render(request, "voting/form.html", {"form": form})


def _detail_context(request, vote, **extra) -> dict:
    user = request.user
    now = timezone.now()
    manage = has_perm(user, "voting.manage", vote.area)
    voted = Turnout.objects.filter(vote=vote, voter=user).exists()
    refusal = selectors.ineligibility(vote, user)
    eligible = refusal is None
    context = {
        "vote": vote,
        "options": list(vote.options.all()),
        "can_manage": manage,
        "is_open": vote.is_open_at(now),
        "voted": voted,
        "eligible": eligible,
        "not_eligible": refusal if vote.status != VoteStatus.DRAFT else None,
        "ballot_form": BallotForm(vote=vote) if eligible and not voted else None,
        "receipt_form": ReceiptForm(),
        "result": vote.result if vote.status == VoteStatus.CLOSED else None,
    }
    if manage:
        context["chain_fault"] = verify_ballot_chain(vote)
        context["turnout"] = vote.turnout.count()
        if not vote.secret:
            context["open_ballots"] = (
                vote.ballots.select_related("voter", "household")
                .prefetch_related("choices__option")
                .order_by("seq")
            )
    context.update(extra)
    return context


@login_required
def vote_detail(request, pk):
    vote = selectors.get_visible_or_404(request.user, pk)
    return render(request, "voting/detail.html", _detail_context(request, vote))


@login_required
def vote_results(request, pk):
    """The results page of its own (grassroots/voting/results.py): for anyone who sees the vote."""
    vote = selectors.get_visible_or_404(request.user, pk)
    return render(request, "voting/results.html", {"vote": vote, "results": results_of(vote)})


@login_required
@require_POST
def vote_cast(request, pk):
    vote = selectors.get_visible_or_404(request.user, pk)
    if limited := throttled(request, "ballot"):
        return limited
    if selectors.ineligibility(vote, request.user):  # seen, but not theirs to vote in: told why, no form
        return render(request, "voting/detail.html", _detail_context(request, vote), status=403)
    prefetch_related_objects([vote], "options")  # the form's choices and the service's check: one query
    form = BallotForm(request.POST, vote=vote)
    if form.is_valid():
        try:
            _ballot, code = ballots.cast_ballot(voter=request.user, vote=vote, option_ids=form.chosen())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return render(request, "voting/receipt.html", {"vote": vote, "code": code})
    return render(request, "voting/detail.html", _detail_context(request, vote, ballot_form=form), status=400)


@login_required
@require_POST
def vote_receipt(request, pk):
    vote = selectors.get_visible_or_404(request.user, pk)
    if limited := throttled(request, "receipt"):
        return limited
    form = ReceiptForm(request.POST)
    found = None
    if form.is_valid():
        found = ballots.find_receipt(vote=vote, code=form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("未找到该回执码对应的选票。"))
    choices = ballots.receipt_choices(found) if found else None
    return render(
        request,
        "voting/detail.html",
        _detail_context(request, vote, receipt_form=form, receipt_ballot=found, receipt_choices=choices),
        status=200 if found else 400,
    )


def _step(request, pk, action):
    vote = selectors.get_visible_or_404(request.user, pk)
    try:
        action(actor=request.user, vote=vote)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("voting:detail", vote.pk)


@login_required
@require_POST
def vote_publish(request, pk):
    return _step(request, pk, votes.publish_vote)


@login_required
@require_POST
def vote_close(request, pk):
    return _step(request, pk, votes.close_vote)
