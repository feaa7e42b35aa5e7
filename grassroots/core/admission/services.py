"""Actions of 社区事务准入制: file a request for a department, keep the catalog, record what communities
carry. The request's steps (street review, county approval or refusal) are workflow transitions:
`grassroots.workflow.services.transition(request, name, …)` with name "review", "refuse_at_street",
"approve" or "refuse"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.admission.models import (
    AdmissionRequest,
    AdmittedAffair,
    CarriedAffair,
    FundsState,
    FundsTransfer,
    street_allotter,
)
from grassroots.portal.submissions import create_once
from grassroots.workflow.services import start, transition


def _check_powers_and_funds(*, powers: str, funds_per_community: Decimal, exemption_reason: str) -> None:
    """权随责走、费随事转: an affair handed to communities names the powers that go with it and funds per
    community per year above 0, unless a reason for going without them is written (for the county to
    approve). The messages stand at the fields."""
    if (exemption_reason or "").strip():
        return
    errors = {}
    if not (powers or "").strip():
        errors["powers"] = _("权随责走：请写明随事下放的权力，或写明免除的理由（须经县级审批）。")
    if funds_per_community is None or funds_per_community <= 0:
        errors["funds_per_community"] = _(
            "费随事转：每个社区每年的工作经费须大于 0，或写明免除的理由（须经县级审批）。"
        )
    if errors:
        raise ValidationError(errors)


def _check_terms(*, funds_per_community: Decimal, valid_from: date, valid_to: date | None) -> None:
    errors = {}
    if funds_per_community is None or funds_per_community < 0:
        errors["funds_per_community"] = _("工作经费不能为负数。")
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("有效期至不能早于有效期自。")
    if errors:
        raise ValidationError(errors)


def file_request(
    *,
    actor,
    area: Area,
    department: str,
    name: str,
    legal_basis: str,
    justification: str,
    powers: str,
    funds_per_community: Decimal,
    valid_from: date,
    valid_to: date | None = None,
    exemption_reason: str = "",
    now: datetime | None = None,
    submission: str = "",
) -> AdmissionRequest:
    """A county or city official files, on behalf of `department`, a request to hand affair `name` to the
    communities of street `area`. It waits for the street's review (the street's officials are notified).
    `submission`: the form's token — the same form posted again gives the request it made
    (portal/submissions.py)."""
    if not has_perm(actor, "admission.request", area):
        raise PermissionDenied(_("您无权为该街道提出社区事务准入申请。"))
    if area.level != Level.STREET or area.retired:
        raise ValidationError({"area": _("请选择承接事务的社区所在的街道（乡镇）。")})
    _check_terms(funds_per_community=funds_per_community, valid_from=valid_from, valid_to=valid_to)
    _check_powers_and_funds(
        powers=powers, funds_per_community=funds_per_community, exemption_reason=exemption_reason
    )

    def create(token: str) -> AdmissionRequest:
        request = AdmissionRequest.objects.create(
            area=area,
            department=department.strip(),
            filed_by=actor,
            name=name.strip(),
            legal_basis=legal_basis,
            justification=justification,
            powers=powers,
            funds_per_community=funds_per_community,
            exemption_reason=exemption_reason.strip(),
            valid_from=valid_from,
            valid_to=valid_to,
            submitted_at=now or timezone.now(),
            submission=token,
        )
        start(request, actor=actor)
        return request

    return create_once(AdmissionRequest, submission=submission, create=create, filed_by=actor)


def add_affair(
    *,
    actor,
    area: Area,
    name: str,
    legal_basis: str,
    department: str,
    powers: str,
    funds_per_community: Decimal,
    valid_from: date,
    valid_to: date | None = None,
    exemption_reason: str = "",
    submission: str = "",
) -> AdmittedAffair:
    """The catalog keeper (county or city) enters an affair directly, e.g. one set by law for every community
    under `area`. Departments asking for a new affair file a request instead. The keeper is a county (or
    city) official: entering an affair with a reason for going without powers or funds approves that
    reason (recorded: who and when). `submission`: the form's token — the same form posted again gives the
    affair it made (portal/submissions.py)."""
    if not has_perm(actor, "admission.manage", area):
        raise PermissionDenied(_("您无权维护该区域的社区事务准入目录。"))
    if area.level > Level.STREET or area.retired:
        raise ValidationError({"area": _("准入目录只能建在市、县（区）或街道（乡镇）。")})
    _check_terms(funds_per_community=funds_per_community, valid_from=valid_from, valid_to=valid_to)
    _check_powers_and_funds(
        powers=powers, funds_per_community=funds_per_community, exemption_reason=exemption_reason
    )
    exempt = bool(exemption_reason.strip())

    def create(token: str) -> AdmittedAffair:
        return AdmittedAffair.objects.create(
            area=area,
            name=name.strip(),
            legal_basis=legal_basis,
            department=department.strip(),
            powers=powers,
            funds_per_community=funds_per_community,
            exemption_reason=exemption_reason.strip(),
            exemption_approved_by=actor if exempt else None,
            exemption_approved_at=timezone.now() if exempt else None,
            valid_from=valid_from,
            valid_to=valid_to,
            created_by=actor,
            submission=token,
        )

    return create_once(AdmittedAffair, submission=submission, create=create, created_by=actor)


def end_affair(*, actor, affair: AdmittedAffair, valid_to: date) -> AdmittedAffair:
    """End an affair's validity on `valid_to` (tasks due after it can no longer be issued under it)."""
    if not has_perm(actor, "admission.manage", affair.area):
        raise PermissionDenied(_("您无权维护该区域的社区事务准入目录。"))
    _check_terms(
        funds_per_community=affair.funds_per_community, valid_from=affair.valid_from, valid_to=valid_to
    )
    affair.valid_to = valid_to
    affair.save(update_fields=["valid_to"])
    return affair


