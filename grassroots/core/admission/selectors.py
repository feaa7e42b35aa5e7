"""Reads of 社区事务准入制 shared by the pages and the API: the catalog a user reads, the requests they see,
and what communities carry with the funds that came with it (aggregate queries over area paths)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from grassroots.access.scoping import has_perm, scope_q, scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, CarriedAffair

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def catalog(user) -> QuerySet[AdmittedAffair]:
    """The catalog the user reads (see `AdmittedAffair.visible_to`); filters.AffairFilter narrows it."""
    return AdmittedAffair.visible_to(user).select_related("area").order_by("area__path", "name")


def get_affair_or_404(user, pk) -> AdmittedAffair:
    return get_object_or_404(AdmittedAffair.visible_to(user).select_related("area", "request"), pk=pk)


def requests_for(user) -> QuerySet[AdmissionRequest]:
    """The requests the user sees, newest first; filtered by `filters.RequestFilter`."""
    return (
        AdmissionRequest.visible_to(user).select_related("area", "filed_by").order_by("-submitted_at", "-pk")
    )


def get_request_or_404(user, pk) -> AdmissionRequest:
    qs = AdmissionRequest.visible_to(user).select_related("area", "filed_by", "reviewed_by", "decided_by")
    return get_object_or_404(qs, pk=pk)


def carried_by(community: Area, year: int) -> QuerySet[CarriedAffair]:
    """The affairs `community` carries in `year`, with the funds that came with each and the number of tasks
    issued to it under each (one query)."""
    assignment = apps.get_model("duties", "DutyAssignment")
    tasks = (
        assignment.objects.filter(area=community, task__task_list__year=year, task__affair=OuterRef("affair"))
        .order_by()
        .values("task__affair")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        CarriedAffair.objects.filter(area=community, year=year)
        .select_related("affair", "affair__area")
        .annotate(task_count=Coalesce(Subquery(tasks, output_field=IntegerField()), Value(0)))
        .order_by("affair__name")
    )


def community_totals(community: Area, year: int) -> dict:
    """{"affairs": n, "funds": Decimal} that `community` carries in `year`: one aggregate."""
    return CarriedAffair.objects.filter(area=community, year=year).aggregate(
        affairs=Count("pk"), funds=Coalesce(Sum("funds"), ZERO)
    )


def communities_overview(user, area: Area, year: int) -> QuerySet[Area]:
    """The communities under `area` in the user's "admission.view" scope, each annotated with the number of
    affairs it carries in `year` and their funds (`affair_count`, `funds`): one query per page."""
    carried = Q(carried_affairs__year=year)
    return (
        scoped(
            Area.objects.filter(under_q(area.path, "path"), level=Level.COMMUNITY, retired=False),
            user,
            "admission.view",
        )
        .annotate(
            affair_count=Count("carried_affairs", filter=carried),
            funds=Coalesce(Sum("carried_affairs__funds", filter=carried), ZERO),
        )
        .order_by("path")
    )


def carried_totals(user, area: Area, year: int) -> dict:
    """Totals of `year` under `area` in the user's scope: communities carrying something, affair-community
    pairs, funds. One aggregate."""
    qs = CarriedAffair.objects.filter(under_q(area.path), year=year).filter(
        scope_q(user, "admission.view", "area__path")
    )
    totals = qs.aggregate(
        communities=Count("area", distinct=True), pairs=Count("pk"), funds=Coalesce(Sum("funds"), ZERO)
    )
    return totals


def affair_carriers(user, affair: AdmittedAffair, year: int) -> dict:
    """How many communities in the user's scope carry `affair` in `year`, and the funds: one aggregate."""
    qs = CarriedAffair.objects.filter(affair=affair, year=year).filter(
        scope_q(user, "admission.view", "area__path")
    )
    return qs.aggregate(communities=Count("pk"), funds=Coalesce(Sum("funds"), ZERO))


def request_areas(user) -> QuerySet[Area]:
    """Streets a user may file a request for (their "admission.request" scope)."""
    return scoped(Area.objects.filter(level=Level.STREET, retired=False), user, "admission.request").order_by(
        "path"
    )


def catalog_areas(user) -> QuerySet[Area]:
    """Areas (city, counties, streets) whose catalog the user keeps ("admission.manage")."""
    return scoped(
        Area.objects.filter(level__lte=Level.STREET, retired=False), user, "admission.manage"
    ).order_by("path")


def may_manage(user, affair: AdmittedAffair) -> bool:
    return has_perm(user, "admission.manage", affair.area)
