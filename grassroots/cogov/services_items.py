"""Actions of the two-way service items (docs/cogov.md): the community lists and publishes its needs, a
partner commits a resource or claims shares of a need, the community accepts or declines, the partner
delivers with evidence and beneficiaries, the community confirms, the community and the residents rate.
One function per action, keyword-only, atomic; refusals are ValidationErrors keyed by field."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, represented_partner_ids
from grassroots.accounts.roles import COMMUNITY_STAFF, missing_permission_message
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.cogov import selectors_items
from grassroots.cogov.models import Agreement, Partner, Resource, ResourceKind
from grassroots.cogov.models_items import (
    Claim,
    ClaimState,
    ItemKind,
    RaterKind,
    Rating,
    ServiceItem,
    Verdict,
)
from grassroots.cogov.selectors import MANAGE
from grassroots.cogov.selectors_items import CLAIM, RATE
from grassroots.files.checks import ATTACHMENTS, check_upload
from grassroots.portal.submissions import create_once
from grassroots.workflow import services as workflow

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def community_staff_ids(path: str) -> list[int]:
    """The community's workers and secretary (grants on the community or above it are not theirs)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            grants__role__in=COMMUNITY_STAFF,
            grants__area__path__in=ancestor_paths([path]),
            grants__area__retired=False,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def _check_dates(errors: dict, year: int, starts_on: date | None, ends_on: date | None) -> None:
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and day.year != year:
            errors[name] = _("日期须在 %(year)d 年内。") % {"year": year}
    if starts_on and ends_on and ends_on < starts_on and "ends_on" not in errors:
        errors["ends_on"] = _("完成期限不能早于开始日期。")


def _check_common(errors: dict, *, title: str, category: str, shares: int, year: int) -> None:
    if not (title or "").strip():
        errors["title"] = _("请填写事项名称。")
    if category not in ResourceKind.values:
        errors["category"] = _("请选择类别。")
    if shares is None or not 1 <= shares <= 100:
        errors["shares"] = _("份数须在 1 到 100 之间。")
    this_year = timezone.localdate().year
    if year is None or not this_year - 1 <= year <= this_year + 1:
        errors["year"] = _("年度须为去年、今年或明年。")


# --- the community's needs ---------------------------------------------------------------------------------
@transaction.atomic
def save_need(
    *,
    actor,
    item: ServiceItem | None = None,
    community: Area | None = None,
    year: int | None = None,
    title: str = "",
    category: str = "",
    description: str = "",
    shares: int = 1,
    unit: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    submission: str = "",
) -> ServiceItem:
    """List a need of the community for a year (`item` None), or change one not yet claimed. The community's
    staff and the officials above (`cogov.manage` on the community). `submission`: the new need's form token
    — the same form posted again (a double click) gives the need it made (portal/submissions.py)."""
    errors: dict = {}
    if item is not None:
        item = ServiceItem.objects.select_for_update().select_related("community").get(pk=item.pk)
        if not has_perm(actor, MANAGE, item.community):
            raise PermissionDenied(missing_permission_message(MANAGE, item.community))
        if item.kind != ItemKind.NEED:
            raise ValidationError({"title": _("单位承诺的资源由该单位维护。")})
        if item.taken and shares is not None and shares < item.taken:
            errors["shares"] = _("已有 %(n)d 份被认领，份数不能少于它。") % {"n": item.taken}
        community, year = item.community, item.year
    if community is None or community.level != Level.COMMUNITY or community.retired:
        errors["community"] = _("请选择社区。")
    elif not has_perm(actor, MANAGE, community):
        errors["community"] = _("只能为您负责的社区发布需求。")
    _check_common(errors, title=title, category=category, shares=shares, year=year)
    if "year" not in errors:
        _check_dates(errors, year, starts_on, ends_on)
    if errors:
        raise ValidationError(errors)
    record = item or ServiceItem(community=community, year=year, kind=ItemKind.NEED, created_by=actor)
    record.title, record.category, record.description = title.strip(), category, (description or "").strip()
    record.shares, record.unit, record.starts_on, record.ends_on = (
        shares,
        (unit or "").strip(),
        starts_on,
        ends_on,
    )
    if item is not None:
        record.save()
        return record

    def create(token: str) -> ServiceItem:
        record.submission = token
        record.save()
        return record

    return create_once(ServiceItem, submission=submission, create=create, created_by=actor)


