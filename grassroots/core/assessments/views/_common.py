from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from grassroots.access.scoping import has_perm


def require_view(request, permission: str = "assessments.view") -> None:
    """List pages: 403 for users who may see nothing of the kind at all."""
    if not has_perm(request.user, permission):
        raise PermissionDenied


def back(request, fallback: str):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect(fallback)
