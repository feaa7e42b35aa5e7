"""Later parts add their share of a person's data through the registry: a resident's ratings of grid cadres
(assessments) and an instructor's record (coverage) are shown, and a deletion pseudonymises them."""

from __future__ import annotations

from grassroots.core.assessments.models import GridRating
from grassroots.core.coverage.models import Instructor
from grassroots.privacy.services import my_data, submit_request
from grassroots.workflow.services import transition


def test_ratings_and_instructor_records_are_shown_and_pseudonymised(resident, cast, tree, branch_a):
    rating = GridRating.objects.create(
        resident=resident, worker=cast.worker, grid=tree.grid_a, year=2026, score=4, comment="王小明说很耐心"
    )
    instructor = Instructor.objects.create(
        name="王小明", user=resident, sent_by=branch_a, area=tree.community_a, position="退休教师"
    )
    sections = {s.key: s for s in my_data(resident)}
    assert sections["assessments.grid_rating"].rows[0]["评价"] == "王小明说很耐心"
    assert sections["coverage.instructor"].rows[0]["原单位职务"] == "退休教师"

    record = submit_request(user=resident, kind="deletion")
    transition(record, "complete", actor=cast.street_a)
    rating.refresh_from_db()
    instructor.refresh_from_db()
    assert (rating.score, rating.comment) == (4, "")
    assert "王小明" not in instructor.name and instructor.position == ""
    record.refresh_from_db()
    assert "对网格干部的评价：假名化 1 条" in record.outcome