@transaction.atomic
def publish_item(*, actor, item: ServiceItem) -> ServiceItem:
    """Publish a need: from now on the partners it is open to see it and may claim it."""
    if not has_perm(actor, MANAGE, item.community):
        raise PermissionDenied(missing_permission_message(MANAGE, item.community))
    if item.published:
        raise ValidationError({"published": _("该事项已发布。")})
    item.published, item.published_at = True, timezone.now()
    item.save(update_fields=["published", "published_at"])
    return item


# --- the partner's side ------------------------------------------------------------------------------------
def _require_partner(actor, partner: Partner | None) -> Partner:
    if partner is None or partner.pk not in represented_partner_ids(actor, CLAIM):
        raise ValidationError({"partner": _("只能以您代表的共建单位认领或承诺。")})
    if partner.retired:
        raise ValidationError({"partner": _("该单位已退出共建。")})
    return partner


def _check_planned(errors: dict, planned_on: date | None, item_ends_on: date | None, year: int) -> None:
    today = timezone.localdate()
    if planned_on is None:
        errors["planned_on"] = _("请填写计划完成日期。")
    elif planned_on < today:
        errors["planned_on"] = _("计划完成日期不能早于今天。")
    elif item_ends_on is not None and planned_on > item_ends_on:
        errors["planned_on"] = _("计划完成日期不能晚于事项的完成期限（%(day)s）。") % {"day": item_ends_on}
    elif planned_on.year > year + 1:
        errors["planned_on"] = _("计划完成日期须在 %(year)d 年或次年内。") % {"year": year}


@transaction.atomic
def claim_need(
    *,
    actor,
    item: ServiceItem,
    partner: Partner,
    shares: int = 1,
    planned_on: date | None = None,
    note: str = "",
) -> Claim:
    """The partner claims (认领) `shares` shares of a published need it may see. The shares are taken by one
    conditional UPDATE (`taken + shares <= shares`), which the database runs one at a time per row: of two
    partners claiming the last share at the same moment, one gets it and the other a refusal naming what is
    left. The claim then waits for the community to accept it."""
    partner = _require_partner(actor, partner)
    errors: dict = {}
    if item.kind != ItemKind.NEED or not item.published:
        raise ValidationError({"item": _("只能认领已发布的社区需求。")})
    if not selectors_items.visible_items(actor).filter(pk=item.pk).exists():
        raise ValidationError({"item": _("该需求未向您的单位开放。")})
    if shares is None or shares < 1:
        errors["shares"] = _("认领份数至少为 1。")
    _check_planned(errors, planned_on, item.ends_on, item.year)
    if errors:
        raise ValidationError(errors)
    if Claim.objects.filter(item=item, partner=partner, state__in=_holding()).exists():
        raise ValidationError({"partner": _("本单位已认领该事项。")}, code="claimed")
    taken = ServiceItem.objects.filter(pk=item.pk, taken__lte=F("shares") - shares).update(
        taken=F("taken") + shares
    )
    if not taken:
        left = ServiceItem.objects.values_list("shares", "taken").get(pk=item.pk)
        open_ = left[0] - left[1]
        message = (
            _("该需求已被认领完，未能认领。")
            if open_ <= 0
            else _("该需求只剩 %(n)d 份可认领，未能认领 %(want)d 份。") % {"n": open_, "want": shares}
        )
        raise ValidationError({"shares": ValidationError(message, code="taken")})
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                item=item,
                partner=partner,
                shares=shares,
                planned_on=planned_on,
                note=(note or "").strip()[:300],
                claimed_by=actor,
            )
    except IntegrityError as exc:  # the same partner twice at the same moment
        raise ValidationError(
            {"partner": ValidationError(_("本单位已认领该事项。"), code="claimed")}
        ) from exc
    workflow.start(claim, actor=actor, comment=claim.note)
    return claim


