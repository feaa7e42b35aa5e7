from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area


def require(user, permission: str, target, message=None) -> None:
    if not has_perm(user, permission, target):
        raise PermissionDenied(message or _("您没有权限执行此操作。"))


def parent_area(area: Area) -> Area | None:
    if area.depth <= 1:
        return None
    return Area.objects.filter(path=area.path[: (area.depth - 1) * Area.steplen]).first()
