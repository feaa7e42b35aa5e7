"""One masking rule for people's phone numbers (accounts/pii.py): masked on the users list, the user page and
/api/users/ — also for a community worker, who lacks people.view_pii — full only for a holder of
people.view_pii on the person who asks, and that read is audited; searching by a number needs the right."""

from auditlog.models import LogEntry
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.pii import mask_id_number, mask_phone
from grassroots.audit.models import AuditEvent
from grassroots.core.members.identity import mask_phone as members_mask_phone
from tests.factories import api_token

PHONE = "13912345678"
MASKED = "139****5678"


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api


def with_phone(user):
    user.phone = PHONE
    user.save(update_fields=["phone"])
    return user


def accesses(user) -> int:
    return LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.ACCESS).count()


def test_one_mask_for_users_and_members():
    assert mask_phone(PHONE) == MASKED == members_mask_phone(PHONE)
    assert mask_id_number("511802198005010016") == "5118**********0016"


def test_the_users_list_masks_for_everyone(cast, client_for):
    with_phone(cast.resident)
    for viewer in (cast.worker, cast.secretary, cast.city):
        page = client_for(viewer).get(reverse("accounts:user_list")).content.decode()
        assert MASKED in page and PHONE not in page, viewer


def test_the_user_page_masks_and_unmasks_only_on_request_with_the_right(cast, client_for):
    resident = with_phone(cast.resident)
    url = reverse("accounts:user_detail", args=[resident.pk])
    worker = client_for(cast.worker)  # community worker: sees the person, not the number
    for page in (worker.get(url), worker.get(url, {"show": "pii"})):
        assert page.status_code == 200
        assert MASKED in page.content.decode() and PHONE not in page.content.decode()
    assert accesses(resident) == 2  # every view of another person's page is audited (查看), masked or not

    secretary = client_for(cast.secretary)
    page = secretary.get(url).content.decode()
    assert MASKED in page and PHONE not in page and "?show=pii" in page
    page = secretary.get(url, {"show": "pii"}).content.decode()
    assert PHONE in page
    entries = LogEntry.objects.get_for_object(resident).filter(action=LogEntry.Action.ACCESS).order_by("pk")
    assert [e.actor.username for e in entries] == ["worker", "worker", "secretary", "secretary"]
    client_for(resident).get(url)  # their own page: not an access to someone's data
    assert accesses(resident) == 4


def test_the_users_api_masks_and_audits_full_values(cast, tree):
    resident = with_phone(cast.resident)
    row = api_for(cast.worker).get(f"/api/users/{resident.pk}/", {"unmasked": "true"}).json()
    assert (row["phone"], row["unmasked"]) == (MASKED, False)
    row = api_for(cast.secretary).get(f"/api/users/{resident.pk}/").json()
    assert (row["phone"], row["unmasked"]) == (MASKED, False)
    assert accesses(resident) == 0

    row = api_for(cast.secretary).get(f"/api/users/{resident.pk}/", {"unmasked": "true"}).json()
    assert (row["phone"], row["unmasked"]) == (PHONE, True)
    assert (
        LogEntry.objects.get_for_object(resident).get(action=LogEntry.Action.ACCESS).actor == cast.secretary
    )

    rows = api_for(cast.secretary).get("/api/users/", {"unmasked": "1"}).json()["results"]
    assert {r["username"]: r["phone"] for r in rows}["resident"] == PHONE
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.unmasked and event.user == cast.secretary and event.count >= 1


def test_searching_by_a_number_needs_the_right(cast):
    with_phone(cast.resident)
    found = api_for(cast.worker).post("/api/users/search/", {"q": PHONE}, format="json").json()["results"]
    assert found == []  # the worker may not learn whose number this is
    found = api_for(cast.secretary).post("/api/users/search/", {"q": PHONE}, format="json").json()["results"]
    assert [r["username"] for r in found] == ["resident"] and found[0]["phone"] == MASKED
