from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "grassroots.core.members"
    label = "members"
    verbose_name = _("党员（五个精准）")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, Role, register_permission
        from grassroots.core.members.home import register_home_blocks

        register_home_blocks()  # a member's summary on their home (grassroots/portal/homes.py)
        from grassroots.core.members.figures import register_figures

        register_figures()  # the one figure registry (grassroots/figures/registry.py)

        managers = OFFICIALS - {Role.COMMUNITY_WORKER}
        register_permission("members.view", _("查看党员信息"), OFFICIALS | {Role.AUDITOR})
        register_permission("members.change", _("维护党员信息"), OFFICIALS)
        # Full ID and phone numbers: the platform's one permission `people.view_pii` (accounts/pii.py).
        register_permission("members.import", _("导入党员"), OFFICIALS)
        register_permission("members.export_unmasked", _("导出未脱敏的党员信息"), managers)
        self._ready_records()
        self._ready_precisions()
        from grassroots.core.members.privacy import register_member_data

        register_member_data()  # the person's own data (grassroots/privacy)
        self._ready_transfer()
        from django.db.models.signals import post_migrate

        from grassroots.core.members import name_index

        # the search's table of names by character is kept by triggers: created where missing after `migrate`
        post_migrate.connect(name_index.ensure, sender=self, dispatch_uid="members.name_index")

    def _ready_records(self) -> None:
        """Records, identify, 我的, dual registration: change log, permission, navigation."""
        from grassroots.core.members.setup_records import ready

        ready()

    def _ready_precisions(self) -> None:
        """Find, educate, manage, care and the worklist: signal handlers, change log, navigation."""
        from grassroots.audit.registry import track
        from grassroots.core.members import receivers  # noqa: F401  (study hours from attendance)
        from grassroots.core.members.models import (
            CareVisit,
            ContactAttempt,
            DuesPayment,
            StudyRecord,
            Transfer,
        )
        from grassroots.portal.navigation import NavEntry, register

        # Records about a person (contacts, visits with the help given, payments, study, transfers): every
        # change is in the audit trail, in the member's branch's area (the old branch's for a transfer).
        for model in (ContactAttempt, StudyRecord, DuesPayment, CareVisit, Transfer):
            track(model, exclude_fields=["created_at"])

        for label, url_name, icon in (
            (_("流动与失联党员"), "members:find", "bi-geo"),
            (_("学习教育"), "members:study", "bi-book"),
            (_("组织关系转接"), "members:transfers", "bi-arrow-left-right"),
            (_("党费"), "members:dues", "bi-cash-coin"),
            (_("党员关爱"), "members:care", "bi-heart"),
        ):
            register("members", NavEntry(label, url_name, "members.view", icon))

    def _ready_transfer(self) -> None:
        """xlsx import and export (the importer and exporter register from `transfer/`): navigation."""
        from grassroots.portal.navigation import NavEntry, register

        register("members", NavEntry(_("导入党员"), "members:import", "members.import", "bi-upload"))
