"""Background tasks of the audit trail (django-tasks)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.audit import services
from grassroots.clock.registry import periodic


@periodic(cron="30 2 * * *", name="audit.prune", label=_("清理过期审计日志"))
@task()
def prune_audit() -> dict[str, int]:
    """Delete audit entries older than the retention period (at least 180 days); daily at 02:30."""
    return services.prune_audit()


@periodic(cron="15 3 * * *", name="audit.verify_chain", label=_("校验审计日志哈希链"))
@task()
def verify_audit_chain() -> dict:
    """Verify the audit hash chain daily at 03:15 (after the prune); notify the system admins if broken."""
    return services.verify_chain()


@periodic(cron="7 * * * *", name="audit.anchor_head", label=_("在库外记录审计日志哈希链头"))
@task()
def anchor_audit_head() -> dict:
    """Append the chain's head (time, seq, hash) to AUDIT_ANCHOR_FILE, hourly at :07."""
    seq, digest = services.anchor_head()
    return {"seq": seq, "hash": digest[:16]}
