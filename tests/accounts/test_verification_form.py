"""The public registration form: every error in Chinese, under the field that caused it."""

import re

import pytest
from django.test import Client

from grassroots.accounts.models import ResidentVerification, User
from grassroots.areas.models import Area, Level
from tests.factories import make_area, make_user

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def addresses(tree):
    """Beside 一号院落: a compound and a building in 桥楼社区, a retired courtyard, 育才社区's courtyard."""
    compound = make_area("滨江小区", Level.COMPOUND, tree.grid_a)
    building = make_area("1栋", Level.BUILDING, compound)
    retired = make_area("旧院落", Level.COURTYARD, tree.grid_a)
    Area.objects.filter(pk=retired.pk).update(retired=True)
    courtyard_b = make_area("育才院落", Level.COURTYARD, tree.community_b)
    return compound, building, retired, courtyard_b


def valid(tree, **changes) -> dict:
    data = {
        "username": "wangxm",
        "full_name": "王小明",
        "phone": "13912345678",
        "community": tree.community_a.pk,
        "area": tree.courtyard_a.pk,
        "password1": "Qingjiang-2026!",
        "password2": "Qingjiang-2026!",
        "consent": "on",
    }
    data.update(changes)
    return data


def errors_after(tree, **changes) -> dict[str, list[str]]:
    response = Client().post("/accounts/register/", valid(tree, **changes))
    assert response.status_code == 200, "the form should have been refused"
    assert not ResidentVerification.objects.exists()
    errors = response.context["form"].errors
    html = response.content.decode()
    for field_errors in errors.values():
        for message in field_errors:
            assert CJK.search(message), f"not in Chinese: {message}"
    for field in errors:
        if field != "__all__":
            assert f'id="id_{field}_error"' in html  # shown under its own field (templates/forms/field.html)
    return errors


def test_a_valid_form_registers(tree):
    response = Client().post("/accounts/register/", valid(tree))
    assert response.status_code == 302
    assert User.objects.filter(username="wangxm", full_name="王小明").exists()


@pytest.mark.parametrize(
    "phone", ["12345678901", "1391234567", "139123456789", "23912345678", "1391234567a", ""]
)
def test_a_bad_phone_is_refused_at_the_phone(tree, phone):
    errors = errors_after(tree, phone=phone)
    assert list(errors) == ["phone"]
    if phone:
        assert errors["phone"] == ["请输入正确的手机号码：11 位数字，以 13–19 开头。"]


def test_passwords_that_differ_are_refused_at_the_second(tree):
    errors = errors_after(tree, password2="Something-else-9")
    assert list(errors) == ["password2"]


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123"])
def test_weak_passwords_are_refused_with_the_django_validators(tree, password):
    errors = errors_after(tree, password1=password, password2=password)
    assert list(errors) == ["password2"]


def test_a_taken_username_is_refused_at_the_username(tree):
    make_user("wangxm")
    assert list(errors_after(tree)) == ["username"]


def test_missing_fields_are_required(tree):
    errors = errors_after(tree, full_name="", community="", area="")
    assert set(errors) == {"full_name", "community", "area"}


def test_the_address_must_lie_in_the_chosen_community(tree, addresses):
    *_, courtyard_b = addresses
    errors = errors_after(tree, area=courtyard_b.pk)
    assert errors["area"] == ["请在所选社区中选择院落、小区或楼栋。"]


def test_a_grid_or_a_retired_courtyard_is_not_an_address(tree, addresses):
    _, _, retired, _ = addresses
    assert list(errors_after(tree, area=tree.grid_a.pk)) == ["area"]
    assert list(errors_after(tree, area=retired.pk)) == ["area"]
    assert list(errors_after(tree, community=tree.grid_a.pk)) == ["community", "area"]


def test_compounds_and_buildings_are_addresses(tree, addresses):
    compound, building, *_ = addresses
    assert Client().post("/accounts/register/", valid(tree, area=building.pk)).status_code == 302
    response = Client().post("/accounts/register/", valid(tree, username="li", area=compound.pk))
    assert response.status_code == 302


def test_the_page_offers_communities_grouped_by_street(tree, addresses):
    html = Client().get("/accounts/register/").content.decode()
    assert '<optgroup label="雨城区 青江街道">' in html
    assert '<optgroup label="雨城区 东城街道">' in html
    assert f'<option value="{tree.community_a.pk}">桥楼社区</option>' in html
    assert 'hx-get="/accounts/register/areas/"' in html


def test_the_address_options_of_a_community(tree, addresses):
    compound, building, retired, courtyard_b = addresses
    html = Client().get(f"/accounts/register/areas/?community={tree.community_a.pk}").content.decode()
    assert f'<option value="{tree.courtyard_a.pk}">第一网格 / 一号院落</option>' in html
    assert f'<option value="{building.pk}">第一网格 / 滨江小区 / 1栋</option>' in html
    assert f'value="{compound.pk}"' in html
    assert f'value="{retired.pk}"' not in html
    assert f'value="{courtyard_b.pk}"' not in html
    assert f'value="{tree.grid_a.pk}"' not in html
    empty = Client().get("/accounts/register/areas/?community=abc").content.decode()
    assert "请先选择社区" in empty


def test_after_an_error_the_chosen_community_keeps_its_addresses(tree):
    response = Client().post("/accounts/register/", valid(tree, phone="1"))
    assert (
        f'<option value="{tree.courtyard_a.pk}" selected>第一网格 / 一号院落</option>'
        in response.content.decode()
    )


def test_a_signed_in_user_is_sent_home(cast, client_for):
    response = client_for(cast.resident).get("/accounts/register/")
    assert response.status_code == 302
