"""Reads of gatherings that pages, the API and other parts share.

Who sees which gathering (`visibility_q`):
- staff (roles carrying `gatherings.view_all`: workers and officials) see every gathering whose area lies in
  their scope, public or not;
- everyone with `gatherings.view` (residents, members, partner representatives, and staff too) sees the
  PUBLIC gatherings of the areas on the way up from their own: a resident whose grant (or home) is on a
  courtyard sees the public gatherings of that courtyard, its grid, community, street, county and city, but
  not those of a neighbouring community or of the buildings below;
- everyone sees the gatherings they organize or take part in (invited, signed up or checked in).
Anything else answers 404.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from grassroots.access.scoping import has_perm, scope_paths, scope_q
from grassroots.accounts.models import User
from grassroots.areas.models import Area
from grassroots.areas.subtree import ancestor_paths, children_q, under_q
from grassroots.gatherings.models import Gathering, Participant, Status, Visibility


def anchor_paths(user) -> list[str]:
    """The areas from which the user looks upwards for public gatherings: where they hold gatherings.view,
    and their home (courtyard or building) when they hold gatherings.view at all."""
    paths = list(scope_paths(user, "gatherings.view"))
    home = getattr(user, "home_area", None) if paths else None
    if home is not None and not home.retired:
        paths.append(home.path)
    return paths


def visibility_q(user) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    upward = ancestor_paths(anchor_paths(user))
    q = scope_q(user, "gatherings.view_all", Gathering.scope_path)
    if upward:
        q |= Q(visibility=Visibility.PUBLIC, area__path__in=upward)
    q |= Q(organizer=user)
    q |= Q(pk__in=Participant.objects.filter(user=user).values("gathering_id"))
    return q


def visible_to(user) -> QuerySet[Gathering]:
    return Gathering.objects.filter(visibility_q(user))


def get_visible_or_404(user, pk) -> Gathering:
    try:
        return visible_to(user).select_related("area", "organizer", "party_org").get(pk=pk)
    except (Gathering.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_detail_or_404(user, pk) -> Gathering:
    """One visible gathering with its counts and the user's own participation flags."""
    queryset = with_counts(visible_to(user).select_related("area", "organizer", "party_org"), user)
    try:
        return queryset.get(pk=pk)
    except (Gathering.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage(user, gathering: Gathering) -> bool:
    return has_perm(user, "gatherings.manage", gathering.area)


def with_counts(queryset: QuerySet[Gathering], user=None) -> QuerySet[Gathering]:
    """Annotate invited / signed-up / present / absent counts (one subquery each, no GROUP BY over the
    joined rows), and for `user` whether they are invited and signed up."""

    def count(**filters):
        rows = (
            Participant.objects.filter(gathering=OuterRef("pk"), **filters)
            .order_by()
            .values("gathering")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    queryset = queryset.annotate(
        invited_count=count(invited_at__isnull=False),
        signed_up_count=count(signed_up_at__isnull=False),
        present_count=count(present=True),
        absent_count=count(present=False),
    )
    if user is not None and user.is_authenticated:
        mine = Participant.objects.filter(gathering=OuterRef("pk"), user=user)
        queryset = queryset.annotate(
            me_invited=Exists(mine.filter(invited_at__isnull=False)),
            me_signed_up=Exists(mine.filter(signed_up_at__isnull=False)),
        )
    return queryset


def list_for(user) -> QuerySet[Gathering]:
    """The list page and API: visible gatherings with what each row shows, soonest/latest first."""
    return with_counts(visible_to(user).select_related("area", "organizer", "party_org"), user).order_by(
        "-starts_at", "-pk"
    )


def upcoming_for(user, limit: int = 5) -> list[Gathering]:
    """Gatherings the user may see that have not ended and are not cancelled (home page): those they signed
    up for or were invited to first — a busy calendar of open sessions must not push their own commitments
    off the list — then the others, soonest first."""
    rows = visible_to(user).filter(status=Status.PLANNED, ends_at__gte=timezone.now()).select_related("area")
    if user.is_authenticated:
        mine = Participant.objects.filter(gathering=OuterRef("pk"), user=user).filter(
            Q(signed_up_at__isnull=False) | Q(invited_at__isnull=False)
        )
        return list(rows.annotate(mine=Exists(mine)).order_by("-mine", "starts_at", "pk")[:limit])
    return list(rows.order_by("starts_at", "pk")[:limit])


def participants_of(gathering: Gathering) -> QuerySet[Participant]:
    return gathering.participants.select_related("user", "user__home_area").order_by(
        "-invited_at", "signed_up_at", "user__full_name", "pk"
    )


def invitable_users(gathering: Gathering) -> QuerySet[User]:
    """People an organizer may invite: those living in the gathering's area or holding a role inside it, and
    officials holding a role on an area above it."""
    path = gathering.area.path
    above = ancestor_paths(path)
    return User.objects.filter(
        Q(is_active=True) & (under_q(path, "home_area__path") | Q(pk__in=Subquery(_grant_users(path, above))))
    )


def decision_owners(gathering: Gathering) -> QuerySet[User]:
    """Who may own a decision of the gathering: anyone who could be invited, and the organizer."""
    return invitable_users(gathering) | User.objects.filter(pk=gathering.organizer_id)


def _grant_users(path: str, above: list[str]):
    from grassroots.accounts.models import RoleGrant

    return RoleGrant.objects.filter(under_q(path) | Q(area__path__in=above)).values("user_id")


def area_choices(user) -> list[Area]:
    """Areas offered in the list filter: those the user looks from (and above), and one level below their
    scope; a small, bounded set whatever the size of the tree."""
    anchors = anchor_paths(user)
    staff = scope_paths(user, "gatherings.view_all")
    return list(
        Area.objects.filter(Q(path__in=ancestor_paths(anchors)) | children_q(staff), retired=False).order_by(
            "path"
        )[:200]
    )
