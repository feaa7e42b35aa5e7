from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfgovConfig(AppConfig):
    name = "grassroots.selfgov"
    label = "selfgov"
    verbose_name = _("自治")

    def ready(self) -> None:
        from grassroots.accounts.roles import (
            COMMUNITY_STAFF,
            OFFICIALS,
            PUBLIC,
            Role,
            register_permission,
        )
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
        # 随手拍 per community (per child area), by category and state
        register(
            "selfgov",
            NavEntry(
                _("随手拍统计"), "selfgov:quick_reports", ("selfgov.manage", "selfgov.record"), "bi-camera"
            ),
        )
        register(
            "selfgov",
            NavEntry(_("居务监督委员会"), "selfgov:supervisors", "selfgov.manage", "bi-eye"),
        )
        register(
            "selfgov",
            NavEntry(_("社区自治参数"), "selfgov:settings", "selfgov.manage", "bi-sliders"),
        )
        self._register_charters(register, NavEntry)
        self._register_figures()
        self._register_negotiations(register, NavEntry)

    def _register_figures(self) -> None:
        """Steps 4-5: the progress of execution and the evaluations' outcome, rolled up per area."""
        from django.apps import apps

        from grassroots.selfgov.figures import register_figures

        register_figures()  # the one figure registry (grassroots/figures/registry.py)
        if not apps.is_installed("grassroots.core.assessments"):
            return
        from grassroots.figures.registry import register_provider
        from grassroots.selfgov.selectors_execution import execution_progress, matters_evaluated

        register_provider(
            "selfgov.execution_progress",
            execution_progress,
            label=_("民生事项执行进度"),
            description=_("执行中的民生事项按节点权重计算的平均完成进度"),
        )
        register_provider("selfgov.matters_evaluated", matters_evaluated)

    def _register_charters(self, register, NavEntry) -> None:
        """The four systems, conventions and negotiations: documents' kinds, figure, menu entries."""
        from django.apps import apps

        from grassroots.documents.models import Kind, register_kind
        from grassroots.selfgov.services.rulebooks import rulebook_published

        register_kind(Kind.RULEBOOK, keeper="selfgov.manage", on_publish=rulebook_published)
        # a convention is published by its adoption vote only (services.conventions.settle_vote)
        register_kind(Kind.CONVENTION, keeper="selfgov.manage", publish_here=False)
        register(
            "selfgov",
            NavEntry(
                _("社区四项制度"), "selfgov:rulebooks", "selfgov.view", "bi-journal-bookmark", public=True
            ),
        )
        register(
            "selfgov",
            NavEntry(_("院落居民公约"), "selfgov:conventions", "selfgov.view", "bi-house-check", public=True),
        )
        if apps.is_installed("grassroots.core.assessments"):
            from grassroots.figures.registry import register_provider
            from grassroots.selfgov.selectors_rulebooks import rulebooks_complete_rate

            register_provider(
                "selfgov.rulebooks_complete",
                rulebooks_complete_rate,
                label=_("四项制度齐全的社区比例"),
                description=_("社区中民主议事、决策、管理、监督四项制度均有现行版本的比例"),
            )
            from grassroots.accounts.roles import Role, register_permission
            from grassroots.figures.registry import register_home_figure

            # among the key figures of the street, county and city officials' homes (one query: per_child)
            register_permission(
                "selfgov.oversee",
                _("查看四项制度等自治情况"),
                {Role.STREET_OFFICIAL, Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL},
            )
            register_home_figure("selfgov.rulebooks_complete", "selfgov.oversee")

    def _register_negotiations(self, register, NavEntry) -> None:
        """Negotiations: who sees them, the gathering kind of their sessions, audit, menu, figure, personal
        data (persons named as parties)."""
        from django.apps import apps

        from grassroots.accounts.roles import OFFICIALS, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.gatherings.kinds import register_kind
        from grassroots.selfgov.models_negotiations import (
            SESSION_KIND,
            FollowUp,
            Negotiation,
            NegotiationParty,
        )
        from grassroots.selfgov.privacy import register_personal_data

        # Disputes are not public: the community's staff, the officials above, grid workers and auditors; a
        # unit's representatives the negotiations their unit is a party to (Negotiation.open_to_partners_q).
        register_permission(
            "selfgov.negotiations",
            _("查看矛盾协商"),
            set(OFFICIALS | {Role.AUDITOR, Role.GRID_WORKER}),
            partner_rep=True,
        )
        register_kind(SESSION_KIND, _("协商会议"), icon="people")
        for model in (Negotiation, NegotiationParty, FollowUp):
            track(model)
        register_personal_data()
        register(
            "selfgov", NavEntry(_("矛盾协商"), "selfgov:negotiations", "selfgov.negotiations", "bi-people")
        )
        if apps.is_installed("grassroots.core.assessments"):
            from grassroots.figures.registry import register_provider
            from grassroots.selfgov.selectors_negotiations import negotiations_agreed_rate

            register_provider(
                "selfgov.negotiations_agreed",
                negotiations_agreed_rate,
                label=_("矛盾协商达成协议率"),
                description=_("当年发起、已结束协商的矛盾纠纷中达成协议的比例（附各状态件数）"),
            )
