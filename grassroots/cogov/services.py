"""Actions of co-governance: one function per action, keyword-only, atomic; refusals are ValidationErrors
keyed by field (or PermissionDenied naming what is missing). Used by the pages, the API, the demo and
the tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import COMMUNITY_STAFF, Role, missing_permission_message
from grassroots.areas.models import Level
from grassroots.areas.subtree import ancestor_paths
from grassroots.cogov import selectors
from grassroots.cogov.models import (
    EXPIRY_NOTICE_DAYS,
    FROM_ENTITY_KIND,
    Agreement,
    Availability,
    Commitment,
    Partner,
    Resource,
    Side,
    Volunteer,
)
from grassroots.cogov.selectors import MANAGE, OFFER, VOLUNTEER
from grassroots.files.checks import check_optional
from grassroots.portal.submissions import create_once
from grassroots.workflow.services import notify

PARTNER_FIELDS = (
    "name",
    "kind",
    "area",
    "address",
    "entity",
    "party_org",
    "contact_name",
    "contact_phone",
    "note",
)


def _require(actor, permission: str, target=None) -> None:
    if not has_perm(actor, permission, target):
        raise PermissionDenied(missing_permission_message(permission, target))


# --- partners ----------------------------------------------------------------------------------------------
@transaction.atomic
def save_partner(*, actor, partner: Partner | None = None, representatives=None, **fields) -> Partner:
    """Create a partner (`partner` None) or change one. A partner made from an emerging-sector entity takes
    the entity's name, place and kind (the entity stays the one record of the body); its Party organization is
    the one that registers with communities (dual registration). The actor keeps the partner's area and the
    linked entity and organization (`cogov.manage`); representatives hold the partner representative role on
    an area the actor keeps."""
    _require(actor, MANAGE)
    if partner is not None:
        _require(actor, MANAGE, partner.area)
    record = partner or Partner(created_by=actor)
    data = {name: fields.get(name, getattr(record, name, None)) for name in PARTNER_FIELDS}
    errors = {}
    entity = data["entity"]
    if entity is not None:
        if not selectors.linkable_entities(actor, record).filter(pk=entity.pk).exists():
            errors["entity"] = _("只能选择您负责区域内、尚未登记为共建单位的新兴领域单位。")
        else:
            data["name"], data["area"] = entity.name, entity.area
            data["kind"] = data["kind"] or FROM_ENTITY_KIND.get(entity.kind, "other")
    if not (data["name"] or "").strip():
        errors["name"] = _("请填写单位名称。")
    if not data["kind"]:
        errors["kind"] = _("请选择单位类型。")
    area = data["area"]
    if area is None or not has_perm(actor, MANAGE, area):
        errors.setdefault("area", _("只能登记在您负责的区域内的单位。"))
    elif area.retired:
        errors["area"] = _("该区域已撤销。")
    org = data["party_org"]
    if org is not None and not selectors.linkable_party_orgs(actor, record).filter(pk=org.pk).exists():
        errors["party_org"] = _("只能选择您负责区域内、尚未对应其他共建单位的党组织。")
    people = list(representatives) if representatives is not None else None
    if people:
        allowed = set(
            selectors.representative_candidates(actor)
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        if any(p.pk not in allowed for p in people):
            errors["representatives"] = _("单位代表须是您负责区域内持有“共建单位代表”角色的账号。")
    if errors:
        raise ValidationError(errors)
    for name, value in data.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("该区域已有同名的共建单位。")}) from exc
    if people is not None:
        record.representatives.set(people)
    return record


def may_offer(actor, partner: Partner) -> bool:
    """May `actor` keep the resources of `partner`: its keepers, or its representatives."""
    return has_perm(actor, MANAGE, partner.area) or has_perm(actor, OFFER, partner)


@transaction.atomic
def set_resource(
    *, actor, partner: Partner, kind: str, name: str, quantity: Decimal, unit: str = "", note: str = ""
) -> Resource:
    """Add a resource the partner offers, or change the quantity of the one with the same kind and name."""
    if not may_offer(actor, partner):
        raise PermissionDenied(missing_permission_message(OFFER, partner))
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写资源名称，如“会议室”“法律咨询”。")
    if quantity is None or quantity <= 0:
        errors["quantity"] = _("数量须大于 0。")
    if errors:
        raise ValidationError(errors)
    resource, _created = Resource.objects.update_or_create(
        partner=partner,
        kind=kind,
        name=name,
        defaults={"quantity": quantity, "unit": (unit or "").strip(), "note": (note or "").strip()},
    )
    return resource


@transaction.atomic
def remove_resource(*, actor, resource: Resource) -> None:
    if not may_offer(actor, resource.partner):
        raise PermissionDenied(missing_permission_message(OFFER, resource.partner))
    resource.delete()


# --- volunteers --------------------------------------------------------------------------------------------
def _community_of(area):
    from grassroots.areas.models import Area

    if area is None or area.level < Level.COMMUNITY:
        return None
    if area.level == Level.COMMUNITY:
        return area
    return Area.objects.filter(path__in=ancestor_paths([area.path]), level=Level.COMMUNITY).first()


@transaction.atomic
def sign_up_volunteer(
    *, actor, person=None, skills: list[str] | None = None, availability: list[str] | None = None
) -> Volunteer:
    """Sign `person` (default: the actor themself) up as a volunteer of the community they live in, or change
    their skills and availability (a volunteer who had left is back on the roll). A resident or member signs
    themself up; the community's staff sign up the people living in their community."""
    person = person or actor
    if person == actor:
        _require(actor, VOLUNTEER)
    elif not (has_perm(actor, MANAGE, person.home_area) if person.home_area else False):
        raise ValidationError({"person": _("只能为居住在您负责社区的居民登记志愿者。")})
    community = _community_of(person.home_area)
    if community is None:
        raise ValidationError({"person": _("请先登记居住地址（所在社区），再报名志愿者。")})
    skills = [s.strip() for s in (skills or []) if s and s.strip()]
    if not skills:
        raise ValidationError({"skills": _("请至少填写一项技能特长，如“医疗护理”“文艺”“理发”。")})
    if any(len(s) > 20 for s in skills) or len(skills) > 10:
        raise ValidationError({"skills": _("技能特长最多 10 项，每项不超过 20 个字。")})
    known = set(Availability.values)
    availability = [a for a in dict.fromkeys(availability or []) if a]
    if any(a not in known for a in availability):
        raise ValidationError({"availability": _("可服务时间的选项无效。")})
    volunteer, created = Volunteer.objects.get_or_create(
        user=person,
        defaults={"area": community, "skills": skills, "availability": availability, "signed_up_by": actor},
    )
    if not created:
        volunteer.area, volunteer.skills, volunteer.availability, volunteer.active = (
            community,
            skills,
            availability,
            True,
        )
        volunteer.save(update_fields=["area", "skills", "availability", "active"])
    return volunteer


