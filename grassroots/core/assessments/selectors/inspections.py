"""Reads of inspections and findings: scoped lists with their filters and counts, one record."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_q
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


def inspections_for(user) -> QuerySet[Inspection]:
    """With the count of findings in each state (one GROUP BY query with the page); filters.InspectionFilter
    narrows it for the page and the API."""
    queryset = visible_inspections(user).select_related("area", "party_org", "by_area", "led_by")
    return queryset.annotate(
        finding_count=Count("findings"),
        open_count=Count("findings", filter=~Q(findings__state=FindingState.VERIFIED)),
        overdue_count=Count("findings", filter=Finding.overdue_q("findings__")),
    ).order_by("-inspected_on", "-pk")


def inspection_or_404(user, pk) -> Inspection:
    try:
        return visible_inspections(user).select_related("area", "party_org", "by_area", "led_by").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def findings_for(user, *, inspection=None) -> QuerySet[Finding]:
    """The findings the user may see (of one inspection); filters.FindingFilter narrows the list."""
    queryset = Finding.visible_to(user).select_related("area", "owner", "inspection")
    if inspection is not None:
        queryset = queryset.filter(inspection=inspection)
    return queryset.order_by("deadline", "pk")


def finding_or_404(user, pk) -> Finding:
    queryset = Finding.visible_to(user).select_related(
        "area",
        "owner",
        "verified_by",
        "inspection",
        "inspection__by_area",
        "inspection__area",
        "standard_item__section__version__document",
    )
    try:
        return queryset.get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def state_counts(queryset: QuerySet[Finding]) -> dict[str, int]:
    """{state: count} and "overdue" over a findings queryset (one query)."""
    row = queryset.order_by().aggregate(
        rectifying=Count("pk", filter=Q(state=FindingState.RECTIFYING)),
        rectified=Count("pk", filter=Q(state=FindingState.RECTIFIED)),
        verified=Count("pk", filter=Q(state=FindingState.VERIFIED)),
        overdue=Count("pk", filter=Finding.overdue_q()),
    )
    return row
