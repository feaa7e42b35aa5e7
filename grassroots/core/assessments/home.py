"""The assessments part's block on the home pages (grassroots/portal/homes.py): 我负责整改的问题 — the
inspection findings the user owns that are not verified yet (being rectified, or reported and waiting for the
inspecting level), overdue ones first. Shown on the field workers' home to owners only (officials see
theirs among what waits for them)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Value, When, Window

from grassroots.core.assessments.models import Finding, FindingState

LIMIT = 5


def my_findings(request):
    """One query (the total is a window count), whatever the number of findings."""
    user = request.user
    if not user.is_authenticated:
        return None
    rows = list(
        Finding.objects.filter(owner=user)
        .exclude(state=FindingState.VERIFIED)
        .select_related("area")
        .annotate(
            waiting_on_me=Case(
                When(state=FindingState.RECTIFYING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            total=Window(Count("pk")),
        )
        .order_by("waiting_on_me", "deadline", "pk")[:LIMIT]
    )
    if not rows:
        return None
    return {"findings": rows, "total": rows[0].total}


def register_home_blocks() -> None:
    from grassroots.portal.homes import GRID, register_block

    register_block(
        "my_findings",
        template="assessments/_home_findings.html",
        data=my_findings,
        homes={GRID},
        order=18,
    )