@transaction.atomic
def leave_volunteering(*, actor, volunteer: Volunteer) -> Volunteer:
    """The volunteer leaves the roll (their hours stay): themself, or their community's staff."""
    if volunteer.user_id != actor.pk and not has_perm(actor, MANAGE, volunteer.area):
        raise PermissionDenied(missing_permission_message(MANAGE, volunteer.area))
    volunteer.active = False
    volunteer.save(update_fields=["active"])
    return volunteer


# --- agreements --------------------------------------------------------------------------------------------
def _clean_commitments(commitments) -> list[tuple[str, str]]:
    rows = [(side, (text or "").strip()) for side, text in commitments or []]
    rows = [(side, text) for side, text in rows if text]
    errors = []
    if any(side not in Side.values for side, _text in rows):
        errors.append(_("承诺方无效。"))
    if any(len(text) > 300 for _side, text in rows):
        errors.append(_("每项承诺不超过 300 个字。"))
    for side in Side:
        if not any(s == side for s, _text in rows):
            errors.append(_("请列出%(side)s的承诺事项。") % {"side": side.label})
    if errors:
        raise ValidationError({"commitments": errors})
    return rows


@transaction.atomic
def sign_agreement(
    *,
    actor,
    party_org,
    partner: Partner,
    title: str,
    starts_on: date,
    ends_on: date,
    signed_on: date,
    commitments,
    file=None,
    renewed_from: Agreement | None = None,
    submission: str = "",
) -> Agreement:
    """Record a co-building agreement the street's or community's Party organization signed with a partner:
    each side's commitments as listed items, the term, the signed date and (optionally) the signed file.
    `submission`: the form's token — the same form posted again (a double click) gives the agreement it made,
    its file not stored twice (portal/submissions.py)."""
    errors = {}
    if party_org is None or not selectors.signing_orgs(actor).filter(pk=party_org.pk).exists():
        errors["party_org"] = _("只能以您负责的街道或社区党组织签订共建协议。")
    if partner is None or not selectors.signable_partners(actor).filter(pk=partner.pk).exists():
        errors["partner"] = _("请选择您可见的、未退出的共建单位。")
    if not (title or "").strip():
        errors["title"] = _("请填写协议名称。")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("截止日期不能早于开始日期。")
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = _("签订日期不能晚于今天。")
    try:
        rows = _clean_commitments(commitments)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    checked = check_optional(file, errors)
    if errors:
        raise ValidationError(errors)
    agreement = Agreement(
        party_org=party_org,
        partner=partner,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        renewed_from=renewed_from,
        created_by=actor,
    )

    def create(token: str) -> Agreement:
        agreement.submission = token
        if checked is not None:
            agreement.file_name = getattr(file, "name", "")[:200]
            agreement.file.save(checked.name, checked, save=False)
        agreement.save()
        Commitment.objects.bulk_create(
            Commitment(agreement=agreement, side=side, text=text, position=i)
            for i, (side, text) in enumerate(rows)
        )
        return agreement

    return create_once(Agreement, submission=submission, create=create, created_by=actor)


