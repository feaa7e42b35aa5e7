"""Every view of a page that shows a person's data is written to the audit trail (查看, issue 10), the same
way as a dispute's case file: a household (its people), a pairing (the cadre and the member or household
paired); the member's and the user's pages in tests/members/test_records_list.py and
tests/accounts/test_pii.py. Not the person's own view; an outsider's 404 writes nothing."""

from auditlog.models import LogEntry
from django.urls import reverse

from grassroots.voting.models import Household
from tests.lawgov.test_pairings import _cadre_pairing, court  # noqa: F401 (fixture)


def _views(instance) -> list[str]:
    entries = LogEntry.objects.get_for_object(instance).filter(action=LogEntry.Action.ACCESS).order_by("pk")
    return [e.actor.username for e in entries]


def test_a_households_page_view_is_audited(cast, tree, client_for):
    household = Household.objects.create(area=tree.courtyard_a, name="3栋202")
    url = reverse("voting:household", args=[household.pk])
    assert client_for(cast.worker).get(url).status_code == 200
    assert client_for(cast.street_b).get(url).status_code == 404
    assert _views(household) == ["worker"]


def test_a_pairings_page_view_is_audited_but_not_the_cadres_own(court, cast, tree, client_for):  # noqa: F811
    pairing = _cadre_pairing(cast, tree, court)
    url = reverse("lawgov:pairing_detail", args=[pairing.pk])
    for user in (cast.worker, court.rep, court.cadre):
        assert client_for(user).get(url).status_code == 200
    assert client_for(cast.street_b).get(url).status_code == 404
    assert _views(pairing) == ["worker", "court_rep"]
