"""Creating, changing, cancelling and closing a gathering, and what is recorded about it afterwards
(minutes, decisions, photos). Every function is keyword-only and atomic; the actor needs gatherings.manage on
the gathering's area (for cancel and held: the workflow step's permission, the same rule). What is done
beside the check is `authorized`'s, which other parts call when they have checked by their own rules."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.gatherings.kinds import own_form_message
from grassroots.gatherings.models import Decision, Gathering, Photo, Status
from grassroots.gatherings.services import authorized
from grassroots.gatherings.services._common import (
    lock,
    refuse_own_form,
    require_manage,
    require_not_cancelled,
    take_step,
    validate,
)
from grassroots.portal.submissions import create_once

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


def create_gathering(*, actor, area: Area, **fields) -> Gathering:
    """A planned gathering in `area` (manage there); the fields as `authorized.create_gathering` takes them
    (kind, title, starts_at, ends_at, place, description, visibility, capacity, signup_open,
    signup_deadline, party_org, organizer). A kind with a form of its own (kinds.OwnForm: warning education,
    a brand's activity, an environmental action) is refused at `kind`: its part's service creates it, with
    the record it keeps beside the gathering, through `authorized`."""
    require_manage(actor, area)
    refuse_own_form(fields.get("kind", ""))
    return authorized.create_gathering(actor=actor, area=area, **fields)


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
    if "kind" in changes and changes["kind"] != gathering.kind:
        if own_form_message(gathering.kind):  # its part's record stays with the kind it was made as
            raise ValidationError({"kind": _("该会议活动的类型由其专门页面确定，不能修改。")})
        refuse_own_form(changes["kind"])
    for field, value in changes.items():
        setattr(gathering, field, value.strip() if field == "title" else value)
    if changes and gathering.series_id:
        gathering.series_edited = True  # one occurrence changed: a change of its series leaves it alone
    validate(gathering)
    require_manage(actor, gathering.area)  # … and on the area it gets
    if gathering.capacity is not None:
        taken = gathering.participants.filter(signed_up_at__isnull=False).count()
        if gathering.capacity < taken:
            raise ValidationError(
                {"capacity": _("名额不能少于已报名人数（%(count)d 人）。") % {"count": taken}}
            )
    gathering.save()
    return gathering


def cancel_gathering(*, actor, gathering: Gathering, reason: str = "") -> Gathering:
    """planned → cancelled (workflow step "cancel"; the reason is its comment); participants are notified."""
    return take_step(gathering, "cancel", actor=actor, comment=reason)


def mark_held(*, actor, gathering: Gathering) -> Gathering:
    """planned → held (workflow step "mark_held"), once the gathering has begun."""
    return take_step(gathering, "mark_held", actor=actor)


def record_minutes(*, actor, gathering: Gathering, minutes: str) -> Gathering:
    require_manage(actor, gathering.area)
    return authorized.record_minutes(actor=actor, gathering=gathering, minutes=minutes)


@transaction.atomic
def add_decision(
    *,
    actor,
    gathering: Gathering,
    text: str,
    owner=None,
    due_on: date | None = None,
    submission: str = "",
) -> Decision:
    """A decision taken at the gathering. `submission`: the form's token — the same form posted again (a
    double click) gives the decision it made (portal/submissions.py)."""
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    if not text.strip():
        raise ValidationError({"text": _("请填写决定事项。")})

    def create(token: str) -> Decision:
        return Decision.objects.create(
            gathering=gathering,
            text=text.strip(),
            owner=owner,
            due_on=due_on,
            created_by=actor,
            submission=token,
        )

    return create_once(Decision, submission=submission, create=create, created_by=actor)


def add_photo(
    *, actor, gathering: Gathering, image: UploadedFile, caption: str = "", submission: str = ""
) -> Photo:
    require_manage(actor, gathering.area)
    return authorized.add_photo(
        actor=actor, gathering=gathering, image=image, caption=caption, submission=submission
    )
