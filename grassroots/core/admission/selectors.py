"""Reads of 社区事务准入制 shared by the pages and the API: the catalog a user reads, the requests they see,
and what communities carry with the funds that came with it (aggregate queries over area paths)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, scope_q, scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.rollup import Breakdown, per_child, per_subtree
from grassroots.areas.selectors import with_path_labels
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.core.admission.models import (
    AdmissionRequest,
    AdmittedAffair,
    CarriedAffair,
    FundsState,
    FundsTransfer,
)
from grassroots.ids import as_id

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
    received = FundsTransfer.objects.filter(
        affair=OuterRef("affair"), area=OuterRef("area"), year=OuterRef("year"), state=FundsState.RECEIVED
    ).values("amount")[:1]
    entry = FundsTransfer.objects.filter(
        affair=OuterRef("affair"), area=OuterRef("area"), year=OuterRef("year")
    ).values("pk")[:1]
    return (
        CarriedAffair.objects.filter(area=community, year=year)
        .select_related("affair", "affair__area")
        .annotate(
            task_count=Coalesce(Subquery(tasks, output_field=IntegerField()), Value(0)),
            funds_received=Subquery(received, output_field=DecimalField(max_digits=12, decimal_places=2)),
            funds_entry=Subquery(entry, output_field=IntegerField()),
        )
        .order_by("affair__name")
    )


def community_totals(community: Area, year: int) -> dict:
    """{"affairs": n, "funds": Decimal, "received": Decimal, "unfunded": n} of what `community` carries in
    `year`: the funds due with it, those received, and the affairs without funds received. Two
    aggregates."""
    totals = with_funds_received(CarriedAffair.objects.filter(area=community, year=year)).aggregate(
        affairs=Count("pk"), funds=Coalesce(Sum("funds"), ZERO), unfunded=Count("pk", filter=UNFUNDED)
    )
    totals["received"] = FundsTransfer.objects.filter(
        area=community, year=year, state=FundsState.RECEIVED
    ).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]
    return totals


# --- 费随事转: affairs carried without funds received ------------------------------------------------

UNFUNDED = Q(funds_arrived=False)


def with_funds_received(carried: QuerySet[CarriedAffair]) -> QuerySet[CarriedAffair]:
    """`funds_arrived` on each carried affair: has the community confirmed its funds for that year?"""
    arrived = FundsTransfer.objects.filter(
        affair=OuterRef("affair"), area=OuterRef("area"), year=OuterRef("year"), state=FundsState.RECEIVED
    )
    return carried.annotate(funds_arrived=Exists(arrived))


def _unfunded_figures() -> dict:
    return {"carried": Count("pk"), "unfunded": Count("pk", filter=UNFUNDED)}


def unfunded_by_child(user, area: Area, year: int) -> Breakdown:
    """The figure "affairs without funds received" (承接事项中经费未到位的) of `year`, for `area`'s subtree in
    the user's scope and per child area (the one roll-up, `grassroots.areas.rollup.per_child`): `carried`
    (affair-community pairs) and `unfunded` per line. One aggregate plus the children."""
    carried = CarriedAffair.objects.filter(year=year).filter(scope_q(user, "admission.view", "area__path"))
    return per_child(with_funds_received(carried), area, path_field="area__path", **_unfunded_figures())


def unfunded_per_area(targets, year: int) -> dict[str, dict]:
    """{path: {"carried", "unfunded"}} of `year` for each target area's subtree (for the figures' registry).
    One aggregate per depth among the targets."""
    carried = with_funds_received(CarriedAffair.objects.filter(year=year))
    return per_subtree(carried, [t.path for t in targets], path_field="area__path", **_unfunded_figures())


def funds_ledger(user) -> QuerySet[FundsTransfer]:
    """The funds ledger the user reads (communities in their "admission.view" scope; outside: 404);
    filters.FundsFilter narrows it. One query a page."""
    return (
        FundsTransfer.visible_to(user)
        .select_related("area", "affair")
        .order_by("-year", "area__path", "affair__name", "pk")
    )


def get_funds_or_404(user, pk) -> FundsTransfer:
    qs = FundsTransfer.visible_to(user).select_related(
        "area", "affair", "affair__area", "allotted_by", "transferred_by", "received_by"
    )
    return get_object_or_404(qs, pk=pk)


def allot_affairs(user) -> QuerySet[AdmittedAffair]:
    """Affairs whose funds the user may allot: the catalog they read (the service checks the community)."""
    return catalog(user)


def allot_communities(user, *, streets: bool = False) -> QuerySet[Area]:
    """Communities the user may allot funds to (their "admission.manage" scope); with `streets`, the streets
    too (街道统筹: the street passes the funds on once they arrived)."""
    levels = [Level.COMMUNITY, Level.STREET] if streets else [Level.COMMUNITY]
    return scoped(Area.objects.filter(level__in=levels, retired=False), user, "admission.manage").order_by(
        "path"
    )


ALLOT_OPTIONS_LIMIT = 400  # the allot form's select, and each answer of its search


def allot_groups(areas) -> list[dict]:
    """`areas` (streets and communities in path order) grouped by street: one dict per street with its
    `street` (None above the streets), its path `label` ("雨城区 › 东城街道") and its `areas` (the street
    itself first when it is among them, then its communities). Two queries; the allot form's select and the
    bulk form's checkboxes are both drawn from it."""
    areas = list(areas)
    above = ancestor_paths(area.path for area in areas)
    streets = {s.path: s for s in Area.objects.filter(path__in=above, level=Level.STREET)}
    with_path_labels(streets.values())
    groups: dict[str, dict] = {}
    for area in areas:
        street = next((streets[p] for p in ancestor_paths(area.path) if p in streets), None)
        label = street.path_label if street else area.name
        key = street.path if street else area.path
        groups.setdefault(key, {"street": street, "label": label, "areas": []})["areas"].append(area)
    return list(groups.values())


