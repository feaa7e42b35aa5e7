from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "grassroots.core.assessments"
    label = "assessments"
    verbose_name = _("述职、督察与考核")

    def ready(self) -> None:
        from grassroots.accounts.roles import FIELD_WORKERS, SUPERVISORS, Role, register_permission
        from grassroots.core.assessments import providers
        from grassroots.gatherings.kinds import register_kind
        from grassroots.portal.navigation import NavEntry, register

        managers = SUPERVISORS | {Role.COMMUNITY_SECRETARY}
        register_permission(
            "assessments.view",
            _("查看述职评议、督察整改与考核"),
            managers | {Role.COMMUNITY_WORKER, Role.AUDITOR},
            org_secretary=True,
        )
        register_permission("assessments.manage", _("组织述职评议、督察与考核"), managers)
        register_permission(
            "assessments.review_agency", _("考评派驻机构负责人"), {Role.STREET_OFFICIAL, Role.SYSTEM_ADMIN}
        )
        register_permission("assessments.rate", _("评价网格员"), {Role.RESIDENT, Role.MEMBER})
        # Grid workers (and the other field workers serving grids) see their own grid cadre score and rank.
        register_permission("assessments.own_score", _("查看本人网格干部考察得分"), FIELD_WORKERS)

        register_kind("review_meeting", _("述职评议会"), icon="clipboard-data")
        providers.register_builtin()
        from grassroots.core.assessments.views.standards import standard_item_panel
        from grassroots.documents.citing import register_item_panel

        register_item_panel(standard_item_panel)  # which communities meet a standard's item
        self._track()
        from grassroots.core.assessments.privacy import register_personal_data

        register_personal_data()  # a person's own data (grassroots/privacy)
        from grassroots.core.assessments.home import register_home_blocks

        register_home_blocks()  # 我负责整改的问题 on the home pages (grassroots/portal/homes.py)

        view = "assessments.view"
        for label, url_name, icon, permission, public, phone in (
            (_("述职评议"), "assessments:report_list", "bi-clipboard-data", view, False, None),
            (_("评议工作台"), "assessments:worklist", "bi-clipboard-check", view, False, None),
            (_("工作督察"), "assessments:inspection_list", "bi-search", view, False, None),
            (_("整改清单"), "assessments:finding_list", "bi-wrench-adjustable", view, False, None),
            (_("现场会"), "assessments:site_meetings", "bi-geo-alt", view, False, None),
            (_("考核"), "assessments:scheme_list", "bi-trophy", view, False, None),
            (_("网格干部考察"), "assessments:grid_extension", "bi-grid-3x3", view, False, None),
            (
                _("我的网格考察"),
                "assessments:grid_extension",
                "bi-grid-3x3",
                "assessments.own_score",
                False,
                15,
            ),
            (_("派驻机构"), "assessments:agency_list", "bi-building", view, False, None),
            (_("评价网格员"), "assessments:rate", "bi-star", "assessments.rate", True, 50),
        ):
            register("tasks", NavEntry(label, url_name, permission, icon, public=public, phone=phone))

    def _track(self) -> None:
        """Scores and reviews of people are personnel data: their changes go to the audit log. (Computed
        scores are written in bulk and come from records that are audited where they are kept.)"""
        from grassroots.audit.registry import track
        from grassroots.core.assessments.models import (
            AgencyHeadReview,
            AssessmentScore,
            GridRating,
            ReviewScore,
        )

        track(ReviewScore, scope=lambda s: s.report.area.path)
        track(AgencyHeadReview, exclude_fields=["reviewed_at"])
        track(GridRating, exclude_fields=["created_at", "updated_at"])
        track(
            AssessmentScore,
            include_fields=["score", "source", "reason", "scored_by"],
            scope=lambda s: s.assessment.area.path,
        )
