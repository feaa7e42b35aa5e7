"""Actions on a person's own data: collect it (page, xlsx, JSON), ask for a correction or a deletion, and
carry out a deletion within the retention rules. Every step is in the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.addresses import client_ip
from grassroots.areas.models import Area
from grassroots.audit.models import AuditEvent
from grassroots.audit.redaction import redact
from grassroots.audit.registry import user_scope_path
from grassroots.audit.services import record_export
from grassroots.imports.xlsx import SafeWorkbook
from grassroots.privacy import registry
from grassroots.privacy.models import Consent, DataRequest, RequestKind, RequestState
from grassroots.privacy.notice import NOTICE_VERSION
from grassroots.privacy.pseudonym import move_to_pseudonym, new_pseudonym
from grassroots.workflow import services as workflow

ACCOUNT = "accounts.user"  # the registry's entry of the account itself (parts.py)


@dataclass
class Section:
    key: str
    label: str
    rows: list[dict]

    @property
    def columns(self) -> list[str]:
        columns: dict[str, None] = {}
        for row in self.rows:
            columns.update(dict.fromkeys(row))
        return list(columns)


def my_data(user) -> list[Section]:
    """Everything the platform holds about `user`, part by part (the registry), in the order declared."""
    return [Section(e.key, str(e.label), e.collect(user)) for e in registry.entries()]


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return value if isinstance(value, int | float | str | bool) else str(value)


def export_json(*, user, request=None) -> bytes:
    """The person's data as JSON ({section key: {label, rows}}); the download is audited."""
    sections = my_data(user)
    data = {s.key: {"label": s.label, "rows": s.rows} for s in sections}
    _record_copy(user, sections, "JSON", request)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_xlsx(*, user, request=None) -> bytes:
    """The person's data as a workbook, one sheet per part (formula-like text kept as text)."""
    sections = my_data(user)
    workbook = SafeWorkbook(write_only=True)
    for section in sections:
        sheet = workbook.create_sheet(title=section.label[:31])
        columns = section.columns
        sheet.append(columns or [_("（无）")])
        for row in section.rows:
            sheet.append([_plain(row.get(column)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _record_copy(user, sections, "xlsx", request)
    return buffer.getvalue()


def _record_copy(user, sections: list[Section], fmt: str, request) -> None:
    record_export(
        user=user,
        what=_("本人个人信息副本（%(format)s）") % {"format": fmt},
        count=sum(len(s.rows) for s in sections),
        unmasked=True,
        request=request,
    )


def record_consent(*, user, purpose: str, version: str = NOTICE_VERSION) -> Consent:
    """The person agreed to the privacy notice `version` for `purpose` (e.g. at registration)."""
    return Consent.objects.create(user=user, version=version, purpose=str(purpose)[:100])


def _consent_event(*, user, what: str, request=None) -> AuditEvent:
    return AuditEvent.objects.create(
        kind=AuditEvent.Kind.PERSONAL_DATA,
        user=user,
        username=user.get_username(),
        what=str(what)[:200],
        ip=client_ip(request),
        user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:300] if request is not None else "",
        scope_path=user_scope_path(user) or "",
    )


@transaction.atomic
def agree_to_notice(*, user, version: str, request=None) -> Consent:
    """A signed-in person agrees to the current notice (first sign-in of an account an official made or
    linked, a new version, or again after a withdrawal): a new consent, in the audit trail. `version` is the
    one they read: an older one is refused (the notice changed meanwhile)."""
    if version != NOTICE_VERSION:
        raise ValidationError({"version": _("《个人信息处理规则》已更新，请阅读最新版本后再确认。")})
    consent = record_consent(user=user, purpose=_("使用平台（登录后确认）"))
    what = _("同意《个人信息处理规则》（版本 %(version)s）") % {"version": version}
    _consent_event(user=user, what=what, request=request)
    user._privacy_standing = None
    return consent


@transaction.atomic
def withdraw_consent(*, user, request=None) -> Consent:
    """The person withdraws their consent (PIPL art. 15): their latest consent is stamped withdrawn and the
    withdrawal is in the audit trail. From then on their account reaches only their data, their requests and
    the consent page (consent.py) until they agree again; what was done before stays lawful. Their data is
    not deleted by this: that is the deletion request."""
    consent = Consent.objects.select_for_update().filter(user=user).order_by("-given_at", "-pk").first()
    if consent is None or consent.withdrawn_at is not None:
        raise ValidationError(_("您没有可撤回的同意。"))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    _consent_event(
        user=user,
        what=_("撤回对《个人信息处理规则》的同意（版本 %(version)s）") % {"version": consent.version},
        request=request,
    )
    user._privacy_standing = None
    return consent


# --- requests --------------------------------------------------------------------------------------------


def request_area(user) -> Area:
    """Where a person's request is handled: their home area; else the highest area they hold a role on; else
    the first root (the city)."""
    path = user_scope_path(user)
    area = Area.objects.filter(path=path).first() if path else None
    area = area or Area.get_root_nodes().first()
    if area is None:
        raise ValidationError(_("平台尚未设置区域，无法受理申请。"))
    return area


def submit_request(*, user, kind: str, details: str = "") -> DataRequest:
    """The person asks for a correction (`details`: which record, what is wrong, what is right) or a deletion.
    One open request of each kind at a time (privacy_one_open_request: also for two posts at once)."""
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("请选择申请类型。")})
    details = (details or "").strip()
    if kind == RequestKind.CORRECTION and not details:
        raise ValidationError({"details": _("请写明需要更正的信息和正确的内容。")})
    refused = ValidationError(_("您已有一份同类申请正在办理，请等待办结。"))
    if DataRequest.objects.filter(user=user, kind=kind, state=RequestState.SUBMITTED).exists():
        raise refused
    try:
        with transaction.atomic():
            record = DataRequest.objects.create(
                user=user, kind=kind, details=details[:2000], area=request_area(user)
            )
            workflow.start(record, actor=user)
    except IntegrityError:  # a concurrent twin filed it first
        raise refused from None
    return record


