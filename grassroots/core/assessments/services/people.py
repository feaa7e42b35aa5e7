"""Stationed agencies (派驻机构) and the street Party committee's review of their heads; residents' ratings of
the cadres and grid workers serving their grid (网格化干部考察延伸制)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.roles import FIELD_WORKERS, LINE_OFFICIALS
from grassroots.accounts.services.verification import require_verified
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths
from grassroots.core.assessments.models import AgencyHeadReview, GridRating, StationedAgency, grade_for
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.services._common import require
from grassroots.workflow.services import notify

REVIEW_AGENCY = "assessments.review_agency"
# Roles whose holders on a grid "serve" it and may be rated by its residents.
SERVING_ROLES = LINE_OFFICIALS | FIELD_WORKERS


# --- stationed agencies -------------------------------------------------------------------------------------
def _check_agency(street: Area, name: str) -> None:
    errors = {}
    if street.level != Level.STREET or street.retired:
        errors["street"] = _("派驻机构须驻在一个街道（乡镇）。")
    if not (name or "").strip():
        errors["name"] = _("请填写机构名称。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_agency(*, actor, street: Area, name: str, department: str = "", head=None) -> StationedAgency:
    require(actor, MANAGE, street, _("您没有权限登记该街道的派驻机构。"))
    _check_agency(street, name)
    agency = StationedAgency(
        street=street, name=name.strip(), department=(department or "").strip(), head=head
    )
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("该街道已有同名派驻机构。")}) from exc
    return agency


@transaction.atomic
def update_agency(
    *, actor, agency: StationedAgency, name: str, department: str = "", head=None, active: bool = True
) -> StationedAgency:
    require(actor, MANAGE, agency.street, _("您没有权限修改该派驻机构。"))
    _check_agency(agency.street, name)
    agency.name, agency.department, agency.head, agency.active = name.strip(), department or "", head, active
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("该街道已有同名派驻机构。")}) from exc
    return agency


@transaction.atomic
def review_agency_head(
    *, actor, agency: StationedAgency, year: int, score, comments: str
) -> AgencyHeadReview:
    """The street Party committee reviews the agency's current head for `year` (again: the review is
    changed). The head is notified; the review shows in their personnel assessment."""
    require(actor, REVIEW_AGENCY, agency.street, _("只有街道党工委可以考评派驻机构负责人。"))
    errors = {}
    if agency.head_id is None:
        errors["__all__"] = _("该派驻机构尚未登记负责人。")
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors["score"] = _("请输入 0–100 之间的分数。")
    else:
        if not Decimal(0) <= value <= Decimal(100):
            errors["score"] = _("请输入 0–100 之间的分数。")
    if not (comments or "").strip():
        errors["comments"] = _("请填写考评意见。")
    if not 2000 <= int(year) <= 2100:
        errors["year"] = _("请输入正确的年度。")
    if errors:
        raise ValidationError(errors)
    review, _created = AgencyHeadReview.objects.update_or_create(
        agency=agency,
        head_id=agency.head_id,
        year=year,
        defaults={
            "score": value,
            "grade": grade_for(value),
            "comments": comments.strip(),
            "reviewed_by": actor,
        },
    )
    notify(
        recipients=[agency.head_id],
        verb=_("街道党工委已完成对您 %(year)s 年度的考评（%(agency)s）。")
        % {"year": year, "agency": agency.name},
        target=review,
        url=agency.get_absolute_url(),
    )
    return review


# --- residents' ratings of grid cadres ----------------------------------------------------------------------
def home_grid(user) -> Area | None:
    """The grid the user lives in (the grid above their home courtyard, compound or building)."""
    home = getattr(user, "home_area", None)
    if home is None or home.retired:
        return None
    if home.level == Level.GRID:
        return home
    paths = ancestor_paths(home.path, include_self=False)
    return Area.objects.filter(path__in=paths, level=Level.GRID, retired=False).order_by("-depth").first()


def serving_workers(grid: Area):
    """Active users holding a working role on the grid itself: those residents of the grid may rate."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True, grants__area=grid, grants__role__in=SERVING_ROLES, grants__area__retired=False
        )
        .distinct()
        .order_by("full_name", "username")
    )


@transaction.atomic
def rate_worker(*, resident, worker, score: int, comment: str = "", year: int | None = None) -> GridRating:
    """A verified resident rates a cadre or grid worker serving their grid (1–5), once per year: rating
    again changes the rating."""
    require_verified(resident)
    grid = home_grid(resident)
    if grid is None:
        raise PermissionDenied(_("您的居住地址不在任何网格内，不能评价网格干部。"))
    if worker is None or worker.pk == resident.pk or not serving_workers(grid).filter(pk=worker.pk).exists():
        raise ValidationError({"worker": _("只能评价为您所在网格服务的干部和网格员。")})
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"score": _("请选择 1–5 星。")})
    year = year or timezone.localdate().year
    rating, _created = GridRating.objects.update_or_create(
        resident=resident,
        worker=worker,
        year=year,
        defaults={"grid": grid, "score": value, "comment": (comment or "").strip()[:500]},
    )
    return rating
