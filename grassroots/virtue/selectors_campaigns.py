"""What selection campaigns read. Who sees a campaign (`visible_campaigns`): whoever holds `virtue.view` or
`virtue.manage` on its area (the scoping function), and anyone whose home lies in it — its results and the
history of past campaigns are public within the area. Nominations: the staff see them all; others the
qualified ones and their own. Objections: the staff all; others their own."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_q
from grassroots.areas.subtree import ancestor_paths
from grassroots.virtue.models_campaigns import Campaign, Nomination, NominationStatus, Objection

VIEW, MANAGE, TAKE_PART = "virtue.view", "virtue.manage", "virtue.campaigns"


def seen_q(user, path: str) -> Q:
    q = scope_q(user, VIEW, path) | scope_q(user, MANAGE, path)
    home = user.home_area
    if home is not None:
        q |= Q(**{f"{path}__in": ancestor_paths([home.path])})
    return q


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
        .select_related("campaign__area", "nominee_area", "nominated_by")
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
