from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgLifeConfig(AppConfig):
    name = "grassroots.core.orglife"
    label = "orglife"
    verbose_name = _("组织生活（三单制、三会一课）")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, SUPERVISORS, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.core.orglife import kinds
        from grassroots.core.orglife.models import Appraisal
        from grassroots.portal.navigation import NavEntry, register

        kinds.register_all()
        # Seeing forms, compliance and appraisals: officials, auditors, and Party organization secretaries on
        # their organizations (and those below). Who may take each step is decided in rules.py.
        register_permission("orglife.view", _("查看组织生活"), OFFICIALS | {Role.AUDITOR}, org_secretary=True)
        register_permission(
            "orglife.review",
            _("审核组织生活备案单、报告单"),
            SUPERVISORS,
            org_secretary=True,
        )
        track(Appraisal, scope=lambda a: a.branch.area.path)
        register(
            "orglife",
            NavEntry(
                _("组织生活"),
                "orglife:compliance",
                "orglife.view",
                "bi-calendar2-check",
                phone=35,
                org_secretary=True,
            ),
        )
        register(
            "orglife",
            NavEntry(_("组织生活审核"), "orglife:worklist", "orglife.review", "bi-inboxes", phone=20),
        )
        from grassroots.core.orglife.providers import register_providers

        register_providers()
        from django.db.models.signals import post_migrate

        from grassroots.core.orglife import kept

        post_migrate.connect(kept.ensure_triggers, sender=self, dispatch_uid="orglife.ensure_triggers")
