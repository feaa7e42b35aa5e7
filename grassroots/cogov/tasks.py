"""Periodic tasks of co-governance (the clock, docs/clock.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.cogov import services


@periodic(cron="30 8 * * *", name="cogov.remind_agreements", label=_("共建协议到期提醒"))
@task()
def remind_expiring_agreements() -> int:
    """Agreements ending within 30 days, not renewed: their signers and the partner's representatives are
    reminded once per agreement and end date. Daily at 08:30. Returns how many were reminded."""
    return services.remind_expiring_agreements()


@periodic(cron="50 8 * * *", name="cogov.remind_late_claims", label=_("双向服务逾期未交付提醒"))
@task()
def remind_late_claims() -> int:
    """Accepted claims not delivered by their planned date: the claimant's representatives and the
    community's staff are reminded once per claim and planned date. Daily at 08:50. Returns how many."""
    from grassroots.cogov import services_items

    return services_items.remind_late_claims()


@periodic(cron="40 8 * * *", name="cogov.remind_overdue_actions", label=_("联席会议督办事项逾期提醒"))
@task()
def remind_overdue_actions() -> int:
    """Open action items of joint meetings past their deadline: owner and host reminded (again weekly while
    they stay open). Daily at 08:40. Returns how many were reminded."""
    from grassroots.cogov import services_meetings

    return services_meetings.remind_overdue_actions()
