"""Correcting an election record (更正, issue 14): a community's worker corrects a wrong entry with the reason
on the page and through the API; the record takes the corrected values, the history keeps what each field was,
who corrected it and why, and the audit trail logs the change; a refusal is at its field (400) with nothing
written; another community's worker and a resident of the community read it as missing (404)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings import services as gatherings
from grassroots.voting.models import ElectionCorrection, RepresentativeElection
from grassroots.voting.services import elections
from tests.factories import make_user


@pytest.fixture
def election(cast, tree, today):
    starts = timezone.make_aware(datetime.combine(today - timedelta(days=10), time(9)))
    meeting = gatherings.create_gathering(
        actor=cast.worker,
        kind="meeting",
        title="居民会议：推选居民代表",
        area=tree.community_a,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    return elections.record_election(
        actor=cast.worker, community=tree.community_a, held_on=today - timedelta(days=9), gathering=meeting
    )


def url(election, tail=""):
    return f"/voting/representatives/elections/{election.pk}/{tail}"


def test_a_worker_corrects_a_wrong_day_with_the_reason_on_the_page(cast, tree, election, today, client_for):
    client = client_for(cast.worker)
    wrong = election.held_on
    form = client.get(url(election, "correct/"))
    assert form.status_code == 200 and form.context["form"]["held_on"].value() == wrong
    right = today - timedelta(days=10)
    body = {
        "held_on": right.isoformat(),
        "term_ends_on": election.term_ends_on.isoformat(),
        "gathering": election.gathering_id,
        "note": "",
        "reason": "推选日期登记错误，以推选结果公告为准。",
    }
    # Refusals at the field, 400, nothing written: no reason; a day in the future.
    no_reason = client.post(url(election, "correct/"), {**body, "reason": " "})
    assert no_reason.status_code == 400 and no_reason.context["form"].errors["reason"]
    future = client.post(
        url(election, "correct/"), {**body, "held_on": (today + timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 400
    assert future.context["form"].errors["held_on"] == ["推选日期不能晚于今天。"]
    unchanged = client.post(url(election, "correct/"), {**body, "held_on": wrong.isoformat()})
    assert unchanged.status_code == 400 and unchanged.context["form"].non_field_errors()
    assert not ElectionCorrection.objects.exists()
    assert RepresentativeElection.objects.get().held_on == wrong
    done = client.post(url(election, "correct/"), body)
    assert done.status_code == 302 and done.url == url(election)
    election.refresh_from_db()
    assert election.held_on == right
    correction = ElectionCorrection.objects.get()
    assert (correction.corrected_by, correction.reason) == (
        cast.worker,
        "推选日期登记错误，以推选结果公告为准。",
    )
    assert correction.changes == {"held_on": [wrong.isoformat(), right.isoformat()]}
    page = client.get(url(election)).content.decode()
    assert "推选日期登记错误" in page and f"推选日期：{wrong.isoformat()} → {right.isoformat()}" in page
    # Audited: the record's change with the old and new day, and the correction itself.
    change = LogEntry.objects.get_for_object(election).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["held_on"] == [str(wrong), str(right)]
    assert change.actor == cast.worker
    assert LogEntry.objects.get_for_object(correction).exists()


def test_the_api_corrects_the_fields_sent(cast, tree, election, today, api_for):
    api = api_for(cast.worker)
    term = election.term_ends_on - timedelta(days=30)
    answer = api.post(
        f"/api/representative-elections/{election.pk}/correct/",
        {"term_ends_on": term.isoformat(), "note": "任期按街道批复", "reason": "任期届满日期有误"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["term_ends_on"] == term.isoformat() and body["note"] == "任期按街道批复"
    (correction,) = body["corrections"]
    assert correction["reason"] == "任期届满日期有误" and correction["corrected_by"] == cast.worker.pk
    assert correction["changes"]["note"] == ["—", "任期按街道批复"]
    refused = api.post(
        f"/api/representative-elections/{election.pk}/correct/",
        {"term_ends_on": election.held_on.isoformat(), "reason": "再改"},
        format="json",
    )
    assert refused.status_code == 400 and "term_ends_on" in refused.json()["errors"]
    assert (
        api.post(
            f"/api/representative-elections/{election.pk}/correct/", {"reason": "无改动"}, format="json"
        ).status_code
        == 400
    )
    assert ElectionCorrection.objects.count() == 1


def test_outsiders_read_it_as_missing_and_change_nothing(cast, tree, election, today, client_for, api_for):
    """Owner: the community's worker (above). Member: a resident of the community. Outsider: another
    community's worker. Neither reaches the record; nothing is written."""
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    body = {"held_on": (today - timedelta(days=20)).isoformat(), "reason": "改"}
    for user in (worker_b, cast.resident):
        assert client_for(user).get(url(election, "correct/")).status_code in (403, 404)
        assert client_for(user).post(url(election, "correct/"), body).status_code in (403, 404)
        answer = api_for(user).post(
            f"/api/representative-elections/{election.pk}/correct/", body, format="json"
        )
        assert answer.status_code in (403, 404)
    assert client_for(worker_b).get(url(election, "correct/")).status_code == 404
    assert not ElectionCorrection.objects.exists()
    assert RepresentativeElection.objects.get().held_on == election.held_on
    # The service itself refuses an actor without voting.manage on the community.
    with pytest.raises(PermissionDenied):
        elections.correct_election(actor=worker_b, election=election, reason="改", note="x")
