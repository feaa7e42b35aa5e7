"""One voting mechanism for every part (decisions, conventions, selection campaigns): households, votes with
their options and electorate, ballots on a hash chain, and who voted kept apart from what they chose.

- `Household` (户): residents of a building, courtyard or compound who share one vote or one signature when a
  vote says so. A person belongs to at most one household (`HouseholdMember.user` is unique).
- `Vote`: an area's question, its electorate, window, quorum, majority rule, secrecy and choices per voter.
- `Turnout`: who has voted (a person, and their household when the vote counts households) — one row per
  voter and per household, unique in the database. No time, no choice: it cannot be matched to a ballot.
- `Ballot` + `BallotChoice`: what was chosen. An open ballot names its voter; a secret one names nobody.
  Each ballot is a link of its vote's hash chain (`seq`, `prev_hash`, `hash`), see services/chain.py.
- `PaperCode`: a single-use code printed for a voter without a phone (only its digest is stored), with its
  signature record: who received it, when, from which worker.
- `Representative`: a standing resident representative (居民代表) of a community, the electorate of a
  representatives' vote unless the vote names its own list.
- `RepresentativeElection`: the record of a community's election of its representatives — when, the term,
  the vote or the meeting that elected them, the result's document; the clock reminds of the term's end.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field


class Household(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("户名"), max_length=100, help_text=_("如“3栋2单元501”"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["area__path", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="voting_household_name")]

    def __str__(self) -> str:
        return self.name


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # A person belongs to at most one household.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household_membership"
    )

    scope_path = "household__area__path"

    class Meta:
        verbose_name = _("户成员")
        verbose_name_plural = _("户成员")

    def __str__(self) -> str:
        return f"{self.household} · {self.user}"


class Electorate(models.TextChoices):
    RESIDENTS = "residents", _("本区域已实名核验的居民")
    HOUSEHOLDS = "households", _("本区域的户（每户一票）")
    REPRESENTATIVES = "representatives", _("居民代表")
    LIST = "list", _("指定名单")


class Majority(models.TextChoices):
    SIMPLE = "simple", _("过半数")
    TWO_THIRDS = "two_thirds", _("三分之二以上")
    MOST = "most", _("得票最多者当选")


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class Vote(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("投票事项"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    # Which part the vote serves ("" = the community's own decision); parts name themselves here.
    purpose = models.CharField(_("用途"), max_length=50, blank=True)
    electorate = models.CharField(_("投票人范围"), max_length=20, choices=Electorate.choices)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    # The share of the electorate that must vote for the result to stand, in percent (0 = none).
    quorum_percent = models.PositiveSmallIntegerField(
        _("最低参与比例（%）"), default=50, validators=[MaxValueValidator(100)]
    )
    majority = models.CharField(_("通过规则"), max_length=20, choices=Majority.choices)
    secret = models.BooleanField(_("无记名投票"), default=True)
    min_choices = models.PositiveSmallIntegerField(
        _("最少选择项数"), default=1, validators=[MinValueValidator(1)]
    )
    max_choices = models.PositiveSmallIntegerField(
        _("最多选择项数"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("状态"), max_length=20, choices=VoteStatus.choices, default=VoteStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when closed: the electorate's size then, the tally and outcome (services/tally.py), and the last
    # link of the ballot chain (a ballot cut from the tail afterwards is found).
    result = models.JSONField(null=True, blank=True, editable=False)
    chain_seq = models.PositiveIntegerField(default=0, editable=False)
    chain_head = models.CharField(max_length=64, blank=True, editable=False)

    scope_path = "area__path"

    submission = submission_field()  # the form's token: posted twice, one vote (portal/submissions.py)

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            one_per_submission("created_by", "one_vote_per_submission"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="voting_vote_window"),
            models.CheckConstraint(
                condition=Q(max_choices__gte=F("min_choices")), name="voting_vote_choices"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def by_household(self) -> bool:
        return self.electorate == Electorate.HOUSEHOLDS

    def is_open_at(self, now) -> bool:
        return self.status == VoteStatus.PUBLISHED and self.opens_at <= now < self.closes_at


class Option(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("选项"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "label"], name="voting_option_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Elector(models.Model):
    """One person of an explicit electorate (resident representatives, a list)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        constraints = [models.UniqueConstraint(fields=["vote", "user"], name="voting_elector_once")]

    def __str__(self) -> str:
        return f"{self.vote_id} · {self.user_id}"


class Channel(models.TextChoices):
    ONLINE = "online", _("手机投票")
    PAPER = "paper", _("纸质投票码")
    WITNESSED = "witnessed", _("现场见证投票")


