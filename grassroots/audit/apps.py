from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "grassroots.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self):
        from grassroots.audit import receivers
        from grassroots.audit.registry import register_foundation

        register_foundation()
        receivers.connect()
