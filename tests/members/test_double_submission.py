"""Double submission: the same study-record form posted six times — one after the other (SQLite and
PostgreSQL) or at the same moment from six threads with their own connections (PostgreSQL) — writes one
record of its hours, not six; the same notice form posted six times publishes one notice. Study records have
a natural key (member, day, title: a unique constraint), notices a token in the form."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from grassroots.core.members.models import StudyRecord
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
