from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "grassroots.gatherings"
    label = "gatherings"
    verbose_name = _("会议活动")

    def ready(self) -> None:
        from grassroots.accounts.roles import PUBLIC, register_permission, roles_with
        from grassroots.gatherings.kinds import register_foundation_kinds

        register_foundation_kinds()
        from grassroots.gatherings.figures import register_figures

        register_figures()  # the one figure registry (grassroots/figures/registry.py)
        # Staff see every gathering in their subtree; residents, members and partners see only public
        # gatherings around them and those they take part in (see selectors.visibility_q).
        register_permission(
            "gatherings.view_all",
            _("查看辖区内全部会议活动"),
            set(roles_with("gatherings.view")) - PUBLIC,
        )
