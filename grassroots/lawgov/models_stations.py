"""Legal service stations (法律服务站). See docs/lawgov.md "Legal service stations".

- `LegalStation`: one per community (its area), with where it is and when it is open.
- `LegalWorker`: the station's lawyer or legal adviser (法律顾问), perhaps with an account.
- `LegalSession`: a recurring session at the station by a body (the petitions office, the human resources
  and social security bureau, the bar association…): a gathering series of the kind `legal_session` with a
  capacity (gatherings' recurrence, docs/gatherings.md); residents book an occurrence as they sign up for a
  gathering (no overbooking: the gathering's row lock).
- `Consultation`: a consultation recorded at the station: topic category, question, answer summary, and a
  referral to mediation (a `Dispute`) or to another body.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.gatherings.models import Gathering, Series
from grassroots.portal.submissions import one_per_submission, submission_field


class LegalStation(models.Model):
    area = models.OneToOneField(
        Area, verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="legal_station"
    )
    name = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("地址"), max_length=200, blank=True)
    opening_hours = models.CharField(
        _("开放时间"), max_length=200, blank=True, help_text=_("如“周一至周五 9:00—17:00”")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("法律服务站")
        verbose_name_plural = _("法律服务站")
        ordering = ["area__path"]

    def __str__(self) -> str:
        return self.name


class WorkerRole(models.TextChoices):
    LAWYER = "lawyer", _("律师")
    ADVISER = "adviser", _("法律顾问")
    WORKER = "worker", _("法律工作者")


class LegalWorker(models.Model):
    station = models.ForeignKey(
        LegalStation, verbose_name=_("法律服务站"), on_delete=models.CASCADE, related_name="workers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("身份"), max_length=10, choices=WorkerRole.choices)
    organization = models.CharField(_("所在单位"), max_length=100, blank=True, help_text=_("如律师事务所"))
    active = models.BooleanField(_("在岗"), default=True)

    scope_path = "station__area__path"

    class Meta:
        verbose_name = _("法律工作者")
        verbose_name_plural = _("法律工作者")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class Provider(models.TextChoices):
    PETITIONS = "petitions", _("信访局")
    HRSS = "hrss", _("人社局")
    BAR = "bar", _("律师协会")
    JUSTICE = "justice", _("司法局")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    POLICE = "police", _("公安局")
    OTHER = "other", _("其他单位")


class LegalSession(models.Model):
    """A recurring session at a station by a body: its occurrences are the series' gatherings."""

    station = models.ForeignKey(
        LegalStation, verbose_name=_("法律服务站"), on_delete=models.PROTECT, related_name="sessions"
    )
    series = models.OneToOneField(
        Series, verbose_name=_("周期性活动"), on_delete=models.PROTECT, related_name="legal_session"
    )
    provider = models.CharField(_("服务单位"), max_length=20, choices=Provider.choices)
    provider_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    submission = submission_field()  # the form's token: posted twice, one session (portal/submissions.py)

    scope_path = "station__area__path"

    class Meta:
        verbose_name = _("法律服务场次")
        verbose_name_plural = _("法律服务场次")
        ordering = ["pk"]
        constraints = [one_per_submission("station", "one_legal_session_per_submission")]

    def __str__(self) -> str:
        return self.series.title


class Topic(models.TextChoices):
    FAMILY = "family", _("婚姻家庭")
    LABOUR = "labour", _("劳动就业")
    PROPERTY = "property", _("物业与房屋")
    CONTRACT = "contract", _("合同债务")
    LAND = "land", _("土地与征收")
    SOCIAL = "social", _("社会保障")
    TORT = "tort", _("侵权赔偿")
    OTHER = "other", _("其他")


class Referral(models.TextChoices):
    NONE = "none", _("当场解答")
    MEDIATION = "mediation", _("转人民调解")
    OTHER_BODY = "other_body", _("转其他部门")


class Consultation(models.Model):
    station = models.ForeignKey(
        LegalStation, verbose_name=_("法律服务站"), on_delete=models.PROTECT, related_name="consultations"
    )
    occurrence = models.ForeignKey(
        Gathering,
        verbose_name=_("服务场次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("咨询人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_consultations",
    )
    topic = models.CharField(_("咨询类别"), max_length=20, choices=Topic.choices)
    question = models.TextField(_("咨询问题"))
    answer = models.TextField(_("解答摘要"), blank=True)
    referral = models.CharField(_("处理方式"), max_length=20, choices=Referral.choices, default=Referral.NONE)
    referred_to = models.CharField(_("转交单位"), max_length=100, blank=True)
    dispute = models.ForeignKey(
        "lawgov.Dispute",
        verbose_name=_("调解案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one consultation

    scope_path = "station__area__path"

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-recorded_at", "-pk"]
        constraints = [one_per_submission("recorded_by", "one_consultation_per_submission")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}：{self.question[:30]}"