def _holding() -> list[str]:
    from grassroots.cogov.models_items import HOLDING

    return list(HOLDING)


def open_communities(partner: Partner):
    """The live communities a partner may commit resources to: those its needs are open from (where it is
    located, below the area it is located in, or where it signed an agreement)."""
    signed = Agreement.objects.filter(partner=partner).values_list("party_org__area__path", flat=True)
    paths = [partner.area.path, *signed]
    return Area.objects.filter(
        under_q(paths, "path") | Q(path__in=ancestor_paths(paths)), level=Level.COMMUNITY, retired=False
    ).order_by("path")


@transaction.atomic
def commit_resource(
    *,
    actor,
    partner: Partner,
    community: Area | None,
    year: int | None,
    title: str = "",
    category: str = "",
    description: str = "",
    shares: int = 1,
    unit: str = "",
    planned_on: date | None = None,
    resource: Resource | None = None,
) -> Claim:
    """The partner commits (承诺) a resource to a community for a year: a line of the resources list (taken
    whole by the partner's own commitment) and the commitment, which waits for the community to accept it and
    is then delivered like a claim."""
    partner = _require_partner(actor, partner)
    errors: dict = {}
    if resource is not None:
        if resource.partner_id != partner.pk:
            errors["resource"] = _("请选择本单位登记的资源。")
        else:
            title = title or resource.name
            category = category or resource.kind
            unit = unit or resource.unit
    if community is None or not open_communities(partner).filter(pk=community.pk).exists():
        errors["community"] = _("只能向本单位所在或共建的社区承诺资源。")
    _check_common(errors, title=title, category=category, shares=shares, year=year)
    _check_planned(errors, planned_on, None, year if "year" not in errors else timezone.localdate().year)
    if errors:
        raise ValidationError(errors)
    item = ServiceItem.objects.create(
        community=community,
        year=year,
        kind=ItemKind.RESOURCE,
        title=title.strip(),
        category=category,
        description=(description or "").strip(),
        shares=shares,
        unit=(unit or "").strip(),
        taken=shares,
        ends_on=planned_on if planned_on and planned_on.year == year else None,
        partner=partner,
        resource=resource,
        published=True,
        published_at=timezone.now(),
        created_by=actor,
    )
    claim = Claim.objects.create(
        item=item, partner=partner, shares=shares, planned_on=planned_on, claimed_by=actor
    )
    workflow.start(claim, actor=actor)
    return claim


@transaction.atomic
def deliver(
    *,
    actor,
    claim: Claim,
    delivered_on: date | None,
    beneficiaries: int | None,
    note: str = "",
    evidence=None,
    comment: str = "",
    attachments=(),
) -> Claim:
    """The partner records the delivery: the day, how many people benefited, what was done and the evidence
    (a photo, a sign-in sheet: a checked file served only through the claim's scoped view); then the claim
    waits for the community's confirmation."""
    errors: dict = {}
    if delivered_on is None:
        errors["delivered_on"] = _("请填写交付日期。")
    elif delivered_on > timezone.localdate():
        errors["delivered_on"] = _("交付日期不能晚于今天。")
    elif delivered_on < timezone.localtime(claim.claimed_at).date():
        errors["delivered_on"] = _("交付日期不能早于认领日期。")
    if beneficiaries is None or beneficiaries < 0:
        errors["beneficiaries"] = _("请填写受益人数（无则填 0）。")
    checked = None
    if not evidence:
        errors["evidence"] = _("请上传佐证材料（照片、签到表等）。")
    else:
        try:
            checked = check_upload(evidence, allowed=ATTACHMENTS, max_bytes=MAX_EVIDENCE_BYTES)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    workflow.check(claim, "deliver", actor=actor, comment=comment or "-")
    if errors:
        raise ValidationError(errors)
    claim.delivered_on, claim.beneficiaries = delivered_on, beneficiaries
    claim.delivery_note = (note or "").strip()
    claim.evidence_name = getattr(evidence, "name", "")[:200]
    claim.evidence.save(checked.name, checked, save=False)
    workflow.transition(claim, "deliver", actor=actor, comment=comment, attachments=attachments)
    return claim


