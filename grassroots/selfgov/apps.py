from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfgovConfig(AppConfig):
    name = "grassroots.selfgov"
    label = "selfgov"
    verbose_name = _("自治")

    def ready(self) -> None:
        from grassroots.accounts.roles import COMMUNITY_STAFF, OFFICIALS, PUBLIC, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.selfgov.models import CommunitySetting, Matter

        # Who sees opinions and matters in their scope (residents see their own community's through the
        # selectors, beside this).
        register_permission(
            "selfgov.view",
            _("查看居民意见和民生事项"),
            set(OFFICIALS | PUBLIC | {Role.AUDITOR, Role.GRID_WORKER}),
        )
        # The community's staff (and the officials above them) run matters and handle opinions.
        register_permission("selfgov.manage", _("办理民生事项"), set(OFFICIALS))
        # Grid workers and community staff record what residents tell them, on their behalf.
        register_permission("selfgov.record", _("代居民登记意见"), set(COMMUNITY_STAFF | {Role.GRID_WORKER}))
        track(Matter)
        track(CommunitySetting)
