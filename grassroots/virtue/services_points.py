"""Points (积分) and the community points store (docs/virtue.md, "Points"). Keyword-only where an actor acts;
atomic; refusals are ValidationErrors with Chinese messages, PermissionDenied naming the missing permission.

Points are earned by real deeds only — attendance recorded present at a gathering (`earn_for_attendance`, the
gatherings' `attendance_recorded` signal), volunteer hours confirmed by the organizer
(`earn_for_service_hours`, on cogov's `ServiceHours` credit) and awards won (`award_points`, the hook other
parts call) — never for logins, page views, reading time, likes or shares. The points per deed are the
settings' `VIRTUE_POINTS_RULES`. Earning is idempotent per deed: the database keeps one live earning per
person, rule and source (`virtue_points_once_per_deed`). Nothing is changed or deleted: a correction is a
reversal, a new line pointing at the one it reverses, with the reason."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.models import User
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under
from grassroots.audit.services import record_change
from grassroots.gatherings import services as gatherings
from grassroots.portal.submissions import create_once
from grassroots.virtue.models_points import (
    Exchange,
    ExchangeState,
    PointsEntry,
    PointsRule,
    StockEntry,
    StockKind,
    StoreItem,
)

VIEW, MANAGE = "virtue.view", "virtue.manage"
EARNING_RULES = (PointsRule.ATTENDANCE, PointsRule.SERVICE_HOURS, PointsRule.AWARD)
ITEM_FIELDS = ("name", "description", "price", "active")  # what an edit changes; stock only by restock_item
STOCK_MAX = 1_000_000  # the most one good may hold (and one restock add): far below the column's limit


def rule_points(rule: str) -> int:
    """The points of one deed of `rule` (settings.VIRTUE_POINTS_RULES)."""
    return int(settings.VIRTUE_POINTS_RULES.get(rule, 0))


def balance(person) -> int:
    """A person's points: the sum of their ledger (one query)."""
    return PointsEntry.objects.filter(person=person).aggregate(total=Sum("points"))["total"] or 0


def _lock_person(person) -> None:
    """Serialise what changes one person's points (earnings, exchanges): lock their user row."""
    User.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()


def _label(source) -> str:
    return source._meta.label_lower


def live_earning(person, rule: str, source) -> PointsEntry | None:
    """The earning for this deed that no reversal cancels, if any."""
    return (
        PointsEntry.objects.filter(
            person=person,
            rule=rule,
            source_type=_label(source),
            source_id=source.pk,
            reverses__isnull=True,
            reversal__isnull=True,
        )
        .order_by("-occurrence")
        .first()
    )


