import pytest
from django.core.exceptions import ValidationError

from grassroots.core.members.identity import (
    birth_date_from_id,
    gender_from_id,
    id_check_digit,
    lookup_hash,
    mask_id_number,
    mask_phone,
    validate_id_number,
)


def ya_an_id(serial: str = "12345", birth: str = "19800101") -> str:
    first17 = "511802" + birth + serial[:3]
    return first17 + id_check_digit(first17)


def test_a_published_sample_number_is_valid():
    validate_id_number("11010519491231002X")
    validate_id_number("11010519491231002x")  # lower-case x is accepted and normalised


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "format"),
        ("1101051949123100XX", "format"),
        ("110105194913310029", "birth_date"),
        ("110105194912310021", "check_digit"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(number)
    assert info.value.code == code


def test_birth_date_and_gender_come_from_the_number():
    number = ya_an_id("123", "19451001")
    assert str(birth_date_from_id(number)) == "1945-10-01"
    assert gender_from_id(number) == "male"  # 17th digit 3 is odd


def test_masks_keep_only_the_ends():
    number = ya_an_id()
    assert mask_id_number(number) == number[:4] + "*" * 10 + number[-4:]
    assert mask_phone("13812345678") == "138****5678"


def test_lookup_hash_is_keyed_and_case_insensitive(settings):
    number = "11010519491231002X"
    assert lookup_hash(number) == lookup_hash(number.lower())
    before = lookup_hash(number)
    settings.PERSONAL_DATA_HASH_KEY = "another-key"
    assert lookup_hash(number) != before
