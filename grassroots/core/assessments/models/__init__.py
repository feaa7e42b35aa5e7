from grassroots.core.assessments.models.inspections import Finding, FindingState, Inspection
from grassroots.core.assessments.models.meetings import Lesson, Shows, SiteMeeting
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
    "Lesson",
    "Method",
    "ReportState",
    "ReviewScore",
    "ScoreSource",
    "Shows",
    "SiteMeeting",
    "StationedAgency",
    "WorkReport",
    "average_of",
    "grade_for",
]
