"""Fixtures of the five-precisions tests (find, educate, manage, care, worklist, their API). Import them
into a test module with `from tests.members.fixtures_precisions import *  # noqa: F403`.

branch_a   桥楼社区第一党支部 on 桥楼社区 (street A: the cast's secretary, worker, street_a see it)
branch_a2  桥楼社区第二党支部 on 桥楼社区
branch_b   育才社区党支部 on 育才社区 (street B: street_b's; the outsider for branch_a's members)
make_member(**fields)  a member of branch_a by default, with a fresh valid ID number
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import Member
from grassroots.workflow.services import start
from tests.factories import make_party_org

_serials = itertools.count(1)


def new_id_number(birth: date) -> str:
    first17 = "511802" + birth.strftime("%Y%m%d") + f"{next(_serials) % 1000:03d}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def branch_a(tree):
    return make_party_org("桥楼社区第一党支部", tree.community_a)


@pytest.fixture
def branch_a2(tree):
    return make_party_org("桥楼社区第二党支部", tree.community_a)


@pytest.fixture
def branch_b(tree):
    return make_party_org("育才社区党支部", tree.community_b)


@pytest.fixture
def make_member(branch_a, cast):
    def make(name: str = "张三", *, branch=None, birth_date: date = date(1980, 5, 1), **fields) -> Member:
        values = {
            "gender": "male",
            "joined_probationary_on": date(2005, 7, 1),
            "joined_full_on": date(2006, 7, 1),
        }
        values.update(fields)
        member = Member.objects.create(
            name=name,
            birth_date=birth_date,
            id_number=new_id_number(birth_date),
            branch=branch or branch_a,
            **values,
        )
        start(member, actor=cast.secretary)
        return Member.objects.select_related("branch", "branch__area").get(pk=member.pk)

    return make


@pytest.fixture
def member(make_member):
    return make_member("张三")


__all__ = ["branch_a", "branch_a2", "branch_b", "make_member", "member", "new_id_number"]
