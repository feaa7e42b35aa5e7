"""The member list: filters on any field, search by name, pinyin initials and full ID number, paging, and a
query count that does not grow with the rows. The member page: masked unless the viewer holds
people.view_pii on the record and asks, which is logged."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from grassroots.core.members.models import Member, MemberTag
from grassroots.core.members.selectors import records as selectors
from grassroots.core.members.selectors.records import MemberFilter, members_for
from grassroots.pages import area_option
from tests.members.fixtures_records import *  # noqa: F403


def listed(user, **params) -> set[str]:
    filterset = MemberFilter(dict(params), queryset=members_for(user))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


@pytest.fixture
def crowd(person, branch_x, branch_y, tree):
    today = timezone.localdate()
    old = person(
        "王老", birth=date(today.year - 82, 1, 1), education="primary", joined_full_on=date(1970, 1, 1)
    )
    young = person(
        "李小",
        birth=date(today.year - 25, 1, 1),
        male=False,
        joined_probationary_on=date(today.year - 1, 1, 1),
    )
    Member.objects.filter(pk=young.pk).update(joined_full_on=None)
    worker = person(
        "张工",
        branch=branch_y,
        in_service=True,
        education="bachelor",
        phone="13812345678",
        occupation="工程师",
        work_unit="雅安电力",
        home_area=tree.courtyard_a,
    )
    lawyer = MemberTag.objects.create(name="法律", kind="skill")
    veteran = MemberTag.objects.create(name="退役军人")
    old.tags.add(veteran)
    worker.tags.add(lawyer)
    return {
        "old": old,
        "young": Member.objects.get(pk=young.pk),
        "worker": worker,
        "lawyer": lawyer,
        "veteran": veteran,
    }


def test_filters_on_fields(crowd, cast, branch_x, general):
    user = cast.secretary
    assert listed(user) == {"王老", "李小", "张工"}
    assert listed(user, gender="female") == {"李小"}
    assert listed(user, age_min="80") == {"王老"}
    assert listed(user, age_max="25") == {"李小"}
    assert listed(user, age_min="26", age_max="79") == {"张工"}
    assert listed(user, education=["primary", "bachelor"]) == {"王老", "张工"}
    assert listed(user, in_service="true") == {"张工"}
    assert listed(user, probationary="true") == {"李小"}
    assert listed(user, probationary="false") == {"王老", "张工"}
    assert listed(user, tag=[crowd["lawyer"].pk, crowd["veteran"].pk]) == {"王老", "张工"}
    assert listed(user, branch=str(branch_x.pk)) == {"王老", "李小"}
    assert listed(user, branch=str(general.pk)) == {"王老", "李小", "张工"}  # the organization's subtree
    assert listed(user, completeness_below="60") == {"王老", "李小"}
    Member.objects.filter(pk=crowd["old"].pk).update(status="mobile")
    assert listed(user, status=["mobile", "lost_contact"]) == {"王老"}


def test_search_by_name_initials_and_full_id_number(crowd, cast):
    user = cast.secretary
    assert listed(user, q="张") == {"张工"}
    assert listed(user, q="wl") == {"王老"}
    assert listed(user, q="ZG") == {"张工"}
    assert listed(user, q=crowd["young"].id_number) == {"李小"}
    assert listed(user, q=crowd["young"].id_number.lower()) == {"李小"}
    assert listed(user, q=crowd["young"].id_number[:10]) == set()  # no partial number search


def test_filters_never_leave_the_scope(crowd, cast, branch_b, person):
    person("赵彬", branch=branch_b)
    assert listed(cast.street_b, branch=str(crowd["old"].branch_id)) == set()
    assert listed(cast.secretary, q="赵彬") == set()


def test_the_page_shows_filters_and_results(crowd, cast, client_for):
    client = client_for(cast.secretary)
    html = client.get("/members/", {"in_service": "true"}).content.decode()
    assert "张工" in html and "王老" not in html
    assert "138****5678" in html and "13812345678" not in html


def test_each_row_shows_its_badges_tags_and_completeness(crowd, cast, client_for):
    """The row's markup as the page's templates wrote it before the badges' classes and the completeness
    bar moved to Python (issue 19): the status badge, the tags by kind, the bar by completeness."""
    Member.objects.filter(pk=crowd["old"].pk).update(status="lost_contact", completeness=40)
    Member.objects.filter(pk=crowd["worker"].pk).update(completeness=100)
    html = client_for(cast.city).get("/members/").content.decode()
    assert '<span class="badge text-bg-danger">失联</span>' in html  # 王老
    assert '<span class="badge text-bg-success">正常</span>' in html
    assert '<span class="badge rounded-pill text-bg-primary">法律</span>' in html  # a skill
    assert '<span class="badge rounded-pill text-bg-light">退役军人</span>' in html  # a plain tag
    assert (
        '<div class="progress" role="progressbar" style="height: .5rem; min-width: 4rem"'
        ' aria-label="信息完整度" aria-valuenow="40" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar bg-danger"'
        ' style="width: 40%"></div></div><span class="small text-body-secondary">40%</span>'
    ) in html
    assert '<div class="progress-bar bg-success" style="width: 100%">' in html
    assert '<span class="badge text-bg-light">预备</span>' in html  # 李小
    assert '<span class="badge text-bg-info">在职</span>' in html  # 张工


def test_the_list_reads_neither_id_numbers_nor_phones(crowd, cast, client_for, django_assert_max_num_queries):
    """The rows show the masks; the encrypted ID number and phone are not read (nor decrypted) for them."""
    client = client_for(cast.city)
    client.get("/members/")  # warm the session
    with django_assert_max_num_queries(20) as captured:
        html = client.get("/members/").content.decode()
    rows = next(q["sql"] for q in captured.captured_queries if '"members_member"."gender"' in q["sql"])
    assert '"members_member"."id_number"' not in rows and '"members_member"."phone"' not in rows
    assert "138****5678" in html


def test_the_area_filter_offers_the_areas_by_name_and_level(cast, tree):
    """The options read as values are the areas' (id, "name（level）"), as area_option writes a record's."""
    options = selectors.area_options(cast.city)
    assert options == [area_option(area) for area in selectors.area_choices(cast.city)]
    assert (tree.community_a.pk, f"{tree.community_a.name}（社区）") in options
    assert selectors.area_options(cast.resident) == []


def test_the_list_is_paged(person, cast, client_for):
    for i in range(35):
        person(f"党员{i:02d}")
    client = client_for(cast.secretary)
    first = client.get("/members/")
    assert len(first.context["page_obj"].object_list) == 30
    second = client.get("/members/", {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows(
    rows, person, cast, client_for, django_assert_max_num_queries, tree
):
    tag = MemberTag.objects.create(name="老党员")
    for i in range(rows):
        person(f"党员{i:02d}", home_area=tree.courtyard_a).tags.add(tag)
    client = client_for(cast.secretary)
    client.get("/members/")  # warm the session
    # session, user, grants, organizations led (the scoping function); count, the page's keys (sorted over
    # the (branch, name, id) index: pages.paginate_by_pk), the page's rows (branch and home joined), tags of
    # the page; the chosen tag (validated), branch, area and tag choices of the filter; the header's unread
    # badge
    with django_assert_max_num_queries(13):
        response = client.get("/members/", {"tag": tag.pk})
    assert len(response.context["page_obj"].object_list) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_citys_list_counts_and_pages_the_member_table_alone(
    rows, person, cast, client_for, django_assert_max_num_queries, tree
):
    for i in range(rows):
        person(f"党员{i:02d}", home_area=tree.courtyard_a)
    client = client_for(cast.city)
    client.get("/members/")  # warm the session
    # session, user, grants (with the number of root areas: the city holds every one, so the scope is no
    # condition, access.scoping.holds_every_row); the count and the page's keys over the member table alone
    # (no join to the areas), the page's rows (branch and home joined), tags of the page; the organizations
    # led (the branch choices' scope), branch and area choices of the filter, the tag choices; the header's
    # unread badge
    with django_assert_max_num_queries(12) as captured:
        response = client.get("/members/")
    assert len(response.context["page_obj"].object_list) == rows
    assert response.context["page_obj"].paginator.count == rows
    count = next(q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"])
    assert "areas_area" not in count and "WHERE" not in count


# --- the member page: masking by role -------------------------------------------------------------------
def test_masked_by_default_and_for_those_without_the_permission(person, cast, client_for):
    member = person("钱七", phone="13912345678")
    for user in (cast.secretary, cast.worker, cast.auditor):
        html = client_for(user).get(f"/members/{member.pk}/").content.decode()
        assert member.id_masked in html and member.id_number not in html
        assert "139****5678" in html and "13912345678" not in html
    html = client_for(cast.worker).get(f"/members/{member.pk}/", {"show": "pii"}).content.decode()
    assert member.id_number not in html and "查看完整证件号" not in html
    # every view of the record is audited (查看), masked or not: one entry per view, with its viewer
    access = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_id=member.pk)
    assert list(access.values_list("actor__username", flat=True).order_by("pk")) == [
        "secretary",
        "worker",
        "auditor",
        "worker",
    ]


def test_unmasking_needs_the_permission_on_the_record_and_is_logged(person, cast, client_for, branch_sec):
    member = person("钱七", phone="13912345678")
    for user in (cast.secretary, branch_sec):
        html = client_for(user).get(f"/members/{member.pk}/", {"show": "pii"}).content.decode()
        assert member.id_number in html and "13912345678" in html
    access = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_id=member.pk)
    assert set(access.values_list("actor__username", flat=True)) == {"secretary", "branch_sec"}
    assert access.first().audit_scope.area_path == member.branch.area.path


def test_the_member_page_lists_every_field_and_the_timeline(person, cast, client_for, tree):
    member = person(
        "孙八", occupation="医生", work_unit="雅安人民医院", home_area=tree.courtyard_a, ethnicity="藏族"
    )
    html = client_for(cast.secretary).get(f"/members/{member.pk}/").content.decode()
    for text in (
        "孙八",
        "医生",
        "雅安人民医院",
        "一号院落",
        "藏族",
        "桥楼社区第一党支部",
        "2005-07-01",
        "2006-07-01",
    ):
        assert text in html
    assert "gr-timeline" in html or "创建" in html
