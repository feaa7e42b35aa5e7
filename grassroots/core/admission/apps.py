from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "grassroots.core.admission"
    label = "admission"
    verbose_name = _("社区事务准入")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, SUPERVISORS, Role, register_permission
        from grassroots.portal.navigation import NavEntry, register

        # See the catalog, the requests and what each community carries.
        register_permission("admission.view", _("查看社区事务准入目录与申请"), OFFICIALS | {Role.AUDITOR})
        # File a request on behalf of a department (departments act through county or city officials).
        register_permission(
            "admission.request",
            _("代部门提出社区事务准入申请"),
            SUPERVISORS - {Role.STREET_OFFICIAL},
        )
        # Keep the catalog: enter affairs set by laws and regulations, end an affair's validity.
        register_permission(
            "admission.manage",
            _("维护社区事务准入目录"),
            SUPERVISORS - {Role.STREET_OFFICIAL},
        )
        for label, url_name, icon in (
            (_("社区事务准入目录"), "admission:catalog", "bi-journal-check"),
            (_("准入申请"), "admission:request_list", "bi-inbox"),
            (_("社区承接事务"), "admission:communities", "bi-house-gear"),
            (_("随事经费台账"), "admission:funds_list", "bi-cash-stack"),
        ):
            register("affairs", NavEntry(label, url_name, "admission.view", icon))

        from grassroots.core.admission.providers import register_providers

        register_providers()
