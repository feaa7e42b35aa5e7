"""Nobody can change or delete the audit trail through the platform: not in the Django admin (even as a
superuser), not through the ORM. Only the retention job deletes (see test_prune.py)."""

import pytest
from auditlog.models import LogEntry
from django.db import transaction

from grassroots.audit.models import AppendOnlyError, AuditEvent, AuditScope
from tests.factories import make_user


@pytest.fixture
def entry(cast, tree):
    cast.resident.phone = "13800000001"
    cast.resident.save()
    return LogEntry.objects.get_for_object(cast.resident).latest()


@pytest.fixture
def event(cast):
    return AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, user=cast.worker, username="worker")


@pytest.fixture
def superuser_client(db, client_for):
    root = make_user("root", is_superuser=True, is_staff=True)
    return client_for(root)


def refused(callable_, *args):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        callable_(*args)


# --- ORM -----------------------------------------------------------------------------------------------


def test_a_change_entry_cannot_be_edited_or_deleted(entry):
    entry.object_repr = "forged"
    refused(entry.save)
    refused(entry.delete)
    refused(LogEntry.objects.filter(pk=entry.pk).delete)
    entry.refresh_from_db()
    assert entry.object_repr != "forged"


def test_an_access_event_cannot_be_edited_or_deleted(event):
    event.username = "someone-else"
    refused(event.save)
    refused(event.delete)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    refused(AuditEvent.objects.filter(pk=event.pk).delete)
    refused(AuditEvent.objects.all().delete)
    event.refresh_from_db()
    assert event.username == "worker"


def test_the_scope_of_an_entry_cannot_be_moved(entry):
    scope = AuditScope.objects.get(entry=entry)
    scope.area_path = ""
    refused(scope.save)
    refused(scope.delete)
    with pytest.raises(AppendOnlyError):
        AuditScope.objects.filter(pk=entry.pk).update(area_path="")
    refused(AuditScope.objects.filter(pk=entry.pk).delete)


def test_removing_a_user_keeps_the_trail(cast, event, entry):
    cast.worker.delete()
    event.refresh_from_db()
    assert event.user is None
    assert event.username == "worker"


# --- Django admin, real HTTP as a superuser ----------------------------------------------------------------


@pytest.mark.parametrize("model_path", ["auditlog/logentry", "audit/auditevent"])
def test_the_admin_lists_the_trail_read_only(superuser_client, entry, event, model_path):
    response = superuser_client.get(f"/django-admin/{model_path}/")
    assert response.status_code == 200
    assert b"delete_selected" not in response.content
    assert superuser_client.get(f"/django-admin/{model_path}/add/").status_code == 403


def test_the_admin_cannot_change_or_delete_a_change_entry(superuser_client, entry):
    url = f"/django-admin/auditlog/logentry/{entry.pk}/"
    assert superuser_client.get(url + "change/").status_code == 200  # a read-only view
    assert superuser_client.post(url + "change/", {"object_repr": "forged"}).status_code == 403
    assert superuser_client.get(url + "delete/").status_code == 403
    assert superuser_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    response = superuser_client.post(
        "/django-admin/auditlog/logentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.object_repr != "forged"


def test_the_admin_cannot_change_or_delete_an_access_event(superuser_client, event):
    url = f"/django-admin/audit/auditevent/{event.pk}/"
    assert superuser_client.get(url + "change/").status_code == 200
    assert superuser_client.post(url + "change/", {"username": "forged"}).status_code == 403
    assert superuser_client.get(url + "delete/").status_code == 403
    assert superuser_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    superuser_client.post(
        "/django-admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.username == "worker"
