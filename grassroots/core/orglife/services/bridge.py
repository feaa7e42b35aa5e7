"""Where organizational life writes to the gatherings part: creating the gatherings of an approved plan,
marking them held, copying minutes, photos and the attendance sheet.

The gatherings services check `gatherings.manage` on the gathering's area, which the people of organizational
life need not hold: a branch secretary is named on the `PartyOrg`, and the secretary of the organization
above approves. The orglife services check their own rules (rules.py) first and then write here, keeping the
gatherings rules that matter: the model's validation (kind registry, ends after starts), image checks, and
the attendance mechanism itself (`_set_attendance`: one `Participant` row per person, `attendance_recorded`
sent on commit once per change, which gives study hours through the members app).

Members without a platform account cannot sit on the gathering's sheet; their study record is kept here with
the same rule as members' `educate.sync_attendance` (one record per member and gathering)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.members.models import StudyRecord, StudySource
from grassroots.core.members.services.educate import gathering_hours, is_study_kind
from grassroots.gatherings.models import Gathering, Participant, Photo, Status, Visibility
from grassroots.gatherings.services import clean_image
from grassroots.gatherings.services.participation import _set_attendance


def create_branch_gathering(
    *,
    branch,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    organizer,
    place: str = "",
    description: str = "",
) -> Gathering:
    gathering = Gathering(
        kind=kind,
        title=title[:200],
        area=branch.area,
        organizer=organizer,
        party_org=branch,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place[:200],
        description=description,
        visibility=Visibility.INVITED,
    )
    gathering.full_clean()
    gathering.save()
    return gathering


def create_planned_gatherings(*, plan) -> list[Gathering]:
    """The planned gatherings of an approved plan become gatherings of the branch (organizer: the branch's
    secretary, else whoever filed the plan)."""
    branch = plan.branch
    organizer = branch.secretary or plan.filed_by
    created = []
    for item in plan.items.filter(gathering__isnull=True):
        description = item.topic + (f"\n主讲人：{item.lecturer}" if item.lecturer else "")
        item.gathering = create_branch_gathering(
            branch=branch,
            kind=item.kind,
            title=item.topic,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            organizer=organizer,
            place=item.place,
            description=description,
        )
        item.save(update_fields=["gathering"])
        created.append(item.gathering)
    return created


def mark_held(gathering: Gathering, *, now: datetime | None = None) -> None:
    if gathering.status == Status.PLANNED:
        gathering.status, gathering.held_at = Status.HELD, now or timezone.now()
        gathering.save(update_fields=["status", "held_at", "updated_at"])


def copy_minutes(gathering: Gathering, minutes: str) -> None:
    if gathering.minutes != minutes:
        gathering.minutes = minutes
        gathering.save(update_fields=["minutes", "updated_at"])


def add_photo(*, gathering: Gathering, image, caption: str, actor) -> Photo:
    image = clean_image(image)
    photo = Photo(gathering=gathering, caption=caption.strip()[:200], uploaded_by=actor)
    photo.image.save(image.name, image, save=False)
    photo.save()
    return photo


def record_attendance(*, gathering: Gathering, marks, actor, now: datetime | None = None) -> None:
    """`marks`: (member, present, reason). Members with an account go on the gathering's sheet through the
    attendance mechanism; the others get their study record here, on commit as the signal would."""
    now = now or timezone.now()
    users = {member.user_id: (member, present, reason) for member, present, reason in marks if member.user_id}
    existing = {p.user_id: p for p in gathering.participants.filter(user_id__in=list(users))}
    for user_id, (_member, present, reason) in users.items():
        participant = existing.get(user_id)
        if participant is None:
            participant = Participant.objects.create(
                gathering=gathering, user_id=user_id, invited_at=now, invited_by=actor
            )
        participant.gathering = gathering
        _set_attendance(participant, present=present, reason=reason, by=actor, now=now)
    for member, present, _reason in marks:
        if not member.user_id:
            transaction.on_commit(partial(_study_without_account, gathering, member, present))


def _study_without_account(gathering: Gathering, member, present: bool) -> None:
    if not is_study_kind(gathering.kind):
        return
    records = StudyRecord.objects.filter(member=member, gathering=gathering)
    if not present or gathering.status == Status.CANCELLED:
        records.delete()
        return
    values = {
        "title": gathering.title[:200],
        "studied_on": timezone.localdate(gathering.starts_at),
        "hours": gathering_hours(gathering),
        "source": StudySource.GATHERING,
    }
    try:
        with transaction.atomic():
            StudyRecord.objects.get_or_create(member=member, gathering=gathering, defaults=values)
    except IntegrityError:  # entered by a concurrent delivery
        pass
