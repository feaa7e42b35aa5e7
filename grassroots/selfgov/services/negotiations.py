"""Negotiations (协商), one function per action: start one (perhaps from a matter), name its parties, schedule
its sessions (gatherings of kind `negotiation`, the parties their guests), record each party's position per
session, record the agreement (text and signed file) — or the failure and the handover to mediation through
the workflow's steps —, list the agreement's follow-up items and mark them done, remind of the overdue ones
(the clock). Who acts: `selfgov.manage` on the negotiation's area (the workflow rule `negotiators`).
Refusals are ValidationErrors keyed by field, or PermissionDenied naming what is missing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, PartyOrg
from grassroots.files.checks import check_optional
from grassroots.gatherings.models import Status, Visibility
from grassroots.gatherings.services import authorized as gatherings
from grassroots.portal.submissions import create_once
from grassroots.selfgov import selectors, selectors_negotiations
from grassroots.selfgov.models import Matter
from grassroots.selfgov.models_negotiations import (
    SESSION_KIND,
    FollowUp,
    Negotiation,
    NegotiationParty,
    NegotiationSession,
    NegotiationState,
    PartyKind,
    Position,
    negotiators,
)
from grassroots.workflow.services import TransitionRefused, notify, start, transition


def require_lead(actor, negotiation: Negotiation) -> None:
    if not negotiators(negotiation, actor):
        raise PermissionDenied(_("只有该区域负责协商的社区工作者、书记和上级干部可以办理。"))


def lock(negotiation: Negotiation) -> Negotiation:
    return (
        Negotiation.objects.select_for_update(of=("self",))
        .select_related("area", "community", "party_org")
        .get(pk=negotiation.pk)
    )


def _step(negotiation: Negotiation, name: str, *, actor, comment: str = "", attachments=()) -> None:
    try:
        transition(negotiation, name, actor=actor, comment=comment, attachments=attachments)
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
        raise ValidationError(refused.message) from refused


def _open(negotiation: Negotiation, *states) -> None:
    if negotiation.state not in states:
        raise ValidationError(
            _("该协商当前为“%(state)s”，不能进行此项操作。") % {"state": negotiation.state_label}
        )


# --- starting -------------------------------------------------------------------------------------------
@transaction.atomic
def start_negotiation(
    *,
    actor,
    area: Area,
    party_org: PartyOrg,
    subject: str,
    description: str = "",
    matter: Matter | None = None,
    parties: Iterable[dict] = (),
    now: datetime | None = None,
    submission: str = "",
) -> Negotiation:
    """A negotiation of a community or a courtyard/building in it, led by a Party organization of that area or
    above; from a matter the worker sees (of the same community), with its first parties. `submission`: the
    form's token — the same form posted again gives the negotiation it made (portal/submissions.py)."""
    errors = {}
    community = selectors.community_of(area) if area is not None else None
    if community is None or area.retired:
        errors["area"] = _("请选择社区或其下的院落、楼栋。")
    elif not has_perm(actor, "selfgov.manage", area):
        errors["area"] = _("您无权在该区域发起协商。")
    if party_org is None or (
        community is not None
        and not selectors_negotiations.leading_orgs(area).filter(pk=party_org.pk).exists()
    ):
        errors["party_org"] = _("牵头党组织须是本区域或上级区域的党组织。")
    if not (subject or "").strip():
        errors["subject"] = _("请填写协商事项。")
    if matter is not None and (community is None or matter.community_id != community.pk):
        errors["matter"] = _("来源事项须是本社区的民生事项。")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()

    def create(token: str) -> Negotiation:
        negotiation = Negotiation.objects.create(
            community=community,
            area=area,
            party_org=party_org,
            subject=subject.strip()[:200],
            description=(description or "").strip(),
            matter=matter,
            created_by=actor,
            created_at=now,
            state_since=now,
            submission=token,
        )
        start(negotiation, actor=actor)
        for party in parties:
            add_party(actor=actor, negotiation=negotiation, **party)
        return negotiation

    return create_once(Negotiation, submission=submission, create=create, created_by=actor)


