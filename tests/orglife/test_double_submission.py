"""Double submission of an unplanned gathering's report (tests/security/test_submission_tokens.py lists the
page as tokened and proven here): the same form posted three times records one gathering and one report and
answers the three alike; another form records another."""

from __future__ import annotations

import re

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReport
from grassroots.gatherings.models import Gathering
from tests.orglife.conftest import last_week


def test_the_same_form_posted_three_times_reports_once(orgs, client_for):
    client = client_for(orgs.branch_sec)
    url = f"/orglife/branches/{orgs.branch.pk}/reports/new/"
    token = re.search(r'name="submission" value="([^"]+)"', client.get(url).content.decode()).group(1)
    body = {
        "submission": token,
        "kind": kinds.COMMITTEE_MEETING,
        "title": "临时支委会",
        "day": last_week().isoformat(),
        "start": "09:00",
        "end": "10:00",
    }
    answers = [client.post(url, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [302] * 3 and len({a["Location"] for a in answers}) == 1
    assert OrgLifeReport.objects.filter(submission=token).count() == 1
    assert Gathering.objects.filter(title="临时支委会").count() == 1
    client.post(url, body | {"submission": "another-form"})
    assert Gathering.objects.filter(title="临时支委会").count() == 2
