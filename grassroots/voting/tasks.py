from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.voting.services import votes


@periodic(cron="*/5 * * * *", name="voting.close", label=_("结束到期的投票并计票"))
@task()
def close_due_votes() -> dict:
    return votes.close_due_votes()
