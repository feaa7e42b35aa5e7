"""Actions of selection campaigns (评选). Keyword-only and atomic; refusals are ValidationErrors keyed by
field (Chinese messages) or PermissionDenied. The public vote is a `grassroots.voting` vote (purpose
"virtue"): ballots, the window, the electorate, one ballot per voter, one mark per candidate and the
chain are voting's.

Steps: `create_campaign` → `nominate` (verified residents of the area, or for a Party organization inside
it by those who act for it) → `close_nominations` (or the clock at the deadline) → `review_nomination` →
`open_vote` → `cast_vote` → `start_publicity` (the vote closed; winners the most voted) →
`raise_objection` / `answer_objection` → `award` (after the publicity, every objection answered; the clock
awards when none was raised or all are answered). Changes on the way (services_campaign_changes):
`update_campaign`, `cancel_campaign`, `withdraw_nomination`, `add_materials`.

Each step tells the people it concerns by an in-app notification on commit (`notify_people`): the nominator
and the nominee (a resident) of a nomination accepted or refused; of every candidate when the vote opens,
the publicity starts and the campaign is awarded; of every nomination when the campaign is cancelled; the
objector when the objection is answered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.accounts.services.verification import require_verified
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import lies_under
from grassroots.files.checks import ATTACHMENTS, MAX_ATTACHMENT_BYTES, check_upload
from grassroots.portal.submissions import create_once
from grassroots.virtue.models_campaigns import (
    PUBLICITY_DAYS,
    Campaign,
    CampaignKind,
    CampaignStatus,
    Nomination,
    NominationMaterial,
    NominationStatus,
    Objection,
)
from grassroots.virtue.models_points import PointsRule
from grassroots.virtue.selectors_campaigns import nominating_orgs
from grassroots.virtue.services_points import award_points
from grassroots.voting.models import Electorate, Majority, VoteStatus
from grassroots.voting.services import ballots, votes
from grassroots.workflow.services import notify

MANAGE = "virtue.manage"
PURPOSE = "virtue"
MAX_MATERIALS = 5
CAMPAIGN_FIELDS = (
    "area",
    "organization",
    "kind",
    "title",
    "description",
    "places",
    "votes_per_voter",
    "nominations_close_at",
    "publicity_days",
)


def may_manage(actor, campaign: Campaign) -> bool:
    return has_perm(actor, MANAGE, campaign.area)


def _require_manage(actor, campaign: Campaign) -> None:
    if not may_manage(actor, campaign):
        raise PermissionDenied(missing_permission_message(MANAGE, campaign.area))


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("area", "vote").get(pk=campaign.pk)


def _lives_in(user, area: Area) -> bool:
    home = getattr(user, "home_area", None)
    return home is not None and lies_under(home.path, area.path)


def people_of(nominations: Iterable[Nomination]) -> set[int]:
    """The users a nomination concerns: who put it forward and the resident nominated."""
    ids = set()
    for nomination in nominations:
        ids.update(pk for pk in (nomination.nominated_by_id, nomination.nominee_user_id) if pk)
    return ids


def notify_people(campaign: Campaign, recipients, verb, *, actor=None, target=None, **params) -> None:
    """An in-app notification (on commit, the workflow part's) of a campaign's step, in the site's language;
    `verb` a lazy message with %(title)s and `params`. The actor is not told of their own step."""
    skip = getattr(actor, "pk", None)
    with translation.override(settings.LANGUAGE_CODE):
        text = str(verb) % {"title": campaign.title, **params}
    target = target or campaign
    notify(
        recipients=[r for r in recipients if r is not None and getattr(r, "pk", r) != skip],
        verb=text,
        target=target,
        url=target.get_absolute_url(),
    )


def _state(campaign: Campaign, *allowed: str) -> None:
    if campaign.status not in allowed:
        raise ValidationError(
            _("评选活动当前处于“%(status)s”阶段，不能进行此操作。")
            % {"status": campaign.get_status_display()},
            code="state",
        )


# --- the campaign -----------------------------------------------------------------------------------------
@transaction.atomic
def create_campaign(
    *,
    actor,
    area: Area,
    kind: str,
    title: str,
    places: int,
    nominations_close_at: datetime,
    votes_per_voter: int = 1,
    publicity_days: int = PUBLICITY_DAYS,
    description: str = "",
    organization: PartyOrg | None = None,
    now: datetime | None = None,
    submission: str = "",
) -> Campaign:
    """A campaign of `area` (within the actor's grant), open for nominations until `nominations_close_at`.
    `submission`: the form's token — the same form posted again (a double click) gives the campaign it made
    (portal/submissions.py)."""
    now = now or timezone.now()
    errors = {}
    if area is None or not has_perm(actor, MANAGE, area):
        if not has_perm(actor, MANAGE):
            raise PermissionDenied(missing_permission_message(MANAGE))
        errors["area"] = _("只能在您管辖的区域发起评选。")
    elif area.retired:
        errors["area"] = _("该区域已撤销。")
    if kind not in CampaignKind.values:
        errors["kind"] = _("请选择评选类型。")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写评选名称。")
    if not places or places < 1:
        errors["places"] = _("评选名额至少为 1。")
    if not votes_per_voter or votes_per_voter < 1:
        errors["votes_per_voter"] = _("每人可投票数至少为 1。")
    if nominations_close_at is None or nominations_close_at <= now:
        errors["nominations_close_at"] = _("提名截止时间须晚于现在。")
    if publicity_days is None or publicity_days < PUBLICITY_DAYS:
        errors["publicity_days"] = _("公示期不少于 %(days)d 天。") % {"days": PUBLICITY_DAYS}
    if organization is not None and (organization.retired or not has_perm(actor, MANAGE, organization.area)):
        errors["organization"] = _("请选择您管辖范围内的党组织。")
    if errors:
        raise ValidationError(errors)

    def create(token: str) -> Campaign:
        return Campaign.objects.create(
            area=area,
            organization=organization,
            kind=kind,
            title=title,
            description=(description or "").strip(),
            places=places,
            votes_per_voter=votes_per_voter,
            nominations_close_at=nominations_close_at,
            publicity_days=publicity_days,
            created_by=actor,
            submission=token,
        )

    return create_once(Campaign, submission=submission, create=create, created_by=actor)


# --- nominations ------------------------------------------------------------------------------------------
def check_materials(materials: Iterable, errors: dict, *, kept: int = 0) -> list:
    files = [f for f in materials if f]
    if len(files) + kept > MAX_MATERIALS:
        errors["materials"] = _("提名材料最多 %(count)d 个。") % {"count": MAX_MATERIALS}
        return []
    checked, messages = [], []
    for upload in files:
        try:
            checked.append(check_upload(upload, allowed=ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES))
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        errors["materials"] = messages
    return checked


def store_materials(nomination: Nomination, checked: list, actor) -> None:
    for upload in checked:
        material = NominationMaterial(
            nomination=nomination,
            name=str(getattr(upload, "name", ""))[:200],
            size=getattr(upload, "size", 0) or 0,
            uploaded_by=actor,
        )
        material.file.save(upload.name, upload, save=False)
        material.save()


@transaction.atomic
def nominate(
    *,
    actor,
    campaign: Campaign,
    reason: str,
    nominee: str = "",
    nominee_area: Area | None = None,
    nominee_user=None,
    nominating_org: PartyOrg | None = None,
    materials: Iterable = (),
    now: datetime | None = None,
) -> Nomination:
    """A nomination with its materials. By a Party organization (`nominating_org`): the nominator acts for
    it (`virtue.manage` on its area) and it lies inside the campaign's area
    (`selectors_campaigns.nominating_orgs`); the campaign's staff always nominate for one. Anyone else must
    be a verified resident of the campaign's area. A model integrity community names the community
    (`nominee_area`); a person may be named as a resident (`nominee_user`)."""
    now = now or timezone.now()
    campaign = _lock(campaign)
    staff = may_manage(actor, campaign)
    if nominating_org is None and not staff:
        require_verified(actor)
        if not _lives_in(actor, campaign.area):
            raise PermissionDenied(_("只有本区域已实名核验的居民或评选组织单位可以提名。"))
    _state(campaign, CampaignStatus.NOMINATING)
    if now >= campaign.nominations_close_at:
        raise ValidationError(_("提名已截止。"), code="closed")
    errors = {}
    if nominating_org is None:
        if staff:
            errors["nominating_org"] = _("请选择提名单位。")
    elif not nominating_orgs(actor, campaign).filter(pk=nominating_org.pk).exists():
        errors["nominating_org"] = ValidationError(
            _("只能以您所在的、位于本评选范围内的党组织名义提名。"), code="org_outside"
        )
    if campaign.kind == CampaignKind.INTEGRITY_COMMUNITY:
        if nominee_area is None:
            errors["nominee_area"] = _("请选择被提名的社区。")
        elif (
            nominee_area.level != Level.COMMUNITY
            or nominee_area.retired
            or not lies_under(nominee_area.path, campaign.area.path)
        ):
            errors["nominee_area"] = _("只能提名本评选范围内的社区。")
        else:
            nominee = nominee_area.name
        nominee_user = None
    else:
        nominee_area = None
        if nominee_user is not None:
            if not _lives_in(nominee_user, campaign.area):
                errors["nominee_user"] = _("被提名居民须居住在本评选范围内。")
            elif not (nominee or "").strip():
                nominee = nominee_user.display_name
    nominee = (nominee or "").strip()
    if not nominee and "nominee_area" not in errors:
        errors["nominee"] = _("请填写被提名人或集体的名称。")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写推荐理由和事迹。")
    checked = check_materials(materials, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                campaign=campaign,
                nominee=nominee[:100],
                nominee_area=nominee_area,
                nominee_user=nominee_user,
                reason=reason,
                nominating_org=nominating_org,
                nominated_by=actor,
            )
    except IntegrityError:
        field = "nominee_area" if nominee_area is not None else "nominee_user"
        raise ValidationError({field: ValidationError(_("该对象已被提名。"), code="duplicate")}) from None
    store_materials(nomination, checked, actor)
    return nomination


@transaction.atomic
def close_nominations(*, actor, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """End the nominations (early, or after the deadline) and start the qualification review."""
    now = now or timezone.now()
    _require_manage(actor, campaign)
    campaign = _lock(campaign)
    _state(campaign, CampaignStatus.NOMINATING)
    campaign.status = CampaignStatus.REVIEWING
    if campaign.nominations_close_at > now:
        campaign.nominations_close_at = now
    campaign.save(update_fields=["status", "nominations_close_at"])
    return campaign


@transaction.atomic
def review_nomination(*, actor, nomination: Nomination, qualified: bool, reason: str = "") -> Nomination:
    """Qualification review (资格审查): accept, or reject with the reason; may be revised until the vote."""
    campaign = _lock(nomination.campaign)
    _require_manage(actor, campaign)
    _state(campaign, CampaignStatus.NOMINATING, CampaignStatus.REVIEWING)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    reason = (reason or "").strip()
    if not qualified and not reason:
        raise ValidationError({"reason": _("请填写不通过资格审查的理由。")})
    nomination.status = NominationStatus.QUALIFIED if qualified else NominationStatus.REJECTED
    nomination.review_reason = reason
    nomination.reviewed_by, nomination.reviewed_at = actor, timezone.now()
    nomination.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    if qualified:
        verb = gettext_lazy("您在“%(title)s”中的提名“%(nominee)s”已通过资格审查。")
    else:
        verb = gettext_lazy("您在“%(title)s”中的提名“%(nominee)s”未通过资格审查：%(reason)s")
    notify_people(
        campaign,
        people_of([nomination]),
        verb,
        actor=actor,
        target=nomination,
        nominee=nomination.nominee,
        reason=reason,
    )
    return nomination


# --- the public vote --------------------------------------------------------------------------------------
@transaction.atomic
def open_vote(
    *, actor, campaign: Campaign, opens_at: datetime, closes_at: datetime, now: datetime | None = None
) -> Campaign:
    """The public vote: a voting vote of the campaign's area, its options the qualified nominations (each
    numbered), its electorate the verified residents of the area, `votes_per_voter` marks a ballot at most
    (one per candidate), secret, published at once for its window."""
    now = now or timezone.now()
    _require_manage(actor, campaign)
    campaign = _lock(campaign)
    _state(campaign, CampaignStatus.REVIEWING)
    pending = campaign.nominations.filter(status=NominationStatus.SUBMITTED).count()
    if pending:
        raise ValidationError(_("还有 %(count)d 个提名尚未审查。") % {"count": pending}, code="pending")
    candidates = list(campaign.nominations.filter(status=NominationStatus.QUALIFIED).order_by("pk"))
    if len(candidates) < 2:
        raise ValidationError(_("资格审查通过的候选对象不足两个，不能投票。"), code="candidates")
    errors = {}
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        errors["closes_at"] = _("截止时间必须晚于开始时间。")
    elif closes_at <= now:
        errors["closes_at"] = _("截止时间须晚于现在。")
    if errors:
        raise ValidationError(errors)
    for number, nomination in enumerate(candidates, start=1):
        nomination.number = number
    vote = votes.create_vote(
        actor=actor,
        area=campaign.area,
        title=campaign.title,
        description=_("评选活动“%(title)s”的群众投票：每人最多投 %(n)d 票，每个候选对象一票。")
        % {"title": campaign.title, "n": min(campaign.votes_per_voter, len(candidates))},
        purpose=PURPOSE,
        options=[n.label for n in candidates],
        electorate=Electorate.RESIDENTS,
        opens_at=opens_at,
        closes_at=closes_at,
        majority=Majority.MOST,
        quorum_percent=0,
        secret=True,
        min_choices=1,
        max_choices=min(campaign.votes_per_voter, len(candidates)),
    )
    vote = votes.publish_vote(actor=actor, vote=vote, now=now)
    options = {o.label: o for o in vote.options.all()}
    for nomination in candidates:
        nomination.option = options[nomination.label]
    Nomination.objects.bulk_update(candidates, ["number", "option"])
    campaign.vote, campaign.status = vote, CampaignStatus.VOTING
    campaign.save(update_fields=["vote", "status"])
    notify_people(
        campaign,
        people_of(candidates),
        gettext_lazy("“%(title)s”的群众投票已开始，截止于 %(end)s。"),
        actor=actor,
        end=date_format(timezone.localtime(closes_at), "Y-m-d H:i"),
    )
    return campaign


@transaction.atomic
def cast_vote(*, voter, campaign: Campaign, nominations: Iterable, now: datetime | None = None):
    """The voter's ballot for up to `votes_per_voter` candidates (nominations or their ids), one mark each:
    voting's `cast_ballot` (its window, electorate, one ballot per voter in the database). Returns (ballot,
    receipt code)."""
    require_verified(voter)
    campaign = Campaign.objects.select_related("vote").get(pk=campaign.pk)
    if campaign.vote is None:
        raise ValidationError(_("投票尚未开始。"), code="not_open")
    ids = []
    for item in nominations:
        try:
            ids.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            raise ValidationError(
                {"nominations": ValidationError(_("候选对象无效。"), code="invalid")}
            ) from None
    if len(set(ids)) != len(ids):
        raise ValidationError(
            {"nominations": ValidationError(_("同一候选对象只能投一票。"), code="duplicate")}
        )
    options = dict(
        campaign.nominations.filter(pk__in=ids, option__isnull=False).values_list("pk", "option_id")
    )
    if len(options) != len(ids):
        raise ValidationError({"nominations": ValidationError(_("候选对象无效。"), code="invalid")})
    try:
        return ballots.cast_ballot(
            voter=voter, vote=campaign.vote, option_ids=[options[i] for i in ids], now=now
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "options" in exc.error_dict:
            raise ValidationError({"nominations": exc.error_dict["options"]}) from None
        raise


def _ranking(campaign: Campaign) -> list[Nomination]:
    return sorted(
        campaign.nominations.filter(option__isnull=False),
        key=lambda n: (-(n.votes or 0), n.number or 0),
    )


@transaction.atomic
def start_publicity(
    *, actor, campaign: Campaign, winners: Iterable | None = None, now: datetime | None = None
) -> Campaign:
    """After the vote's window: the vote is counted (closed, if the clock has not yet), each candidate's
    votes kept, the `places` most voted proposed, and the publicity (公示) runs `publicity_days` from now.
    A tie at the last place is settled by the organizer naming the winners (`winners`): only among the tied,
    and every candidate with more votes stays in."""
    now = now or timezone.now()
    _require_manage(actor, campaign)
    campaign = _lock(campaign)
    _state(campaign, CampaignStatus.VOTING)
    vote = campaign.vote
    if vote.status == VoteStatus.PUBLISHED:
        if now < vote.closes_at:
            raise ValidationError(_("投票尚未截止。"), code="voting")
        vote = votes.close_vote(actor=actor, vote=vote, now=now)
    counted = {row["id"]: row["votes"] for row in (vote.result or {}).get("options", [])}
    candidates = list(campaign.nominations.filter(option__isnull=False))
    for nomination in candidates:
        nomination.votes = counted.get(nomination.option_id, 0)
    ranked = sorted(candidates, key=lambda n: (-(n.votes or 0), n.number or 0))
    places = min(campaign.places, len(ranked))
    cut = ranked[places - 1].votes if places else 0
    above = {n.pk for n in ranked if n.votes > cut}
    tied = {n.pk for n in ranked if n.votes == cut}
    if winners is None:
        if len(above) + len(tied) > places:
            raise ValidationError(
                {
                    "winners": ValidationError(
                        _("末位得票相同，请在得票相同的候选对象中确定拟评定对象。"), code="tie"
                    )
                }
            )
        chosen = above | tied
    else:
        chosen = {int(getattr(w, "pk", w)) for w in winners}
        if not above <= chosen or not chosen <= above | tied or len(chosen) != places:
            raise ValidationError(
                {
                    "winners": ValidationError(
                        _(
                            "拟评定对象须按得票从多到少确定（%(places)d 名）；"
                            "只有末位得票相同时才可在其中选择。"
                        )
                        % {"places": places},
                        code="winners",
                    )
                }
            )
    for nomination in candidates:
        nomination.winner = nomination.pk in chosen
    Nomination.objects.bulk_update(candidates, ["votes", "winner"])
    campaign.status = CampaignStatus.PUBLICITY
    campaign.publicity_starts_at = now
    campaign.publicity_ends_at = now + timedelta(days=campaign.publicity_days)
    campaign.save(update_fields=["status", "publicity_starts_at", "publicity_ends_at"])
    notify_people(
        campaign,
        people_of(candidates),
        gettext_lazy("“%(title)s”的评选结果已进入公示，公示期至 %(end)s。"),
        actor=actor,
        end=date_format(timezone.localtime(campaign.publicity_ends_at), "Y-m-d H:i"),
    )
    return campaign


# --- the publicity and its objections ---------------------------------------------------------------------
@transaction.atomic
def raise_objection(
    *, actor, campaign: Campaign, text: str, nomination: Nomination | None = None, now: datetime | None = None
) -> Objection:
    """An objection to the publicised result (anyone verified who sees the campaign), during the
    publicity only."""
    now = now or timezone.now()
    require_verified(actor)
    campaign = _lock(campaign)
    if campaign.status != CampaignStatus.PUBLICITY or now >= campaign.publicity_ends_at:
        raise ValidationError(_("只能在公示期内提出异议。"), code="state")
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("请填写异议内容。")
    if nomination is not None and nomination.campaign_id != campaign.pk:
        errors["nomination"] = _("异议对象不属于本评选活动。")
    if errors:
        raise ValidationError(errors)
    return Objection.objects.create(
        campaign=campaign, nomination=nomination, text=text, raised_by=actor, raised_at=now
    )


@transaction.atomic
def answer_objection(*, actor, objection: Objection, answer: str, now: datetime | None = None) -> Objection:
    """The organizer's answer (required before the award); given once."""
    campaign = _lock(objection.campaign)
    _require_manage(actor, campaign)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_open:
        raise ValidationError(_("该异议已答复。"), code="answered")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容。")})
    objection.answer, objection.answered_by, objection.answered_at = answer, actor, now or timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    notify_people(
        campaign,
        [objection.raised_by_id],
        gettext_lazy("您对“%(title)s”提出的异议已答复。"),
        actor=actor,
        target=objection,
    )
    return objection


