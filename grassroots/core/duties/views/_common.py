"""Helpers shared by the duties pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from grassroots.accounts.scoping import get_scoped_or_404, has_perm
from grassroots.areas.models import Area
from grassroots.core.duties.selectors import list_areas


def require_view(user) -> None:
    if not has_perm(user, "duties.view"):
        raise PermissionDenied


def area_param(request, permission: str = "duties.view") -> Area:
    """The area named by ?area= (404 outside the user's scope for `permission`), else the first area the
    user holds a grant on inside that scope (403 when there is none)."""
    raw = request.GET.get("area") or request.POST.get("area")
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            pk = 0
        return get_scoped_or_404(Area.objects.all(), request.user, permission, pk=pk)
    areas = list_areas(request.user, permission)
    if not areas:
        raise PermissionDenied
    return areas[0]
