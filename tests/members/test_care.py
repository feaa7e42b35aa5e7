"""Care (关爱): who needs care (80 and over by birth date, care tags), visited this year or not, care
visits, and the Party-membership anniversaries of a month."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.members.models import CareVisit, MemberTag
from grassroots.core.members.selectors import care as selectors
from grassroots.core.members.services import care, find
from tests.members.fixtures_precisions import *  # noqa: F403


def years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def test_the_age_80_boundary_is_by_birth_date(cast, make_member):
    today = timezone.localdate()
    make_member("今天满80", birth_date=years_ago(today, 80))
    make_member("明天满80", birth_date=years_ago(today, 80) + timedelta(days=1))
    make_member("九十岁", birth_date=years_ago(today, 90))
    names = {m.name for m in selectors.care_list(cast.secretary, today=today)}
    assert names == {"今天满80", "九十岁"}


def test_leap_day_birthdays(db):
    assert selectors.birth_cutoff(date(2024, 2, 29)) == date(1944, 2, 29)
    assert selectors.birth_cutoff(date(2025, 2, 28)) == date(1945, 2, 28)
    assert selectors.birth_cutoff(date(2028, 2, 29), age=81) == date(1947, 2, 28)


def test_care_tags_put_younger_members_on_the_list(cast, make_member):
    alone, _ = MemberTag.objects.get_or_create(name="独居", kind="care")
    veteran, _ = MemberTag.objects.get_or_create(name="退役军人", kind="tag")
    tagged = make_member("独居党员", birth_date=date(1960, 1, 1))
    tagged.tags.add(alone, veteran)
    make_member("退役军人党员", birth_date=date(1960, 1, 1)).tags.add(veteran)
    rows = list(selectors.care_list(cast.secretary))
    assert [m.name for m in rows] == ["独居党员"]
    assert [t.name for t in rows[0].care_tags] == ["独居"]
    assert rows[0].aged is False


def test_visited_this_year_goes_last_and_can_be_left_out(cast, make_member):
    today = timezone.localdate()
    visited = make_member("已走访", birth_date=date(1930, 1, 1))
    last_year = make_member("去年走访", birth_date=date(1940, 1, 1))
    care.record_care_visit(actor=cast.worker, member=visited, kind="holiday", help_given="慰问金500元")
    CareVisit.objects.create(
        member=last_year, visitor=cast.worker, kind="holiday", visited_on=date(today.year - 1, 12, 31)
    )
    rows = list(selectors.care_list(cast.secretary, today=today))
    assert [(m.name, m.visited_this_year) for m in rows] == [("去年走访", False), ("已走访", True)]
    assert rows[0].last_visit_on == date(today.year - 1, 12, 31)
    assert [m.name for m in selectors.care_list(cast.secretary, unvisited_only=True)] == ["去年走访"]


def test_closed_records_are_not_on_the_list(cast, make_member):
    gone = make_member("已故", birth_date=date(1930, 1, 1))
    find.change_status(actor=cast.secretary, member=gone, name="mark_deceased", comment="病故")
    assert list(selectors.care_list(cast.secretary)) == []


def test_the_derivation_is_one_query(cast, make_member, django_assert_num_queries):
    for i in range(5):
        make_member(f"长者{i}", birth_date=date(1930, 1, i + 1))
    queryset = selectors.care_list(cast.secretary, tags=False)  # reads the grants
    with django_assert_num_queries(1):
        assert len(list(queryset)) == 5


def test_care_visit_checks(cast, member):
    visit = care.record_care_visit(actor=cast.worker, member=member, kind="illness", help_given="送药")
    assert (visit.visitor, visit.visited_on) == (cast.worker, timezone.localdate())
    with pytest.raises(ValidationError):
        care.record_care_visit(actor=cast.worker, member=member, kind="unknown")
    with pytest.raises(ValidationError):
        care.record_care_visit(
            actor=cast.worker,
            member=member,
            kind="holiday",
            visited_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        care.record_care_visit(actor=cast.street_b, member=member, kind="holiday")


def test_anniversaries_of_a_month(cast, make_member):
    make_member("七一入党", joined_probationary_on=date(1990, 7, 1))
    make_member("七月十五", joined_probationary_on=date(2010, 7, 15))
    make_member("八月", joined_probationary_on=date(2000, 8, 1))
    rows = list(selectors.anniversaries(cast.secretary, month=7))
    assert [m.name for m in rows] == ["七一入党", "七月十五"]
    assert selectors.party_years(rows[0], 2026) == 36


def test_care_pages(client_for, cast, tree, member, make_member):
    make_member("长者", birth_date=date(1930, 1, 1))
    client = client_for(cast.secretary)
    response = client.get(f"/members/care/?area={tree.community_a.pk}&unvisited=1")
    assert [m.name for m in response.context["page_obj"]] == ["长者"]
    assert client_for(cast.street_b).get(f"/members/care/?area={tree.community_a.pk}").status_code == 404
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "kind": "holiday",
        "help_given": "米油",
        "notes": "",
    }
    assert client.post(f"/members/{member.pk}/care-visits/new/", data).status_code == 302
    assert client_for(cast.street_b).get(f"/members/{member.pk}/care-visits/new/").status_code == 404
    assert client_for(cast.auditor).get(f"/members/{member.pk}/care-visits/new/").status_code == 403
    response = client.get(f"/members/anniversaries/?month={member.joined_probationary_on.month}")
    assert member.name in [m.name for m in response.context["page_obj"]]
    assert client_for(cast.resident).get("/members/care/").status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_care_page_query_count_does_not_grow(
    client_for, cast, make_member, rows, django_assert_max_num_queries
):
    tag, _ = MemberTag.objects.get_or_create(name="患病", kind="care")
    for i in range(rows):
        make_member(f"长者{i}", birth_date=date(1930, 1, 1)).tags.add(tag)
    client = client_for(cast.street_a)
    # session, user, grants, secretary orgs, communities, count, unread badge, page, care tags: 9
    with django_assert_max_num_queries(9):
        response = client.get("/members/care/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == rows


def test_care_visits_are_in_the_audit_trail_in_the_members_area(cast, tree, member):
    from auditlog.models import LogEntry

    visit = care.record_care_visit(actor=cast.worker, member=member, kind="hardship", help_given="临时救助")
    entry = LogEntry.objects.get_for_object(visit).select_related("audit_scope").get()
    assert entry.changes["help_given"] == ["None", "临时救助"]
    assert entry.audit_scope.area_path == tree.community_a.path
