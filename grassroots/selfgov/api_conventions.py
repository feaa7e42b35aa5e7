"""`/api/conventions/`: residents' conventions one sees (`?community=`), with the version in force, the state
and the signatures' counts; every step of the pages through the same services: `POST` starts one (a
courtyard), `…/{id}/discussion/ {ends_at}`, `GET|POST …/{id}/comments/`, `…/{id}/vote/ {electorate,
opens_at, closes_at, quorum_percent, majority, secret, per_household}`, `…/{id}/settle/`, `…/{id}/amend/`,
`…/{id}/sign/`. The draft's body is written through `/api/documents/{document}/draft/` (keeper
`selfgov.manage`); a convention is never published there, only by `settle/` after its vote carried."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.documents.models import VersionState
from grassroots.selfgov import selectors_conventions as conv
from grassroots.selfgov.models import Convention, ConventionComment
from grassroots.selfgov.services import conventions
from grassroots.voting.models import Electorate, Majority


class ConventionSerializer(serializers.ModelSerializer):
    courtyard_name = serializers.CharField(source="courtyard.name", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    in_force = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Convention
        fields = [
            "id",
            "community",
            "courtyard",
            "courtyard_name",
            "title",
            "document",
            "state",
            "state_label",
            "discussion_ends_at",
            "vote",
            "per_household",
            "in_force_since",
            "in_force",
            "signatures",
            "url",
        ]
        read_only_fields = fields

    def _current(self, convention):
        return next(
            (v for v in convention.document.versions.all() if v.state == VersionState.PUBLISHED), None
        )

    def get_in_force(self, convention) -> int | None:
        current = self._current(convention)
        return current.number if current else None

    def get_signatures(self, convention) -> dict:
        """{signed, households_signed, residents, households, per_household} for the version in force (detail
        only)."""
        if self.context.get("view") is None or self.context["view"].action == "list":
            return {}
        return conv.signature_counts(convention, self._current(convention))


class ConventionInput(serializers.Serializer):
    courtyard = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="selfgov.manage"
    )


class DiscussionInput(serializers.Serializer):
    ends_at = serializers.DateTimeField()


class ConventionVoteInput(serializers.Serializer):
    electorate = serializers.ChoiceField(
        choices=[(e.value, e.label) for e in conventions.ELECTORATES], default=Electorate.RESIDENTS
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    quorum_percent = serializers.IntegerField(min_value=0, max_value=100, default=50)
    majority = serializers.ChoiceField(
        choices=[(m.value, m.label) for m in (Majority.SIMPLE, Majority.TWO_THIRDS)], default=Majority.SIMPLE
    )
    secret = serializers.BooleanField(default=True)
    per_household = serializers.BooleanField(
        default=False, help_text=_l("签署规则：通过后每户签署一次（否则每人一次）")
    )


class ConventionCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = ConventionComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class SignatureAnswer(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    signed_at = serializers.DateTimeField()


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("community", int, description="社区 id")]),
)
class ConventionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConventionSerializer
    queryset = Convention.objects.all()
    view_permission = "selfgov.view"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        queryset = (
            conv.visible_conventions(self.request.user)
            .select_related("courtyard", "document")
            .prefetch_related("document__versions")
        )
        community = int_param(self.request, "community")
        if community is not None:
            queryset = queryset.filter(community=community)
        return queryset.order_by("courtyard__path", "pk")

    def get_serializer_class(self):
        return {
            "create": ConventionInput,
            "discussion": DiscussionInput,
            "vote": ConventionVoteInput,
            "comments": ConventionCommentSerializer,
        }.get(self.action, ConventionSerializer)

    @extend_schema(request=ConventionInput, responses={201: ConventionSerializer})
    def create(self, request, *args, **kwargs):
        """Start a courtyard's convention (selfgov.manage on the courtyard): its first draft."""
        convention = conventions.start_convention(actor=request.user, **self.input_of(ConventionInput))
        return self.answer(convention, status.HTTP_201_CREATED)

    @extend_schema(request=DiscussionInput, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def discussion(self, request, pk=None):
        """Put the draft before the courtyard's residents until `ends_at`."""
        convention = conventions.open_discussion(
            actor=request.user, convention=self.get_object(), **self.input_of(DiscussionInput)
        )
        return self.answer(convention)

    @extend_schema(methods=["GET"], responses=ConventionCommentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ConventionCommentSerializer, responses={201: ConventionCommentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The residents' comments on the draft; POST: comment during the discussion."""
        convention = self.get_object()
        if request.method == "POST":
            text = self.input_of(ConventionCommentSerializer)["text"]
            made = conventions.comment(user=request.user, convention=convention, text=text)
            return Response(ConventionCommentSerializer(made).data, status=status.HTTP_201_CREATED)
        draft = conventions.draft_of(convention)
        rows = convention.comments.filter(version=draft).select_related("author") if draft else []
        return Response(ConventionCommentSerializer(rows, many=True).data)

    @extend_schema(request=ConventionVoteInput, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Call the adoption vote of the courtyard's residents or households (published at once)."""
        convention = conventions.call_vote(
            actor=request.user, convention=self.get_object(), **self.input_of(ConventionVoteInput)
        )
        return self.answer(convention)

    @extend_schema(request=None, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """After the vote closed: publish the draft if carried, else back to drafting."""
        return self.answer(conventions.settle_vote(actor=request.user, convention=self.get_object()))

    @extend_schema(request=None, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """Start an amendment: a new draft from the version in force."""
        convention = self.get_object()
        conventions.amend(actor=request.user, convention=convention)
        return self.answer(convention)

    @extend_schema(request=None, responses={201: SignatureAnswer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the version in force (a resident of the courtyard, once)."""
        signature = conventions.sign(user=request.user, convention=self.get_object())
        return Response(SignatureAnswer(signature).data, status=status.HTTP_201_CREATED)
