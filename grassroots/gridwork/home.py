"""The visit log's block on the field workers' home: this month's visits and those needing follow-up, the
latest three. Three queries, whatever the rows."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from grassroots.access.scoping import has_perm
from grassroots.gridwork import selectors
from grassroots.portal.homes import GRID, register_block


def my_visits_block(request):
    user = request.user
    if not has_perm(user, selectors.RECORD):
        return None
    today = timezone.localdate()
    mine = selectors.my_visits(user)
    counts = mine.aggregate(
        month=Count("pk", filter=Q(visited_on__year=today.year, visited_on__month=today.month)),
        follow_up=Count("pk", filter=Q(follow_up=True, closed_at__isnull=True)),
    )
    return {
        "month": counts["month"],
        "follow_up": counts["follow_up"],
        "this_month": today.strftime("%Y-%m"),
        "latest": list(mine[:3]),
    }


def register_blocks() -> None:
    register_block(
        "my_visits", template="gridwork/_home_visits.html", data=my_visits_block, homes={GRID}, order=16
    )
