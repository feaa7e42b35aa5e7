"""Users and their role grants: the list of users in one's scope, a user's page with their grants, granting
and revoking. The rules live in `services/grants.py`; these views only load through the scoping function and
translate refusals: an area or user outside the scope answers 404, an escalation 403."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.accounts.exports import user_rows
from grassroots.accounts.filters import GrantFilter
from grassroots.accounts.pii import mask_phone, may_unmask_user
from grassroots.accounts.services.grants import (
    AreaOutOfScope,
    GrantRefused,
    can_revoke,
    grant_role,
    grantable_areas,
    grantable_roles,
    revoke_grant,
    users_in_scope,
    visible_grants,
)
from grassroots.accounts.services.lockouts import can_unlock
from grassroots.accounts.services.tokens import live_tokens, may_manage_tokens_of
from grassroots.accounts.services.two_factor import needs_two_factor
from grassroots.areas.models import Area
from grassroots.areas.selectors import with_path_labels
from grassroots.audit.actor import log_access
from grassroots.forms import SearchSelect
from grassroots.ids import as_id
from grassroots.pages import paginate
from grassroots.portal.search import search_params, search_redirect

PAGE_SIZE = 50
AREA_OPTIONS_LIMIT = 50


def official_login_required(view):
    """login_required, plus the two-factor step when `needs_two_factor(user)`. OfficialTwoFactorMiddleware
    already enforces it for every page; this keeps a view safe should the middleware's exemptions change.
    (Also used by views/verification.py.)"""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if needs_two_factor(request.user) and not request.user.is_verified():
            return redirect_to_login(request.get_full_path(), reverse("accounts:two_factor"), "next")
        return view(request, *args, **kwargs)

    return wrapped


def _area_options(areas) -> list[tuple[int, str]]:
    """(pk, "东城街道 › 东大街社区 › 第一网格 · 网格") for the area select: the path tells equal names
    apart."""
    return [(a.pk, f"{a.path_label} · {a.level_label}") for a in with_path_labels(areas)]


class GrantForm(forms.Form):
    """Grant a role on an area. Roles are those the viewer may grant somewhere; areas those inside their
    "accounts.grant" scope. The select shows a handful of areas; the search box (htmx) fetches others."""

    role = forms.ChoiceField(label=gettext_lazy("角色"))
    area = forms.ModelChoiceField(
        label=gettext_lazy("区域"),
        queryset=Area.objects.none(),
        widget=SearchSelect(
            search_url=reverse_lazy("accounts:grant_area_options"),
            placeholder=gettext_lazy("按名称或区划代码查找区域"),
            search_label=gettext_lazy("查找区域"),
        ),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------")] + [
            (r.value, r.label) for r in grantable_roles(viewer)
        ]
        areas = grantable_areas(viewer)
        self.fields["area"].queryset = areas
        shown = list(areas[:AREA_OPTIONS_LIMIT])
        chosen = as_id(self.data.get("area")) if self.is_bound else None
        if chosen and all(a.pk != chosen for a in shown):
            shown += list(areas.filter(pk=chosen))
        self.fields["area"].widget.choices = [("", "---------"), *_area_options(shown)]


def _detail_context(viewer, target, form, *, show_pii: bool = False):
    by_user = GrantFilter({"user": target.pk}, queryset=visible_grants(viewer))  # as /api/grants/?user=
    grants = list(by_user.qs.order_by("area__path", "role"))
    with_path_labels(grant.area for grant in grants)
    for grant in grants:
        grant.revocable = can_revoke(viewer, grant)
    target.visible_grants = grants
    can_view_pii = may_unmask_user(viewer, target)
    unmasked = show_pii and can_view_pii
    return {
        "target": target,
        "target_phone": target.phone if unmasked else mask_phone(target.phone),
        "can_view_pii": can_view_pii and bool(target.phone),
        "show_pii": unmasked,
        "grants": grants,
        "form": form,
        # API tokens: shown (and revocable) to those who may change the user
        "tokens": live_tokens(target) if may_manage_tokens_of(viewer, target) else None,
    }


@official_login_required
@require_http_methods(["GET", "POST"])
def user_list(request):
    """The people in the viewer's scope. The search box POSTs (a phone number never goes in a URL: see
    portal/search.py); the results page carries a token instead."""
    viewer = request.user
    if not has_perm(viewer, "accounts.view"):
        raise PermissionDenied
    if request.method == "POST":
        return search_redirect(request)
    filterset, rows = user_rows(request, search_params(request))  # as /api/users/ and the export
    query = (filterset.form.cleaned_data.get("q") or "").strip() if filterset.is_valid() else ""
    page = paginate(request, rows, PAGE_SIZE)
    for user in page.object_list:  # a list never unmasks: the full number is on the person's page, audited
        user.phone_display = mask_phone(user.phone)
    with_path_labels(grant.area for user in page.object_list for grant in user.visible_grants)
    context = {
        "page": page,
        "query": query,
        "may_create_account": bool(grantable_roles(viewer)),
        "can_unlock": can_unlock(viewer),
    }
    return render(request, "accounts/user_list.html", context)


@official_login_required
@require_GET
def user_detail(request, pk: int):
    viewer = request.user
    target = get_object_or_404(users_in_scope(viewer).select_related("home_area"), pk=pk)
    form = GrantForm(viewer=viewer) if grantable_roles(viewer) else None
    context = _detail_context(viewer, target, form, show_pii=request.GET.get("show") == "pii")
    if target.pk != viewer.pk:
        log_access(actor=viewer, instance=target)  # another person's page was read: 查看, in the audit trail
    return render(request, "accounts/user_detail.html", context)


@official_login_required
@require_POST
def grant_create(request, pk: int):
    viewer = request.user
    target = get_object_or_404(users_in_scope(viewer), pk=pk)
    if not grantable_roles(viewer):
        raise PermissionDenied
    form = GrantForm(request.POST, viewer=viewer)
    status = 200
    if form.is_valid():
        try:
            grant = grant_role(
                grantor=viewer, user=target, role=form.cleaned_data["role"], area=form.cleaned_data["area"]
            )
        except AreaOutOfScope as exc:
            raise Http404 from exc
        except GrantRefused as exc:
            form.add_error(None, exc)
            status = 403 if exc.is_escalation else 400
        else:
            messages.success(request, _("已授予“%(grant)s”。") % {"grant": grant})
            return redirect("accounts:user_detail", pk=target.pk)
    elif "area" in form.errors and form.errors.as_data()["area"][0].code == "invalid_choice":
        raise Http404  # an area outside the viewer's scope looks like no area at all
    else:
        status = 400
    return render(request, "accounts/user_detail.html", _detail_context(viewer, target, form), status=status)


@official_login_required
@require_POST
def grant_revoke(request, pk: int):
    viewer = request.user
    grant = get_object_or_404(visible_grants(viewer).select_related("user"), pk=pk)
    try:
        revoke_grant(grantor=viewer, grant=grant)
    except GrantRefused as exc:  # visible but not revocable by this viewer (incl. no grant right there)
        raise PermissionDenied(exc.message_text) from exc
    messages.success(request, _("已撤销“%(grant)s”。") % {"grant": grant})
    return redirect("accounts:user_detail", pk=grant.user_id)


@official_login_required
@require_GET
def grant_area_options(request):
    """htmx: the <option>s of the grant form's area select matching ?q= (name or code)."""
    areas = grantable_areas(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        areas = areas.filter(Q(name__icontains=query) | Q(code__startswith=query))
    options = _area_options(areas[:AREA_OPTIONS_LIMIT])
    return render(request, "accounts/grant_area_options.html", {"options": options})
