"""Actions of coverage. Keyword-only, atomic; each checks `coverage.change` on the record's area itself
(PermissionDenied) and its rules (ValidationError in Chinese, keyed by field)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.subtree import lies_under
from grassroots.core.coverage.models import (
    CoverageStatus,
    CrossAppointment,
    Entity,
    Instructor,
    InstructorAssignment,
    InstructorVisit,
    ServiceRecord,
    ServiceTeam,
    ServiceTeamMember,
    StatusChange,
    own_branch_threshold,
)
from grassroots.core.coverage.selectors import branch_members, workers_of
from grassroots.portal.submissions import create_once

CHANGE = "coverage.change"
ENTITY_FIELDS = (
    "name",
    "kind",
    "area",
    "address",
    "floor_area",
    "employees",
    "party_members",
    "full_members",
    "status",
    "party_org",
    "note",
)
COUNT_FIELDS = ("party_members", "full_members")


def require_change(actor, area) -> None:
    if not has_perm(actor, CHANGE, area):
        raise PermissionDenied(missing_permission_message(CHANGE, area))


def _record_status(entity: Entity, actor, since: datetime | None = None) -> None:
    """Date the entity's status in its history (StatusChange) when it differs from the last one recorded:
    from `since` (now by default; never before the last change, so the history keeps its order)."""
    last = entity.status_changes.order_by("-since", "-pk").first()
    if last is not None and last.status == entity.status:
        return
    since = since or timezone.now()
    if last is not None and since < last.since:
        since = last.since
    StatusChange.objects.create(entity=entity, status=entity.status, since=since, changed_by=actor)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _has_instructor(entity: Entity) -> bool:
    """An instructor still in office is assigned to the entity."""
    if entity.pk is None:
        return False
    live = Q(instructor__ended_on__isnull=True) | Q(instructor__ended_on__gte=timezone.localdate())
    return InstructorAssignment.objects.filter(live, entity=entity, ends_on__isnull=True).exists()


def branch_counts(entity: Entity) -> tuple[int, int]:
    """(Party members, full members) from the member records: registered to the entity's own branch, or for a
    jointly covered one linked to it as their workplace."""
    if entity.status == CoverageStatus.JOINT:
        counted = workers_of(entity.pk)
    else:
        counted = branch_members(entity.party_org_id)
    members = counted.aggregate(total=Count("pk"), full=Count("pk", filter=Q(joined_full_on__isnull=False)))
    return members["total"], members["full"]


def _check_counts(entity: Entity, typed: set[str], errors: dict) -> int:
    """The full members the rules count: from the records for an entity with its own branch (where typing
    the counts is refused, at the field), else the hand-entered ones (checked against each other)."""
    if entity.counts_from_records:
        for name in sorted(typed):
            errors[name] = _("该单位的党员数由党员档案统计，不再手工填报，请留空。")
        return branch_counts(entity)[1]
    if entity.full_members > entity.party_members:
        errors["full_members"] = _("正式党员数不能多于党员数。")
    if entity.party_members > entity.employees and entity.employees:
        errors["party_members"] = _("党员数不能多于从业人员（或常住居民）数。")
    return entity.full_members


def _validate_entity(entity: Entity, typed: set[str]) -> None:
    """`typed`: the count fields the caller gave (refused when the entity counts from the records)."""
    errors: dict[str, str] = {}
    if not entity.name.strip():
        errors["name"] = _("请填写名称。")
    if entity.status in (CoverageStatus.OWN, CoverageStatus.JOINT):
        if entity.party_org is None:
            errors["party_org"] = _("单独或联合建立党组织的，请选择所属党组织。")
        elif entity.party_org.retired:
            errors["party_org"] = _("该党组织已撤销。")
    elif entity.party_org is not None:
        errors["party_org"] = _("未建立党组织的单位不填所属党组织。")
    full = _check_counts(entity, typed, errors)
    if entity.status == CoverageStatus.OWN and full < own_branch_threshold():
        if entity.counts_from_records:
            message = _(
                "党员档案中该党组织的正式党员不足 %(n)d 人，不能单独建立党支部，可联合建立或选派党建指导员。"
            )
        else:
            message = _("正式党员不足 %(n)d 人，不能单独建立党支部，可联合建立或选派党建指导员。")
        errors["status"] = message % {"n": own_branch_threshold()}
    if entity.status == CoverageStatus.INSTRUCTOR and not _has_instructor(entity):
        errors["status"] = _("请先为该单位选派党建指导员。")
    if entity.area.retired:
        errors["area"] = _("该区域已撤销。")
    if errors:
        raise ValidationError(errors)


def create_entity(*, actor, submission: str = "", **fields) -> Entity:
    """`submission`: the form's token — the same form posted again gives the entity it made
    (portal/submissions.py)."""
    unknown = set(fields) - set(ENTITY_FIELDS)
    if unknown:
        raise TypeError(f"create_entity() got unknown fields {sorted(unknown)}")
    typed = {name for name in COUNT_FIELDS if fields.get(name) is not None}
    fields = {name: value for name, value in fields.items() if value is not None or name not in COUNT_FIELDS}
    entity = Entity(created_by=actor, **fields)
    require_change(actor, entity.area)
    _validate_entity(entity, typed)

    def create(token: str) -> Entity:
        entity.submission = token
        entity.save()
        _record_status(entity, actor, since=entity.created_at)
        return entity

    return create_once(Entity, submission=submission, create=create, created_by=actor)


def update_entity(*, actor, entity: Entity, **changes) -> Entity:
    unknown = set(changes) - set(ENTITY_FIELDS)
    if unknown:
        raise TypeError(f"update_entity() cannot change {sorted(unknown)}")
    require_change(actor, entity.area)
    typed = {name for name in COUNT_FIELDS if changes.get(name) is not None}
    for name, value in changes.items():
        if value is not None or name not in COUNT_FIELDS:
            setattr(entity, name, value)
    require_change(actor, entity.area)
    _validate_entity(entity, typed)
    with transaction.atomic():
        entity.save()
        _record_status(entity, actor)
    return entity


# --- instructors ----------------------------------------------------------------------------------------
def appoint_instructor(
    *,
    actor,
    name: str,
    sent_by,
    area,
    position: str = "",
    appointed_on: date | None = None,
    user=None,
    submission: str = "",
) -> Instructor:
    """`submission`: the form's token — the same form posted again gives the instructor it made
    (portal/submissions.py)."""
    require_change(actor, area)
    if not name.strip():
        raise ValidationError({"name": _("请填写姓名。")})

    def create(token: str) -> Instructor:
        return Instructor.objects.create(
            name=name.strip(),
            sent_by=sent_by,
            area=area,
            position=position.strip(),
            appointed_on=appointed_on or timezone.localdate(),
            user=user,
            created_by=actor,
            submission=token,
        )

    return create_once(Instructor, submission=submission, create=create, created_by=actor)


def assign_instructor(
    *, actor, instructor: Instructor, entity: Entity, starts_on: date | None = None
) -> InstructorAssignment:
    """Send the instructor to an entity; an entity not covered becomes covered by an instructor."""
    require_change(actor, entity.area)
    if not lies_under(entity.area.path, instructor.area.path):
        raise ValidationError({"entity": _("该单位不在指导员的指导区域内。")})
    if not instructor.active:
        raise ValidationError({"entity": _("该指导员已期满。")})
    with transaction.atomic():
        assignment, _created = InstructorAssignment.objects.get_or_create(
            instructor=instructor,
            entity=entity,
            ends_on=None,
            defaults={"starts_on": starts_on or timezone.localdate()},
        )
        if entity.status == CoverageStatus.NONE:
            entity.status = CoverageStatus.INSTRUCTOR
            entity.save(update_fields=["status", "updated_at"])
            _record_status(entity, actor, since=_start_of(assignment.starts_on))
    return assignment


def end_assignment(*, actor, assignment: InstructorAssignment, ends_on: date | None = None) -> None:
    """End the instructor's guidance of an entity; one covered only by instructors and left without any
    becomes not covered."""
    entity = assignment.entity
    require_change(actor, entity.area)
    with transaction.atomic():
        assignment.ends_on = ends_on or timezone.localdate()
        assignment.save(update_fields=["ends_on"])
        if entity.status == CoverageStatus.INSTRUCTOR and not _has_instructor(entity):
            entity.status = CoverageStatus.NONE
            entity.save(update_fields=["status", "updated_at"])
            _record_status(entity, actor, since=_start_of(assignment.ends_on))


def log_visit(
    *, actor, instructor: Instructor, entity: Entity, visited_on: date, content: str, issues: str = ""
) -> InstructorVisit:
    own = instructor.user_id is not None and instructor.user_id == getattr(actor, "pk", None)
    if not own:
        require_change(actor, entity.area)
    errors = {}
    if not instructor.assignments.filter(entity=entity).exists():
        errors["entity"] = _("指导员未被选派到该单位。")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("走访日期不能晚于今天。")
    if not content.strip():
        errors["content"] = _("请填写指导内容。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return InstructorVisit.objects.create(
            instructor=instructor,
            entity=entity,
            visited_on=visited_on,
            content=content.strip(),
            issues=issues.strip(),
            created_by=actor,
        )


# --- cross-appointments ---------------------------------------------------------------------------------
def record_cross_appointment(
    *,
    actor,
    person_name: str,
    org,
    position: str,
    other_position: str,
    starts_on: date,
    other_org=None,
    other_entity=None,
    other_name: str = "",
    ends_on: date | None = None,
    user=None,
) -> CrossAppointment:
    require_change(actor, org.area)
    errors = {}
    if not person_name.strip():
        errors["person_name"] = _("请填写姓名。")
    if sum(bool(x) for x in (other_org, other_entity, other_name.strip())) != 1:
        errors["other_org"] = _("请选择（或填写）一个兼职的党组织或单位。")
    elif other_org is not None and other_org.pk == org.pk:
        errors["other_org"] = _("兼职党组织不能与本职党组织相同。")
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = _("任职结束不能早于开始。")
    if not position.strip() or not other_position.strip():
        errors["other_position"] = _("请填写本职职务和兼任职务。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return CrossAppointment.objects.create(
            person_name=person_name.strip(),
            user=user,
            org=org,
            position=position.strip(),
            other_org=other_org,
            other_entity=other_entity,
            other_name=other_name.strip(),
            other_position=other_position.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
        )


# --- service teams --------------------------------------------------------------------------------------
def create_team(
    *,
    actor,
    name: str,
    area,
    leader: str = "",
    description: str = "",
    members=(),
    entities=(),
    submission: str = "",
) -> ServiceTeam:
    """`members`: (name, role) pairs; `entities`: entities under the team's area. `submission`: the form's
    token — the same form posted again gives the team it made (portal/submissions.py)."""
    require_change(actor, area)
    if not name.strip():
        raise ValidationError({"name": _("请填写团队名称。")})
    entities = list(entities)
    outside = [e.name for e in entities if not lies_under(e.area.path, area.path)]
    if outside:
        raise ValidationError(
            {"entities": _("以下单位不在团队所属区域内：%(names)s") % {"names": "、".join(outside)}}
        )

    def create(token: str) -> ServiceTeam:
        team = ServiceTeam.objects.create(
            name=name.strip(),
            area=area,
            leader=leader.strip(),
            description=description.strip(),
            created_by=actor,
            submission=token,
        )
        ServiceTeamMember.objects.bulk_create(
            ServiceTeamMember(team=team, name=n.strip(), role=r.strip()) for n, r in members if n.strip()
        )
        team.entities.set(entities)
        return team

    return create_once(ServiceTeam, submission=submission, create=create, created_by=actor)


def record_service(
    *,
    actor,
    team: ServiceTeam,
    served_on: date,
    content: str,
    entity: Entity | None = None,
    participants: int = 1,
) -> ServiceRecord:
    require_change(actor, team.area)
    errors = {}
    if entity is not None and not team.entities.filter(pk=entity.pk).exists():
        errors["entity"] = _("该单位不在团队的服务单位中。")
    if served_on > timezone.localdate():
        errors["served_on"] = _("服务日期不能晚于今天。")
    if not content.strip():
        errors["content"] = _("请填写服务内容。")
    if participants < 1:
        errors["participants"] = _("参与人数至少为 1。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return ServiceRecord.objects.create(
            team=team,
            entity=entity,
            served_on=served_on,
            content=content.strip(),
            participants=participants,
            created_by=actor,
        )
