"""`/api/votes/`: every step of the voting pages, through the services the pages call.

- `GET /api/votes/` and `…/{id}/`: the votes the user may see (`selectors.visible_votes`), with options, and
  the result once closed;
- `POST /api/votes/` creates a draft (voting.manage on `area`); `POST …/{id}/publish/`, `…/{id}/close/`;
- `POST …/{id}/ballots/ {options: [id…]}` the caller's own ballot → `{seq, receipt}` (the receipt code, once);
  `GET …/{id}/ballots/` (voting.manage): the ballots with who voted what for an open vote, without voters
  for a secret one, and the chain's check;
- `POST …/{id}/witnessed/ {voter, options, witness | witness_user}` (voting.manage): a ballot cast in person;
- `GET …/{id}/paper-codes/` (voting.manage): the signature records of the codes handed out;
  `POST …/{id}/paper-codes/ {voters, received_by?}` prints codes → `[{voter, code}]` (each code once);
- `POST …/{id}/paper-ballots/ {code, options}` (voting.manage): a paper ballot handed in, entered by a worker;
- `POST …/{id}/receipt/ {code}` → the ballot the code stands for (`seq`, `hash`; the chosen labels only for
  an open vote — docs/voting.md, "Receipts and coercion");
- `POST /api/votes/code/ {code}` → the vote a paper code is for, and `POST /api/votes/code-ballot/ {code,
  options}` the ballot cast with it: no sign-in needed (the code is the credential), limited per address.
`/api/households/` (voting.manage): the households of the worker's areas with their members; `POST` creates
one (`{area, name, members?}`), `POST …/{id}/members/ {user}` adds a resident, `POST …/{id}/remove-member/
{user}` takes one out. `/api/representatives/` (voting.manage): the communities' standing (and former)
resident representatives; `POST {community, user, since?}`, `POST …/{id}/retire/ {until?}`.
Casting, codes and receipts are rate-limited (voting/limits.py: 429). Outside `visible_votes`: 404; a
vote one sees but is not in the electorate of (a resident of the community, another courtyard's vote):
casting is 403 with the reason (`selectors.ineligibility`). The services decide who may act (403 with their
message)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from grassroots.access.scoping import has_perm
from grassroots.accounts.models import User
from grassroots.accounts.services.grants import users_in_scope
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.voting import limits, selectors
from grassroots.voting.models import Household, Option, PaperCode, Representative, Vote, VoteStatus
from grassroots.voting.results import results_of
from grassroots.voting.services import ballots, households, representatives, votes
from grassroots.voting.services.chain import verify_ballot_chain


def people_in_scope(user):
    """The people a worker may name (voters, witnesses, household members): those living or holding a grant
    in their voting scope."""
    return users_in_scope(user, "voting.manage").filter(is_active=True)


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "label"]


class VoteSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    options = OptionSerializer(many=True, read_only=True)
    result = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Vote
        fields = [
            "id",
            "title",
            "description",
            "purpose",
            "area",
            "area_name",
            "electorate",
            "opens_at",
            "closes_at",
            "quorum_percent",
            "majority",
            "secret",
            "min_choices",
            "max_choices",
            "status",
            "options",
            "result",
            "url",
        ]
        read_only_fields = fields

    def get_result(self, vote) -> dict | None:
        return vote.result if vote.status == VoteStatus.CLOSED else None

    def get_url(self, vote) -> str:
        return reverse("voting:detail", args=[vote.pk])


class VoteInput(serializers.ModelSerializer):
    """A new vote: the fields the page's form takes (`VOTE_FIELDS`, as the model declares them), its options
    as a list."""

    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)

    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="voting.manage"
    )
    options = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1)
    electors = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope),
        required=False,
        default=list,
        max_length=500,
        help_text=_("指定名单或居民代表的用户 id；居民代表留空则为本区域在任的居民代表。"),
    )

    class Meta:
        model = Vote
        fields = [*votes.VOTE_FIELDS, "options", "electors", "submission"]


class CastInput(serializers.Serializer):
    options = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class CastOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    receipt = serializers.CharField()


class ReceiptInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ReceiptOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    hash = serializers.CharField()
    options = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text=_("记名投票时为所选选项；无记名投票时为空（回执只证明选票已计入，不显示选择）。"),
    )


class WitnessedInput(serializers.Serializer):
    voter = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope)
    options = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    witness = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    witness_user = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(), scope=people_in_scope, required=False, allow_null=True, default=None
    )


class PaperCodesInput(serializers.Serializer):
    voters = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope),
        min_length=1,
        max_length=200,
    )
    received_by = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class IssuedCode(serializers.Serializer):
    voter = serializers.IntegerField()
    voter_name = serializers.CharField()
    code = serializers.CharField()


class PaperCodeRecord(serializers.ModelSerializer):
    voter_name = serializers.CharField(source="voter.display_name")
    issued_by_name = serializers.CharField(source="issued_by.display_name", default=None)

    class Meta:
        model = PaperCode
        fields = [
            "id",
            "voter",
            "voter_name",
            "received_by",
            "issued_by",
            "issued_by_name",
            "issued_at",
            "used",
        ]
        read_only_fields = fields


class CodeInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class CodeBallotInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    options = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class CodeVoteOutput(serializers.Serializer):
    vote = serializers.IntegerField()
    title = serializers.CharField()
    max_choices = serializers.IntegerField()
    min_choices = serializers.IntegerField()
    options = OptionSerializer(many=True)


class BallotRow(serializers.Serializer):
    seq = serializers.IntegerField()
    channel = serializers.CharField()
    voter = serializers.CharField(allow_null=True)
    household = serializers.CharField(allow_null=True)
    options = serializers.ListField(child=serializers.CharField())
    hash = serializers.CharField()


class BallotsOutput(serializers.Serializer):
    chain_fault = serializers.CharField(allow_null=True)
    turnout = serializers.IntegerField()
    ballots = BallotRow(many=True)


class ResultOption(serializers.Serializer):
    label = serializers.CharField()
    votes = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    carried = serializers.BooleanField()


class ChainStatus(serializers.Serializer):
    verified = serializers.BooleanField(help_text=_("选票链是否逐张相连、未被改动"))
    fault = serializers.CharField(allow_null=True, help_text=_("校验未通过时：第一处问题"))
    digest = serializers.CharField(help_text=_("投票结束时公布的选票链最终摘要"))
    length = serializers.IntegerField(help_text=_("选票链的选票张数"))


class ResultsOutput(serializers.Serializer):
    ballots = serializers.IntegerField()
    electorate = serializers.IntegerField(help_text=_("应投票数（人或户）"))
    turnout_percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    quorum_percent = serializers.IntegerField()
    quorum_ballots = serializers.IntegerField(help_text=_("达到最低参与比例所需票数"))
    quorum_met = serializers.BooleanField()
    majority = serializers.CharField()
    majority_label = serializers.CharField()
    rule = serializers.CharField()
    tie = serializers.BooleanField()
    options = ResultOption(many=True)
    outcome = serializers.CharField(help_text=_("表决结论"))
    chain = ChainStatus()


class VoteViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VoteSerializer
    queryset = Vote.objects.all()
    view_permission = "voting.view"
    change_permission = "voting.manage"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return (
            selectors.visible_votes(self.request.user)
            .select_related("area")
            .prefetch_related("options")
            .order_by("-opens_at", "-pk")
        )

    def get_serializer_class(self):
        return VoteInput if self.action == "create" else VoteSerializer

    @extend_schema(request=VoteInput, responses={201: VoteSerializer})
    def create(self, request, *args, **kwargs):
        """Create a draft vote (voting.manage on `area`)."""
        vote = votes.create_vote(actor=request.user, **self.input_of(VoteInput))
        return self.answer(vote, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=VoteSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft: ballots are taken inside its window."""
        return self.answer(votes.publish_vote(actor=request.user, vote=self.get_object()))

    @extend_schema(request=None, responses=VoteSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a published vote now, count it and publish the result."""
        return self.answer(votes.close_vote(actor=request.user, vote=self.get_object()))

    @extend_schema(request=None, responses=ResultsOutput)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The published results of a closed vote (as its results page): count, turnout, quorum, majority
        rule and outcome, the ballot chain's verification. Before closing: 404 with the reason."""
        vote = self.get_object()
        found = results_of(vote)
        if found is None:
            raise NotFound(_("表决尚未结束，结果在投票结束计票后公布。"))
        return Response(ResultsOutput(found).data)

    @extend_schema(request=ReceiptInput, responses=ReceiptOutput)
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        """Check a receipt code: the ballot it stands for."""
        vote = self.get_object()
        limits.check(request, "receipt")
        found = ballots.find_receipt(vote=vote, code=self.input_of(ReceiptInput)["code"])
        if found is None:
            raise ValidationError({"code": [_("未找到该回执码对应的选票。")]})
        return Response({"seq": found.seq, "hash": found.hash, "options": ballots.receipt_choices(found)})

    def get_permissions(self):
        if self.action in ("code", "code_ballot"):  # a paper code is its own credential
            return [AllowAny()]
        return super().get_permissions()

    def _manager(self, vote):
        if not has_perm(self.request.user, "voting.manage", vote.area):
            raise PermissionDenied(_("您无权组织或管理该区域的投票。"))

    @extend_schema(methods=["GET"], request=None, responses=BallotsOutput)
    @extend_schema(methods=["POST"], request=CastInput, responses={201: CastOutput})
    @action(detail=True, methods=["get", "post"])
    def ballots(self, request, pk=None):
        """GET (officials): the ballots — who voted what for an open vote, no voter for a secret one — and
        the chain's check. POST: cast your own ballot; the receipt code is answered once."""
        vote = self.get_object()
        if request.method == "POST":
            limits.check(request, "ballot")
            if refusal := selectors.ineligibility(vote, request.user):
                raise PermissionDenied(refusal)  # the vote is seen (same community), not theirs to vote in
            ballot, code = ballots.cast_ballot(
                voter=request.user, vote=vote, option_ids=self.input_of(CastInput)["options"]
            )
            return Response({"seq": ballot.seq, "receipt": code}, status=status.HTTP_201_CREATED)
        self._manager(vote)
        rows = [
            {
                "seq": b.seq,
                "channel": b.channel,
                "voter": b.voter.display_name if b.voter else None,
                "household": str(b.household) if b.household else None,
                "options": [c.option.label for c in b.choices.all()],
                "hash": b.hash,
            }
            for b in vote.ballots.select_related("voter", "household")
            .prefetch_related("choices__option")
            .order_by("seq")
        ]
        return Response(
            {"chain_fault": verify_ballot_chain(vote), "turnout": vote.turnout.count(), "ballots": rows}
        )

    @extend_schema(request=WitnessedInput, responses={201: CastOutput})
    @action(detail=True, methods=["post"])
    def witnessed(self, request, pk=None):
        """Enter a ballot cast in person (officials), with a witness: an account or a person named."""
        vote = self.get_object()
        data = self.input_of(WitnessedInput)
        ballot, code = ballots.cast_witnessed(
            actor=request.user, vote=vote, option_ids=data.pop("options"), **data
        )
        return Response({"seq": ballot.seq, "receipt": code}, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=PaperCodeRecord(many=True))
    @extend_schema(methods=["POST"], request=PaperCodesInput, responses={201: IssuedCode(many=True)})
    @action(detail=True, methods=["get", "post"], url_path="paper-codes")
    def paper_codes(self, request, pk=None):
        """GET (officials): who received a paper code, when, from whom, spent or not (never the codes).
        POST: print codes for voters who asked; each code is answered this once."""
        vote = self.get_object()
        self._manager(vote)
        if request.method == "POST":
            issued = ballots.issue_paper_codes(
                actor=request.user, vote=vote, **self.input_of(PaperCodesInput)
            )
            rows = [{"voter": v.pk, "voter_name": v.display_name, "code": code} for v, code in issued]
            return Response(rows, status=status.HTTP_201_CREATED)
        records = vote.paper_codes.select_related("voter", "issued_by").order_by("-issued_at", "-pk")
        return Response(PaperCodeRecord(records, many=True).data)

    @extend_schema(request=CodeBallotInput, responses={201: CastOutput})
    @action(detail=True, methods=["post"], url_path="paper-ballots")
    def paper_ballots(self, request, pk=None):
        """Enter a paper ballot handed in with its code (officials); the code is spent."""
        vote = self.get_object()
        limits.check(request, "code")
        data = self.input_of(CodeBallotInput)
        ballot, code = ballots.cast_paper(
            actor=request.user, vote=vote, code=data["code"], option_ids=data["options"]
        )
        return Response({"seq": ballot.seq, "receipt": code}, status=status.HTTP_201_CREATED)

    @extend_schema(request=CodeInput, responses=CodeVoteOutput)
    @action(detail=False, methods=["post"])
    def code(self, request):
        """The vote an unspent paper code is for, with its options (no sign-in needed)."""
        limits.check(request, "code")
        paper = ballots.find_code(self.input_of(CodeInput)["code"])
        if paper is None:
            raise ValidationError({"code": [_("投票码无效或已使用。")]})
        vote = paper.vote
        return Response(
            {
                "vote": vote.pk,
                "title": vote.title,
                "min_choices": vote.min_choices,
                "max_choices": vote.max_choices,
                "options": OptionSerializer(vote.options.all(), many=True).data,
            }
        )

    @extend_schema(request=CodeBallotInput, responses={201: CastOutput})
    @action(detail=False, methods=["post"], url_path="code-ballot")
    def code_ballot(self, request):
        """Cast the ballot of a paper code (no sign-in needed); the code is spent, the receipt shown once."""
        limits.check(request, "code")
        data = self.input_of(CodeBallotInput)
        ballot, code = ballots.cast_with_code(code=data["code"], option_ids=data["options"])
        return Response({"seq": ballot.seq, "receipt": code}, status=status.HTTP_201_CREATED)


class HouseholdMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.display_name")
    home_area = serializers.CharField(source="user.home_area.name", default=None)


class HouseholdSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    members = HouseholdMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "area", "area_name", "name", "members", "created_at"]
        read_only_fields = fields


class HouseholdInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="voting.manage"
    )
    name = serializers.CharField(max_length=100)
    members = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope),
        required=False,
        default=list,
        max_length=30,
    )


class MemberInput(serializers.Serializer):
    user = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope)


class HouseholdViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Households (户) of the worker's areas: one vote (or signature) per household when a vote says so."""

    serializer_class = HouseholdSerializer
    queryset = Household.objects.select_related("area").prefetch_related("members__user__home_area")
    view_permission = "voting.manage"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return HouseholdInput if self.action == "create" else HouseholdSerializer

    @extend_schema(request=HouseholdInput, responses={201: HouseholdSerializer})
    def create(self, request, *args, **kwargs):
        """Create a household at an address (or an area above it), with its first members."""
        household = households.create_household(actor=request.user, **self.input_of(HouseholdInput))
        return self.answer(household, status.HTTP_201_CREATED)

    @extend_schema(request=MemberInput, responses=HouseholdSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """Add a resident (of the worker's areas, in no household yet)."""
        household = self.get_object()
        households.add_member(actor=request.user, household=household, **self.input_of(MemberInput))
        return self.answer(household)

    @extend_schema(request=MemberInput, responses=HouseholdSerializer)
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request, pk=None):
        """Take a resident out of the household."""
        household = self.get_object()
        households.remove_member(actor=request.user, household=household, **self.input_of(MemberInput))
        return self.answer(household)


class RepresentativeSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Representative
        fields = ["id", "community", "community_name", "user", "name", "since", "until"]
        read_only_fields = fields


class RepresentativeInput(serializers.Serializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="voting.manage"
    )
    user = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope)
    since = serializers.DateField(required=False, default=None)


class RetireInput(serializers.Serializer):
    until = serializers.DateField(required=False, default=None)


class RepresentativeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Standing resident representatives (居民代表) per community: a representatives' vote's electorate."""

    serializer_class = RepresentativeSerializer
    queryset = Representative.objects.select_related("community", "user").order_by(
        "community__path", "until", "pk"
    )
    view_permission = "voting.manage"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return RepresentativeInput if self.action == "create" else RepresentativeSerializer

    @extend_schema(request=RepresentativeInput, responses={201: RepresentativeSerializer})
    def create(self, request, *args, **kwargs):
        """Record a resident representative of a community (from `since`, default today)."""
        found = representatives.appoint_representative(
            actor=request.user, **self.input_of(RepresentativeInput)
        )
        return self.answer(found, status.HTTP_201_CREATED)

    @extend_schema(request=RetireInput, responses=RepresentativeSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """The representative stands down (on `until`, default today)."""
        found = representatives.retire_representative(
            actor=request.user, representative=self.get_object(), **self.input_of(RetireInput)
        )
        return self.answer(found)


def register(router) -> None:
    router.register("votes", VoteViewSet, basename="vote")
    router.register("households", HouseholdViewSet, basename="household")
    router.register("representatives", RepresentativeViewSet, basename="representative")
    from grassroots.voting.election_api import ElectionViewSet

    router.register("representative-elections", ElectionViewSet, basename="representative-election")
    from grassroots.voting.import_views import HouseholdImportViewSet

    router.register("household-imports", HouseholdImportViewSet, basename="household-import")
