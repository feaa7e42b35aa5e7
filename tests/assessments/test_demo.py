"""The demo step: a year of reports, inspections with findings in every state, computed schemes, agencies
with reviews, residents' ratings; running the loader again adds nothing."""

from io import StringIO

from django.core.management import call_command

from grassroots.core.assessments.models import (
    AgencyHeadReview,
    Assessment,
    AssessmentScheme,
    AssessmentScore,
    CadreScore,
    ComputeStatus,
    Finding,
    GridRating,
    ReportState,
    SiteMeeting,
    WorkReport,
)
from grassroots.gatherings.models import Gathering


def test_demo_data(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", tier="S", seed=1, stdout=StringIO())
    states = set(WorkReport.objects.values_list("state", flat=True))
    assert {
        ReportState.PUBLISHED,
        ReportState.DRAFT,
        ReportState.SUBMITTED,
        ReportState.UNDER_REVIEW,
    } <= states
    published = WorkReport.objects.filter(state=ReportState.PUBLISHED)
    assert published.exists() and all(r.grade and r.average_score for r in published)
    assert set(Finding.objects.values_list("state", flat=True)) == {"rectifying", "rectified", "verified"}
    assert Finding.objects.filter(sent_back_count=1, state="rectified").exists()
    assert set(AssessmentScheme.objects.values_list("compute_status", flat=True)) == {ComputeStatus.DONE}
    assert Assessment.objects.filter(total__isnull=False).count() >= 3
    assert AgencyHeadReview.objects.exists() and GridRating.objects.exists()
    # the grid cadre score: stored and ranked for the demo grid worker, and an item of the grid scheme
    from grassroots.core.duties.models import DutyAssignment

    assert DutyAssignment.objects.filter(area__level=5, state="approved").exists()
    cadre = CadreScore.objects.get(person__username="grid")
    assert cadre.score is not None and cadre.rank_in_peers and cadre.tasks_total and cadre.ratings
    assert AssessmentScore.objects.filter(item__provider="assessments.grid_cadre", source="computed").exists()
    assert Gathering.objects.filter(kind="site_meeting").exists()
    site_meeting = SiteMeeting.objects.get()
    assert site_meeting.shows == "rectification" and site_meeting.visiting_orgs.exists()
    assert site_meeting.lessons.count() == 2 and site_meeting.lessons.filter(task__isnull=False).count() == 1
    assert Gathering.objects.filter(kind="review_meeting").exists()
    counts = (WorkReport.objects.count(), Finding.objects.count(), AgencyHeadReview.objects.count())
    call_command("seed_demo", tier="S", seed=1, stdout=StringIO())
    assert (WorkReport.objects.count(), Finding.objects.count(), AgencyHeadReview.objects.count()) == counts