def record_carried(
    *, affair: AdmittedAffair, area_ids: Iterable[int], year: int, at: datetime | None = None
) -> None:
    """Note that the communities `area_ids` carry `affair` in `year`, with its funds per community; rows that
    exist already are kept as they are (one INSERT per 1,000 communities, whatever exists)."""
    at = at or timezone.now()
    rows = [
        CarriedAffair(area_id=pk, affair=affair, year=year, funds=affair.funds_per_community, created_at=at)
        for pk in area_ids
    ]
    CarriedAffair.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


# --- the funds ledger (费随事转) -------------------------------------------------------------------------


def allot_funds(
    *,
    actor,
    affair: AdmittedAffair,
    community: Area,
    year: int,
    allotted_on: date,
    allot_document: str,
    amount: Decimal | None = None,
    department: str = "",
) -> FundsTransfer:
    """The county (or city) records that `affair`'s funds for `community` in `year` are allotted, by the
    department's document `allot_document` of `allotted_on`; the amount defaults to the affair's funds per
    community. The community's staff are told. One row per affair, community and year. `community` may be a
    street (街道统筹): the street receives the funds and allots them on to its communities
    (`allot_from_street`); the amount then defaults to the funds per community times its live communities
    that the affair covers."""
    if not has_perm(actor, "admission.manage", community):
        raise PermissionDenied(_("您无权为该社区下达随事经费。"))
    errors = {}
    if community.level not in (Level.COMMUNITY, Level.STREET) or community.retired:
        errors["community"] = _("请选择承接事务的社区（或由街道统筹下达的街道）。")
    elif not affair.covers(community):
        errors["community"] = _("该社区不在“%(name)s”的适用范围内。") % {"name": affair.name}
    if not (affair.valid_from.year <= year and (affair.valid_to is None or affair.valid_to.year >= year)):
        errors["year"] = _("“%(name)s”在 %(year)d 年度不在有效期内。") % {"name": affair.name, "year": year}
    if amount is None and community.level == Level.STREET:
        amount = affair.funds_per_community * _communities_under(community).count()
    amount = affair.funds_per_community if amount is None else amount
    if amount is None or amount <= 0:
        errors["amount"] = _("金额须大于 0。")
    if not (allot_document or "").strip():
        errors["allot_document"] = _("请填写下达文号。")
    if errors:
        raise ValidationError(errors)
    repeated = ValidationError({"community": _("该社区本年度该事项的经费已下达，请勿重复登记。")})
    if FundsTransfer.objects.filter(affair=affair, area=community, year=year).exists():
        raise repeated
    try:
        with transaction.atomic():
            entry = FundsTransfer.objects.create(
                affair=affair,
                area=community,
                year=year,
                amount=amount,
                department=(department or affair.department).strip(),
                allotted_by=actor,
                allotted_on=allotted_on,
                allot_document=allot_document.strip(),
            )
            start(entry, actor=actor)
    except IntegrityError:  # the same row from a concurrent post (admission_funds_once_a_year)
        raise repeated from None
    return entry


def transfer_funds(
    entry: FundsTransfer,
    *,
    actor,
    transferred_on: date,
    transfer_document: str,
    comment: str = "",
    attachments: Iterable = (),
) -> FundsTransfer:
    """The county (or city) records the payment of allotted funds: its date and document (e.g. the payment
    voucher's number); a scan of it may go with the step as an attachment. Step `transfer`."""
    if not (transfer_document or "").strip():
        raise ValidationError({"transfer_document": _("请填写拨付凭证号。")})
    if transferred_on < entry.allotted_on:
        raise ValidationError({"transferred_on": _("拨付日期不能早于下达日期。")})
    entry.transferred_on, entry.transfer_document = transferred_on, transfer_document.strip()
    transition(entry, "transfer", actor=actor, comment=comment, attachments=attachments)
    return entry


def confirm_funds_received(
    entry: FundsTransfer, *, actor, received_on: date, comment: str = "", attachments: Iterable = ()
) -> FundsTransfer:
    """The community confirms that transferred funds arrived, on `received_on`. Step `receive`."""
    if entry.transferred_on and received_on < entry.transferred_on:
        raise ValidationError({"received_on": _("到账日期不能早于拨付日期。")})
    entry.received_on = received_on
    transition(entry, "receive", actor=actor, comment=comment, attachments=attachments)
    return entry


