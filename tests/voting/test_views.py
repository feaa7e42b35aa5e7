import re
from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.voting.models import Ballot, Majority, Vote, VoteStatus
from grassroots.voting.services import ballots
from tests.voting.conftest import option


def test_a_resident_votes_on_the_page_and_checks_the_receipt(make_vote, voters, client_for):
    vote = make_vote()
    client = client_for(voters.wang)
    page = client.get(f"/voting/{vote.pk}/")
    assert page.status_code == 200 and "是否同意加装电梯" in page.content.decode()
    response = client.post(f"/voting/{vote.pk}/cast/", {"options": option(vote, "同意")})
    assert response.status_code == 200
    code = re.search(r"data-receipt>(\w+)<", response.content.decode()).group(1)
    assert Ballot.objects.filter(vote=vote).count() == 1
    again = client.post(f"/voting/{vote.pk}/cast/", {"options": option(vote, "不同意")})
    assert again.status_code == 400 and "您已投过票" in again.content.decode()
    checked = client.post(f"/voting/{vote.pk}/receipt/", {"code": code})
    assert checked.status_code == 200 and "已计入" in checked.content.decode()
    wrong = client.post(f"/voting/{vote.pk}/receipt/", {"code": "XXXX"})
    assert wrong.status_code == 400 and "未找到该回执码对应的选票" in wrong.content.decode()


def test_a_resident_of_another_area_gets_404(make_vote, voters, client_for):
    vote = make_vote()
    client = client_for(voters.outsider)
    assert client.get(f"/voting/{vote.pk}/").status_code == 404
    assert client.post(f"/voting/{vote.pk}/cast/", {"options": option(vote, "同意")}).status_code == 404
    assert "是否同意加装电梯" not in client.get("/voting/").content.decode()
    assert not Ballot.objects.exists()


def test_a_resident_may_not_publish_or_close(make_vote, voters, client_for):
    vote = make_vote()
    assert client_for(voters.wang).post(f"/voting/{vote.pk}/close/").status_code == 403
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.PUBLISHED


def test_an_official_creates_publishes_and_closes(cast, tree, client_for, voters, today):
    client = client_for(cast.worker)
    now = timezone.localtime()
    data = {
        "area": tree.community_a.pk,
        "title": "停车位划线",
        "electorate": "residents",
        "options": "同意\n不同意\n",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "quorum_percent": 25,
        "majority": Majority.SIMPLE,
        "min_choices": 1,
        "max_choices": 1,
    }
    bad = client.post("/voting/new/", data | {"options": "同意"})
    assert bad.status_code == 200 and "请至少填写两个选项" in bad.content.decode()
    response = client.post("/voting/new/", data)
    vote = Vote.objects.get(title="停车位划线")
    assert response.status_code == 302 and vote.status == VoteStatus.DRAFT and not vote.secret
    assert client_for(voters.wang).get(f"/voting/{vote.pk}/").status_code == 404  # drafts are hidden
    client.post(f"/voting/{vote.pk}/publish/")
    ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    page = client.get(f"/voting/{vote.pk}/").content.decode()
    assert "选票链校验通过" in page and "wang" in page  # an open ballot: officials see who voted what
    assert "<td>wang" not in client_for(voters.li).get(f"/voting/{vote.pk}/").content.decode()
    client.post(f"/voting/{vote.pk}/close/")
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.result["ballots"] == 1
    assert "投票结果" in client_for(voters.li).get(f"/voting/{vote.pk}/").content.decode()


def test_the_official_of_another_street_gets_404(make_vote, cast, client_for):
    vote = make_vote()
    client = client_for(cast.street_b)
    assert client.get(f"/voting/{vote.pk}/").status_code == 404
    assert client.post(f"/voting/{vote.pk}/close/").status_code == 404


@pytest.mark.django_db
def test_the_list_page_query_count(make_vote, cast, client_for, django_assert_max_num_queries):
    for i in range(5):
        make_vote(title=f"事项{i}")
    client = client_for(cast.worker)
    client.get("/voting/")  # warm the session and grants
    with django_assert_max_num_queries(14):
        response = client.get("/voting/")
    html = response.content.decode()
    assert response.status_code == 200 and all(f"事项{i}" in html for i in range(5))


@pytest.mark.django_db
def test_the_export_holds_the_lists_votes_and_none_of_another_street(make_vote, cast, tree, client_for):
    from django.urls import reverse

    from grassroots.accounts.roles import Role
    from tests.factories import make_user
    from tests.imports.helpers import read_xlsx

    make_vote(title="桥楼加装电梯")
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    make_vote(title="育才停车收费", actor=worker_b, area=tree.community_b, publish=False)
    client = client_for(cast.street_a)
    assert 'data-export="voting-votes"' in client.get("/voting/").content.decode()
    response = client.post(reverse("imports:list_export", args=["voting-votes"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["投票"]
    assert rows[0][:3] == ["投票事项", "状态", "无记名投票"]
    assert [(r[0], r[6]) for r in rows[1:]] == [("桥楼加装电梯", "桥楼社区")]  # not 育才's
    assert (
        client_for(cast.resident).post(reverse("imports:list_export", args=["voting-votes"])).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_households_export_holds_the_pages_households_and_none_of_another_street(
    voters, cast, tree, client_for
):
    from django.urls import reverse

    from grassroots.voting.services import households
    from tests.imports.helpers import read_xlsx

    households.create_household(actor=cast.street_b, area=tree.community_b, name="育才1号")
    client = client_for(cast.worker)
    assert 'data-export="voting-households"' in client.get("/voting/households/").content.decode()
    response = client.post(reverse("imports:list_export", args=["voting-households"]) + "?q=1栋")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["住户"]
    assert rows[0] == ["户名", "区域", "成员"]
    assert sorted(r[0] for r in rows[1:]) == ["1栋101", "1栋102"]
    everything = client.post(reverse("imports:list_export", args=["voting-households"]))
    names = [r[0] for r in read_xlsx(b"".join(everything.streaming_content))["住户"][1:]]
    assert "育才1号" not in names  # another street's household
    denied = client_for(voters.wang).post(reverse("imports:list_export", args=["voting-households"]))
    assert denied.status_code == 403


def test_a_ballot_reads_the_vote_and_its_options_once_each(make_vote, voters, client_for):
    """The vote burst's request (issue 19): the vote by its key (its visibility decided from the resident's
    home, no scoped statement), the options once for the form and the check, the vote again under its lock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vote = make_vote()
    client = client_for(voters.wang)
    client.get(f"/voting/{vote.pk}/")  # the session's first-request work
    chosen = option(vote, "同意")
    with CaptureQueriesContext(connection) as seen:
        response = client.post(f"/voting/{vote.pk}/cast/", {"options": chosen})
    assert response.status_code == 200 and Ballot.objects.filter(vote=vote).count() == 1
    reads = [q["sql"] for q in seen.captured_queries if q["sql"].startswith("SELECT")]
    options = [sql for sql in reads if 'FROM "voting_option"' in sql]
    assert len(options) == 1, "\n".join(options)
    assert sum('FROM "voting_vote"' in sql for sql in reads) == 2  # by key, then under the lock
    assert not any("DISTINCT" in sql and 'FROM "voting_vote"' in sql for sql in reads)
