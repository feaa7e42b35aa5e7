from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.virtue import services_campaigns


@periodic(
    cron="*/10 * * * *", name="virtue.campaigns", label=_("评选活动：提名截止转入资格审查，公示期满评定")
)
@task()
def run_campaigns() -> dict:
    """Nominations past their deadline move to review; a publicity ended with every objection answered is
    awarded (every ten minutes; idempotent)."""
    return services_campaigns.run_campaigns()
