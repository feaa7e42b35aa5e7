"""Step 4, execution supervision: the owner and the round's plan of weighted milestones, milestones done,
progress updates with photos, spending against the budget, the residents' supervision committee and its
checks, and the clock's alert of overdue milestones (to the owner and the community's staff, once per
milestone). Who acts: the community's staff (the matter's steps) and the matter's owner (milestones, updates,
spending); the committee's members record checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.models import User
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under
from grassroots.files.checks import ATTACHMENTS, IMAGES, check_upload
from grassroots.selfgov.models import (
    Matter,
    MatterState,
    Milestone,
    ProgressUpdate,
    Spending,
    SupervisionCheck,
    Supervisor,
    UpdatePhoto,
    community_staff,
)
from grassroots.workflow.services import notify

MAX_PHOTOS = 3
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_MILESTONES = 20


def _is_staff(actor, matter: Matter) -> bool:
    return bool(community_staff(matter, actor))


def require_runner(actor, matter: Matter) -> None:
    """Milestones, updates and spending: the community's staff or the matter's owner."""
    if not (_is_staff(actor, matter) or (matter.owner_id is not None and matter.owner_id == actor.pk)):
        raise PermissionDenied(_("只有本社区的社区工作者、书记和事项责任人可以记录执行情况。"))


def _in_execution(matter: Matter) -> None:
    if matter.state != MatterState.EXECUTION:
        raise ValidationError(_("该事项不在执行阶段。"))


def _checked(upload, field: str, allowed=IMAGES):
    try:
        return check_upload(upload, allowed=allowed, max_bytes=MAX_FILE_BYTES)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages[0]}) from exc


def _milestones(items: Iterable[dict]) -> list[Milestone]:
    made, total = [], 0
    for n, item in enumerate(items, 1):
        title = (item.get("title") or "").strip()
        weight, planned_on = item.get("weight"), item.get("planned_on")
        if not title or not isinstance(weight, int) or not 1 <= weight <= 100 or not planned_on:
            raise ValidationError(
                {"milestones": _("第 %(n)d 个节点须有名称、1 至 100 的权重和计划完成日期。") % {"n": n}}
            )
        total += weight
        made.append(Milestone(title=title[:200], weight=weight, planned_on=planned_on))
    if not made or len(made) > MAX_MILESTONES:
        raise ValidationError({"milestones": _("执行计划须有 1 至 %(n)d 个节点。") % {"n": MAX_MILESTONES}})
    if total != 100:
        raise ValidationError(
            {"milestones": _("各节点的权重之和须为 100（现为 %(total)d）。") % {"total": total}}
        )
    return made


def parse_milestones(text: str) -> list[dict]:
    """The page's plan, one milestone a line: "名称，权重，YYYY-MM-DD" (full-width or ASCII commas)."""
    items = []
    for n, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace(",", "，").split("，")]
        try:
            title, weight, planned = parts
            items.append({"title": title, "weight": int(weight), "planned_on": date.fromisoformat(planned)})
        except ValueError as exc:
            raise ValidationError(
                {"milestones": _("第 %(n)d 行应为“名称，权重，计划完成日期（如 2026-05-01）”。") % {"n": n}}
            ) from exc
    return items


@transaction.atomic
def set_plan(
    *,
    actor,
    matter: Matter,
    owner: User,
    milestones: Iterable[dict],
    owner_unit: str = "",
    budget: Decimal | None = None,
) -> Matter:
    """The round's owner (a person, optionally a unit), budget and plan: milestones whose weights add up to
    100. The plan is replaced as a whole until one of its milestones is done."""
    if not _is_staff(actor, matter):
        raise PermissionDenied(_("只有本社区的社区工作者和书记可以制定执行计划。"))
    list(Matter.objects.select_for_update(of=("self",)).filter(pk=matter.pk).values_list("pk"))  # lock
    matter.refresh_from_db(fields=["state", "round", "owner"])
    _in_execution(matter)
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("请选择责任人。")})
    if budget is not None and budget < 0:
        raise ValidationError({"budget": _("预算不能为负数。")})
    made = _milestones(milestones)
    current = matter.milestones.filter(round=matter.round)
    if current.filter(done_on__isnull=False).exists():
        raise ValidationError({"milestones": _("本轮已有节点完成，执行计划不能再整体修改。")})
    current.delete()
    for item in made:
        item.matter, item.round = matter, matter.round
    Milestone.objects.bulk_create(made)
    changed_owner = matter.owner_id != owner.pk
    matter.owner, matter.owner_unit, matter.budget = owner, (owner_unit or "").strip()[:100], budget
    matter.save(update_fields=["owner", "owner_unit", "budget"])
    if changed_owner:
        notify(
            recipients=[owner],
            verb=_("您被确定为民生事项“%(title)s”的执行责任人") % {"title": matter.title},
            target=matter,
            url=matter.get_absolute_url(),
        )
    return matter


@transaction.atomic
def complete_milestone(*, actor, matter: Matter, milestone: Milestone, on: date | None = None) -> Milestone:
    require_runner(actor, matter)
    _in_execution(matter)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, matter=matter)
    if milestone.round != matter.round:
        raise ValidationError({"milestone": _("该节点不属于本轮执行计划。")})
    if milestone.done_on is not None:
        raise ValidationError({"milestone": _("该节点已完成。")})
    milestone.done_on, milestone.done_by = on or timezone.localdate(), actor
    milestone.save(update_fields=["done_on", "done_by"])
    return milestone


