"""`/api/representative-elections/` (voting.manage): the records of the communities' elections of their
resident representatives — `GET` the list (filter `community`) and one record with those elected; `POST`
(JSON, or multipart with the result's `document`) records one through services/elections.record_election:
`{community, held_on, term_ends_on?, vote?, gathering?, elected: [user ids], note?}`. The document is
served by the scoped page `voting:election_document` (its `document_url`)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.gatherings.models import Gathering
from grassroots.voting.forms import people_in_scope
from grassroots.voting.models import ElectionCorrection, Representative, RepresentativeElection, Vote
from grassroots.voting.services import elections


class ElectedSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Representative
        fields = ["id", "user", "name", "since", "until"]
        read_only_fields = fields


class CorrectionSerializer(serializers.ModelSerializer):
    corrected_by_name = serializers.CharField(source="corrected_by.display_name", read_only=True, default="")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="{field: [before, after]}"
    )

    class Meta:
        model = ElectionCorrection
        fields = ["id", "reason", "changes", "corrected_by", "corrected_by_name", "corrected_at"]
        read_only_fields = fields


class ElectionSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    elected = ElectedSerializer(source="representatives", many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = RepresentativeElection
        fields = [
            "id",
            "community",
            "community_name",
            "held_on",
            "term_ends_on",
            "vote",
            "gathering",
            "note",
            "document_url",
            "elected",
            "corrections",
            "created_at",
        ]
        read_only_fields = fields

    def get_document_url(self, election) -> str:
        return reverse("voting:election_document", args=[election.pk]) if election.document else ""


class ElectionInput(serializers.Serializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="voting.manage"
    )
    held_on = serializers.DateField()
    term_ends_on = serializers.DateField(
        required=False, default=None, allow_null=True, help_text="default: five years on"
    )
    vote = ScopedPrimaryKeyRelatedField(
        queryset=Vote.objects.select_related("area"),
        permission="voting.manage",
        required=False,
        default=None,
        allow_null=True,
    )
    gathering = ScopedPrimaryKeyRelatedField(
        queryset=Gathering.objects.select_related("area"),
        permission="voting.manage",
        required=False,
        default=None,
        allow_null=True,
    )
    elected = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), scope=people_in_scope),
        required=False,
        default=list,
    )
    document = serializers.FileField(required=False, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectionInput(serializers.Serializer):
    """更正: only the fields sent are corrected; `reason` is required."""

    held_on = serializers.DateField(required=False)
    term_ends_on = serializers.DateField(required=False)
    vote = ScopedPrimaryKeyRelatedField(
        queryset=Vote.objects.select_related("area"),
        permission="voting.manage",
        required=False,
        allow_null=True,
    )
    gathering = ScopedPrimaryKeyRelatedField(
        queryset=Gathering.objects.select_related("area"),
        permission="voting.manage",
        required=False,
        allow_null=True,
    )
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class ElectionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Election records of the resident representatives (居民代表推选记录), the latest first per community."""

    serializer_class = ElectionSerializer
    queryset = (
        RepresentativeElection.objects.select_related("community")
        .prefetch_related(
            Prefetch(
                "representatives", queryset=Representative.objects.select_related("user").order_by("pk")
            ),
            Prefetch("corrections", queryset=ElectionCorrection.objects.select_related("corrected_by")),
        )
        .order_by("community__path", "-held_on", "-pk")
    )
    view_permission = "voting.manage"
    services_decide = True
    filterset_fields = ["community"]
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return {"create": ElectionInput, "correct": CorrectionInput}.get(self.action, ElectionSerializer)

    @extend_schema(request=ElectionInput, responses={201: ElectionSerializer})
    def create(self, request, *args, **kwargs):
        """Record an election: those elected become standing representatives of the community from
        `held_on` (already standing: linked). All or nothing; errors at the field."""
        election = elections.record_election(actor=request.user, **self.input_of(ElectionInput))
        return self.answer(election, status.HTTP_201_CREATED)

    @extend_schema(request=CorrectionInput, responses={200: ElectionSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """更正: correct the fields sent (`held_on`, `term_ends_on`, `vote`, `gathering`, `note`) with the
        `reason` (services/elections.correct_election); the record with its `corrections` (the history).
        Errors at the field; nothing changed → 400."""
        election = self.get_object()
        elections.correct_election(actor=request.user, election=election, **self.input_of(CorrectionInput))
        return self.answer(election, status.HTTP_200_OK)
