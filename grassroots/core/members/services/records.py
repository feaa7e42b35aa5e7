"""The member's record (档案) and identify (识别): create and update a record, its tags and skills, the
platform account it belongs to, and the member's own corrections (我的). Every action checks the actor's
scope through `grassroots.access.scoping` (area grants and the branch secretary's clause alike).

One person, one record: the keyed hash of the ID number is unique; a second record with the same number is
refused with `DuplicateMember`, which links to the first record when the actor may see it and otherwise
only says that a record exists in another organization.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, scoped
from grassroots.accounts.services.grants import users_in_scope
from grassroots.accounts.services.verification import ADDRESS_LEVELS
from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.audit.services import record_change
from grassroots.core.members.identity import (
    birth_date_from_id,
    gender_from_id,
    lookup_hash,
    normalize_id_number,
    validate_id_number,
    validate_mobile,
)
from grassroots.core.members.models import Gender, Member, MemberTag, TagKind
from grassroots.core.members.services.acting import acting_as
from grassroots.workflow import services as workflow

CHANGE = "members.change"
JOINING_AGE = 18

# What update_member may change (status moves by its workflow, with where a mobile member now lives and
# works: services/find.py; derived fields are computed).
RECORD_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "occupation",
    "work_unit",
    "workplace",
    "in_service",
    "home_area",
    "branch",
    "joined_probationary_on",
    "joined_full_on",
)
# What a member may correct on their own record (我的): facts about themselves that the branch keeps but
# does not decide. Name, ID number, branch, dates and status stay with the secretary.
OWN_FIELDS = ("phone", "education", "occupation", "work_unit", "home_area")


class DuplicateMember(ValidationError):
    """A record with this ID number exists already. `existing` is that record when the actor may see it
    (the page links to it), else None (it lies in another organization, which is not named)."""

    def __init__(self, existing: Member | None):
        self.existing = existing
        if existing is not None:
            message = _("该身份证号已有党员档案：%(name)s（%(branch)s）。一人一档，请在已有档案上修改。") % {
                "name": existing.name,
                "branch": existing.branch.name,
            }
        else:
            message = _(
                "该身份证号已在其他党组织建有党员档案，一人只能有一份档案。如需转入，请办理组织关系转接。"
            )
        super().__init__({"id_number": [ValidationError(message, code="duplicate")]})


# --- checks ---------------------------------------------------------------------------------------------
def _check_identity(values: dict, errors: dict) -> None:
    """The ID number (GB 11643), and the birth date and gender it contains: filled from it when not given,
    refused when they disagree."""
    number = normalize_id_number(values.get("id_number") or "")
    values["id_number"] = number
    try:
        validate_id_number(number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
        return
    born, gender = birth_date_from_id(number), gender_from_id(number)
    if not values.get("birth_date"):
        values["birth_date"] = born
    elif values["birth_date"] != born:
        errors["birth_date"] = [
            _("出生日期与身份证号不一致（身份证号中为 %(date)s）。") % {"date": born.isoformat()}
        ]
    if not values.get("gender"):
        values["gender"] = gender
    elif values["gender"] != gender:
        errors["gender"] = [
            _("性别与身份证号不一致（身份证号中为%(gender)s）。") % {"gender": Gender(gender).label}
        ]


def _check_dates(values: dict, errors: dict) -> None:
    today = timezone.localdate()
    born, joined, full = (
        values.get("birth_date"),
        values.get("joined_probationary_on"),
        values.get("joined_full_on"),
    )
    if joined and joined > today:
        errors.setdefault("joined_probationary_on", []).append(_("入党时间不能晚于今天。"))
    elif joined and born and "birth_date" not in errors and _years_between(born, joined) < JOINING_AGE:
        errors.setdefault("joined_probationary_on", []).append(_("入党时应年满18周岁，请核对入党时间。"))
    if full and joined and full < joined:
        errors.setdefault("joined_full_on", []).append(_("转正时间不能早于入党时间。"))
    elif full and full > today:
        errors.setdefault("joined_full_on", []).append(_("转正时间不能晚于今天。"))


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _check_phone(values: dict, errors: dict) -> None:
    if "phone" not in values:
        return
    phone = (values.get("phone") or "").strip()
    values["phone"] = phone
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages


def _check_home_area(area: Area | None, errors: dict) -> None:
    if area is not None and (area.level not in ADDRESS_LEVELS or area.retired):
        errors["home_area"] = [_("居住地址请选择一个院落、小区或楼栋。")]


def _check_workplace(actor, workplace, errors: dict) -> None:
    """The entity the member works in: one the actor can see (areas.view over its area); another area's
    answers like a missing one."""
    if (
        workplace is not None
        and not scoped(type(workplace).objects.filter(pk=workplace.pk), actor, "areas.view").exists()
    ):
        errors["workplace"] = [_("请选择您能查看的新兴领域单位。")]


def _check_branch(actor, branch: PartyOrg | None, errors: dict) -> None:
    if branch is None:
        errors["branch"] = [_("请选择所在党支部。")]
    elif branch.retired or branch.kind == PartyOrgKind.GROUP:
        errors["branch"] = [_("请选择一个现有的党支部（党小组不能直接管理党员档案）。")]
    elif not has_perm(actor, CHANGE, branch):
        errors["branch"] = [_("您不能在该党组织中建立或维护党员档案，请选择您负责的党支部。")]


def _check_duplicate(actor, number: str, *, exclude: int | None = None) -> None:
    others = Member.objects.filter(id_hash=lookup_hash(number))
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other_pk = others.values_list("pk", flat=True).first()
    if other_pk is None:
        return
    visible = (
        scoped(Member.objects.select_related("branch"), actor, "members.view").filter(pk=other_pk).first()
    )
    raise DuplicateMember(visible)


def _save(actor, member: Member) -> None:
    """Save inside a savepoint: two people creating the same person at once meet the unique hash, and the
    loser gets the same message as a checked duplicate."""
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        if Member.objects.filter(id_hash=member.id_hash).exclude(pk=member.pk).exists():
            _check_duplicate(actor, member.id_number, exclude=member.pk)
        raise


def _require_change(actor, member: Member) -> None:
    if not has_perm(actor, CHANGE, member):
        raise PermissionDenied(_("您没有维护该党员档案的权限。"))


# --- actions --------------------------------------------------------------------------------------------
def create_member(
    *,
    actor,
    name: str,
    id_number: str,
    branch: PartyOrg,
    joined_probationary_on: date,
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str = "汉族",
    phone: str = "",
    education: str = "",
    occupation: str = "",
    work_unit: str = "",
    workplace=None,
    in_service: bool = False,
    home_area: Area | None = None,
    joined_full_on: date | None = None,
    tags=(),
) -> Member:
    """Create a member's record in `branch` (the actor needs members.change there). Raises ValidationError
    with the message at the field that caused it, DuplicateMember when the person has a record already."""
    if not has_perm(actor, CHANGE):
        raise PermissionDenied(_("您没有建立党员档案的权限。"))
    values = {
        "name": (name or "").strip(),
        "id_number": id_number,
        "gender": gender,
        "birth_date": birth_date,
        "phone": phone,
        "joined_probationary_on": joined_probationary_on,
        "joined_full_on": joined_full_on,
    }
    errors: dict[str, list] = {}
    if not values["name"]:
        errors["name"] = [_("请填写姓名。")]
    _check_identity(values, errors)
    _check_phone(values, errors)
    _check_dates(values, errors)
    _check_home_area(home_area, errors)
    _check_workplace(actor, workplace, errors)
    _check_branch(actor, branch, errors)
    if errors:
        raise ValidationError(errors)
    _check_duplicate(actor, values["id_number"])
    member = Member(
        **values,
        ethnicity=(ethnicity or "").strip(),
        education=education or "",
        occupation=(occupation or "").strip(),
        work_unit=(work_unit or "").strip(),
        workplace=workplace,
        in_service=in_service,
        home_area=home_area,
        branch=branch,
    )
    with transaction.atomic(), acting_as(actor):
        _save(actor, member)
        if tags:
            member.tags.set(tags)
        workflow.start(member, actor=actor)
    return member


def update_member(*, actor, member: Member, **changes) -> Member:
    """Change the given fields of a record (any of RECORD_FIELDS). The actor needs members.change on the
    record, and on the new branch when the branch changes (a correction; moving a member between branches
    is a transfer). The same checks as creation apply to the record as it would be after the change."""
    unknown = set(changes) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"update_member() got unknown fields {sorted(unknown)}")
    _require_change(actor, member)
    values = {field: getattr(member, field) for field in RECORD_FIELDS}
    values.update(changes)
    for text in ("name", "ethnicity", "occupation", "work_unit"):
        values[text] = (values[text] or "").strip()
    values["education"] = values["education"] or ""
    errors: dict[str, list] = {}
    if not values["name"]:
        errors["name"] = [_("请填写姓名。")]
    if "id_number" in changes:
        # A corrected number brings its own birth date and gender; values left as they were (or not sent)
        # are taken from it, new ones are checked against it.
        if changes.get("birth_date") in (None, member.birth_date):
            values["birth_date"] = None
        if changes.get("gender") in (None, "", member.gender):
            values["gender"] = ""
    _check_identity(values, errors)
    _check_phone(values, errors)
    _check_dates(values, errors)
    _check_home_area(values["home_area"], errors)
    if values["workplace"] != member.workplace:
        _check_workplace(actor, values["workplace"], errors)
    if values["branch"] != member.branch:
        _check_branch(actor, values["branch"], errors)
    if errors:
        raise ValidationError(errors)
    if values["id_number"] != member.id_number:
        _check_duplicate(actor, values["id_number"], exclude=member.pk)
    for field, value in values.items():
        setattr(member, field, value)
    with transaction.atomic(), acting_as(actor):
        _save(actor, member)
    return member


def set_tags(*, actor, member: Member, tags) -> Member:
    """Replace the record's tags, skills and care situations (identify 识别). Logged with the old and new
    names (many-to-many changes are not seen by the change log's signals)."""
    _require_change(actor, member)
    tags = list(tags)
    old = sorted(member.tags.values_list("name", flat=True))
    new = sorted(t.name for t in tags)
    if old == new:
        return member
    with transaction.atomic():
        member.tags.set(tags)
        record_change(instance=member, changes={"tags": ("、".join(old), "、".join(new))}, actor=actor)
    return member


def create_tag(*, actor, name: str, kind: str = TagKind.TAG) -> MemberTag:
    """Add a tag, skill or care situation to the shared catalogue (or return the existing one)."""
    if not has_perm(actor, CHANGE):
        raise PermissionDenied(_("您没有维护党员标签的权限。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("请填写标签名称。")]})
    if kind not in TagKind.values:
        raise ValidationError({"kind": [_("请选择标签类别。")]})
    existing = MemberTag.objects.filter(name=name).first()
    if existing is not None:
        if existing.kind != kind:
            raise ValidationError(
                {"name": [_("已有同名的“%(kind)s”标签。") % {"kind": existing.get_kind_display()}]}
            )
        return existing
    with transaction.atomic():
        return MemberTag.objects.create(name=name, kind=kind)


def link_user(*, actor, member: Member, user) -> Member:
    """Link the record to the member's platform account (or unlink with `user=None`), so that they see it
    on 我的. The account must be one the actor may see (accounts.view), not linked to another record, and
    its real name, when given, must be the member's."""
    _require_change(actor, member)
    if user is not None:
        if not users_in_scope(actor).filter(pk=user.pk).exists():
            raise ValidationError({"user": [_("未找到该用户，或该用户不在您的管辖范围内。")]})
        if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
            raise ValidationError({"user": [_("该账号已关联另一份党员档案。")]})
        if user.full_name and user.full_name.strip() != member.name:
            raise ValidationError(
                {"user": [_("账号的姓名（%(name)s）与党员姓名不一致。") % {"name": user.full_name}]}
            )
    member.user = user
    with transaction.atomic(), acting_as(actor):
        member.save()
    return member


def correct_own_record(*, actor, member: Member, **changes) -> Member:
    """我的: the member corrects their own phone, education, occupation, work unit or home address. Applied
    at once (the change log keeps the old values) and their branch secretary is told."""
    if member.user_id is None or actor is None or member.user_id != actor.pk:
        raise PermissionDenied(_("只能修改本人的档案信息。"))
    unknown = set(changes) - set(OWN_FIELDS)
    if unknown:
        raise TypeError(f"correct_own_record() got unknown fields {sorted(unknown)}")
    values = dict(changes)
    for text in ("occupation", "work_unit"):
        if text in values:
            values[text] = (values[text] or "").strip()
    if "education" in values:
        values["education"] = values["education"] or ""
    errors: dict[str, list] = {}
    _check_phone(values, errors)
    _check_home_area(values.get("home_area"), errors)
    if errors:
        raise ValidationError(errors)
    changed = [f for f, v in values.items() if getattr(member, f) != v]
    if not changed:
        return member
    for field, value in values.items():
        setattr(member, field, value)
    with transaction.atomic(), acting_as(actor):
        member.save()
        secretary_id = member.branch.secretary_id
        if secretary_id is not None and secretary_id != actor.pk:
            labels = "、".join(str(Member._meta.get_field(f).verbose_name) for f in changed)
            workflow.notify(
                recipients=[secretary_id],
                verb=_("党员 %(name)s 更新了本人信息：%(fields)s。")
                % {"name": member.name, "fields": labels},
                target=member,
                url=member.get_absolute_url(),
            )
    return member
