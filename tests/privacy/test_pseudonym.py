"""A carried-out deletion request leaves no kept record linked to the person's account: every record the
law or Party rules keep (member record, attendance, verification, the request itself, consents, the
person's workflow steps…) moves to one new pseudonym account — the same for all of them, disabled, with no
area, no contact and a name not derived from the account — and still exists. The emptied account stays for
the audit trail alone, whose chain still verifies. Through the service, the page and the API."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from grassroots.accounts.models import ResidentVerification, User
from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.core.members.models import Member
from grassroots.gatherings.models import Participant
from grassroots.privacy.models import Consent, DataRequest, RequestState
from grassroots.privacy.pseudonym import KEEP, links_to_account
from grassroots.privacy.services import record_consent, submit_request
from grassroots.workflow.models import TransitionLog
from grassroots.workflow.services import transition


@pytest.fixture
def kept(resident):
    """The person's kept records, by primary key (they must still exist afterwards)."""
    record_consent(user=resident, purpose="注册")
    request = submit_request(user=resident, kind="deletion", details="不再使用平台")
    return {
        "member": resident.member_record.pk,
        "verification": ResidentVerification.objects.get(user=resident).pk,
        "participant": Participant.objects.get(user=resident).pk,
        "consent": Consent.objects.get(user=resident).pk,
        "request": request.pk,
        "step": TransitionLog.objects.get(actor=resident, object_id=request.pk).pk,
    }


def assert_unlinked(person: User, kept: dict) -> User:
    """No row outside KEEP names `person`; the kept rows exist and all name one pseudonym; returns it."""
    for field in links_to_account():
        rows = field.model._base_manager.filter(**{field.attname: person.pk})
        assert not rows.exists(), f"{field.model._meta.label}.{field.name} still names the account"
    request = DataRequest.objects.get(pk=kept["request"])
    assert request.state == RequestState.DONE
    pseudonym = request.user
    assert Member.objects.get(pk=kept["member"]).user == pseudonym
    assert ResidentVerification.objects.get(pk=kept["verification"]).user == pseudonym
    assert Participant.objects.get(pk=kept["participant"]).user == pseudonym
    assert Consent.objects.get(pk=kept["consent"]).user == pseudonym
    assert TransitionLog.objects.get(pk=kept["step"]).actor == pseudonym  # the author of a kept step
    # the pseudonym: nothing about anybody, nothing derived from the account
    assert pseudonym.pk != person.pk and not pseudonym.is_active and not pseudonym.has_usable_password()
    assert (pseudonym.home_area, pseudonym.phone, pseudonym.email, pseudonym.verified_at) == (
        None,
        "",
        "",
        None,
    )
    assert pseudonym.username.removeprefix("anon-") != str(person.pk)
    assert Member.objects.get(pk=kept["member"]).name == pseudonym.full_name
    assert pseudonym.full_name != person.full_name and "王小明" not in pseudonym.full_name
    # the emptied account stays for the audit trail, which still names it, and verifies
    person.refresh_from_db()
    assert person.username == f"deleted-{person.pk}" and not person.is_active
    assert chain.verify().ok
    return pseudonym


def test_through_the_service(resident, cast, kept):
    transition(DataRequest.objects.get(pk=kept["request"]), "complete", actor=cast.street_a)
    pseudonym = assert_unlinked(resident, kept)
    outcome = DataRequest.objects.get(pk=kept["request"]).outcome
    assert "保留记录的账号关联：假名化" in outcome
    # the step in the trail says how many moved, not to which account
    step = AuditEvent.objects.filter(what__contains="保留记录的账号关联").get()
    assert pseudonym.username not in step.what and pseudonym.full_name not in step.what


def test_through_the_page(resident, cast, kept, client_for):
    content_type = ContentType.objects.get_for_model(DataRequest)
    url = f"/workflow/{content_type.pk}/{kept['request']}/complete/"
    answer = client_for(cast.secretary).post(url, {"comment": "已按规定处理"})
    assert answer.status_code == 302
    pseudonym = assert_unlinked(resident, kept)
    # the request's page shows the pseudonym, not the person
    page = client_for(cast.secretary).get(DataRequest.objects.get(pk=kept["request"]).get_absolute_url())
    assert page.status_code == 200 and "王小明" not in page.content.decode()
    assert pseudonym.full_name in page.content.decode()


def test_through_the_api(resident, cast, kept, api_for):
    answer = api_for(cast.secretary).post(
        f"/api/data-requests/{kept['request']}/transitions/complete/", {"comment": "已处理"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert_unlinked(resident, kept)


def test_what_stays_on_the_account_is_listed_with_its_reason():
    from django.apps import apps

    from grassroots.audit.dbguard import GUARDS

    labels = {field.model._meta.label for field in links_to_account()}
    assert labels.isdisjoint(KEEP) and all(KEEP.values())
    # an append-only table cannot take the move: it is listed, with its reason
    guarded = {table for guard in GUARDS.values() for table in guard.tables}
    for model in apps.get_models():
        if model._meta.db_table in guarded and any(
            f.is_relation and f.remote_field.model is User for f in model._meta.local_concrete_fields
        ):
            assert model._meta.label in KEEP, model
    assert {"members.Member", "workflow.TransitionLog", "privacy.DataRequest"} <= labels
