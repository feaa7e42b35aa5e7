"""A volunteer's record and the partners one represents are on the person's data page and handled by a
deletion (the volunteer record deleted, the representation removed, the partner kept)."""

import pytest

from grassroots.cogov import services
from grassroots.cogov.models import Partner, Volunteer
from grassroots.privacy.services import my_data, submit_request
from grassroots.workflow.services import transition

pytestmark = pytest.mark.django_db


def test_shown_and_deleted(co, cast):
    services.sign_up_volunteer(actor=cast.resident, skills=["理发"])
    sections = {s.key: s for s in my_data(cast.resident)}
    assert sections["cogov.volunteer"].rows and "理发" in str(sections["cogov.volunteer"].rows[0])
    assert [r["单位名称"] for r in {s.key: s for s in my_data(co.rep)}["cogov.representative"].rows] == [
        "雅安茶业有限公司"
    ]
    for person in (cast.resident, co.rep):
        record = submit_request(user=person, kind="deletion")
        transition(record, "complete", actor=cast.street_a)
    assert not Volunteer.objects.filter(user=cast.resident).exists()
    assert Partner.objects.filter(pk=co.tea.pk).exists() and not co.tea.representatives.exists()