def allot_funds_to_many(
    *,
    actor,
    affair: AdmittedAffair,
    communities: Iterable[Area],
    year: int,
    allotted_on: date,
    allot_document: str,
    amount: Decimal | None = None,
    department: str = "",
) -> list[FundsTransfer]:
    """批量下达: `allot_funds` for each of `communities`, all or nothing. A county (or city) official
    ("admission.manage") allots an affair's funds of `year` to many communities by one document.
    Terms wrong for every row (year, amount, document) are raised once at their field; a row refused
    (another's community, outside the affair's areas, already allotted) is named in `communities`, one
    message per community, and nothing is written."""
    communities = list(dict.fromkeys(communities))
    if not communities:
        raise ValidationError({"communities": _("请至少选择一个社区。")})
    entries, rows, shared = [], [], {}
    with transaction.atomic():
        for community in communities:
            try:
                with transaction.atomic():
                    entries.append(
                        allot_funds(
                            actor=actor,
                            affair=affair,
                            community=community,
                            year=year,
                            allotted_on=allotted_on,
                            allot_document=allot_document,
                            amount=amount,
                            department=department,
                        )
                    )
            except PermissionDenied as exc:
                rows.append(_row_error(community, [str(exc)]))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field == "community":
                        rows.append(_row_error(community, messages))
                    else:
                        shared.setdefault(field, messages)
            if shared:
                break  # the same terms would be refused for every row
        if shared or rows:  # leaving the block by the exception undoes every row written
            raise ValidationError(shared or {"communities": rows})
    return entries


def _row_error(community: Area, messages: list[str]) -> ValidationError:
    return ValidationError(
        _("%(community)s：%(reason)s") % {"community": community.name, "reason": "；".join(messages)},
        code="row",
    )


# --- a street passes its received funds on (费随事转 to the level that does the affair) ------------------


def _communities_under(street: Area):
    return Area.objects.filter(under_q(street.path, "path"), level=Level.COMMUNITY, retired=False)


def street_funds_left(source: FundsTransfer) -> Decimal:
    """What is left of a street's received funds after what it allotted on to its communities."""
    passed = source.passed_on.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return source.amount - passed


def allot_from_street(
    *,
    actor,
    source: FundsTransfer,
    communities: Iterable[Area],
    allotted_on: date,
    allot_document: str,
    amount: Decimal | None = None,
) -> list[FundsTransfer]:
    """街道下达: a street's officials allot the funds their street received for an affair and year
    (`source`, a row of the street) on to communities of that street, by one document of the street, all or
    nothing; `amount` per community (default: the affair's funds per community). Refused: an actor who is not
    an official of that very street (PermissionDenied), funds not yet received, a community not of the
    street or already allotted for the affair and year (named in `communities`), and more in total than the
    street has left of what it received (at `amount`). The rows are the communities' ledger rows, with
    `source` the street's row and the street as the paying department; each community confirms receipt."""
    if not street_allotter(source, actor):
        raise PermissionDenied(_("只有本街道的干部可以下达本街道统筹的随事经费。"))
    communities = list(dict.fromkeys(communities))
    errors = {}
    if source.area.level != Level.STREET:
        errors["source"] = _("只有下达给街道统筹的经费可以由街道再下达。")
    elif source.state != FundsState.RECEIVED:
        errors["source"] = _("街道尚未确认这笔经费到账，不能向社区下达。")
    if not communities:
        errors["communities"] = _("请至少选择一个社区。")
    per_community = source.affair.funds_per_community if amount is None else amount
    if per_community is None or per_community <= 0:
        errors["amount"] = _("金额须大于 0。")
    if not (allot_document or "").strip():
        errors["allot_document"] = _("请填写下达文号。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        source = FundsTransfer.objects.select_for_update().select_related("area", "affair").get(pk=source.pk)
        left = street_funds_left(source)
        if per_community * len(communities) > left:
            raise ValidationError(
                {
                    "amount": _(
                        "超出街道已到账的统筹经费：尚可下达 %(left)s 元，所选 %(n)d 个社区共需 %(need)s 元。"
                    )
                    % {"left": left, "n": len(communities), "need": per_community * len(communities)}
                }
            )
        rows = []
        for community in communities:
            if community.level != Level.COMMUNITY or community.retired:
                rows.append(_row_error(community, [_("请选择承接事务的社区。")]))
            elif not lies_under(community.path, source.area.path):
                rows.append(
                    _row_error(community, [_("不是%(street)s的社区。") % {"street": source.area.name}])
                )
            elif FundsTransfer.objects.filter(
                affair=source.affair, area=community, year=source.year
            ).exists():
                rows.append(_row_error(community, [_("该社区本年度该事项的经费已下达，请勿重复登记。")]))
        if rows:
            raise ValidationError({"communities": rows})
        entries = []
        for community in communities:
            entry = FundsTransfer.objects.create(
                affair=source.affair,
                area=community,
                year=source.year,
                amount=per_community,
                department=source.area.name,
                allotted_by=actor,
                allotted_on=allotted_on,
                allot_document=allot_document.strip(),
                source=source,
            )
            start(entry, actor=actor)
            entries.append(entry)
    return entries
