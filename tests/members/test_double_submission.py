"""Double submission: the same study-record form posted six times — one after the other (SQLite and
PostgreSQL) or at the same moment from six threads with their own connections (PostgreSQL) — writes one
record of its hours, not six; the same notice, care-visit or contact-attempt form posted six times records
one. Study records have a natural key (member, day, title: a unique constraint); notices, care visits and
contact attempts a token in the form (portal/submissions.py), which API clients may send too."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from grassroots.core.members.models import CareVisit, ContactAttempt, StudyRecord
from grassroots.portal.models import Notice
from tests.members.fixtures_precisions import *  # noqa: F403

TIMES = 6


def study_form(**overrides) -> dict:
    return {
        "title": "两学一做专题学习",
        "studied_on": timezone.localdate().isoformat(),
        "hours": "4",
    } | overrides


def notice_form(area, submission: str) -> dict:
    return {
        "area": area.pk,
        "title": "议事会通知",
        "body": "本周六上午九点在社区活动室召开居民议事会。",
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "submission": submission,
    }


def at_once(clients, url: str, data: dict) -> list[int]:
    """Post `data` from every client at the same moment, each in its own thread (its own connection)."""
    start = threading.Barrier(len(clients))
    codes: list[int] = []

    def post(client) -> None:
        try:
            start.wait()
            codes.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return codes


def test_the_same_study_record_posted_six_times_is_one_record(client_for, cast, member):
    client = client_for(cast.secretary)
    url = f"/members/{member.pk}/study/new/"
    assert [client.post(url, study_form()).status_code for _ in range(TIMES)] == [302] * TIMES
    assert list(StudyRecord.objects.values_list("hours", flat=True)) == [Decimal("4")]


def test_the_same_course_with_other_hours_is_refused_at_the_field(client_for, cast, member):
    client = client_for(cast.secretary)
    url = f"/members/{member.pk}/study/new/"
    client.post(url, study_form())
    response = client.post(url, study_form(hours="2"))
    assert response.status_code == 200
    assert "已有“两学一做专题学习”的学习记录（4.0 学时）" in str(response.context["form"].errors["title"])
    assert client.post(url, study_form(title="党史学习", hours="2")).status_code == 302  # another course
    assert StudyRecord.objects.count() == 2


def test_the_api_gives_the_same_record_again(client_for, cast, member):
    client = client_for(cast.secretary)
    data = study_form() | {"member": member.pk}
    ids = {client.post("/api/study-records/", data).json().get("id") for _ in range(3)}
    assert len(ids) == 1 and StudyRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_six_study_records_posted_at_once_are_one_record(client_for, cast, member):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite runs one writer at a time)")
    clients = [client_for(cast.secretary) for _ in range(TIMES)]
    codes = at_once(clients, f"/members/{member.pk}/study/new/", study_form())
    assert codes == [302] * TIMES
    assert list(StudyRecord.objects.values_list("hours", flat=True)) == [Decimal("4")]


def test_the_same_notice_form_posted_six_times_publishes_one_notice(client_for, cast, tree):
    client = client_for(cast.worker)
    url = reverse("portal:notice_create")
    token = client.get(url).context["form"]["submission"].value()
    assert len(token) >= 20
    assert client.get(url).context["form"]["submission"].value() != token  # a token per form
    responses = [client.post(url, notice_form(tree.grid_a, token)) for _ in range(TIMES)]
    notice = Notice.objects.get()
    assert {r["Location"] for r in responses} == {notice.get_absolute_url()}
    client.post(url, notice_form(tree.grid_a, "another-form"))  # another form: another notice
    assert Notice.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_six_notices_posted_at_once_are_one_notice(client_for, cast, tree):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite runs one writer at a time)")
    clients = [client_for(cast.worker) for _ in range(TIMES)]
    codes = at_once(clients, reverse("portal:notice_create"), notice_form(tree.grid_a, "one-form-token"))
    assert codes == [302] * TIMES
    assert Notice.objects.count() == 1


# --- care visits and contact attempts: a token in the form -------------------------------------------------
def care_form(submission: str) -> dict:
    day = timezone.localdate().isoformat()
    return {"visited_on": day, "kind": "holiday", "help_given": "慰问金500元", "submission": submission}


def contact_form(submission: str) -> dict:
    day = timezone.localdate().isoformat()
    return {"attempted_on": day, "method": "phone", "result": "无人接听", "submission": submission}


TOKENED = [
    pytest.param("care_visit_add", care_form, CareVisit, id="care-visit"),
    pytest.param("contact_attempt_add", contact_form, ContactAttempt, id="contact-attempt"),
]


@pytest.mark.parametrize(("page", "form", "model"), TOKENED)
def test_the_same_form_posted_six_times_records_once(client_for, cast, member, page, form, model):
    client = client_for(cast.secretary)
    url = reverse(f"members:{page}", args=[member.pk])
    page = client.get(url)
    token = page.context["form"]["submission"].value()
    assert len(token) >= 20 and f'name="submission" value="{token}"' in page.content.decode()
    assert [client.post(url, form(token)).status_code for _ in range(TIMES)] == [302] * TIMES
    assert model.objects.count() == 1
    client.post(url, form("another-form"))  # another form (the same visit or call again): another record
    assert model.objects.count() == 2


@pytest.mark.parametrize(
    ("endpoint", "form", "model"),
    [
        pytest.param("/api/care-visits/", care_form, CareVisit, id="care-visit"),
        pytest.param("/api/contact-attempts/", contact_form, ContactAttempt, id="contact-attempt"),
    ],
)
def test_the_api_gives_the_same_visit_or_attempt_for_the_same_token(
    client_for, cast, member, endpoint, form, model
):
    client = client_for(cast.secretary)
    data = form("client-token-1") | {"member": member.pk}
    ids = {client.post(endpoint, data).json().get("id") for _ in range(3)}
    assert len(ids) == 1 and model.objects.count() == 1
    client.post(endpoint, form("") | {"member": member.pk})  # no token: every post records
    assert model.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("page", "form", "model"), TOKENED)
def test_six_posts_of_one_form_at_once_record_once(client_for, cast, member, page, form, model):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite runs one writer at a time)")
    clients = [client_for(cast.secretary) for _ in range(TIMES)]
    codes = at_once(clients, reverse(f"members:{page}", args=[member.pk]), form("one-form-token"))
    assert codes == [302] * TIMES
    assert model.objects.count() == 1
