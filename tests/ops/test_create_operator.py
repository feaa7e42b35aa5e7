"""`manage.py create_operator`: the first deployment's only shell step (the operator on the city); the
operator then works on the web."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from grassroots.access.scoping import is_operator
from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role

PASSWORD = "operator-Pass-2026"


def test_create_operator_on_the_city(tree, monkeypatch):
    monkeypatch.setenv("GRASSROOTS_OPERATOR_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("create_operator", "op", "--area", "511800", "--full-name", "运维", stdout=out)
    user = User.objects.get(username="op")
    assert is_operator(user) and user.full_name == "运维" and user.check_password(PASSWORD)
    assert RoleGrant.objects.get(user=user).area == tree.city
    assert "now holds the system admin role on 雅安市" in out.getvalue()
    client = Client()
    assert client.post("/accounts/login/", {"username": "op", "password": PASSWORD}).status_code == 302
    assert "新建市" in client.get("/areas/").content.decode()
    # again: nothing new, the password untouched
    monkeypatch.setenv("GRASSROOTS_OPERATOR_PASSWORD", "another-Pass-2026")
    call_command("create_operator", "op", stdout=out)  # the only root is the default
    assert RoleGrant.objects.filter(user=user).count() == 1
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_refusals(tree, monkeypatch):
    monkeypatch.setenv("GRASSROOTS_OPERATOR_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="no root area"):
        call_command("create_operator", "op", "--area", "511802")  # a county is not a root
    monkeypatch.setenv("GRASSROOTS_OPERATOR_PASSWORD", "12345678")
    with pytest.raises(CommandError):
        call_command("create_operator", "op", "--area", "511800")  # a weak password
    assert not User.objects.filter(username="op").exists()
    assert not RoleGrant.objects.filter(role=Role.SYSTEM_ADMIN, user__username="op").exists()
