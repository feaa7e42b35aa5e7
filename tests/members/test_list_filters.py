"""The five precisions' and transfers' FilterSets (members/filters.py): a member's page panels list the
records that /api/contact-attempts/, /api/study-records/, /api/dues-payments/, /api/care-visits/ and
/api/transfers/ give for ?member= (and ?year=); the transfers page's tabs are the API's ?tab=; parameters are
bounded (400, not 500)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from grassroots.core.members.selectors import worklist
from grassroots.core.members.services import care, dues, educate, find, manage
from grassroots.workflow.services import transition
from tests.members.fixtures_precisions import *  # noqa: F403


@pytest.fixture
def records(cast, member, make_member, branch_b, today):
    """张三 (this year's and last year's records of each kind) and 李四 (one of each, not to be listed)."""
    other = make_member("李四")
    last_year = date(today.year - 1, 6, 1)
    for who in (member, other):
        find.record_contact_attempt(actor=cast.worker, member=who, method="phone", result="联系上了")
        care.record_care_visit(actor=cast.worker, member=who, kind="illness", help_given="送药")
        for day in (today - timedelta(days=3), last_year):
            educate.add_study_record(
                actor=cast.worker, member=who, title="学习", studied_on=day, hours=Decimal(2)
            )
        dues.record_dues_payment(actor=cast.worker, member=who, year=today.year, month=1)
        dues.record_dues_payment(actor=cast.worker, member=who, year=today.year - 1, month=12)
    care.record_care_visit(
        actor=cast.worker, member=member, kind="holiday", visited_on=last_year, help_given="慰问"
    )
    moved = manage.request_transfer(actor=cast.secretary, member=other, to_branch=branch_b)
    transition(moved, "cancel", actor=cast.secretary)
    manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_b)
    return member, other


def _ids(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_member_panels_list_what_the_api_filters(records, cast, api_for, today):
    member, _other = records
    api, user = api_for(cast.secretary), cast.secretary
    year = f"member={member.pk}&year={today.year}"
    attempts = worklist.find_panel(member, user)["attempts"]
    assert [a.pk for a in attempts] == _ids(api, f"/api/contact-attempts/?member={member.pk}")
    studies = worklist.study_panel(member, user)["records"]
    assert [r.pk for r in studies] == _ids(api, f"/api/study-records/?{year}") and len(studies) == 1
    payments = worklist.dues_panel(member, user, today=today)["payments"]
    assert sorted(p.pk for p in payments) == sorted(_ids(api, f"/api/dues-payments/?{year}"))
    assert len(payments) == 1
    visits = worklist.care_panel(member, user, today=today)["visits"]
    assert [v.pk for v in visits] == _ids(api, f"/api/care-visits/?member={member.pk}") and len(visits) == 2
    transfers = worklist.transfers_panel(member, user)["transfers"]
    assert [t.pk for t in transfers] == _ids(api, f"/api/transfers/?member={member.pk}") and transfers


@pytest.mark.parametrize("tab", ["open", "history"])
@pytest.mark.parametrize("who", ["secretary", "street_a"])
def test_the_transfers_page_tabs_are_the_apis(records, cast, client_for, api_for, tab, who):
    user = getattr(cast, who)
    page = client_for(user).get(f"/members/transfers/?tab={tab}")
    listed = [t.pk for t in page.context["page_obj"]]
    assert listed == _ids(api_for(user), f"/api/transfers/?tab={tab}") and len(listed) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/contact-attempts/",
        "/api/study-records/",
        "/api/dues-payments/",
        "/api/care-visits/",
        "/api/transfers/",
    ],
)
def test_parameters_are_bounded(cast, api_for, url):
    api = api_for(cast.secretary)
    for query in ("member=0", "member=9223372036854775808", "year=0", "month=13", "gathering=-1", "tab=all"):
        field = query.split("=")[0]
        response = api.get(f"{url}?{query}")
        expected = 400 if field in ("member",) or (field, url) in BOUNDED else 200
        assert response.status_code == expected, query


BOUNDED = {
    ("year", "/api/study-records/"),
    ("year", "/api/dues-payments/"),
    ("year", "/api/care-visits/"),
    ("month", "/api/dues-payments/"),
    ("gathering", "/api/study-records/"),
    ("tab", "/api/transfers/"),
}
