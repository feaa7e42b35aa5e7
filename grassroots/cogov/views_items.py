"""Pages of the two-way service items: the needs and resources list per community and year, an item's page
(publish, claim), commit a resource, a claim's page (its steps, timeline, evidence, ratings), the delivery
form, the representative's worklist and the residents' rating page. Thin: selectors read through the one
scoping function, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm, represented_partner_ids
from grassroots.cogov import selectors_items, services_items
from grassroots.cogov.exports import item_claims, item_rows
from grassroots.cogov.forms_items import (
    ClaimForm,
    CommitForm,
    DeliverForm,
    ItemFilter,
    NeedForm,
    RatingForm,
)
from grassroots.cogov.models_items import ClaimState, ItemKind, Verdict
from grassroots.cogov.selectors import MANAGE, VIEW
from grassroots.cogov.selectors_items import CLAIM, RATE
from grassroots.files.serve import serve_file
from grassroots.forms import submitted
from grassroots.pages import attach_errors, paginate
from grassroots.workflow import services as workflow
from grassroots.workflow.engine import TransitionRefused


def _need(user, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


@login_required
def item_list(request):
    _need(request.user, VIEW)
    filters = ItemFilter(request.GET or None)
    year, rows = item_rows(request)  # as its export (exports.py)
    return render(
        request,
        "cogov/item_list.html",
        {
            "filters": filters,
            "year": year,
            "page_obj": paginate(request, rows),
            "may_manage": has_perm(request.user, MANAGE),
            "may_claim": bool(represented_partner_ids(request.user, CLAIM)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_form(request, pk=None):
    item = None
    if pk is not None:
        item = get_object_or_404(selectors_items.visible_items(request.user), pk=pk, kind=ItemKind.NEED)
        if not has_perm(request.user, MANAGE, item.community):
            raise PermissionDenied
    _need(request.user, MANAGE)
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in ("title", "category", "description", "shares", "unit")}
        initial |= {"starts_on": item.starts_on, "ends_on": item.ends_on}
    form = NeedForm(request.POST or None, user=request.user, item=item, initial=initial)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services_items.save_need(actor=request.user, item=item, **data),
        request=request,
        message=_("需求已保存。"),
    )
    return done or render(request, "cogov/need_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request, pk):
    item = get_object_or_404(selectors_items.visible_items(request.user), pk=pk)
    may_manage = has_perm(request.user, MANAGE, item.community)
    may_claim = (
        item.kind == ItemKind.NEED
        and item.published
        and item.open_shares > 0
        and bool(represented_partner_ids(request.user, CLAIM))
    )
    form = ClaimForm(request.POST or None, user=request.user) if may_claim else None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish" and may_manage:
            try:
                services_items.publish_item(actor=request.user, item=item)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("需求已发布。"))
            return redirect(item)
        if action != "claim" or form is None:
            raise PermissionDenied
        done = submitted(
            form,
            lambda data: services_items.claim_need(actor=request.user, item=item, **data),
            request=request,
            message=_("已认领，等待社区接收。"),
        )
        if done:
            return done
    claims = item_claims(request.user, item)  # as its export (exports.claim_rows)
    return render(
        request,
        "cogov/item_detail.html",
        {"item": item, "claims": claims, "form": form, "may_manage": may_manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commit(request):
    _need(request.user, CLAIM)
    form = CommitForm(request.POST or None, user=request.user)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services_items.commit_resource(actor=request.user, **data),
        request=request,
        message=_("资源已承诺，等待社区接收。"),
    )
    return done or render(request, "cogov/commit_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk):
    claim = get_object_or_404(selectors_items.visible_claims(request.user), pk=pk)
    kind = services_items.rater_kind(request.user, claim) if claim.state == ClaimState.CONFIRMED else None
    ratings = list(claim.ratings.select_related("rater"))
    rated = any(r.rater_id == request.user.pk for r in ratings)
    form = RatingForm(request.POST or None) if kind and not rated else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        done = submitted(
            form,
            lambda data: services_items.rate(actor=request.user, claim=claim, **data),
            claim,
            request=request,
            message=_("评价已提交。"),
        )
        if done:
            return done
    return render(
        request,
        "cogov/claim_detail.html",
        {"claim": claim, "ratings": ratings, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_deliver(request, pk):
    claim = get_object_or_404(selectors_items.visible_claims(request.user), pk=pk)
    try:
        workflow.check(claim, "deliver", actor=request.user, comment="-")
    except TransitionRefused as refused:
        raise PermissionDenied(refused.message) from refused
    form = DeliverForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_items.deliver(actor=request.user, claim=claim, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("已登记交付，等待社区确认。"))
            return redirect(claim)
    return render(request, "cogov/claim_deliver.html", {"claim": claim, "form": form})


@login_required
def claim_evidence(request, pk):
    claim = get_object_or_404(selectors_items.visible_claims(request.user), pk=pk)
    return serve_file(claim.evidence, filename=claim.evidence_name or "evidence")


@login_required
def worklist(request):
    """The representative's worklist: the needs open to their partners, and their partners' claims and
    commitments."""
    _need(request.user, CLAIM)
    return render(
        request,
        "cogov/worklist.html",
        {
            "needs": selectors_items.open_needs_for(request.user)[:50],
            "claims": paginate(request, selectors_items.claims_of_partners(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_services(request):
    """A resident's page: the services confirmed in their community this year and last, to rate once."""
    _need(request.user, RATE)
    rows = selectors_items.ratable_for(request.user)
    refused = None  # (claim id, its bound form): shown again with the refusal at its fields, as entered
    if request.method == "POST":
        claim = get_object_or_404(rows, pk=request.POST.get("claim") or 0)
        form = RatingForm(request.POST, auto_id=f"id_{claim.pk}_%s")
        done = submitted(
            form,
            lambda data: services_items.rate(actor=request.user, claim=claim, **data),
            "cogov:rate_services",
            request=request,
            message=_("评价已提交。"),
        )
        if done:
            return done
        refused = (claim.pk, form)
    page = paginate(request, rows)
    labels = dict(Verdict.choices)
    for claim in page:
        claim.my_verdict_label = labels.get(claim.my_verdict, "")
    pairs = [
        (claim, refused[1] if refused and refused[0] == claim.pk else RatingForm(auto_id=f"id_{claim.pk}_%s"))
        for claim in page
    ]
    if refused and not any(claim.pk == refused[0] and not claim.my_score for claim in page):
        # its form is not on this page (rated meanwhile from another tab, or on another page): say why here
        messages.error(request, " ".join(e for errors in refused[1].errors.values() for e in errors))
    context = {"page_obj": page, "pairs": pairs}
    return render(request, "cogov/rate_services.html", context, status=400 if refused else 200)
