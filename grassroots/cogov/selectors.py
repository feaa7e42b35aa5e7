"""What co-governance reads, through the one scoping function (grassroots.access.scoping)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from grassroots.access.scoping import scope_paths, scoped
from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.cogov.models import Agreement, AgreementStatus, Partner, Volunteer

VIEW, MANAGE, OFFER, VOLUNTEER = "cogov.view", "cogov.manage", "cogov.offer", "cogov.volunteer"


def visible_partners(user) -> QuerySet:
    """The partners the user may see for `cogov.view`: those located in their scope, those located above it
    (a county bureau serves the communities below), those with an agreement signed in their scope (a partner
    present in several communities is one record), and — for a representative — their own."""
    paths = scope_paths(user, VIEW)
    signed = Agreement.objects.filter(under_q(paths, "party_org__area__path"), partner=OuterRef("pk"))
    above = ancestor_paths(paths, include_self=False) if paths else []
    extra = Q(area__path__in=above) | Q(Exists(signed)) if paths else Q(pk__in=[])
    return Partner.objects.filter(
        Q(pk__in=scoped(Partner.objects.all(), user, VIEW).values("pk")) | extra
    ).select_related("area", "entity", "party_org")


def manageable_partners(user) -> QuerySet:
    """The partners the user may keep (`cogov.manage` on their area) — the register's editors."""
    return scoped(Partner.objects.all(), user, MANAGE, "area__path").select_related("area")


def signable_partners(user) -> QuerySet:
    """The partners an official may sign an agreement with: every live partner they may see."""
    return visible_partners(user).filter(retired=False).order_by("name")


def partner_list(user, *, q: str = "", kind: str = "", area: Area | None = None) -> QuerySet:
    rows = visible_partners(user)
    if q:
        rows = rows.filter(name__icontains=q)
    if kind:
        rows = rows.filter(kind=kind)
    if area is not None:
        rows = rows.filter(under_q(area.path))
    return (
        rows.annotate(
            resource_count=Count("resources", distinct=True),
            agreement_count=Count("agreements", distinct=True),
        )
        .prefetch_related("resources")
        .order_by("area__path", "name")
    )


def roles_of_partner(partner: Partner) -> list[str]:
    """The roles the one organization plays: 新兴领域单位 (coverage), 双报到单位 (members' dual registration,
    through its Party organization), 共建单位 (an agreement in force)."""
    from django.utils.translation import gettext as _

    roles = []
    if partner.entity_id is not None:
        roles.append(_("新兴领域单位"))
    if partner.party_org_id is not None:
        registration = apps.get_model("members", "Registration")
        if registration.objects.filter(party_org_id=partner.party_org_id, state="confirmed").exists():
            roles.append(_("双报到单位"))
    live = Agreement.objects.filter(partner=partner)
    if any(live.with_status(s).exists() for s in (AgreementStatus.ACTIVE, AgreementStatus.EXPIRING)):
        roles.append(_("共建单位"))
    return roles


def registrations_of(partner: Partner) -> QuerySet:
    """The dual registrations of the partner's Party organization (members' Registration), newest first."""
    registration = apps.get_model("members", "Registration")
    if partner.party_org_id is None:
        return registration.objects.none()
    return registration.objects.filter(party_org_id=partner.party_org_id).select_related("community")


def linkable_entities(user, partner: Partner | None = None) -> QuerySet:
    """Emerging-sector entities the user keeps (`cogov.manage` on their area) not yet a partner's."""
    entity = apps.get_model("coverage", "Entity")
    rows = scoped(entity.objects.all(), user, MANAGE, "area__path")
    taken = Partner.objects.filter(entity__isnull=False)
    if partner is not None and partner.pk:
        taken = taken.exclude(pk=partner.pk)
    return rows.exclude(pk__in=taken.values("entity_id")).order_by("name")


def linkable_party_orgs(user, partner: Partner | None = None) -> QuerySet:
    """Party organizations the user keeps, not yet a partner's."""
    rows = scoped(PartyOrg.objects.filter(retired=False), user, MANAGE, "area__path")
    taken = Partner.objects.filter(party_org__isnull=False)
    if partner is not None and partner.pk:
        taken = taken.exclude(pk=partner.pk)
    return rows.exclude(pk__in=taken.values("party_org_id")).order_by("name")


def representative_candidates(user) -> QuerySet:
    """Accounts that may be named a partner's representatives: active holders of the partner representative
    role on an area the user keeps."""
    paths = scope_paths(user, MANAGE)
    return (
        User.objects.filter(
            under_q(paths, "grants__area__path"), grants__role=Role.PARTNER_REP, is_active=True
        )
        .distinct()
        .order_by("username")
    )


def partner_areas(user) -> QuerySet:
    return scoped(Area.objects.filter(retired=False), user, MANAGE, "path").order_by("path")


def signing_orgs(user) -> QuerySet:
    """The street and community Party organizations the user may sign for (`cogov.manage` on their area)."""
    return (
        scoped(
            PartyOrg.objects.filter(retired=False, area__level__in=(Level.STREET, Level.COMMUNITY)),
            user,
            MANAGE,
            "area__path",
        )
        .select_related("area")
        .order_by("area__path", "name")
    )


def visible_agreements(user) -> QuerySet:
    return scoped(Agreement.objects.all(), user, VIEW).select_related(
        "party_org", "party_org__area", "partner", "renewal"
    )


def agreement_list(user, *, status: str = "", partner: Partner | None = None, area: Area | None = None):
    rows = visible_agreements(user)
    if status:
        rows = rows.with_status(status)
    if partner is not None:
        rows = rows.filter(partner=partner)
    if area is not None:
        rows = rows.filter(under_q(area.path, "party_org__area__path"))
    return rows.order_by("ends_on", "pk")


def visible_volunteers(user) -> QuerySet:
    return scoped(Volunteer.objects.all(), user, VIEW).select_related("user", "area")


def volunteer_of(user, pk: int) -> Volunteer:
    """One volunteer's record: in the caller's scope (the community's staff and those above) or their own;
    anything else is a 404."""
    mine = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    rows = Volunteer.objects.filter(Q(pk__in=visible_volunteers(user).values("pk")) | mine)
    return get_object_or_404(rows.select_related("user", "area", "signed_up_by"), pk=pk)


def credits_of(volunteer: Volunteer, limit: int = 50) -> list:
    """The volunteer's latest confirmed service hours (the activity, the time), newest first."""
    return list(volunteer.credits.select_related("gathering").order_by("-checked_in_at", "-pk")[:limit])


def volunteer_list(user, *, q: str = "", skill: str = "", area: Area | None = None, active: bool = True):
    rows = visible_volunteers(user).filter(active=active)
    if q:
        rows = rows.filter(Q(user__full_name__icontains=q) | Q(user__username__icontains=q))
    if skill:
        rows = rows.filter(skills__icontains=skill)
    if area is not None:
        rows = rows.filter(under_q(area.path))
    return rows.order_by("area__path", "-signed_up_at", "pk")


def volunteer_candidates(user) -> QuerySet:
    """Residents and members living in a community the user keeps: whom they may sign up."""
    paths = scope_paths(user, MANAGE)
    return User.objects.filter(under_q(paths, "home_area__path"), is_active=True).order_by("username")