@transaction.atomic
def add_party(
    *, actor, negotiation: Negotiation, kind: str, partner=None, name: str = "", role: str = ""
) -> NegotiationParty:
    """A party: an organization of the register the worker sees (`partner`), or one without an account by
    name (an organization, or a person with their role)."""
    require_lead(actor, negotiation)
    negotiation = lock(negotiation)
    _open(negotiation, NegotiationState.OPEN, NegotiationState.IN_SESSION)
    name = (name or "").strip()[:100]
    errors = {}
    if kind not in PartyKind.values:
        errors["kind"] = _("请选择参与方类型。")
    if (
        partner is not None
        and not selectors_negotiations.pickable_partners(actor).filter(pk=partner.pk).exists()
    ):
        errors["partner"] = _("请选择您可见的、未退出的共建单位。")
    if partner is None and not name:
        errors["name"] = _("请选择登记的单位或填写名称、姓名。")
    if partner is not None:
        name = ""
    elif negotiation.parties.filter(partner__isnull=True, name=name).exists():
        errors["name"] = _("%(name)s 已是参与方。") % {"name": name}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            party = NegotiationParty.objects.create(
                negotiation=negotiation,
                kind=kind,
                partner=partner,
                name=name,
                role=(role or "").strip()[:100],
            )
    except IntegrityError as exc:
        raise ValidationError({"partner": _("该单位已是参与方。")}) from exc
    # the parties are the guests of the sessions still to come
    for session in negotiation.sessions.filter(gathering__status=Status.PLANNED).select_related("gathering"):
        if not session.gathering.guests.filter(name=str(party)[:100]).exists():
            session.gathering.guests.create(
                name=str(party)[:100], role=party.get_kind_display(), added_by=actor
            )
    return party


# --- sessions and positions -----------------------------------------------------------------------------
@transaction.atomic
def schedule_session(
    *,
    actor,
    negotiation: Negotiation,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    description: str = "",
) -> NegotiationSession:
    """A session: a gathering of kind `negotiation` in the negotiation's area, organized by its leading Party
    organization, invited only; the parties are its guests. The first session moves the negotiation to
    协商中 (the step `convene`)."""
    require_lead(actor, negotiation)
    negotiation = lock(negotiation)
    _open(negotiation, NegotiationState.OPEN, NegotiationState.IN_SESSION)
    if not negotiation.parties.exists():
        raise ValidationError(_("请先列出协商的参与方。"))
    number = (negotiation.sessions.aggregate(n=Max("number"))["n"] or 0) + 1
    gathering = gatherings.create_gathering(
        actor=actor,
        kind=SESSION_KIND,
        title=_("第%(n)d次协商会：%(subject)s") % {"n": number, "subject": negotiation.subject},
        area=negotiation.area,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=description or negotiation.description,
        visibility=Visibility.INVITED,
        party_org=negotiation.party_org,
    )
    for party in negotiation.parties.select_related("partner"):
        gathering.guests.create(name=str(party)[:100], role=party.get_kind_display(), added_by=actor)
    session = NegotiationSession.objects.create(negotiation=negotiation, gathering=gathering, number=number)
    if negotiation.state == NegotiationState.OPEN:
        _step(negotiation, "convene", actor=actor)
    return session


@transaction.atomic
def record_position(
    *,
    actor,
    negotiation: Negotiation,
    session: NegotiationSession,
    party: NegotiationParty,
    text: str,
    now=None,
) -> Position:
    """What `party` holds at `session` (recorded by the worker; recording again replaces the text). The
    session must have begun and not be cancelled."""
    require_lead(actor, negotiation)
    negotiation = lock(negotiation)
    errors = {}
    if session is None or session.negotiation_id != negotiation.pk:
        errors["session"] = _("请选择本协商的会议。")
    if party is None or party.negotiation_id != negotiation.pk:
        errors["party"] = _("请选择本协商的参与方。")
    if not (text or "").strip():
        errors["text"] = _("请填写该方的立场与诉求。")
    if errors:
        raise ValidationError(errors)
    gathering = session.gathering
    if gathering.status == Status.CANCELLED:
        raise ValidationError({"session": _("该次会议已取消。")})
    if (now or timezone.now()) < gathering.starts_at:
        raise ValidationError({"session": _("该次会议尚未开始。")})
    position, _created = Position.objects.update_or_create(
        session=session, party=party, defaults={"text": text.strip()[:2000], "author": actor}
    )
    return position


