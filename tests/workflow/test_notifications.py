"""In-app notifications: sent on commit only, to the people a transition concerns; the notification centre."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.accounts.models import User
from grassroots.workflow.models import Notification
from grassroots.workflow.selectors import unread_count
from grassroots.workflow.services import TransitionRefused, notify, transition
from tests.factories import PASSWORD, make_user
from tests.workflow.factories import register


def recipients(**filters) -> set[str]:
    return set(Notification.objects.filter(**filters).values_list("recipient__username", flat=True))


def test_notify_waits_for_the_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.worker, cast.worker, cast.secretary], verb="有新的申请", url="/x/")
        assert Notification.objects.count() == 0  # not before the commit
    assert recipients() == {"worker", "secretary"}  # once each
    note = Notification.objects.get(recipient=cast.worker)
    assert (note.verb, note.url, note.read_at) == ("有新的申请", "/x/", None)


def test_notify_sends_nothing_when_the_transaction_rolls_back(cast, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[cast.worker], verb="不该发出")
        raise RuntimeError("回滚")
    assert callbacks == []
    assert Notification.objects.count() == 0


def test_notify_skips_inactive_users(cast, django_capture_on_commit_callbacks):
    User.objects.filter(pk=cast.secretary.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.worker, cast.secretary], verb="通知")
    assert recipients() == {"worker"}


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_real_rollback(tree, cast):
    """With real transactions (no test wrapper): a commit sends, a rollback does not."""
    with transaction.atomic():
        notify(recipients=[cast.worker], verb="提交后发送")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[cast.worker], verb="回滚不发送")
        raise RuntimeError
    assert list(Notification.objects.values_list("verb", flat=True)) == ["提交后发送"]


def test_a_request_notifies_the_verifiers_of_its_address(
    cast, people, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = register(tree.courtyard_a)
    assert recipients() == {"worker", "secretary", "grid_worker"}
    note = Notification.objects.get(recipient=cast.worker)
    assert note.verb == "王小明 提交了实名核验申请（一号院落），请核验。"
    assert note.url == application.get_absolute_url()
    assert note.target == application


def test_a_decision_notifies_the_resident_not_the_actor(
    application, cast, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        transition(application, "reject", actor=cast.worker, comment="门牌号缺失")
    assert recipients() == {application.user.username}
    assert Notification.objects.get().verb == "您的实名核验被退回：门牌号缺失"

    with django_capture_on_commit_callbacks(execute=True):
        transition(application, "resubmit", actor=application.user)
    assert recipients(verb__contains="重新提交") == {"worker", "secretary", "grid_worker"}


def test_a_step_taken_answers_the_actors_notifications_about_the_record(
    cast, people, tree, django_capture_on_commit_callbacks
):
    """The bell stops counting what its reader has done: verifying a request marks the verifier's notices
    about it read, and nobody else's, and none about another record."""
    with django_capture_on_commit_callbacks(execute=True):
        application = register(tree.courtyard_a)
        other = register(tree.courtyard_a, username="other", full_name="李四")
    assert unread_count(cast.worker) == 2

    with django_capture_on_commit_callbacks(execute=True):
        transition(application, "verify", actor=cast.worker)

    assert unread_count(cast.worker) == 1
    assert Notification.objects.get(recipient=cast.worker, read_at__isnull=True).target == other
    assert unread_count(cast.secretary) == 2  # the other verifiers still see both (one is decided now)


def test_a_refused_transition_notifies_no_one(application, cast, django_capture_on_commit_callbacks):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        transition(application, "verify", actor=cast.street_a)
    assert Notification.objects.count() == 0


def test_unread_count(cast, django_capture_on_commit_callbacks):
    assert unread_count(cast.worker) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.worker], verb="一")
        notify(recipients=[cast.worker], verb="二")
        notify(recipients=[cast.secretary], verb="三")
    assert unread_count(cast.worker) == 2
    Notification.objects.filter(verb="一").update(read_at="2026-01-01T00:00:00Z")
    assert unread_count(cast.worker) == 1
    assert unread_count(AnonymousUser()) == 0


