"""法治's home blocks (grassroots/portal/homes.py), each shown only to the role that acts on it:

- `lawgov_caseload` (field workers' home): a mediator's caseload — open cases, overdue, settled awaiting the
  follow-up visit, the first cases (at risk first, then by time limit) and the next mediation sessions;
- `lawgov_alerts` (console): for officials with the mediation role, the open cases of their subtree at risk
  of escalating (可能激化) or past their time limit — only when there are some;
- `lawgov_station` (field workers' home): a legal worker's station, its next sessions with their bookings;
- `lawgov_mine` (residents' home): my cases and my bookings — only when there are some;
- `lawgov_pairings` (residents' home: cadres and units' representatives): the pairings in force where I
  record the services — my own as a cadre, my units' — with this year's services and hours, each linking to
  the pairing where the service is recorded; only when there are some;
- `lawgov_pairings_console` (console): for those who pair (`lawgov.pair`), the pairings in force in their
  scope and those without a service this year, the first of these — only when there are pairings.

Bounded queries, whatever the rows: three, one (two with cases), two, two, one, two."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone

from grassroots.access.scoping import has_perm, role_paths, roles_of, scope_q
from grassroots.accounts.roles import Role
from grassroots.gatherings.models import Participant, Status
from grassroots.lawgov import selectors_disputes, selectors_pairings, selectors_stations, services_pairings
from grassroots.lawgov.models_disputes import Dispute, DisputeState, MediationSession
from grassroots.lawgov.models_pairings import Pairing, PairingState
from grassroots.lawgov.models_stations import LegalStation
from grassroots.portal.homes import GRID, OFFICIAL, RESIDENT, register_block

SHOWN = 5
OPEN = selectors_disputes.OPEN_STATES


def caseload_block(request):
    user = request.user
    if Role.MEDIATOR not in roles_of(user) or not has_perm(user, selectors_disputes.MEDIATE):
        return None
    today = timezone.localdate()
    cases = selectors_disputes.caseload(user)
    ids = cases.values("pk")
    counts = Dispute.objects.filter(pk__in=ids).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN)),
        overdue=Count("pk", filter=Q(state__in=OPEN, due_on__lt=today)),
        to_visit=Count("pk", filter=Q(state=DisputeState.SETTLED)),
    )
    sessions = (
        MediationSession.objects.filter(dispute__in=ids, held_at__gte=timezone.now())
        .select_related("dispute")
        .order_by("held_at", "pk")[:SHOWN]
    )
    return {"counts": counts, "cases": list(cases[:SHOWN]), "sessions": list(sessions), "today": today}


def alerts_block(request):
    user = request.user
    if not has_perm(user, selectors_disputes.MEDIATE):
        return None
    today = timezone.localdate()
    mine = Dispute.objects.filter(scope_q(user, selectors_disputes.MEDIATE, "area__path"), state__in=OPEN)
    counts = mine.aggregate(
        at_risk=Count("pk", filter=Q(at_risk=True)), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    if not counts["at_risk"] and not counts["overdue"]:
        return None
    cases = selectors_disputes.with_case_file(
        mine.filter(Q(at_risk=True) | Q(due_on__lt=today))
        .select_related("area", "handler")
        .order_by("-at_risk", "due_on", "pk"),
        user,
    )[:SHOWN]
    return {"counts": counts, "cases": list(cases), "today": today}


def station_block(request):
    paths = role_paths(request.user, {Role.LEGAL_WORKER})
    if not paths:
        return None
    stations = list(LegalStation.objects.filter(area__path__in=paths).order_by("area__path")[:3])
    if not stations:
        return None
    upcoming = selectors_stations.occurrences([s.pk for s in stations]).select_related(
        "series__legal_session__station"
    )
    return {"stations": stations, "occurrences": list(upcoming[:SHOWN])}


def mine_block(request):
    user = request.user
    cases = list(selectors_disputes.my_disputes(user)[:3])
    bookings = list(
        Participant.objects.filter(
            user=user,
            signed_up_at__isnull=False,
            gathering__kind="legal_session",
            gathering__ends_at__gte=timezone.now(),
        )
        .exclude(gathering__status=Status.CANCELLED)
        .select_related("gathering")
        .order_by("gathering__starts_at", "pk")[:3]
    )
    if not cases and not bookings:
        return None
    return {"cases": cases, "bookings": bookings}


def _this_year(pairings):
    year = timezone.localdate().year
    return pairings.annotate(
        year_services=Count("services", filter=Q(services__done_on__year=year)),
        year_hours=Sum("services__hours", filter=Q(services__done_on__year=year)),
    )


def pairings_block(request):
    """The pairings in force where the user records the services: a cadre's own, a representative's units'."""
    user = request.user
    mine = selectors_pairings.visible_pairings(user).filter(
        Q(cadre=user) | Q(partner__in=user.represented_partners.values("pk")), state=PairingState.ACTIVE
    )
    rows = list(_this_year(mine).order_by("-started_on", "-pk")[:SHOWN])
    return {"pairings": rows, "year": timezone.localdate().year} if rows else None


def pairings_console_block(request):
    """For those who pair: the pairings in force in their scope, those without a service this year first."""
    user = request.user
    if not has_perm(user, services_pairings.MANAGE):
        return None
    year = timezone.localdate().year
    active = Pairing.objects.filter(
        scope_q(user, services_pairings.MANAGE, "community__path"), state=PairingState.ACTIVE
    )
    served = Pairing.objects.filter(pk__in=active.values("pk"), services__done_on__year=year).values("pk")
    counts = active.aggregate(active=Count("pk"), idle=Count("pk", filter=~Q(pk__in=served)))
    if not counts["active"]:
        return None
    idle = (
        active.exclude(pk__in=served)
        .select_related("partner", "community", "community_org", "member", "household")
        .order_by("started_on", "pk")[:SHOWN]
    )
    return {"counts": counts, "idle": list(idle), "year": year}


def register_blocks() -> None:
    register_block(
        "lawgov_caseload",
        template="lawgov/blocks/caseload.html",
        data=caseload_block,
        homes={GRID},
        order=17,
        roles={Role.MEDIATOR},
    )
    register_block(
        "lawgov_alerts", template="lawgov/blocks/alerts.html", data=alerts_block, homes={OFFICIAL}, order=13
    )
    register_block(
        "lawgov_station",
        template="lawgov/blocks/station.html",
        data=station_block,
        homes={GRID},
        order=19,
        roles={Role.LEGAL_WORKER},
    )
    register_block(
        "lawgov_mine", template="lawgov/blocks/mine.html", data=mine_block, homes={RESIDENT}, order=17
    )
    register_block(
        "lawgov_pairings",
        template="lawgov/blocks/pairings.html",
        data=pairings_block,
        homes={RESIDENT},
        order=18,
    )
    register_block(
        "lawgov_pairings_console",
        template="lawgov/blocks/pairings_console.html",
        data=pairings_console_block,
        homes={OFFICIAL},
        order=41,
    )
