from grassroots.core.assessments.models.inspections import Finding, FindingState, Inspection
from grassroots.core.assessments.models.people import (
    AgencyHeadReview,
    CadreScore,
    GridRating,
    StationedAgency,
)
from grassroots.core.assessments.models.reports import (
    Grade,
    ReportState,
    ReviewScore,
    WorkReport,
    average_of,
    grade_for,
)
from grassroots.core.assessments.models.schemes import (
    Assessment,
    AssessmentItem,
    AssessmentScheme,
    AssessmentScore,
    ComputeStatus,
    Method,
    ScoreSource,
)

__all__ = [
    "AgencyHeadReview",
    "Assessment",
    "AssessmentItem",
    "AssessmentScheme",
    "AssessmentScore",
    "CadreScore",
    "ComputeStatus",
    "Finding",
    "FindingState",
    "Grade",
    "GridRating",
    "Inspection",
    "Method",
    "ReportState",
    "ReviewScore",
    "ScoreSource",
    "StationedAgency",
    "WorkReport",
    "average_of",
    "grade_for",
]
