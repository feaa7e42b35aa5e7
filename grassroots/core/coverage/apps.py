from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "grassroots.core.coverage"
    label = "coverage"
    verbose_name = _("新兴领域党建覆盖")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, Role, register_permission
        from grassroots.core.coverage.privacy import register_personal_data
        from grassroots.portal.navigation import NavEntry, register

        register_personal_data()  # a person's own data (grassroots/privacy)

        register_permission("coverage.view", _("查看新兴领域党建覆盖"), OFFICIALS | {Role.AUDITOR})
        register_permission(
            "coverage.change", _("维护新兴领域单位、党建指导员、交叉任职与服务团队"), OFFICIALS
        )
        register(
            "coverage", NavEntry(_("新兴领域覆盖"), "coverage:overview", "coverage.view", "bi-buildings")
        )
        register(
            "coverage", NavEntry(_("覆盖空白"), "coverage:gaps", "coverage.view", "bi-exclamation-diamond")
        )
        from grassroots.core.coverage.providers import register_providers

        register_providers()
