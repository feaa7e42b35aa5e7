"""Street offices (党建办、服务办、综治办): their staff (officials of the street with a post in the office)
and their workloads side by side (三办工作量), through the service, the pages and the API; another street's
offices and staff read as missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.core.duties.models import DutyAssignment, OfficeKind, OfficeMember, OfficePost
from grassroots.core.duties.selectors import office_workloads
from grassroots.core.duties.services import (
    add_office_member,
    assign_office,
    create_office,
    remove_office_member,
)
from tests.factories import make_user


@pytest.fixture
def offices(tree, cast):
    return {
        kind: create_office(actor=cast.street_a, area=tree.street_a, kind=kind, name=label)
        for kind, label in (
            (OfficeKind.PARTY_BUILDING, "党建办"),
            (OfficeKind.SERVICES, "服务办"),
            (OfficeKind.GOVERNANCE, "综治办"),
        )
    }


@pytest.fixture
def colleague(tree):
    return make_user("colleague", Role.STREET_OFFICIAL, tree.street_a)


# --- staff through the service ----------------------------------------------------------------------------
def test_staff_are_officials_of_the_street(tree, cast, offices, colleague):
    office = offices[OfficeKind.SERVICES]
    member = add_office_member(actor=cast.street_a, office=office, user=colleague, post=OfficePost.HEAD)
    assert (member.office, member.user, member.post, member.added_by) == (
        office,
        colleague,
        "head",
        cast.street_a,
    )
    # one office, once
    with pytest.raises(ValidationError) as again:
        add_office_member(actor=cast.street_a, office=office, user=colleague)
    assert again.value.message_dict == {"user": ["此人已在该科室。"]}
    # a community's worker, another street's official, the city's official: not officials of this street
    for outsider in (cast.worker, cast.street_b, cast.city):
        with pytest.raises(ValidationError) as refused:
            add_office_member(actor=cast.street_a, office=office, user=outsider)
        assert refused.value.message_dict == {"user": ["科室人员须是本单位的在职干部。"]}
    # the same person may serve in another office too
    add_office_member(actor=cast.street_a, office=offices[OfficeKind.GOVERNANCE], user=colleague)
    assert OfficeMember.objects.filter(user=colleague).count() == 2


def test_only_who_keeps_the_offices_changes_the_staff(tree, cast, offices, colleague):
    office = offices[OfficeKind.SERVICES]
    for actor in (cast.street_b, cast.secretary, cast.auditor):
        with pytest.raises(PermissionDenied):
            add_office_member(actor=actor, office=office, user=colleague)
    member = add_office_member(actor=cast.city, office=office, user=colleague)  # the level above may
    with pytest.raises(PermissionDenied):
        remove_office_member(actor=cast.street_b, member=member)
    remove_office_member(actor=cast.street_a, member=member)
    assert not OfficeMember.objects.exists()


def test_a_retired_office_takes_no_staff(tree, cast, offices, colleague):
    office = offices[OfficeKind.SERVICES]
    office.retired = True
    office.save()
    with pytest.raises(ValidationError) as refused:
        add_office_member(actor=cast.street_a, office=office, user=colleague)
    assert "office" in refused.value.message_dict


# --- workloads --------------------------------------------------------------------------------------------
@pytest.fixture
def spread(tree, cast, offices, issue, affair, finish, today, time_machine):
    """Street A receives three tasks from the city: 服务办 handles two (one approved, one overdue), one has no
    office yet. 党建办 leads one task street A issued to its community (open); 综治办 nothing."""
    first = issue(title="一", deadline=today + timedelta(days=2))
    second = issue(title="二", deadline=today + timedelta(days=1))
    third = issue(title="三")
    mine = {a.task_id: a for a in DutyAssignment.objects.filter(area=tree.street_a)}
    assign_office(actor=cast.street_a, assignment=mine[first.pk], office=offices[OfficeKind.SERVICES])
    assign_office(actor=cast.street_a, assignment=mine[second.pk], office=offices[OfficeKind.SERVICES])
    finish(mine[first.pk], cast.street_a, cast.city)
    issue(
        actor=cast.street_a,
        area=tree.street_a,
        title="社区任务",
        target_level=Level.COMMUNITY,
        affair=affair,
        office=offices[OfficeKind.PARTY_BUILDING],
    )
    # street B's work never counts for street A
    theirs = DutyAssignment.objects.get(area=tree.street_b, task=third)
    other = create_office(actor=cast.street_b, area=tree.street_b, kind=OfficeKind.SERVICES, name="服务办")
    assign_office(actor=cast.street_b, assignment=theirs, office=other)
    time_machine.move_to(today + timedelta(days=3))  # the second task is now overdue
    return offices


def test_each_office_has_its_own_workload(tree, cast, spread, colleague, today):
    add_office_member(actor=cast.street_a, office=spread[OfficeKind.SERVICES], user=colleague)
    loads = office_workloads(tree.street_a, today=today + timedelta(days=3))
    by_name = {(load.office.name if load.office else None): load for load in loads}
    assert list(by_name) == ["党建办", "服务办", "综治办", None]
    services = by_name["服务办"]
    assert (services.received["total"], services.received["approved"], services.received["overdue"]) == (
        2,
        1,
        1,
    )
    assert [m.user for m in services.members] == [colleague]
    party = by_name["党建办"]
    assert party.tasks == 1 and party.issued["total"] == 1 and party.issued["open"] == 1
    assert party.received["total"] == 0
    assert by_name["综治办"].received["total"] == 0 and by_name["综治办"].tasks == 0
    assert by_name[None].received["total"] == 1  # the third task: no office named yet
    assert office_workloads(tree.street_a, year=today.year - 1)[1].received["total"] == 0


# --- pages ------------------------------------------------------------------------------------------------
def test_staff_on_the_offices_page(tree, cast, offices, colleague, client_for):
    street = client_for(cast.street_a)
    url = f"/duties/offices/?area={tree.street_a.pk}"
    office = offices[OfficeKind.GOVERNANCE]
    wrong = street.post(url, {"form": "member", "office": office.pk, "user": cast.worker.pk, "post": "staff"})
    assert wrong.status_code == 200 and "user" in wrong.context["member_form"].errors
    response = street.post(url, {"form": "member", "office": office.pk, "user": colleague.pk, "post": "head"})
    assert response.status_code == 302
    member = OfficeMember.objects.get(office=office)
    page = street.get(url)
    assert "colleague" in page.content.decode() or colleague.display_name in page.content.decode()
    assert client_for(cast.street_b).post(f"/duties/offices/members/{member.pk}/remove/").status_code == 404
    assert street.post(f"/duties/offices/members/{member.pk}/remove/").status_code == 302
    assert not OfficeMember.objects.exists()


def test_workload_page(tree, cast, spread, client_for, django_assert_max_num_queries):
    street = client_for(cast.street_a)
    url = f"/duties/offices/workload/?area={tree.street_a.pk}"
    street.get(url)  # warm the session and the grants
    # session, user, grants, working area… then: offices, their staff, received by office, issued by office
    with django_assert_max_num_queries(12):
        response = street.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "服务办" in html and "未指定科室" in html
    assert [load.received["overdue"] for load in response.context["loads"]] == [0, 1, 0, 0]
    # more offices and staff cost no more queries
    for i in range(5):
        office = create_office(
            actor=cast.street_a, area=tree.street_a, kind=OfficeKind.OTHER, name=f"科室{i}"
        )
        add_office_member(
            actor=cast.street_a,
            office=office,
            user=make_user(f"staff{i}", Role.STREET_OFFICIAL, tree.street_a),
        )
    with django_assert_max_num_queries(12):
        assert len(street.get(url).context["loads"]) == 9
    # another street's workload reads as missing; a resident has no such page
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.resident).get(url).status_code == 403
    assert client_for(cast.city).get(url).status_code == 200


# --- API --------------------------------------------------------------------------------------------------
def test_staff_through_the_api(tree, cast, offices, colleague, api_for):
    office = offices[OfficeKind.SERVICES]
    body = {"office": office.pk, "user": colleague.pk, "post": "deputy"}
    assert api_for(cast.street_b).post("/api/office-members/", body, format="json").status_code == 400
    # the auditor reads tasks but not the offices (duties.offices): the office is not one they may name
    assert api_for(cast.auditor).post("/api/office-members/", body, format="json").status_code == 400
    wrong = api_for(cast.street_a).post(
        "/api/office-members/", {**body, "user": cast.worker.pk}, format="json"
    )
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["user"]
    response = api_for(cast.street_a).post("/api/office-members/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["post_label"] == "副主任" and response.json()["office_name"] == "服务办"
    url = f"/api/office-members/{response.json()['id']}/"
    assert api_for(cast.street_b).get(url).status_code == 404
    assert api_for(cast.street_b).delete(url).status_code == 404
    assert api_for(cast.auditor).delete(url).status_code == 404  # not in their duties.offices scope
    listed = api_for(cast.city).get("/api/office-members/", {"area": tree.street_a.pk}).json()
    assert [row["user"] for row in listed["results"]] == [colleague.pk]
    assert api_for(cast.street_b).get("/api/office-members/").json()["count"] == 0
    assert api_for(cast.street_a).delete(url).status_code == 204
    assert not OfficeMember.objects.exists()


def test_workload_through_the_api(tree, cast, spread, api_for):
    url = "/api/offices/workload/"
    rows = api_for(cast.street_a).get(url, {"area": tree.street_a.pk}).json()
    assert [row["office"]["name"] if row["office"] else None for row in rows] == [
        "党建办",
        "服务办",
        "综治办",
        None,
    ]
    assert rows[1]["received"]["overdue"] == 1 and rows[1]["received"]["approved"] == 1
    assert rows[0]["tasks"] == 1 and rows[0]["issued"]["open"] == 1
    assert api_for(cast.street_b).get(url, {"area": tree.street_a.pk}).status_code == 404
    assert api_for(cast.resident).get(url).status_code == 403


def test_the_offices_and_their_workload_export_street_a_rows(
    tree, cast, spread, colleague, client_for, today
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    add_office_member(
        actor=cast.street_a, office=spread[OfficeKind.SERVICES], user=colleague, post=OfficePost.HEAD
    )
    street = client_for(cast.street_a)

    def export(kind, page):
        assert f'data-export="{kind}"' in street.get(page).content.decode(), kind
        response = street.post(reverse("imports:list_export", args=[kind]) + f"?year={today.year}")
        return next(iter(read_xlsx(b"".join(response.streaming_content)).values()))

    offices = export("duties-offices", "/duties/offices/")
    assert offices[0] == ["科室", "类型", "科室人员"]
    assert ["服务办", "服务办", "colleague（主任）"] in offices[1:]
    assert sorted(r[0] for r in offices[1:]) == ["党建办", "服务办", "综治办"]  # not street B's 服务办 twice
    loads = export("duties-office-workload", "/duties/offices/workload/")
    assert loads[0][:5] == ["科室", "类型", "承办办理中", "承办逾期", "承办已完成"]
    assert [(r[0], r[2], r[3], r[4]) for r in loads[1:]] == [
        ("党建办", 0, 0, 0),
        ("服务办", 1, 1, 1),
        ("综治办", 0, 0, 0),
        ("未指定科室", 1, 0, 0),
    ]
    assert (loads[1][5], loads[1][6]) == (1, 1) and loads[4][5:9] == [None] * 4  # no office: it leads nothing
    url = reverse("imports:list_export", args=["duties-offices"]) + f"?area={tree.street_b.pk}"
    assert street.post(url).status_code == 404
