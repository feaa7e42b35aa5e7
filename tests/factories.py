"""Small builders for test data. Real rows in a real database; no mocks."""

from grassroots.accounts.models import RoleGrant, User
from grassroots.areas.models import Area, Level, PartyOrg

PASSWORD = "test-password-123"


def make_area(name: str, level: int, parent: Area | None = None, code: str | None = None) -> Area:
    fields = {"name": name, "level": level, "code": code}
    if parent is None:
        return Area.objects.add_root(fields)
    return Area.objects.add_child(parent, fields)


def make_user(username: str, role: str | None = None, area: Area | None = None, **fields) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=fields.pop("full_name", username), **fields
    )
    if role:
        RoleGrant.objects.create(user=user, role=role, area=area)
    return user


def make_party_org(name: str, area: Area, kind: str = "branch", parent: PartyOrg | None = None) -> PartyOrg:
    return PartyOrg.objects.create(name=name, area=area, kind=kind, parent=parent)


__all__ = ["PASSWORD", "Level", "make_area", "make_party_org", "make_user"]


def api_token(user) -> str:
    """A fresh API token's key for `user` (the header `Authorization: Token <key>`)."""
    from grassroots.accounts.services.tokens import issue_token

    return issue_token(user=user)[1]
