from grassroots.core.orglife.models.appraisal import (
    Appraisal,
    Grade,
    OrgLifeReminder,
    StudyPlan,
    StudySession,
)
from grassroots.core.orglife.models.plans import (
    GuidanceDecision,
    GuidanceState,
    OrgLifeGuidance,
    OrgLifePlan,
    PlannedGathering,
    PlanState,
    PlanUnit,
)
from grassroots.core.orglife.models.reports import (
    EDITABLE_STATES,
    OrgLifeReport,
    ReportAttendance,
    ReportState,
)
from grassroots.core.orglife.models.version import ComplianceVersion

__all__ = [
    "EDITABLE_STATES",
    "Appraisal",
    "ComplianceVersion",
    "Grade",
    "GuidanceDecision",
    "GuidanceState",
    "OrgLifeGuidance",
    "OrgLifePlan",
    "OrgLifeReminder",
    "OrgLifeReport",
    "PlanState",
    "PlanUnit",
    "PlannedGathering",
    "ReportAttendance",
    "ReportState",
    "StudyPlan",
    "StudySession",
]
