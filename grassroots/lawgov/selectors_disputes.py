"""Reading disputes: who sees which case (the one scoping function, with its per-record clause for the
parties and the assigned mediators), the mediator's caseload, the overdue list, the case's timeline across
levels and kinds, the parties' contact details masked where the role does not need them, the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.access.scoping import has_perm, scoped
from grassroots.accounts.pii import mask_phone
from grassroots.lawgov.models_disputes import (
    Dispute,
    DisputeLevel,
    DisputeParty,
    DisputeStage,
    DisputeState,
)
from grassroots.workflow import selectors as workflow

VIEW = "lawgov.disputes"
MEDIATE = "lawgov.mediate"
OPEN_STATES = (DisputeState.RECEIVED, DisputeState.MEDIATING)


def visible_disputes(user) -> QuerySet[Dispute]:
    """The cases `user` may see: officials, mediators, legal workers and auditors in scope; the parties and
    the assigned mediators their own cases (the per-record clause)."""
    if user is None or not user.is_authenticated:
        return Dispute.objects.none()
    return scoped(Dispute.objects.all(), user, VIEW).select_related("area", "community", "handler")


def my_disputes(user) -> QuerySet[Dispute]:
    """The cases a resident is a party to (or filed): the resident's own page."""
    if user is None or not user.is_authenticated:
        return Dispute.objects.none()
    mine = DisputeParty.objects.filter(user=user).values("dispute_id")
    return (
        Dispute.objects.filter(Q(pk__in=mine) | Q(filed_by=user, channel="online"))
        .select_related("handler")
        .order_by("-created_at", "-pk")
    )


def caseload(user) -> QuerySet[Dispute]:
    """The open and settled-but-unvisited cases at the levels the user mediates: those handled by an area
    under their `lawgov.mediate` grants, or assigned to them; the at-risk ones first, then by time limit."""
    from grassroots.access.scoping import scope_q

    handled = scope_q(user, MEDIATE, "handler__path") | Q(mediators=user)
    return (
        Dispute.objects.filter(handled, state__in=(*OPEN_STATES, DisputeState.SETTLED))
        .distinct()
        .select_related("area", "handler")
        .order_by("-at_risk", "due_on", "pk")
    )


def overdue(user, *, today: date | None = None) -> QuerySet[Dispute]:
    """Open cases past their time limit, of the user's scope."""
    today = today or timezone.localdate()
    return visible_disputes(user).filter(state__in=OPEN_STATES, due_on__lt=today).order_by("due_on", "pk")


def may_mediate(user, dispute: Dispute) -> bool:
    from grassroots.lawgov.models_disputes import mediating

    return mediating(dispute, user)


def may_see_contacts(user, dispute: Dispute) -> bool:
    """Full phone numbers and addresses of the parties: those who mediate the case (they call the parties),
    and holders of people.view_pii on its area; everyone else (auditors, legal workers, officials reading
    the figures, a party reading the other side) sees them masked."""
    return may_mediate(user, dispute) or has_perm(user, "people.view_pii", dispute.area)


@dataclass
class PartyRow:
    party: DisputeParty
    phone: str
    address: str

    @property
    def name(self) -> str:
        return self.party.name

    @property
    def role_label(self) -> str:
        return self.party.get_role_display()


def party_rows(user, dispute: Dispute) -> list[PartyRow]:
    full = may_see_contacts(user, dispute)
    rows = []
    for party in dispute.parties.all():
        own = party.user_id is not None and party.user_id == user.pk
        if full or own:
            rows.append(PartyRow(party, party.phone, party.address))
        else:
            rows.append(PartyRow(party, mask_phone(party.phone), "***" if party.address else ""))
    return rows


@dataclass
class Entry:
    """One line of the case's timeline: a step of the workflow, or a mediation session."""

    at: datetime
    kind: str  # "step" or "session"
    label: str
    actor: object = None
    comment: str = ""
    detail: str = ""
    level_label: str = ""
    kind_label: str = ""


def timeline(dispute: Dispute) -> list[Entry]:
    """The case's whole history across levels and kinds, oldest first: its steps (the workflow's log) and its
    mediation sessions, each step with the level and kind it was taken at (the stage then). Three queries."""
    stages = list(DisputeStage.objects.filter(dispute=dispute).order_by("started_at", "pk"))

    def stage_at(moment):
        current = stages[0] if stages else None
        for stage in stages:
            if stage.started_at <= moment:
                current = stage
        return current

    entries = []
    for step in workflow.timeline(dispute):
        stage = stage_at(step.at)
        entries.append(
            Entry(
                at=step.at,
                kind="step",
                label=step.label,
                actor=step.actor,
                comment=step.comment,
                detail=step.to_label,
                level_label=stage.get_level_display() if stage else "",
                kind_label=stage.get_kind_display() if stage else "",
            )
        )
    for session in dispute.sessions.all().order_by("held_at", "pk"):
        entries.append(
            Entry(
                at=session.held_at,
                kind="session",
                label=str(session._meta.verbose_name),
                comment=session.record,
                detail=f"{session.place} · {session.mediator_names}",
                level_label=session.get_level_display(),
                kind_label=session.get_kind_display(),
            )
        )
    return sorted(entries, key=lambda e: (e.at, e.kind != "step"))


LEVEL_LABELS = dict(DisputeLevel.choices)


def mediator_choices(dispute: Dispute):
    """Whom the case may be assigned to: the active mediators of the committee handling it now (a grant of
    the mediator's role on its handling area)."""
    from grassroots.accounts.models import User
    from grassroots.accounts.roles import Role

    return (
        User.objects.filter(is_active=True, grants__role=Role.MEDIATOR, grants__area=dispute.handler_id)
        .distinct()
        .order_by("full_name", "username")
    )
