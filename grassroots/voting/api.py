"""`/api/votes/`: every step of the voting pages, through the services the pages call.

- `GET /api/votes/` and `…/{id}/`: the votes the user may see (`selectors.visible_votes`), with options, and
  the result once closed;
- `POST /api/votes/` creates a draft (voting.manage on `area`); `POST …/{id}/publish/`, `…/{id}/close/`;
- `POST …/{id}/cast/ {options: [id…]}` the caller's own ballot → `{seq, receipt}` (the receipt code, once);
- `POST …/{id}/receipt/ {code}` → the ballot the code stands for (`seq`, `hash`, chosen labels);
- `GET …/{id}/ballots/` (voting.manage): the ballots with who voted what for an open vote, without voters
  for a secret one, and the chain's check.
Outside `visible_votes`: 404. The services decide who may act (403 with their message)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from grassroots.access.scoping import has_perm
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.voting import selectors
from grassroots.voting.models import Option, Vote, VoteStatus
from grassroots.voting.services import ballots, votes
from grassroots.voting.services.chain import verify_ballot_chain


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

    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="voting.manage"
    )
    options = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1)

    class Meta:
        model = Vote
        fields = [*votes.VOTE_FIELDS, "options"]


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
    options = serializers.ListField(child=serializers.CharField())


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

    @extend_schema(request=CastInput, responses={201: CastOutput})
    @action(detail=True, methods=["post"])
    def cast(self, request, pk=None):
        """Cast your own ballot; the receipt code is answered once."""
        ballot, code = ballots.cast_ballot(
            voter=request.user, vote=self.get_object(), option_ids=self.input_of(CastInput)["options"]
        )
        return Response({"seq": ballot.seq, "receipt": code}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReceiptInput, responses=ReceiptOutput)
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        """Check a receipt code: the ballot it stands for."""
        found = ballots.find_receipt(vote=self.get_object(), code=self.input_of(ReceiptInput)["code"])
        if found is None:
            raise ValidationError({"code": [_("未找到该回执码对应的选票。")]})
        labels = [c.option.label for c in found.choices.all()]
        return Response({"seq": found.seq, "hash": found.hash, "options": labels})

    @extend_schema(responses=BallotsOutput)
    @action(detail=True, methods=["get"])
    def ballots(self, request, pk=None):
        """The ballots (officials): who voted what for an open vote, no voter for a secret one."""
        vote = self.get_object()
        if not has_perm(request.user, "voting.manage", vote.area):
            raise PermissionDenied(_("您无权组织或管理该区域的投票。"))
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


def register(router) -> None:
    router.register("votes", VoteViewSet, basename="vote")
