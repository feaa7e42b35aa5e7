"""Reads of residents' conventions: who sees which, the version in force and the draft, the signatures'
counts (residents and households of the courtyard).

Who sees: holders of `selfgov.view` in their scope and the residents of the community, once the convention
left its first drafting (under discussion, voted on or in force); its keepers (`selfgov.manage`) from the
start. Anything else answers 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_paths, scope_q
from grassroots.areas.subtree import under_q
from grassroots.selfgov.models import Convention, ConventionAdoption, ConventionState, Signature
from grassroots.selfgov.selectors import home_community, verified_residents
from grassroots.voting.models import Household


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
