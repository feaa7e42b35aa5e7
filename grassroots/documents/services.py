"""Actions on documents: create one (with its first draft), write a draft's body, attach files, publish a
draft (superseding the version in force), start the next draft from the one in force, confirm having read a
chapter. Pages, the API, the demo and the tests call these."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.documents.body import check_body
from grassroots.documents.models import (
    Attachment,
    Document,
    DocumentVersion,
    Item,
    Kind,
    ReadConfirmation,
    Section,
    VersionState,
    kind_rules,
)
from grassroots.files.checks import ATTACHMENTS, check_upload
from grassroots.files.uploads import MB
from grassroots.portal.submissions import create_once

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * MB


def _check_manage(actor, area: Area, kind: str) -> None:
    if not has_perm(actor, kind_rules(kind).keeper, area):
        raise PermissionDenied(_("您无权起草或发布该区域的制度文件。"))


def _check_draft(version: DocumentVersion) -> None:
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("只能修改草稿；已发布的版本不再改动，请起草新版本。"), code="not_draft")


def _check_levels(levels) -> list[int]:
    levels = sorted({int(level) for level in levels or []})
    if any(level not in Level.values for level in levels):
        raise ValidationError({"applies_to": _("适用层级无效。")})
    return levels


@transaction.atomic
def create_document(
    *, actor, area: Area, kind: str, title: str, applies_to=(), note: str = "", submission: str = ""
) -> DocumentVersion:
    """A new document of `area` with its first, empty draft (version 1). `submission`: the form's token —
    the same form posted again (a double click) gives the document it made (portal/submissions.py)."""
    _check_manage(actor, area, kind)
    if area.retired:
        raise ValidationError({"area": _("该区域已撤销。")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("类别无效。")})
    if not title.strip():
        raise ValidationError({"title": _("请填写标题。")})
    levels = _check_levels(applies_to)
    if any(level < area.level for level in levels):
        raise ValidationError({"applies_to": _("适用层级不能高于制定区域所在的层级。")})

    def create(token: str) -> Document:
        document = Document.objects.create(
            area=area, kind=kind, title=title.strip(), applies_to=levels, created_by=actor, submission=token
        )
        DocumentVersion.objects.create(document=document, number=1, note=note, created_by=actor)
        return document

    document = create_once(Document, submission=submission, create=create, created_by=actor)
    return document.versions.get(number=1)


def _write_body(version: DocumentVersion, body: list[dict]) -> None:
    version.sections.all().delete()
    sections = Section.objects.bulk_create(
        Section(version=version, number=str(s["number"]).strip(), title=str(s["title"]).strip(), position=i)
        for i, s in enumerate(body)
    )
    Item.objects.bulk_create(
        Item(
            section=section,
            number=str(item["number"]).strip(),
            text=str(item["text"]).strip(),
            link=item.get("link") or "",
            position=j,
        )
        for section, data in zip(sections, body, strict=True)
        for j, item in enumerate(data.get("items", []))
    )


@transaction.atomic
def save_draft(
    *, actor, version: DocumentVersion, body: list[dict], note: str | None = None
) -> DocumentVersion:
    """Replace a draft's chapters and items with `body` (see body.check_body for the rules)."""
    _check_manage(actor, version.document.area, version.document.kind)
    _check_draft(version)
    check_body(body)
    _write_body(version, body)
    if note is not None:
        version.note = note
        version.save(update_fields=["note"])
    return version


@transaction.atomic
def start_draft(*, actor, document: Document, note: str = "") -> DocumentVersion:
    """The next version, as a draft copying the body and attachments of the version in force (or of the last
    one). One draft at a time."""
    _check_manage(actor, document.area, document.kind)
    Document.objects.select_for_update().get(pk=document.pk)
    if document.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("已有一份草稿，请先发布或修改它。"), code="draft_exists")
    last = document.versions.order_by("-number").first()
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = DocumentVersion.objects.create(document=document, number=number, note=note, created_by=actor)
    if last is not None:
        base = document.versions.filter(state=VersionState.PUBLISHED).first() or last
        body = [
            {
                "number": s.number,
                "title": s.title,
                "items": [{"number": i.number, "text": i.text, "link": i.link} for i in s.items.all()],
            }
            for s in base.sections.prefetch_related("items")
        ]
        _write_body(draft, body)
        Attachment.objects.bulk_create(
            Attachment(version=draft, file=a.file.name, name=a.name, uploaded_by=a.uploaded_by)
            for a in base.attachments.all()
        )
    return draft


@transaction.atomic
def publish(
    *, actor, version: DocumentVersion, now: datetime | None = None, by_part: bool = False
) -> DocumentVersion:
    """Publish a draft: the version in force (if any) is superseded at the same moment; who adopted it and
    when are kept. All or nothing. A kind its part publishes itself (`publish_here=False`, e.g. a convention
    adopted by a vote) is refused unless `by_part`; the kind's `on_publish` runs after the commit."""
    rules = kind_rules(version.document.kind)
    _check_manage(actor, version.document.area, version.document.kind)
    if not rules.publish_here and not by_part:
        raise ValidationError(_("该类文件须经其办理程序（如居民表决）通过后发布。"), code="publish_elsewhere")
    Document.objects.select_for_update().get(pk=version.document_id)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    _check_draft(version)
    if not Item.objects.filter(section__version=version).exists():
        raise ValidationError({"body": _("草稿还没有条目，不能发布。")})
    now = now or timezone.now()
    DocumentVersion.objects.filter(document_id=version.document_id, state=VersionState.PUBLISHED).update(
        state=VersionState.SUPERSEDED, superseded_at=now
    )
    version.state, version.adopted_by, version.adopted_at = VersionState.PUBLISHED, actor, now
    version.save(update_fields=["state", "adopted_by", "adopted_at"])
    if rules.on_publish is not None:
        transaction.on_commit(lambda: rules.on_publish(version))
    return version


@transaction.atomic
def add_attachment(*, actor, version: DocumentVersion, upload, submission: str = "") -> Attachment:
    """Attach a file to a draft (content checked as every attachment of the platform: docs/files.md).
    `submission`: the form's token — the same form posted again gives the attachment it made
    (portal/submissions.py)."""
    _check_manage(actor, version.document.area, version.document.kind)
    _check_draft(version)
    if version.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("附件不能超过 %(n)d 个。") % {"n": MAX_ATTACHMENTS}})
    name = upload.name
    try:
        checked = check_upload(upload, allowed=ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc

    def create(token: str) -> Attachment:
        return Attachment.objects.create(
            version=version, file=checked, name=name[:200], uploaded_by=actor, submission=token
        )

    return create_once(Attachment, submission=submission, create=create, uploaded_by=actor)


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    _check_manage(actor, attachment.version.document.area, attachment.version.document.kind)
    _check_draft(attachment.version)
    attachment.delete()


@transaction.atomic
def confirm_read(*, user, section: Section) -> ReadConfirmation:
    """The reader's own note that they read a chapter of a published handbook (idempotent)."""
    if section.version.state != VersionState.PUBLISHED or section.version.document.kind != Kind.HANDBOOK:
        raise ValidationError(_("只能确认现行工作手册的章节。"), code="not_handbook")
    confirmation, _created = ReadConfirmation.objects.get_or_create(user=user, section=section)
    return confirmation
