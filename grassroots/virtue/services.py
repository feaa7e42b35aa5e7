"""Actions of cultivation by virtue (一化). Keyword-only and atomic; refusals are ValidationErrors keyed by
field (Chinese messages), PermissionDenied naming the missing permission. Changes are audited (apps.py
`track`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Visibility
from grassroots.gatherings.services import authorized
from grassroots.virtue.kinds import WARNING
from grassroots.virtue.models import Venue, VenueKind, VenuePhoto, WarningEducation, WarningMode

VIEW, MANAGE = "virtue.view", "virtue.manage"
TEAM_LEVELS = (Level.STREET, Level.COMMUNITY)
VENUE_FIELDS = ("kind", "name", "area", "address", "latitude", "longitude", "description", "opened_on")


def _require(actor, area) -> None:
    if not has_perm(actor, MANAGE, area):
        raise PermissionDenied(missing_permission_message(MANAGE, area))


# --- warning education of the leadership teams ------------------------------------------------------------
def team_of(area: Area | None) -> Area | None:
    """The leadership team a warning education session held at `area` is for: the street or community itself,
    the community above a grid, courtyard, compound or building; None at a county or the city (no team).
    At most one query. The migration `0012_warning_team_stored` applies the same rule to the rows before."""
    if area is None or area.level < Level.STREET:
        return None
    if area.level in TEAM_LEVELS:
        return area
    return Area.objects.filter(path__in=ancestor_paths(area.path), level=Level.COMMUNITY).first()


@transaction.atomic
def record_warning_education(
    *,
    actor,
    team: Area | None = None,
    area: Area | None = None,
    mode: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    case_summary: str = "",
    attendees: Iterable = (),
) -> WarningEducation:
    """Warning education (警示教育) for the leadership team of a street or community (`team`, within the
    actor's grant): a gathering of kind 警示教育 held at `area` — the team's area (the default) or a place
    below it (a grid, a courtyard) — invited only: the team and those `attendees` named; by case teaching,
    testimony or on-site teaching. The team is always stored: omitted, it is the team of `area` (`team_of`:
    the community above a grid or courtyard; refused at `area` at a county or the city). Who attended is
    recorded on the gathering's attendance sheet; the members among them get their study record from it."""
    if not has_perm(actor, MANAGE):
        raise PermissionDenied(missing_permission_message(MANAGE))
    errors = {}
    if team is None and area is not None:
        team = team_of(area)
        if team is None:
            message = _("警示教育按街道、社区领导班子登记，请选择街道、社区或其下的区域。")
            raise ValidationError({"area": message})
    if area is None:
        area = team
    elif team is not None and not team.covers(area):
        errors["area"] = _("举办区域须在受教育班子所在的街道或社区内。")
    if team is None or not has_perm(actor, MANAGE, team):
        errors["team"] = _("只能为您管辖范围内的街道或社区班子登记警示教育。")
    elif team.level not in TEAM_LEVELS:
        errors["team"] = _("警示教育按街道、社区领导班子登记，请选择街道或社区。")
    elif team.retired:
        errors["team"] = _("该区域已撤销。")
    if mode not in WarningMode.values:
        errors["mode"] = _("请选择教育形式。")
    if errors:
        raise ValidationError(errors)
    # The kind has a form of its own (kinds.py, own_form): created here, with its team, through `authorized`
    # (virtue.manage on the team checked above); the general create refuses it.
    gathering = authorized.create_gathering(
        actor=actor,
        area=area,
        kind=WARNING,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        description=(case_summary or "").strip(),
        visibility=Visibility.INVITED,
    )
    education = WarningEducation.objects.create(
        gathering=gathering,
        team=team,
        mode=mode,
        case_summary=(case_summary or "").strip(),
        created_by=actor,
    )
    people = list(attendees)
    if people:
        try:
            gatherings.invite(actor=actor, gathering=gathering, users=people)
        except ValidationError as exc:  # the gathering's rule, at this form's field
            raise ValidationError({"attendees": exc.messages}) from exc
    return education


# --- integrity venues -------------------------------------------------------------------------------------
def _clean_venue(values: dict) -> dict:
    errors = {}
    area = values.get("area")
    if area is not None and area.retired:
        errors["area"] = _("该区域已撤销。")
    if values.get("kind") not in VenueKind.values:
        errors["kind"] = _("请选择阵地类型。")
    for field, message in (("name", _("请填写阵地名称。")), ("address", _("请填写阵地位置。"))):
        values[field] = (values.get(field) or "").strip()
        if not values[field]:
            errors[field] = message
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = _("经纬度请同时填写，或都不填。")
    if latitude is not None and not Decimal(-90) <= Decimal(latitude) <= Decimal(90):
        errors["latitude"] = _("纬度应在 -90 到 90 之间。")
    if longitude is not None and not Decimal(-180) <= Decimal(longitude) <= Decimal(180):
        errors["longitude"] = _("经度应在 -180 到 180 之间。")
    opened_on = values.get("opened_on")
    if opened_on is not None and opened_on > timezone.localdate():
        errors["opened_on"] = _("建成日期不能晚于今天。")
    values["description"] = (values.get("description") or "").strip()
    if errors:
        raise ValidationError(errors)
    return values


def _save_venue(venue: Venue) -> Venue:
    try:
        with transaction.atomic():
            venue.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("本区域已有同名的%(kind)s。") % {"kind": venue.get_kind_display()}}
        ) from None
    return venue


