"""What the visit log reads, through the one scoping function."""

from __future__ import annotations

from django.apps import apps

from grassroots.access.scoping import scoped
from grassroots.accounts.models import User
from grassroots.areas.models import Area
from grassroots.gridwork.models import Visit

VIEW, RECORD = "gridwork.view", "gridwork.record"


def visible_visits(user):
    """The visits the user may read (their areas for `gridwork.view`), with what a list shows."""
    return scoped(Visit.objects.all(), user, VIEW).select_related(
        "area", "worker", "resident", "household", "closed_by"
    )


def my_visits(user, month: str | None = None):
    """The user's own visits, newest first; `month` "YYYY-MM" keeps that month's."""
    queryset = visible_visits(user).filter(worker=user)
    if month:
        year, number = month.split("-")
        queryset = queryset.filter(visited_on__year=int(year), visited_on__month=int(number))
    return queryset


def recordable_areas(user):
    """The areas where the user may log a visit (their grants for `gridwork.record`), not retired."""
    return scoped(Area.objects.filter(retired=False), user, RECORD).order_by("path")


def visitable_residents(user):
    return User.objects.filter(home_area__in=recordable_areas(user), is_active=True).order_by("username")


def visitable_households(user):
    household = apps.get_model("voting", "Household")
    return household.objects.filter(area__in=recordable_areas(user)).order_by("area__path", "name")
