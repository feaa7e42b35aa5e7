"""The accounts part's figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md):
the people registered in the subtree (by their home area) and those verified, and the staff holding a
working role there (by the grant's area, each person once). (Were counts of the officials' home of its own,
`portal.selectors.official_figures`, before the home became the dashboard.)"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, register


def _people(year, today):
    from grassroots.accounts.models import User

    return User.objects.filter(is_active=True)


def _staff(year, today):
    """The grants of a working role (the roles beyond residents', members' and partner representatives') of
    active accounts, counted as distinct people per line (`Count("user", distinct=True)`): a person with two
    roles in one area, or posts in two areas of one subtree, is one person there; a person working in two
    child areas is counted in each child's line, once in the total (grassroots/areas/rollup.py)."""
    from grassroots.accounts.models import RoleGrant
    from grassroots.accounts.roles import PUBLIC

    return RoleGrant.objects.exclude(role__in=PUBLIC).filter(user__is_active=True)


def register_figures() -> None:
    register(
        Definition(
            name="accounts.residents",
            label=_("登记居民"),
            unit=_("人"),
            definition=_("居住地在本区域及下级的在用账号，其中已通过实名核验的另列；现状数"),
            permission="accounts.view",
            part="accounts",
            rows=_people,
            counts=lambda year, today: {
                "total": Count("pk"),
                "verified": Count("pk", filter=Q(verified_at__isnull=False)),
            },
            value=count("total"),
            path_field="home_area__path",
            parts=(("total", _("登记")), ("verified", _("已实名核验"))),
            url="accounts:user_list",
        )
    )
    register(
        Definition(
            name="accounts.staff",
            label=_("工作人员"),
            unit=_("人"),
            definition=_(
                "在本区域及下级担任工作角色（居民、党员、共建单位代表以外）的在用账号，按人计："
                "同一人在本区域及下级任多个职务计一人；在两个下级区域任职的，"
                "在各下级区域各计一次，合计只计一人；现状数"
            ),
            permission="accounts.view",
            part="accounts",
            rows=_staff,
            counts=lambda year, today: {"staff": Count("user", distinct=True)},
            value=count("staff"),
            url="accounts:user_list",
        )
    )
