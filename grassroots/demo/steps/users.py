"""Step `users`: one demo account per role, at real places of 雅安市, all with `is_demo=True` and the password
`settings.DEMO_PASSWORD` (refused by the login backend when DEBUG is off). `admin` is also a Django superuser
for /django-admin/."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.areas.models import PartyOrg
from grassroots.demo.registry import SeedContext, seed_step


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    place: str  # a key of SeedContext.places: city, county, street, community, grid
    full_name: str
    lives_at_home: bool = False  # home_area = places["home"], real-name verified


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("city", Role.CITY_OFFICIAL, "city", "陈志远"),
    DemoAccount("county", Role.COUNTY_OFFICIAL, "county", "李建华"),
    DemoAccount("street", Role.STREET_OFFICIAL, "street", "王丽"),
    DemoAccount("secretary", Role.COMMUNITY_SECRETARY, "community", "张秀英"),
    DemoAccount("worker", Role.COMMUNITY_WORKER, "community", "刘洋"),
    DemoAccount("grid", Role.GRID_WORKER, "grid", "杨帆"),
    DemoAccount("resident", Role.RESIDENT, "community", "赵桂兰", lives_at_home=True),
    DemoAccount("member", Role.MEMBER, "community", "周国庆", lives_at_home=True),
    # A grid branch's secretary (党支部书记, PartyOrg.secretary; members' demo makes them so): a Party member
    # without a working role, who leads their branch (书记工作台, 党员档案, 组织生活 of the branch).
    DemoAccount("branch", Role.MEMBER, "community", "郑文华", lives_at_home=True),
    DemoAccount("partner", Role.PARTNER_REP, "community", "吴晓东"),
    DemoAccount("mediator", Role.MEDIATOR, "street", "徐德明"),
    DemoAccount("lawyer", Role.LEGAL_WORKER, "community", "孙文静"),
    DemoAccount("auditor", Role.AUDITOR, "city", "马思远"),
    DemoAccount("admin", Role.SYSTEM_ADMIN, "city", "朱磊"),
)


def demo_accounts() -> list[DemoAccount]:
    """The table above, plus `demo_<role>` on the community for any role added to roles.py later."""
    covered = {a.role for a in DEMO_ACCOUNTS}
    extra = [
        DemoAccount(f"demo_{r}", r, "community", f"演示{Role(r).label}") for r in Role if r not in covered
    ]
    return [*DEMO_ACCOUNTS, *extra]


@seed_step(order=30)
def users(ctx: SeedContext) -> None:
    home = ctx.places.get("home")
    existing = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in demo_accounts()])
    }
    for account in demo_accounts():
        area = ctx.places.get(account.place) or ctx.city
        user = existing.get(account.username)
        if user is not None and not user.is_demo:
            ctx.log(f"  {account.username!r} is a real account: left alone, no demo account under that name")
            continue
        if user is None:
            user = User(
                username=account.username,
                full_name=account.full_name,
                password=ctx.password_hash,
                is_demo=True,
                is_staff=account.role == Role.SYSTEM_ADMIN,
                is_superuser=account.role == Role.SYSTEM_ADMIN,
            )
            if account.lives_at_home and home is not None:
                user.home_area = home
                user.verified_at = timezone.now()
            user.save()
        RoleGrant.objects.get_or_create(user=user, role=account.role, area=area)
        ctx.users[account.username] = user

    secretary = ctx.users.get("secretary")
    community = ctx.places.get("community")
    if secretary and community:
        PartyOrg.objects.filter(area=community, parent__area=ctx.places.get("street"), secretary=None).update(
            secretary=secretary
        )
