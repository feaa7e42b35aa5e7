"""What the selectors of the five precisions share: the members a user may see, the open records, and the
optional area filter of the list pages."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from grassroots.accounts.scoping import scope_paths, scoped
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.core.members.models import Member, MemberStatus

# Members whose record is open: everything but deceased and transferred out.
OPEN_STATUSES = (MemberStatus.NORMAL, MemberStatus.MOBILE, MemberStatus.LOST_CONTACT, MemberStatus.FOUND)


def members_in_scope(user) -> QuerySet[Member]:
    """The members `user` may see (members.view on an area covering the branch, or the organization
    clause: the secretary of the branch or of an organization above it)."""
    return scoped(Member.objects.all(), user, "members.view")


def open_members(user) -> QuerySet[Member]:
    return members_in_scope(user).filter(status__in=OPEN_STATUSES)


def area_or_404(user, area_id) -> Area | None:
    """The area named by a list page's `?area=` (None when not given); an area outside the user's members
    scope, or a malformed id, answers 404."""
    if area_id in (None, ""):
        return None
    try:
        pk = int(area_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    area = scoped(Area.objects.filter(pk=pk), user, "members.view", "path").first()
    if area is None:
        raise Http404
    return area


def in_area(queryset: QuerySet[Member], area: Area | None, prefix: str = "") -> QuerySet:
    """Rows whose member's branch lies in `area`'s subtree (`prefix` is the lookup to the member, e.g.
    "member__")."""
    if area is None:
        return queryset
    return queryset.filter(under_q(area.path, f"{prefix}branch__area__path"))


def default_area(user) -> Area | None:
    """The top of the user's members scope when it is one subtree (the root of the per-area counts)."""
    paths = scope_paths(user, "members.view")
    if len(paths) != 1:
        return None
    return Area.objects.filter(path=paths[0]).first()


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