def _award(campaign: Campaign, actor, now: datetime) -> Campaign:
    _state(campaign, CampaignStatus.PUBLICITY)
    if now < campaign.publicity_ends_at:
        raise ValidationError(
            _("公示期至 %(end)s，期满后才能评定。")
            % {"end": date_format(timezone.localtime(campaign.publicity_ends_at), "Y-m-d H:i")},
            code="publicity",
        )
    open_count = campaign.objections.filter(answered_at__isnull=True).count()
    if open_count:
        raise ValidationError(
            _("还有 %(count)d 条异议尚未答复，不能评定。") % {"count": open_count}, code="objections"
        )
    campaign.status, campaign.awarded_at, campaign.awarded_by = CampaignStatus.AWARDED, now, actor
    campaign.save(update_fields=["status", "awarded_at", "awarded_by"])
    winners = list(campaign.nominations.filter(winner=True).select_related("nominee_user"))
    others = list(campaign.nominations.filter(option__isnull=False, winner=False))
    # an award won is a deed that earns points (issue 17): each resident who won, once per nomination
    with translation.override(settings.LANGUAGE_CODE):  # the ledger's reason in the site's language
        reason = _("评选获奖：%(title)s") % {"title": campaign.title}
    for winner in winners:
        if winner.nominee_user is not None:
            award_points(
                winner.nominee_user,
                PointsRule.AWARD,
                winner,
                area=campaign.area,
                reason=reason,
                actor=actor,
                now=now,
            )
    notify_people(
        campaign, people_of(winners), gettext_lazy("祝贺！“%(title)s”已评定，您的提名获评。"), actor=actor
    )
    notify_people(
        campaign,
        people_of(others) - people_of(winners),
        gettext_lazy("“%(title)s”已评定，评选结果已公布。"),
        actor=actor,
    )
    return campaign


@transaction.atomic
def award(*, actor, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Award the publicised winners: after the publicity, with every objection answered."""
    _require_manage(actor, campaign)
    return _award(_lock(campaign), actor, now or timezone.now())


def run_campaigns(*, now: datetime | None = None) -> dict:
    """The clock's task: nominations past their deadline go to review; a publicity that has ended with
    every objection answered is awarded (by nobody: the record says the clock did it). A campaign with an
    open objection waits for its answer. Idempotent."""
    now = now or timezone.now()
    reviewing = awarded = 0
    for pk in Campaign.objects.filter(
        status=CampaignStatus.NOMINATING, nominations_close_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = _lock(Campaign(pk=pk))
            if campaign.status == CampaignStatus.NOMINATING and campaign.nominations_close_at <= now:
                campaign.status = CampaignStatus.REVIEWING
                campaign.save(update_fields=["status"])
                reviewing += 1
    for pk in Campaign.objects.filter(
        status=CampaignStatus.PUBLICITY, publicity_ends_at__lte=now
    ).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                _award(_lock(Campaign(pk=pk)), None, now)
                awarded += 1
        except ValidationError:  # an objection still open: the organizer awards once it is answered
            continue
    return {"reviewing": reviewing, "awarded": awarded}
