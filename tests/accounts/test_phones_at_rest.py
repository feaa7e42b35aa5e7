"""Phone numbers are stored encrypted wherever a person's number is kept (docs/security.md §6): the accounts'
`User.phone`, the real-name verifications' `ResidentVerification.phone`, the dispute parties'
`DisputeParty.phone` and the co-governance partners' `Partner.contact_phone`, like members' ID and phone
numbers. The raw column never holds the number; the records still read it, are still found by the whole
number (its keyed hash), and still show it masked; the audit trail logs it masked."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import connection

from grassroots.accounts.fields import decrypt_column, encrypt_column
from grassroots.accounts.models import ResidentVerification, User
from grassroots.accounts.services.verification import register_resident
from grassroots.cogov import services as cogov
from grassroots.cogov.models import Partner
from grassroots.lawgov.models_disputes import DisputeParty
from tests.lawgov.conftest import dispute  # noqa: F401  (fixture)

NUMBER, MASKED = "13812345678", "138****5678"


def raw(model, field: str, pk: int):
    """The column as stored, read past the model field's decryption."""
    quote = connection.ops.quote_name
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _partner(cast, tree, phone=NUMBER):
    return cogov.save_partner(
        actor=cast.secretary,
        name="桥楼中学",
        kind="school",
        area=tree.community_a,
        contact_name="王老师",
        contact_phone=phone,
    )


def test_no_phone_column_holds_the_number(cast, tree, dispute):  # noqa: F811
    cast.resident.phone = NUMBER
    cast.resident.save()
    verification = register_resident(
        username="new_resident",
        password="Pass-word-123",
        full_name="赵六",
        phone=NUMBER,
        area=tree.courtyard_a,
    )
    party = dispute.parties.get(name="王五")
    partner = _partner(cast, tree)
    stored = [
        (User, "phone", cast.resident.pk),
        (User, "phone", verification.user_id),
        (ResidentVerification, "phone", verification.pk),
        (DisputeParty, "phone", party.pk),
        (Partner, "contact_phone", partner.pk),
    ]
    for model, field, pk in stored:
        value = raw(model, field, pk)
        assert value and NUMBER not in value and "13800001111" not in value, (model, value)
        assert getattr(model.objects.get(pk=pk), field) in (NUMBER, "13800001111")
    # no number: "" in the column (NOT NULL kept), read back as ""
    cast.worker.save()
    assert raw(User, "phone", cast.worker.pk) == "" and User.objects.get(pk=cast.worker.pk).phone == ""


def test_the_users_search_finds_the_whole_number_by_its_hash(cast, api_for):
    cast.resident.phone = NUMBER
    cast.resident.save()
    api = api_for(cast.street_a)
    for typed in (NUMBER, "138-1234-5678", " 138 1234 5678 "):
        found = api.post("/api/users/search/", {"q": typed}, format="json").json()["results"]
        assert [(u["username"], u["phone"]) for u in found] == [("resident", MASKED)]  # masked as before
    # a changed number is found by the new one only, also after a bulk update
    User.objects.filter(pk=cast.resident.pk).update(phone="13900000000")
    assert api.post("/api/users/search/", {"q": NUMBER}, format="json").json()["results"] == []
    found = api.post("/api/users/search/", {"q": "13900000000"}, format="json").json()["results"]
    assert [u["username"] for u in found] == ["resident"]


def test_a_persons_data_finds_the_partner_naming_their_number(cast, tree, client_for):
    from grassroots.cogov.privacy import _as_contact, _erase_represented

    cast.resident.phone = NUMBER
    cast.resident.save()
    partner = _partner(cast, tree)
    assert list(_as_contact(cast.resident)) == [partner]
    _erase_represented(cast.resident, placeholder="—")
    partner.refresh_from_db()
    assert (partner.contact_phone, partner.contact_phone_hash) == ("", "")
    assert list(_as_contact(cast.resident)) == []


def test_the_audit_trail_logs_the_party_and_contact_phones_masked(cast, tree, dispute):  # noqa: F811
    party = dispute.parties.get(name="王五")
    partner = _partner(cast, tree)
    for record, field in ((party, "phone"), (partner, "contact_phone")):
        entry = LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.CREATE).get()
        assert NUMBER not in str(entry.changes) and "13800001111" not in str(entry.changes)
        assert entry.changes[field][1] in (MASKED, "138****1111")
        assert "contact_phone_hash" not in entry.changes


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_plain_rows_and_reverses(tree, cast):
    """The data step of accounts/0008, lawgov/0009, cogov/0007 on a row written in plain text, as before."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote('accounts_user')} SET phone = %s, phone_hash = '' WHERE id = %s",
            [NUMBER, cast.resident.pk],
        )
    with connection.schema_editor() as editor:
        encrypt_column("accounts_user", "phone", "phone_hash")(None, editor)
        encrypt_column("accounts_user", "phone", "phone_hash")(None, editor)  # again: nothing twice
    assert NUMBER not in raw(User, "phone", cast.resident.pk)
    again = User.objects.get(pk=cast.resident.pk)
    assert again.phone == NUMBER
    assert User.objects.filter(phone_hash=again.phone_hash).get() == again and again.phone_hash
    with connection.schema_editor() as editor:
        decrypt_column("accounts_user", "phone")(None, editor)
    assert raw(User, "phone", cast.resident.pk) == NUMBER
