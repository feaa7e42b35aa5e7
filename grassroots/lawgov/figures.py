"""法治's figures for a subtree and per child area, on the one roll-up (grassroots/areas/rollup.py), and its
entries in the one figures registry (grassroots.core.assessments.figures). See docs/lawgov.md "Figures".

Disputes received in the year (`created_at` in the year): by the level and kind handling them now and by
category; settled (调解成功, then visited), closed unsettled; the settlement rate = settled / received (the
registry's catalog: 受理的纠纷中调解成功的比例); the median days from receipt to settlement (`settle_days`,
kept on write, its counts per line summed, never the rows); escalations = Σ (level that received it − level
now) (`start_level`: each escalation moves a case up one level; a case received at the street counts none).
Open cases (whatever the year): open, at risk (可能激化), overdue (past their time limit by the clock's
today).
Stations: the occurrences of their sessions held in the year (ended by now, not cancelled), bookings on the
year's occurrences, consultations recorded in the year. Pairings (双报到结对, by the pairing's community):
those in force in the year (started by its end, not ended before it began), those of them with a service
recorded in the year, and the services and their hours in the year.

Queries: seven, whatever the number of child areas and rows (one statement per roll-up with the children, and
the distribution of days)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.models import Area
from grassroots.areas.rollup import distribution_per_child, median, per_child, per_subtree
from grassroots.gatherings.models import Gathering, Participant, Status
from grassroots.lawgov.models_disputes import (
    Dispute,
    DisputeCategory,
    DisputeKind,
    DisputeLevel,
    DisputeState,
)
from grassroots.lawgov.models_pairings import Pairing, PairingService
from grassroots.lawgov.models_stations import Consultation, Referral

OPEN = (DisputeState.RECEIVED, DisputeState.MEDIATING)
SETTLED = (DisputeState.SETTLED, DisputeState.VISITED)
SESSION_KIND = "legal_session"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _in_year(year: int, column: str) -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{column}__gte": start, f"{column}__lt": end})


def dispute_aggregates(year: int, today: date) -> dict:
    """The disputes' additive figures, on the case's own columns (one summed statement)."""
    received = _in_year(year, "created_at")
    out = {"received": Count("pk", filter=received)}
    for level in DisputeLevel:
        out[f"level_{level.value}"] = Count("pk", filter=received & Q(level=level.value))
    for kind in DisputeKind:
        out[f"kind_{kind.value}"] = Count("pk", filter=received & Q(kind=kind.value))
    for category in DisputeCategory:
        out[f"category_{category.value}"] = Count("pk", filter=received & Q(category=category.value))
    out["settled"] = Count("pk", filter=received & Q(state__in=list(SETTLED)))
    out["closed"] = Count("pk", filter=received & Q(state=DisputeState.CLOSED))
    out["level_sum"] = Sum("level", filter=received)
    out["start_level_sum"] = Sum("start_level", filter=received)
    out["open"] = Count("pk", filter=Q(state__in=list(OPEN)))
    out["at_risk"] = Count("pk", filter=Q(state__in=list(OPEN), at_risk=True))
    out["overdue"] = Count("pk", filter=Q(state__in=list(OPEN), due_on__lt=today))
    return out


def pairings_of(year: int):
    """The pairings in force at some time of the year, each marked `served` when a service of it was recorded
    in the year."""
    served = PairingService.objects.filter(pairing=OuterRef("pk"), done_on__year=year)
    return (
        Pairing.objects.filter(started_on__year__lte=year)
        .exclude(ended_on__year__lt=year)
        .annotate(served=Exists(served))
    )


def pairing_aggregates() -> dict:
    """The pairings in force in the year and those of them with a service recorded in it."""
    return {"pairings": Count("pk"), "pairings_served": Count("pk", filter=Q(served=True))}


def service_aggregates() -> dict:
    return {"services": Count("pk"), "service_hours": Sum("hours")}


def hours_text(value) -> str:
    """Hours as written: 6.5, 3 (not 3.0, nor 3E+1 for 30)."""
    return f"{Decimal(value or 0).normalize():f}"


def services_of(year: int):
    return PairingService.objects.filter(done_on__year=year)


def disputes_of(year: int):
    """The cases the figures read: received in the year, or open now."""
    return Dispute.objects.filter(_in_year(year, "created_at") | Q(state__in=list(OPEN)))


@dataclass
class Line:
    """One line of the figures: an area's subtree (`area`), or the area's own cases (`own`)."""

    area: Area
    f: dict
    days: Counter = field(default_factory=Counter)
    own: bool = False

    @property
    def received(self) -> int:
        return self.f["received"]

    @property
    def settlement_rate(self) -> Decimal | None:
        if not self.f["received"]:
            return None
        return Decimal(self.f["settled"]) / self.f["received"]

    @property
    def rate_label(self) -> str:
        rate = self.settlement_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def median_days(self) -> float | None:
        return median(self.days)

    @property
    def median_label(self) -> str:
        days = self.median_days
        return "—" if days is None else f"{days:g}"

    @property
    def escalations(self) -> int:
        return (self.f["start_level_sum"] or 0) - (self.f["level_sum"] or 0)

    @property
    def hours_label(self) -> str:
        return hours_text(self.f.get("service_hours"))

    @property
    def by_level(self) -> list[tuple[str, int]]:
        return [(level.label, self.f[f"level_{level.value}"]) for level in reversed(DisputeLevel)]

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        return [(kind.label, self.f[f"kind_{kind.value}"]) for kind in DisputeKind]

    @property
    def by_category(self) -> list[tuple[str, int]]:
        return [(c.label, self.f[f"category_{c.value}"]) for c in DisputeCategory]

    def behind_key(self):
        """Ranking, the ones behind first: the lowest settlement rate, then the most overdue; lines without
        cases last."""
        rate = self.settlement_rate
        return (rate is None, rate if rate is not None else 0, -self.f["overdue"], self.area.path)


@dataclass
class Figures:
    area: Area
    year: int
    total: Line
    own: Line | None
    children: list[Line]


def subtree_figures(area: Area, year: int, *, today: date | None = None) -> Figures:
    """The figures of `area`'s subtree for `year`, its own line and each child area's, ranked the ones behind
    first. Seven queries."""
    today = today or timezone.localdate()
    disputes = per_child(disputes_of(year), area, path_field="area__path", **dispute_aggregates(year, today))
    days = distribution_per_child(
        Dispute.objects.filter(_in_year(year, "created_at")),
        area,
        path_field="area__path",
        value="settle_days",
    )
    start, end = year_bounds(year)
    now = timezone.now()
    sessions = per_child(
        Gathering.objects.filter(kind=SESSION_KIND, starts_at__gte=start, starts_at__lt=end).exclude(
            status=Status.CANCELLED
        ),
        area,
        path_field="area__path",
        sessions=Count("pk"),
        held=Count("pk", filter=Q(ends_at__lte=now)),
    )
    bookings = per_child(
        Participant.objects.filter(
            gathering__kind=SESSION_KIND,
            gathering__starts_at__gte=start,
            gathering__starts_at__lt=end,
            signed_up_at__isnull=False,
        ).exclude(gathering__status=Status.CANCELLED),
        area,
        path_field="gathering__area__path",
        bookings=Count("pk"),
    )
    consultations = per_child(
        Consultation.objects.filter(recorded_at__gte=start, recorded_at__lt=end),
        area,
        path_field="station__area__path",
        consultations=Count("pk"),
        referred=Count("pk", filter=Q(referral=Referral.MEDIATION)),
    )
    pairings = per_child(pairings_of(year), area, path_field="community__path", **pairing_aggregates())
    services = per_child(
        services_of(year), area, path_field="pairing__community__path", **service_aggregates()
    )
    others = (sessions, bookings, consultations, pairings, services)

    def figures_of(breakdown_lines: list[dict]) -> dict:
        merged = {}
        for f in breakdown_lines:
            merged.update(f)
        return merged

    def others_of(path: str | None) -> list[dict]:
        out = []
        for b in others:
            if path is None:
                out.append(b.own)
            else:
                out.append(next((f for child, f in b.children if child.path == path), {}) or _zeros(b))
        return out

    children = []
    for child, f in disputes.children:
        counts = days.get(child.path, Counter())
        children.append(Line(child, figures_of([f, *others_of(child.path)]), counts))
    own_days = days.get(area.path, Counter())
    own = Line(area, figures_of([disputes.own, *others_of(None)]), own_days, own=True)
    total_days = sum(days.values(), Counter())
    total = Line(area, figures_of([disputes.total, *(b.total for b in others)]), total_days)
    children.sort(key=Line.behind_key)
    shown_own = own if any(own.f.values()) else None
    return Figures(area=area, year=year, total=total, own=shown_own, children=children)


def _zeros(breakdown) -> dict:
    return dict.fromkeys(breakdown.total, 0)


# --- the one figures registry (a rate per target area for a year) ------------------------------------------


def _url(target, year) -> str:
    return reverse("lawgov:figures") + f"?area={target.pk}&year={year}"


def _counts(targets: Sequence, year: int) -> dict[str, dict]:
    today = timezone.localdate()
    wanted = dispute_aggregates(year, today)
    return per_subtree(
        disputes_of(year),
        [t.path for t in targets],
        path_field="area__path",
        **{name: wanted[name] for name in ("received", "settled", "overdue")},
        overdue_received=Count(
            "pk", filter=_in_year(year, "created_at") & Q(state__in=list(OPEN), due_on__lt=today)
        ),
    )


def disputes_settled(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    rows = _counts(targets, year)
    out = {}
    for target in targets:
        line = rows[target.path]
        if line["received"]:
            out[target.pk] = Figure(
                rate=Decimal(line["settled"]) / line["received"],
                detail=_("调解成功 %(settled)d / 受理 %(received)d 件") % line,
                url=_url(target, year),
            )
    return out


def disputes_in_time(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    rows = _counts(targets, year)
    out = {}
    for target in targets:
        line = rows[target.path]
        if line["received"]:
            out[target.pk] = Figure(
                rate=Decimal(line["received"] - line["overdue_received"]) / line["received"],
                detail=_("超期未结 %(overdue_received)d / 受理 %(received)d 件") % line,
                url=_url(target, year),
            )
    return out


def _received(year, today):
    return Dispute.objects.filter(_in_year(year, "created_at"))


def _received_counts(year, today):
    received = {"received": Count("pk"), "settled": Count("pk", filter=Q(state__in=list(SETTLED)))}
    for level in DisputeLevel:
        received[f"level_{level.value}"] = Count("pk", filter=Q(level=level.value))
    return received


def register_definitions() -> None:
    from grassroots.figures.registry import Definition, count, rate, register

    common = {
        "permission": "lawgov.disputes",
        "part": "lawgov",
        "rows": _received,
        "counts": _received_counts,
        "parts": (
            ("settled", gettext_lazy("调解成功")),
            *((f"level_{level.value}", level.label) for level in reversed(DisputeLevel)),
        ),
        "month_field": "created_at",
        "url": "lawgov:figures",
    }
    register(
        Definition(
            name="lawgov.disputes_received",
            label=gettext_lazy("受理矛盾纠纷"),
            unit=gettext_lazy("件"),
            definition=gettext_lazy("本年度受理的矛盾纠纷，按当前办理层级分列；趋势按受理月份"),
            value=count("received"),
            behind="high",
            **common,
        )
    )
    register(
        Definition(
            name="lawgov.disputes_settled",
            label=gettext_lazy("矛盾纠纷化解率"),
            unit="%",
            definition=gettext_lazy("本年度受理的纠纷中调解成功（含已回访）的比例；趋势按受理月份"),
            value=rate("settled", "received"),
            **common,
        )
    )
    register(
        Definition(
            name="lawgov.settle_days",
            label=gettext_lazy("纠纷化解用时中位数"),
            unit=gettext_lazy("天"),
            definition=gettext_lazy(
                "本年度受理并调解成功的纠纷从受理到调解成功的天数的中位数；趋势按受理月份"
            ),
            permission="lawgov.disputes",
            part="lawgov",
            rows=_received,
            median_of="settle_days",
            month_field="created_at",
            behind="high",
            url="lawgov:figures",
        )
    )


def register_figures() -> None:
    from django.apps import apps

    register_definitions()  # the dashboard's figures
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.figures.registry import register_provider

    register_provider("lawgov.disputes_settled", disputes_settled)
    register_provider(
        "lawgov.disputes_in_time",
        disputes_in_time,
        label=gettext_lazy("矛盾纠纷按期办结率"),
        description=gettext_lazy("当年受理的纠纷中没有超过调解期限仍未办结的比例"),
    )
