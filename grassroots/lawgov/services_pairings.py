"""Dual reporting and pairing (双报到, 结对子): a unit registers with a community (the members' dual
registration of its Party organization — the unit is 共治's partner, the one register of organizations), is
paired with the community's Party organization, or its cadre with a member or a household; commitments are
listed and services recorded; a pairing ends. One function per action, keyword-only, atomic, audited (the
models are tracked); refusals in Chinese at the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under
from grassroots.core.members.services import registration as registrations
from grassroots.lawgov.models_pairings import (
    Pairing,
    PairingCommitment,
    PairingKind,
    PairingService,
    PairingState,
)
from grassroots.portal.submissions import create_once

VIEW = "lawgov.pairings"
MANAGE = "lawgov.pair"


def require_manage(actor, community: Area) -> None:
    if not has_perm(actor, MANAGE, community):
        raise PermissionDenied(_("您无权管理该社区的结对。"))


def represents(actor, pairing: Pairing) -> bool:
    return actor is not None and pairing.partner.representatives.filter(pk=actor.pk).exists()


def may_record(actor, pairing: Pairing) -> bool:
    """Who records a service: the community's staff and officials above, the cadre, the unit's
    representatives."""
    if actor is None or not actor.is_authenticated:
        return False
    return (
        (pairing.cadre_id is not None and pairing.cadre_id == actor.pk)
        or has_perm(actor, MANAGE, pairing.community)
        or represents(actor, pairing)
    )


def register_unit(*, actor, partner, community: Area | None, services_offered: str = ""):
    """The unit's Party organization registers with the community (双报到): the members' dual registration,
    pending until the community confirms it. The unit must have its Party organization on the register."""
    if partner.party_org_id is None:
        raise ValidationError(
            {"partner": [_("该单位尚未在共建单位名录中登记其党组织，请先补充“单位党组织”。")]}
        )
    return registrations.register_org(
        actor=actor, party_org=partner.party_org, community=community, services_offered=services_offered
    )


def _lines(commitments) -> list[str]:
    if isinstance(commitments, str):
        commitments = commitments.splitlines()
    return [line.strip() for line in commitments or [] if line and line.strip()]


def _check(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    community, partner, kind = data["community"], data["partner"], data["kind"]
    if community.level != Level.COMMUNITY or community.retired:
        errors["community"] = [_("请选择一个现有的社区。")]
        return errors
    if partner.retired:
        errors["partner"] = [_("该单位已退出共建。")]
    if data["started_on"] > timezone.localdate():
        errors["started_on"] = [_("结对日期不能晚于今天。")]
    if kind == PairingKind.ORG:
        org = data.get("community_org")
        if org is None:
            errors["community_org"] = [_("单位结对须选择社区党组织。")]
        elif org.retired or not lies_under(org.area.path, community.path):
            errors["community_org"] = [_("请选择本社区的党组织。")]
        if (
            partner.party_org_id is None
            or not partner.party_org.registrations.filter(community=community, state="confirmed").exists()
        ):
            errors.setdefault("partner", []).append(_("该单位党组织尚未到这个社区报到（或报到尚未确认）。"))
    else:
        member, household = data.get("member"), data.get("household")
        if data.get("cadre") is None:
            errors["cadre"] = [_("干部结对须填写结对干部。")]
        if member is None and household is None:
            errors["member"] = [_("请选择结对的党员或家庭。")]
        if member is not None and (
            member.home_area is None or not lies_under(member.home_area.path, community.path)
        ):
            errors["member"] = [_("请选择居住在本社区的党员。")]
        if household is not None and not lies_under(household.area.path, community.path):
            errors["household"] = [_("请选择本社区的家庭。")]
    return errors


@transaction.atomic
def create_pairing(
    *,
    actor,
    kind: str,
    community: Area,
    partner,
    department: str,
    started_on: date,
    community_org=None,
    cadre=None,
    member=None,
    household=None,
    commitments=(),
    submission: str = "",
) -> Pairing:
    """Pair a unit with the community's Party organization (the unit registered and confirmed there), or
    one of its cadres with a member or household of the community; with its listed commitments.
    `submission`: the form's token — the same form posted again (a double click) gives the pairing it made
    (portal/submissions.py)."""
    require_manage(actor, community)
    data = {
        "kind": kind,
        "community": community,
        "partner": partner,
        "started_on": started_on,
        "community_org": community_org,
        "cadre": cadre,
        "member": member,
        "household": household,
    }
    errors = _check(data)
    if errors:
        raise ValidationError(errors)
    if kind == PairingKind.ORG:
        cadre = member = household = None
    else:
        community_org = None

    def create(token: str) -> Pairing:
        pairing = Pairing.objects.create(
            kind=kind,
            community=community,
            partner=partner,
            department=department,
            community_org=community_org,
            cadre=cadre,
            member=member,
            household=household,
            started_on=started_on,
            created_by=actor,
            submission=token,
        )
        for text in _lines(commitments):
            PairingCommitment.objects.create(pairing=pairing, text=text[:200])
        return pairing

    return create_once(Pairing, submission=submission, create=create, created_by=actor)


def _live(pairing: Pairing) -> Pairing:
    locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if locked.state != PairingState.ACTIVE:
        raise ValidationError(_("该结对已结束。"))
    return locked


@transaction.atomic
def add_commitment(*, actor, pairing: Pairing, text: str, submission: str = "") -> PairingCommitment:
    """`submission`: the form's token — the same form posted again gives the commitment it made."""
    if not (has_perm(actor, MANAGE, pairing.community) or represents(actor, pairing)):
        raise PermissionDenied(_("您无权为该结对添加承诺。"))
    _live(pairing)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写承诺事项。")]})

    def create(token: str) -> PairingCommitment:
        return PairingCommitment.objects.create(pairing=pairing, text=text[:200], submission=token)

    return create_once(PairingCommitment, submission=submission, create=create, pairing=pairing)


