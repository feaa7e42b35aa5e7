"""Running seed_demo: idempotence, reproducibility, --if-empty, refusal when DEBUG is off."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from grassroots.accounts.models import RoleGrant, User
from grassroots.areas.models import Area, Level, PartyOrg
from tests.demo.conftest import foundation_steps_only


def counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "party_orgs": PartyOrg.objects.count(),
        "users": User.objects.count(),
        "grants": RoleGrant.objects.count(),
    }


def test_running_twice_adds_nothing(seed_demo):
    seed_demo()
    first = counts()
    output = seed_demo()
    assert counts() == first
    assert "exists" in output


def test_every_registered_step_is_idempotent(seed_demo):
    """The whole demo, every app's steps included (what `make run` loads): a second run adds nothing."""
    output = seed_demo(all_steps=True)
    assert "Demo data ready" in output
    first = counts()
    seed_demo(all_steps=True)
    assert counts() == first


def test_if_empty_does_nothing_when_any_area_exists(seed_demo):
    Area.objects.add_root({"name": "某市", "level": Level.CITY})
    output = seed_demo(if_empty=True)
    assert "not loaded" in output
    assert counts()["areas"] == 1
    assert not User.objects.filter(is_demo=True).exists()


def test_if_empty_loads_an_empty_database(seed_demo):
    seed_demo(if_empty=True)
    assert Area.objects.filter(code="511800").exists()


class Rollback(Exception):
    pass


def snapshot(seed_demo, seed: int) -> tuple[list, list, list]:
    """Seed, read every name, and roll the database back to empty."""
    with pytest.raises(Rollback), transaction.atomic():
        seed_demo(seed=seed)
        areas = list(Area.objects.order_by("path").values_list("path", "name", "level", "code"))
        orgs = list(PartyOrg.objects.order_by("area__path", "name").values_list("area__path", "name", "kind"))
        people = list(
            User.objects.order_by("username").values_list("username", "full_name", "home_area__path")
        )
        raise Rollback
    assert not Area.objects.exists()
    return areas, orgs, people


def test_same_seed_same_names_other_seed_other_names(seed_demo):
    first = snapshot(seed_demo, 1)
    again = snapshot(seed_demo, 1)
    other = snapshot(seed_demo, 2)
    assert first == again
    assert first[0] != other[0]
    assert first[2] != other[2]
    # The real rows are the same whatever the seed; only the generated ones differ.
    real = [row for row in first[0] if row[3]]
    assert real == [row for row in other[0] if row[3]]


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", tier="S")
    assert not Area.objects.exists()


def test_force_seeds_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with foundation_steps_only():
        call_command("seed_demo", tier="S", force=True, stdout=StringIO())
    assert User.objects.filter(is_demo=True).count() > 13


def test_a_real_account_with_a_demo_username_is_left_alone(seed_demo):
    real = User.objects.create_user(username="city", password="a-real-password-1")
    seed_demo()
    real.refresh_from_db()
    assert not real.is_demo
    assert not real.grants.exists()
    assert real.check_password("a-real-password-1")
