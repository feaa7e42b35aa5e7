"""Key rotation of the encrypted personal data: `manage.py reencrypt_personal_data` rewrites members' ID and
phone numbers under the new first key, so that the old key can be removed afterwards."""

import pytest
from django.core.management import CommandError, call_command

from grassroots.core.members.management.commands.reencrypt_personal_data import encrypted_models, forget_keys
from grassroots.core.members.models import Member
from tests.members.fixtures_precisions import *  # noqa: F403


def rekey(settings, *, secret: str, fallbacks: list[str], salts: list[str] | None = None) -> None:
    settings.SECRET_KEY = secret
    settings.SECRET_KEY_FALLBACKS = fallbacks
    if salts is not None:
        settings.SALT_KEY = salts
    for _model, fields in encrypted_models():
        forget_keys(fields)


@pytest.fixture(autouse=True)
def restore_keys():
    yield
    for _model, fields in encrypted_models():  # settings are restored by now; the fields' caches are not
        forget_keys(fields)


def test_the_fields_found_are_every_persons_numbers():
    from grassroots.accounts.models import ResidentVerification, User
    from grassroots.cogov.models import Partner
    from grassroots.lawgov.models_disputes import DisputeParty

    found = {model: [f.name for f in fields] for model, fields in encrypted_models()}
    assert found[Member] == ["id_number", "phone"]
    assert found[User] == ["phone"] and found[ResidentVerification] == ["phone"]
    assert found[DisputeParty] == ["phone"] and found[Partner] == ["contact_phone"]


def test_rotating_the_key_rewrites_the_accounts_phones(settings, cast):
    from grassroots.accounts.models import User

    old = settings.SECRET_KEY
    cast.resident.phone = "13812345678"
    cast.resident.save()
    rekey(settings, secret="new-" + "s" * 50, fallbacks=[old])
    with pytest.raises(CommandError, match="1 row"):
        call_command("reencrypt_personal_data", "--check")
    call_command("reencrypt_personal_data")
    rekey(settings, secret="new-" + "s" * 50, fallbacks=[])  # the old key removed
    again = User.objects.get(pk=cast.resident.pk)
    assert again.phone == "13812345678"
    assert User.objects.filter(phone_hash=again.phone_hash).count() == 1  # the hash does not change


def test_rotating_the_secret_key(settings, make_member):
    old = settings.SECRET_KEY
    member = make_member("张三", phone="13812345678")
    number = member.id_number

    rekey(settings, secret="new-" + "s" * 50, fallbacks=[old])
    with pytest.raises(CommandError, match="1 row"):
        call_command("reencrypt_personal_data", "--check")
    call_command("reencrypt_personal_data")
    call_command("reencrypt_personal_data", "--check")  # nothing left under the old key

    rekey(settings, secret="new-" + "s" * 50, fallbacks=[])  # the old key removed
    again = Member.objects.get(pk=member.pk)
    assert (again.id_number, again.phone) == (number, "13812345678")


def test_without_the_command_the_old_key_cannot_be_removed(settings, make_member):
    old = settings.SECRET_KEY
    member = make_member("李四", phone="13900000000")
    rekey(settings, secret="new-" + "s" * 50, fallbacks=[])
    assert Member.objects.get(pk=member.pk).phone != "13900000000"  # unreadable: still the ciphertext
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("reencrypt_personal_data")  # refuses instead of encrypting the ciphertext
    rekey(settings, secret="new-" + "s" * 50, fallbacks=[old])
    assert Member.objects.get(pk=member.pk).phone == "13900000000"


def test_rotating_the_salt(settings, make_member):
    member = make_member("王五", phone="13700000000")
    rekey(settings, secret=settings.SECRET_KEY, fallbacks=[], salts=["new-salt", *settings.SALT_KEY])
    call_command("reencrypt_personal_data")
    rekey(settings, secret=settings.SECRET_KEY, fallbacks=[], salts=["new-salt"])
    assert Member.objects.get(pk=member.pk).phone == "13700000000"