@transaction.atomic
def record_service(
    *, actor, pairing: Pairing, done_on: date, content: str, hours, submission: str = ""
) -> PairingService:
    """What was done, when, for how many hours: by the cadre, the unit's representatives or the community.
    `submission`: the form's token — the same form posted again gives the record it made."""
    if not may_record(actor, pairing):
        raise PermissionDenied(_("您无权为该结对记录服务。"))
    locked = _live(pairing)
    errors: dict[str, list[str]] = {}
    if done_on is None:
        errors["done_on"] = [_("请填写服务日期。")]
    elif done_on > timezone.localdate():
        errors["done_on"] = [_("服务日期不能晚于今天。")]
    elif done_on < locked.started_on:
        errors["done_on"] = [_("服务日期不能早于结对日期。")]
    hours = Decimal(str(hours)) if hours is not None else None
    if hours is None or hours <= 0 or hours > 24:
        errors["hours"] = [_("服务时长应大于 0 且不超过 24 小时。")]
    if not (content or "").strip():
        errors["content"] = [_("请填写服务内容。")]
    if errors:
        raise ValidationError(errors)

    def create(token: str) -> PairingService:
        return PairingService.objects.create(
            pairing=locked,
            done_on=done_on,
            content=content.strip()[:300],
            hours=hours,
            recorded_by=actor,
            submission=token,
        )

    return create_once(PairingService, submission=submission, create=create, recorded_by=actor)


@transaction.atomic
def end_pairing(*, actor, pairing: Pairing, reason: str) -> Pairing:
    require_manage(actor, pairing.community)
    locked = _live(pairing)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写结束原因。")]})
    locked.state = PairingState.ENDED
    locked.ended_on = timezone.localdate()
    locked.end_reason = reason.strip()[:200]
    locked.save(update_fields=["state", "ended_on", "end_reason"])
    pairing.refresh_from_db()
    return locked