def allot_options(areas) -> list:
    """The choices of the allot form's area select, grouped by street (`allot_groups`): a street may be
    allotted to itself (街道统筹). Two queries."""
    return [
        (
            group["label"],
            [
                (
                    area.pk,
                    _("%(name)s（街道统筹）") % {"name": area.name}
                    if area.level == Level.STREET
                    else area.name,
                )
                for area in group["areas"]
            ],
        )
        for group in allot_groups(areas)
    ]


def bulk_allot_groups(user, query: str = "", checked=()) -> tuple[list[dict], bool]:
    """The bulk allot form's communities, grouped by street: those matching `query` (`search_allot_areas`)
    and those already `checked` (ids), at most ALLOT_OPTIONS_LIMIT; each group says whether its whole street
    may be ticked at once (`whole`: the street is in the user's "admission.manage" scope). Returns the groups
    and whether the list was cut at the limit. Four queries, whatever the number of communities."""
    checked = {pk for pk in map(as_id, checked) if pk}
    communities = search_allot_areas(user, query).filter(level=Level.COMMUNITY)
    if checked:
        communities = communities | allot_communities(user).filter(pk__in=checked)
    shown = list(communities.order_by("path")[: ALLOT_OPTIONS_LIMIT + 1])
    cut = len(shown) > ALLOT_OPTIONS_LIMIT
    groups = allot_groups(shown[:ALLOT_OPTIONS_LIMIT])
    wholes = set(allot_streets(user).values_list("pk", flat=True))
    for group in groups:
        group["whole"] = group["street"] is not None and group["street"].pk in wholes
        group["options"] = [(area, area.pk in checked) for area in group["areas"]]
    return groups, cut


def allot_streets(user) -> QuerySet[Area]:
    """The streets whose every community the user may allot to in one tick (批量下达's 整个街道)."""
    return allot_communities(user, streets=True).filter(level=Level.STREET)


def street_allot_communities(user, streets) -> QuerySet[Area]:
    """The live communities of `streets` the user may allot funds to (what 整个街道 ticks)."""
    paths = [street.path for street in streets]
    if not paths:
        return Area.objects.none()
    return allot_communities(user).filter(under_q(paths, "path"))


def search_allot_areas(user, query: str) -> QuerySet[Area]:
    """The areas the user may allot funds to whose name (or the name of their street) contains `query`, or
    whose code starts with it: what the allot form's search box offers."""
    areas = allot_communities(user, streets=True)
    query = query.strip()
    if not query:
        return areas
    streets = Area.objects.filter(level=Level.STREET, name__icontains=query).values_list("path", flat=True)
    under_streets = under_q(list(streets[:ALLOT_OPTIONS_LIMIT]), "path")
    return areas.filter(Q(name__icontains=query) | Q(code__startswith=query) | under_streets)


def street_communities(source) -> QuerySet[Area]:
    """The live communities of the street whose received funds `source` are (what 街道下达 offers)."""
    return Area.objects.filter(
        under_q(source.area.path, "path"), level=Level.COMMUNITY, retired=False
    ).order_by("path")


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
