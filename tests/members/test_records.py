"""Records (档案): create and update through the services and the pages — the ID number validated at its field
in Chinese, birth date and gender checked against it, the branch within the actor's scope, one person one
record — and the change log of personal data (masked)."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core.members.models import Member, MemberTag
from grassroots.core.members.services import records as services
from grassroots.workflow.models import TransitionLog
from tests.members.fixtures_records import *  # noqa: F403
from tests.members.fixtures_records import valid_id, with_bad_check_digit


def fields(branch, **extra):
    values = {
        "name": "陈红",
        "id_number": valid_id(date(1975, 3, 8), male=False),
        "branch": branch,
        "joined_probationary_on": date(2000, 7, 1),
        "joined_full_on": date(2001, 7, 1),
        "phone": "13812345678",
    }
    values.update(extra)
    return values


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# --- create ---------------------------------------------------------------------------------------------
def test_create_fills_birth_date_and_gender_from_the_id_number(cast, branch_x):
    member = services.create_member(actor=cast.secretary, **fields(branch_x))
    assert member.birth_date == date(1975, 3, 8)
    assert member.gender == "female"
    assert member.id_masked.startswith("5118") and "*" in member.id_masked
    assert member.completeness < 100
    started = TransitionLog.objects.filter(object_id=member.pk, transition="start")
    assert started.filter(actor=cast.secretary).exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("51180219750308", "身份证号应为18位"),
        ("511802197513080021", "出生日期无效"),
    ],
)
def test_a_bad_id_number_is_refused_at_its_field(cast, branch_x, bad, message):
    with pytest.raises(ValidationError) as info:
        services.create_member(actor=cast.secretary, **fields(branch_x, id_number=bad))
    assert message in errors_of(info)["id_number"][0]
    assert not Member.objects.exists()


def test_a_wrong_check_digit_is_refused(cast, branch_x):
    number = with_bad_check_digit(valid_id())
    with pytest.raises(ValidationError) as info:
        services.create_member(actor=cast.secretary, **fields(branch_x, id_number=number))
    assert errors_of(info)["id_number"] == ["身份证号校验位不正确，请核对。"]


def test_birth_date_and_gender_must_agree_with_the_id_number(cast, branch_x):
    with pytest.raises(ValidationError) as info:
        services.create_member(
            actor=cast.secretary, **fields(branch_x, birth_date=date(1976, 3, 8), gender="male")
        )
    errors = errors_of(info)
    assert errors["birth_date"] == ["出生日期与身份证号不一致（身份证号中为 1975-03-08）。"]
    assert errors["gender"] == ["性别与身份证号不一致（身份证号中为女）。"]


def test_dates_and_phone_are_checked(cast, branch_x):
    with pytest.raises(ValidationError) as info:
        services.create_member(
            actor=cast.secretary,
            **fields(
                branch_x,
                joined_probationary_on=date(1990, 1, 1),  # aged 14
                joined_full_on=date(1989, 1, 1),
                phone="12345",
            ),
        )
    errors = errors_of(info)
    assert "年满18周岁" in errors["joined_probationary_on"][0]
    assert errors["joined_full_on"] == ["转正时间不能早于入党时间。"]
    assert "11位手机号码" in errors["phone"][0]


def test_the_branch_must_be_in_the_actors_scope(cast, branch_x, branch_b, branch_sec, branch_y):
    with pytest.raises(ValidationError) as info:
        services.create_member(actor=cast.street_a, **fields(branch_b))
    assert "您负责的党支部" in errors_of(info)["branch"][0]
    with pytest.raises(ValidationError):
        services.create_member(actor=branch_sec, **fields(branch_y))
    member = services.create_member(actor=branch_sec, **fields(branch_x))  # the secretary's own branch
    assert member.branch == branch_x
    with pytest.raises(PermissionDenied):
        services.create_member(actor=cast.resident, **fields(branch_x, id_number=valid_id()))


# --- one person, one record -----------------------------------------------------------------------------
def test_a_second_record_links_to_the_first_when_visible(cast, branch_x, branch_y):
    first = services.create_member(actor=cast.secretary, **fields(branch_x))
    number = first.id_number
    with pytest.raises(services.DuplicateMember) as info:
        services.create_member(
            actor=cast.secretary, **fields(branch_y, name="陈虹", id_number=number.lower())
        )
    assert info.value.existing == first
    assert "陈红" in info.value.message_dict["id_number"][0]
    assert Member.objects.count() == 1


def test_a_second_record_elsewhere_is_refused_without_saying_where(cast, person, branch_b, branch_x):
    hidden = person("赵彬", branch=branch_b)
    with pytest.raises(services.DuplicateMember) as info:
        services.create_member(actor=cast.secretary, **fields(branch_x, id_number=hidden.id_number))
    message = info.value.message_dict["id_number"][0]
    assert info.value.existing is None
    assert "其他党组织" in message and "赵彬" not in message and "育才" not in message


def test_update_cannot_take_another_persons_number(cast, person):
    a, b = person("甲"), person("乙")
    with pytest.raises(services.DuplicateMember):
        services.update_member(actor=cast.secretary, member=b, id_number=a.id_number)
    b.refresh_from_db()
    assert b.id_number != a.id_number


# --- update, tags, account ------------------------------------------------------------------------------
def test_update_changes_fields_and_keeps_the_id_consistent(cast, person, tree):
    member = person("王五")
    services.update_member(
        actor=cast.worker, member=member, occupation="教师", education="bachelor", home_area=tree.courtyard_a
    )
    member.refresh_from_db()
    assert (member.occupation, member.education, member.home_area) == ("教师", "bachelor", tree.courtyard_a)
    new_number = valid_id(date(1970, 1, 2), male=False)
    services.update_member(actor=cast.worker, member=member, id_number=new_number)
    member.refresh_from_db()
    assert member.birth_date == date(1970, 1, 2) and member.gender == "female"


def test_update_needs_change_on_the_record_and_on_a_new_branch(cast, person, branch_b, branch_sec, branch_y):
    member = person("王五")
    with pytest.raises(PermissionDenied):
        services.update_member(actor=cast.auditor, member=member, occupation="x")
    with pytest.raises(PermissionDenied):
        services.update_member(actor=cast.street_b, member=member, occupation="x")
    with pytest.raises(ValidationError) as info:
        services.update_member(actor=branch_sec, member=member, branch=branch_y)
    assert "branch" in errors_of(info)
    with pytest.raises(TypeError):
        services.update_member(actor=cast.secretary, member=member, status="deceased")


def test_home_area_must_be_an_address(cast, person, tree):
    with pytest.raises(ValidationError) as info:
        services.update_member(actor=cast.secretary, member=person(), home_area=tree.community_a)
    assert errors_of(info)["home_area"] == ["居住地址请选择一个院落、小区或楼栋。"]


def test_tags_are_set_and_logged(cast, person):
    member = person()
    old, skill = MemberTag.objects.create(name="老党员"), MemberTag.objects.create(name="法律", kind="skill")
    services.set_tags(actor=cast.secretary, member=member, tags=[old, skill])
    assert set(member.tags.values_list("name", flat=True)) == {"老党员", "法律"}
    entry = LogEntry.objects.get_for_object(member).filter(changes__icontains="tags").get()
    assert "法律" in str(entry.changes) and entry.actor == cast.secretary
    assert services.create_tag(actor=cast.secretary, name="法律", kind="skill") == skill
    with pytest.raises(ValidationError):
        services.create_tag(actor=cast.secretary, name="法律", kind="tag")


def test_link_user_checks_the_account(cast, person, tree):
    from tests.factories import make_user

    member = person("刘洋")
    stranger = make_user("far", "resident", tree.community_b, home_area=None)
    with pytest.raises(ValidationError) as info:
        services.link_user(actor=cast.secretary, member=member, user=stranger)
    assert "管辖范围" in errors_of(info)["user"][0]
    namesake = make_user("liuyang", "member", tree.courtyard_a, full_name="刘阳")
    with pytest.raises(ValidationError):
        services.link_user(actor=cast.secretary, member=member, user=namesake)
    right = make_user("liuyang2", "member", tree.courtyard_a, full_name="刘洋")
    services.link_user(actor=cast.secretary, member=member, user=right)
    assert Member.objects.get(user=right) == member
    other = person("刘洋", birth=date(1990, 1, 1))
    with pytest.raises(ValidationError):
        services.link_user(actor=cast.secretary, member=other, user=right)


# --- the change log -------------------------------------------------------------------------------------
def test_the_change_log_keeps_masked_numbers_only(cast, branch_x):
    member = services.create_member(actor=cast.secretary, **fields(branch_x))
    number = member.id_number
    services.update_member(actor=cast.secretary, member=member, phone="13900001111")
    entries = LogEntry.objects.get_for_object(member)
    assert entries.count() == 2
    text = " ".join(str(e.changes) for e in entries)
    assert number not in text and "13900001111" not in text and "13812345678" not in text
    assert "139****1111" in text and member.id_masked in text
    assert all(e.actor == cast.secretary for e in entries)


# --- the pages ------------------------------------------------------------------------------------------
def post_data(branch, **extra):
    data = {
        "name": "陈红",
        "id_number": valid_id(date(1975, 3, 8), male=False),
        "branch": branch.pk,
        "joined_probationary_on": "2000-07-01",
        "joined_full_on": "2001-07-01",
        "ethnicity": "汉族",
    }
    data.update(extra)
    return data


def test_the_create_page_shows_the_id_error_at_its_field(cast, client_for, branch_x):
    client = client_for(cast.secretary)
    response = client.post("/members/new/", post_data(branch_x, id_number=with_bad_check_digit(valid_id())))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["身份证号校验位不正确，请核对。"]
    assert not Member.objects.exists()
    response = client.post("/members/new/", post_data(branch_x))
    member = Member.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/members/{member.pk}/"
    assert member.gender == "female"


def test_the_create_page_links_a_duplicate(cast, client_for, branch_x, person):
    existing = person("陈红")
    response = client_for(cast.secretary).post(
        "/members/new/", post_data(branch_x, id_number=existing.id_number)
    )
    html = response.content.decode()
    assert f'href="/members/{existing.pk}/"' in html and "打开已有档案" in html
    assert Member.objects.count() == 1


def test_the_create_page_offers_only_branches_in_scope(cast, client_for, branch_x, branch_b, branch_sec):
    response = client_for(branch_sec).get("/members/new/")
    offered = {value for value, _label in response.context["form"].fields["branch"].choices if value}
    assert offered == {branch_x.pk}
    response = client_for(branch_sec).post("/members/new/", post_data(branch_b))
    assert "branch" in response.context["form"].errors


def test_the_edit_page_leaves_id_and_phone_unchanged_when_empty(cast, client_for, person):
    member = person("周周", phone="13812345678")
    client = client_for(cast.secretary)
    page = client.get(f"/members/{member.pk}/edit/").content.decode()
    assert member.id_number not in page and "13812345678" not in page
    data = post_data(
        member.branch, name="周舟", id_number="", phone="", birth_date="1980-05-01", gender="male"
    )
    response = client.post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "周舟" and member.phone == "13812345678"


def test_tags_page_and_account_page(cast, client_for, person, tree):
    from tests.factories import make_user

    member = person("刘洋")
    tag = MemberTag.objects.create(name="退役军人")
    client = client_for(cast.secretary)
    response = client.post(
        f"/members/{member.pk}/tags/", {"tag": [tag.pk], "new_name": "医疗", "new_kind": "skill"}
    )
    assert response.status_code == 302
    assert set(member.tags.values_list("name", flat=True)) == {"退役军人", "医疗"}
    make_user("liuyang", "member", tree.courtyard_a, full_name="刘洋")
    assert client.post(f"/members/{member.pk}/account/", {"username": "nobody"}).status_code == 200
    assert client.post(f"/members/{member.pk}/account/", {"username": "liuyang"}).status_code == 302
    member.refresh_from_db()
    assert member.user.username == "liuyang"


def test_a_corrected_number_brings_its_birth_date_through_the_edit_form(cast, client_for, person):
    member = person("周周")
    number = valid_id(date(1978, 9, 9), male=True)
    data = post_data(member.branch, name="周周", id_number=number, birth_date="1980-05-01", gender="male")
    response = client_for(cast.secretary).post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.birth_date == date(1978, 9, 9) and member.id_number == number
