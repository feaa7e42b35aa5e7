"""Resident registration and real-name verification, the first process on the workflow mechanism.

register_resident      a new user, a RESIDENT grant on their address, a pending ResidentVerification
resubmit_verification  the resident corrects a rejected request and sends it again
require_verified       the guard later parts call before a vote or a signature
Verifying and rejecting are plain workflow transitions ("verify", "reject"), taken through
`grassroots.workflow.services.transition` (the generic view does it for the pages).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import ResidentVerification, RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths
from grassroots.workflow import services as workflow

ADDRESS_LEVELS = (Level.COURTYARD, Level.COMPOUND, Level.BUILDING)

phone_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("请输入正确的手机号码：11 位数字，以 13–19 开头。"), code="invalid_phone"
)


class VerificationRequired(PermissionDenied):
    """The user has not been verified by their community (a 403 when it reaches a view)."""


def require_verified(user) -> None:
    """Raise VerificationRequired unless `user` has passed real-name verification. Call it before any vote
    or signature."""
    if user is None or not user.is_authenticated:
        raise VerificationRequired(_("请先登录。"))
    if not user.identity_verified:
        raise VerificationRequired(
            _("您尚未通过社区的实名核验，暂时不能投票或签署。请在“我的实名核验”中查看进度。")
        )


def address_areas():
    """The areas a resident may give as their address: live courtyards, compounds and buildings."""
    return Area.objects.filter(level__in=ADDRESS_LEVELS, retired=False)


def _check_address(area: Area) -> None:
    if area.level not in ADDRESS_LEVELS or area.retired:
        raise ValidationError({"area": _("请选择一个院落、小区或楼栋作为居住地址。")})


@transaction.atomic
def register_resident(
    *, username: str, password: str, full_name: str, phone: str, area: Area, consent: bool = False
) -> ResidentVerification:
    """Create the resident's account with a RESIDENT grant on their address, and the pending
    verification request; the verifiers of the address are notified on commit. `consent`: the person
    agreed to the privacy notice (the registration form requires it), recorded with its version."""
    _check_address(area)
    phone_validator(phone)
    user = User.objects.create_user(
        username=username, password=password, full_name=full_name, phone=phone, home_area=area
    )
    RoleGrant.objects.create(user=user, role=Role.RESIDENT, area=area)
    if consent:
        from grassroots.privacy.services import record_consent

        record_consent(user=user, purpose=_("居民注册与实名核验"))
    request = ResidentVerification.objects.create(user=user, area=area, full_name=full_name, phone=phone)
    workflow.start(request, actor=user)
    return request


@transaction.atomic
def resubmit_verification(
    request: ResidentVerification,
    *,
    actor: User,
    full_name: str,
    phone: str,
    area: Area,
    comment: str = "",
) -> ResidentVerification:
    """The resident corrects their rejected request (name, phone, address) and sends it again. A new address
    moves their RESIDENT grant with it. Raises TransitionRefused when the request is not theirs or not
    rejected."""
    _check_address(area)
    phone_validator(phone)
    old_area_id = request.area_id
    request.full_name, request.phone, request.area = full_name, phone, area
    # Checked before anything is written: nothing changes for an actor who may not resubmit.
    workflow.check(request, "resubmit", actor=actor, comment=comment)
    if area.pk != old_area_id:
        RoleGrant.objects.filter(user=request.user, role=Role.RESIDENT, area_id=old_area_id).delete()
        RoleGrant.objects.get_or_create(user=request.user, role=Role.RESIDENT, area=area)
        User.objects.filter(pk=request.user_id).update(home_area=area)
    workflow.transition(request, "resubmit", actor=actor, comment=comment)
    return request


def address_label(area: Area, ancestors: dict[str, Area], top: int = Level.COMMUNITY) -> str:
    """The address from the `top` level down, e.g. "桥楼社区 / 第一网格 / 一号院落" (ancestors by path)."""
    names = []
    for i in range(1, len(area.path) // Area.steplen):
        ancestor = ancestors.get(area.path[: i * Area.steplen])
        if ancestor is not None and ancestor.level >= top:
            names.append(ancestor.name)
    return " / ".join([*names, area.name])


def ancestors_of(areas) -> dict[str, Area]:
    """The ancestors of several areas in one query, by path."""
    paths = ancestor_paths([a.path for a in areas], include_self=False)
    if not paths:
        return {}
    return {a.path: a for a in Area.objects.filter(path__in=paths)}
