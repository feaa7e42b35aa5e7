"""Steps 4–5 in a person's data: the ratings they gave, their seat on the supervision committee and the checks
they recorded are on their data page and in /api/me/data/; a deletion blanks the ratings' comments (the
levels stay counted), takes them off the committee and keeps their checks (the committee's record)."""

from __future__ import annotations

from grassroots.privacy.services import submit_request
from grassroots.selfgov.models import Rating, SupervisionCheck, Supervisor
from grassroots.selfgov.services import evaluation, execution
from grassroots.workflow.services import transition
from tests.selfgov.test_execution import to_evaluation


def test_ratings_seats_and_checks_are_theirs_to_see_and_a_deletion_handles_them(
    client_for, api_for, cast, tree, people, adopted, django_capture_on_commit_callbacks
):
    matter = adopted
    execution.add_supervisor(actor=cast.worker, community=tree.community_a, user=people.wang)
    current = to_evaluation(cast, matter)
    execution.record_check(user=people.wang, matter=matter, finding="施工围挡未设警示标志")
    evaluation.rate(user=people.wang, evaluation=current, level="unsatisfied", comment="地面还有积水")
    evaluation.rate(user=people.li, evaluation=current, level="satisfied", comment="挺好")

    page = client_for(people.wang).get("/privacy/mine/").content.decode()
    for text in ("民生事项评议", "地面还有积水", "不满意", "居务监督委员会成员", "施工围挡未设警示标志"):
        assert text in page
    assert "挺好" not in page  # another resident's rating
    data = api_for(people.wang).get("/api/me/data/").json()
    assert data["selfgov.rating"]["rows"][0]["意见"] == "地面还有积水"
    assert data["selfgov.rating"]["rows"][0]["民生事项"] == matter.title
    assert data["selfgov.supervisor"]["rows"][0]["社区"] == tree.community_a.name
    assert data["selfgov.check"]["rows"][0]["监督发现"] == "施工围挡未设警示标志"

    record = submit_request(user=people.wang, kind="deletion")
    with django_capture_on_commit_callbacks(execute=True):
        transition(record, "complete", actor=cast.street_a)
    record.refresh_from_db()
    assert not Rating.objects.filter(user=people.wang).exists()  # kept, naming the pseudonym
    rating = Rating.objects.get(user=record.user)
    assert (rating.level, rating.comment) == ("unsatisfied", "")
    assert Rating.objects.get(user=people.li).comment == "挺好"
    assert evaluation.counts(current)["unsatisfied"] == 1  # the round's count stands
    assert not Supervisor.objects.filter(user=people.wang).exists()
    assert SupervisionCheck.objects.get(matter=matter).finding == "施工围挡未设警示标志"
    record.refresh_from_db()
    for line in ("民生事项评议：假名化 1 条", "居务监督委员会成员：删除 1 条", "监督检查记录：保留 1 条"):
        assert line in record.outcome
