from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "grassroots.documents"
    label = "documents"
    verbose_name = _("制度文件")

    def ready(self) -> None:
        from grassroots.accounts.roles import CONSOLE_ROLES, FIELD_WORKERS, SUPERVISORS, register_permission
        from grassroots.documents.blocks import register_blocks
        from grassroots.portal.navigation import NavEntry, register

        # Read the published standards and handbooks of one's own area, of the areas above it and below it.
        register_permission(
            "documents.view", _("查看党建工作指导标准与工作手册"), CONSOLE_ROLES | FIELD_WORKERS
        )
        # Draft, publish and attach to an area's documents (the levels that set standards for those below).
        register_permission("documents.manage", _("起草、发布党建工作指导标准与工作手册"), set(SUPERVISORS))
        for label, url_name, icon in (
            (_("党建工作指导标准"), "documents:standards", "bi-rulers"),
            (_("工作手册"), "documents:handbooks", "bi-book"),
        ):
            register("documents", NavEntry(label, url_name, "documents.view", icon))
        register_blocks()
