"""Reads of the four systems: who sees which rulebooks, each community's four with the version in force, the
coverage figure "communities with all four systems" (`selfgov.rulebooks_complete` of the figure registry).

Who sees: holders of `selfgov.view` in their scope (community staff, officials above, grid workers,
auditors) and the residents of the community (its published versions); the community's keepers
(`selfgov.manage`) also see a rulebook that has only a draft. Anything else answers 404."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, scope_q
from grassroots.areas.models import Area, Level
from grassroots.areas.rollup import per_child, per_subtree
from grassroots.documents.models import READABLE_STATES, DocumentVersion, VersionState
from grassroots.selfgov.models import Rulebook, RulebookKind
from grassroots.selfgov.selectors import home_community

FOUR = len(RulebookKind.values)


def visible_rulebooks(user) -> QuerySet[Rulebook]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Rulebook.objects.none()
    q = scope_q(user, "selfgov.view", Rulebook.scope_path)
    community = home_community(user)
    if community is not None:
        q |= Q(community=community)
    readable = Q(document__versions__state__in=READABLE_STATES)
    kept = scope_q(user, "selfgov.manage", Rulebook.scope_path)
    ids = Rulebook.objects.filter(q).filter(readable | kept).values("pk")
    return Rulebook.objects.filter(pk__in=ids)


def get_rulebook_or_404(user, pk) -> Rulebook:
    try:
        return visible_rulebooks(user).select_related("community", "document").get(pk=pk)
    except (Rulebook.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def may_keep(user, rulebook_or_community) -> bool:
    area = getattr(rulebook_or_community, "community", rulebook_or_community)
    return has_perm(user, "selfgov.manage", area)


def with_versions(queryset: QuerySet[Rulebook]) -> QuerySet[Rulebook]:
    """Rulebooks with `current` (the published version, a list of 0 or 1) and `draft`: two more queries."""
    return queryset.select_related("document").prefetch_related(
        Prefetch(
            "document__versions",
            queryset=DocumentVersion.objects.filter(state=VersionState.PUBLISHED).select_related(
                "adopted_by"
            ),
            to_attr="current",
        ),
        Prefetch(
            "document__versions",
            queryset=DocumentVersion.objects.filter(state=VersionState.DRAFT),
            to_attr="drafts",
        ),
    )


@dataclass
class CommunityRules:
    community: Area
    slots: list[tuple[str, str, Rulebook | None]] = field(default_factory=list)  # (kind, label, rulebook)

    @property
    def in_force(self) -> int:
        return sum(1 for _k, _l, r in self.slots if r is not None and r.document.current)

    @property
    def complete(self) -> bool:
        return self.in_force == FOUR


def four_systems(user, communities: Sequence[Area]) -> list[CommunityRules]:
    """Each community's four slots in order, a missing one as None: three queries for any number."""
    rulebooks = with_versions(visible_rulebooks(user).filter(community__in=communities))
    by_key = {(r.community_id, r.kind): r for r in rulebooks}
    return [
        CommunityRules(
            community=community,
            slots=[(kind, label, by_key.get((community.pk, kind))) for kind, label in RulebookKind.choices],
        )
        for community in communities
    ]


def complete_communities() -> QuerySet:
    """Ids of the communities whose four systems all have a version in force."""
    return (
        Rulebook.objects.filter(document__versions__state=VersionState.PUBLISHED)
        .values("community")
        .annotate(n=Count("kind", distinct=True))
        .filter(n=FOUR)
        .values("community")
    )


def coverage(paths: Sequence[str]) -> dict[str, dict]:
    """{area path: {"communities": live communities in its subtree, "complete": those with all four}}: one
    aggregate query per path length (the one roll-up)."""
    communities = Area.objects.filter(level=Level.COMMUNITY, retired=False)
    return per_subtree(
        communities,
        paths,
        path_field="path",
        communities=Count("pk"),
        complete=Count("pk", filter=Q(pk__in=complete_communities())),
    )


def coverage_per_child(area: Area) -> dict[str, dict]:
    """`coverage` of `area` and of each of its children in one statement (`per_child` over the live
    communities, one row each with `full` = 1 when its four systems are all in force): what the officials'
    home asks for (an area and its children), at the cost of one query."""
    communities = Area.objects.filter(level=Level.COMMUNITY, retired=False).annotate(
        full=Count("pk", filter=Q(pk__in=complete_communities()))
    )
    breakdown = per_child(communities, area, path_field="path", communities=Count("pk"), complete=Sum("full"))
    out = {child.path: line for child, line in breakdown.children}
    out[area.path] = breakdown.total
    return out


def rulebooks_complete_rate(targets: Sequence, year: int) -> dict:
    """The figure `selfgov.rulebooks_complete`: for each target area, the share of its live communities whose
    four systems are all in force (today's state: the year does not change it). An area with (some of) its
    children, as the officials' home asks: one statement (`coverage_per_child`)."""
    from grassroots.figures.registry import Figure

    out = {}
    parent = max(targets, key=lambda t: -len(t.path)) if targets else None
    if parent is not None and all(t is parent or t.path[: -t.steplen] == parent.path for t in targets):
        counts = coverage_per_child(parent)
    else:
        counts = coverage([t.path for t in targets])
    for target in targets:
        line = counts.get(target.path)
        if not line or not line["communities"]:
            continue
        out[target.pk] = Figure(
            rate=line["complete"] / line["communities"],
            detail=_("%(complete)d / %(communities)d 个社区四项制度齐全") % line,
            url=reverse("selfgov:rulebooks") + f"?area={target.pk}",
        )
    return out
