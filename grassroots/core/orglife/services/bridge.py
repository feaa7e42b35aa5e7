"""Where organizational life writes to the gatherings part: creating the gatherings of an approved plan,
marking them held, copying minutes, photos and the attendance sheet.

The gatherings services check `gatherings.manage` on the gathering's area, which the people of organizational
life need not hold: a branch secretary is named on the `PartyOrg`, and the secretary of the organization
above approves. The orglife services check their own rules (rules.py) first and then write here through the
gatherings part's entry point for such callers, `grassroots.gatherings.services.authorized`, which keeps every
other rule of gatherings: the field rules, the row lock, the workflow step "held" (logged on the gathering's
timeline, refused before the start), nothing written to a cancelled gathering, the image checks, and the
attendance mechanism (`attendance_recorded` sent on commit once per change, which gives study hours through
the members app).

Members without a platform account cannot sit on the gathering's sheet; their study record is kept here with
the same rule as members' `educate.sync_attendance` (one record per member and gathering)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.members.models import StudyRecord, StudySource
from grassroots.core.members.services.educate import gathering_hours, is_study_kind
from grassroots.gatherings.models import Gathering, Photo, Status, Visibility
from grassroots.gatherings.services import authorized


def create_branch_gathering(
    *,
    branch,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    organizer,
    actor=None,
    place: str = "",
    description: str = "",
) -> Gathering:
    """A gathering of the branch, invited only; its timeline opened by `actor` (default: the organizer)."""
    return authorized.create_gathering(
        actor=actor or organizer,
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


def create_planned_gatherings(*, plan, actor) -> list[Gathering]:
    """The planned gatherings of an approved plan become gatherings of the branch (organizer: the branch's
    secretary, else whoever filed the plan; their timelines opened by `actor`, who approved)."""
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
            actor=actor,
            place=item.place,
            description=description,
        )
        item.save(update_fields=["gathering"])
        created.append(item.gathering)
    return created


def mark_held(gathering: Gathering, *, actor) -> Gathering:
    """The gathering as held (the workflow step, by `actor`); one already held is left as it is."""
    if gathering.status == Status.HELD:
        return gathering
    return authorized.mark_held(actor=actor, gathering=gathering)


def copy_minutes(gathering: Gathering, minutes: str, *, actor) -> None:
    authorized.record_minutes(actor=actor, gathering=gathering, minutes=minutes)


def add_photo(*, gathering: Gathering, image, caption: str, actor) -> Photo:
    return authorized.add_photo(actor=actor, gathering=gathering, image=image, caption=caption)


def record_attendance(*, gathering: Gathering, marks, actor) -> None:
    """`marks`: (member, present, reason). Members with an account go on the gathering's sheet (as invited,
    when not yet on it) through the attendance mechanism; the others get their study record here, on commit
    as the signal would."""
    users = get_user_model().objects.in_bulk([member.user_id for member, _p, _r in marks if member.user_id])
    with_account = [(users[m.user_id], present, reason) for m, present, reason in marks if m.user_id]
    authorized.record_attendance_sheet(
        actor=actor, gathering=gathering, marks=with_account, invite_missing=True
    )
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
