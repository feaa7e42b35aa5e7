"""Co-governance's home blocks (grassroots/portal/homes.py): on the officials' console the 共治 figures of the
scope (partners, agreements in force and expiring, volunteers); on the public home a representative's unit
(its agreements and resources) or a resident's volunteering. At most five queries, whatever the rows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from grassroots.access.scoping import has_perm, represented_partner_ids
from grassroots.cogov import selectors
from grassroots.cogov.models import EXPIRY_NOTICE_DAYS, AgreementStatus, Volunteer
from grassroots.portal.homes import OFFICIAL, RESIDENT, register_block


def official_block(request):
    user = request.user
    if not has_perm(user, selectors.MANAGE):
        return None
    today = timezone.localdate()
    soon = today + timedelta(days=EXPIRY_NOTICE_DAYS)
    live = Q(terminated_on__isnull=True, starts_on__lte=today, ends_on__gte=today)
    agreements = selectors.visible_agreements(user)
    counts = agreements.aggregate(
        active=Count("pk", filter=live & Q(ends_on__gt=soon)),
        expiring=Count("pk", filter=live & Q(ends_on__lte=soon)),
    )
    return {
        "partners": selectors.visible_partners(user).filter(retired=False).count(),
        "active": counts["active"],
        "expiring_count": counts["expiring"],
        "expiring": list(
            agreements.with_status(AgreementStatus.EXPIRING, today).order_by("ends_on", "pk")[:3]
        ),
        "volunteers": selectors.visible_volunteers(user).filter(active=True).count(),
    }


def public_block(request):
    user = request.user
    ids = represented_partner_ids(user, selectors.VIEW)
    partners = []
    if ids:
        partners = list(
            selectors.visible_partners(user)
            .filter(pk__in=ids)
            .annotate(
                resource_count=Count("resources", distinct=True),
                live_agreements=Count(
                    "agreements",
                    filter=Q(
                        agreements__terminated_on__isnull=True,
                        agreements__ends_on__gte=timezone.localdate(),
                    ),
                    distinct=True,
                ),
            )
            .order_by("name")
        )
    volunteer = None
    if has_perm(user, selectors.VOLUNTEER):
        volunteer = Volunteer.objects.filter(user=user).select_related("area").first()
    if not partners and not has_perm(user, selectors.VOLUNTEER):
        return None
    upcoming = []
    if volunteer is not None and volunteer.active:  # their next volunteer activities (one query)
        from grassroots.cogov.selectors_activities import my_sign_ups

        upcoming = list(my_sign_ups(user)[:3])
    return {
        "partners": partners,
        "volunteer": volunteer,
        "upcoming": upcoming,
        "may_volunteer": has_perm(user, selectors.VOLUNTEER),
    }


def register_blocks() -> None:
    register_block(
        "cogov", template="cogov/blocks/official.html", data=official_block, homes={OFFICIAL}, order=40
    )
    register_block(
        "cogov_public", template="cogov/blocks/public.html", data=public_block, homes={RESIDENT}, order=25
    )
