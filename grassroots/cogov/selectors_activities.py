"""What the volunteer activities read (docs/cogov.md, 志愿活动). Activities are gatherings of the kind
`volunteer_service`, seen through the gatherings' one visibility (built on the scoping function); credits
(`ServiceHours`) are the volunteer's own, or in the organizer's manage scope."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from grassroots.access.scoping import scope_q
from grassroots.cogov.models import ServiceHours
from grassroots.cogov.services_activities import ACTIVITY_KIND
from grassroots.gatherings import selectors as gatherings
from grassroots.gatherings.models import Gathering, Participant, Status

MANAGE = "gatherings.manage"


def activities(user) -> QuerySet[Gathering]:
    """The volunteer activities the user may see (public ones of their areas and above, their own, and for
    staff their scope's)."""
    return gatherings.visible_to(user).filter(kind=ACTIVITY_KIND)


def get_activity_or_404(user, pk) -> Gathering:
    try:
        return activities(user).select_related("area", "organizer").get(pk=pk)
    except (Gathering.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def managed_activities(user) -> QuerySet[Gathering]:
    """The activities in the user's `gatherings.manage` scope: what the organizer's pages list."""
    return Gathering.objects.filter(scope_q(user, MANAGE, "area__path"), kind=ACTIVITY_KIND)


def open_q(now) -> Q:
    return Q(status=Status.PLANNED, signup_open=True) & (
        Q(signup_deadline__gte=now) | Q(signup_deadline__isnull=True, starts_at__gte=now)
    )


def near_me(user, now=None) -> QuerySet[Gathering]:
    """Open for sign-up, in the areas the user looks at (their courtyard, grid, community, street …),
    soonest first, with the seats taken and whether the user has signed up."""
    now = now or timezone.now()
    rows = activities(user).filter(open_q(now))
    return gatherings.with_counts(rows, user).select_related("area").order_by("starts_at", "pk")


def my_sign_ups(user, now=None, *, upcoming: bool = True) -> QuerySet[Gathering]:
    """The activities the user signed up for (or was on, for past ones), with their own times."""
    now = now or timezone.now()
    mine = Participant.objects.filter(gathering=OuterRef("pk"), user=user)
    rows = Gathering.objects.filter(
        Exists(mine.filter(Q(signed_up_at__isnull=False) | Q(checked_in_at__isnull=False))),
        kind=ACTIVITY_KIND,
    )
    if upcoming:
        rows = rows.filter(ends_at__gte=now).exclude(status=Status.CANCELLED).order_by("starts_at", "pk")
    else:
        rows = rows.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return gatherings.with_counts(rows, user).select_related("area")


def my_credits(user) -> QuerySet[ServiceHours]:
    return ServiceHours.objects.filter(volunteer__user=user).select_related("gathering", "area")


def my_total(user) -> dict:
    return (
        my_credits(user)
        .filter(reversed_at__isnull=True)
        .aggregate(
            hours=Coalesce(Sum("hours"), 0, output_field=ServiceHours._meta.get_field("hours")),
            activities=Count("gathering", distinct=True),
        )
    )


def pending_q() -> Q:
    """Participants checked in and out, without a live credit: hours waiting for confirmation."""
    live = ServiceHours.objects.filter(participant=OuterRef("pk"), reversed_at__isnull=True)
    return Q(checked_in_at__isnull=False, checked_out_at__isnull=False) & ~Q(Exists(live))


def to_confirm(user, now=None) -> QuerySet[Gathering]:
    """Ended, not cancelled activities in the user's manage scope with hours to confirm (the count in
    `to_confirm_count`), oldest end first."""
    now = now or timezone.now()
    waiting = Participant.objects.filter(pending_q(), gathering=OuterRef("pk"), user__isnull=False)
    return (
        managed_activities(user)
        .filter(Exists(waiting), ends_at__lte=now)
        .exclude(status=Status.CANCELLED)
        .annotate(
            to_confirm_count=Subquery(
                waiting.order_by().values("gathering").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            )
        )
        .select_related("area")
        .order_by("ends_at", "pk")
    )


def roster(gathering: Gathering) -> list[Participant]:
    """The organizer's sheet: every person on the list with their times and live credit (two queries)."""
    rows = list(
        gathering.participants.filter(user__isnull=False)
        .select_related("user")
        .order_by("signed_up_at", "pk")
    )
    credits = {
        c.participant_id: c
        for c in ServiceHours.objects.filter(gathering=gathering, reversed_at__isnull=True)
    }
    for row in rows:
        row.credit = credits.get(row.pk)
    return rows


def credits_of(gathering: Gathering) -> QuerySet[ServiceHours]:
    return ServiceHours.objects.filter(gathering=gathering).select_related(
        "volunteer__user", "confirmed_by", "reversed_by"
    )


def visible_credit_or_404(user, gathering: Gathering, pk) -> ServiceHours:
    try:
        return ServiceHours.objects.select_related("gathering__area").get(pk=pk, gathering=gathering)
    except (ServiceHours.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
