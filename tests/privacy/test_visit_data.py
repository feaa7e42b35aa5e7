"""The grid worker's visit log is in the privacy registry: the visits logged to a person are on their data
page, in /api/me/data/ and the xlsx, and a deletion keeps each visit as the worker's record without the
person and what was heard."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from grassroots.gridwork.models import Visit
from grassroots.privacy.services import submit_request
from grassroots.workflow.services import transition


@pytest.fixture
def visit(resident, cast, tree):
    return Visit.objects.create(
        worker=cast.worker,
        area=tree.courtyard_a,
        resident=resident,
        visited_on=date(2026, 11, 3),
        heard="反映楼道灯坏了，母亲卧床",
        follow_up=True,
        follow_up_note="联系物业",
        closing_note="物业已修好，母亲转入社区照护",
    )


def test_the_visits_are_in_the_persons_data(visit, resident, client_for, api_for):
    page = client_for(resident).get("/privacy/mine/").content.decode()
    assert "网格走访" in page and "反映楼道灯坏了，母亲卧床" in page
    data = api_for(resident).get("/api/me/data/").json()
    assert data["gridwork.visit"]["rows"][0]["民情记录"] == "反映楼道灯坏了，母亲卧床"
    assert data["gridwork.visit"]["rows"][0]["跟进说明"] == "联系物业"
    response = client_for(resident).get("/privacy/mine/download.xlsx")
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )["网格走访"]
    assert "反映楼道灯坏了，母亲卧床" in [c.value for c in sheet[2]]


def test_a_deletion_keeps_the_visit_without_the_person(visit, resident, cast):
    other = Visit.objects.create(
        worker=cast.worker, area=visit.area, visited_on=date(2026, 11, 4), heard="楼栋长反映路灯"
    )
    record = submit_request(user=resident, kind="deletion")
    transition(record, "complete", actor=cast.street_a)
    visit.refresh_from_db()
    assert visit.resident_id is None and "母亲卧床" not in visit.heard
    assert (visit.follow_up_note, visit.closing_note) == ("", "")
    assert (visit.worker_id, visit.visited_on, visit.follow_up) == (cast.worker.pk, date(2026, 11, 3), True)
    assert Visit.objects.get(pk=other.pk).heard == "楼栋长反映路灯"
    record.refresh_from_db()
    assert "网格走访：假名化 1 条" in record.outcome
