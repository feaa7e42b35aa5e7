"""Pages of residents' conventions: the workers' list of the courtyards of their scope with their
conventions (missing ones marked); a convention's page (phone first for residents: the text in force, sign,
the draft under discussion with comments, the vote); the steps' POSTs. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.areas.subtree import under_q
from grassroots.documents import selectors as documents
from grassroots.documents.models import READABLE_STATES
from grassroots.forms import submitted
from grassroots.pages import paginate
from grassroots.selfgov import selectors_conventions as conv
from grassroots.selfgov.exports import convention_rows, works
from grassroots.selfgov.forms import CommentForm
from grassroots.selfgov.forms_charters import ConventionVoteForm, DiscussionForm, StepForm
from grassroots.selfgov.models import ConventionState, Signature
from grassroots.selfgov.services import conventions
from grassroots.voting.selectors import household_of


@login_required
def convention_list(request):
    """Workers: the courtyards of their scope (or ?area=) with their conventions. Residents: their
    courtyard's convention (or their community's)."""
    user = request.user
    if not works(user):
        mine = list(conv.visible_conventions(user).select_related("courtyard", "document"))
        home = user.home_area
        own = [c for c in mine if home is not None and home.path.startswith(c.courtyard.path)]
        if len(own) == 1:
            return redirect(own[0])
        return render(request, "selfgov/conventions_resident.html", {"conventions": mine})
    return render(request, "selfgov/conventions.html", _list_context(request))


def _list_context(request, narrowed=None, **extra) -> dict:
    user = request.user
    area, courtyards = convention_rows(request)  # as its export (exports.py)
    if narrowed is not None:  # a refused start shows its courtyard
        area, courtyards = narrowed, courtyards.filter(under_q(narrowed.path, "path"))
    page_obj = paginate(request, courtyards)
    rows = [(courtyard, getattr(courtyard, "convention", None)) for courtyard in page_obj]
    context = {
        "area": area,
        "page_obj": page_obj,
        "rows": rows,
        "may_start": has_perm(user, "selfgov.manage"),
    }
    return context | extra


def _context(request, convention, **forms) -> dict:
    user = request.user
    may_keep = has_perm(user, "selfgov.manage", convention.courtyard)
    versions = list(convention.document.versions.select_related("adopted_by").order_by("-number"))
    current = next((v for v in versions if v.state == "published"), None)
    draft = next((v for v in versions if v.state == "draft"), None)
    shown_draft = draft if (may_keep or convention.state != ConventionState.DRAFTING) else None
    now = timezone.now()
    signed = current is not None and Signature.objects.filter(version=current, user=user).exists()
    counts = conv.signature_counts(convention, current)
    # signed once per household and a member of mine has: told so instead of the button (the service would
    # refuse it with the same words)
    household_signed = None
    if current is not None and not signed and counts["per_household"]:
        household = household_of(user)
        if (
            household is not None
            and Signature.objects.filter(version=current, household=household, per_household=True).exists()
        ):
            household_signed = conventions.household_signed_message(household)
    adoptions = {a.version_id: a for a in convention.adoptions.select_related("vote")}
    for version in versions:
        version.adoption = adoptions.get(version.pk)
    return {
        "convention": convention,
        "current": current,
        "current_sections": list(documents.body_of(current)) if current else [],
        "draft": shown_draft,
        "draft_sections": list(documents.body_of(shown_draft)) if shown_draft else [],
        "versions": [v for v in versions if may_keep or v.state in READABLE_STATES],
        "counts": counts,
        "signed": signed,
        "household_signed": household_signed,
        "may_sign": current is not None
        and not signed
        and household_signed is None
        and conventions.may_take_part(user, convention),
        "comments": convention.comments.select_related("author").filter(version=draft) if draft else [],
        "may_comment": convention.state == ConventionState.DISCUSSION
        and now <= convention.discussion_ends_at
        and (conventions.may_take_part(user, convention) or may_keep),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "may_keep": may_keep,
        "reads_documents": has_perm(user, "documents.view", convention.courtyard),
        "discussion_form": forms.get("discussion_form") or DiscussionForm(),
        "vote_form": forms.get("vote_form") or ConventionVoteForm(),
        "vote": convention.vote,
        "vote_closed": convention.vote is not None and convention.vote.status == "closed",
        # a button's form refused (sign, settle, amend): shown again with the message at its top
        **{name: form for name, form in forms.items() if name in ("sign_form", "settle_form", "amend_form")},
    }


@login_required
def convention_detail(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    return render(request, "selfgov/convention_detail.html", _context(request, convention))


def _step(request, convention, form_name: str, act, message, to=None):
    """A form of the convention's page through the one helper (`grassroots.forms.submitted`): done → the
    message and the redirect; refused → the page again with the form and the message at its field (or at the
    top of a button's form), 400."""
    form_class = {"discussion_form": DiscussionForm, "vote_form": ConventionVoteForm}.get(form_name)
    form = (form_class or (CommentForm if form_name == "comment_form" else StepForm))(request.POST)
    response = submitted(form, act, to or convention)
    if response is not None:
        messages.success(request, message)
        return response
    return render(
        request,
        "selfgov/convention_detail.html",
        _context(request, convention, **{form_name: form}),
        status=400,
    )


@login_required
@require_POST
def convention_start(request):
    courtyard = area_from_request(request, "selfgov.manage", param="courtyard")
    if courtyard is None:
        raise Http404
    form = StepForm(request.POST)
    response = submitted(
        form,
        lambda _data: reverse(
            "documents:draft",
            args=[conventions.start_convention(actor=request.user, courtyard=courtyard).document_id],
        ),
    )
    if response is not None:
        messages.success(request, _("已建立公约草稿，请编写条文后发起讨论。"))
        return response
    context = _list_context(request, courtyard, start_refused=(courtyard.pk, form))
    return render(request, "selfgov/conventions.html", context, status=400)


def _keeper_form(request, pk, form_name, service, message):
    convention = conv.get_convention_or_404(request.user, pk)
    if not has_perm(request.user, "selfgov.manage", convention.courtyard):
        raise PermissionDenied
    return _step(
        request,
        convention,
        form_name,
        lambda data: service(actor=request.user, convention=convention, **data),
        message,
    )


@login_required
@require_POST
def convention_discussion(request, pk):
    return _keeper_form(request, pk, "discussion_form", conventions.open_discussion, _("已发起讨论。"))


@login_required
@require_POST
def convention_vote(request, pk):
    return _keeper_form(request, pk, "vote_form", conventions.call_vote, _("已提交居民表决。"))


@login_required
@require_POST
def convention_comment(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    return _step(
        request,
        convention,
        "comment_form",
        lambda data: conventions.comment(user=request.user, convention=convention, text=data["text"]),
        _("意见已发表。"),
        to=convention.get_absolute_url() + "#comments",
    )


@login_required
@require_POST
def convention_settle(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    return _step(
        request,
        convention,
        "settle_form",
        lambda _data: conventions.settle_vote(actor=request.user, convention=convention),
        _("已根据表决结果办理。"),
    )


@login_required
@require_POST
def convention_amend(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    return _step(
        request,
        convention,
        "amend_form",
        lambda _data: conventions.amend(actor=request.user, convention=convention),
        _("已起草修订版本，请修改条文后发起讨论。"),
        to=reverse("documents:draft", args=[convention.document_id]),
    )


@login_required
@require_POST
def convention_sign(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    return _step(
        request,
        convention,
        "sign_form",
        lambda _data: conventions.sign(user=request.user, convention=convention),
        _("感谢您签署本院落公约。"),
    )
