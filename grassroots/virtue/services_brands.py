"""Actions on culture brands and environmental actions (一化). Keyword-only and atomic; refusals are
ValidationErrors keyed by field (Chinese messages), PermissionDenied naming the missing permission.

Sign-up (capacity, deadline, cancel), the organizer's check-in (the attendance sheet) and photos are the
gatherings' own (docs/gatherings.md): nothing here signs up twice. What is added is the resident's own
check-in with the code shown on site (`check_in_with_code`) for the environmental kinds, whose plain self
check-in the gatherings refuse (`code_check_in` on the kind)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.models import Area, Level
from grassroots.gatherings.models import Gathering, Participant, Visibility
from grassroots.gatherings.services import authorized
from grassroots.virtue.brands_setup import BRAND_ACTIVITY, ENV_KINDS
from grassroots.virtue.models_brands import BrandActivity, BrandKind, CultureBrand, EnvironmentalAction

MANAGE = "virtue.manage"
BRAND_FIELDS = ("area", "kind", "name", "description")
CODE_LENGTH = 6


def _require(actor, area=None) -> None:
    if not has_perm(actor, MANAGE, area):
        raise PermissionDenied(missing_permission_message(MANAGE, area))


def _brand_errors(actor, area, kind, name) -> dict:
    errors = {}
    if area is None or not has_perm(actor, MANAGE, area):
        errors["area"] = _("只能为您管辖范围内的社区登记文化品牌。")
    elif area.level != Level.COMMUNITY:
        errors["area"] = _("文化品牌按社区登记，请选择社区。")
    elif area.retired:
        errors["area"] = _("该区域已撤销。")
    if kind not in BrandKind.values:
        errors["kind"] = _("请选择品牌类型。")
    if not (name or "").strip():
        errors["name"] = _("请填写品牌名称。")
    return errors


def _save_brand(brand: CultureBrand) -> CultureBrand:
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("本社区已有同名的文化品牌。")}) from exc
    return brand


@transaction.atomic
def create_brand(*, actor, area: Area, kind: str, name: str, description: str = "") -> CultureBrand:
    """A community's culture brand (红色文化, 道德文化 or 邻里文化): `virtue.manage` on the community."""
    _require(actor)
    errors = _brand_errors(actor, area, kind, name)
    if errors:
        raise ValidationError(errors)
    brand = CultureBrand(
        area=area, kind=kind, name=name.strip(), description=(description or "").strip(), created_by=actor
    )
    return _save_brand(brand)


@transaction.atomic
def update_brand(*, actor, brand: CultureBrand, **changes) -> CultureBrand:
    """Change a brand's community, kind, name or description (manage on the old and the new community)."""
    unknown = set(changes) - set(BRAND_FIELDS)
    if unknown:
        raise TypeError(f"update_brand() cannot change {sorted(unknown)}")
    _require(actor, brand.area)
    brand = CultureBrand.objects.select_for_update().get(pk=brand.pk)
    for field, value in changes.items():
        setattr(brand, field, value.strip() if isinstance(value, str) and field != "kind" else value)
    errors = _brand_errors(actor, brand.area, brand.kind, brand.name)
    if errors:
        raise ValidationError(errors)
    return _save_brand(brand)


@transaction.atomic
def add_brand_activity(
    *,
    actor,
    brand: CultureBrand,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    description: str = "",
    capacity: int | None = None,
    signup_open: bool = False,
) -> BrandActivity:
    """An activity of the brand: a public gathering of kind 品牌活动 in the brand's community (its page,
    sign-up, attendance sheet and photos are the gatherings')."""
    _require(actor, brand.area)
    gathering = authorized.create_gathering(  # a kind with a form of its own (kinds.OwnForm): made here
        actor=actor,
        area=brand.area,
        kind=BRAND_ACTIVITY,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        description=(description or "").strip(),
        capacity=capacity,
        signup_open=signup_open,
    )
    return BrandActivity.objects.create(brand=brand, gathering=gathering)


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


@transaction.atomic
def create_environmental_action(
    *,
    actor,
    area: Area,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    description: str = "",
    capacity: int | None = None,
    signup_deadline: datetime | None = None,
    submission: str = "",
) -> EnvironmentalAction:
    """An action of “绿美雅安·党员先行” (clean-up, waste sorting, publicity) in `area`: a public gathering
    open for sign-up (`capacity` seats, none: unlimited), with a fresh check-in code for the site.
    `submission`: the client's token — the same post again gives the action it made (its gathering's
    token, portal/submissions.py)."""
    _require(actor)
    errors = {}
    if area is None or not has_perm(actor, MANAGE, area):
        errors["area"] = _("只能在您管辖范围内组织环保行动。")
    if kind not in ENV_KINDS:
        errors["kind"] = _("请选择行动类型。")
    if errors:
        raise ValidationError(errors)
    gathering = authorized.create_gathering(  # a kind with a form of its own (kinds.OwnForm): made here
        actor=actor,
        area=area,
        kind=kind,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        description=(description or "").strip(),
        visibility=Visibility.PUBLIC,
        capacity=capacity,
        signup_open=True,
        signup_deadline=signup_deadline,
        submission=submission,
    )
    action, _created = EnvironmentalAction.objects.get_or_create(  # a repeat: the first post's gathering
        gathering=gathering, defaults={"check_in_code": new_code(), "created_by": actor}
    )
    return action


def action_of(gathering: Gathering) -> EnvironmentalAction:
    """The environmental action of a gathering of an environmental kind, made (with its code) if the gathering
    was planned on the gatherings' own page."""
    if gathering.kind not in ENV_KINDS:
        raise ValidationError(_("该会议活动不是环保行动。"), code="not_action")
    action, _created = EnvironmentalAction.objects.get_or_create(
        gathering=gathering, defaults={"check_in_code": new_code(), "created_by": gathering.organizer}
    )
    return action


@transaction.atomic
def renew_check_in_code(*, actor, gathering: Gathering) -> EnvironmentalAction:
    """A new code for the site (the old one stops working): manage on the action's area."""
    _require(actor, gathering.area)
    action = action_of(gathering)
    action.check_in_code = new_code()
    action.save(update_fields=["check_in_code"])
    return action


@transaction.atomic
def check_in_with_code(*, user, gathering: Gathering, code: str, now: datetime | None = None) -> Participant:
    """A resident checks in themselves at an environmental action with the code shown on site, from 30
    minutes before the start until the end; once (checking in again changes nothing). A wrong code is
    refused at `code` (the pages and API limit the attempts)."""
    if gathering.kind not in ENV_KINDS:
        raise ValidationError(_("该会议活动不是环保行动。"), code="not_action")
    action = EnvironmentalAction.objects.filter(gathering=gathering).first()
    code = (code or "").strip()
    if action is None or not code or not secrets.compare_digest(code, action.check_in_code):
        raise ValidationError({"code": _("签到码不正确，请核对现场公布的签到码。")})
    existing = gathering.participants.filter(user=user, present=True).first()
    if existing is not None:
        raise ValidationError(_("您已签到。"), code="already")
    return authorized.self_check_in(user=user, gathering=gathering, now=now)
