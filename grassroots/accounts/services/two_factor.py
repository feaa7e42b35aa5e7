"""TOTP two-factor login for officials (django-otp): who must confirm a code, enrolment of an authenticator
app with one-time backup codes, and verification of a code."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.audit.models import AuditEvent
from grassroots.audit.services import record_access

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


def needs_two_factor(user) -> bool:
    """Must this signed-in user confirm a one-time code before using the platform? Officials (and Django
    admin users) when REQUIRE_OFFICIAL_2FA is on; residents and other non-official roles never."""
    if not getattr(settings, "REQUIRE_OFFICIAL_2FA", False):
        return False
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_official or user.is_staff or user.is_superuser)


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_totp_device(*, user) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call; the same secret until confirmed)."""
    with transaction.atomic():
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def normalize(token: str) -> str:
    """Codes are accepted with spaces or dashes as typed from the app or the printed backup list."""
    return token.strip().replace(" ", "").replace("-", "").lower()


@dataclass
class Verification:
    device: object | None
    locked: bool = False


def _verify(device, token: str) -> Verification:
    with transaction.atomic():
        locked_device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _info = locked_device.verify_is_allowed()
        if not allowed:
            return Verification(device=None, locked=True)
        if locked_device.verify_token(token):
            return Verification(device=locked_device)
    return Verification(device=None)


def confirm_enrolment(*, request, device: TOTPDevice, token: str) -> tuple[Verification, list[str]]:
    """Check the first code from the authenticator app; on success confirm the device, issue fresh backup
    codes (returned once, never shown again), and mark this session as verified."""
    user = request.user
    result = _verify(device, normalize(token))
    if result.device is None:
        record_access(kind=AuditEvent.Kind.OTP_FAILED, user=user, request=request)
        return result, []
    with transaction.atomic():
        device = result.device
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _issue_backup_codes(user)
        record_access(kind=AuditEvent.Kind.OTP_ENROLLED, user=user, request=request)
    django_otp.login(request, device)
    return result, codes


def _issue_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify_code(*, request, token: str) -> Verification:
    """Check a code from the authenticator app, or one backup code (used up), against the user's confirmed
    devices; on success mark this session as verified."""
    user = request.user
    token = normalize(token)
    locked = False
    if token.isdigit():
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"))
    else:
        devices = list(StaticDevice.objects.devices_for_user(user, confirmed=True))
    for device in devices:
        result = _verify(device, token)
        if result.device is not None:
            django_otp.login(request, result.device)
            return result
        locked = locked or result.locked
    record_access(kind=AuditEvent.Kind.OTP_FAILED, user=user, request=request)
    return Verification(device=None, locked=locked)
