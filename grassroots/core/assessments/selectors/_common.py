from __future__ import annotations

from django.http import Http404

from grassroots.accounts.scoping import scoped
from grassroots.areas.models import Area


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def area_filter_or_404(user, area_id, permission: str = "assessments.view") -> Area | None:
    """The `?area=` filter: an area the user may see for `permission` (404 otherwise); None when absent."""
    if area_id in (None, ""):
        return None
    pk = int_or_none(area_id)
    area = scoped(Area.objects.filter(pk=pk), user, permission).first() if pk is not None else None
    if area is None:
        raise Http404
    return area