@transaction.atomic
def post_update(*, actor, matter: Matter, text: str, photos: Iterable = ()) -> ProgressUpdate:
    """A progress update with up to three photos (checked by content and re-encoded, files.checks)."""
    require_runner(actor, matter)
    _in_execution(matter)
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写进展情况。")})
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}})
    checked = [_checked(p, "photos") for p in photos]
    update = ProgressUpdate.objects.create(
        matter=matter, round=matter.round, author=actor, text=text.strip()[:2000]
    )
    for photo in checked:
        item = UpdatePhoto(update=update)
        item.image.save(photo.name, photo, save=False)
        item.save()
    return update


@transaction.atomic
def record_spending(*, actor, matter: Matter, amount, spent_on: date, note: str, evidence=None) -> Spending:
    """A spending entry against the matter's budget, with its evidence (an invoice's photo or file)."""
    require_runner(actor, matter)
    if matter.state not in (MatterState.EXECUTION, MatterState.EVALUATION):
        raise ValidationError(_("只有执行或评议阶段的事项可以记录支出。"))
    errors = {}
    try:
        amount = Decimal(str(amount))
        if amount <= 0 or amount >= Decimal("1e10"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["amount"] = _("请填写大于 0 的金额。")
    if not spent_on:
        errors["spent_on"] = _("请填写支出日期。")
    elif spent_on > timezone.localdate():
        errors["spent_on"] = _("支出日期不能晚于今天。")
    if not (note or "").strip():
        errors["note"] = _("请填写用途。")
    if errors:
        raise ValidationError(errors)
    spending = Spending(
        matter=matter, amount=amount, spent_on=spent_on, note=note.strip()[:200], recorded_by=actor
    )
    if evidence:
        checked = _checked(evidence, "evidence", ATTACHMENTS)
        spending.evidence.save(checked.name, checked, save=False)
    spending.save()
    return spending


# --- the residents' supervision committee ---------------------------------------------------------------
def _require_keeper(actor, community: Area) -> None:
    if (
        community is None
        or community.level != Level.COMMUNITY
        or not has_perm(actor, "selfgov.manage", community)
    ):
        raise PermissionDenied(_("您无权管理该社区的居务监督委员会。"))


def add_supervisor(*, actor, community: Area, user: User) -> Supervisor:
    """A verified resident of the community joins its supervision committee (once, in the database)."""
    _require_keeper(actor, community)
    if (
        user is None
        or not user.is_active
        or not user.identity_verified
        or user.home_area is None
        or not lies_under(user.home_area.path, community.path)
    ):
        raise ValidationError({"user": _("居务监督委员会成员须为本社区已实名核验的居民。")})
    try:
        with transaction.atomic():
            return Supervisor.objects.create(community=community, user=user, added_by=actor)
    except IntegrityError as exc:
        raise ValidationError({"user": _("该居民已是监督委员会成员。")}, code="duplicate") from exc


def remove_supervisor(*, actor, seat: Supervisor) -> None:
    _require_keeper(actor, seat.community)
    seat.delete()


def is_supervisor(user, matter: Matter) -> bool:
    return (
        user.is_authenticated
        and Supervisor.objects.filter(community_id=matter.community_id, user=user).exists()
    )


@transaction.atomic
def record_check(*, user, matter: Matter, finding: str, photo=None) -> SupervisionCheck:
    """A supervision committee member's check of the matter's execution: a finding, optionally a photo."""
    if not is_supervisor(user, matter):
        raise PermissionDenied(_("只有本社区居务监督委员会成员可以记录监督检查。"))
    if matter.state not in (MatterState.EXECUTION, MatterState.EVALUATION, MatterState.DONE):
        raise ValidationError(_("事项进入执行阶段后才能记录监督检查。"))
    if not (finding or "").strip():
        raise ValidationError({"finding": _("请填写监督发现。")})
    check = SupervisionCheck(matter=matter, supervisor=user, finding=finding.strip()[:2000])
    if photo:
        checked = _checked(photo, "photo")
        check.photo.save(checked.name, checked, save=False)
    check.save()
    notify(
        recipients=_staff_ids(matter) + ([matter.owner_id] if matter.owner_id else []),
        verb=_("居务监督委员会对“%(title)s”记录了监督检查") % {"title": matter.title},
        target=matter,
        url=matter.get_absolute_url(),
    )
    return check


# --- the clock: overdue milestones ----------------------------------------------------------------------
def _staff_ids(matter: Matter) -> list[int]:
    return list(
        User.objects.filter(
            is_active=True,
            grants__role__in=COMMUNITY_STAFF,
            grants__area__path__in=ancestor_paths([matter.area.path]),
            grants__area__retired=False,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def alert_overdue(*, today: date | None = None) -> int:
    """The clock's daily task: each milestone of a matter's current round past its planned date and not done
    is alerted to the owner and the community's staff, once (a conditional update claims it). Returns how
    many were alerted."""
    today = today or timezone.localdate()
    due = (
        Milestone.objects.filter(
            matter__state=MatterState.EXECUTION,
            done_on__isnull=True,
            planned_on__lt=today,
            alerted_on__isnull=True,
        )
        .select_related("matter", "matter__area")
        .order_by("planned_on", "pk")
    )
    alerted = 0
    for milestone in due:
        matter = milestone.matter
        if milestone.round != matter.round:
            continue
        with transaction.atomic():
            if not Milestone.objects.filter(pk=milestone.pk, alerted_on__isnull=True).update(
                alerted_on=today
            ):
                continue
            notify(
                recipients=_staff_ids(matter) + ([matter.owner_id] if matter.owner_id else []),
                verb=_("“%(title)s”的执行节点“%(milestone)s”已超过计划完成日期 %(day)s")
                % {"title": matter.title, "milestone": milestone.title, "day": milestone.planned_on},
                target=matter,
                url=matter.get_absolute_url(),
            )
            alerted += 1
    return alerted