def _earn(
    *, person, rule: str, source, points: int, area, reason: str, actor=None, now: datetime | None = None
) -> PointsEntry:
    """Add an earning once per deed: a live earning for the same deed is returned as it is. The person's row
    is locked first (as an exchange does), so concurrent earnings of one deed see each other; the database's
    unique constraint is the backstop."""
    _lock_person(person)
    existing = live_earning(person, rule, source)
    if existing is not None:
        return existing
    occurrence = PointsEntry.objects.filter(
        person=person, rule=rule, source_type=_label(source), source_id=source.pk, reverses__isnull=True
    ).count()
    entry = PointsEntry(
        person=person,
        area=area,
        rule=rule,
        points=points,
        source_type=_label(source),
        source_id=source.pk,
        occurrence=occurrence,
        reason=(reason or str(source))[:200],
        created_at=now or timezone.now(),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        existing = live_earning(person, rule, source)
        if existing is None:
            raise
        return existing
    return entry


def _reverse(entry: PointsEntry, *, reason: str, actor=None, now: datetime | None = None) -> PointsEntry:
    """A new line cancelling `entry` (the database keeps one reversal per line)."""
    reversal = PointsEntry(
        person_id=entry.person_id,
        area_id=entry.area_id,
        rule=entry.rule,
        points=-entry.points,
        source_type=entry.source_type,
        source_id=entry.source_id,
        occurrence=entry.occurrence,
        reverses=entry,
        reason=reason[:200],
        created_at=now or timezone.now(),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as exc:
        raise ValidationError(_("这条积分已冲销。"), code="reversed") from exc
    return reversal


@transaction.atomic
def award_points(
    person,
    rule: str,
    source,
    *,
    area: Area,
    reason: str,
    points: int | None = None,
    actor=None,
    now: datetime | None = None,
) -> PointsEntry:
    """The hook for other parts (e.g. a selection campaign's award): credit `person` for the deed `source`
    (a saved model instance: the award, the nomination …) in `area`. `points` defaults to the rule's
    setting. Idempotent per person, rule and source: calling it again returns the first line."""
    if rule not in EARNING_RULES:
        raise ValidationError({"rule": _("积分只能来自参加活动、志愿服务和评选获奖。")})
    points = rule_points(rule) if points is None else int(points)
    if points <= 0:
        raise ValidationError({"points": _("奖励积分必须大于零。")})
    if getattr(source, "pk", None) is None:
        raise ValidationError(_("积分必须来自一项已记录的事迹。"), code="no_source")
    return _earn(
        person=person, rule=rule, source=source, points=points, area=area, reason=reason, actor=actor, now=now
    )


@transaction.atomic
def revoke_points(person, rule: str, source, *, reason: str, actor=None, now=None) -> PointsEntry | None:
    """Reverse the live earning for a deed (the deed was withdrawn); None when there is none."""
    entry = live_earning(person, rule, source)
    if entry is None:
        return None
    return _reverse(entry, reason=reason, actor=actor, now=now)


@transaction.atomic
def reverse_entry(*, actor, entry: PointsEntry, reason: str, now: datetime | None = None) -> PointsEntry:
    """An official corrects a wrong earning: a reversal with the reason. Exchanges are undone by cancelling
    them (their points and stock go back), not here."""
    if not has_perm(actor, MANAGE, entry):
        raise PermissionDenied(missing_permission_message(MANAGE, entry.area))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")})
    if entry.reverses_id is not None:
        raise ValidationError(_("冲销记录不能再冲销。"), code="is_reversal")
    if entry.rule == PointsRule.EXCHANGE:
        raise ValidationError(_("兑换的积分请通过取消兑换退回。"), code="exchange")
    if PointsEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("这条积分已冲销。"), code="reversed")
    return _reverse(entry, reason=reason, actor=actor, now=now)


# --- the deeds ----------------------------------------------------------------------------------------
def earn_for_attendance(*, gathering, user, present: bool, previous) -> PointsEntry | None:
    """The gatherings' `attendance_recorded` signal (after commit): present → the attendance points once;
    no longer present → the earning reversed. Volunteer activities count by their confirmed hours instead."""
    if user is None or gathering.kind in settings.VIRTUE_POINTS_ATTENDANCE_EXCLUDED_KINDS:
        return None
    from grassroots.gatherings.models import Participant

    participant = Participant.objects.filter(gathering=gathering, user=user).first()
    if participant is None:
        return None
    with transaction.atomic():
        if present:
            points = rule_points(PointsRule.ATTENDANCE)
            if points <= 0:
                return None
            return _earn(
                person=user,
                rule=PointsRule.ATTENDANCE,
                source=participant,
                points=points,
                area=gathering.area,
                reason=gathering.title,
                now=participant.attendance_recorded_at,
            )
        if previous:
            return revoke_points(
                user, PointsRule.ATTENDANCE, participant, reason=_("考勤更正为未出席：%s") % gathering.title
            )
    return None


def service_hours_points(hours: Decimal) -> int:
    per_hour = Decimal(rule_points(PointsRule.SERVICE_HOURS))
    if per_hour <= 0 or hours <= 0:
        return 0
    return max(1, int((hours * per_hour).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def earn_for_service_hours(credit) -> PointsEntry | None:
    """Cogov's `ServiceHours` saved: a live credit earns points by its hours; a reversed one (with its
    reason) reverses them. In the credit's transaction."""
    person = credit.volunteer.user
    if credit.reversed_at is not None:
        return revoke_points(
            person,
            PointsRule.SERVICE_HOURS,
            credit,
            reason=_("志愿服务时长撤销：%s") % credit.reverse_reason,
            actor=credit.reversed_by,
            now=credit.reversed_at,
        )
    points = service_hours_points(credit.hours)
    if points <= 0:
        return None
    return _earn(
        person=person,
        rule=PointsRule.SERVICE_HOURS,
        source=credit,
        points=points,
        area=credit.area,
        reason=_("%(title)s（%(hours)s 小时）") % {"title": credit.gathering.title, "hours": credit.hours},
        actor=credit.confirmed_by,
        now=credit.confirmed_at,
    )


# --- the store ----------------------------------------------------------------------------------------
def _stock_line(
    item: StoreItem, kind: str, change: int, *, by, at: datetime | None = None, exchange=None, submission=""
) -> StockEntry:
    """The stock ledger's line of a change of `item.stock` (库存记录), written in the change's transaction."""
    entry = StockEntry(
        item=item,
        area_id=item.area_id,
        kind=kind,
        change=change,
        exchange=exchange,
        at=at or timezone.now(),
        by=by,
        submission=submission,
    )
    entry.save()
    return entry


def _require(actor, area) -> None:
    if not has_perm(actor, MANAGE, area):
        raise PermissionDenied(missing_permission_message(MANAGE, area))


def _clean_item(values: dict) -> dict:
    errors = {}
    values["name"] = (values.get("name") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    if not values["name"]:
        errors["name"] = _("请填写商品名称。")
    for name, low in (("price", 1), ("stock", 0)):
        if name not in values:  # an edit: the stock changes only by restock_item and exchanges
            continue
        try:
            values[name] = int(values.get(name))
        except (TypeError, ValueError):
            values[name] = None
        if values[name] is None or values[name] < low or (name == "stock" and values[name] > STOCK_MAX):
            errors[name] = (
                _("兑换所需积分必须是正整数。") if name == "price" else _("库存必须是不小于 0 的整数。")
            )
    if errors:
        raise ValidationError(errors)
    return values


def _save_item(item: StoreItem) -> StoreItem:
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("本社区已有同名商品。")}) from exc
    return item


@transaction.atomic
def create_item(
    *,
    actor,
    area: Area,
    name: str,
    price,
    stock,
    description: str = "",
    active: bool = True,
    photo: UploadedFile | None = None,
) -> StoreItem:
    """A community worker puts a good in the community's points store (with its photo, if given: a refused
    photo refuses the whole item)."""
    if area is None or area.level != Level.COMMUNITY or area.retired:
        raise ValidationError({"area": _("积分商品只能属于一个社区。")})
    _require(actor, area)
    values = _clean_item(
        {"name": name, "price": price, "stock": stock, "description": description, "active": active}
    )
    item = _save_item(StoreItem(area=area, **values))
    if item.stock:
        _stock_line(item, StockKind.OPENING, item.stock, by=actor)
    if photo:
        item = set_item_photo(actor=actor, item=item, image=photo)
    return item


@transaction.atomic
def update_item(
    *, actor, item: StoreItem, photo: UploadedFile | None = None, remove_photo: bool = False, **changes
) -> StoreItem:
    """Change the item's fields (name, description, price, on the shelf; never the stock: a number typed on a
    page opened before an exchange would overwrite it — `restock_item` adds to it); a new `photo` replaces the
    old one, `remove_photo` removes it."""
    item = StoreItem.objects.select_for_update().get(pk=item.pk)
    _require(actor, item.area)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    values = {name: getattr(item, name) for name in ITEM_FIELDS}
    values.update(changes)
    values = _clean_item(values)
    for name in ITEM_FIELDS:
        setattr(item, name, values[name])
    item = _save_item(item)
    if photo or remove_photo:
        item = set_item_photo(actor=actor, item=item, image=photo or None)
    return item


def _quantity(quantity) -> int:
    """A restock's quantity: a positive integer (a number or its digits), else a refusal at `quantity`."""
    if isinstance(quantity, bool):
        quantity = None
    try:
        value = int(str(quantity).strip()) if quantity is not None else 0
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({"quantity": _("入库数量必须是正整数。")})
    return value


@transaction.atomic
def restock_item(*, actor, item: StoreItem, quantity, submission: str = "") -> StoreItem:
    """入库: the keeper adds `quantity` (a positive integer) to the item's stock. The addition is made by the
    database (`stock = stock + N`, one conditional UPDATE), so an exchange or another restock at the same
    time is never overwritten, whatever the keeper's page showed; the stock ledger gets its line (库存记录,
    kind 入库) and the audit trail the stock before and after (the UPDATE bypasses the model's signals).
    `submission`, the form's token or the API's Idempotency-Key: a repeat by the same keeper for the same
    good adds nothing and answers the good as it is (a double click adds once). Refused at `quantity` when
    the stock would pass STOCK_MAX."""
    _require(actor, item.area)
    quantity = _quantity(quantity)

    def add(token: str) -> StockEntry:
        added = StoreItem.objects.filter(pk=item.pk, stock__lte=STOCK_MAX - quantity).update(
            stock=F("stock") + quantity
        )
        if not added:
            raise ValidationError(
                {"quantity": _("入库后库存不能超过 %(max)d。") % {"max": STOCK_MAX}}, code="too_much"
            )
        fresh = StoreItem.objects.select_related("area").get(pk=item.pk)  # this transaction holds the row
        record_change(instance=fresh, changes={"stock": (fresh.stock - quantity, fresh.stock)}, actor=actor)
        return _stock_line(fresh, StockKind.RESTOCK, quantity, by=actor, submission=token)

    create_once(StockEntry, submission=submission, create=add, item=item, by=actor)
    return StoreItem.objects.select_related("area").get(pk=item.pk)


@transaction.atomic
def set_item_photo(*, actor, item: StoreItem, image: UploadedFile | None) -> StoreItem:
    """The item's photo: checked by its content and re-encoded without its metadata (files.checks, as the
    venues' and gatherings' photos), replacing the one before; None removes it. A replaced or removed file
    is deleted once the change is committed."""
    item = StoreItem.objects.select_for_update().select_related("area").get(pk=item.pk)
    _require(actor, item.area)
    old = item.photo.name if item.photo else ""
    if image is None:
        item.photo = ""
    else:
        image = gatherings.clean_image(image)
        item.photo.save(image.name, image, save=False)
    item.save(update_fields=["photo"])
    if old:
        storage = StoreItem._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(old))
    return item


def community_of(person) -> Area | None:
    """The community a person lives in (their verified address lies in it), or None. One query."""
    home = getattr(person, "home_area", None)
    if home is None:
        return None
    return Area.objects.filter(level=Level.COMMUNITY, path__in=ancestor_paths(home.path)).first()


def may_exchange_in(person, area: Area) -> bool:
    home = getattr(person, "home_area", None)
    return home is not None and lies_under(home.path, [area.path])


@transaction.atomic
def exchange(*, person, item: StoreItem, now: datetime | None = None) -> Exchange:
    """A resident spends points on one item of their community's store. The person's row and then the item's
    are locked, so two exchanges at once neither overspend the points nor the stock. Refused, with nothing
    deducted, when the item is off the shelf or out of stock or the points are too few."""
    now = now or timezone.now()
    _lock_person(person)
    item = StoreItem.objects.select_for_update().select_related("area").get(pk=item.pk)
    if not may_exchange_in(person, item.area):
        raise ValidationError(_("只有本社区的实名居民可以兑换本社区的积分商品。"), code="not_resident")
    if not item.active:
        raise ValidationError(_("该商品已下架。"), code="inactive")
    if item.stock < 1:
        raise ValidationError(_("该商品已兑完，暂无库存。"), code="out_of_stock")
    have = balance(person)
    if have < item.price:
        raise ValidationError(
            _("积分不足：兑换“%(item)s”需要 %(price)d 分，您现有 %(have)d 分。")
            % {"item": item.name, "price": item.price, "have": have},
            code="too_few_points",
        )
    # Conditional as well as locked: the row never goes below zero (the column's check refuses it too).
    if not StoreItem.objects.filter(pk=item.pk, stock__gte=1).update(stock=F("stock") - 1):
        raise ValidationError(_("该商品已兑完，暂无库存。"), code="out_of_stock")
    record = Exchange.objects.create(
        item=item, area=item.area, person=person, points=item.price, created_at=now
    )
    _stock_line(item, StockKind.EXCHANGE, -1, by=person, at=now, exchange=record)
    PointsEntry(
        person=person,
        area=item.area,
        rule=PointsRule.EXCHANGE,
        points=-item.price,
        source_type=_label(record),
        source_id=record.pk,
        reason=_("兑换：%s") % item.name,
        created_at=now,
        created_by=person,
    ).save()
    return record


def _locked_pending(exchange_: Exchange) -> Exchange:
    record = Exchange.objects.select_for_update().select_related("item").get(pk=exchange_.pk)
    if record.state != ExchangeState.PENDING:
        raise ValidationError(
            _("该兑换已%(state)s，不能再办理。") % {"state": record.get_state_display()}, code="not_pending"
        )
    return record


@transaction.atomic
def pick_up(*, actor, exchange: Exchange, now: datetime | None = None) -> Exchange:
    """The community worker hands the item over and marks the exchange picked up."""
    _require(actor, exchange.area)
    record = _locked_pending(exchange)
    record.state = ExchangeState.PICKED_UP
    record.picked_up_at, record.picked_up_by = now or timezone.now(), actor
    record.save(update_fields=["state", "picked_up_at", "picked_up_by"])
    return record


@transaction.atomic
def cancel_exchange(*, actor, exchange: Exchange, reason: str = "", now: datetime | None = None) -> Exchange:
    """The person (their own pending exchange) or the community worker cancels: the points come back (a
    reversal of the spending, with the reason) and the item back into stock."""
    now = now or timezone.now()
    own = actor.pk == exchange.person_id
    if not own:
        _require(actor, exchange.area)
    reason = (reason or "").strip()
    if not reason:
        if not own:
            raise ValidationError({"reason": _("请填写取消原因。")})
        reason = _("兑换人取消")
    record = _locked_pending(exchange)
    record.state = ExchangeState.CANCELLED
    record.cancelled_at, record.cancelled_by, record.cancel_reason = now, actor, reason[:200]
    record.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason"])
    StoreItem.objects.filter(pk=record.item_id).update(stock=F("stock") + 1)
    _stock_line(record.item, StockKind.CANCEL, 1, by=actor, at=now, exchange=record)
    spent = PointsEntry.objects.get(
        rule=PointsRule.EXCHANGE, source_type=_label(record), source_id=record.pk, reverses__isnull=True
    )
    _reverse(spent, reason=_("取消兑换：%s") % reason, actor=actor, now=now)
    return record
