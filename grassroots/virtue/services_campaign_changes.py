"""Changes to a campaign on its way (services_campaigns holds its steps): editing the campaign, cancelling
it, withdrawing a nomination and adding materials to one. Keyword-only and atomic like the steps; refusals
are ValidationErrors keyed by field (Chinese messages) or PermissionDenied.

- `update_campaign`: the rules (places, votes per voter, the nominations' deadline, the publicity's days)
  change only while nominations are open; the area and the kind only while nobody is nominated; the wording
  (title, description) and the organizing organization until the award. A vote, once open, is never
  changed under its voters.
- `cancel_campaign`: with a reason, before the award; an open vote is closed through voting
  (`close_vote`: counted and chained like any vote, its result kept as the record) and the campaign shows
  as cancelled; everyone nominated is told.
- `withdraw_nomination`: the nominator (or the resident nominated) withdraws before the vote.
- `add_materials`: the nominator, the resident nominated or the staff add materials until the review ends
  (the vote opens), checked by their content like those sent with the nomination."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.models import PartyOrg
from grassroots.virtue.models_campaigns import (
    PUBLICITY_DAYS,
    Campaign,
    CampaignKind,
    CampaignStatus,
    Nomination,
    NominationStatus,
)
from grassroots.virtue.services_campaigns import (
    MANAGE,
    _lock,
    _require_manage,
    _state,
    check_materials,
    may_manage,
    notify_people,
    people_of,
    store_materials,
)
from grassroots.voting.models import VoteStatus
from grassroots.voting.services import votes

RULES = ("places", "votes_per_voter", "nominations_close_at", "publicity_days")
SHAPE = ("area", "kind")
WORDING = ("title", "description", "organization")
BEFORE_VOTE = (CampaignStatus.NOMINATING, CampaignStatus.REVIEWING)
_UNSET = object()


def _rules_errors(changes: dict, now: datetime) -> dict:
    errors = {}
    if "places" in changes and (not changes["places"] or changes["places"] < 1):
        errors["places"] = _("评选名额至少为 1。")
    if "votes_per_voter" in changes and (not changes["votes_per_voter"] or changes["votes_per_voter"] < 1):
        errors["votes_per_voter"] = _("每人可投票数至少为 1。")
    close = changes.get("nominations_close_at", _UNSET)
    if close is not _UNSET and (close is None or close <= now):
        errors["nominations_close_at"] = _("提名截止时间须晚于现在。")
    days = changes.get("publicity_days", _UNSET)
    if days is not _UNSET and (days is None or days < PUBLICITY_DAYS):
        errors["publicity_days"] = _("公示期不少于 %(days)d 天。") % {"days": PUBLICITY_DAYS}
    return errors


def editable_fields(campaign: Campaign, now: datetime | None = None) -> tuple[str, ...]:
    """The fields the campaign's staff may change now (the edit page offers only these)."""
    now = now or timezone.now()
    if campaign.status in (CampaignStatus.AWARDED, CampaignStatus.CANCELLED):
        return ()
    if campaign.status != CampaignStatus.NOMINATING or now >= campaign.nominations_close_at:
        return WORDING
    if campaign.nominations.exists():
        return WORDING + RULES
    return SHAPE + WORDING + RULES


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, now: datetime | None = None, **changes) -> Campaign:
    """Change the fields given (those equal to the campaign's are no change); see the module for which may
    change when. Returns the campaign saved."""
    now = now or timezone.now()
    _require_manage(actor, campaign)
    campaign = _lock(campaign)
    unknown = set(changes) - set(RULES + SHAPE + WORDING)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    changes = {k: v for k, v in changes.items() if getattr(campaign, k) != v}
    if campaign.status in (CampaignStatus.AWARDED, CampaignStatus.CANCELLED):
        _state(campaign)  # nothing changes after the end
    allowed = editable_fields(campaign, now)
    errors = {}
    for name in changes:
        if name in allowed:
            continue
        if name in RULES:
            errors[name] = _("提名截止后不能修改评选规则。")
        else:
            errors[name] = _("已有提名或提名已截止，不能修改评选范围和类型。")
    if "area" in changes and "area" not in errors:
        area = changes["area"]
        if area is None or area.retired or not has_perm(actor, MANAGE, area):
            errors["area"] = _("只能在您管辖的区域发起评选。")
    if "kind" in changes and changes["kind"] not in CampaignKind.values:
        errors["kind"] = _("请选择评选类型。")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            errors["title"] = _("请填写评选名称。")
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    organization: PartyOrg | None = changes.get("organization")
    if organization is not None and (organization.retired or not has_perm(actor, MANAGE, organization.area)):
        errors["organization"] = _("请选择您管辖范围内的党组织。")
    errors.update({k: v for k, v in _rules_errors(changes, now).items() if k not in errors})
    if errors:
        raise ValidationError(errors)
    for name, value in changes.items():
        setattr(campaign, name, value)
    if changes:
        campaign.save(update_fields=list(changes))
    return campaign