@transaction.atomic
def renew_agreement(
    *, actor, agreement: Agreement, ends_on: date, signed_on: date, file=None, commitments=None
) -> Agreement:
    """Renew an agreement for a new term starting the day after it ends (or today, when it has ended): a new
    agreement with the same sides and, unless others are given, the same commitments. Once per agreement."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if Agreement.objects.filter(renewed_from=agreement).exists():
        raise ValidationError({"ends_on": _("该协议已续签。")})
    if agreement.terminated_on is not None:
        raise ValidationError({"ends_on": _("该协议已终止，请重新签订。")})
    starts_on = max(agreement.ends_on + timedelta(days=1), timezone.localdate())
    if ends_on is None or ends_on < starts_on:
        raise ValidationError({"ends_on": _("续签的截止日期须晚于 %(day)s。") % {"day": starts_on}})
    if commitments is None:
        commitments = [(c.side, c.text) for c in agreement.commitments.all()]
    return sign_agreement(
        actor=actor,
        party_org=agreement.party_org,
        partner=agreement.partner,
        title=agreement.title,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        commitments=commitments,
        file=file,
        renewed_from=agreement,
    )


@transaction.atomic
def end_agreement(*, actor, agreement: Agreement, reason: str, on: date | None = None) -> Agreement:
    """End an agreement before its term (the reason required)."""
    _require(actor, MANAGE, agreement.party_org.area)
    if agreement.terminated_on is not None or agreement.ends_on < timezone.localdate():
        raise ValidationError({"reason": _("该协议已结束。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明终止原因。")})
    agreement.terminated_on = on or timezone.localdate()
    agreement.end_reason = reason.strip()
    agreement.save(update_fields=["terminated_on", "end_reason"])
    return agreement


def _community_staff(path: str) -> list[int]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            grants__role__in=COMMUNITY_STAFF | {Role.STREET_OFFICIAL},
            grants__area__path__in=ancestor_paths([path]),
            grants__area__retired=False,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def remind_expiring_agreements(*, today: date | None = None) -> int:
    """Remind the signing organization's secretary, the staff of its area (community staff, street officials)
    and the partner's representatives of each agreement ending within EXPIRY_NOTICE_DAYS days (not renewed,
    not ended); once per agreement and end date, however often it runs. Returns how many were reminded."""
    today = today or timezone.localdate()
    due = (
        Agreement.objects.filter(
            terminated_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS),
            renewal__isnull=True,
        )
        .select_related("party_org", "party_org__area", "partner")
        .order_by("ends_on", "pk")
    )
    reminded = 0
    for agreement in due:
        if agreement.reminded_for == agreement.ends_on:
            continue
        with transaction.atomic():
            claimed = Agreement.objects.filter(pk=agreement.pk).exclude(reminded_for=agreement.ends_on)
            if not claimed.update(reminded_for=agreement.ends_on):
                continue
            recipients = {agreement.party_org.secretary_id, *_community_staff(agreement.party_org.area.path)}
            recipients |= set(agreement.partner.representatives.values_list("pk", flat=True))
            verb = _("共建协议“%(title)s”（%(partner)s）将于%(day)s到期，请及时续签或办理终止。") % {
                "title": agreement.title,
                "partner": agreement.partner.name,
                "day": agreement.ends_on,
            }
            notify(recipients=recipients, verb=verb, target=agreement, url=agreement.get_absolute_url())
            reminded += 1
    return reminded
