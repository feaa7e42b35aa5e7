"""What selection campaigns read. Who sees a campaign (`visible_campaigns`): whoever holds `virtue.view` or
`virtue.manage` on its area (the scoping function), anyone whose home lies in it — its results and the
history of past campaigns are public within the area — and those who act for a Party organization inside it
(`virtue.manage` on an area below the campaign's: a community's staff see their street's campaigns, in which
their organization may nominate, `nominating_orgs`). Nominations: the staff see them all; others the
qualified ones and their own. Objections: the staff all; others their own."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_paths, scope_q, scoped
from grassroots.areas.models import PartyOrg
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.virtue.models_campaigns import Campaign, Nomination, NominationStatus, Objection

VIEW, MANAGE, TAKE_PART = "virtue.view", "virtue.manage", "virtue.campaigns"


def seen_q(user, path: str) -> Q:
    q = scope_q(user, VIEW, path) | scope_q(user, MANAGE, path)
    above = ancestor_paths(scope_paths(user, MANAGE), include_self=False)  # campaigns their orgs may enter
    home = user.home_area
    if home is not None:
        above = sorted({*above, *ancestor_paths([home.path])})
    if above:
        q |= Q(**{f"{path}__in": above})
    return q


def nominating_orgs(user, campaign: Campaign) -> QuerySet[PartyOrg]:
    """The Party organizations `user` may nominate for in `campaign` (提名单位): the live ones inside the
    campaign's area that the user acts for — `virtue.manage` on the organization's area, through the one
    scoping function. A community's organization enters its street's campaign; another street's cannot."""
    orgs = PartyOrg.objects.filter(under_q(campaign.area.path, "area__path"), retired=False)
    return scoped(orgs, user, MANAGE, "area__path").select_related("area").order_by("area__path", "name")


def visible_campaigns(user) -> QuerySet[Campaign]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(seen_q(user, "area__path"))
        .select_related("area", "organization", "vote")
        .annotate(
            nomination_count=Count("nominations", distinct=True),
            open_objections=Count(
                "objections", filter=Q(objections__answered_at__isnull=True), distinct=True
            ),
        )
        .order_by("-created_at", "-pk")
    )


def get_campaign_or_404(user, pk) -> Campaign:
    try:
        return visible_campaigns(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def managed_q(user, path: str) -> Q:
    return scope_q(user, MANAGE, path)


def visible_nominations(user) -> QuerySet[Nomination]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Nomination.objects.none()
    seen = seen_q(user, "campaign__area__path")
    q = managed_q(user, "campaign__area__path") | (
        seen & (Q(status=NominationStatus.QUALIFIED) | Q(nominated_by=user))
    )
    return (
        Nomination.objects.filter(q)
        .select_related("campaign__area", "nominee_area", "nominated_by", "nominating_org")
        .annotate(material_count=Count("materials"))
        .order_by("campaign", "number", "pk")
    )


def get_nomination_or_404(user, pk) -> Nomination:
    try:
        return visible_nominations(user).get(pk=pk)
    except (Nomination.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_objections(user) -> QuerySet[Objection]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Objection.objects.none()
    seen = seen_q(user, "campaign__area__path")
    q = managed_q(user, "campaign__area__path") | (seen & Q(raised_by=user))
    return (
        Objection.objects.filter(q)
        .select_related("campaign__area", "nomination", "raised_by", "answered_by")
        .order_by("raised_at", "pk")
    )


def candidates(campaign: Campaign) -> QuerySet[Nomination]:
    """The campaign's candidates on the ballot, by number."""
    return campaign.nominations.filter(option__isnull=False).order_by("number")
