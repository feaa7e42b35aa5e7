"""Later parts add their share of a person's data through the registry: a resident's ratings of grid cadres
(assessments) and an instructor's record (coverage) are shown, and a deletion pseudonymises them."""

from __future__ import annotations

import json

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


def test_a_cadres_scores_are_shown_downloaded_and_deleted(cast, tree, client_for, today):
    """A grid cadre score is an evaluation of the cadre: on their page, in the download and the API, and
    deleted by a deletion request (recomputed from the grids' tasks and ratings, which stay)."""
    from datetime import datetime

    from django.utils import timezone

    from grassroots.core.assessments.models import CadreScore

    score = CadreScore.objects.create(
        person=cast.worker,
        year=2025,
        street=tree.street_a,
        score="87.5",
        rank_in_peers=2,
        peers=5,
        computed_at=timezone.make_aware(datetime(2026, 1, 5, 9, 0)),
    )
    rows = {s.key: s for s in my_data(cast.worker)}["assessments.cadre_score"].rows
    assert str(rows[0]["考察得分"]) == "87.5" and rows[0]["所在街道（乡镇）"] == "青江街道"
    client = client_for(cast.worker)
    assert "网格干部考察得分" in client.get("/privacy/mine/").content.decode()
    for url in ("/privacy/mine/download.json", "/api/me/data/"):
        answer = json.dumps(client.get(url).json(), ensure_ascii=False)
        assert "网格干部考察得分" in answer and "87.5" in answer, url

    record = submit_request(user=cast.worker, kind="deletion")
    transition(record, "complete", actor=cast.admin)
    assert not CadreScore.objects.filter(pk=score.pk).exists()
    record.refresh_from_db()
    assert "网格干部考察得分：删除 1 条" in record.outcome
