"""Reading disputes: who sees which case (the one scoping function, with its per-record clause for the
parties and the assigned mediators), the mediator's caseload, the overdue list, the case's timeline across
levels and kinds, the parties' contact details masked where the role does not need them, the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from grassroots.access.scoping import has_perm, scope_q, scoped
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


def case_file_q(user) -> Q:
    """The cases whose file `user` reads — its title, what happened, the request, the parties and their
    statements, the sessions' records, the reasons given at each stage, the agreement, the visit and the
    printable documents: those handling it (`lawgov.mediate` on the area handling it now — the committee of
    its present level and the officials above it who mediate), the mediators assigned to it, its parties and
    whoever filed it (issue 16: "who sees a case"). Everyone else who sees the case (the officials of the
    area where it happened, legal workers, auditors) reads its summary only: number, category, level, kind,
    state, places and dates — what the figures are made of (docs/decisions.md)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    named = Dispute.objects.filter(Q(mediators=user) | Q(parties__user=user) | Q(filed_by=user))
    return scope_q(user, MEDIATE, "handler__path") | Q(pk__in=named.values("pk"))


def with_case_file(queryset: QuerySet[Dispute], user) -> QuerySet[Dispute]:
    """`queryset` with `case_file` on each row: does `user` read that case's file (case_file_q)? In the
    same query, so that a list marks each row without a query per row."""
    readable = When(case_file_q(user), then=Value(True))
    return queryset.annotate(case_file=Case(readable, default=Value(False), output_field=BooleanField()))


def reads_case_file(user, dispute: Dispute) -> bool:
    """Does `user` read the file of `dispute` (its annotation when it was read through the selectors)?"""
    known = getattr(dispute, "case_file", None)
    if known is not None:
        return known
    return Dispute.objects.filter(case_file_q(user), pk=dispute.pk).exists()


def visible_disputes(user) -> QuerySet[Dispute]:
    """The cases `user` may see: officials, mediators, legal workers and auditors in scope; the parties and
    the assigned mediators their own cases (the per-record clause). Each row says whether the user reads
    its file or its summary only (`case_file`, see case_file_q)."""
    if user is None or not user.is_authenticated:
        return Dispute.objects.none()
    cases = scoped(Dispute.objects.all(), user, VIEW).select_related("area", "community", "handler")
    return with_case_file(cases, user)


def readable_disputes(user) -> QuerySet[Dispute]:
    """The cases whose file `user` reads, of those they see (search finds a case by its text only here)."""
    return visible_disputes(user).filter(case_file_q(user))


def my_disputes(user) -> QuerySet[Dispute]:
    """The cases a resident is a party to (or filed): the resident's own page."""
    if user is None or not user.is_authenticated:
        return Dispute.objects.none()
    mine = DisputeParty.objects.filter(user=user).values("dispute_id")
    cases = (
        Dispute.objects.filter(Q(pk__in=mine) | Q(filed_by=user, channel="online"))
        .select_related("handler")
        .order_by("-created_at", "-pk")
    )
    return with_case_file(cases, user)


def caseload(user) -> QuerySet[Dispute]:
    """The open and settled-but-unvisited cases at the levels the user mediates: those handled by an area
    under their `lawgov.mediate` grants, or assigned to them; the at-risk ones first, then by time limit."""
    handled = scope_q(user, MEDIATE, "handler__path") | Q(mediators=user)
    cases = (
        Dispute.objects.filter(handled, state__in=(*OPEN_STATES, DisputeState.SETTLED))
        .distinct()
        .select_related("area", "handler")
        .order_by("-at_risk", "due_on", "pk")
    )
    return with_case_file(cases, user)


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


def timeline(dispute: Dispute, *, case_file: bool = True) -> list[Entry]:
    """The case's whole history across levels and kinds, oldest first: its steps (the workflow's log) and its
    mediation sessions, each step with the level and kind it was taken at (the stage then). Three queries.
    Without `case_file` (a reader of the summary only), what was said is left out: the steps' comments
    (reasons) and the sessions' places, mediators and records."""
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
    if not case_file:
        for entry in entries:
            entry.comment = ""
            if entry.kind == "session":
                entry.detail = ""
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
