"""`/api/rulebooks/`: the four systems one sees (`?community=`), each with its version in force; `POST` starts
one of a community's missing systems (its first draft). The draft's body, attachments, publishing, new
drafts and the diff are the documents' API on the rulebook's `document` (`/api/documents/{id}/…`; keeper
`selfgov.manage`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.selfgov import selectors_rulebooks as rules
from grassroots.selfgov.models import Rulebook, RulebookKind
from grassroots.selfgov.services import rulebooks


class VersionSummary(serializers.Serializer):
    number = serializers.IntegerField()
    adopted_by = serializers.CharField(source="adopted_by.display_name", default=None)
    adopted_at = serializers.DateTimeField()
    note = serializers.CharField()


class RulebookSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    in_force = serializers.SerializerMethodField()
    has_draft = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Rulebook
        fields = [
            "id",
            "community",
            "community_name",
            "kind",
            "kind_label",
            "title",
            "document",
            "in_force",
            "has_draft",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_in_force(self, rulebook) -> dict | None:
        current = rulebook.document.current
        return VersionSummary(current[0]).data if current else None

    def get_has_draft(self, rulebook) -> bool:
        return bool(rulebook.document.drafts)


class RulebookInput(serializers.Serializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="selfgov.manage"
    )
    kind = serializers.ChoiceField(choices=RulebookKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("community", int, description="社区 id")]),
)
class RulebookViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RulebookSerializer
    queryset = Rulebook.objects.all()
    view_permission = "selfgov.view"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        queryset = rules.with_versions(rules.visible_rulebooks(self.request.user)).select_related("community")
        community = int_param(self.request, "community")
        if community is not None:
            queryset = queryset.filter(community=community)
        return queryset.order_by("community__path", "kind", "pk")

    def get_serializer_class(self):
        return RulebookInput if self.action == "create" else RulebookSerializer

    @extend_schema(request=RulebookInput, responses={201: RulebookSerializer})
    def create(self, request, *args, **kwargs):
        """Start one of a community's four systems (selfgov.manage on the community): its first draft."""
        rulebook = rulebooks.start_rulebook(actor=request.user, **self.input_of(RulebookInput))
        return self.answer(rulebook, status.HTTP_201_CREATED)
