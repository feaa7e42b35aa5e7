"""我的: a signed-in member sees their own record (masked), corrects the few facts they may correct themselves
(applied at once, logged, their branch secretary told), and nobody else's."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.core.members.services.records import correct_own_record
from grassroots.workflow.models import Notification
from tests.factories import make_user
from tests.homes import open_home
from tests.members.fixtures_records import *  # noqa: F403


@pytest.fixture
def me(tree):
    return make_user("zhangsan", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a, full_name="张三")


@pytest.fixture
def my_record(person, me, branch_sec):
    record = person("张三", phone="13812345678")
    record.user = me
    record.save()
    return record


def test_my_page_shows_my_record_masked(my_record, me, client_for):
    response = client_for(me).get("/members/mine/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三" in html and my_record.id_masked in html and "138****5678" in html
    assert my_record.id_number not in html and "13812345678" not in html
    assert 'href="/members/mine/edit/"' in html


def test_a_user_without_a_record_is_told_how_to_get_one(cast, client_for):
    response = client_for(cast.resident).get("/members/mine/")
    assert response.status_code == 200
    assert "尚未关联党员档案" in response.content.decode()
    assert client_for(cast.resident).get("/members/mine/edit/").status_code == 404


def test_the_member_menu_entry_is_for_members(my_record, me, cast, client_for):
    assert 'href="/members/mine/"' in open_home(client_for(me)).content.decode()
    assert 'href="/members/mine/"' not in open_home(client_for(cast.resident)).content.decode()


def test_corrections_are_applied_logged_and_told_to_the_secretary(
    my_record, me, branch_sec, client_for, tree, django_capture_on_commit_callbacks
):
    client = client_for(me)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/members/mine/edit/",
            {
                "phone": "13900001111",
                "education": "master",
                "occupation": "律师",
                "work_unit": "雅安律师事务所",
                "home_community": tree.community_a.pk,
                "home_area": tree.courtyard_a.pk,
            },
        )
    assert response.status_code == 302
    my_record.refresh_from_db()
    assert (my_record.phone, my_record.education, my_record.occupation) == ("13900001111", "master", "律师")
    entry = LogEntry.objects.get_for_object(my_record).latest("timestamp")
    assert (
        entry.actor == me and "139****1111" in str(entry.changes) and "13900001111" not in str(entry.changes)
    )
    notice = Notification.objects.get(recipient=branch_sec)
    assert "张三" in notice.verb and "手机号" in notice.verb


def test_an_empty_phone_keeps_the_old_one_and_bad_input_is_refused(my_record, me, client_for):
    client = client_for(me)
    response = client.post("/members/mine/edit/", {"phone": "123", "education": ""})
    assert response.status_code == 200
    assert "11位手机号码" in response.context["form"].errors["phone"][0]
    client.post("/members/mine/edit/", {"phone": "", "occupation": "教师"})
    my_record.refresh_from_db()
    assert my_record.phone == "13812345678" and my_record.occupation == "教师"


def test_only_the_harmless_fields_and_only_ones_own(my_record, me, cast, person):
    with pytest.raises(TypeError):
        correct_own_record(actor=me, member=my_record, name="李四")
    other = person("王五")
    with pytest.raises(PermissionDenied):
        correct_own_record(actor=me, member=other, occupation="x")
    with pytest.raises(PermissionDenied):
        correct_own_record(actor=cast.secretary, member=my_record, occupation="x")
    with pytest.raises(ValidationError):
        correct_own_record(actor=me, member=my_record, home_area=my_record.branch.area)


def test_a_member_cannot_open_the_records_of_others(my_record, me, person, client_for):
    other = person("王五")
    client = client_for(me)
    assert client.get(f"/members/{other.pk}/").status_code == 404
    assert client.get(f"/members/{my_record.pk}/").status_code == 404  # the record page is for keepers
    assert client.get("/members/").status_code == 403


def test_my_page_opens_on_the_summary_with_the_details_behind_a_tap(my_record, me, client_for):
    """Hours against the requirement, dues and the next gathering come first; the year's study records and
    the payments are folded (<details>), so 36 sessions no longer push the dues off a phone's screen."""
    html = client_for(me).get("/members/mine/").content.decode()

    summary = html.index('id="mine-summary"')
    parts = ("mine-summary", "mine-study", "mine-dues", "mine-record")
    order = [html.index(f'id="{part}"') for part in parts]
    assert order == sorted(order)
    for part in ('data-summary="study"', 'data-summary="dues"', 'data-summary="next_gathering"'):
        assert part in html
    assert "学时" in html[summary : html.index('id="mine-study"')]


def test_a_members_home_shows_their_summary(my_record, me, client_for, cast):
    response = open_home(client_for(me))
    names = [b.name for b in response.blocks]
    assert "member_summary" in names
    assert 'href="/members/mine/"' in response.content.decode()
    assert "member_summary" not in [b.name for b in open_home(client_for(cast.resident)).blocks]
