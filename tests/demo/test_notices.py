"""The demo's notices (grassroots/portal/demo.py, step `notices`): a few published along the demo accounts'
branch of the tree — city, street, community (pinned), grid — read by the demo resident on 通知公告 and on
their home page; the one scheduled for next week is not shown yet; loading twice adds nothing."""

import pytest

from grassroots.accounts.models import User
from grassroots.portal.demo import NOTICES
from grassroots.portal.models import Notice
from tests.demo.conftest import FOUNDATION
from tests.demo.seeding import seed_only
from tests.homes import open_home

STEPS = FOUNDATION | {"notices"}
PUBLISHED = [title for _author, _place, title, _body, days_ago, _pinned in NOTICES if days_ago >= 0]
SCHEDULED = [title for _author, _place, title, _body, days_ago, _pinned in NOTICES if days_ago < 0]


def seed():
    seed_only(STEPS)


@pytest.mark.django_db
def test_the_demo_resident_reads_the_published_notices(client, settings):
    settings.DEBUG = True  # demo accounts are refused with DEBUG off (accounts/backends.py)
    seed()
    assert len(PUBLISHED) >= 3 and SCHEDULED
    assert Notice.objects.count() == len(NOTICES)

    client.force_login(User.objects.get(username="resident"))
    response = client.get("/notices/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in PUBLISHED:
        assert title in page, title
    for title in SCHEDULED:
        assert title not in page, title  # next week's: not yet published
    pinned = next(title for _author, _place, title, _body, _days, pinned in NOTICES if pinned)
    assert page.index(pinned) < min(page.index(t) for t in PUBLISHED if t != pinned)  # pinned first

    home = open_home(client).content.decode()
    assert any(title in home for title in PUBLISHED)

    seed()  # idempotent
    assert Notice.objects.count() == len(NOTICES)
