from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "grassroots.core.members"
    label = "members"
    verbose_name = _("党员（五个精准）")

    def ready(self) -> None:
        from grassroots.accounts.roles import Role, register_permission

        officials = {
            Role.COMMUNITY_WORKER,
            Role.COMMUNITY_SECRETARY,
            Role.STREET_OFFICIAL,
            Role.COUNTY_OFFICIAL,
            Role.CITY_OFFICIAL,
            Role.SYSTEM_ADMIN,
        }
        managers = officials - {Role.COMMUNITY_WORKER}
        register_permission("members.view", _("查看党员信息"), officials | {Role.AUDITOR})
        register_permission("members.change", _("维护党员信息"), officials)
        register_permission("members.view_pii", _("查看完整身份证号和手机号"), managers)
        register_permission("members.import", _("导入党员"), officials)
        register_permission("members.export_unmasked", _("导出未脱敏的党员信息"), managers)
