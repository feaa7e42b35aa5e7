from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "grassroots.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self):
        from django.db.backends.signals import connection_created

        from grassroots.audit import dbguard, receivers
        from grassroots.audit.registry import register_foundation

        register_foundation()
        receivers.connect()
        connection_created.connect(dbguard.register_sqlite_function, dispatch_uid="grassroots_audit_dbguard")