def _log_step(*, request: DataRequest, actor, label: str, erasure: registry.Erasure) -> str:
    how = {
        registry.How.DELETED: _("删除"),
        registry.How.PSEUDONYMISED: _("假名化"),
        registry.How.KEPT: _("保留"),
    }[erasure.how]
    line = _("%(part)s：%(how)s %(count)s 条") % {"part": label, "how": how, "count": erasure.count}
    if erasure.note:
        line = f"{line}（{erasure.note}）"
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.PERSONAL_DATA,
        user=actor,
        username=actor.get_username(),
        what=(_("删除申请 #%(pk)s：") % {"pk": request.pk} + line)[:200],
        count=erasure.count,
        scope_path=request.area.path,
    )
    return line


def erase_person(*, request: DataRequest, actor) -> str:
    """Carry out a deletion request (called by its `complete` transition, inside its transaction): each part
    deletes what may go and pseudonymises what must be kept; each step is an audit event. Then the audit
    trail's earlier entries about the person — found by identity: their account, what points at it, the
    records the parts name (`PersonalData.records`), their sign-ins — have the identifiers the parts name
    replaced (audit/redaction.py, the hash chain still verifying; a namesake keeps theirs). Last, every kept
    record that still names the account moves to a pseudonym account made for this deletion (pseudonym.py):
    the kept records' placeholder is that pseudonym's name, not derived from the account; the emptied account
    stays for the audit trail alone, under its own placeholder (`已注销用户<id>`). Returns the steps, one a
    line."""
    user = request.user
    pseudonym = new_pseudonym()
    placeholder = pseudonym.full_name  # what kept records say instead of the person's name
    in_the_trail = _("已注销用户%(pk)s") % {"pk": user.pk}  # the emptied account, and the trail about it
    identifiers: dict[str, str] = {}
    username = (user.get_username(), f"deleted-{user.pk}")
    records: list = []
    for entry in registry.entries():
        if entry.identifiers is not None:
            identifiers.update(entry.identifiers(user, placeholder=in_the_trail))
        if entry.records is not None:
            records += entry.records(user, placeholder=in_the_trail)
    lines = []
    for entry in registry.entries():
        if entry.erase is None:
            continue
        own = in_the_trail if entry.key == ACCOUNT else placeholder
        erasure = entry.erase(user, placeholder=own)
        lines.append(_log_step(request=request, actor=actor, label=str(entry.label), erasure=erasure))
    label = _("删除申请 #%(pk)s") % {"pk": request.pk}
    count = redact(
        user=user,
        identifiers=identifiers,
        username=username,
        own_fields={"full_name": in_the_trail, "phone": "", "email": ""},
        actor=actor,
        label=label,
        scope_path=request.area.path,
        records=records,
    )
    lines.append(_("审计记录：假名化 %(count)s 条") % {"count": count})
    moved = move_to_pseudonym(user, pseudonym)
    request.user = pseudonym  # the request is a kept record too: its save after this step keeps the move
    moving = registry.Erasure(registry.How.PSEUDONYMISED, moved, _("改为指向新的假名账号，不再关联原账号"))
    lines.append(_log_step(request=request, actor=actor, label=_("保留记录的账号关联"), erasure=moving))
    return "\n".join(lines)


def forget_old_requests(*, now: dt.datetime | None = None) -> dict:
    """Blank the free text (details, reply) of personal-data requests decided more than
    PRIVACY_REQUESTS_RETENTION_DAYS ago; the request itself stays as the proof it was handled (kind, dates,
    decider, outcome). Idempotent: a blanked request is not counted again. One audit event when any is."""
    now = now or timezone.now()
    days = max(1, int(getattr(settings, "PRIVACY_REQUESTS_RETENTION_DAYS", 1095)))
    old = DataRequest.objects.filter(
        state__in=(RequestState.DONE, RequestState.REFUSED), decided_at__lt=now - dt.timedelta(days=days)
    ).exclude(details="", reply="")
    with transaction.atomic():
        count = old.update(details="", reply="")
        if count:
            AuditEvent.objects.create(
                kind=AuditEvent.Kind.PERSONAL_DATA,
                what=_("个人信息申请超过保存期限：删除说明和答复 %(count)s 条") % {"count": count},
                count=count,
            )
    return {"blanked": count, "days": days}
