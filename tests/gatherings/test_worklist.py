"""A planned gathering that has begun awaits those who manage it (mark it held, or cancel it): it is on their
worklist and their home page from its start until it is held or cancelled; before it begins nothing is due;
outsiders and residents never see it there."""

from datetime import timedelta

from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering
from grassroots.workflow.selectors import available_transitions, pending_for
from tests.homes import open_home


def waiting(user) -> list[str]:
    return [item.title for item in pending_for(user, limit=50)]


def names(gathering, user) -> list[str]:
    return [t.name for t in available_transitions(gathering, user)]


def pks(user) -> list[int]:
    return list(Gathering.pending_for(user).values_list("pk", flat=True))


def test_a_begun_planned_gathering_awaits_its_managers(cast, make_gathering, ongoing):
    coming = make_gathering(title="明天的议事会")
    assert pks(cast.street_a) == pks(cast.secretary) == pks(cast.worker) == pks(cast.city) == [ongoing.pk]
    assert coming.pk not in pks(cast.street_a)  # not begun: nothing is due yet
    assert pks(cast.street_b) == [] and pks(cast.resident) == [] and pks(cast.auditor) == []
    (title,) = waiting(cast.worker)
    assert title.startswith("确认召开：正在进行的活动（桥楼社区，")


def test_the_worklist_is_derived_from_the_step(cast, make_gathering, ongoing):
    """Exactly the gatherings the user could mark held now: the buttons and the worklist agree."""
    earlier = make_gathering(title="上午的议事会", starts_in=timedelta(hours=-3), hours=1)
    for user in (cast.street_a, cast.worker, cast.street_b, cast.resident):
        can = [g.pk for g in (earlier, ongoing) if "mark_held" in names(g, user)]
        assert pks(user) == can, user.username
    assert pks(cast.street_a) == [earlier.pk, ongoing.pk]  # oldest start first


def test_held_or_cancelled_it_waits_no_more(cast, make_gathering, ongoing):
    other = make_gathering(title="取消的议事会", starts_in=timedelta(minutes=-5))
    services.mark_held(actor=cast.worker, gathering=ongoing)
    services.cancel_gathering(actor=cast.street_a, gathering=other, reason="天气原因")
    assert pks(cast.street_a) == [] and waiting(cast.street_a) == []


def test_the_home_page_lists_it_for_its_managers_only(cast, client_for, ongoing):
    page = open_home(client_for(cast.secretary)).content.decode()
    assert "确认召开：正在进行的活动" in page and ongoing.get_absolute_url() in page
    assert "确认召开" not in open_home(client_for(cast.street_b)).content.decode()
