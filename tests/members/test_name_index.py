"""The members' names by character (grassroots.core.members.name_index): the table holds exactly the Chinese
characters of every member's name after each kind of write — the services, a queryset's update, bulk_create,
the import's own bulk insert, pseudonymisation, deletes, raw SQL — and the search through it finds what the
substring search over every name finds, on names with repeated characters, Latin letters in either case,
spaces and LIKE's wildcards."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import Q

from grassroots.core.members import name_index
from grassroots.core.members.models import Member
from grassroots.core.members.privacy import forget_members
from grassroots.core.members.selectors.records import MemberFilter, members_for
from grassroots.core.members.services.imports import start_member_import
from grassroots.core.members.services.records import create_member, update_member
from grassroots.imports.models import ImportJob
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import id_number, members_xlsx, row, upload
from tests.members.fixtures_records import *  # noqa: F403

pytestmark = pytest.mark.django_db


def kept() -> set[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT character, member_id FROM {name_index.TABLE}")
        return {(c, m) for c, m in cursor.fetchall()}


def expected() -> set[tuple[str, int]]:
    """Each CJK ideograph of each member's name, computed in Python from the names as stored."""
    return {
        (char, pk)
        for pk, name in Member.objects.values_list("pk", "name")
        for char in name
        if any(low <= ord(char) <= high for low, high in name_index.RANGES)
    }


def assert_kept() -> None:
    assert kept() == expected()


def test_characters_are_the_ideographs_once_each_in_order():
    assert name_index.characters("王小王 Wang𠀀豈ａ、") == ["王", "小", "𠀀", "豈"]
    assert name_index.characters("wang zs 123") == []
    assert name_index.holding("zs") is None


def test_every_write_keeps_the_table(cast, branch_x, person):
    assert kept() == set()
    made = create_member(
        actor=cast.secretary,
        name="王小王",
        id_number=valid_id(),  # noqa: F405
        branch=branch_x,
        joined_probationary_on=date(2005, 7, 1),
    )
    assert kept() == {("王", made.pk), ("小", made.pk)}  # a repeated character once

    update_member(actor=cast.secretary, member=made, name="李芳")
    assert kept() == {("李", made.pk), ("芳", made.pk)}
    update_member(actor=cast.secretary, member=made, occupation="教师")  # not the name: unchanged
    assert kept() == {("李", made.pk), ("芳", made.pk)}

    other = person("张 三 Zhang")
    assert_kept()
    Member.objects.filter(pk__in=[made.pk, other.pk]).update(name="赵钱孙")  # QuerySet.update
    assert kept() == {(c, pk) for c in "赵钱孙" for pk in (made.pk, other.pk)}

    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("UPDATE members_member SET name = %s WHERE id = %s", ["周𠀀周", other.pk])
    assert_kept()
    assert ("𠀀", other.pk) in kept()

    copies = []
    for i, name in enumerate(["吴王", "郑 王芳", "Wang Fang"]):
        copy = Member.objects.get(pk=other.pk)
        copy.pk, copy.name, copy.id_number = None, name, valid_id(date(1970, 1, 1 + i))  # noqa: F405
        copy.user = None
        copy.fill_derived()
        copies.append(copy)
    Member.objects.bulk_create(copies)  # bulk_create: one INSERT of several rows
    assert_kept()

    forget_members([Member.objects.get(pk=made.pk)], placeholder=lambda m: f"已故党员{m.pk}", label="测试")
    assert_kept()
    assert {c for c, pk in kept() if pk == made.pk} == {"已", "故", "党", "员"}

    Member.objects.get(pk=other.pk).delete()
    Member.objects.filter(name="吴王").delete()
    assert_kept()
    assert all(pk != other.pk for _c, pk in kept())


def test_the_imports_bulk_insert_keeps_the_table(cast, branch_x, person):
    person("王老")
    job = start_member_import(
        file=upload(
            members_xlsx(
                [
                    row("王五", id_number(), "桥楼社区第一党支部"),
                    row("欧阳王芳", id_number(), "桥楼社区第一党支部"),
                    row("Ann 李", id_number(), "桥楼社区第一党支部"),
                ]
            )
        ),
        actor=cast.street_a,
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Member.objects.count() == 4
    assert_kept()


def test_a_missing_trigger_is_created_and_the_table_refilled(person):
    """SQLite drops a table's triggers when a migration rebuilds it: after `migrate` they are back, and what
    was written without them is in the table."""
    first = person("王一")
    name_index.create_triggers(connection, drop=True)
    assert not name_index.has_triggers(connection)
    second = person("李二")
    Member.objects.filter(pk=first.pk).update(name="赵一")
    assert kept() == {("王", first.pk), ("一", first.pk)}  # stale without the triggers
    name_index.ensure(using="default")
    assert name_index.has_triggers(connection)
    assert kept() == {("赵", first.pk), ("一", first.pk), ("李", second.pk), ("二", second.pk)}
    name_index.ensure(using="default")  # idempotent
    person("孙三")
    assert_kept()


TRICKY = [
    "王",
    "王王",
    "王小王",
    "小王",
    "王芳",
    "王芳芳",
    "芳王",
    "王 芳",
    "王  芳",
    "欧阳王芳",
    "Wang王",
    "wang王芳",
    "WANG 王",
    "王Fang",
    "王ＡＢ",
    "王ａｂ",
    "王%芳",
    "王_芳",
    "王\\芳",
    "𠀀王",
    "豈王",
    "李四",
    "Li Si",
]
QUERIES = [
    "王",
    "王王",
    "王芳",
    "芳王",
    "王 芳",
    "王  芳",
    " 王芳 ",
    "王小",
    "Wang王",
    "wang王",
    "WANG王",
    "g王",
    "G王芳",
    "ng 王",
    "王f",
    "王FANG",
    "王ＡＢ",
    "王ａｂ",
    "王%",
    "%芳",
    "王_芳",
    "王_",
    "王\\",
    "𠀀",
    "𠀀王",
    "豈",
    "欧阳",
    "四",
    "张",
    "李四王",
    "wang",
    "li si",
]


def substring_search(text: str) -> Q:
    """The search as it was before the table: the name as a substring (or pinyin initials)."""
    text = text.strip()
    q = Q(name__icontains=text)
    if re.fullmatch(r"[a-z]+", text.lower()):
        q |= Q(pinyin_initials__startswith=text.lower())
    return q


def test_the_search_finds_what_the_substring_search_finds(cast, person):
    for name in TRICKY:
        person(name)
    everyone = members_for(cast.secretary)
    for query in QUERIES:
        filterset = MemberFilter({"q": query}, queryset=everyone)
        assert filterset.is_valid(), filterset.errors
        found = sorted(filterset.qs.values_list("name", flat=True))
        assert found == sorted(everyone.filter(substring_search(query)).values_list("name", flat=True)), query
    assert MemberFilter({"q": "王"}, queryset=everyone).qs.count() == 21
    assert MemberFilter({"q": "王芳"}, queryset=everyone).qs.count() == 4


def test_the_search_reads_the_table(cast, person):
    """The table decides which members are looked at: without its rows a Chinese name is not found (the
    substring condition alone would find it)."""
    person("王芳")
    everyone = members_for(cast.secretary)
    assert [m.name for m in MemberFilter({"q": "王芳"}, queryset=everyone).qs] == ["王芳"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {name_index.TABLE} WHERE character = %s", ["芳"])
    assert list(MemberFilter({"q": "王芳"}, queryset=everyone).qs) == []
    assert [m.name for m in MemberFilter({"q": "王"}, queryset=everyone).qs] == ["王芳"]
