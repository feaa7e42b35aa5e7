"""Reads of inspections and findings: scoped lists with their filters and counts, one record."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.scoping import scope_q
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.core.assessments.models import Finding, FindingState, Inspection


def visible_inspections(user) -> QuerySet[Inspection]:
    """assessments.view on the inspected area (or the organization clause), the leader, and the owners of
    its findings."""
    if user is None or not user.is_authenticated:
        return Inspection.objects.none()
    q = (
        scope_q(user, "assessments.view", "area__path", org_field="party_org")
        | Q(led_by=user)
        | Q(pk__in=Finding.objects.filter(owner=user).values("inspection_id"))
    )
    return Inspection.objects.filter(q)


def inspections_for(user, *, year=None, area: Area | None = None) -> QuerySet[Inspection]:
    """With the count of findings in each state (one GROUP BY query with the page)."""
    queryset = visible_inspections(user).select_related("area", "party_org", "by_area", "led_by")
    if year:
        queryset = queryset.filter(inspected_on__year=year)
    if area is not None:
        queryset = queryset.filter(under_q(area.path))
    return queryset.annotate(
        finding_count=Count("findings"),
        open_count=Count("findings", filter=~Q(findings__state=FindingState.VERIFIED)),
        overdue_count=Count(
            "findings",
            filter=Q(findings__state=FindingState.RECTIFYING, findings__deadline__lt=timezone.localdate()),
        ),
    ).order_by("-inspected_on", "-pk")


def inspection_or_404(user, pk) -> Inspection:
    try:
        return visible_inspections(user).select_related("area", "party_org", "by_area", "led_by").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def findings_for(
    user,
    *,
    state=None,
    overdue: bool = False,
    area: Area | None = None,
    inspection=None,
    year=None,
    owner=None,
) -> QuerySet[Finding]:
    queryset = Finding.visible_to(user).select_related("area", "owner", "inspection")
    if state:
        queryset = queryset.filter(state=state)
    if overdue:
        queryset = queryset.filter(state=FindingState.RECTIFYING, deadline__lt=timezone.localdate())
    if area is not None:
        queryset = queryset.filter(under_q(area.path))
    if inspection is not None:
        queryset = queryset.filter(inspection=inspection)
    if year:
        queryset = queryset.filter(deadline__year=year)
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    return queryset.order_by("deadline", "pk")


def finding_or_404(user, pk) -> Finding:
    queryset = Finding.visible_to(user).select_related(
        "area", "owner", "verified_by", "inspection", "inspection__by_area", "inspection__area"
    )
    try:
        return queryset.get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def state_counts(queryset: QuerySet[Finding]) -> dict[str, int]:
    """{state: count} and "overdue" over a findings queryset (one query)."""
    today = timezone.localdate()
    row = queryset.order_by().aggregate(
        rectifying=Count("pk", filter=Q(state=FindingState.RECTIFYING)),
        rectified=Count("pk", filter=Q(state=FindingState.RECTIFIED)),
        verified=Count("pk", filter=Q(state=FindingState.VERIFIED)),
        overdue=Count("pk", filter=Q(state=FindingState.RECTIFYING, deadline__lt=today)),
    )
    return row
