"""Residents' conventions (居民公约), one per courtyard: a published document of the documents mechanism (kind
`convention`) that the courtyard's residents discuss and adopt by a vote of the voting mechanism, then sign.

States (`ConventionState`, set by services/conventions.py): 起草中 `drafting` → 讨论中 `discussion`
(residents comment) → 表决中 `voting` (a vote of the courtyard's verified residents or households) → 已生效
`published` (the vote carried: the draft is published, the version before superseded). A vote that fails
sends the draft back to `drafting`; an amendment (`amend_convention`) starts a new draft while the version in
force stays in force. `ConventionAdoption` records which vote adopted which version and its signing rule;
`Signature` one per resident and version, and one per household and version when the version is signed per
household (a partial unique constraint in the database). See docs/selfgov.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.selfgov.models_base import Comment


class ConventionState(models.TextChoices):
    DRAFTING = "drafting", _("起草中")
    DISCUSSION = "discussion", _("讨论中")
    VOTING = "voting", _("表决中")
    PUBLISHED = "published", _("已生效")


class Convention(models.Model):
    courtyard = models.OneToOneField(
        Area, verbose_name=_("院落"), on_delete=models.PROTECT, related_name="convention"
    )
    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("公约文本"), on_delete=models.PROTECT, related_name="convention"
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ConventionState.choices, default=ConventionState.DRAFTING
    )
    discussion_ends_at = models.DateTimeField(_("讨论截止"), null=True, blank=True)
    # The vote of the current adoption round (None while drafting or discussing).
    vote = models.OneToOneField(
        "voting.Vote",
        verbose_name=_("表决"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="convention",
    )
    # The signing rule put to the current (or last) adoption vote; the adopted version keeps its own copy.
    per_household = models.BooleanField(
        _("每户签署一次"), default=False, help_text=_("公约生效后，每户只需一位成员签署")
    )
    # Whether it was ever adopted (a version in force), kept here for the lists.
    in_force_since = models.DateTimeField(_("生效时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("建立时间"), default=timezone.now)

    scope_path = "courtyard__path"

    class Meta:
        verbose_name = _("居民公约")
        verbose_name_plural = _("居民公约")
        ordering = ["courtyard__path"]

    def __str__(self) -> str:
        return self.document.title if self.document_id else str(self.courtyard)

    def get_absolute_url(self) -> str:
        return reverse("selfgov:convention_detail", args=[self.pk])


class ConventionAdoption(models.Model):
    """The vote that adopted a version of a convention."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="adoptions")
    version = models.OneToOneField("documents.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    vote = models.OneToOneField("voting.Vote", on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(default=timezone.now)
    # The version's signing rule, adopted with it: one signature per household (else one per resident).
    per_household = models.BooleanField(_("每户签署一次"), default=False)

    scope_path = "convention__courtyard__path"

    class Meta:
        verbose_name = _("公约表决通过记录")
        verbose_name_plural = _("公约表决通过记录")
        ordering = ["-adopted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.convention_id} v{self.version_id}"


class ConventionComment(Comment):
    """A resident's comment on the draft during the discussion."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey("documents.DocumentVersion", on_delete=models.CASCADE, related_name="+")

    scope_path = "convention__courtyard__path"

    class Meta(Comment.Meta):
        verbose_name = _("公约讨论意见")
        verbose_name_plural = _("公约讨论意见")


class Signature(models.Model):
    """A resident's signature of the version in force: one per resident and version, and — when the version
    is signed per household (`per_household`, copied from its adoption) — one per household and version, both
    in the database (two members signing at once: one signature)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey("documents.DocumentVersion", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "voting.Household", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    per_household = models.BooleanField(_("每户签署一次"), default=False)
    signed_at = models.DateTimeField(default=timezone.now)

    scope_path = "convention__courtyard__path"

    class Meta:
        verbose_name = _("公约签署")
        verbose_name_plural = _("公约签署")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="selfgov_one_signature"),
            models.UniqueConstraint(
                fields=["version", "household"],
                condition=models.Q(per_household=True),
                name="selfgov_one_signature_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention_id} · {self.user_id}"