# --- 跟踪问效 ---------------------------------------------------------------------------------------------
def rater_kind(actor, claim: Claim) -> str | None:
    """How `actor` may rate the delivery: as the community (its staff), as a resident living in the
    community (`cogov.rate`), or not at all."""
    path = claim.item.community.path
    if any(role in COMMUNITY_STAFF and lies_under(path, [area]) for role, area in _grants(actor)):
        return RaterKind.COMMUNITY
    home = getattr(actor, "home_area", None)
    if home is not None and has_perm(actor, RATE) and lies_under(home.path, [path]):
        return RaterKind.RESIDENT
    return None


def _grants(actor) -> list[tuple[str, str]]:
    from grassroots.access.scoping import live_grants

    return live_grants(actor)


@transaction.atomic
def rate(*, actor, claim: Claim, score: int, verdict: str = "", comment: str = "") -> Rating:
    """Rate a confirmed delivery, once per rater (a database constraint): the score 1 (很不满意) to 5 (很满意)
    and the verdict 满意 / 基本满意 / 不满意 (the scale of the satisfaction rate)."""
    kind = rater_kind(actor, claim)
    if kind is None:
        raise PermissionDenied(_("只有该社区的工作人员和居民可以评价。"))
    if claim.state != ClaimState.CONFIRMED:
        raise ValidationError({"score": _("社区确认完成后才能评价。")})
    errors = {}
    if score is None or not 1 <= score <= 5:
        errors["score"] = _("满意度须为 1 到 5。")
    if verdict not in Verdict.values:
        errors["verdict"] = _("请选择满意、基本满意或不满意。")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Rating.objects.create(
                claim=claim,
                rater=actor,
                rater_kind=kind,
                score=score,
                verdict=verdict,
                comment=(comment or "").strip()[:300],
            )
    except IntegrityError as exc:
        raise ValidationError({"score": ValidationError(_("您已评价过该服务。"), code="rated")}) from exc


# --- the clock ---------------------------------------------------------------------------------------------
def late_claims_q(today: date):
    """Claims accepted and not delivered past their planned date."""
    return Q(state=ClaimState.ACCEPTED, planned_on__lt=today)


def remind_late_claims(*, today: date | None = None) -> int:
    """Each accepted claim not delivered by its planned date: the claimant's representatives and the
    community's workers and secretary are told once per planned date (`late_reminded_for`, claimed by a
    conditional UPDATE, however often the clock runs). Returns how many were reminded."""
    from grassroots.workflow.services import notify

    today = today or timezone.localdate()
    due = (
        Claim.objects.filter(late_claims_q(today))
        .exclude(late_reminded_for=F("planned_on"))
        .select_related("item", "item__community", "partner")
        .order_by("planned_on", "pk")
    )
    reminded = 0
    for claim in due:
        with transaction.atomic():
            taken = (
                Claim.objects.filter(pk=claim.pk, state=ClaimState.ACCEPTED, planned_on=claim.planned_on)
                .exclude(late_reminded_for=claim.planned_on)
                .update(late_reminded_for=claim.planned_on)
            )
            if not taken:
                continue
            verb = _("%(partner)s认领的“%(item)s”已过计划完成日期（%(day)s），尚未交付") % {
                "partner": claim.partner.name,
                "item": claim.item.title[:60],
                "day": claim.planned_on,
            }
            recipients = set(claim.partner.representatives.values_list("pk", flat=True))
            recipients |= set(community_staff_ids(claim.item.community.path))
            notify(recipients=recipients, verb=verb, target=claim, url=claim.get_absolute_url())
            reminded += 1
    return reminded
