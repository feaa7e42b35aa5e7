"""Published documents (制度文件): a document belongs to an area and applies to its subtree (or to chosen
levels of it); it has versions (draft → published → superseded), each with a structured body — chapters
(`Section`) holding numbered items (`Item`, "3.2") — and attachments. Standards (党建工作指导标准) and the
handbook (工作手册) are its first kinds; self-governance's rulebooks and courtyard conventions will be later
ones (`register_kind`: who keeps them, whether they are published by their part only). See
docs/documents.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scope_paths, scope_q
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field


class Kind(models.TextChoices):
    STANDARD = "standard", _("党建工作指导标准")
    HANDBOOK = "handbook", _("工作手册")
    RULEBOOK = "rulebook", _("社区四项制度")
    CONVENTION = "convention", _("居民公约")


@dataclass(frozen=True)
class KindRules:
    """How a part keeps the documents of its kind: `keeper` is the permission that drafts and publishes them
    (on the document's area; `documents.manage` unless a part registers another), `publish_here` whether the
    documents' own pages and API may publish a draft (False: only the part's service, e.g. after a vote),
    `on_publish(version)` what the part does once a version is published (after the commit)."""

    keeper: str = "documents.manage"
    publish_here: bool = True
    on_publish: Callable | None = None


KINDS: dict[str, KindRules] = {}


def register_kind(kind: str, *, keeper: str, publish_here: bool = True, on_publish=None) -> None:
    """A part's rules for the documents of `kind` (called from its AppConfig.ready)."""
    KINDS[kind] = KindRules(keeper=keeper, publish_here=publish_here, on_publish=on_publish)


def kind_rules(kind: str) -> KindRules:
    return KINDS.get(kind) or KindRules()


class VersionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("现行")
    SUPERSEDED = "superseded", _("已废止")


READABLE_STATES = (VersionState.PUBLISHED, VersionState.SUPERSEDED)


class Document(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("制定区域"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=150)
    # The levels of the area's subtree it applies to; empty: every level of the subtree.
    applies_to = models.JSONField(_("适用层级"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one document (portal/submissions.py)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("制度文件")
        verbose_name_plural = _("制度文件")
        ordering = ["area__path", "title", "pk"]
        constraints = [one_per_submission("created_by", "one_document_per_submission")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def level_labels(self) -> list[str]:
        return [str(Level(level).label) for level in self.applies_to]

    def applies_to_area(self, area: Area) -> bool:
        """Does the document apply to `area`: inside its area's subtree, at one of its levels (if chosen)?"""
        return lies_under(area.path, self.area.path) and (
            not self.applies_to or area.level in self.applies_to
        )

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """THE visibility of documents. Readers ("documents.view") see the documents of the areas above their
        scope (the standards set for them) and inside it, once one version is published; keepers
        ("documents.manage" on the document's area) also see documents that have only a draft. Anything else
        (another street's documents) answers 404."""
        paths = scope_paths(user, "documents.view")
        if not paths:
            return cls.objects.none()
        around = Q(area__path__in=ancestor_paths(paths, include_self=False)) | scope_q(
            user, "documents.view", "area__path"
        )
        readable = Q(pk__in=DocumentVersion.objects.filter(state__in=READABLE_STATES).values("document"))
        kept = scope_q(user, "documents.manage", "area__path") & ~Q(kind__in=list(KINDS))
        for kind, rules in KINDS.items():
            kept |= scope_q(user, rules.keeper, "area__path") & Q(kind=kind)
        return cls.objects.filter(around).filter(readable | kept)


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    state = models.CharField(
        _("状态"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT, db_index=True
    )
    note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("废止时间"), null=True, blank=True)

    scope_path = "document__area__path"

    class Meta:
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state="published"),
                name="documents_one_published",
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(state="draft"), name="documents_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:version", args=[self.document_id, self.number])

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


class Section(models.Model):
    """A chapter of one version ("3", "组织建设")."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("章号"), max_length=10)
    title = models.CharField(_("章名"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="documents_section_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Item(models.Model):
    """A numbered item of a chapter ("3.2"). A standard's items are what inspections cite and assessments
    count; a handbook's may link to the page that carries the procedure out (`link`, a URL name of
    links.LINK_TARGETS)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("条目编号"), max_length=20)
    text = models.TextField(_("内容"))
    link = models.CharField(_("办理页面"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:30]}"

    @property
    def label(self) -> str:
        """How a finding or an assessment item names it: "标题 第3.2条"."""
        return str(
            _("%(doc)s 第%(number)s条") % {"doc": self.section.version.document.title, "number": self.number}
        )


class Attachment(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=RandomName("documents"))
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    submission = submission_field()  # the form's token: posted twice, one attachment (portal/submissions.py)

    class Meta:
        ordering = ["version", "pk"]
        constraints = [one_per_submission("uploaded_by", "one_attachment_per_submission")]

    def __str__(self) -> str:
        return self.name


class ReadConfirmation(models.Model):
    """ "I have read this chapter": one per person and chapter version, shown to that person only (it is never
    counted, ranked or scored)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "section"], name="documents_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.section}"
