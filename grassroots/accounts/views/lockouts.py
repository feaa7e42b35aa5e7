"""The system admin's page of sign-in lockouts (/accounts/lockouts/): who or which address is locked now,
and a button to lift it (services/lockouts.py). Django admin also lists axes' records
(/django-admin/axes/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.exports import lockout_rows
from grassroots.accounts.services import lockouts
from grassroots.accounts.views.grants import official_login_required


@official_login_required
@require_GET
def lockout_list(request):
    # as its export (accounts/exports.py); PermissionDenied for anyone but a system admin
    return render(request, "accounts/lockouts.html", {"lockouts": lockout_rows(request)})


@official_login_required
@require_POST
def lockout_unlock(request):
    if not lockouts.can_unlock(request.user):
        raise PermissionDenied
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    if kind not in {"username", "ip"}:
        raise Http404
    try:
        lockouts.unlock(actor=request.user, kind=kind, value=value)
    except lockouts.LockoutNotVisible as exc:
        raise Http404 from exc
    messages.success(request, _("已解除对“%(value)s”的登录锁定。") % {"value": value})
    return redirect("accounts:lockouts")