# --- the agreement and its follow-up --------------------------------------------------------------------
@transaction.atomic
def reach_agreement(
    *, actor, negotiation: Negotiation, text: str, file=None, comment: str = "", attachments=()
):
    """The agreement reached (its text, and the signed file when there is one, served by the scoped view):
    the step `agree`, once a session was held."""
    require_lead(actor, negotiation)
    negotiation = lock(negotiation)
    _open(negotiation, NegotiationState.IN_SESSION)
    if not negotiation.sessions.filter(gathering__status=Status.HELD).exists():
        raise ValidationError(_("尚无已召开的协商会议（请先在会议页面标记为已召开）。"))
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("请填写协议内容。")
    checked = check_optional(file, errors)
    if errors:
        raise ValidationError(errors)
    negotiation.agreement_text = text.strip()[:8000]
    if checked is not None:
        negotiation.agreement_file_name = getattr(file, "name", "")[:200]
        negotiation.agreement_file.save(checked.name, checked, save=False)
    _step(negotiation, "agree", actor=actor, comment=comment, attachments=attachments)
    return negotiation


@transaction.atomic
def add_follow_up(
    *, actor, negotiation: Negotiation, text: str, owner: NegotiationParty, due_on: date
) -> FollowUp:
    """An item of the agreement to carry out, by a party, by a date."""
    require_lead(actor, negotiation)
    negotiation = lock(negotiation)
    _open(negotiation, NegotiationState.AGREED)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("请填写落实事项。")
    if owner is None or owner.negotiation_id != negotiation.pk:
        errors["owner"] = _("请选择本协商的参与方作为责任方。")
    if due_on is None:
        errors["due_on"] = _("请填写完成期限。")
    elif negotiation.agreed_at and due_on < timezone.localdate(negotiation.agreed_at):
        errors["due_on"] = _("完成期限不能早于达成协议的日期。")
    if errors:
        raise ValidationError(errors)
    return FollowUp.objects.create(
        negotiation=negotiation, text=text.strip()[:300], owner=owner, due_on=due_on
    )


@transaction.atomic
def complete_follow_up(*, actor, negotiation: Negotiation, item: FollowUp, note: str, now=None) -> FollowUp:
    """An item done, with a note on how it was carried out."""
    require_lead(actor, negotiation)
    negotiation = lock(negotiation)
    _open(negotiation, NegotiationState.AGREED)
    if item is None or item.negotiation_id != negotiation.pk:
        raise ValidationError({"item": _("请选择本协商的落实事项。")})
    item = FollowUp.objects.select_for_update().get(pk=item.pk)
    if item.done_at is not None:
        raise ValidationError({"item": _("该事项已办结。")})
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写落实情况。")})
    item.done_at = now or timezone.now()
    item.done_note = note.strip()[:2000]
    item.done_by = actor
    item.save(update_fields=["done_at", "done_note", "done_by"])
    return item


STEPS = ("fail", "hand_over", "complete", "close")


def take_step(*, actor, negotiation: Negotiation, name: str, comment: str = "") -> Negotiation:
    """协商未果 (`fail`, the reason), 移交调解 (`hand_over`, the reason), 落实完毕 (`complete`), 结案
    (`close`); a refusal is a ValidationError with the workflow's message."""
    if name not in STEPS:
        raise ValidationError(_("没有这项操作。"))
    _step(negotiation, name, actor=actor, comment=comment)
    return negotiation


# --- the clock ------------------------------------------------------------------------------------------
def remind_overdue_follow_ups(*, today: date | None = None) -> int:
    """Follow-up items past their due date, not done, of agreed negotiations: whoever started the
    negotiation is reminded once per item. Returns how many were reminded."""
    today = today or timezone.localdate()
    count = 0
    items = FollowUp.objects.filter(
        done_at__isnull=True,
        due_on__lt=today,
        reminded_on__isnull=True,
        negotiation__state=NegotiationState.AGREED,
    ).select_related("negotiation", "owner", "owner__partner")
    for item in items:
        with transaction.atomic():
            if FollowUp.objects.filter(pk=item.pk, reminded_on__isnull=True).update(reminded_on=today) != 1:
                continue
            negotiation = item.negotiation
            notify(
                recipients=[negotiation.created_by_id],
                verb=_("协商“%(subject)s”的落实事项已逾期：%(text)s（%(owner)s，期限 %(due)s）")
                % {
                    "subject": negotiation.subject,
                    "text": item.text,
                    "owner": item.owner,
                    "due": item.due_on.isoformat(),
                },
                target=negotiation,
                url=negotiation.get_absolute_url(),
            )
            count += 1
    return count
