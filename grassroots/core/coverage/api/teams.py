"""`/api/service-teams/`: 组团服务 teams with their members, entities and record count. The pages' forms,
through the same services (`coverage.change` on the team's area, else 403):

- `POST /api/service-teams/ {name, area, leader?, description?, members?: [{name, role?}], entities?: [id]}`
  (`services.create_team`; the entities must lie under the team's area);
- `POST …/{id}/records/ {served_on, content, entity?, participants?}` records a service (`record_service`;
  `entity`: one of the team's).
"""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.core.coverage import services
from grassroots.core.coverage.api._common import CHANGE, VIEW, visible_entities
from grassroots.core.coverage.models import Entity, ServiceTeam


class TeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ServiceTeamSerializer(serializers.ModelSerializer):
    members = TeamMemberSerializer(many=True, read_only=True)
    record_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ServiceTeam
        fields = ["id", "name", "area", "leader", "description", "members", "entities", "record_count"]


class TeamInput(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    name = serializers.CharField(max_length=100)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission=CHANGE)
    leader = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    members = TeamMemberSerializer(many=True, required=False, default=list)
    entities = ScopedPrimaryKeyRelatedField(
        queryset=Entity.objects.select_related("area"), scope=visible_entities, many=True, required=False
    )


def _team_entities(context):
    return context["team"].entities.order_by("name")


class RecordInput(serializers.Serializer):
    served_on = serializers.DateField()
    content = serializers.CharField()
    entity = ChoiceOfRecordField(choices=_team_entities, required=False, allow_null=True, default=None)
    participants = serializers.IntegerField(required=False, default=1)


class ServiceTeamViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service teams. POST creates one, `records/` records a service of the team."""

    view_permission = VIEW
    change_permission = CHANGE
    # who may write: coverage.change on the team's area (services.record_service)
    services_decide = True
    serializer_class = ServiceTeamSerializer
    queryset = (
        ServiceTeam.objects.annotate(record_count=Count("records", distinct=True))
        .prefetch_related("members", "entities")
        .order_by("area__path", "name", "pk")
    )

    def get_serializer_class(self):
        return {"create": TeamInput, "records": RecordInput}.get(self.action, ServiceTeamSerializer)

    @extend_schema(request=TeamInput, responses={201: ServiceTeamSerializer})
    def create(self, request, *args, **kwargs):
        values = self.input_of(TeamInput)
        members = [(m["name"], m["role"]) for m in values.pop("members")]
        team = services.create_team(actor=request.user, members=members, **values)
        return self.answer(team, status.HTTP_201_CREATED)

    @extend_schema(request=RecordInput, responses={201: ServiceTeamSerializer})
    @action(detail=True, methods=["post"])
    def records(self, request, pk=None):
        """Record a service the team gave (on a day up to today; `participants` at least 1)."""
        team = self.get_object()
        services.record_service(actor=request.user, team=team, **self.input_of(RecordInput, team=team))
        return self.answer(team, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("service-teams", ServiceTeamViewSet, basename="service-team")
