"""The index after bulk writes and renames, and the order of results: members written by an xlsx import are
found once the import commits (in bulk: one insert per batch, not one per row); a renamed area's (or Party
organization's) name reaches the entries of its records on commit; within a kind an exact title comes
first, then the most relevant (bm25 on SQLite, ts_rank on PostgreSQL) — whichever was indexed last. Runs on
both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.areas.services.areas import update_area
from grassroots.core.members.models import Member
from grassroots.core.members.services.imports import start_member_import
from grassroots.search.models import SearchEntry
from tests.factories import make_party_org
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import id_number, members_xlsx, row, upload

pytestmark = pytest.mark.django_db


def found(api, q, **params) -> list[tuple[str, int]]:
    response = api.get("/api/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [(r["kind"], r["id"]) for r in response.json()["results"]]


def test_members_of_an_import_are_found_once_it_commits(
    cast, tree, api_for, django_capture_on_commit_callbacks
):
    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    rows = [row(f"欧阳{name}", id_number(), branch.name) for name in ("明月", "清风", "白云")]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_member_import(file=upload(members_xlsx(rows)), actor=cast.street_a)
    job.refresh_from_db()
    assert job.status == "done", job.errors
    assert not SearchEntry.objects.exists()  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:  # the import commits
            callback()
    assert SearchEntry.objects.filter(kind="member").count() == 3
    api = api_for(cast.street_a)
    names = dict(Member.objects.values_list("pk", "name"))
    hits = found(api, "欧阳")
    assert {names[pk] for _kind, pk in hits} == {"欧阳明月", "欧阳清风", "欧阳白云"}
    assert found(api, "oyqf") == [("member", Member.objects.get(name="欧阳清风").pk)]
    assert found(api_for(cast.street_b), "欧阳") == []  # scoped as ever


def test_an_import_is_indexed_in_bulk(cast, tree, django_capture_on_commit_callbacks):
    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    rows = [row(f"党员{i}", id_number(), branch.name) for i in range(30)]
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        start_member_import(file=upload(members_xlsx(rows)), actor=cast.street_a)
    assert SearchEntry.objects.filter(kind="member").count() == 30
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(('INSERT INTO "search_searchentry"', 'UPDATE "search_searchentry"'))
    ]
    assert len(writes) == 1  # one insert for the batch, not one write per member


def test_a_renamed_area_reaches_the_entries_of_its_records(
    cast, tree, api_for, django_capture_on_commit_callbacks
):
    from grassroots.selfgov.services import matters

    with django_capture_on_commit_callbacks(execute=True):
        matter = matters.create_matter(
            actor=cast.worker, area=tree.courtyard_a, title="一号院落停车整治", category="parking"
        )
        untouched = matters.create_matter(
            actor=cast.worker, area=tree.community_a, title="社区停车位划线", category="parking"
        )
    assert SearchEntry.objects.get(kind="matter", object_id=matter.pk).place == tree.courtyard_a.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_area(area=tree.courtyard_a, actor=cast.city, name="桥楼一号院")
    assert SearchEntry.objects.get(kind="matter", object_id=matter.pk).place != "桥楼一号院"  # on commit
    before = SearchEntry.objects.get(kind="matter", object_id=untouched.pk).updated_at
    for callback in callbacks:
        callback()
    assert SearchEntry.objects.get(kind="matter", object_id=matter.pk).place == "桥楼一号院"
    assert SearchEntry.objects.get(kind="matter", object_id=untouched.pk).updated_at == before
    response = api_for(cast.street_a).get("/api/search/", {"q": "停车"})
    places = {r["id"]: r["place"] for r in response.json()["results"]}
    assert places[matter.pk] == "桥楼一号院"


def test_a_code_change_does_not_reindex(cast, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_area(area=tree.courtyard_a, actor=cast.city, code=None)
    assert callbacks == []


def test_a_renamed_party_organization_reaches_its_members_entries_in_bulk(
    cast, tree, api_for, django_capture_on_commit_callbacks
):
    from grassroots.areas.services.party_orgs import update_party_org

    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    other = make_party_org("桥楼社区第二党支部", tree.community_a)
    rows = [row(f"上官{name}", id_number(), branch.name) for name in ("明月", "清风")]
    rows.append(row("上官白云", id_number(), other.name))
    with django_capture_on_commit_callbacks(execute=True):
        start_member_import(file=upload(members_xlsx(rows)), actor=cast.street_a)
    untouched = SearchEntry.objects.get(kind="member", object_id=Member.objects.get(name="上官白云").pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_party_org(org=branch, actor=cast.city, name="桥楼社区老年党支部")
    assert not SearchEntry.objects.filter(summary__startswith="桥楼社区老年党支部").exists()  # on commit
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    entries = SearchEntry.objects.filter(kind="member", object_id__in=branch.members.values("pk"))
    assert sorted(e.summary.split(" · ")[0] for e in entries) == ["桥楼社区老年党支部"] * 2
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "search_searchentry"')
    ]
    assert len(writes) == 1  # both members in one insert
    assert SearchEntry.objects.get(pk=untouched.pk).updated_at == untouched.updated_at  # the other branch
    hits = found(api_for(cast.street_a), "老年党支部")
    assert {pk for _kind, pk in hits} == set(branch.members.values_list("pk", flat=True))
    # a save that changes neither name nor area writes nothing
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        update_party_org(org=branch, actor=cast.city, code=None)
    assert not [
        q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "search_searchentry"')
    ]


def test_results_are_ranked_exact_title_first_then_by_relevance(
    cast, tree, api_for, django_capture_on_commit_callbacks
):
    from grassroots.selfgov.services import matters

    def create(title, description=""):
        with django_capture_on_commit_callbacks(execute=True):
            return matters.create_matter(
                actor=cast.worker,
                area=tree.courtyard_a,
                title=title,
                category="parking",
                description=description,
            )

    # indexed first to last: the newest (what the old order put first) is the least relevant
    exact = create("停车")
    focused = create("停车难", "停车 停车位 停车场")
    passing = create(
        "院落环境综合整治方案",
        "绿化补种、路灯维修、垃圾分类宣传、楼道清理、外墙粉刷、雨水管疏通、健身器材更换，另议停车",
    )
    api = api_for(cast.street_a)
    assert found(api, "停车", kind="matter") == [
        ("matter", exact.pk),
        ("matter", focused.pk),
        ("matter", passing.pk),
    ]
    assert connection.vendor in ("sqlite", "postgresql")
