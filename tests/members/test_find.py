"""Find (寻找): the status steps of a member (each path, who may take them), contact attempts, and the list
of mobile and lost-contact members with counts per area."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.members.models import ContactAttempt, Member
from grassroots.core.members.services import find
from grassroots.workflow.models import TransitionLog
from tests.members.fixtures_precisions import *  # noqa: F403


def steps_of(member):
    ct = ContentType.objects.get_for_model(Member)
    return list(
        TransitionLog.objects.filter(content_type=ct, object_id=member.pk)
        .order_by("at", "id")
        .values_list("transition", "from_state", "to_state")
    )


def reload(member):
    return Member.objects.select_related("branch", "branch__area").get(pk=member.pk)


def test_normal_to_mobile_records_where_they_are_now(cast, member):
    before = member.status_changed_at
    find.mark_mobile(
        actor=cast.secretary, member=member, mobile_location="成都市武侯区", mobile_work="某物流公司"
    )
    member = reload(member)
    assert member.status == "mobile"
    assert (member.mobile_location, member.mobile_work) == ("成都市武侯区", "某物流公司")
    assert member.status_changed_at > before
    assert steps_of(member)[-1] == ("mark_mobile", "normal", "mobile")


def test_mobile_needs_a_place_and_nothing_is_written_without_one(cast, member):
    with pytest.raises(ValidationError) as info:
        find.mark_mobile(actor=cast.secretary, member=member, mobile_location=" ", mobile_work="")
    assert "mobile_location" in info.value.message_dict
    assert reload(member).status == "normal"
    assert [s[0] for s in steps_of(member)] == ["start"]


def test_lost_contact_needs_a_note(cast, member):
    with pytest.raises(ValidationError) as info:
        find.change_status(actor=cast.worker, member=member, name="mark_lost_contact")
    assert info.value.message_dict["comment"] == ["请填写失联情况。"]
    find.change_status(
        actor=cast.worker, member=member, name="mark_lost_contact", comment="电话停机，走访不在"
    )
    assert reload(member).status == "lost_contact"


def test_found_requires_a_reached_attempt_made_since_contact_was_lost(cast, member):
    find.record_contact_attempt(
        actor=cast.worker,
        member=member,
        method="phone",
        reached=True,
        attempted_on=timezone.localdate() - timedelta(days=3),
    )  # before they were lost: does not count
    find.change_status(actor=cast.worker, member=member, name="mark_lost_contact", comment="搬走了")
    member = reload(member)
    find.record_contact_attempt(
        actor=cast.worker, member=member, method="visit", reached=False, result="邻居说去了外地"
    )
    with pytest.raises(ValidationError) as info:
        find.change_status(actor=cast.worker, member=member, name="mark_found")
    assert info.value.messages == ["请先登记一次联系上该党员的联系记录。"]
    assert reload(member).status == "lost_contact"

    find.record_contact_attempt(
        actor=cast.worker, member=member, method="relative", reached=True, result="通过女儿联系上"
    )
    find.change_status(actor=cast.worker, member=member, name="mark_found")
    member = reload(member)
    assert member.status == "found"
    find.change_status(actor=cast.worker, member=member, name="restore_normal")
    assert [s[0] for s in steps_of(member)] == ["start", "mark_lost_contact", "mark_found", "restore_normal"]
    assert reload(member).status == "normal"


def test_mobile_back_to_normal_forgets_the_whereabouts(cast, member):
    find.mark_mobile(actor=cast.secretary, member=member, mobile_location="成都")
    find.change_status(actor=cast.secretary, member=reload(member), name="restore_normal")
    member = reload(member)
    assert (member.status, member.mobile_location, member.mobile_work) == ("normal", "", "")


def test_mobile_may_be_lost_and_normal_may_not_be_found(cast, member):
    with pytest.raises(ValidationError) as info:
        find.change_status(actor=cast.secretary, member=member, name="mark_found")
    assert info.value.code == "state"
    find.mark_mobile(actor=cast.secretary, member=member, mobile_location="成都")
    find.change_status(actor=cast.secretary, member=reload(member), name="mark_lost_contact", comment="失联")
    assert reload(member).status == "lost_contact"


@pytest.mark.parametrize("path", [[], ["mark_lost_contact"]])
def test_deceased_from_any_open_status_and_nothing_after(cast, member, path):
    for name in path:
        find.change_status(actor=cast.secretary, member=reload(member), name=name, comment="说明")
    find.change_status(
        actor=cast.secretary, member=reload(member), name="mark_deceased", comment="2024年病故"
    )
    member = reload(member)
    assert member.status == "deceased"
    with pytest.raises(ValidationError):
        find.change_status(actor=cast.secretary, member=member, name="restore_normal")
    with pytest.raises(ValidationError):
        find.record_contact_attempt(actor=cast.secretary, member=member, method="phone")


def test_who_may_change_the_status(cast, member, branch_a):
    for outsider in (cast.street_b, cast.resident, cast.auditor):
        with pytest.raises(PermissionDenied):
            find.change_status(actor=outsider, member=reload(member), name="mark_lost_contact", comment="x")
    assert reload(member).status == "normal"
    # the branch's own secretary, without any role grant
    from tests.factories import make_user

    branch_secretary = make_user("branch_sec")
    branch_a.secretary = branch_secretary
    branch_a.save()
    find.change_status(actor=branch_secretary, member=reload(member), name="mark_lost_contact", comment="x")
    assert reload(member).status == "lost_contact"


def test_whereabouts_are_updated_by_the_branch_or_the_member_themself(cast, tree, member):
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    me = make_user("me", Role.MEMBER, tree.courtyard_a)
    member.user = me
    member.save()
    with pytest.raises(ValidationError):  # only a mobile member has whereabouts
        find.update_whereabouts(actor=me, member=reload(member), mobile_location="成都")
    find.mark_mobile(actor=cast.secretary, member=reload(member), mobile_location="成都")
    find.update_whereabouts(actor=me, member=reload(member), mobile_location="重庆", mobile_work="某医院")
    assert (reload(member).mobile_location, reload(member).mobile_work) == ("重庆", "某医院")
    find.update_whereabouts(
        actor=cast.worker, member=reload(member), mobile_location="", mobile_work="某学校"
    )
    assert reload(member).mobile_work == "某学校"
    with pytest.raises(PermissionDenied):
        find.update_whereabouts(actor=cast.resident, member=reload(member), mobile_location="北京")


def test_contact_attempt_is_logged_with_who_and_cannot_be_in_the_future(cast, member):
    attempt = find.record_contact_attempt(actor=cast.worker, member=member, method="phone", result="无人接听")
    assert (attempt.by, attempt.reached, attempt.attempted_on) == (cast.worker, False, timezone.localdate())
    with pytest.raises(ValidationError) as info:
        find.record_contact_attempt(
            actor=cast.worker,
            member=member,
            method="phone",
            attempted_on=timezone.localdate() + timedelta(days=1),
        )
    assert "attempted_on" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        find.record_contact_attempt(actor=cast.street_b, member=member, method="phone")
    assert ContactAttempt.objects.count() == 1


# --- pages -------------------------------------------------------------------------------------------------
def test_pages_register_mobile_and_contact_attempt(client_for, cast, member):
    client = client_for(cast.secretary)
    response = client.post(f"/members/{member.pk}/mobile/", {"mobile_location": "", "mobile_work": ""})
    assert response.status_code == 200
    assert "请填写现在的居住地或工作单位。" in response.content.decode()
    response = client.post(f"/members/{member.pk}/mobile/", {"mobile_location": "成都市", "mobile_work": ""})
    assert response.status_code == 302
    assert reload(member).status == "mobile"
    response = client.post(
        f"/members/{member.pk}/contact-attempts/new/",
        {
            "attempted_on": timezone.localdate().isoformat(),
            "method": "phone",
            "reached": "on",
            "result": "已联系",
        },
    )
    assert response.status_code == 302
    assert ContactAttempt.objects.get().reached is True


def test_status_steps_post_to_the_generic_workflow_view(client_for, cast, member):
    ct = ContentType.objects.get_for_model(Member)
    client = client_for(cast.worker)
    url = f"/workflow/{ct.pk}/{member.pk}/mark_lost_contact/"
    response = client.post(url, {"comment": "长期联系不上", "next": "/members/find/"})
    assert response.status_code == 302
    assert reload(member).status == "lost_contact"
    # found without a reached attempt: refused with the reason
    response = client.post(f"/workflow/{ct.pk}/{member.pk}/mark_found/", {"comment": ""})
    assert response.status_code == 403
    assert "请先登记一次联系上该党员的联系记录。" in response.content.decode()
    # outsiders cannot even reach the record
    assert client_for(cast.street_b).post(url, {"comment": "x"}).status_code == 404


def test_outsiders_get_404_and_readers_403_on_the_forms(client_for, cast, member):
    for path in (f"/members/{member.pk}/mobile/", f"/members/{member.pk}/contact-attempts/new/"):
        assert client_for(cast.street_b).get(path).status_code == 404
        assert client_for(cast.auditor).get(path).status_code == 403
        assert client_for(cast.secretary).get(path).status_code == 200


def test_find_list_oldest_first_and_counts_per_child_area(client_for, cast, tree, make_member, branch_b):
    first, second = make_member("甲"), make_member("乙")
    make_member("丙", branch=branch_b)
    for m, days in ((second, 40), (first, 10)):
        find.change_status(actor=cast.city, member=m, name="mark_lost_contact", comment="x")
        Member.objects.filter(pk=m.pk).update(status_changed_at=timezone.now() - timedelta(days=days))
    find.change_status(
        actor=cast.city, member=Member.objects.get(name="丙"), name="mark_lost_contact", comment="x"
    )

    response = client_for(cast.city).get(f"/members/find/?status=lost_contact&area={tree.county.pk}")
    assert response.status_code == 200
    page = list(response.context["page_obj"])
    assert [m.name for m in page][:2] == ["乙", "甲"]
    counts = {row.area.name: (row.mobile, row.lost_contact) for row in response.context["counts"]}
    assert counts == {"青江街道": (0, 2), "东城街道": (0, 1)}

    # street A's official sees only their street; street B's area is out of their scope: 404
    response = client_for(cast.street_a).get("/members/find/?status=lost_contact")
    assert {m.name for m in response.context["page_obj"]} == {"甲", "乙"}
    assert client_for(cast.street_a).get(f"/members/find/?area={tree.street_b.pk}").status_code == 404
    assert client_for(cast.resident).get("/members/find/").status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_find_list_query_count_does_not_grow(
    client_for, cast, make_member, rows, django_assert_max_num_queries
):
    for i in range(rows):
        m = make_member(f"党员{i}", joined_probationary_on=date(2000, 1, 1))
        find.mark_mobile(actor=cast.secretary, member=m, mobile_location="成都")
    client = client_for(cast.street_a)
    # session, user, grants, default area, secretary orgs, counts per child, children, count, unread badge,
    # page rows: 10
    with django_assert_max_num_queries(10):
        response = client.get("/members/find/?status=mobile")
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(rows, 20)


def test_a_mobile_member_updates_their_whereabouts_from_mine(client_for, cast, tree, member):
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    me = make_user("me", Role.MEMBER, tree.courtyard_a)
    member.user = me
    member.save()
    client = client_for(me)
    assert client.get("/members/mine/whereabouts/").status_code == 404  # not mobile
    find.mark_mobile(actor=cast.secretary, member=reload(member), mobile_location="成都")
    assert "更新" in client.get("/members/mine/").content.decode()
    response = client.post("/members/mine/whereabouts/", {"mobile_location": "", "mobile_work": ""})
    assert "请填写现在的居住地或工作单位。" in response.content.decode()
    response = client.post(
        "/members/mine/whereabouts/", {"mobile_location": "广州市天河区", "mobile_work": ""}
    )
    assert response.status_code == 302
    assert reload(member).mobile_location == "广州市天河区"
    assert client_for(cast.resident).get("/members/mine/whereabouts/").status_code == 404