@transaction.atomic
def cancel_campaign(*, actor, campaign: Campaign, reason: str, now: datetime | None = None) -> Campaign:
    """Cancel the campaign with a reason, at any step before the award. An open vote is closed through
    voting (no ballot taken from now on; its count kept as the record, no winner proposed)."""
    now = now or timezone.now()
    _require_manage(actor, campaign)
    campaign = _lock(campaign)
    _state(
        campaign,
        CampaignStatus.NOMINATING,
        CampaignStatus.REVIEWING,
        CampaignStatus.VOTING,
        CampaignStatus.PUBLICITY,
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消评选的原因。")})
    if campaign.vote is not None and campaign.vote.status == VoteStatus.PUBLISHED:
        votes.close_vote(actor=actor, vote=campaign.vote, now=now)
    campaign.nominations.filter(winner=True).update(winner=False)
    campaign.status = CampaignStatus.CANCELLED
    campaign.cancelled_at, campaign.cancelled_by, campaign.cancel_reason = now, actor, reason
    campaign.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    concerned = campaign.nominations.exclude(status=NominationStatus.WITHDRAWN)
    notify_people(
        campaign,
        people_of(concerned),
        gettext_lazy("评选活动“%(title)s”已取消：%(reason)s"),
        actor=actor,
        reason=reason,
    )
    return campaign


def _may_change(actor, nomination: Nomination) -> bool:
    return actor.pk is not None and actor.pk in (nomination.nominated_by_id, nomination.nominee_user_id)


@transaction.atomic
def withdraw_nomination(*, actor, nomination: Nomination, now: datetime | None = None) -> Nomination:
    """The nominator (or the resident nominated) withdraws the nomination before the vote opens; it
    leaves the review and the ballot, and the same community or resident may be nominated again."""
    now = now or timezone.now()
    campaign = _lock(nomination.campaign)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not _may_change(actor, nomination):
        raise PermissionDenied(_("只有提名人或被提名居民本人可以撤回提名。"))
    _state(campaign, *BEFORE_VOTE)
    if nomination.status == NominationStatus.WITHDRAWN:
        raise ValidationError(_("该提名已撤回。"), code="withdrawn")
    nomination.status, nomination.withdrawn_at = NominationStatus.WITHDRAWN, now
    nomination.save(update_fields=["status", "withdrawn_at"])
    return nomination


@transaction.atomic
def add_materials(*, actor, nomination: Nomination, materials: Iterable) -> Nomination:
    """More materials for a nomination (its nominator, the resident nominated or the campaign's staff),
    until the review ends; each checked by its content, five in all at most."""
    campaign = _lock(nomination.campaign)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not (_may_change(actor, nomination) or may_manage(actor, campaign)):
        raise PermissionDenied(missing_permission_message(MANAGE, campaign.area))
    _state(campaign, *BEFORE_VOTE)
    if nomination.status == NominationStatus.WITHDRAWN:
        raise ValidationError(_("该提名已撤回。"), code="withdrawn")
    errors: dict = {}
    files = [f for f in materials if f]
    if not files:
        errors["materials"] = _("请选择要上传的材料。")
    checked = check_materials(files, errors, kept=nomination.materials.count())
    if errors:
        raise ValidationError(errors)
    store_materials(nomination, checked, actor)
    return nomination
