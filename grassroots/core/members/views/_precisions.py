"""How the pages of the five precisions load what they show: members and transfers through the scoping
function (outsiders 404), a permission on the member for writes (visible but not allowed: 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

from grassroots.access.scoping import get_scoped_or_404, has_perm, scope_q
from grassroots.areas.models import PartyOrg
from grassroots.core.members.models import Member, Transfer
from grassroots.core.members.selectors.dues import branches_in_scope

PAGE_SIZE = 20


def require_view(request) -> None:
    """List pages: 403 for users who may see no member at all."""
    if not has_perm(request.user, "members.view"):
        raise PermissionDenied


def member_or_404(request, pk) -> Member:
    queryset = Member.objects.select_related("branch", "branch__area")
    return get_scoped_or_404(queryset, request.user, "members.view", pk=pk)


def member_for_change(request, pk) -> Member:
    member = member_or_404(request, pk)
    if not has_perm(request.user, "members.change", member):
        raise PermissionDenied
    return member


def own_or_scoped_member(request, pk) -> Member:
    """A member the user may see, or the user's own record (a member asks for their own transfer)."""
    user = request.user
    visible = scope_q(user, "members.view", "branch__area__path", "branch") | Q(user=user)
    return get_object_or_404(Member.objects.select_related("branch", "branch__area").filter(visible), pk=pk)


def transfer_or_404(request, pk) -> Transfer:
    queryset = Transfer.visible_to(request.user).select_related(
        "member", "member__branch", "from_branch", "from_branch__area", "to_branch", "to_branch__area"
    )
    return get_object_or_404(queryset, pk=pk)


def branch_or_404(request, branch_id) -> PartyOrg | None:
    """The `?branch=` filter: an organization whose members the user may see, else 404."""
    if branch_id in (None, ""):
        return None
    try:
        pk = int(branch_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    branch = branches_in_scope(request.user).filter(pk=pk).first()
    if branch is None:
        raise Http404
    return branch


def back(request, member: Member):
    """Redirect to `next` when it is on this site, else to the member's page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect(member.get_absolute_url())
