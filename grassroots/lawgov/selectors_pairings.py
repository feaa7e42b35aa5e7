"""Who sees which pairing: the one scoping function for `lawgov.pairings` — officials and community staff
by the pairing's community, a unit's representatives their unit's (partner clause), a cadre their own (the
per-record clause). Outside: 404."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.lawgov.models_pairings import Pairing
from grassroots.lawgov.services_pairings import MANAGE, VIEW


def visible_pairings(user):
    return scoped(Pairing.objects.all(), user, VIEW).select_related(
        "community", "partner", "community_org", "cadre", "member", "household"
    )


def pairing_list(user, *, state: str = "", kind: str = ""):
    rows = visible_pairings(user).annotate(
        service_count=Count("services", distinct=True),
        service_hours=Sum("services__hours"),
    )
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-started_on", "-pk")


def manageable_communities(user):
    return scoped(Area.objects.filter(level=Level.COMMUNITY, retired=False), user, MANAGE, "path")


def _under_managed(user, field: str) -> Q:
    q = Q(pk__in=[])
    for path in manageable_communities(user).values_list("path", flat=True):
        q |= Q(**{f"{field}__startswith": path})
    return q


def pairable_members(user):
    """The Party members living in the communities the user manages (a cadre pairs with one)."""
    from grassroots.core.members.models import Member

    return Member.objects.filter(_under_managed(user, "home_area__path")).order_by("name")


def pairable_households(user):
    from grassroots.voting.models import Household

    return Household.objects.filter(_under_managed(user, "area__path")).order_by("area__path", "name")


def community_orgs(user):
    """The Party organizations located in the communities the user manages (the community side)."""
    return (
        PartyOrg.objects.filter(_under_managed(user, "area__path"), retired=False)
        .select_related("area")
        .order_by("area__path", "name")
    )


def unit_registrations(user):
    """The units' confirmed and pending dual registrations with the communities the user sees pairings in."""
    from django.apps import apps

    registration = apps.get_model("members", "Registration")
    return scoped(
        registration.objects.filter(party_org__isnull=False), user, VIEW, "community__path"
    ).select_related("party_org", "community")


def registrable_partners(user):
    """The units whose Party organization the user may register (its secretary, those who keep it) and the
    units they see in the register."""
    from grassroots.cogov.models import Partner
    from grassroots.cogov.selectors import visible_partners

    orgs = scoped(PartyOrg.objects.all(), user, "members.change", "area__path", org_field="pk")
    seen = visible_partners(user).values("pk")
    return (
        Partner.objects.filter(Q(pk__in=seen) | Q(party_org__in=orgs.values("pk")))
        .filter(retired=False, party_org__isnull=False)
        .order_by("name")
    )
