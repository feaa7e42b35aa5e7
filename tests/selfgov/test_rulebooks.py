"""The four systems (四项制度): started by the community's staff, written and published through the documents'
pages (keeper `selfgov.manage`), read by the community's residents; missing ones marked for the workers; the
coverage figure; the API; another area's rulebooks answer 404."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.documents import services as documents
from grassroots.documents.models import VersionState
from grassroots.selfgov import selectors_rulebooks as rules
from grassroots.selfgov.models import Rulebook, RulebookKind
from grassroots.selfgov.services import rulebooks
from grassroots.workflow.models import Notification
from tests.homes import open_home

BODY = [
    {"number": "1", "title": "议事范围", "items": [{"number": "1.1", "text": "涉及居民切身利益的事项。"}]}
]


def adopt(actor, community, kind, body=BODY):
    rulebook = rulebooks.start_rulebook(actor=actor, community=community, kind=kind)
    draft = rulebook.document.versions.get()
    documents.save_draft(actor=actor, version=draft, body=body, note="经居民代表会议通过")
    documents.publish(actor=actor, version=draft)
    return rulebook


def test_started_by_the_community_staff_only(cast, tree):
    rulebook = rulebooks.start_rulebook(actor=cast.worker, community=tree.community_a, kind="decision")
    assert rulebook.document.title == "桥楼社区民主决策制度"
    assert rulebook.document.kind == "rulebook"
    with pytest.raises(ValidationError) as again:
        rulebooks.start_rulebook(actor=cast.secretary, community=tree.community_a, kind="decision")
    assert "本社区已建立该项制度" in str(again.value)
    with pytest.raises(PermissionDenied):
        rulebooks.start_rulebook(actor=cast.street_b, community=tree.community_a, kind="supervision")
    with pytest.raises(PermissionDenied):
        rulebooks.start_rulebook(actor=cast.resident, community=tree.community_a, kind="supervision")
    with pytest.raises(ValidationError) as street:
        rulebooks.start_rulebook(actor=cast.street_a, community=tree.street_a, kind="supervision")
    assert "请选择一个社区" in str(street.value)


def test_publishing_keeps_who_adopted_and_notifies_residents(
    cast, tree, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rulebook = adopt(cast.worker, tree.community_a, "deliberation")
    version = rulebook.document.versions.get()
    assert version.state == VersionState.PUBLISHED and version.adopted_by == cast.worker
    assert version.adopted_at is not None
    told = set(Notification.objects.filter(verb__contains="民主议事制度").values_list("recipient", flat=True))
    assert people.wang.pk in told and people.outsider.pk not in told
    # an amendment: a new version, the first superseded and kept
    draft = documents.start_draft(actor=cast.secretary, document=rulebook.document)
    documents.save_draft(
        actor=cast.secretary,
        version=draft,
        body=[
            *BODY,
            {"number": "2", "title": "议事程序", "items": [{"number": "2.1", "text": "提前三日公告议题。"}]},
        ],
    )
    documents.publish(actor=cast.secretary, version=draft)
    states = dict(rulebook.document.versions.values_list("number", "state"))
    assert states == {1: "superseded", 2: "published"}


def test_the_workers_list_marks_missing_and_counts_complete(
    client_for, cast, tree, django_assert_max_num_queries
):
    for kind in RulebookKind.values:
        adopt(cast.worker, tree.community_a, kind)
    rulebooks.start_rulebook(actor=cast.street_b, community=tree.community_b, kind="decision")  # draft only
    assert rules.coverage([tree.county.path])[tree.county.path] == {"communities": 2, "complete": 1}
    client = client_for(cast.city)
    with django_assert_max_num_queries(25):
        page = client.get("/selfgov/rulebooks/").content.decode()
    assert "1 / 2" in page and "缺失" in page and "草稿，未发布" in page and "齐全" in page
    street = client_for(cast.street_a).get("/selfgov/rulebooks/").content.decode()
    assert "桥楼社区" in street and "育才社区" not in street and "1 / 1" in street
    figure = rules.rulebooks_complete_rate([tree.street_a, tree.street_b], 2026)
    assert figure[tree.street_a.pk].rate == 1 and figure[tree.street_b.pk].rate == 0


def test_the_figure_of_an_area_and_its_children_in_one_statement(
    client_for, cast, tree, django_assert_num_queries
):
    """The officials' home asks for an area and its children: one statement (per_child), the same figures as
    the roll-up per subtree; the figure is among the street official's key figures, not the resident's."""
    for kind in RulebookKind.values:
        adopt(cast.worker, tree.community_a, kind)
    with django_assert_num_queries(1):
        both = rules.rulebooks_complete_rate([tree.street_a, tree.street_b, tree.county], 2026)
    assert (both[tree.county.pk].rate, both[tree.street_a.pk].rate, both[tree.street_b.pk].rate) == (
        0.5,
        1,
        0,
    )
    assert rules.coverage_per_child(tree.county)[tree.county.path] == {"communities": 2, "complete": 1}
    assert "四项制度齐全的社区比例" in open_home(client_for(cast.street_a)).content.decode()
    assert "四项制度齐全的社区比例" not in open_home(client_for(cast.resident)).content.decode()


def test_residents_read_their_communitys_systems_only(client_for, cast, tree, people):
    rulebook = adopt(cast.worker, tree.community_a, "management")
    draft_only = rulebooks.start_rulebook(actor=cast.worker, community=tree.community_a, kind="decision")
    wang = client_for(people.wang)
    page = wang.get("/selfgov/rulebooks/").content.decode()
    assert "民主管理制度" in page and "尚未发布" in page
    detail = wang.get(rulebook.get_absolute_url()).content.decode()
    assert "涉及居民切身利益的事项" in detail and "第 1 版" in detail
    assert wang.get(draft_only.get_absolute_url()).status_code == 404  # a draft is its keepers'
    assert client_for(people.outsider).get(rulebook.get_absolute_url()).status_code == 404
    assert client_for(cast.street_b).get(rulebook.get_absolute_url()).status_code == 404
    assert client_for(cast.worker).get(draft_only.get_absolute_url()).status_code == 200


def test_start_from_the_page_then_write_on_the_documents_editor(client_for, cast, tree):
    worker = client_for(cast.worker)
    answer = worker.post("/selfgov/rulebooks/new/", {"community": tree.community_a.pk, "kind": "supervision"})
    rulebook = Rulebook.objects.get()
    assert answer.status_code == 302 and answer.url == f"/documents/{rulebook.document_id}/draft/"
    assert worker.get(answer.url).status_code == 200
    text = "# 1 监督主体\n1.1 居务监督委员会每季度检查一次。"
    assert worker.post(answer.url, {"body": text, "note": "居民会议通过"}).status_code == 302
    assert worker.post(f"/documents/{rulebook.document_id}/draft/publish/").status_code == 302
    assert rulebook.document.versions.get().state == "published"
    # another street's official cannot start one here (the community is outside their scope)
    other = client_for(cast.street_b).post(
        "/selfgov/rulebooks/new/", {"community": tree.community_a.pk, "kind": "decision"}
    )
    assert other.status_code == 404


def test_api(api_for, cast, tree, people):
    worker = api_for(cast.worker)
    answer = worker.post(
        "/api/rulebooks/", {"community": tree.community_a.pk, "kind": "decision"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["in_force"] is None and answer.json()["has_draft"] is True
    document = answer.json()["document"]
    body = {"body": BODY, "note": "v1"}
    assert worker.put(f"/api/documents/{document}/draft/", body, format="json").status_code == 200
    assert worker.post(f"/api/documents/{document}/publish/").status_code == 200
    listed = api_for(people.wang).get(f"/api/rulebooks/?community={tree.community_a.pk}").json()
    assert [r["in_force"]["number"] for r in listed["results"]] == [1]
    assert api_for(people.outsider).get("/api/rulebooks/").json()["count"] == 0
    refused = api_for(cast.street_b).post(
        "/api/rulebooks/", {"community": tree.community_a.pk, "kind": "management"}, format="json"
    )
    assert refused.status_code == 400 and "community" in refused.json()["errors"]


def test_the_export_holds_each_communitys_four_systems_and_none_of_another_street(
    client_for, cast, tree, today, time_machine
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    time_machine.move_to(today.isoformat() + "T10:00:00+08:00", tick=False)
    for kind in RulebookKind.values:
        adopt(cast.worker, tree.community_a, kind)
    rulebooks.start_rulebook(actor=cast.street_b, community=tree.community_b, kind="decision")
    url = reverse("imports:list_export", args=["selfgov-rulebooks"])
    city = client_for(cast.city)
    assert 'data-export="selfgov-rulebooks"' in city.get("/selfgov/rulebooks/").content.decode()
    rows = read_xlsx(b"".join(city.post(url).streaming_content))["社区四项制度"]
    version = f"第 1 版 · {today.isoformat()}"
    assert rows == [
        ["社区", "民主议事制度", "民主决策制度", "民主管理制度", "民主监督制度", "齐全"],
        ["桥楼社区", version, version, version, version, "是"],
        ["育才社区", "缺失", "草稿，未发布", "缺失", "缺失", "否"],
    ]
    street_b = client_for(cast.street_b)
    assert [r[0] for r in read_xlsx(b"".join(street_b.post(url).streaming_content))["社区四项制度"][1:]] == [
        "育才社区"
    ]
    assert street_b.post(url + f"?area={tree.street_a.pk}").status_code == 404
    assert client_for(cast.resident).post(url).status_code == 403  # the residents' page is their own four


def test_the_export_in_the_background_through_the_api(
    api_for, cast, tree, settings, django_capture_on_commit_callbacks
):
    """Above the threshold the rows (read per chunk with their four systems) are written by the worker."""
    from tests.imports.helpers import read_xlsx

    adopt(cast.worker, tree.community_a, "deliberation")
    settings.EXPORTS_SYNC_MAX_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    api = api_for(cast.city)
    assert {"kind": "selfgov-rulebooks", "label": "社区四项制度"} in api.get("/api/exports/kinds/").json()
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/api/exports/", {"kind": "selfgov-rulebooks"}, format="json")
    assert started.status_code == 201 and started.json()["status"] == "pending"
    progress = api.get(f"/api/exports/{started.json()['id']}/").json()
    assert (progress["status"], progress["processed_rows"], progress["percent"]) == ("done", 2, 100)
    rows = read_xlsx(b"".join(api.get(progress["download_url"]).streaming_content))["社区四项制度"]
    assert [row[:2] for row in rows[1:]] == [["桥楼社区", rows[1][1]], ["育才社区", "缺失"]]
    assert rows[1][1].startswith("第 1 版")
    assert api_for(cast.street_b).get(progress["download_url"]).status_code == 404
    assert (
        api_for(cast.resident).post("/api/exports/", {"kind": "selfgov-rulebooks"}, format="json").status_code
        == 403
    )
