"""Helpers shared by the duties pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.utils import timezone

from grassroots.accounts.scoping import get_scoped_or_404, has_perm
from grassroots.areas.models import Area
from grassroots.core.duties.selectors import list_areas

PAGE_SIZE = 20


def attach_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names (the rest on the form as a whole)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def page_of(request, qs, *, param: str = "page", size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(request.GET.get(param))


def year_param(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


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
