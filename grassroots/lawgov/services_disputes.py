"""The dispute platform's actions, one function per action (docs/lawgov.md "Disputes"): file a dispute
(a resident online, a grid worker, a legal worker at a station, a negotiation handed over), assign mediators,
record a mediation session, start mediating, settle with an agreement (text and file; judicial confirmation),
escalate to the next level or refer to another kind with the reason (one case, one number, a new stage),
close with advice to litigate or arbitrate, the follow-up visit; the clock's reminders.

Who acts: `lawgov.mediate` on the area handling the case now (the workflow rule `mediators`); filing needs
`lawgov.intake` on the area, or being a resident of its community. Refusals are ValidationErrors keyed by
field, or PermissionDenied naming what is missing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, scoped
from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths
from grassroots.files.checks import check_optional
from grassroots.lawgov.models_disputes import (
    Advice,
    Channel,
    Dispute,
    DisputeCategory,
    DisputeCounter,
    DisputeKind,
    DisputeLevel,
    DisputeParty,
    DisputeState,
    MediationSession,
    PartyRole,
    Urgency,
    mediating,
)
from grassroots.portal.submissions import create_once
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.services import notify, start, transition

NUMBER_PREFIX = "纠纷"


# --- helpers --------------------------------------------------------------------------------------------
def time_limit(kind: str) -> int:
    """The days a mediation of `kind` may take (settings.LAWGOV_TIME_LIMITS; people's mediation 30)."""
    return int(settings.LAWGOV_TIME_LIMITS.get(kind, 30))


def due_date(kind: str, start_day: date, *, at_risk: bool = False) -> date:
    """The last day of a stage begun on `start_day`; a case at risk of escalating takes the fast path
    (settings.LAWGOV_AT_RISK_DAYS, never longer than the kind's limit)."""
    days = time_limit(kind)
    if at_risk:
        days = min(days, settings.LAWGOV_AT_RISK_DAYS)
    return start_day + timedelta(days=days)


def next_serial(year: int) -> int:
    """The next serial of `year`, race-safe: the counter row is created once (a concurrent creator's
    IntegrityError is the row existing) and incremented by one UPDATE, which locks it until the caller's
    transaction ends; two filings never get the same number, and a rolled-back filing gives its number
    back."""
    try:
        with transaction.atomic():
            DisputeCounter.objects.create(year=year)
    except IntegrityError:
        pass
    DisputeCounter.objects.filter(year=year).update(last=F("last") + 1)
    return DisputeCounter.objects.get(year=year).last


def format_number(year: int, serial: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{serial:04d}"


def community_of(area: Area | None) -> Area | None:
    if area is None or area.level < Level.COMMUNITY:
        return None
    if area.level == Level.COMMUNITY:
        return area
    return Area.objects.filter(path__in=ancestor_paths([area.path]), level=Level.COMMUNITY).first()


def handler_at(area: Area, level: int) -> Area | None:
    """The area of `level` above (or at) `area`: the community's, the street's, the county's committee."""
    if area.level == level:
        return area
    return Area.objects.filter(path__in=ancestor_paths([area.path]), level=level).first()


def lock(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("area", "community", "handler")
        .get(pk=dispute.pk)
    )


def require_mediator(actor, dispute: Dispute) -> None:
    if not mediating(dispute, actor):
        raise PermissionDenied(_("只有承办该纠纷的调解组织的调解员和干部可以办理。"))


def _step(dispute: Dispute, name: str, *, actor, comment: str = "", attachments=()) -> None:
    try:
        transition(dispute, name, actor=actor, comment=comment, attachments=attachments)
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
        raise ValidationError(refused.message) from refused


def _open(dispute: Dispute, *states) -> None:
    if dispute.state not in states:
        raise ValidationError(
            _("该纠纷当前为“%(state)s”，不能进行此项操作。") % {"state": dispute.state_label}
        )


def _users_with(permission_roles: Iterable[str], area: Area) -> list[int]:
    """Active users holding one of the roles on `area` or above it."""
    return list(
        User.objects.filter(
            is_active=True,
            grants__role__in=list(permission_roles),
            grants__area__path__in=ancestor_paths([area.path]),
        )
        .values_list("pk", flat=True)
        .distinct()
    )


# --- filing ---------------------------------------------------------------------------------------------
def may_file_online(user) -> bool:
    """Who files online (the page's form and the API's `channel="online"` alike): a real-name verified
    resident whose home lies in a community."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.identity_verified
        and community_of(user.home_area) is not None
    )


def may_receive_at(user, handler: Area | None) -> bool:
    """Whether `user` receives a case at the committee of `handler` (a street's, the county's): they mediate
    or take cases in on that area (`lawgov.mediate` or `lawgov.intake` there)."""
    return handler is not None and (
        has_perm(user, "lawgov.mediate", handler) or has_perm(user, "lawgov.intake", handler)
    )


def intake_levels(user, community: Area | None = None) -> list[int]:
    """The levels `user` may receive a case at, staff only: the community always (the intake rule on the
    area decides), a street or the county when the user mediates or takes cases in there — above
    `community` when given, else anywhere in their scope."""
    levels = [DisputeLevel.COMMUNITY.value]
    for level in (DisputeLevel.STREET, DisputeLevel.COUNTY):
        if community is not None:
            allowed = may_receive_at(user, handler_at(community, level))
        else:
            areas = Area.objects.filter(level=level, retired=False)
            allowed = any(
                scoped(areas, user, perm, path_field="path").exists()
                for perm in ("lawgov.mediate", "lawgov.intake")
            )
        if allowed:
            levels.append(level.value)
    return levels


def _check_assignment(actor, community, channel, level, kind, errors: dict) -> Area | None:
    """The level and kind a case is received at, and the area handling it (None when refused)."""
    if kind not in DisputeKind.values:
        errors["kind"] = _("请选择调解类型。")
    if level not in DisputeLevel.values:
        errors["level"] = _("请选择受理层级。")
        return None
    if channel in (Channel.ONLINE, Channel.NEGOTIATION) and (
        level != DisputeLevel.COMMUNITY or kind != DisputeKind.PEOPLES
    ):
        key = "level" if level != DisputeLevel.COMMUNITY else "kind"
        errors[key] = _("网上申请和协商移交的纠纷由社区人民调解委员会受理。")
        return None
    if community is None:
        return None
    handler = handler_at(community, level)
    if handler is None:
        errors["level"] = _("找不到该层级的调解组织。")
    elif level != DisputeLevel.COMMUNITY and not may_receive_at(actor, handler):
        errors["level"] = _("您无权在%(area)s受理纠纷，请选择您所在层级或以下的层级。") % {
            "area": handler.name
        }
        return None
    return handler


def _check_parties(parties: list[dict], errors: dict) -> list[dict]:
    cleaned = []
    for party in parties:
        name = (party.get("name") or "").strip()
        if not name:
            continue
        role = party.get("role") or PartyRole.RESPONDENT
        if role not in PartyRole.values:
            errors["parties"] = _("当事人地位无效。")
            continue
        cleaned.append(
            {
                "role": role,
                "name": name[:100],
                "phone": (party.get("phone") or "").strip()[:20],
                "address": (party.get("address") or "").strip()[:200],
                "user": party.get("user"),
            }
        )
    return cleaned


@transaction.atomic
def file_dispute(
    *,
    actor,
    area: Area,
    title: str,
    category: str,
    description: str,
    channel: str,
    request: str = "",
    urgency: str = Urgency.NORMAL,
    at_risk: bool = False,
    parties: Iterable[dict] = (),
    negotiation=None,
    authorized: bool = False,
    level: int = DisputeLevel.COMMUNITY,
    kind: str = DisputeKind.PEOPLES,
    now: datetime | None = None,
    submission: str = "",
) -> Dispute:
    """A dispute received, with one number for life: at the community's people's mediation committee, or,
    taken in by staff, at the `level` (the street's, the county's committee: the handler follows the level)
    and as the `kind` of mediation given (the time limit follows the kind): the user must mediate or take
    cases in at that level (`intake_levels`). Online (`channel="online"`): a real-name verified resident of
    the community files it, and is its applicant, always at the community as people's mediation. By a grid
    worker or at a station: `lawgov.intake` on the area. A case at risk of escalating (可能激化) takes the
    fast path (a shorter time limit, urgent) and alerts the street's mediators and officials.
    `authorized=True` is for the platform's own hook (a negotiation handed over). `submission`: the form's
    token — the same form posted again (a double click) gives the case it filed (portal/submissions.py)."""
    errors: dict = {}
    community = community_of(area) if area is not None else None
    parties = list(parties)
    if community is None or area.retired:
        errors["area"] = _("请选择社区或其下的网格、院落、楼栋。")
    elif channel == Channel.ONLINE:
        if not actor.identity_verified:
            raise PermissionDenied(_("您尚未通过社区的实名核验，暂时不能在网上申请调解。"))
        home = actor.home_area
        if home is None or community_of(home) != community:
            errors["area"] = _("只能申请调解本社区的纠纷。")
    elif channel in (Channel.GRID, Channel.STATION):
        if not has_perm(actor, "lawgov.intake", area):
            errors["area"] = _("您无权在该区域登记纠纷。")
    elif not (channel == Channel.NEGOTIATION and authorized):
        errors["channel"] = _("受理渠道无效。")
    if not (title or "").strip():
        errors["title"] = _("请填写纠纷事由。")
    if category not in DisputeCategory.values:
        errors["category"] = _("请选择纠纷类别。")
    if not (description or "").strip():
        errors["description"] = _("请填写纠纷经过。")
    if urgency not in Urgency.values:
        errors["urgency"] = _("紧急程度无效。")
    handler = _check_assignment(actor, community, channel, level, kind, errors)
    cleaned = _check_parties(parties, errors)
    if channel == Channel.ONLINE and not errors:
        cleaned.insert(
            0,
            {
                "role": PartyRole.APPLICANT,
                "name": actor.full_name or actor.username,
                "phone": actor.phone,
                "address": "",
                "user": actor,
            },
        )
    if not cleaned and "parties" not in errors:
        errors["parties"] = _("请至少填写一名当事人。")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    made: list[Dispute] = []

    def create(token: str) -> Dispute:
        today = timezone.localdate(now)
        year = today.year
        serial = next_serial(year)
        dispute = Dispute.objects.create(
            number=format_number(year, serial),
            year=year,
            serial=serial,
            community=community,
            area=area,
            title=title.strip()[:200],
            category=category,
            description=description.strip()[:8000],
            request=(request or "").strip()[:4000],
            urgency=Urgency.URGENT if at_risk else urgency,
            at_risk=bool(at_risk),
            channel=channel,
            level=level,
            start_level=level,
            kind=kind,
            handler=handler,
            due_on=due_date(kind, today, at_risk=at_risk),
            negotiation=negotiation,
            filed_by=actor,
            created_at=now,
            state_since=now,
            submission=token,
        )
        for party in cleaned:
            DisputeParty.objects.create(dispute=dispute, **party)
        dispute.open_stage()
        start(dispute, actor=actor)
        made.append(dispute)
        return dispute

    dispute = create_once(Dispute, submission=submission, create=create, filed_by=actor)
    if dispute not in made:  # the same form again: the case it filed, no second alert
        return dispute
    if level == DisputeLevel.COMMUNITY:
        recipients = _users_with((Role.MEDIATOR, Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER), community)
    else:  # received above the community: that level's mediators, as when a case is escalated there
        recipients = _users_with((Role.MEDIATOR,), handler)
    if at_risk:
        street = handler_at(community, Level.STREET)
        if street is not None:
            recipients += _users_with((Role.MEDIATOR, Role.STREET_OFFICIAL), street)
        verb = _("【可能激化】新受理纠纷 %(number)s：%(title)s") % {
            "number": dispute.number,
            "title": dispute.title,
        }
    else:
        verb = _("新受理纠纷 %(number)s：%(title)s") % {"number": dispute.number, "title": dispute.title}
    notify(
        recipients=[r for r in recipients if r != actor.pk],
        verb=verb,
        target=dispute,
        url=dispute.get_absolute_url(),
    )
    return dispute


def receive_negotiation(*, negotiation, actor=None) -> Dispute:
    """自治's hook: a negotiation handed over to mediation becomes a case of its community (once), its
    parties named, what happened and why it failed carried over. Called on the `hand_over` step."""
    existing = Dispute.objects.filter(negotiation=negotiation).first()
    if existing is not None:
        return existing
    description = "\n\n".join(
        part
        for part in (
            negotiation.description,
            _("协商未果的原因：%(reason)s") % {"reason": negotiation.failure_reason}
            if negotiation.failure_reason
            else "",
            _("移交调解的原因：%(reason)s") % {"reason": negotiation.handover_reason}
            if negotiation.handover_reason
            else "",
        )
        if part
    )
    parties = [
        {"role": PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT, "name": str(p)}
        for i, p in enumerate(negotiation.parties.select_related("partner"))
    ]
    return file_dispute(
        actor=actor or negotiation.created_by,
        area=negotiation.area,
        title=negotiation.subject,
        category=DisputeCategory.OTHER,
        description=description or negotiation.subject,
        channel=Channel.NEGOTIATION,
        parties=parties or [{"role": PartyRole.APPLICANT, "name": negotiation.subject}],
        negotiation=negotiation,
        authorized=True,
    )


# --- handling -------------------------------------------------------------------------------------------
@transaction.atomic
def assign_mediators(*, actor, dispute: Dispute, users: Iterable) -> Dispute:
    """The mediators handling the case at its present level: each must hold `lawgov.mediate` there."""
    require_mediator(actor, dispute)
    dispute = lock(dispute)
    _open(dispute, DisputeState.RECEIVED, DisputeState.MEDIATING)
    users = list(users)
    wrong = [u for u in users if not has_perm(u, "lawgov.mediate", dispute.handler)]
    if not users or wrong:
        raise ValidationError({"mediators": _("请选择承办单位的调解员。")})
    dispute.mediators.set(users)
    notify(
        recipients=[u for u in users if u.pk != actor.pk],
        verb=_("您被指派调解纠纷 %(number)s") % {"number": dispute.number},
        target=dispute,
        url=dispute.get_absolute_url(),
    )
    return dispute


@transaction.atomic
def record_session(
    *,
    actor,
    dispute: Dispute,
    held_at: datetime,
    place: str,
    mediator_names: str,
    record: str = "",
) -> MediationSession:
    """A mediation session at the case's present level and kind (its record of mediation when held)."""
    require_mediator(actor, dispute)
    dispute = lock(dispute)
    _open(dispute, DisputeState.RECEIVED, DisputeState.MEDIATING)
    errors = {}
    if held_at is None:
        errors["held_at"] = _("请填写调解时间。")
    if not (place or "").strip():
        errors["place"] = _("请填写调解地点。")
    if not (mediator_names or "").strip():
        errors["mediator_names"] = _("请填写调解员。")
    if errors:
        raise ValidationError(errors)
    return MediationSession.objects.create(
        dispute=dispute,
        level=dispute.level,
        kind=dispute.kind,
        held_at=held_at,
        place=place.strip()[:200],
        mediator_names=mediator_names.strip()[:200],
        record=(record or "").strip()[:8000],
        created_by=actor,
    )


def start_mediation(*, actor, dispute: Dispute, comment: str = "") -> Dispute:
    _step(dispute, "start_mediation", actor=actor, comment=comment)
    return dispute


@transaction.atomic
def settle(
    *, actor, dispute: Dispute, text: str, file=None, comment: str = "", attachments=(), now=None
) -> Dispute:
    """调解成功: the agreement's text (the printable agreement is drafted from it) and the signed file when
    there is one (served by the scoped, audited view); the follow-up visit falls due."""
    require_mediator(actor, dispute)
    dispute = lock(dispute)
    _open(dispute, DisputeState.MEDIATING)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("请填写调解协议内容。")
    checked = check_optional(file, errors)
    if errors:
        raise ValidationError(errors)
    dispute.agreement_text = text.strip()[:8000]
    if checked is not None:
        dispute.agreement_file_name = getattr(file, "name", "")[:200]
        dispute.agreement_file.save(checked.name, checked, save=False)
    _step(dispute, "settle", actor=actor, comment=comment, attachments=attachments)
    return dispute


@transaction.atomic
def confirm_judicially(*, actor, dispute: Dispute, on: date, court: str) -> Dispute:
    """The agreement's judicial confirmation (司法确认), optional, after the settlement."""
    require_mediator(actor, dispute)
    dispute = lock(dispute)
    _open(dispute, DisputeState.SETTLED, DisputeState.VISITED)
    errors = {}
    if on is None:
        errors["on"] = _("请填写司法确认日期。")
    elif dispute.settled_at and on < timezone.localdate(dispute.settled_at):
        errors["on"] = _("司法确认日期不能早于调解成功的日期。")
    if not (court or "").strip():
        errors["court"] = _("请填写作出确认的法院。")
    if errors:
        raise ValidationError(errors)
    dispute.confirmed_on = on
    dispute.confirmed_by = court.strip()[:100]
    dispute.save(update_fields=["confirmed_on", "confirmed_by"])
    return dispute


@transaction.atomic
def escalate(*, actor, dispute: Dispute, reason: str) -> Dispute:
    """Not settled here: the case goes to the next level (community → street → county), same number, a new
    stage with its own time limit (the step does it: Dispute.escalate); the reason on the timeline; the next
    level's mediators told."""
    dispute = lock(dispute)
    _step(dispute, "escalate", actor=actor, comment=(reason or "").strip())
    notify(
        recipients=_users_with((Role.MEDIATOR,), dispute.handler),
        verb=_("纠纷 %(number)s 上移至本级调解：%(title)s")
        % {"number": dispute.number, "title": dispute.title},
        target=dispute,
        url=dispute.get_absolute_url(),
    )
    return dispute


@transaction.atomic
def refer(*, actor, dispute: Dispute, kind: str, reason: str) -> Dispute:
    """Not settled by this kind: referred to another kind of mediation (people's, administrative, judicial) at
    the same level, same number, a new stage with the kind's time limit; the reason on the timeline."""
    dispute = lock(dispute)
    if kind not in DisputeKind.values or kind == dispute.kind:
        raise ValidationError({"kind": _("请选择另一种调解类型。")})
    dispute.next_kind = kind
    _step(dispute, "refer", actor=actor, comment=(reason or "").strip())
    return dispute


@transaction.atomic
def close(*, actor, dispute: Dispute, advice: str, reason: str) -> Dispute:
    """调解终结: not settled, the parties advised to litigate or arbitrate (or another channel)."""
    dispute = lock(dispute)
    if advice not in Advice.values:
        raise ValidationError({"advice": _("请选择终结建议。")})
    dispute.advice = advice
    _step(dispute, "close", actor=actor, comment=(reason or "").strip())
    return dispute


@transaction.atomic
def visit(*, actor, dispute: Dispute, note: str, carried_out: bool | None) -> Dispute:
    """The follow-up visit after the settlement: was the agreement carried out?"""
    require_mediator(actor, dispute)
    dispute = lock(dispute)
    _open(dispute, DisputeState.SETTLED)
    errors = {}
    if not (note or "").strip():
        errors["note"] = _("请填写回访情况。")
    if carried_out is None:
        errors["carried_out"] = _("请选择协议是否已履行。")
    if errors:
        raise ValidationError(errors)
    dispute.visit_note = note.strip()[:4000]
    dispute.carried_out = carried_out
    _step(dispute, "visit", actor=actor, comment=dispute.visit_note)
    return dispute


# --- the clock ------------------------------------------------------------------------------------------
def remind_due(*, today: date | None = None) -> int:
    """Open cases whose time limit ends within settings.LAWGOV_REMIND_DAYS days (or has passed): the
    assigned mediators, else the mediators of the handling area, reminded once per stage; settled cases whose
    follow-up visit is due likewise. Returns how many cases were reminded."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.LAWGOV_REMIND_DAYS)
    due = Q(state__in=(DisputeState.RECEIVED, DisputeState.MEDIATING), due_on__lte=horizon) | Q(
        state=DisputeState.SETTLED, visit_due_on__lte=today
    )
    count = 0
    for dispute in Dispute.objects.filter(due, reminded_on__isnull=True).select_related("handler"):
        with transaction.atomic():
            if Dispute.objects.filter(pk=dispute.pk, reminded_on__isnull=True).update(reminded_on=today) != 1:
                continue
            people = list(dispute.mediators.values_list("pk", flat=True)) or _users_with(
                (Role.MEDIATOR,), dispute.handler
            )
            if dispute.state == DisputeState.SETTLED:
                verb = _("纠纷 %(number)s 应于 %(date)s 前回访") % {
                    "number": dispute.number,
                    "date": dispute.visit_due_on.isoformat(),
                }
            elif dispute.due_on < today:
                verb = _("纠纷 %(number)s 已超过调解期限（%(date)s）") % {
                    "number": dispute.number,
                    "date": dispute.due_on.isoformat(),
                }
            else:
                verb = _("纠纷 %(number)s 的调解期限将于 %(date)s 届满") % {
                    "number": dispute.number,
                    "date": dispute.due_on.isoformat(),
                }
            notify(recipients=people, verb=verb, target=dispute, url=dispute.get_absolute_url())
            count += 1
    return count
