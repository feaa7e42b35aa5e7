"""Which branches to remind: a required gathering (per the rules) not yet held in the current period, the
period ending within the rule's reminder window, and no reminder sent for it yet. One query per rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from grassroots.areas.models import PartyOrg, PartyOrgKind
from grassroots.core.orglife.conf import Rule, remind_days, rules
from grassroots.core.orglife.models import OrgLifeReminder
from grassroots.core.orglife.periods import Period
from grassroots.core.orglife.selectors.compliance import branches
from grassroots.gatherings.models import Gathering, Status


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Due:
    rule: Rule
    period: Period
    branches: QuerySet


def due_reminders(today: date | None = None, now: datetime | None = None) -> list[Due]:
    today = today or timezone.localdate()
    now = now or timezone.now()
    out = []
    for rule in rules():
        period = Period.of(rule.unit, today)
        if today < period.end - timedelta(days=remind_days(rule.unit) - 1):
            continue
        held = Gathering.objects.filter(
            party_org=OuterRef("pk"),
            kind=rule.kind,
            starts_at__gte=day_start(period.start),
            starts_at__lte=now,
        ).exclude(status=Status.CANCELLED)
        sent = OrgLifeReminder.objects.filter(
            branch=OuterRef("pk"), kind=rule.kind, period_start=period.start
        )
        qs = branches().filter(created_at__lt=day_start(period.start + timedelta(days=1)))
        if rule.needs_groups:
            qs = qs.filter(
                Exists(PartyOrg.objects.filter(parent=OuterRef("pk"), kind=PartyOrgKind.GROUP, retired=False))
            )
        qs = qs.filter(~Exists(held), ~Exists(sent)).order_by("pk")
        out.append(Due(rule, period, qs))
    return out
