"""Eight checkers posting 审核通过 / 退回 on one submitted assignment at the same moment, over real HTTP (a
test client per thread, each signed in through the login page, each request on its own connection): one
wins, the seven others get the refusal page with its message (403, never a 500), and the workflow log has
one entry for the check. PostgreSQL only: SQLite serialises writers, so nothing races there."""

from __future__ import annotations

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.urls import reverse

from grassroots.core.duties.models import AssignmentState, DutyAssignment
from grassroots.workflow.models import TransitionLog
from tests.concurrency import server_db_only

THREADS = 8
REFUSALS = ("该记录已被他人处理，请刷新页面后再试。", "该记录当前为")


def post_at_once(posts: list[tuple]) -> list[tuple[int, str]]:
    """Each (client, url, data) posted from its own thread, all released together; (status, body) each, or
    (0, the exception) for what a user must never get."""
    barrier = threading.Barrier(len(posts))
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post(client, url, data):
        try:
            barrier.wait()
            response = client.post(url, data)
            answer = (response.status_code, response.content.decode())
        except Exception as exc:  # a 500 raises in the test client
            answer = (0, f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=post, args=item) for item in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_eight_checkers_over_http_one_wins_the_others_are_refused(cast, tree, issue, step, client_for):
    assignment = issue().assignments.get(area=tree.street_a)
    step(assignment, "accept", cast.street_a)
    step(assignment, "begin", cast.street_a)
    step(assignment, "submit", cast.street_a, "召开专题会议 3 次，覆盖全部社区。")
    content_type = ContentType.objects.get_for_model(DutyAssignment).pk

    def url(name):
        return reverse("workflow:transition", args=[content_type, assignment.pk, name])

    posts = [
        (client_for(cast.city), url("approve"), {"comment": "材料齐全"})
        if i % 2
        else (client_for(cast.city), url("send_back"), {"comment": "缺少会议记录"})
        for i in range(THREADS)
    ]
    answers = post_at_once(posts)

    assert len(answers) == THREADS and not [a for a in answers if a[0] not in (302, 403)], answers
    assert [status for status, _body in answers].count(302) == 1, answers
    for status, body in answers:
        if status == 403:
            assert "无法执行该操作" in body and any(text in body for text in REFUSALS), body
    checks = TransitionLog.objects.filter(
        content_type_id=content_type, object_id=assignment.pk, transition__in=("approve", "send_back")
    )
    assert checks.count() == 1
    assignment.refresh_from_db()
    winner = checks.get().transition
    assert assignment.state == (AssignmentState.APPROVED if winner == "approve" else AssignmentState.RETURNED)