@transaction.atomic
def create_venue(
    *,
    actor,
    area: Area,
    kind: str,
    name: str,
    address: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    description: str = "",
    opened_on: date | None = None,
) -> Venue:
    """Register an integrity venue (廉政书屋, 警示教育栏, 廉洁文化墙) in an area of the actor's grant."""
    if not has_perm(actor, MANAGE):
        raise PermissionDenied(missing_permission_message(MANAGE))
    if area is None or not has_perm(actor, MANAGE, area):
        raise ValidationError({"area": _("只能登记您管辖范围内的阵地。")})
    values = _clean_venue(
        {
            "area": area,
            "kind": kind,
            "name": name,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
            "description": description,
            "opened_on": opened_on,
        }
    )
    return _save_venue(Venue(**values, created_by=actor))


@transaction.atomic
def update_venue(*, actor, venue: Venue, **changes) -> Venue:
    """Change a venue's fields (VENUE_FIELDS): manage on its area, and on the new area when it moves."""
    unknown = set(changes) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"update_venue() cannot change {sorted(unknown)}")
    venue = Venue.objects.select_for_update().select_related("area").get(pk=venue.pk)
    _require(actor, venue.area)
    values = {field: changes.get(field, getattr(venue, field)) for field in VENUE_FIELDS}
    if values["area"] is None or not has_perm(actor, MANAGE, values["area"]):
        raise ValidationError({"area": _("只能登记您管辖范围内的阵地。")})
    for field, value in _clean_venue(values).items():
        setattr(venue, field, value)
    return _save_venue(venue)


MAX_PHOTOS = 20


@transaction.atomic
def add_venue_photo(*, actor, venue: Venue, image: UploadedFile, caption: str = "") -> VenuePhoto:
    """A photo of the venue: checked by its content and re-encoded (files.checks, as gatherings' photos)."""
    venue = Venue.objects.select_for_update().select_related("area").get(pk=venue.pk)
    _require(actor, venue.area)
    if venue.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": _("每个阵地最多 %(count)d 张照片。") % {"count": MAX_PHOTOS}})
    image = gatherings.clean_image(image)
    photo = VenuePhoto(venue=venue, caption=(caption or "").strip()[:200], uploaded_by=actor)
    photo.image.save(image.name, image, save=False)
    photo.save()
    return photo


@transaction.atomic
def remove_venue_photo(*, actor, photo: VenuePhoto) -> None:
    """Remove a photo (its file is deleted once the removal is committed)."""
    photo = VenuePhoto.objects.select_for_update().select_related("venue__area").get(pk=photo.pk)
    _require(actor, photo.venue.area)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
