"""The entry point for other parts' services that have decided by their own rules who may act, and so do not
ask for `gatherings.manage` on the gathering's area (organizational life: a branch's secretary and the
secretary above need not hold it). Everything else is as for the page: the field rules, the row lock, the
workflow step with its checks and its log ("held" only once the gathering has begun), nothing written to a
cancelled gathering, the image checks, and attendance through the one mechanism (`attendance_recorded` on
commit, once per change).

    from grassroots.gatherings.services import authorized

    gathering = authorized.create_gathering(actor=secretary, kind=..., ...)
    authorized.mark_held(actor=secretary, gathering=gathering)

The gatherings' own services are these functions behind the `gatherings.manage` check. Never call them from a
view: a view's permission is the part's service's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area, PartyOrg
from grassroots.files.checks import IMAGES, check_upload
from grassroots.gatherings.models import Gathering, Participant, Photo, Visibility
from grassroots.gatherings.services._common import (
    lock,
    require_not_cancelled,
    require_started,
    take_step,
    validate,
)
from grassroots.gatherings.services.attendance import set_attendance
from grassroots.portal.submissions import create_once
from grassroots.workflow.services import start

MAX_PHOTO_BYTES = 10 * 1024 * 1024


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
    submission: str = "",
) -> Gathering:
    """A planned gathering, its timeline opened by `actor`. `submission`: the form's token — the same form
    posted again (a double click) gives the gathering it made (portal/submissions.py)."""
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
    validate(gathering)

    def create(token: str) -> Gathering:
        gathering.submission = token
        gathering.save()
        start(gathering, actor=actor)
        return gathering

    return create_once(Gathering, submission=submission, create=create, organizer=gathering.organizer)


def mark_held(*, actor, gathering: Gathering) -> Gathering:
    """planned → held (workflow step "mark_held": refused before the start, or when not planned)."""
    return take_step(gathering, "mark_held", actor=actor, authorized=True)


@transaction.atomic
def record_minutes(*, actor, gathering: Gathering, minutes: str) -> Gathering:
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    minutes = minutes.strip()
    if gathering.minutes != minutes:
        gathering.minutes = minutes
        gathering.save(update_fields=["minutes", "updated_at"])
    return gathering


def clean_image(upload: UploadedFile):
    """The photo to store: a real JPEG, PNG, GIF or WebP of at most 10 MB, decoded and re-encoded without
    its metadata (files.checks: by its content, not its name); else ValidationError on "image"."""
    try:
        return check_upload(upload, allowed=IMAGES, max_bytes=MAX_PHOTO_BYTES)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc


@transaction.atomic
def add_photo(
    *, actor, gathering: Gathering, image: UploadedFile, caption: str = "", submission: str = ""
) -> Photo:
    """A photo of the gathering, re-encoded. `submission`: the form's token — the same form posted again (a
    double click) gives the photo it made, its file not stored twice (portal/submissions.py)."""
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    image = clean_image(image)

    def create(token: str) -> Photo:
        photo = Photo(gathering=gathering, caption=caption.strip()[:200], uploaded_by=actor, submission=token)
        photo.image.save(image.name, image, save=False)
        photo.save()
        return photo

    return create_once(Photo, submission=submission, create=create, uploaded_by=actor)


@transaction.atomic
def record_attendance_sheet(
    *,
    actor,
    gathering: Gathering,
    marks: Iterable[tuple[object, bool, str]],
    invite_missing: bool = False,
    now: datetime | None = None,
) -> int:
    """Record several people at once: `marks` is (person, present, reason). Presence only once the gathering
    has begun; absence (leave) ahead too. A person not on the list is an error, or, with `invite_missing`, is
    put on it as invited by `actor` (a branch's members on its meeting). Returns how many changed; either
    every mark is written or (on any error) none."""
    now = now or timezone.now()
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    marks = list(marks)
    if any(present for _person, present, _reason in marks):
        require_started(gathering, now)
    participants = {p.user_id: p for p in gathering.participants.select_related("user")}
    changed = 0
    for person, present, reason in marks:
        participant = participants.get(person.pk)
        if participant is None and invite_missing:
            participant = Participant.objects.create(
                gathering=gathering, user=person, invited_at=now, invited_by=actor
            )
            participants[person.pk] = participant
        if participant is None:
            raise ValidationError(
                _("%(name)s 不在本会议活动的参会名单中。") % {"name": person}, code="unknown"
            )
        participant.gathering = gathering
        changed += set_attendance(participant, present=present, reason=reason, by=actor, now=now)
    return changed


@transaction.atomic
def self_check_in(*, user, gathering: Gathering, now: datetime | None = None) -> Participant:
    """A person checks in themselves, from 30 minutes before the start until the end: for the kinds with a
    check-in code, only after the part that keeps the code has checked it (一化's environmental actions)."""
    from grassroots.gatherings.selectors import visible_to

    now = now or timezone.now()
    if not visible_to(user).filter(pk=gathering.pk).exists():
        raise PermissionDenied(_("您无权查看该会议活动。"))
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    if not gathering.check_in_is_open(now):
        raise ValidationError(_("不在签到时间内（开始前 30 分钟至结束）。"), code="closed")
    participant = gathering.participants.filter(user=user).first()
    if participant is None:
        if gathering.visibility == Visibility.INVITED:
            raise ValidationError(_("该会议活动仅限受邀人员参加。"), code="not_invited")
        participant = Participant(gathering=gathering, user=user)
    participant.gathering = gathering
    set_attendance(participant, present=True, reason="", by=user, now=now)
    return participant
