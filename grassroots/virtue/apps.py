from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VirtueConfig(AppConfig):
    name = "grassroots.virtue"
    label = "virtue"
    verbose_name = _("一化")

    def ready(self) -> None:
        from grassroots.accounts.roles import CONSOLE_ROLES, OFFICIALS, PUBLIC, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.portal.navigation import NavEntry, register, register_group
        from grassroots.virtue.blocks import register_blocks
        from grassroots.virtue.brands_setup import register_brands
        from grassroots.virtue.kinds import register_all
        from grassroots.virtue.models import (
            Campaign,
            Nomination,
            NominationMaterial,
            Objection,
            Venue,
            VenuePhoto,
            WarningEducation,
        )

        register_blocks()  # the campaigns where the viewer can act, on the home page
        register_all()  # 廉洁文化大讲堂, 警示教育, 道德讲堂: gathering kinds, each a study kind
        # Community staff and the officials above record warning education and venues in their areas; the
        # auditors and grid workers read them.
        register_permission("virtue.view", _("查看一化（以德化人）"), set(CONSOLE_ROLES) | {Role.GRID_WORKER})
        register_permission("virtue.manage", _("管理一化（以德化人）"), set(OFFICIALS))
        # Selection campaigns: everyone opens the list; what each sees is selectors_campaigns' rule (the
        # campaigns of the areas they keep or read, and of the areas on the way up from their home).
        register_permission(
            "virtue.campaigns",
            _("参与评选（提名、投票、异议）"),
            set(CONSOLE_ROLES | PUBLIC) | {Role.GRID_WORKER},
        )
        # Residents and members see the venues of the community they live in, once verified (the map, each
        # venue's page; read only): selectors.home_community.
        register_permission("virtue.venues", _("查看本社区的廉洁文化阵地"), {Role.RESIDENT, Role.MEMBER})
        register_group("virtue", _("一化"), "bi-award", order=110)
        register(
            "virtue",
            NavEntry(_("警示教育"), "virtue:warning_list", "virtue.view", "bi-exclamation-octagon"),
        )
        register("virtue", NavEntry(_("廉洁文化阵地"), "virtue:venue_list", "virtue.view", "bi-book"))
        register("virtue", NavEntry(_("阵地覆盖"), "virtue:coverage", "virtue.view", "bi-pie-chart"))
        register("virtue", NavEntry(_("评选活动"), "virtue:campaign_list", "virtue.campaigns", "bi-trophy"))
        track(WarningEducation)
        track(Venue)
        track(VenuePhoto)
        # Campaigns, nominations, materials and objections are audited; the ballots are voting's (never).
        track(Campaign)
        track(Nomination)
        track(NominationMaterial)
        track(Objection)
        from grassroots.virtue.setup_points import setup_points

        setup_points()  # points and the community points store: receivers, menu, blocks, figures, privacy
        from grassroots.virtue.figures_campaigns import register_figures as register_campaign_figures

        register_campaign_figures()  # campaigns held, nominations, voters, objections answered
        register_brands()  # culture brands, environmental actions, the calendar and the venue map
        from grassroots.virtue.figures_cultivation import register_figures as register_cultivation_figures

        register_cultivation_figures()  # venue coverage, warning education, education events, brands, actions
