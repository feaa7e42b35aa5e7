"""Report forms, their photos and the democratic appraisal driven through the API by the services the report
pages call: the branch's side writes (201/200), the organization above may see but not write (403 naming
who may), the outsider street_b gets 404, a wrong field is answered on that field in Chinese."""

import io

import pytest
from PIL import Image

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import Appraisal, OrgLifeReport, ReportState
from grassroots.core.orglife.services import bridge
from grassroots.core.orglife.services import reports as services
from tests.orglife.conftest import at, last_week

URL = "/api/orglife-reports/"
NOT_THE_BRANCH = "只有本支部书记或社区工作人员可以填报该支部的组织生活。"


def held(orgs, kind=kinds.PARTY_LESSON):
    day = last_week()
    return bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kind,
        title="专题党课：学习党章",
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        organizer=orgs.branch_sec,
    )


@pytest.fixture
def report(orgs, members, today):
    return services.start_report(actor=orgs.branch_sec, gathering=held(orgs))


def test_open_a_report_for_a_held_gathering(orgs, members, cast, api_for, today):
    gathering = held(orgs)
    refused = api_for(cast.street_a).post(URL, {"gathering": gathering.pk}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    unseen = api_for(cast.street_b).post(URL, {"gathering": gathering.pk}, format="json")
    assert unseen.status_code == 400 and "gathering" in unseen.json()["errors"]  # reads as missing
    response = api_for(orgs.branch_sec).post(URL, {"gathering": gathering.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == ReportState.DRAFT and response.json()["gathering"] == gathering.pk
    assert OrgLifeReport.objects.get().pk == response.json()["id"]


def test_report_an_unplanned_gathering(orgs, members, cast, api_for, today):
    day = last_week()
    body = {
        "branch": orgs.branch.pk,
        "kind": kinds.COMMITTEE_MEETING,
        "title": "支委会",
        "starts_at": at(day, 9).isoformat(),
        "ends_at": at(day, 8).isoformat(),
    }
    branch = api_for(orgs.branch_sec)
    response = branch.post(URL + "unplanned/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"ends_at": ["结束时间必须晚于开始时间。"]}
    body["ends_at"] = at(day, 11).isoformat()
    refused = api_for(cast.street_a).post(URL + "unplanned/", body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    unseen = api_for(cast.street_b).post(URL + "unplanned/", body, format="json")
    assert unseen.status_code == 400 and "branch" in unseen.json()["errors"]
    response = branch.post(URL + "unplanned/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == kinds.COMMITTEE_MEETING and response.json()["title"] == "支委会"


def test_fill_in_a_report_and_submit_it(orgs, members, cast, api_for, report):
    url = f"{URL}{report.pk}/"
    body = {
        "minutes": "学习了党章第一章。",
        "attendance": [
            {"member": members.alice.pk, "present": True},
            {"member": members.bob.pk, "present": False},
        ],
    }
    branch = api_for(orgs.branch_sec)
    response = branch.put(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"attendance": ["请填写 李波 的缺席原因。"]}
    body["attendance"][1]["absence_reason"] = "外出务工"
    assert api_for(cast.street_b).put(url, body, format="json").status_code == 404
    refused = api_for(orgs.parent_sec).put(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    response = branch.put(url, body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["present_count"], response.json()["absent_count"]) == (1, 1)
    assert response.json()["minutes"] == "学习了党章第一章。"

    response = branch.post(f"{url}transitions/submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == ReportState.SUBMITTED
    late = branch.put(url, body, format="json")
    assert late.status_code == 400 and late.json()["detail"] == "只有草稿或被退回的报告单可以修改。"


def test_a_member_of_another_branch_reads_as_missing(orgs, members, api_for, report):
    from tests.orglife.conftest import make_member

    stranger = make_member("外人", orgs.branch_b)
    body = {"minutes": "记录", "attendance": [{"member": stranger.pk, "present": True}]}
    response = api_for(orgs.branch_sec).put(f"{URL}{report.pk}/", body, format="json")
    assert response.status_code == 400 and "外人" not in response.content.decode()
    assert "member" in response.json()["errors"]["attendance"]["0"]


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, "PNG")
    data.seek(0)
    data.name = "photo.png"
    return data


def test_add_a_photo(orgs, members, cast, api_for, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"{URL}{report.pk}/photos/"
    not_an_image = io.BytesIO(b"hello")
    not_an_image.name = "photo.png"
    response = api_for(orgs.branch_sec).post(url, {"image": not_an_image}, format="multipart")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["image"]
    assert api_for(cast.street_b).post(url, {"image": _png()}, format="multipart").status_code == 404
    refused = api_for(orgs.parent_sec).post(url, {"image": _png()}, format="multipart")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    response = api_for(orgs.branch_sec).post(url, {"image": _png(), "caption": "会场"}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["caption"] == "会场" and report.gathering.photos.count() == 1
    assert api_for(orgs.branch_sec).get(response.json()["url"]).status_code != 404


def test_appraisals_at_the_organizational_life_meeting(orgs, members, cast, api_for, today):
    report = services.start_report(actor=orgs.branch_sec, gathering=held(orgs, kinds.REVIEW_MEETING))
    url = f"{URL}{report.pk}/appraisals/"
    body = {"grades": [{"member": members.alice.pk, "grade": "excellent"}, {"member": members.bob.pk}]}
    branch = api_for(orgs.branch_sec)
    response = branch.post(url, body, format="json")
    assert response.status_code == 400 and "grade" in response.json()["errors"]["grades"]["1"]
    body["grades"][1]["grade"] = "qualified"
    assert api_for(cast.street_b).post(url, body, format="json").status_code == 404
    refused = api_for(orgs.parent_sec).post(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    response = branch.post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert {(row["member"], row["grade"]) for row in response.json()} == {
        (members.alice.pk, "excellent"),
        (members.bob.pk, "qualified"),
    }
    assert Appraisal.objects.filter(report=report).count() == 2


def test_appraisals_only_at_the_organizational_life_meeting(orgs, members, api_for, report):
    body = {"grades": [{"member": members.alice.pk, "grade": "excellent"}]}
    response = api_for(orgs.branch_sec).post(f"{URL}{report.pk}/appraisals/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["民主评议只在组织生活会上进行。"]}
