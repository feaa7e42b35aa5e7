"""Opinions: a verified resident submits one (online or as a quick report on the phone), a grid worker records
what they heard on their rounds on behalf of a resident, residents support others' opinions (one support per
resident, unique in the database), and the community's staff group opinions into a matter or reject one with
a reason the submitter sees. An opinion whose supports reach the community's threshold is put before the
staff by itself (its worklist) and they are notified once."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, role_paths
from grassroots.accounts.models import User
from grassroots.accounts.roles import COMMUNITY_STAFF, Role
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under, under_q
from grassroots.files.checks import IMAGES, check_upload
from grassroots.portal.submissions import create_once
from grassroots.selfgov import selectors
from grassroots.selfgov.models import (
    Category,
    Channel,
    Matter,
    MatterState,
    Opinion,
    OpinionPhoto,
    OpinionState,
    Support,
)
from grassroots.workflow.services import TransitionRefused, notify, start, transition

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def require_resident(user) -> None:
    """Opinions and supports are for real-name verified residents with a home in a community."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if not user.identity_verified:
        raise PermissionDenied(_("您尚未通过社区的实名核验，暂时不能提出或附议意见。"))
    if selectors.home_community(user) is None:
        raise PermissionDenied(_("您尚未登记居住的社区，不能提出或附议意见。"))


def _photos(photos: Iterable[UploadedFile]) -> list:
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}})
    checked = []
    for photo in photos:
        try:
            checked.append(check_upload(photo, allowed=IMAGES, max_bytes=MAX_PHOTO_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages[0]}) from exc
    return checked


def _create(
    *, author, recorded_by, area, channel, category, text, place, latitude, longitude, photos, submission=""
):
    community = selectors.community_of(area)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("请填写意见内容。")
    if category not in Category.values:
        errors["category"] = _("请选择类别。")
    if community is None or area.retired:
        errors["area"] = _("请选择所在社区内的院落或地点。")
    for name, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if value is not None and not -bound <= Decimal(str(value)) <= bound:
            errors[name] = _("坐标超出范围。")
    if errors:
        raise ValidationError(errors)
    checked = _photos(photos)
    opinion = Opinion(
        community=community,
        area=area,
        author=author,
        recorded_by=recorded_by,
        channel=channel,
        category=category,
        text=text.strip(),
        place=(place or "").strip(),
        latitude=latitude,
        longitude=longitude,
    )
    opinion.full_clean(exclude=["matter"])

    def create(token: str) -> Opinion:
        opinion.submission = token
        opinion.save()
        for photo in checked:
            item = OpinionPhoto(opinion=opinion)
            item.image.save(photo.name, photo, save=False)
            item.save()
        start(opinion, actor=recorded_by or author)
        return opinion

    # the form's token: the same form posted again (a double click) gives the opinion it made
    return create_once(Opinion, submission=submission, create=create, author=author)


@transaction.atomic
def submit_opinion(
    *,
    author,
    category: str,
    text: str,
    area: Area | None = None,
    place: str = "",
    latitude=None,
    longitude=None,
    photos: Iterable[UploadedFile] = (),
    quick: bool = False,
    submission: str = "",
) -> Opinion:
    """A verified resident's opinion about their courtyard (by default their home) or another place of their
    community. `quick`: a quick report on the phone (photo, place on the map, category)."""
    require_resident(author)
    area = area or author.home_area
    community = selectors.home_community(author)
    if area is not None and not lies_under(area.path, community.path):
        raise ValidationError({"area": _("只能对本社区内的院落或地点提出意见。")})
    if quick and not any(photos):
        # at `photo`, the field of the page's form and of the API: under "photos" the page showed the refusal
        # above the form, away from the field, and the journey took the form shown again for a success
        raise ValidationError({"photo": _("随手拍请至少上传一张照片。")})
    return _create(
        author=author,
        recorded_by=None,
        area=area,
        channel=Channel.QUICK_REPORT if quick else Channel.ONLINE,
        category=category,
        text=text,
        place=place,
        latitude=latitude,
        longitude=longitude,
        photos=photos,
        submission=submission,
    )


