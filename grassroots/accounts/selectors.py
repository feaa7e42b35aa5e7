"""Reads of accounts that other pages share."""

from __future__ import annotations

from django.db.models import QuerySet

from grassroots.access.scoping import has_perm, scoped
from grassroots.accounts.models import ResidentVerification, VerificationState

VERIFY = "accounts.verify_resident"


def pending_verifications(user) -> QuerySet[ResidentVerification]:
    """THE definition of 待核验: the real-name verification requests waiting for a decision in the user's
    verification scope. The queue's pending tab lists them and the home page counts them (tests keep the
    two equal); a resident who never asked is no pending request."""
    if not has_perm(user, VERIFY):
        return ResidentVerification.objects.none()
    return scoped(
        ResidentVerification.objects.filter(state=VerificationState.PENDING), user, VERIFY
    ).order_by("submitted_at", "pk")
