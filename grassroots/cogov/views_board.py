"""The community's co-governance board (共治看板): on one page, for one street or community (`?area=`, by
default the working area), what the community needs and the partners offer, the claims and deliveries of the
two-way service items of the year (those in progress by planned date, the late ones marked; the latest
confirmed; the year's figures), the joint meetings and their action items (overdue first), and the agreements
expiring. A fixed number of queries, whatever the rows (tests/cogov/test_meetings.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from grassroots.areas.subtree import under_q
from grassroots.cogov import selectors, selectors_items
from grassroots.cogov import selectors_meetings as meetings
from grassroots.cogov.exports import board_claim_rows
from grassroots.cogov.models import Agreement, AgreementStatus, Resource
from grassroots.cogov.models_items import ClaimState, ItemKind
from grassroots.cogov.models_meetings import ActionState

SHOWN = 10


def board_data(user, area, year, claims) -> dict:
    """The board's sections; `claims`: the year's claims of the area's items (board_claim_rows)."""
    today = timezone.localdate()
    signed = Agreement.objects.filter(under_q(area.path, "party_org__area__path")).values("partner")
    partners = (
        selectors.visible_partners(user)
        .filter(retired=False)
        .filter(under_q(area.path) | Q(pk__in=signed))
        .values("pk")
    )
    resources = (
        Resource.objects.filter(partner__in=partners)
        .select_related("partner")
        .order_by("partner__name", "kind", "name")
    )
    items = meetings.action_item_list(user, area=area).exclude(state=ActionState.VERIFIED)
    return {
        "area": area,
        "year": year,
        "needs": list(selectors_items.item_list(user, year=year, kind=ItemKind.NEED, area=area)[:SHOWN]),
        "claims": list(
            claims.filter(state__in=(ClaimState.PENDING, ClaimState.ACCEPTED, ClaimState.DELIVERED)).order_by(
                "planned_on", "pk"
            )[:SHOWN]
        ),
        "deliveries": list(
            claims.filter(state=ClaimState.CONFIRMED).order_by("-confirmed_at", "-pk")[:SHOWN]
        ),
        "figures": selectors_items.area_figures([area.path], year)[area.path],
        "resources": list(resources[:SHOWN]),
        "meetings": list(
            meetings.meeting_list(user, area=area).filter(
                gathering__starts_at__gte=timezone.now() - timedelta(days=90)
            )[:SHOWN]
        ),
        "items": list(items[:SHOWN]),
        "overdue_count": items.filter(meetings.overdue_q(today)).count(),
        "expiring": list(selectors.agreement_list(user, status=AgreementStatus.EXPIRING, area=area)[:SHOWN]),
    }


@login_required
def board(request):
    area, year, claims = board_claim_rows(request)  # as its export (cogov/exports.py)
    return render(request, "cogov/board.html", board_data(request.user, area, year, claims))