@transaction.atomic
def record_opinion(
    *,
    actor,
    resident: User,
    category: str,
    text: str,
    area: Area | None = None,
    place: str = "",
    photos: Iterable[UploadedFile] = (),
    submission: str = "",
) -> Opinion:
    """A grid worker (or community staff) records what a resident told them on their rounds, on the
    resident's behalf. The resident must live in the worker's area."""
    if not has_perm(actor, "selfgov.record"):
        raise PermissionDenied(_("您无权代居民登记意见。"))
    home = resident.home_area
    if home is None or not has_perm(actor, "selfgov.record", home):
        raise ValidationError({"resident": _("只能代您负责区域内的居民登记意见。")})
    area = area or home
    if not has_perm(actor, "selfgov.record", area):
        raise ValidationError({"area": _("只能登记您负责区域内的意见。")})
    return _create(
        author=resident,
        recorded_by=actor,
        area=area,
        channel=Channel.ROUNDS,
        category=category,
        text=text,
        place=place,
        latitude=None,
        longitude=None,
        photos=photos,
        submission=submission,
    )


def staff_of(community: Area) -> list[int]:
    """The community's workers and secretary (those notified when an opinion reaches the threshold)."""
    from grassroots.accounts.models import RoleGrant

    return list(
        RoleGrant.objects.filter(area=community, role__in=COMMUNITY_STAFF, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def support_opinion(*, user, opinion: Opinion, now=None) -> Opinion:
    """Support another resident's opinion of one's own community, once. Concurrent requests of one person
    make one support (the unique constraint decides); the count and the threshold are updated in the
    database, so no support is lost. Reaching the threshold puts the opinion before the staff."""
    require_resident(user)
    if selectors.home_community(user).pk != opinion.community_id:
        raise PermissionDenied(_("只能附议本社区居民的意见。"))
    if opinion.author_id == user.pk:
        raise ValidationError(_("不能附议自己提出的意见。"))
    if opinion.state != OpinionState.SUBMITTED:
        raise ValidationError(_("该意见已处理，不能再附议。"))
    threshold = selectors.support_threshold(opinion.community)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            Support.objects.create(opinion=opinion, user=user, created_at=now)
            Opinion.objects.filter(pk=opinion.pk).update(support_count=F("support_count") + 1)
            reached = Opinion.objects.filter(
                pk=opinion.pk, threshold_reached_at__isnull=True, support_count__gte=threshold
            ).update(threshold_reached_at=now)
            if reached:
                notify(
                    recipients=staff_of(opinion.community),
                    verb=_("居民意见附议达到门槛，请处理：%(text)s") % {"text": opinion.text[:40]},
                    target=opinion,
                    url=opinion.get_absolute_url(),
                )
    except IntegrityError as exc:
        raise ValidationError(_("您已附议过该意见。"), code="duplicate") from exc
    opinion.refresh_from_db(fields=["support_count", "threshold_reached_at"])
    return opinion


@transaction.atomic
def group_opinions(*, actor, opinions: Iterable[Opinion], matter: Matter) -> list[Opinion]:
    """Put opinions of the matter's community into the matter (each: submitted → grouped)."""
    done = []
    if matter.state != MatterState.COLLECTION:
        raise ValidationError({"matter": _("只能归入意见征集中的事项。")})
    for opinion in opinions:
        if opinion.community_id != matter.community_id:
            raise ValidationError({"matter": _("只能归入本社区的事项。")})
        opinion.matter = matter
        try:
            transition(opinion, "group", actor=actor)
        except TransitionRefused as refused:
            if refused.code == "permission":
                raise PermissionDenied(refused.message) from refused
            raise ValidationError({"matter": refused.message}) from refused
        done.append(opinion)
    return done


def reject_opinion(*, actor, opinion: Opinion, reason: str) -> Opinion:
    """Reject an opinion with a reason the submitter sees (submitted → rejected)."""
    transition(opinion, "reject", actor=actor, comment=reason)
    return opinion


def recordable_areas(user):
    """The areas a grid worker or staff member may record opinions for (their grids and below)."""
    paths = role_paths(user, {Role.GRID_WORKER, *COMMUNITY_STAFF})
    return Area.objects.filter(under_q(paths, "path"), level__gte=Level.COMMUNITY, retired=False)
