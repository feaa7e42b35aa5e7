"""Pages of residents' conventions: the workers' list of the courtyards of their scope with their
conventions (missing ones marked); a convention's page (phone first for residents: the text in force, sign,
the draft under discussion with comments, the vote); the steps' POSTs. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.access.scoping import area_from_request, has_perm, roles_of, scoped
from grassroots.accounts.roles import PUBLIC
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.documents import selectors as documents
from grassroots.documents.models import READABLE_STATES
from grassroots.pages import paginate
from grassroots.selfgov import selectors_conventions as conv
from grassroots.selfgov.forms import CommentForm
from grassroots.selfgov.forms_charters import ConventionVoteForm, DiscussionForm
from grassroots.selfgov.models import ConventionState, Signature
from grassroots.selfgov.services import conventions


@login_required
def convention_list(request):
    """Workers: the courtyards of their scope (or ?area=) with their conventions. Residents: their
    courtyard's convention (or their community's)."""
    user = request.user
    if not (has_perm(user, "selfgov.view") and roles_of(user) - PUBLIC):
        mine = list(conv.visible_conventions(user).select_related("courtyard", "document"))
        home = user.home_area
        own = [c for c in mine if home is not None and home.path.startswith(c.courtyard.path)]
        if len(own) == 1:
            return redirect(own[0])
        return render(request, "selfgov/conventions_resident.html", {"conventions": mine})
    area = area_from_request(request, "selfgov.view")
    courtyards = scoped(
        Area.objects.filter(level=Level.COURTYARD, retired=False), user, "selfgov.view", "path"
    ).order_by("path")
    if area is not None:
        courtyards = courtyards.filter(under_q(area.path, "path"))
    page_obj = paginate(request, courtyards.select_related("convention__document"))
    rows = [(courtyard, getattr(courtyard, "convention", None)) for courtyard in page_obj]
    return render(
        request,
        "selfgov/conventions.html",
        {"area": area, "page_obj": page_obj, "rows": rows, "may_start": has_perm(user, "selfgov.manage")},
    )


def _context(request, convention, **forms) -> dict:
    user = request.user
    may_keep = has_perm(user, "selfgov.manage", convention.courtyard)
    versions = list(convention.document.versions.select_related("adopted_by").order_by("-number"))
    current = next((v for v in versions if v.state == "published"), None)
    draft = next((v for v in versions if v.state == "draft"), None)
    shown_draft = draft if (may_keep or convention.state != ConventionState.DRAFTING) else None
    now = timezone.now()
    signed = current is not None and Signature.objects.filter(version=current, user=user).exists()
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
        "counts": conv.signature_counts(convention, current),
        "signed": signed,
        "may_sign": current is not None and not signed and conventions.may_take_part(user, convention),
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
    }


@login_required
def convention_detail(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    return render(request, "selfgov/convention_detail.html", _context(request, convention))


def _refused(request, exc) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))


@login_required
@require_POST
def convention_start(request):
    courtyard = area_from_request(request, "selfgov.manage", param="courtyard")
    if courtyard is None:
        raise Http404
    try:
        convention = conventions.start_convention(actor=request.user, courtyard=courtyard)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect(reverse("selfgov:conventions") + f"?area={courtyard.pk}")
    messages.success(request, _("已建立公约草稿，请编写条文后发起讨论。"))
    return redirect("documents:draft", pk=convention.document_id)


def _keeper_form(request, pk, form_class, name, service, message):
    convention = conv.get_convention_or_404(request.user, pk)
    if not has_perm(request.user, "selfgov.manage", convention.courtyard):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, convention=convention, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, message)
            return redirect(convention)
    return render(request, "selfgov/convention_detail.html", _context(request, convention, **{name: form}))


@login_required
@require_POST
def convention_discussion(request, pk):
    return _keeper_form(
        request, pk, DiscussionForm, "discussion_form", conventions.open_discussion, _("已发起讨论。")
    )


@login_required
@require_POST
def convention_vote(request, pk):
    return _keeper_form(
        request, pk, ConventionVoteForm, "vote_form", conventions.call_vote, _("已提交居民表决。")
    )


@login_required
@require_POST
def convention_comment(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            conventions.comment(user=request.user, convention=convention, text=form.cleaned_data["text"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error("text", exc.messages)
        else:
            messages.success(request, _("意见已发表。"))
            return redirect(convention.get_absolute_url() + "#comments")
    return render(request, "selfgov/convention_detail.html", _context(request, convention, comment_form=form))


def _simple(request, pk, action, message):
    convention = conv.get_convention_or_404(request.user, pk)
    try:
        action(convention)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, message)
    return redirect(convention)


@login_required
@require_POST
def convention_settle(request, pk):
    return _simple(
        request,
        pk,
        lambda c: conventions.settle_vote(actor=request.user, convention=c),
        _("已根据表决结果办理。"),
    )


@login_required
@require_POST
def convention_amend(request, pk):
    convention = conv.get_convention_or_404(request.user, pk)
    try:
        conventions.amend(actor=request.user, convention=convention)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(convention)
    return redirect("documents:draft", pk=convention.document_id)


@login_required
@require_POST
def convention_sign(request, pk):
    return _simple(
        request, pk, lambda c: conventions.sign(user=request.user, convention=c), _("感谢您签署本院落公约。")
    )
