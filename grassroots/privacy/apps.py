from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "grassroots.privacy"
    label = "privacy"
    verbose_name = _("个人信息权利")

    def ready(self) -> None:
        from grassroots.accounts.roles import register_permission
        from grassroots.portal.navigation import NavEntry, register
        from grassroots.privacy.models import HANDLER_ROLES
        from grassroots.privacy.parts import register_foundation

        register_permission("privacy.handle", _("办理个人信息更正、删除申请"), set(HANDLER_ROLES))
        register(
            "system",
            NavEntry(_("个人信息申请"), "privacy:requests", "privacy.handle", "bi-person-lines-fill"),
        )
        register_foundation()
