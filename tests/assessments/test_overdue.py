"""The one definition of an overdue finding (Finding.overdue_q), pinned on a hand-made set of findings: the
page, the API, the counts, the inspections list and the row's own flag all say the same."""

from datetime import timedelta

import pytest

from grassroots.core.assessments.models import Finding
from grassroots.core.assessments.selectors import inspections as selectors
from grassroots.workflow.services import transition


@pytest.fixture
def findings(today, add_finding, cast):
    """Four findings of one inspection; only 昨天到期 is overdue."""
    made = {
        "昨天到期": add_finding(description="昨天到期", deadline=today - timedelta(days=1)),
        "今天到期": add_finding(description="今天到期", deadline=today),
        "明天到期": add_finding(description="明天到期", deadline=today + timedelta(days=1)),
        "已报告整改": add_finding(description="已报告整改", deadline=today - timedelta(days=5)),
    }
    transition(made["已报告整改"], "report_rectified", actor=cast.secretary, comment="已整改")
    return made


def test_overdue_means_still_rectifying_after_the_deadline_day(findings, cast, client_for, api_for):
    overdue = {"昨天到期"}
    assert set(Finding.objects.filter(Finding.overdue_q()).values_list("description", flat=True)) == overdue
    assert {f.description for f in Finding.objects.all() if f.overdue} == overdue
    assert selectors.state_counts(Finding.objects.all())["overdue"] == 1
    assert selectors.inspections_for(cast.street_a).get().overdue_count == 1

    page = client_for(cast.street_a).get("/assessments/findings/?overdue=1").content.decode()
    assert {d for d in findings if d in page} == overdue
    api = api_for(cast.street_a)
    rows = api.get("/api/findings/?overdue=true").json()["results"]
    assert {row["description"] for row in rows} == overdue and all(row["overdue"] for row in rows)
    rows = api.get("/api/findings/?overdue=false").json()["results"]
    assert {row["description"] for row in rows} == set(findings) - overdue
