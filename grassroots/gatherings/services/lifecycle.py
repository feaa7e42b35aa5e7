"""Creating, changing, cancelling and closing a gathering, and what is recorded about it afterwards
(minutes, decisions, photos). Every function is keyword-only and atomic; the actor needs gatherings.manage on
the gathering's area."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from grassroots.areas.models import Area, PartyOrg
from grassroots.files.checks import IMAGES, check_upload
from grassroots.gatherings.kinds import validate_kind
from grassroots.gatherings.models import Decision, Gathering, Photo, Status, Visibility
from grassroots.gatherings.services._common import (
    lock,
    notify_about,
    require_manage,
    require_not_cancelled,
    require_started,
)

# Fields `update_gathering` may change.
EDITABLE_FIELDS = (
    "kind",
    "title",
    "area",
    "party_org",
    "starts_at",
    "ends_at",
    "place",
    "description",
    "visibility",
    "capacity",
    "signup_open",
    "signup_deadline",
)
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _validate(gathering: Gathering, actor) -> None:
    """Field rules shared by create and update; errors are attached to the field that caused them."""
    errors: dict[str, str] = {}
    try:
        validate_kind(gathering.kind)
    except ValidationError as exc:
        errors["kind"] = exc.messages[0]
    if not gathering.title.strip():
        errors["title"] = _("请填写名称。")
    if gathering.ends_at <= gathering.starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    if gathering.signup_deadline and gathering.signup_deadline > gathering.ends_at:
        errors["signup_deadline"] = _("报名截止时间不能晚于结束时间。")
    if gathering.capacity is not None and gathering.capacity < 1:
        errors["capacity"] = _("名额至少为 1 人；不限人数请留空。")
    if gathering.visibility not in Visibility.values:
        errors["visibility"] = _("请选择公开范围。")
    if gathering.area.retired:
        errors["area"] = _("该区域已撤销。")
    party_org = gathering.party_org
    if party_org is not None and (party_org.retired or not party_org.area.covers(gathering.area)):
        errors["party_org"] = _("组织党组织必须是本区域或上级区域的党组织。")
    if errors:
        raise ValidationError(errors)
    require_manage(actor, gathering.area)


@transaction.atomic
def create_gathering(
    *,
    actor,
    kind: str,
    title: str,
    area: Area,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    description: str = "",
    visibility: str = Visibility.PUBLIC,
    capacity: int | None = None,
    signup_open: bool = False,
    signup_deadline: datetime | None = None,
    party_org: PartyOrg | None = None,
    organizer=None,
) -> Gathering:
    gathering = Gathering(
        kind=kind,
        title=title.strip(),
        area=area,
        organizer=organizer or actor,
        party_org=party_org,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=description,
        visibility=visibility,
        capacity=capacity,
        signup_open=signup_open,
        signup_deadline=signup_deadline,
    )
    _validate(gathering, actor)
    gathering.save()
    return gathering


@transaction.atomic
def update_gathering(*, actor, gathering: Gathering, **changes) -> Gathering:
    """Change the editable fields of a planned gathering (see EDITABLE_FIELDS)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_gathering() cannot change {sorted(unknown)}")
    require_manage(actor, gathering.area)  # on the area it has now …
    gathering = lock(gathering)
    if gathering.status != Status.PLANNED:
        raise ValidationError(_("只有计划中的会议活动可以修改。"), code="not_planned")
    for field, value in changes.items():
        setattr(gathering, field, value.strip() if field == "title" else value)
    _validate(gathering, actor)  # … and on the area it gets
    if gathering.capacity is not None:
        taken = gathering.participants.filter(signed_up_at__isnull=False).count()
        if gathering.capacity < taken:
            raise ValidationError(
                {"capacity": _("名额不能少于已报名人数（%(count)d 人）。") % {"count": taken}}
            )
    gathering.save()
    return gathering


def _participant_users(gathering: Gathering) -> list[int]:
    return list(gathering.participants.values_list("user_id", flat=True))


@transaction.atomic
def cancel_gathering(*, actor, gathering: Gathering, reason: str = "") -> Gathering:
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    if gathering.status != Status.PLANNED:
        raise ValidationError(_("只有计划中的会议活动可以取消。"), code="not_planned")
    gathering.status = Status.CANCELLED
    gathering.cancel_reason = reason.strip()[:200]
    gathering.save(update_fields=["status", "cancel_reason", "updated_at"])
    notify_about(
        gathering, recipients=_participant_users(gathering), verb=gettext_noop("会议活动已取消：%(title)s")
    )
    return gathering


@transaction.atomic
def mark_held(*, actor, gathering: Gathering, now: datetime | None = None) -> Gathering:
    require_manage(actor, gathering.area)
    now = now or timezone.now()
    gathering = lock(gathering)
    if gathering.status != Status.PLANNED:
        raise ValidationError(_("只有计划中的会议活动可以标记为已召开。"), code="not_planned")
    require_started(gathering, now)
    gathering.status = Status.HELD
    gathering.held_at = now
    gathering.save(update_fields=["status", "held_at", "updated_at"])
    return gathering


@transaction.atomic
def record_minutes(*, actor, gathering: Gathering, minutes: str) -> Gathering:
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    gathering.minutes = minutes.strip()
    gathering.save(update_fields=["minutes", "updated_at"])
    return gathering


@transaction.atomic
def add_decision(
    *, actor, gathering: Gathering, text: str, owner=None, due_on: date | None = None
) -> Decision:
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    if not text.strip():
        raise ValidationError({"text": _("请填写决定事项。")})
    return Decision.objects.create(
        gathering=gathering, text=text.strip(), owner=owner, due_on=due_on, created_by=actor
    )


def clean_image(upload: UploadedFile):
    """The photo to store: a real JPEG, PNG, GIF or WebP of at most 10 MB, decoded and re-encoded without
    its metadata (files.checks: by its content, not its name); else ValidationError on "image"."""
    try:
        return check_upload(upload, allowed=IMAGES, max_bytes=MAX_PHOTO_BYTES)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc


@transaction.atomic
def add_photo(*, actor, gathering: Gathering, image: UploadedFile, caption: str = "") -> Photo:
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    image = clean_image(image)
    photo = Photo(gathering=gathering, caption=caption.strip()[:200], uploaded_by=actor)
    photo.image.save(image.name, image, save=False)
    photo.save()
    return photo
