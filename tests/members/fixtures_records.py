"""Fixtures of the records, identify, 我的 and dual-registration tests. Import them into a test module with
`from tests.members.fixtures_records import *  # noqa: F403`.

general    桥楼社区党总支 on 桥楼社区 (its secretary covers both branches below)
branch_x   桥楼社区第一党支部 on 桥楼社区, under `general`; its secretary is `branch_sec`
branch_y   桥楼社区第二党支部 on 桥楼社区, under `general` (same community, another branch)
branch_b   育才社区党支部 on 育才社区 (street B)
branch_sec a Party member living in 一号院落 (role: member) who is secretary of branch_x — no area grant
person(...) a record created directly (not through the service), with a fresh valid ID number
api_for(user) a DRF client carrying that user's token (tests/conftest.py)
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import Member
from grassroots.workflow.services import start
from tests.factories import make_party_org, make_user

_serials = itertools.count(50)


def valid_id(birth: date = date(1980, 5, 1), *, male: bool = True) -> str:
    serial = (2 * next(_serials) + int(male)) % 1000  # the 17th digit: odd for men, even for women
    first17 = "511802" + birth.strftime("%Y%m%d") + f"{serial:03d}"
    return first17 + id_check_digit(first17)


def with_bad_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


@pytest.fixture
def general(tree):
    return make_party_org("桥楼社区党总支", tree.community_a, kind="general_branch")


@pytest.fixture
def branch_x(tree, general):
    return make_party_org("桥楼社区第一党支部", tree.community_a, parent=general)


@pytest.fixture
def branch_y(tree, general):
    return make_party_org("桥楼社区第二党支部", tree.community_a, parent=general)


@pytest.fixture
def branch_b(tree):
    return make_party_org("育才社区党支部", tree.community_b)


@pytest.fixture
def branch_sec(tree, branch_x):
    user = make_user(
        "branch_sec", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a, full_name="李书记"
    )
    branch_x.secretary = user
    branch_x.save(update_fields=["secretary"])
    return user


@pytest.fixture
def person(branch_x, cast):
    """person(name, branch=…, birth=…, **fields) → a saved record with its timeline opened."""

    def make(name: str = "张三", *, branch=None, birth: date = date(1980, 5, 1), **fields) -> Member:
        male = fields.pop("male", True)
        values = {
            "gender": "male" if male else "female",
            "joined_probationary_on": date(2005, 7, 1),
            "joined_full_on": date(2006, 7, 1),
        }
        values.update(fields)
        member = Member.objects.create(
            name=name,
            birth_date=birth,
            id_number=valid_id(birth, male=male),
            branch=branch or branch_x,
            **values,
        )
        start(member, actor=cast.secretary)
        return Member.objects.select_related("branch__area", "home_area").get(pk=member.pk)

    return make


__all__ = [
    "branch_b",
    "branch_sec",
    "branch_x",
    "branch_y",
    "general",
    "person",
    "valid_id",
    "with_bad_check_digit",
]
