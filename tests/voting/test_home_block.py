"""Home blocks: the community worker's home shows the community's households and representatives (with the
term of their latest election); the street and county officials' homes show the share of communities with
all four systems (selfgov.rulebooks_complete) among their key figures, and not the community's lists."""

from __future__ import annotations

from datetime import timedelta

from grassroots.accounts.roles import Role
from grassroots.voting.models import RepresentativeElection
from grassroots.voting.services import representatives
from tests.factories import make_user
from tests.homes import block, open_home


def test_community_worker_sees_households_and_representatives(
    cast, tree, voters, today, client_for, django_assert_max_num_queries
):
    representatives.appoint_representative(actor=cast.worker, community=tree.community_a, user=voters.wang)
    RepresentativeElection.objects.create(
        community=tree.community_a,
        held_on=today - timedelta(days=1800),
        term_ends_on=today + timedelta(days=25),
    )
    client = client_for(cast.worker)
    response = open_home(client)
    data = block(response, "voting_people")
    [line] = data["lines"]
    # two households (wang+li, zhao), three people in them; sun is verified and in none; outsider elsewhere
    assert (line.community, line.households, line.housed, line.unhoused) == (tree.community_a, 2, 3, 1)
    assert (line.representatives, line.term_ends_on, line.term_due) == (1, today + timedelta(days=25), True)
    assert "请筹备换届推选" in response.content.decode()
    # another community's worker sees their own community only
    other = client_for(make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b))
    [line_b] = block(open_home(other), "voting_people")["lines"]
    assert (line_b.community, line_b.households, line_b.representatives) == (tree.community_b, 0, 0)
    assert block(open_home(client_for(cast.street_a)), "voting_people") is None
