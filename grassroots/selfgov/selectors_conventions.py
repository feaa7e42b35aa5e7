"""Reads of residents' conventions: who sees which, the version in force and the draft, the signatures'
counts (residents and households of the courtyard).

Who sees: holders of `selfgov.view` in their scope and the residents of the community, once the convention
left its first drafting (under discussion, voted on or in force); its keepers (`selfgov.manage`) from the
start. Anything else answers 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.access.scoping import scope_paths, scope_q
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.documents.models import VersionState
from grassroots.selfgov.models import Convention, ConventionAdoption, ConventionState, Signature
from grassroots.selfgov.selectors import home_community, verified_residents
from grassroots.voting.models import Household
from grassroots.voting.selectors import household_of, still_to_vote


def visible_conventions(user) -> QuerySet[Convention]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Convention.objects.none()
    q = scope_q(user, "selfgov.view", Convention.scope_path)
    community = home_community(user)
    if community is not None:
        q |= Q(community=community)
    seen = Convention.objects.filter(q)
    shown = seen.exclude(state=ConventionState.DRAFTING, in_force_since__isnull=True)
    if not scope_paths(user, "selfgov.manage"):
        return shown
    return shown | seen.filter(scope_q(user, "selfgov.manage", Convention.scope_path))


def get_convention_or_404(user, pk) -> Convention:
    try:
        return (
            visible_conventions(user).select_related("courtyard", "community", "document", "vote").get(pk=pk)
        )
    except (Convention.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def signature_counts(convention: Convention, version) -> dict:
    """Signatures of `version`: people and households signed, against the courtyard's verified residents and
    households, and whether the version is signed per household (then the households are the count). Four
    queries."""
    if version is None:
        return {
            "signed": 0,
            "households_signed": 0,
            "residents": 0,
            "households": 0,
            "per_household": False,
        }
    signed = Signature.objects.filter(version=version).aggregate(
        people=Count("pk"), households=Count("household", distinct=True)
    )
    return {
        "signed": signed["people"],
        "households_signed": signed["households"],
        "residents": verified_residents(convention.courtyard).count(),
        "households": Household.objects.filter(under_q(convention.courtyard.path, "area__path")).count(),
        "per_household": ConventionAdoption.objects.filter(version=version, per_household=True).exists(),
    }


def awaiting(user, now=None) -> tuple[list[Convention], list[Convention]]:
    """What awaits a resident among the conventions of the courtyard they live in (one per courtyard):
    (those whose adoption vote is open and theirs — or their household's — still to cast, those in force
    that they may still sign: not signed by them, nor by their household when the version is signed once
    per household). At most six queries, whatever the rows."""
    if not user.is_authenticated or not user.identity_verified or user.home_area_id is None:
        return [], []
    now = now or timezone.now()
    home = user.home_area
    rows = list(
        visible_conventions(user)
        .filter(courtyard__path__in=ancestor_paths([home.path]))
        .filter(Q(state=ConventionState.VOTING) | Q(in_force_since__isnull=False))
        .select_related("courtyard", "document", "vote__area")
    )
    voting = [c for c in rows if c.state == ConventionState.VOTING and c.vote and c.vote.is_open_at(now)]
    pending = still_to_vote(user, [c.vote for c in voting])
    to_vote = [c for c in voting if c.vote_id in pending]
    in_force = [c for c in rows if c.in_force_since is not None]
    if not in_force:
        return to_vote, []
    adoptions = {
        a.convention_id: a
        for a in ConventionAdoption.objects.filter(
            convention__in=in_force, version__state=VersionState.PUBLISHED
        ).select_related("version")
    }
    household = household_of(user) if any(a.per_household for a in adoptions.values()) else None
    versions = [a.version_id for a in adoptions.values()]
    signed_q = Q(user=user)
    if household is not None:
        signed_q |= Q(household=household, per_household=True)
    signed = set(
        Signature.objects.filter(signed_q, version__in=versions).values_list("version_id", flat=True)
    )
    to_sign = []
    for convention in in_force:
        adoption = adoptions.get(convention.pk)
        if adoption is None or adoption.version_id in signed:
            continue
        if adoption.per_household and (
            household is None or not lies_under(household.area.path, convention.courtyard.path)
        ):
            continue
        convention.signing_per_household = adoption.per_household
        to_sign.append(convention)
    return to_vote, to_sign
