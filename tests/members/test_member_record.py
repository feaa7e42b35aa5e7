from datetime import date

import pytest
from django.db import IntegrityError, connection
from django.utils import translation

from grassroots.core.members.models import Member
from tests.factories import make_party_org
from tests.members.test_identity import ya_an_id


@pytest.fixture
def branch(tree):
    return make_party_org("桥楼社区第一党支部", tree.community_a)


def test_the_id_number_is_stored_encrypted_and_found_by_its_hash(branch):
    number = ya_an_id()
    member = Member.objects.create(
        name="张三",
        gender="male",
        birth_date=date(1980, 1, 1),
        id_number=number,
        phone="13812345678",
        branch=branch,
        joined_probationary_on=date(2005, 7, 1),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_member WHERE id = %s", [member.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert number not in raw_id and "13812345678" not in raw_phone
    again = Member.objects.get(pk=member.pk)
    assert again.id_number == number
    assert again.id_masked == number[:4] + "*" * 10 + number[-4:]
    assert again.phone_masked == "138****5678"
    assert again.pinyin_initials == "zs"


def test_one_person_one_record(branch):
    number = ya_an_id()
    fields = {
        "gender": "male",
        "birth_date": date(1980, 1, 1),
        "branch": branch,
        "joined_probationary_on": date(2005, 7, 1),
    }
    Member.objects.create(name="张三", id_number=number, **fields)
    second = Member(name="张叁", id_number=number.lower(), **fields)
    second.fill_derived()
    assert second.id_hash == Member.objects.get().id_hash
    with pytest.raises(IntegrityError, match=r"(?i)unique|id_hash"):
        second.save()


def test_a_records_choice_labels_in_each_language(branch):
    """get_<field>_display reads each field's labels from a dict built once (Member._get_FIELD_display):
    still translated at each call, and a value outside the choices shows as it is, as Django's does."""
    member = Member.objects.create(
        name="张三",
        gender="male",
        birth_date=date(1980, 1, 1),
        id_number=ya_an_id(),
        branch=branch,
        education="bachelor",
        joined_probationary_on=date(2005, 7, 1),
    )
    member = Member.objects.get(pk=member.pk)
    assert (member.get_gender_display(), member.get_education_display()) == ("男", "本科")
    assert member.get_status_display() == "正常"
    with translation.override("en"):
        assert (member.get_gender_display(), member.get_education_display()) == ("Male", "Bachelor's degree")
        assert member.get_status_display() == "Normal"
    member.education, member.gender = "", "other"
    assert (member.get_education_display(), member.get_gender_display()) == ("", "other")
    assert member.status_badge == "text-bg-success"
