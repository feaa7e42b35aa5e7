"""How the pages load records: through the one scoping function (outsiders get 404), then a permission
check on the record's area (visible but not allowed: 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.areas.models import Area, PartyOrg


def area_for(request, pk: int, permission: str = "areas.view") -> Area:
    return get_scoped_or_404(Area.objects.all(), request.user, permission, pk=pk)


def org_for(request, pk: int) -> PartyOrg:
    queryset = PartyOrg.objects.select_related("area", "parent", "parent__area", "secretary")
    return get_scoped_or_404(queryset, request.user, "party_orgs.view", pk=pk)


def require(request, permission: str, area: Area | None) -> None:
    """403 unless the user holds `permission` on an area covering `area` (None: the tree's top)."""
    if area is None or not has_perm(request.user, permission, area):
        raise PermissionDenied