# --- the notification centre --------------------------------------------------------------------------------
def rows_in(html: str) -> int:
    return len(re.findall(r'id="notification-\d+"', html))


def make_notes(user, count: int, url: str = "/accounts/verification/") -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(recipient=user, verb=f"第{i}条通知", url=url) for i in range(count)
    )


def test_the_centre_lists_my_notifications_only_paginated(cast, client_for):
    make_notes(cast.worker, 25)
    make_notes(cast.secretary, 1)
    client = client_for(cast.worker)
    page1 = client.get("/workflow/notifications/").content.decode()
    assert rows_in(page1) == 20
    assert "未读（25）" in page1
    page2 = client.get("/workflow/notifications/?page=2").content.decode()
    assert rows_in(page2) == 5


def test_the_centre_query_count_does_not_grow(cast, client_for):
    client = client_for(cast.worker)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/workflow/notifications/").status_code == 200
        return len(queries)

    make_notes(cast.worker, 3)
    count_queries()  # warm the session and caches
    with_3 = count_queries()
    make_notes(cast.worker, 27)
    with_30 = count_queries()
    # session, user, grants, the shell's few; then: count, page, unread count
    assert with_3 == with_30 <= 12


def test_mark_one_read_and_all_read(cast, client_for):
    notes = make_notes(cast.worker, 3)
    client = client_for(cast.worker)
    response = client.post(f"/workflow/notifications/{notes[0].pk}/read/")
    assert response.status_code == 302
    assert unread_count(cast.worker) == 2
    assert "未读（2）" in client.get("/workflow/notifications/").content.decode()
    unread_page = client.get("/workflow/notifications/?filter=unread").content.decode()
    assert rows_in(unread_page) == 2
    client.post("/workflow/notifications/read-all/")
    assert unread_count(cast.worker) == 0


def test_htmx_gets_fragments(cast, client_for):
    notes = make_notes(cast.worker, 2)
    client = client_for(cast.worker)
    response = client.post(f"/workflow/notifications/{notes[0].pk}/read/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="notification-{notes[0].pk}"' in html
    assert 'id="unread-badge"' in html and 'hx-swap-oob="true"' in html  # the header badge follows
    listing = client.post(
        "/workflow/notifications/read-all/", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="notification-list"' in listing and "<html" not in listing
    badge = client.get("/workflow/notifications/badge/").content.decode()
    assert 'id="unread-badge"' in badge and "text-bg-danger" not in badge


def test_someone_elses_notification_answers_404(cast, client_for):
    [note] = make_notes(cast.secretary, 1)
    client = client_for(cast.worker)
    assert client.post(f"/workflow/notifications/{note.pk}/read/").status_code == 404
    assert client.get(f"/workflow/notifications/{note.pk}/open/").status_code == 404
    assert unread_count(cast.secretary) == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(cast, client_for):
    [note] = make_notes(cast.worker, 1, url="/accounts/verification/")
    [evil] = make_notes(cast.worker, 1, url="https://evil.example/")
    client = client_for(cast.worker)
    response = client.get(f"/workflow/notifications/{note.pk}/open/")
    assert response["Location"] == "/accounts/verification/"
    assert client.get(f"/workflow/notifications/{evil.pk}/open/")["Location"] == "/workflow/notifications/"
    assert unread_count(cast.worker) == 0


def test_the_centre_needs_a_login(db):
    response = Client().get("/workflow/notifications/")
    assert response.status_code == 302


def test_each_user_sees_only_their_own(cast, client_for):
    other = make_user("other", None, None)
    make_notes(other, 2)
    client = Client()
    client.login(username="other", password=PASSWORD)
    assert "未读（2）" in client.get("/workflow/notifications/").content.decode()
    assert "未读（0）" in client_for(cast.worker).get("/workflow/notifications/").content.decode()
