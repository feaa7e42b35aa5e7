"""The campaigns' home block (grassroots/portal/homes.py): the selection campaigns where the viewer can act
now — nominate, vote or object (residents, members), or review, count, answer and award (the staff) — at
most five, newest first. One query, whatever the number of campaigns."""

from __future__ import annotations

from django.db.models import Q

from grassroots.access.scoping import has_perm
from grassroots.portal.homes import OFFICIAL, RESIDENT, register_block
from grassroots.virtue import selectors_campaigns
from grassroots.virtue.models_campaigns import Campaign, CampaignStatus

ACTIVE = (
    CampaignStatus.NOMINATING,
    CampaignStatus.REVIEWING,
    CampaignStatus.VOTING,
    CampaignStatus.PUBLICITY,
)


def campaigns_block(request):
    user = request.user
    if not has_perm(user, selectors_campaigns.TAKE_PART):
        return None
    staff_q = selectors_campaigns.managed_q(user, "area__path")
    public = ~staff_q & Q(
        status__in=(CampaignStatus.NOMINATING, CampaignStatus.VOTING, CampaignStatus.PUBLICITY)
    )
    rows = list(
        Campaign.objects.filter(selectors_campaigns.seen_q(user, "area__path"))
        .filter((staff_q & Q(status__in=ACTIVE)) | public)
        .select_related("area")
        .order_by("-created_at", "-pk")[:5]
    )
    return {"campaigns": rows} if rows else None


def register_blocks() -> None:
    register_block(
        "virtue_campaigns",
        template="virtue/blocks/campaigns.html",
        data=campaigns_block,
        homes={OFFICIAL, RESIDENT},
        order=60,
    )
