"""The negotiations' pages: the list (by state, with the roll-up per child area), the form to start one (from
a matter: ?matter=), the record page (parties, sessions with each party's positions, the agreement and its
file, follow-up items, the steps and the timeline) and its forms. Thin: the services decide; everything is
read through the selectors (404 outside)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.files.serve import serve_file
from grassroots.forms import submitted
from grassroots.pages import paginate
from grassroots.selfgov import selectors, selectors_negotiations
from grassroots.selfgov.exports import negotiation_rows
from grassroots.selfgov.forms_negotiations import (
    AgreementForm,
    FollowUpDoneForm,
    FollowUpForm,
    NegotiationForm,
    PartyForm,
    PositionForm,
    SessionForm,
)
from grassroots.selfgov.models_negotiations import NegotiationState, Position, negotiators
from grassroots.selfgov.services import negotiations as services

VIEW = selectors_negotiations.VIEW


def _rollup(area):
    """Rows (area or None for its own, [count per state], total) of the area's children, and the total line:
    one statement (the one roll-up)."""
    breakdown = selectors_negotiations.by_state(area)
    rows = [
        (child, [line[s] for s in NegotiationState.values], line["total"])
        for child, line in breakdown.lines()
    ]
    total = breakdown.total
    return {"rows": rows, "total": ([total[s] for s in NegotiationState.values], total["total"])}


@login_required
def negotiation_list(request):
    if not has_perm(request.user, VIEW):
        raise PermissionDenied
    # A unit's representative holds no area: their unit's negotiations, without the roll-up.
    area, state, queryset = negotiation_rows(request)  # as its export (exports.py)
    return render(
        request,
        "selfgov/negotiations.html",
        {
            "page_obj": paginate(request, queryset),
            "area": area,
            "state": state,
            "states": NegotiationState.choices,
            "rollup": _rollup(area) if area is not None else None,
            "can_start": has_perm(request.user, "selfgov.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def negotiation_create(request):
    if not has_perm(request.user, "selfgov.manage"):
        raise PermissionDenied
    initial = {}
    matter_pk = request.GET.get("matter")
    if matter_pk:
        matter = selectors.get_matter_or_404(request.user, matter_pk)
        initial = {"matter": matter, "area": matter.area, "subject": matter.title}
    form = NegotiationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        done = submitted(form, lambda data: services.start_negotiation(actor=request.user, **data))
        if done:
            return done
    return render(request, "selfgov/negotiation_form.html", {"form": form})


def _context(request, negotiation, **forms) -> dict:
    user = request.user
    leads = negotiators(negotiation, user)
    state = negotiation.state
    sessions = list(
        negotiation.sessions.select_related("gathering").prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("party", "party__partner"))
        )
    )
    context = {
        "negotiation": negotiation,
        "parties": list(negotiation.parties.select_related("partner")),
        "sessions": sessions,
        "follow_ups": list(negotiation.follow_ups.select_related("owner", "owner__partner", "done_by")),
        "today": timezone.localdate(),
        "leads": leads,
        # Links to its matter and its sessions' gatherings only for those who may open them (a unit's
        # representative, a party, reads them here; grid workers and auditors may not open every gathering).
        "matter_link": negotiation.matter_id is not None
        and selectors.visible_matters(user).filter(pk=negotiation.matter_id).exists(),
        "session_links": has_perm(user, "gatherings.view_all", negotiation.area),
        "States": NegotiationState,
    }
    if leads and state in (NegotiationState.OPEN, NegotiationState.IN_SESSION):
        context["party_form"] = PartyForm(user=user)
        context["session_form"] = SessionForm()
        if sessions:
            context["position_form"] = PositionForm(negotiation=negotiation)
    if leads and state == NegotiationState.IN_SESSION:
        context["agreement_form"] = AgreementForm()
    if leads and state == NegotiationState.AGREED:
        context["follow_up_form"] = FollowUpForm(negotiation=negotiation)
        context["done_form"] = FollowUpDoneForm(negotiation=negotiation)
    context.update({name: form for name, form in forms.items() if form is not None})
    return context


@login_required
def negotiation_detail(request, pk):
    negotiation = selectors_negotiations.get_negotiation_or_404(request.user, pk)
    return render(request, "selfgov/negotiation_detail.html", _context(request, negotiation))


def _post(request, pk, form_class, name, act, *, form_kwargs=None, files=False):
    """A form posted on the record page: valid and accepted → back to the page; else the page again with the
    form's errors at their fields (400)."""
    negotiation = selectors_negotiations.get_negotiation_or_404(request.user, pk)
    kwargs = form_kwargs(negotiation) if form_kwargs else {}
    form = form_class(request.POST, request.FILES if files else None, **kwargs)
    done = submitted(form, lambda data: act(negotiation, data), negotiation)
    if done:
        return done
    negotiation = selectors_negotiations.get_negotiation_or_404(request.user, pk)
    return render(
        request, "selfgov/negotiation_detail.html", _context(request, negotiation, **{name: form}), status=400
    )


@login_required
@require_POST
def negotiation_party(request, pk):
    return _post(
        request,
        pk,
        PartyForm,
        "party_form",
        lambda n, data: services.add_party(actor=request.user, negotiation=n, **data),
        form_kwargs=lambda n: {"user": request.user},
    )


@login_required
@require_POST
def negotiation_session(request, pk):
    return _post(
        request,
        pk,
        SessionForm,
        "session_form",
        lambda n, data: services.schedule_session(actor=request.user, negotiation=n, **data),
    )


@login_required
@require_POST
def negotiation_position(request, pk):
    return _post(
        request,
        pk,
        PositionForm,
        "position_form",
        lambda n, data: services.record_position(actor=request.user, negotiation=n, **data),
        form_kwargs=lambda n: {"negotiation": n},
    )


@login_required
@require_POST
def negotiation_agreement(request, pk):
    return _post(
        request,
        pk,
        AgreementForm,
        "agreement_form",
        lambda n, data: services.reach_agreement(actor=request.user, negotiation=n, **data),
        files=True,
    )


@login_required
@require_POST
def negotiation_follow_up(request, pk):
    return _post(
        request,
        pk,
        FollowUpForm,
        "follow_up_form",
        lambda n, data: services.add_follow_up(actor=request.user, negotiation=n, **data),
        form_kwargs=lambda n: {"negotiation": n},
    )


@login_required
@require_POST
def negotiation_follow_up_done(request, pk):
    return _post(
        request,
        pk,
        FollowUpDoneForm,
        "done_form",
        lambda n, data: services.complete_follow_up(actor=request.user, negotiation=n, **data),
        form_kwargs=lambda n: {"negotiation": n},
    )


@login_required
def negotiation_file(request, pk):
    negotiation = selectors_negotiations.get_negotiation_or_404(request.user, pk)
    return serve_file(negotiation.agreement_file, filename=negotiation.agreement_file_name or "agreement")
