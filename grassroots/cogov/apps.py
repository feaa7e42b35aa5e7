from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CogovConfig(AppConfig):
    name = "grassroots.cogov"
    label = "cogov"
    verbose_name = _("共治")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from grassroots.access.scoping import register_partner_resolver
        from grassroots.accounts.roles import OFFICIALS, PUBLIC, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.cogov import receivers
        from grassroots.cogov.blocks import register_blocks
        from grassroots.cogov.models import Agreement, Partner, Resource, Volunteer
        from grassroots.portal.navigation import NavEntry, register, register_group

        # Officials and community staff see the partners, volunteers and agreements of their scope; partner
        # representatives their own partners' (the partner clause of the scoping function).
        register_permission(
            "cogov.view",
            _("查看共建单位、志愿者和共建协议"),
            set(OFFICIALS | {Role.AUDITOR}),
            partner_rep=True,
        )
        # The community's staff and the officials above keep the register and sign agreements.
        register_permission("cogov.manage", _("维护共建单位和共建协议"), set(OFFICIALS))
        # A representative keeps the resources their unit offers.
        register_permission("cogov.offer", _("维护本单位可提供的资源"), set(), partner_rep=True)
        # A representative commits resources and claims needs for their unit, and records the deliveries.
        register_permission("cogov.claim", _("认领社区需求、承诺资源、登记服务交付"), set(), partner_rep=True)
        # Residents and members rate the services delivered in their community (跟踪问效).
        register_permission("cogov.rate", _("评价共建单位提供的服务"), set(PUBLIC - {Role.PARTNER_REP}))
        # Residents and members sign up as volunteers.
        register_permission("cogov.volunteer", _("报名成为志愿者"), set(PUBLIC - {Role.PARTNER_REP}))
        register_partner_resolver(
            lambda user: Partner.objects.filter(representatives=user, retired=False).values_list(
                "pk", flat=True
            )
        )
        post_save.connect(
            receivers.follow_entity, sender="coverage.Entity", dispatch_uid="cogov_follow_entity"
        )
        from grassroots.cogov.models_items import Claim, Rating, ServiceItem

        for model in (Resource, Volunteer, Agreement, ServiceItem, Claim, Rating):
            track(model)
        track(  # the contact's phone logged masked, like every phone in the trail (accounts/pii.py)
            Partner,
            exclude_fields=["contact_phone_hash"],
            mask_fields=["contact_phone"],
            mask_callable="grassroots.accounts.pii.mask_phone",
        )
        register_blocks()
        from grassroots.cogov import blocks_items

        blocks_items.register_blocks()
        from django.apps import apps

        from grassroots.cogov.figures import register_definitions

        register_definitions()  # the dashboard's figures (grassroots/figures/registry.py)
        if apps.is_installed("grassroots.core.assessments"):
            from grassroots.cogov.figures import register_figures

            register_figures()  # the one figures registry: what assessments and homes read
        from grassroots.cogov.privacy import register_personal_data

        register_personal_data()  # a person's own data (grassroots/privacy)
        register_group("cogov", _("共治"), "bi-diagram-3", order=67)
        from grassroots.cogov.activities_setup import setup_activities

        setup_activities()  # volunteer activities: menu, home blocks, figures, audit
        register(
            "cogov", NavEntry(_("共建单位"), "cogov:partner_list", "cogov.view", "bi-building", public=True)
        )
        register(
            "cogov",
            NavEntry(
                _("共建协议"), "cogov:agreement_list", "cogov.view", "bi-file-earmark-text", public=True
            ),
        )
        register(
            "cogov",
            NavEntry(_("双向服务事项"), "cogov:item_list", "cogov.view", "bi-arrow-left-right", public=True),
        )
        register(
            "cogov",
            NavEntry(_("共建工作台"), "cogov:worklist", "cogov.claim", "bi-briefcase", public=True),
        )
        register(
            "cogov",
            NavEntry(_("服务评价"), "cogov:rate_services", "cogov.rate", "bi-star", public=True),
        )
        register("cogov", NavEntry(_("志愿者"), "cogov:volunteer_list", "cogov.manage", "bi-people"))
        register(
            "cogov",
            NavEntry(_("我的志愿服务"), "cogov:my_volunteering", "cogov.volunteer", "bi-heart", public=True),
        )
        from grassroots.cogov.meetings_setup import setup as setup_meetings

        setup_meetings()  # joint meetings and action items: audit, menu, home blocks, figures
