"""National ID numbers (GB 11643-1999) and phone numbers: validation, keyed hashing for lookup, masking.

The number itself is stored encrypted (django-fernet-encrypted-fields, keys from SECRET_KEY and SALT_KEY with
their fallbacks); a keyed HMAC of it finds duplicates and lookups without decrypting anything.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.pii import (  # the one masking rule, kept importable from here  # noqa: F401
    mask_id_number,
    mask_phone,
    normalize_id_number,
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    """Raise ValidationError unless `value` is an 18-character ID number with a valid date and check digit."""
    number = normalize_id_number(value)
    if not _ID_RE.match(number):
        raise ValidationError(_("身份证号应为18位，前17位为数字，末位为数字或X。"), code="format")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="birth_date") from exc
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="check_digit")


def birth_date_from_id(value: str) -> date:
    number = normalize_id_number(value)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(value: str) -> str:
    """ "male" or "female" from the 17th digit (odd: male)."""
    return "male" if int(normalize_id_number(value)[16]) % 2 else "female"


def validate_mobile(value: str) -> None:
    if value and not _MOBILE_RE.match(value.strip()):
        raise ValidationError(_("请输入11位手机号码，如 13812345678。"), code="phone")


def lookup_hash(value: str) -> str:
    """The keyed hash that finds a record by its ID number without decrypting (HMAC-SHA256)."""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, normalize_id_number(value).encode(), hashlib.sha256).hexdigest()
