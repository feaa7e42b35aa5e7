"""Households (户): kept by the community workers of their area. A person belongs to at most one household;
the database refuses a second membership."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Level
from grassroots.voting.models import Household, HouseholdMember

HOUSEHOLD_LEVELS = (Level.COURTYARD, Level.COMPOUND, Level.BUILDING, Level.GRID, Level.COMMUNITY)


def _require_manage(actor, area) -> None:
    if not has_perm(actor, "voting.manage", area):
        raise PermissionDenied(_("您无权维护该区域的户。"))


@transaction.atomic
def create_household(*, actor, area, name: str, members=()) -> Household:
    """A household at `area` (the residents' address, or a community/grid above it), with its first
    members if given (each as `add_member` checks them)."""
    _require_manage(actor, area)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写户名。")})
    if area.level not in HOUSEHOLD_LEVELS or area.retired:
        raise ValidationError({"area": _("户须登记在社区、网格、院落、小区或楼栋。")})
    if Household.objects.filter(area=area, name=name).exists():
        raise ValidationError({"name": _("该区域已有同名的户。")})
    household = Household.objects.create(area=area, name=name, created_by=actor)
    for user in members:
        add_member(actor=actor, household=household, user=user)
    return household


@transaction.atomic
def add_member(*, actor, household: Household, user) -> HouseholdMember:
    _require_manage(actor, household.area)
    if user.home_area is None or not has_perm(actor, "voting.manage", user.home_area):
        raise ValidationError({"user": _("该居民不住在您管辖的区域。")})
    try:
        with transaction.atomic():
            return HouseholdMember.objects.create(household=household, user=user)
    except IntegrityError as exc:
        raise ValidationError({"user": _("该居民已属于一户，请先从原户移出。")}, code="member") from exc


@transaction.atomic
def remove_member(*, actor, household: Household, user) -> None:
    _require_manage(actor, household.area)
    if not HouseholdMember.objects.filter(household=household, user=user).delete()[0]:
        raise ValidationError({"user": _("该居民不是本户成员。")})


def start_import(*, file, actor):
    """Record an uploaded households workbook and run it through the import runner (inline when small, else
    in the background): all rows or none (transfer/importer.py, docs/imports.md). Returns the ImportJob."""
    from grassroots.imports.runner import start_import as start_job

    return start_job(kind="households", file=file, actor=actor)
