from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.voting.services import elections, votes


@periodic(cron="*/5 * * * *", name="voting.close", label=_("结束到期的投票并计票"))
@task()
def close_due_votes() -> dict:
    return votes.close_due_votes()


@periodic(cron="0 8 * * *", name="voting.remind_terms", label=_("居民代表任期届满提醒"))
@task()
def remind_representative_terms() -> int:
    """Communities whose representatives' term (of the latest election record) ends within 90 days: their
    staff are reminded once per term end. Daily at 08:00. Returns how many communities were reminded."""
    return elections.remind_term_ends()


@periodic(cron="35 4 * * *", name="voting.forget_rolls", label=_("投票人名单和纸质投票码超过保存期限的删除"))
@task()
def forget_rolls() -> dict:
    """Delete the electors' lists and paper codes of votes closed before VOTING_RETENTION_YEARS (04:35)."""
    from grassroots.voting import retention

    return retention.forget_rolls()
