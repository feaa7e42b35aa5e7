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

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.gatherings.models import Gathering
from grassroots.voting.forms import people_in_scope
from grassroots.voting.models import Representative, RepresentativeElection, Vote
from grassroots.voting.services import elections


class ElectedSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Representative
        fields = ["id", "user", "name", "since", "until"]
        read_only_fields = fields


class ElectionSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    elected = ElectedSerializer(source="representatives", many=True, read_only=True)
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


class ElectionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Election records of the resident representatives (居民代表推选记录), the latest first per community."""

    serializer_class = ElectionSerializer
    queryset = (
        RepresentativeElection.objects.select_related("community")
        .prefetch_related(
            Prefetch("representatives", queryset=Representative.objects.select_related("user").order_by("pk"))
        )
        .order_by("community__path", "-held_on", "-pk")
    )
    view_permission = "voting.manage"
    services_decide = True
    filterset_fields = ["community"]
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return ElectionInput if self.action == "create" else ElectionSerializer

    @extend_schema(request=ElectionInput, responses={201: ElectionSerializer})
    def create(self, request, *args, **kwargs):
        """Record an election: those elected become standing representatives of the community from
        `held_on` (already standing: linked). All or nothing; errors at the field."""
        election = elections.record_election(actor=request.user, **self.input_of(ElectionInput))
        return self.answer(election, status.HTTP_201_CREATED)
