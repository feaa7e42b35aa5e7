"""Steps 4 and 5 by real requests of workers, the owner, the supervision committee and residents: the path
from the decision to done, a poor evaluation back to execution with its reasons, a street official's
reopening, the rate at the threshold's edge, the window closed, scope (another community's worker: 404,
nothing written), overdue alerts on the clock and the to-do, the settings page, the API, the figures and the
pages' queries."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from grassroots.accounts.roles import Role
from grassroots.selfgov import selectors_execution
from grassroots.selfgov.models import (
    CommunitySetting,
    Evaluation,
    MatterState,
    Milestone,
    ProgressUpdate,
    Rating,
    Spending,
    SupervisionCheck,
    Supervisor,
)
from grassroots.selfgov.services import evaluation, execution
from grassroots.workflow.models import Notification, TransitionLog
from tests.factories import make_user


@pytest.fixture
def extra(people, tree):
    """A fifth verified resident of the courtyard (made after the decision's vote)."""
    return make_user(
        "extra", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a, verified_at=timezone.now()
    )


def jpeg(name="p.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 10)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def step_url(record, name):
    content_type = ContentType.objects.get_for_model(record)
    return reverse("workflow:transition", args=[content_type.pk, record.pk, name])


def plan_text(today, weights=(40, 60)):
    return "\n".join(
        f"节点{i}，{w}，{(today + timedelta(days=5 * (i + 1))).isoformat()}" for i, w in enumerate(weights)
    )


def plan(cast, matter, weights=(40, 60), owner=None):
    today = timezone.localdate()
    return execution.set_plan(
        actor=cast.worker,
        matter=matter,
        owner=owner or cast.worker,
        budget=Decimal("1000"),
        milestones=[
            {"title": f"节点{i}", "weight": w, "planned_on": today + timedelta(days=5 * (i + 1))}
            for i, w in enumerate(weights)
        ],
    )


def to_evaluation(cast, matter, weights=(40, 60)):
    plan(cast, matter, weights)
    for milestone in matter.milestones.filter(round=matter.round):
        execution.complete_milestone(actor=cast.worker, matter=matter, milestone=milestone)
    from grassroots.selfgov.services import matters

    matters.take_step(actor=cast.worker, matter=matter, name="start_evaluation")
    matter.refresh_from_db()
    return matter.current_evaluation()


def test_from_the_decision_to_done_by_requests(
    client_for, cast, people, adopted, time_machine, django_capture_on_commit_callbacks
):
    matter = adopted
    worker, owner = client_for(cast.worker), client_for(people.sun)
    url = matter.get_absolute_url()
    today = timezone.localdate()
    # the plan: weights not adding up to 100 are refused at the field, nothing written
    answer = worker.post(
        f"{url}plan/", {"owner": people.sun.pk, "milestones": plan_text(today, (40, 50)), "budget": "5000"}
    )
    assert answer.status_code == 400 and "权重之和须为 100（现为 90）" in answer.content.decode()
    assert not Milestone.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = worker.post(
            f"{url}plan/",
            {
                "owner": people.sun.pk,
                "owner_unit": "物业服务中心",
                "milestones": plan_text(today),
                "budget": "5000",
            },
        )
    assert answer.status_code == 302, answer.content.decode()
    matter.refresh_from_db()
    assert matter.owner == people.sun and matter.budget == Decimal("5000")
    assert Notification.objects.filter(recipient=people.sun, verb__contains="执行责任人").exists()
    # the owner (a resident) marks a milestone done, posts an update with a photo and a spending with evidence
    first, second = Milestone.objects.order_by("planned_on")
    assert owner.post(f"{url}milestone/", {"milestone": first.pk}).status_code == 302
    assert owner.post(f"{url}update/", {"text": "已开工", "photo": jpeg()}).status_code == 302
    answer = owner.post(
        f"{url}spending/",
        {"amount": "1200.50", "spent_on": today.isoformat(), "note": "材料", "evidence": jpeg("发票.jpg")},
    )
    assert answer.status_code == 302
    update = ProgressUpdate.objects.get()
    assert Spending.objects.get().evidence
    photo_url = reverse("selfgov:matter_update_photo", args=[matter.pk, update.photos.get().pk])
    assert client_for(people.li).get(photo_url)["Content-Type"] == "image/jpeg"
    page = client_for(people.li).get(url).content.decode()
    assert "40%" in page and "已开工" in page and "1200.50" in page
    # the supervision committee: the worker adds a resident; a non-member is refused, the member checks
    answer = worker.post(f"/selfgov/supervisors/?area={matter.community_id}", {"user": people.zhao.pk})
    assert answer.status_code == 302 and Supervisor.objects.get().user == people.zhao
    answer = client_for(people.li).post(f"{url}check/", {"finding": "x"})
    assert answer.status_code == 400 and "居务监督委员会成员" in answer.content.decode()
    answer = client_for(people.zhao).post(f"{url}check/", {"finding": "围挡规范", "photo": jpeg()})
    assert answer.status_code == 302 and SupervisionCheck.objects.get().photo
    # not all milestones done: the evaluation cannot start
    assert (
        "执行节点尚未全部完成"
        in worker.post(step_url(matter, "start_evaluation"), follow=True).content.decode()
    )
    assert owner.post(f"{url}milestone/", {"milestone": second.pk}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert worker.post(step_url(matter, "start_evaluation")).status_code == 302
    matter.refresh_from_db()
    assert matter.state == MatterState.EVALUATION
    assert Notification.objects.filter(recipient=people.li, verb__contains="请对办理结果进行评议").exists()
    # residents rate on their phones: what awaits them, the form, once each
    li = client_for(people.li)
    assert "评议：一号院落停车整治" in li.get("/selfgov/").content.decode()
    assert li.post(f"{url}rate/", {"level": "satisfied"}).status_code == 302
    again = li.post(f"{url}rate/", {"level": "basic"})
    assert again.status_code == 400 and "您已评价过本轮" in again.content.decode()
    assert "评议：" not in li.get("/selfgov/").content.decode()
    unverified = client_for(people.unverified).post(f"{url}rate/", {"level": "satisfied"})
    assert unverified.status_code == 400 and "实名核验" in unverified.content.decode()
    assert client_for(people.outsider).post(f"{url}rate/", {"level": "satisfied"}).status_code == 404
    no_reason = client_for(people.wang).post(f"{url}rate/", {"level": "unsatisfied"})
    assert no_reason.status_code == 400 and "请写明原因" in no_reason.content.decode()
    client_for(people.wang).post(f"{url}rate/", {"level": "unsatisfied", "comment": "收尾不彻底"})
    client_for(people.zhao).post(f"{url}rate/", {"level": "basic"})
    assert Rating.objects.count() == 3
    page = li.get(url).content.decode()
    assert "已评价 3 人：满意 1，基本满意 1，不满意 1" in page and "满意率 66.67%" in page
    # the window closes: the clock counts the round (2 of 3 ≥ 60 %) and the matter is done
    time_machine.move_to(timezone.now() + timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluation.close_due_evaluations() == {"closed": 1}
    matter.refresh_from_db()
    assert matter.state == MatterState.DONE
    log = TransitionLog.objects.filter(object_id=matter.pk, transition="finish").get()
    assert log.actor is None
    li = client_for(people.li)  # signed in again (the clock moved on)
    page = li.get(url).content.decode()
    assert "满意率 66.67%" in page and "达到门槛" in page
    late = li.post(f"{url}rate/", {"level": "satisfied"})
    assert late.status_code == 400 and Rating.objects.count() == 3
    assert evaluation.close_due_evaluations() == {"closed": 0}


def test_a_poor_evaluation_goes_back_to_execution_with_its_reasons(
    client_for, cast, people, adopted, time_machine
):
    matter = adopted
    current = to_evaluation(cast, matter)
    evaluation.rate(user=people.wang, evaluation=current, level="unsatisfied", comment="车位仍被占用")
    evaluation.rate(user=people.li, evaluation=current, level="satisfied")
    time_machine.move_to(current.closes_at + timedelta(minutes=1))
    evaluation.close_due_evaluations()
    matter.refresh_from_db()
    assert matter.state == MatterState.EXECUTION and matter.round == 2
    reopened = TransitionLog.objects.get(object_id=matter.pk, transition="reopen")
    assert "满意率 50.00%，低于门槛 60.00%" in reopened.comment and "车位仍被占用" in reopened.comment
    page = client_for(people.li).get(matter.get_absolute_url()).content.decode()
    assert "第 2 轮" in page and "车位仍被占用" in page and "未达到门槛，重新执行" in page
    # the new round: a new plan (the first round's milestones kept), a new evaluation, one rating each again
    current = to_evaluation(cast, matter, weights=(100,))
    assert current.round == 2 and matter.milestones.count() == 3
    evaluation.rate(user=people.wang, evaluation=current, level="basic")
    time_machine.move_to(current.closes_at + timedelta(minutes=1))
    evaluation.close_due_evaluations()
    matter.refresh_from_db()
    assert matter.state == MatterState.DONE
    # street officials check and may reopen (the reason required); the community's worker may not
    worker = client_for(cast.worker)
    worker.post(step_url(matter, "street_reopen"), {"comment": "x"})
    matter.refresh_from_db()
    assert matter.state == MatterState.DONE
    assert (
        client_for(cast.street_b).post(step_url(matter, "street_reopen"), {"comment": "x"}).status_code == 404
    )
    answer = client_for(cast.street_a).post(
        step_url(matter, "street_reopen"), {"comment": "居民反映积水复现"}
    )
    assert answer.status_code == 302
    matter.refresh_from_db()
    assert matter.state == MatterState.EXECUTION and matter.round == 3


def test_no_rating_at_all_is_not_satisfaction(cast, people, adopted, time_machine):
    current = to_evaluation(cast, adopted)
    time_machine.move_to(current.closes_at)
    evaluation.close_due_evaluations()
    adopted.refresh_from_db()
    assert adopted.state == MatterState.EXECUTION
    assert (
        "本轮无居民参与评议" in TransitionLog.objects.get(object_id=adopted.pk, transition="reopen").comment
    )


@pytest.mark.parametrize(
    ("levels", "threshold", "passed"),
    [
        (["satisfied", "basic", "satisfied", "unsatisfied", "unsatisfied"], "60", True),  # 3 / 5 = 60 %
        (["satisfied", "basic", "unsatisfied", "unsatisfied"], "60", False),  # 2 / 4 = 50 %
        (["basic", "basic", "unsatisfied"], "66.67", False),  # 66.666… % < 66.67 %
        (["basic", "basic", "unsatisfied"], "66.66", True),
    ],
)
def test_the_rate_at_the_threshold_edge(
    cast, people, adopted, extra, time_machine, levels, threshold, passed
):
    CommunitySetting.objects.filter(area=adopted.community).update(satisfaction_percent=Decimal(threshold))
    people.extra = extra
    current = to_evaluation(cast, adopted)
    assert current.threshold == Decimal(threshold)
    for person, level in zip(
        (people.wang, people.li, people.zhao, people.sun, people.extra), levels, strict=False
    ):
        evaluation.rate(
            user=person, evaluation=current, level=level, comment="原因" * (level == "unsatisfied")
        )
    time_machine.move_to(current.closes_at)
    current = evaluation.close_evaluation(current)
    assert current.passed is passed
    adopted.refresh_from_db()
    assert adopted.state == (MatterState.DONE if passed else MatterState.EXECUTION)


def test_arithmetic():
    assert evaluation.satisfaction(2, 1, 2) == Decimal("60.00")
    assert evaluation.reaches(2, 1, 2, Decimal("60")) and not evaluation.reaches(2, 0, 2, Decimal("60"))
    assert evaluation.satisfaction(0, 0, 0) is None and not evaluation.reaches(0, 0, 0, Decimal("1"))


def test_the_window_closed_is_refused(api_for, cast, people, adopted, time_machine):
    current = to_evaluation(cast, adopted)
    time_machine.move_to(current.closes_at + timedelta(seconds=1))
    with pytest.raises(ValidationError, match="本轮评议已结束"):
        evaluation.rate(user=people.li, evaluation=current, level="satisfied")
    answer = api_for(people.li).post(
        f"/api/evaluations/{current.pk}/ratings/", {"level": "satisfied"}, format="json"
    )
    assert answer.status_code == 400 and "level" in answer.json()["errors"]
    assert not Rating.objects.exists()


def test_another_communitys_worker_gets_404_and_nothing_is_written(
    client_for, api_for, cast, people, adopted, tree
):
    plan(cast, adopted)
    outsider = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    client, api = client_for(outsider), api_for(outsider)
    url = adopted.get_absolute_url()
    milestone = adopted.milestones.first()
    for path, body in [
        ("plan/", {"owner": outsider.pk, "milestones": "a，100，2030-01-01"}),
        ("milestone/", {"milestone": milestone.pk}),
        ("update/", {"text": "x"}),
        ("spending/", {"amount": "1", "spent_on": "2020-01-01", "note": "x"}),
        ("check/", {"finding": "x"}),
        ("rate/", {"level": "satisfied"}),
    ]:
        assert client.post(url + path, body).status_code == 404, path
    assert client.get(url).status_code == 404
    for action in ("milestones", "updates", "spending", "checks"):
        assert api.get(f"/api/matters/{adopted.pk}/{action}/").status_code == 404
    assert (
        api.post(f"/api/matters/{adopted.pk}/complete-milestone/", {"milestone": milestone.pk}).status_code
        == 404
    )
    assert client.get(f"/selfgov/settings/{tree.community_a.pk}/").status_code == 404
    milestone.refresh_from_db()
    assert milestone.done_on is None and not ProgressUpdate.objects.exists() and not Spending.objects.exists()
    assert api.get("/api/evaluations/").json()["results"] == []


def test_overdue_milestones_alert_the_owner_and_staff_once_and_wait_on_the_todo(
    client_for, cast, people, adopted, time_machine, django_capture_on_commit_callbacks
):
    plan(cast, adopted, owner=people.sun)
    first = adopted.milestones.order_by("planned_on").first()
    assert "执行节点逾期" not in client_for(cast.worker).get("/todo/").content.decode()
    time_machine.move_to(timezone.now() + timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert execution.alert_overdue() == 1
        assert execution.alert_overdue() == 0
    for person in (people.sun, cast.worker, cast.secretary):
        assert Notification.objects.filter(recipient=person, verb__contains=first.title).count() == 1
    assert "执行节点逾期：一号院落停车整治" in client_for(cast.worker).get("/todo/").content.decode()
    execution.complete_milestone(actor=people.sun, matter=adopted, milestone=first)
    assert "执行节点逾期" not in client_for(cast.worker).get("/todo/").content.decode()


def test_the_settings_page(client_for, cast, tree):
    worker = client_for(cast.worker)
    assert "桥楼社区" in worker.get("/selfgov/settings/").content.decode()
    url = f"/selfgov/settings/{tree.community_a.pk}/"
    body = {
        "support_percent": "3",
        "hearing_notice_days": 7,
        "collection_days": 14,
        "evaluation_days": 10,
        "satisfaction_percent": "0",
    }
    answer = worker.post(url, body)
    assert answer.status_code == 400 and "satisfaction_percent" in answer.content.decode()
    assert worker.post(url, body | {"satisfaction_percent": "75"}).status_code == 302
    row = CommunitySetting.objects.get(area=tree.community_a)
    assert row.evaluation_days == 10 and row.satisfaction_percent == Decimal("75")
    assert client_for(cast.street_b).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        evaluation.update_settings(actor=cast.street_b, community=tree.community_a, evaluation_days=3)


def test_the_api_takes_every_step(api_for, cast, people, adopted, time_machine):
    api = api_for(cast.worker)
    base = f"/api/matters/{adopted.pk}"
    today = timezone.localdate()
    bad = api.post(
        f"{base}/plan/",
        {"owner": people.outsider.pk, "milestones": [{"title": "a", "weight": 100, "planned_on": today}]},
        format="json",
    )
    assert bad.status_code == 400 and "owner" in bad.json()["errors"]
    answer = api.post(
        f"{base}/plan/",
        {
            "owner": people.sun.pk,
            "budget": "800",
            "milestones": [{"title": "施工", "weight": 100, "planned_on": today.isoformat()}],
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    milestone = answer.json()[0]["id"]
    owner = api_for(people.sun)
    assert (
        owner.post(f"{base}/complete-milestone/", {"milestone": milestone}, format="json").status_code == 200
    )
    assert (
        owner.post(f"{base}/updates/", {"text": "完工", "photo": jpeg()}, format="multipart").status_code
        == 201
    )
    answer = owner.post(
        f"{base}/spending/", {"amount": "300", "spent_on": today.isoformat(), "note": "人工"}, format="json"
    )
    assert answer.status_code == 201
    assert [s["amount"] for s in api.get(f"{base}/spending/").json()] == ["300.00"]
    members = api.post(
        "/api/supervisors/", {"community": adopted.community_id, "user": people.zhao.pk}, format="json"
    )
    assert members.status_code == 201
    outside = api.post(
        "/api/supervisors/", {"community": adopted.community_id, "user": people.outsider.pk}, format="json"
    )
    assert outside.status_code == 400 and "user" in outside.json()["errors"]
    assert api_for(people.zhao).post(f"{base}/checks/", {"finding": "好"}, format="json").status_code == 201
    assert api.post(f"{base}/transitions/start_evaluation/", {}, format="json").status_code == 200
    current = api_for(people.li).get(f"/api/evaluations/?matter={adopted.pk}").json()["results"][0]
    assert current["open"] and current["round"] == 1
    rated = api_for(people.li).post(
        f"/api/evaluations/{current['id']}/ratings/", {"level": "basic"}, format="json"
    )
    assert rated.status_code == 201
    twice = api_for(people.li).post(
        f"/api/evaluations/{current['id']}/ratings/", {"level": "basic"}, format="json"
    )
    assert twice.status_code == 400 and "已评价过" in twice.content.decode()
    settings = api.post(
        "/api/selfgov-settings/",
        {
            "community": adopted.community_id,
            "support_percent": "2",
            "hearing_notice_days": 7,
            "collection_days": 14,
            "evaluation_days": 5,
            "satisfaction_percent": "70",
        },
        format="json",
    )
    assert settings.status_code == 201 and settings.json()["satisfaction_percent"] == "70.00"
    assert (
        api_for(cast.street_b)
        .post(
            "/api/selfgov-settings/",
            {
                "community": adopted.community_id,
                "support_percent": "2",
                "hearing_notice_days": 7,
                "collection_days": 14,
                "evaluation_days": 5,
                "satisfaction_percent": "10",
            },
            format="json",
        )
        .status_code
        == 400
    )
    assert CommunitySetting.objects.get(area=adopted.community).satisfaction_percent == Decimal("70")


def test_progress_rolls_up_per_community_and_street(cast, tree, people, adopted):
    plan(cast, adopted)
    execution.complete_milestone(
        actor=cast.worker, matter=adopted, milestone=adopted.milestones.order_by("planned_on")[0]
    )
    figures = selectors_execution.execution_progress([tree.community_a, tree.street_a, tree.street_b], 2026)
    assert figures[tree.community_a.pk].normalized_rate == Decimal("0.4000")
    assert figures[tree.street_a.pk].normalized_rate == Decimal("0.4000")
    assert tree.street_b.pk not in figures
    from grassroots.core.assessments.figures import get_provider

    assert get_provider("selfgov.execution_progress") is not None


@pytest.mark.parametrize("more", [0, 5])
def test_the_pages_read_a_bounded_number_of_queries(
    client_for, api_for, cast, people, adopted, django_assert_max_num_queries, more, tree
):
    from grassroots.selfgov.services import matters

    people.extra = make_user(
        "extra", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a, verified_at=timezone.now()
    )
    for n in range(more):
        other = matters.create_matter(
            actor=cast.worker, area=adopted.area, title=f"事项{n}", category="parking"
        )
        Evaluation.objects.create(
            matter=other,
            round=1,
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=3),
            threshold=60,
        )
        execution.add_supervisor(
            actor=cast.worker,
            community=adopted.community,
            user=[people.wang, people.li, people.zhao, people.sun, people.extra][n],
        )
    to_evaluation(cast, adopted)
    worker, resident, api = client_for(cast.worker), client_for(people.li), api_for(people.li)
    with django_assert_max_num_queries(14):
        assert worker.get("/selfgov/board/").status_code == 200
    with django_assert_max_num_queries(12):
        assert worker.get("/selfgov/supervisors/").status_code == 200
    with django_assert_max_num_queries(12):
        assert worker.get("/selfgov/settings/").status_code == 200
    with django_assert_max_num_queries(12):
        assert api.get("/api/evaluations/").status_code == 200
    with django_assert_max_num_queries(14):
        assert resident.get("/selfgov/").status_code == 200


@pytest.mark.parametrize(
    ("kind", "page", "header", "line"),
    [
        (
            "selfgov-settings",
            "/selfgov/settings/",
            ["社区", "附议门槛（%）"],
            ["桥楼社区", 50, 7, 14, 7, 60, "否"],
        ),
        (
            "selfgov-supervisors",
            "/selfgov/supervisors/",
            ["社区", "成员数", "成员（加入日期）"],
            ["桥楼社区", 1],
        ),
    ],
)
def test_the_settings_and_the_supervisors_export_street_a_communities(
    client_for, cast, tree, people, today, kind, page, header, line
):
    from tests.imports.helpers import read_xlsx

    execution.add_supervisor(actor=cast.worker, community=tree.community_a, user=people.wang)
    execution.add_supervisor(actor=cast.street_b, community=tree.community_b, user=people.outsider)
    client = client_for(cast.street_a)
    assert f'data-export="{kind}"' in client.get(page).content.decode()
    response = client.post(reverse("imports:list_export", args=[kind]))
    rows = next(iter(read_xlsx(b"".join(response.streaming_content)).values()))
    assert rows[0][: len(header)] == header
    assert [row[: len(line)] for row in rows[1:]] == [line]  # nothing of street B's 育才社区
    if kind == "selfgov-supervisors":
        assert rows[1][2] == f"wang（{timezone.localdate():%Y-%m-%d}）"
    assert client_for(cast.resident).post(reverse("imports:list_export", args=[kind])).status_code == 403
