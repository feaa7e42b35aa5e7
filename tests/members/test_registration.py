"""Dual registration (双报到), member side: each workflow path (register → confirm → end; register → reject;
register → withdraw), who may take each step, the checks (in-service, the community of residence, one open
registration), who sees what, and the community's list with service hours."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.core.members.models import Registration
from grassroots.core.members.services import registration as services
from grassroots.workflow.models import Notification, TransitionLog
from tests.factories import make_party_org, make_user
from tests.members.fixtures_records import *  # noqa: F403


@pytest.fixture
def me(tree):
    return make_user("zhangsan", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a, full_name="张三")


@pytest.fixture
def commuter(person, branch_b, tree, me):
    """An in-service member of a branch in street B who lives in 一号院落 (桥楼社区, street A)."""
    member = person(
        "张三", branch=branch_b, in_service=True, home_area=tree.courtyard_a, work_unit="东城学校"
    )
    member.user = me
    member.save()
    return member


def steps(registration):
    return list(
        TransitionLog.objects.filter(
            object_id=registration.pk, transition__in=["start", "confirm", "reject", "end"]
        )
        .filter(content_type__model="registration")
        .order_by("at", "id")
        .values_list("transition", flat=True)
    )


def test_register_confirm_end(commuter, me, cast, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register_member(actor=me, member=commuter, services_offered="课业辅导")
    assert registration.community == tree.community_a  # where they live, not where their branch is
    assert registration.state == "pending"
    assert Notification.objects.filter(recipient__in=[cast.worker, cast.secretary]).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(actor=cast.worker, registration=registration)
    registration.refresh_from_db()
    assert registration.state == "confirmed" and registration.decided_by == cast.worker
    assert Notification.objects.filter(recipient=me, verb__contains="已确认").exists()
    services.end(actor=me, registration=registration, comment="搬家")
    registration.refresh_from_db()
    assert registration.state == "ended" and registration.ended_at is not None
    assert steps(registration) == ["start", "confirm", "end"]


def test_register_reject_needs_a_reason(commuter, me, cast):
    registration = services.register_member(actor=me, member=commuter)
    with pytest.raises(ValidationError) as info:
        services.reject(actor=cast.secretary, registration=registration, reason="")
    assert "comment" in info.value.message_dict
    services.reject(actor=cast.secretary, registration=registration, reason="地址不在本社区")
    registration.refresh_from_db()
    assert registration.state == "rejected" and registration.reason == "地址不在本社区"
    # returned: a new registration may be filed
    again = services.register_member(actor=me, member=commuter)
    assert again.state == "pending"


def test_withdraw_a_pending_registration(commuter, me):
    registration = services.register_member(actor=me, member=commuter)
    services.end(actor=me, registration=registration)
    registration.refresh_from_db()
    assert registration.state == "ended"
    assert steps(registration) == ["start", "end"]


def test_only_the_community_decides(commuter, me, cast, branch_b):
    registration = services.register_member(actor=me, member=commuter)
    for outsider in (cast.street_a, cast.city, cast.street_b, me):  # officials above supervise, not decide
        with pytest.raises(PermissionDenied):
            services.confirm(actor=outsider, registration=registration)
    registration.refresh_from_db()
    assert registration.state == "pending"
    # the branch's keeper (street B) may end it from the registrant's side, not confirm it
    services.end(actor=cast.street_b, registration=registration)


def test_who_may_register_a_member(commuter, me, cast, person):
    with pytest.raises(PermissionDenied):  # street A keeps neither the record nor is the member
        services.register_member(actor=cast.street_a, member=commuter)
    registration = services.register_member(actor=cast.street_b, member=commuter)  # the branch's keeper
    assert registration.registered_by == cast.street_b


def test_checks_in_service_home_community_and_one_open(commuter, me, person, tree, cast):
    retired = person("退休", in_service=False, home_area=tree.courtyard_a)
    with pytest.raises(ValidationError) as info:
        services.register_member(actor=cast.secretary, member=retired)
    assert "在职党员" in info.value.message_dict["member"][0]
    with pytest.raises(ValidationError) as info:
        services.register_member(actor=me, member=commuter, community=tree.community_b)
    assert "桥楼社区" in info.value.message_dict["community"][0]
    with pytest.raises(ValidationError):
        services.register_member(actor=me, member=commuter, community=tree.street_a)
    services.register_member(actor=me, member=commuter)
    with pytest.raises(ValidationError) as info:
        services.register_member(actor=me, member=commuter)
    assert "已有一项" in info.value.messages[0]


def test_a_member_without_a_home_chooses_the_community(person, cast, tree):
    member = person("无址", in_service=True)
    with pytest.raises(ValidationError) as info:
        services.register_member(actor=cast.secretary, member=member)
    assert info.value.message_dict["community"] == ["请选择报到社区。"]
    registration = services.register_member(actor=cast.secretary, member=member, community=tree.community_b)
    assert registration.community == tree.community_b


def test_a_unit_party_organization_registers(cast, tree):
    unit = make_party_org("雅安市税务局第一党支部", tree.county)  # a county department, not in a community
    registration = services.register_org(actor=cast.city, party_org=unit, community=tree.community_a)
    assert registration.party_org == unit and registration.member is None
    services.confirm(actor=cast.secretary, registration=registration)
    with pytest.raises(ValidationError):
        services.register_org(actor=cast.city, party_org=unit, community=tree.community_a)
    located = make_party_org("桥楼小学党支部", tree.courtyard_a)
    with pytest.raises(ValidationError) as info:  # located in a community: that one
        services.register_org(actor=cast.city, party_org=located, community=tree.community_b)
    assert "桥楼社区" in info.value.message_dict["community"][0]
    with pytest.raises(PermissionDenied):
        services.register_org(actor=cast.street_b, party_org=unit, community=tree.community_a)


def test_each_side_sees_the_registration(commuter, me, cast, branch_sec, client_for):
    registration = services.register_member(actor=me, member=commuter)
    visible = set(Registration.visible_to(cast.secretary))  # the community's side
    assert registration in visible
    assert registration in set(Registration.visible_to(cast.street_b))  # the member's branch side
    assert registration in set(Registration.visible_to(me))  # the member
    assert registration not in set(Registration.visible_to(branch_sec))  # another branch's secretary
    url = f"/members/registrations/{registration.pk}/"
    assert client_for(branch_sec).get(url).status_code == 404
    assert client_for(me).get(url).status_code == 200
    html = client_for(cast.worker).get(url).content.decode()
    assert "确认报到" in html and "退回" in html  # the buttons the worker may use
    html = client_for(cast.street_a).get(url).content.decode()
    assert "确认报到" not in html


def test_the_buttons_post_through_the_workflow_view(commuter, me, cast, client_for):
    from django.contrib.contenttypes.models import ContentType

    registration = services.register_member(actor=me, member=commuter)
    ct = ContentType.objects.get_for_model(Registration)
    client = client_for(cast.worker)
    response = client.post(
        f"/workflow/{ct.pk}/{registration.pk}/confirm/",
        {"next": f"/members/registrations/{registration.pk}/"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == "confirmed"


def test_register_pages(commuter, me, cast, client_for, tree):
    client = client_for(me)
    assert "到居住地社区报到" in client.get("/members/mine/").content.decode()
    response = client.post("/members/mine/register/", {"services_offered": "义务家教"})
    registration = Registration.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/members/registrations/{registration.pk}/"
    )
    response = client.post("/members/mine/register/", {})
    assert "已有一项" in response.content.decode()
    keeper = client_for(cast.street_b)
    assert keeper.get(f"/members/{commuter.pk}/register/").status_code == 200
    assert client_for(cast.street_a).get(f"/members/{commuter.pk}/register/").status_code == 404
    response = client_for(cast.city).post(
        "/members/registrations/org/new/",
        {"party_org": make_party_org("雅安日报党支部", tree.county).pk, "community": tree.community_a.pk},
    )
    assert response.status_code == 302


def test_the_communitys_list_with_service_hours(commuter, me, cast, client_for, person, tree):
    confirmed = services.register_member(actor=me, member=commuter)
    services.confirm(actor=cast.worker, registration=confirmed)
    Registration.objects.filter(pk=confirmed.pk).update(service_hours=Decimal("12.5"))
    other = person("李四", in_service=True, home_area=tree.courtyard_a)
    services.register_member(actor=cast.secretary, member=other)
    response = client_for(cast.secretary).get("/members/registrations/")
    html = response.content.decode()
    assert "张三" in html and "李四" in html and "12.5" in html
    assert response.context["totals"] == {"members": 1, "orgs": 0, "pending": 1, "hours": Decimal("12.5")}
    response = client_for(cast.secretary).get("/members/registrations/", {"state": "confirmed"})
    assert [r.member.name for r in response.context["page_obj"]] == ["张三"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_query_count_does_not_grow(
    rows, person, cast, client_for, tree, django_assert_max_num_queries
):
    for i in range(rows):
        member = person(f"在职{i:02d}", in_service=True, home_area=tree.courtyard_a)
        services.register_member(actor=cast.secretary, member=member)
    client = client_for(cast.secretary)
    client.get("/members/registrations/")
    # session, user, grants, organizations led; totals, count, page (members, branches, organizations and
    # communities joined); area choices, organizations the viewer may register; the header's unread badge
    with django_assert_max_num_queries(10):
        response = client.get("/members/registrations/")
    assert len(response.context["page_obj"].object_list) == rows


def test_a_keeper_registering_a_member_is_offered_their_scope_and_the_home(
    commuter, me, cast, client_for, tree
):
    """Street B keeps the commuter's record (their branch), who lives in 桥楼社区 (street A): the keeper's
    form offers street B's communities and the member's home community, not the rest of the country's; the
    member registering themself is offered every community."""
    from grassroots.areas.models import Level
    from tests.factories import make_area

    make_area("远方社区", Level.COMMUNITY, tree.county)
    offered = client_for(cast.street_b).get(f"/members/{commuter.pk}/register/").context["form"]
    assert set(offered.fields["community"].queryset) == {tree.community_a, tree.community_b}
    response = client_for(cast.street_b).post(
        f"/members/{commuter.pk}/register/", {"community": tree.community_a.pk}
    )
    assert response.status_code == 302
    assert Registration.objects.get().community == tree.community_a
    own = client_for(me).get("/members/mine/register/").context["form"]
    assert "远方社区" in str(own.fields["community"].choices)
    assert "远方社区" not in str(offered.fields["community"].choices)


def test_the_export_holds_the_registrations_in_sight_and_none_of_another_street(
    commuter, me, person, branch_b, cast, tree, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    services.register_member(actor=me, member=commuter, services_offered="=课业辅导")
    neighbour = make_user("lisi", Role.MEMBER, tree.community_b, home_area=tree.community_b, full_name="李四")
    theirs = person(
        "李四", branch=branch_b, in_service=True, home_area=tree.community_b, work_unit="东城医院"
    )
    theirs.user = neighbour
    theirs.save()
    services.register_member(actor=neighbour, member=theirs, services_offered="义诊")
    url = reverse("imports:list_export", args=["members-registrations"])
    worker = client_for(cast.worker)
    assert 'data-export="members-registrations"' in worker.get("/members/registrations/").content.decode()
    rows = read_xlsx(b"".join(worker.post(url).streaming_content))["双报到"]
    assert rows[0] == ["报到对象", "党支部", "类别", "报到社区", "可提供的服务", "状态", "服务时长（小时）"]
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("张三", "在职党员", "桥楼社区", "=课业辅导")  # as text: the file keeps no formula
    ]
    other = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["双报到"]
    assert sorted(r[0] for r in other[1:]) == ["张三", "李四"]  # 张三's branch is street B's
    assert read_xlsx(b"".join(worker.post(url + "?state=confirmed").streaming_content))["双报到"][1:] == []
    assert client_for(cast.resident).post(url).status_code == 403
