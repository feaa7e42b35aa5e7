"""Dual reporting and pairing (双报到, 结对子). See docs/lawgov.md "Dual reporting and pairing".

A unit's Party organization registers with a community through the members' dual registration
(`members.Registration` with `party_org`), the unit itself being the one record of 共治's organization
register (`cogov.Partner`, whose `party_org` is that organization): no second register. On it:

- `Pairing`: a unit (`partner`) pairs with the community's Party organization (`community_org`), or one of
  its cadres (`cadre`, an account) with a community member (`member`) or a household (`household`); active
  or ended.
- `PairingCommitment`: one listed commitment of the pairing.
- `PairingService`: one service done under it — what, when, hours.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, PartyOrg
from grassroots.portal.submissions import one_per_submission, submission_field


class PairingKind(models.TextChoices):
    ORG = "org", _("单位结对")
    CADRE = "cadre", _("干部结对")


class Department(models.TextChoices):
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    PUBLIC_SECURITY = "public_security", _("公安")
    JUSTICE = "justice", _("司法局")
    OTHER = "other", _("其他单位")


class PairingState(models.TextChoices):
    ACTIVE = "active", _("结对中")
    ENDED = "ended", _("已结束")


class Pairing(models.Model):
    kind = models.CharField(_("结对类型"), max_length=10, choices=PairingKind.choices)
    community = models.ForeignKey(
        Area, verbose_name=_("结对社区"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "cogov.Partner", verbose_name=_("结对单位"), on_delete=models.PROTECT, related_name="pairings"
    )
    department = models.CharField(_("单位类别"), max_length=20, choices=Department.choices)
    community_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("社区党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结对干部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre_pairings",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("结对党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    household = models.ForeignKey(
        "voting.Household",
        verbose_name=_("结对家庭"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("结对日期"))
    state = models.CharField(
        _("状态"), max_length=10, choices=PairingState.choices, default=PairingState.ACTIVE, db_index=True
    )
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one pairing (portal/submissions.py)

    scope_path = "community__path"
    scope_partner = "partner"
    # the cadre sees their own pairings whatever their grants (the per-record clause of the scoping function)
    scope_people = {"lawgov.pairings": ("cadre",)}

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["-started_on", "-pk"]
        constraints = [one_per_submission("created_by", "one_pairing_per_submission")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.paired_with}"

    def get_absolute_url(self) -> str:
        return reverse("lawgov:pairing_detail", args=[self.pk])

    @property
    def paired_with(self) -> str:
        """The community side: its Party organization, or the member or household a cadre pairs with."""
        side = self.community_org or self.member or self.household
        return str(side) if side is not None else str(self.community)


class PairingCommitment(models.Model):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.CharField(_("承诺事项"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one commitment (portal/submissions.py)

    scope_path = "pairing__community__path"
    scope_partner = "pairing__partner"

    class Meta:
        verbose_name = _("结对承诺")
        verbose_name_plural = _("结对承诺")
        ordering = ["pk"]
        constraints = [one_per_submission("pairing", "one_pairing_commitment_per_submission")]

    def __str__(self) -> str:
        return self.text


class PairingService(models.Model):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="services"
    )
    done_on = models.DateField(_("服务日期"))
    content = models.CharField(_("服务内容"), max_length=300)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one record (portal/submissions.py)

    scope_path = "pairing__community__path"
    scope_partner = "pairing__partner"

    class Meta:
        verbose_name = _("结对服务记录")
        verbose_name_plural = _("结对服务记录")
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="lawgov_pairing_service_hours_positive"
            ),
            one_per_submission("recorded_by", "one_pairing_service_per_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.done_on} {self.content[:30]}"
