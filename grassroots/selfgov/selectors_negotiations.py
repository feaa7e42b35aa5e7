"""Reads of negotiations: who sees which (holders of `selfgov.negotiations` in their scope: the community's
staff, the officials above, grid workers and auditors; a unit's representatives those their unit is a party
to; anything else answers 404), the parties a worker may
pick from the one organization register, the overdue follow-up items (by the clock's today), the figure
"negotiations by state" per subtree (`selfgov.negotiations_agreed` of the figure registry), and the hook the
rule-of-law part reads: the negotiations handed over to mediation (`awaiting_mediation`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import scope_paths, scope_q, scoped
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.rollup import per_child, per_subtree
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.selfgov.models_negotiations import FollowUp, Negotiation, NegotiationState

VIEW = "selfgov.negotiations"
MANAGE = "selfgov.manage"
# The states a negotiation has ended its talks in: the figure's denominator.
CONCLUDED = (
    NegotiationState.AGREED,
    NegotiationState.FOLLOWED_UP,
    NegotiationState.CLOSED,
    NegotiationState.FAILED,
    NegotiationState.HANDED_OVER,
)


def visible_negotiations(user) -> QuerySet[Negotiation]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Negotiation.objects.none()
    # The area clause, and a unit's representatives the negotiations their unit is a party to.
    return scoped(Negotiation.objects.all(), user, VIEW)


def get_negotiation_or_404(user, pk) -> Negotiation:
    try:
        return Negotiation.visible_to(user).get(pk=pk)
    except (Negotiation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def leading_orgs(area: Area) -> QuerySet[PartyOrg]:
    """The Party organizations that may lead a negotiation of `area`: those of the area or of an area above
    it (the courtyard's community, the street), not retired."""
    return PartyOrg.objects.filter(area__path__in=ancestor_paths([area.path]), retired=False)


def org_choices(user) -> QuerySet[PartyOrg]:
    """The Party organizations a worker may name as leading: those of the areas they manage and above."""
    paths = scope_paths(user, MANAGE)
    return PartyOrg.objects.filter(
        Q(under_q(paths, "area__path")) | Q(area__path__in=ancestor_paths(paths)), retired=False
    )


def pickable_partners(user):
    """The organizations of the one register (cogov.Partner) a worker may name as parties: those they see."""
    from grassroots.cogov.selectors import visible_partners

    return visible_partners(user).filter(retired=False)


def overdue_follow_ups(user, today=None) -> QuerySet[FollowUp]:
    """Open follow-up items past their due date, of the agreed negotiations the user leads (selfgov.manage in
    scope), oldest first."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            scope_q(user, MANAGE, "negotiation__area__path"),
            done_at__isnull=True,
            due_on__lt=today,
            negotiation__state=NegotiationState.AGREED,
        )
        .select_related("negotiation", "negotiation__area", "owner", "owner__partner")
        .order_by("due_on", "pk")
    )


def awaiting_mediation(user=None) -> QuerySet[Negotiation]:
    """The hook for the rule-of-law part (docs/decisions.md): negotiations handed over to mediation, with the
    reason (`handover_reason`) and when (`handed_over_at`); within the user's scope when a user is given.
    The lawgov part links its dispute to the negotiation and shows these as received."""
    queryset = Negotiation.objects.filter(state=NegotiationState.HANDED_OVER)
    if user is not None:
        queryset = scoped(queryset, user, VIEW)
    return queryset.select_related("area", "community", "party_org").order_by("handed_over_at", "pk")


def _counts():
    return {
        "total": Count("pk"),
        "concluded": Count("pk", filter=Q(state__in=CONCLUDED)),
        "reached": Count("pk", filter=Q(agreed_at__isnull=False)),
        **{state.value: Count("pk", filter=Q(state=state)) for state in NegotiationState},
    }


def by_state(area: Area):
    """Negotiations per state for `area` and each child area (the list page's roll-up): one statement."""
    return per_child(Negotiation.objects.all(), area, path_field="area__path", **_counts())


def by_state_per_subtree(paths: Sequence[str]) -> dict[str, dict]:
    """{area path: {"total": …, <state>: …}} over each path's subtree (the one roll-up)."""
    return per_subtree(Negotiation.objects.all(), paths, path_field="area__path", **_counts())


def negotiations_agreed_rate(targets: Sequence, year: int) -> dict:
    """The figure `selfgov.negotiations_agreed`: per target area, of the negotiations begun in `year` in its
    subtree that ended their talks (agreed, failed, handed over, followed up or closed), the share that
    reached an agreement (`agreed_at`); the detail counts them by state."""
    from grassroots.figures.registry import Figure

    begun = Negotiation.objects.filter(created_at__year=year)
    counts = per_subtree(begun, [t.path for t in targets], path_field="area__path", **_counts())
    out = {}
    for target in targets:
        line = counts.get(target.path) or {}
        if not line.get("total"):
            continue
        concluded = line["concluded"]
        detail = "，".join(
            f"{state.label} {line[state.value]}" for state in NegotiationState if line.get(state.value)
        )
        out[target.pk] = Figure(
            rate=(line["reached"] / concluded) if concluded else None,
            detail=_("共 %(total)d 件：%(detail)s") % {"total": line["total"], "detail": detail},
            url=reverse("selfgov:negotiations") + f"?area={target.pk}",
        )
    return out
