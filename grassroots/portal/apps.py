from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "grassroots.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from grassroots.accounts.roles import (
            CONSOLE_ROLES,
            FIELD_WORKERS,
            OFFICIALS,
            SUPERVISORS,
            Role,
            register_permission,
        )

        # Everyone sees the notices of their own area and the areas above it; these roles also see those of
        # their whole subtree.
        register_permission("notices.view", _("查看辖区内的通知公告"), FIELD_WORKERS | CONSOLE_ROLES)
        register_permission("notices.manage", _("发布、编辑通知公告"), OFFICIALS)
        # The API's documentation page (its menu entry and the page alike) is for those who connect other
        # systems to the platform or read its records in bulk (the levels above a community, auditors); the
        # schema (/api/schema/) stays public.
        register_permission("api.docs", _("使用 API 对接其他系统"), SUPERVISORS | {Role.AUDITOR})

        from grassroots.portal.blocks import register_portal_blocks

        register_portal_blocks()
