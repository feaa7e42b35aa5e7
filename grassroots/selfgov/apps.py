from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfgovConfig(AppConfig):
    name = "grassroots.selfgov"
    label = "selfgov"
    verbose_name = _("自治")

    def ready(self) -> None:
        from grassroots.accounts.roles import COMMUNITY_STAFF, OFFICIALS, PUBLIC, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.portal.navigation import NavEntry, register, register_group
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
        from grassroots.selfgov.blocks import register_blocks

        register_blocks()
        register_group("selfgov", _("自治"), "bi-people", order=65)
        register(
            "selfgov",
            NavEntry(
                _("议事协商"), "selfgov:home", "selfgov.view", "bi-chat-square-text", public=True, phone=35
            ),
        )
        register(
            "selfgov",
            NavEntry(_("居民意见"), "selfgov:opinion_list", "selfgov.view", "bi-chat-left-text", public=True),
        )
        # the board: those who run or follow matters (community staff, officials above, grid workers)
        register(
            "selfgov",
            NavEntry(_("民生事项看板"), "selfgov:board", ("selfgov.manage", "selfgov.record"), "bi-kanban"),
        )