class Turnout(models.Model):
    """Who has voted. Random key and no time, so its rows cannot be lined up with the ballots'."""

    id = models.UUIDField(primary_key=True)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="turnout")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("参与投票记录")
        verbose_name_plural = _("参与投票记录")
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="voting_turnout_voter"),
            models.UniqueConstraint(
                fields=["vote", "household"],
                condition=Q(household__isnull=False),
                name="voting_turnout_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} · {self.voter_id}"


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    seq = models.PositiveIntegerField()
    # Open ballots only: the voter (and their household when the vote counts households).
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    # A witnessed ballot: the worker who entered it and the witness named (open record of the act, not of
    # the voter: a secret witnessed ballot still names no voter).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    # The witness's account when the witness has one (`witness` then holds their name as it was).
    witness_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receipt_digest = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["vote", "seq"]
        constraints = [models.UniqueConstraint(fields=["vote", "seq"], name="voting_ballot_seq")]

    def __str__(self) -> str:
        return f"{self.vote_id}#{self.seq}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            # one vote per option per ballot, so per voter
            models.UniqueConstraint(fields=["ballot", "option"], name="voting_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} → {self.option_id}"


class PaperCode(models.Model):
    """A single-use code printed for one voter without a phone; only its digest is kept."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="paper_codes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    # The signature record: who took the code in hand and signed for it (the voter, or whom they sent).
    received_by = models.CharField(_("领取人"), max_length=50, blank=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("纸质投票码")
        verbose_name_plural = _("纸质投票码")
        constraints = [models.UniqueConstraint(fields=["vote", "voter"], name="voting_papercode_voter")]

    def __str__(self) -> str:
        return f"{self.vote_id} · {self.voter_id}"


class Representative(models.Model):
    """A standing resident representative (居民代表) of a community, from `since` until retired."""

    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("推选日期"))
    until = models.DateField(_("卸任日期"), null=True, blank=True)
    election = models.ForeignKey(
        "RepresentativeElection",
        verbose_name=_("推选记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representatives",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope_path = "community__path"

    class Meta:
        verbose_name = _("居民代表")
        verbose_name_plural = _("居民代表")
        ordering = ["community__path", "until", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(until__isnull=True), name="voting_representative_standing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.user}"


TERM_YEARS = 5  # 居民委员会每届任期五年 (城市居民委员会组织法 2018): the default term of the representatives
TERM_NOTICE_DAYS = 90  # the clock reminds the community's staff this many days before the term ends


class RepresentativeElection(models.Model):
    """The record of a community's election of its resident representatives (居民代表推选): the day, the
    term, the vote or the meeting (gathering) that elected them, the result's document (served only through a
    scoped view), and whether the clock has reminded of the term's end."""

    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("推选日期"))
    term_ends_on = models.DateField(_("任期届满日期"))
    vote = models.ForeignKey(
        Vote, verbose_name=_("推选投票"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gathering = models.ForeignKey(
        "gatherings.Gathering",
        verbose_name=_("推选会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.FileField(_("推选结果文件"), upload_to=RandomName("voting"), blank=True)
    document_name = models.CharField(_("文件名"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # the term end last reminded of (the clock's reminder goes once per term end)
    reminded_for = models.DateField(_("已提醒的届满日期"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_path = "community__path"

    class Meta:
        verbose_name = _("居民代表推选记录")
        verbose_name_plural = _("居民代表推选记录")
        ordering = ["community__path", "-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("held_on")), name="voting_election_term_after_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("voting:election", args=[self.pk])


class ElectionCorrection(models.Model):
    """A correction of an election record (更正): the fields that were wrong with what they were and what
    they became (as shown, `{field: [before, after]}`), why, who and when. The record holds the corrected
    values; its corrections are its history (never changed or deleted)."""

    election = models.ForeignKey(
        RepresentativeElection,
        verbose_name=_("居民代表推选记录"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    reason = models.TextField(_("更正理由"))
    changes = models.JSONField(_("更正内容"), default=dict)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    scope_path = "election__community__path"

    class Meta:
        verbose_name = _("推选记录更正")
        verbose_name_plural = _("推选记录更正")
        ordering = ["-corrected_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.election} · {self.corrected_at:%Y-%m-%d}"

    def lines(self) -> list[tuple[str, str, str]]:
        """(the field's label, before, after) of each corrected field, for the page."""
        meta = RepresentativeElection._meta
        return [(meta.get_field(name).verbose_name, old, new) for name, (old, new) in self.changes.items()]
