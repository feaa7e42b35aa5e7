"""Home blocks of the two-way service items: a community's staff see the claims awaiting acceptance and the
deliveries awaiting confirmation (with the year's figures of their community); a partner representative
the needs open to their unit. At most four queries each, whatever the rows."""

from __future__ import annotations

from django.utils import timezone

from grassroots.access.scoping import represented_partner_ids, role_paths
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.subtree import under_q
from grassroots.cogov import selectors_items
from grassroots.cogov.models_items import Claim, ClaimState
from grassroots.portal.homes import OFFICIAL, RESIDENT, register_block

SHOWN = 5


def staff_block(request):
    """For the community's workers and secretary (the ones who accept and confirm)."""
    paths = role_paths(request.user, COMMUNITY_STAFF)
    if not paths:
        return None
    base = Claim.objects.filter(under_q(paths, "item__community__path"))
    to_accept = base.filter(state=ClaimState.PENDING).select_related("item", "partner")
    to_confirm = base.filter(state=ClaimState.DELIVERED).select_related("item", "partner")
    year = timezone.localdate().year
    return {
        "to_accept": list(to_accept.order_by("step_since", "pk")[:SHOWN]),
        "to_confirm": list(to_confirm.order_by("step_since", "pk")[:SHOWN]),
        "figures": selectors_items.area_figures(paths[:1], year)[paths[0]],
        "year": year,
    }


def representative_block(request):
    user = request.user
    if not represented_partner_ids(user, selectors_items.CLAIM):
        return None
    needs = selectors_items.open_needs_for(user)
    return {
        "needs": list(needs[:SHOWN]),
        "to_deliver": selectors_items.claims_of_partners(user).filter(state=ClaimState.ACCEPTED).count(),
    }


def register_blocks() -> None:
    register_block(
        "cogov_items",
        template="cogov/blocks/items.html",
        data=staff_block,
        homes={OFFICIAL},
        order=41,
        roles=COMMUNITY_STAFF,
    )
    register_block(
        "cogov_needs",
        template="cogov/blocks/needs.html",
        data=representative_block,
        homes={RESIDENT},
        order=26,
    )
