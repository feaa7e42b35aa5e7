"""What the brand, environmental-action, calendar and venue-map pages read, through the one scoping function
(brands) and the gatherings' visibility rule (events: a resident sees the public events of the areas above
their home, staff those of their scope)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from grassroots.access.scoping import scope_q, scoped
from grassroots.areas.models import Area, Level
from grassroots.gatherings.models import Gathering, Participant, Status
from grassroots.gatherings.selectors import visible_to, with_counts
from grassroots.virtue.brands_setup import BRAND_ACTIVITY, CALENDAR_KINDS, ENV_KINDS
from grassroots.virtue.models_brands import CultureBrand

VIEW, MANAGE = "virtue.view", "virtue.manage"


def brands(user) -> QuerySet[CultureBrand]:
    """The culture brands in the user's scope, each with its number of activities."""
    return (
        scoped(CultureBrand.objects.all(), user, VIEW)
        .select_related("area")
        .annotate(activity_count=Count("activities"))
        .order_by("area__path", "kind", "name", "pk")
    )


def brand_areas(user):
    """The communities where the user may register a brand."""
    return scoped(Area.objects.filter(level=Level.COMMUNITY, retired=False), user, MANAGE, "path").order_by(
        "path"
    )


def action_areas(user):
    return scoped(Area.objects.filter(retired=False), user, MANAGE, "path").order_by("path")


def brand_activities(brand: CultureBrand, user) -> QuerySet[Gathering]:
    return with_counts(
        visible_to(user).filter(brand_activity__brand=brand).select_related("area"), user
    ).order_by("-starts_at", "-pk")


def events(user) -> QuerySet[Gathering]:
    """The gatherings of the virtue kinds (education, brand activities, environmental actions) the user may
    see, with their counts."""
    return with_counts(
        visible_to(user).filter(kind__in=CALENDAR_KINDS).select_related("area", "brand_activity__brand"), user
    )


def environmental_actions(user) -> QuerySet[Gathering]:
    return (
        with_counts(visible_to(user).filter(kind__in=list(ENV_KINDS)).select_related("area"), user)
        .annotate(
            me_present=Exists(Participant.objects.filter(gathering=OuterRef("pk"), user=user, present=True))
        )
        .order_by("-starts_at", "-pk")
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's first, in the local time zone."""
    first = date(year, month, 1)
    last_day = calendar.monthrange(year, month)[1]
    after = first + timedelta(days=last_day)
    tz = timezone.get_current_timezone()
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(after, time.min, tzinfo=tz)


def events_in_month(queryset: QuerySet[Gathering], year: int, month: int) -> QuerySet[Gathering]:
    start, end = month_bounds(year, month)
    return queryset.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")


def upcoming_events(user, limit: int = 5) -> list[Gathering]:
    """The virtue events near the user that have not ended (their home's areas upwards): one query."""
    return list(
        visible_to(user)
        .filter(kind__in=CALENDAR_KINDS, status=Status.PLANNED, ends_at__gte=timezone.now())
        .select_related("area")
        .order_by("starts_at", "pk")[:limit]
    )


def to_check_in(user, limit: int = 5) -> list[Gathering]:
    """For workers: the virtue events of their scope under way or ended in the last seven days, not cancelled,
    with people signed up whose attendance is not recorded yet (one query)."""
    now = timezone.now()
    waiting = Count(
        "participants", filter=Q(participants__signed_up_at__isnull=False, participants__present__isnull=True)
    )
    return list(
        Gathering.objects.filter(
            scope_q(user, "gatherings.manage", Gathering.scope_path),
            kind__in=CALENDAR_KINDS,
            starts_at__lte=now + timedelta(minutes=30),
            ends_at__gte=now - timedelta(days=7),
        )
        .exclude(status=Status.CANCELLED)
        .annotate(waiting=waiting)
        .filter(waiting__gt=0)
        .select_related("area")
        .order_by("starts_at", "pk")[:limit]
    )


def venues_with_location(user, area: Area | None = None, community: Area | None = None):
    """The venues of the map: the user's `virtue.view` scope, or (`community`) a verified resident's own
    community's."""
    from grassroots.virtue.selectors import venues, visible_venues

    rows = visible_venues(user, community) if community is not None else venues(user)
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    return rows.order_by("area__path", "kind", "name", "pk")


__all__ = ["BRAND_ACTIVITY", "MANAGE", "VIEW"]
