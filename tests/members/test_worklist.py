"""The secretary's worklist (书记工作台) and the panels the member page includes: counts and top items of
each section, scope, and a number of queries that does not grow with the data."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from grassroots.core.members.models import DuesPayment, Member
from grassroots.core.members.selectors.worklist import worklist_for
from grassroots.core.members.services import care, find, manage
from tests.members.fixtures_precisions import *  # noqa: F403


def populate(cast, make_member, n, prefix=""):
    """n members in each section: lost contact, conversion due soon, needing care unvisited, in arrears
    (every open member without payments this year is in arrears)."""
    today = timezone.localdate()
    for i in range(n):
        lost = make_member(f"{prefix}失联{i}")
        find.change_status(actor=cast.secretary, member=lost, name="mark_lost_contact", comment="x")
        make_member(
            f"{prefix}预备{i}",
            joined_probationary_on=manage.joined_on_or_before_for_due(today + timedelta(days=i)),
            joined_full_on=None,
        )
        make_member(f"{prefix}长者{i}", birth_date=date(1930, 1, 1))


def test_sections_counts_and_top_items(cast, make_member, branch_b):
    populate(cast, make_member, 7)
    visited = make_member("已走访长者", birth_date=date(1931, 1, 1))
    care.record_care_visit(actor=cast.worker, member=visited, kind="holiday")
    paid = make_member("缴清")
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        DuesPayment.objects.create(
            member=paid, year=today.year, month=month, amount=1, recorded_by=cast.worker
        )
    make_member("外街道长者", branch=branch_b, birth_date=date(1930, 1, 1))

    sections = {s.key: s for s in worklist_for(cast.secretary)}
    assert (sections["lost"].count, len(sections["lost"].items)) == (7, 5)
    assert sections["conversions"].count == 7
    assert [m.name for m in sections["conversions"].items][:2] == ["预备0", "预备1"]
    assert sections["care"].count == 7  # the visited one and street B's are not there
    assert sections["arrears"].count == 7 * 3 + 1  # everyone open but the one who paid up
    assert sections["lost"].url == "/members/find/?status=lost_contact"

    street_b = {s.key: s.count for s in worklist_for(cast.street_b)}
    assert street_b == {"lost": 0, "conversions": 0, "care": 1, "arrears": 1}


@pytest.mark.parametrize("rows", [2, 12])
def test_worklist_page_constant_queries(client_for, cast, make_member, rows, django_assert_max_num_queries):
    populate(cast, make_member, rows)
    client = client_for(cast.secretary)
    # session, user, grants, secretary orgs, 4 sections × (count + items), unread badge: 13
    with django_assert_max_num_queries(13):
        response = client.get("/members/worklist/")
    assert response.status_code == 200
    assert "书记工作台" in response.content.decode()
    assert client_for(cast.resident).get("/members/worklist/").status_code == 403


# --- the member page's panels ------------------------------------------------------------------------------
# Each panel and its queries (the user's grants and the content types warmed): its records; care: the
# member's tags, its visits; transfers: the organizations the viewer leads (the scoping function), the
# transfers.
PANEL_QUERIES = {
    "_detail_find": 1,
    "_detail_study": 1,
    "_detail_dues": 1,
    "_detail_care": 2,
    "_detail_transfers": 2,
}
PARTIALS = tuple(PANEL_QUERIES)


def render_panel(name, member, user):
    request = RequestFactory().get(f"/members/{member.pk}/")
    request.user = user
    return render_to_string(f"members/{name}.html", {"member": member, "user": user}, request=request)


def test_panels_render_the_records(cast, member, branch_b):
    find.record_contact_attempt(
        actor=cast.worker, member=member, method="phone", result="电话联系上了", reached=True
    )
    care.record_care_visit(actor=cast.worker, member=member, kind="illness", help_given="送去药品")
    manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_b)
    html = {name: render_panel(name, member, cast.secretary) for name in PARTIALS}
    assert "电话联系上了" in html["_detail_find"] and "登记联系" in html["_detail_find"]
    assert "登记为失联党员" in html["_detail_find"]  # the status steps the secretary may take
    assert "送去药品" in html["_detail_care"]
    assert "育才社区党支部" in html["_detail_transfers"]
    assert "登记学习" in html["_detail_study"] and "登记缴纳" in html["_detail_dues"]
    auditor_view = render_panel("_detail_find", member, cast.auditor)
    assert "登记联系" not in auditor_view and "登记为失联党员" not in auditor_view


@pytest.mark.parametrize("rows", [1, 8])
def test_panels_constant_queries(cast, member, rows, django_assert_max_num_queries):
    for i in range(rows):
        find.record_contact_attempt(actor=cast.worker, member=member, method="phone", result=f"第{i}次")
        care.record_care_visit(actor=cast.worker, member=member, kind="holiday")
    member = Member.objects.select_related("branch", "branch__area").get(pk=member.pk)
    render_panel("_detail_find", member, cast.secretary)  # warm the user's grants and content types
    for name in PARTIALS:
        with django_assert_max_num_queries(PANEL_QUERIES[name], info=name):
            render_panel(name, member, cast.secretary)


def test_a_branch_secretary_without_grants_works_on_their_branch(
    client_for, cast, make_member, branch_a, branch_a2
):
    from tests.factories import make_user

    branch_secretary = make_user("branch_sec")
    branch_a.secretary = branch_secretary
    branch_a.save()
    mine = make_member("本支部长者", birth_date=date(1930, 1, 1))
    make_member("二支部长者", branch=branch_a2, birth_date=date(1930, 1, 1))
    client = client_for(branch_secretary)
    sections = {s.key: s for s in client.get("/members/worklist/").context["sections"]}
    assert [m.name for m in sections["care"].items] == ["本支部长者"]
    assert client.get(f"/members/{mine.pk}/care-visits/new/").status_code == 200
    other = Member.objects.get(name="二支部长者")
    assert client.get(f"/members/{other.pk}/care-visits/new/").status_code == 404


def test_the_member_page_shows_the_panels(client_for, cast, member):
    find.record_contact_attempt(actor=cast.worker, member=member, method="visit", result="上门见到本人")
    html = client_for(cast.secretary).get(f"/members/{member.pk}/").content.decode()
    for heading in ("寻找：状态与联系记录", "年学习", "年党费", "关爱", "组织关系与转正"):
        assert heading in html, heading
    assert "上门见到本人" in html
    assert html.count("/mark_lost_contact/") == 1  # the status buttons once, from the find panel


def test_mine_shows_my_study_dues_care_and_lets_me_ask_for_a_transfer(
    client_for, cast, tree, member, branch_b
):
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    me = make_user("me", Role.MEMBER, tree.courtyard_a, full_name="张三")
    member.user = me
    member.save()
    care.record_care_visit(actor=cast.worker, member=member, kind="holiday", help_given="春节慰问")
    client = client_for(me)
    html = client.get("/members/mine/").content.decode()
    for text in ("年学习", "年党费", "我的政治生日", "春节慰问", "申请组织关系转接"):
        assert text in html, text
    assert "/care-visits/new/" not in html and "/dues/payments/new/" not in html  # nothing to keep here
    response = client.post(
        f"/members/{member.pk}/transfers/new/", {"to_branch": branch_b.pk, "reason": "搬家"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # the member sees their own transfer
